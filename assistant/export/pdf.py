"""PDF: the DOCX export converted by LibreOffice in a throw-away directory.

Going through the DOCX keeps one layout for both files. Each conversion uses
its own LibreOffice profile, so conversions running side by side (or a
LibreOffice the user has open) do not block each other on the profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ExportError
from ..model import Report
from .word import to_docx

TIMEOUT_SECONDS = 180


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise ExportError("未找到 LibreOffice（soffice 命令），无法导出 PDF。请先安装 LibreOffice，或改为导出 Word（.docx）文件。")
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "report.docx"
        source.write_bytes(data)
        profile = tmp_path / "profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ExportError(f"LibreOffice 转换 PDF 超时（超过 {TIMEOUT_SECONDS} 秒），未生成 PDF 文件。") from None
        target = tmp_path / "report.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise ExportError("LibreOffice 未能将报告转换为 PDF。" + (f"详细信息：{detail}" if detail else ""))
        return target.read_bytes()


def to_pdf(report: Report) -> bytes:
    return docx_to_pdf(to_docx(report))
