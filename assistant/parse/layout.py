"""What every document reader produces: paragraphs and tables in reading order.

Readers (text, Markdown, HTML, DOCX, PDF) only lay a document out; turning
that layout into a report (sections, official tables, edition) is done once,
for all formats, by ``assemble``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..errors import ReadError as ReadError  # raised by every reader; importable from here
from ..model import Source


@dataclass
class RawCell:
    text: str
    source: Source
    # True for the copies of a merged cell beyond its first position (rowspan /
    # colspan / vMerge / PDF None). Their text is the merged cell's text.
    spanned: bool = False


@dataclass
class TableBlock:
    rows: list[list[RawCell]]
    source: Source
    # Rows of a table flattened to text can't be trusted to be aligned grids
    # (one cell per line, label cells wrapped); readers that keep a real grid
    # set this to True.
    grid: bool = True


@dataclass
class ParaBlock:
    text: str
    source: Source


Block = Union[ParaBlock, TableBlock]


@dataclass
class Layout:
    blocks: list[Block] = field(default_factory=list)
    format: str = "text"
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese message)


