"""What every document reader produces: paragraphs and tables in reading order.

Readers (text, Markdown, HTML, DOCX, PDF) only lay a document out; turning
that layout into a report (sections, official tables, edition) is done once,
for all formats, by ``assemble``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from ..errors import ReadError as ReadError  # raised by every reader; importable from here
from ..model import Source


@dataclass
class RawCell:
    text: str
    source: Source
    # True for the copies of a merged cell beyond its first position (rowspan /
    # colspan / vMerge / PDF None). Their text is the merged cell's text.
    spanned: bool = False
    # The text may hold several cells run together with their borders lost
    # ("801000081"); which split it stands for is decided with the table's
    # identities once the edition is known (``runs``). Whitespace inside is a border.
    run: bool = False
    # Its last figure may be a page number that fell between rows ("… 11" / "3"):
    # dropped when the row has more figures than columns.
    page_tail: bool = False
    # Why the reader doubts which row the figures belong to (Chinese), if it does.
    doubt: Optional[str] = None
    # How figures printed apart from their label were given to it (Chinese), if they were.
    placed: Optional[str] = None


@dataclass
class TableBlock:
    rows: list[list[RawCell]]
    source: Source
    # Rows of a table flattened to text can't be trusted to be aligned grids
    # (one cell per line, label cells wrapped); readers that keep a real grid
    # set this to True.
    grid: bool = True
    # One line of text that looked like a table row ("规章 1 0 11"); its text
    # as written, so that a later pass can re-read it with its neighbours.
    line: Optional[str] = None
    # "二", "三" or "四" when the reader that built the table already knows which it is.
    kind: Optional[str] = None


@dataclass
class ParaBlock:
    text: str
    source: Source


Block = Union[ParaBlock, TableBlock]
IsHeading = Callable[[str], object]  # a section heading's test: truthy when the line is one


@dataclass
class Layout:
    blocks: list[Block] = field(default_factory=list)
    format: str = "text"
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese message)


