"""Export a report in the official layout: Markdown, HTML, text, DOCX, PDF.

Every format draws the same blocks and table grids (see ``layout``), laid out
from the edition declaration, and prints each cell as it was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ..errors import ExportError
from ..model import Report
from .html import to_html
from .markdown import to_markdown
from .pdf import to_pdf
from .text import to_text
from .word import to_docx

__all__ = ["to_docx", "to_html", "to_markdown", "to_pdf", "to_text", "write", "FORMATS"]

# Extension -> (renderer, produces bytes)
FORMATS = {
    ".md": (to_markdown, False),
    ".markdown": (to_markdown, False),
    ".html": (to_html, False),
    ".htm": (to_html, False),
    ".txt": (to_text, False),
    ".docx": (to_docx, True),
    ".pdf": (to_pdf, True),
}


def render(report: Report, suffix: str) -> bytes:
    """The file content for an extension such as ".docx", as bytes."""
    try:
        renderer, binary = FORMATS[suffix.lower()]
    except KeyError:
        known = "、".join(sorted(FORMATS))
        raise ExportError(f"不支持导出为“{suffix or '无扩展名'}”格式，可选：{known}") from None
    out = renderer(report)
    if isinstance(out, bytes):
        return out
    return str(out).encode("utf-8")


def write(report: Report, path: Union[str, Path]) -> Path:
    """Write the report to ``path`` in the format its extension names.

    The content is rendered completely before the file is opened, so a
    failure leaves no half-written file behind.
    """
    path = Path(path)
    data = render(report, path.suffix)
    path.write_bytes(data)
    return path
