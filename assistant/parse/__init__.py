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

from .. import limits
from ..model import Report
from .assemble import assemble
from .encoding import looks_like_text
from .files import file_error
from .layout import Layout, ReadError

# The default of NIANBAO_MAX_DOCUMENT_MB; the limit in force is read from the settings (assistant.limits).
MAX_BYTES = 50 * 1024 * 1024

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
    if looks_like_text(data):  # UTF-16 / UTF-32, with or without a byte order mark
        return _EXTENSIONS.get(ext, "text") if ext not in (".html", ".htm", ".shtml", ".xhtml") else "html"
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
    limits.check_size(len(data))
    fmt = fmt or sniff(data, name)
    layout: Layout
    if fmt == "pdf":
        from .pdf import read_pdf
        layout = read_pdf(data)
    elif fmt == "docx":
        from .docx import read_docx
        layout = read_docx(data)
    elif fmt == "html":
        from .html import read_html
        layout = read_html(data)
    else:
        from .text import read_text
        layout = read_text(data, markdown=(fmt == "markdown"))
    limits.check_blocks(len(layout.blocks))
    return layout


def parse_bytes(data: bytes, name: str = "", edition: str = "auto", fmt: Optional[str] = None) -> Report:
    """Read a report from bytes; ``name`` helps pick the format and is kept in the report."""
    layout = layout_bytes(data, name, fmt)
    return assemble(layout, edition=edition, name=name or None)


def parse_file(path: Union[str, Path], edition: str = "auto") -> Report:
    p = Path(path)
    try:
        limits.check_size(p.stat().st_size)
        data = p.read_bytes()
    except OSError as exc:
        raise file_error(exc, p) from None
    return parse_bytes(data, name=str(p), edition=edition)


__all__ = ["FORMATS", "ReadError", "file_error", "layout_bytes", "parse_bytes", "parse_file", "sniff"]
