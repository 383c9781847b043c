"""Documents → report model. One entry point for every format.

``parse_file`` / ``parse_bytes`` pick a reader by content (and extension),
lay the document out, and assemble the report. Anything that cannot be read
as a report raises ``ReadError`` with a Chinese message.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from typing import Optional, Union

from ..model import Report
from .assemble import assemble
from .layout import Layout, ReadError

MAX_BYTES = 50 * 1024 * 1024  # a report is a few MB at most; anything larger is refused

FORMATS = ("text", "markdown", "html", "docx", "pdf")
_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx", ".pdf": "pdf",
}
_REFUSED = {
    ".doc": "旧版 Word（.doc）文件无法直接读取，请在 Word 或 WPS 中另存为 .docx 后再上传。",
    ".wps": "WPS 文字（.wps）文件无法直接读取，请另存为 .docx 后再上传。",
    ".xls": "Excel 表格不是年度报告文件，请上传报告全文（文本、HTML、Word 或 PDF）。",
    ".xlsx": "Excel 表格不是年度报告文件，请上传报告全文（文本、HTML、Word 或 PDF）。",
}


def sniff(data: bytes, name: str = "") -> str:
    """The format of a document, from its bytes first and its name second."""
    ext = Path(name).suffix.lower()
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            if ext == ".docx":
                raise ReadError("Word 文件已损坏，无法打开（不是有效的 .docx 压缩包）。", "broken_docx")
        raise ReadError("这是一个压缩包或 Office 文件，但不是 Word 文档（.docx）。", "unsupported")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(_REFUSED.get(ext, _REFUSED[".doc"]), "unsupported")
    if ext in _REFUSED:
        raise ReadError(_REFUSED[ext], "unsupported")
    if ext in (".pdf", ".docx"):
        kind = "PDF" if ext == ".pdf" else "Word"
        raise ReadError(f"文件扩展名是 {ext}，但内容不是有效的 {kind} 文件，可能已损坏。", "broken_" + ext[1:])
    if _is_binary(head):
        raise ReadError("无法识别的文件格式：请上传文本、Markdown、HTML、Word（.docx）或 PDF 格式的报告。",
                        "unsupported")
    lowered = head.lower()
    if ext in (".html", ".htm", ".shtml", ".xhtml") or b"<html" in lowered or b"<table" in lowered \
            or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    if ext in (".md", ".markdown"):
        return "markdown"
    return _EXTENSIONS.get(ext, "text")


def _is_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    # Control characters other than tab/newline/carriage return/form feed are not text.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(4, len(head) // 50)


def layout_bytes(data: bytes, name: str = "", fmt: Optional[str] = None) -> Layout:
    if not data or not data.strip():
        raise ReadError("文件是空的，没有可读取的内容。", "empty")
    if len(data) > MAX_BYTES:
        raise ReadError(f"文件过大（{len(data) // (1024 * 1024)} MB），超过 {MAX_BYTES // (1024 * 1024)} MB 的上限。",
                        "too_large")
    fmt = fmt or sniff(data, name)
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(data)
    if fmt == "docx":
        from .docx import read_docx
        return read_docx(data)
    if fmt == "html":
        from .html import read_html
        return read_html(data)
    from .text import read_text
    return read_text(data, markdown=(fmt == "markdown"))


def parse_bytes(data: bytes, name: str = "", edition: str = "auto", fmt: Optional[str] = None) -> Report:
    """Read a report from bytes; ``name`` helps pick the format and is kept in the report."""
    layout = layout_bytes(data, name, fmt)
    return assemble(layout, edition=edition, name=name or None)


def parse_file(path: Union[str, Path], edition: str = "auto") -> Report:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"文件过大（{size // (1024 * 1024)} MB），超过 {MAX_BYTES // (1024 * 1024)} MB 的上限。",
                            "too_large")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"找不到文件：{p}", "not_found") from None
    except IsADirectoryError:
        raise ReadError(f"这是一个文件夹，不是文件：{p}", "is_directory") from None
    except PermissionError:
        raise ReadError(f"没有权限读取文件：{p}", "permission") from None
    return parse_bytes(data, name=str(p), edition=edition)


__all__ = ["FORMATS", "ReadError", "layout_bytes", "parse_bytes", "parse_file", "sniff"]
