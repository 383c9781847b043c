"""Plain text and Markdown laid out into paragraphs and tables.

Three table shapes occur in text:
- Word flattened to text (the Linzi layout): one cell per line behind a tab,
  rows separated by blank lines, a wrapped label continuing on a line with no tab;
- tab-separated rows: several cells on one line;
- Markdown pipe tables.
Everything else is a paragraph, one per non-empty line.
"""

from __future__ import annotations

import re

from .. import limits
from ..model import Source
from .encoding import decode as decode_text
from .layout import Layout, ParaBlock, RawCell, ReadError, TableBlock

_HEADING = re.compile(r"^[一二三四五六七八九十]+\s*[、．.]")
_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
# A row written as text: a label, then only figures / blanks markers, e.g.
# "规章 1 0 11" or the 15 figures of table 四 on one line.
_NUMERIC_TOKEN = r"(?:[-+]?\d[\d,，]*(?:\.\d+)?万?|/|／|—+|-)"
_SPACED_ROW = re.compile(rf"^(?P<label>\S.*?)?(?P<values>(?:\s+{_NUMERIC_TOKEN})+)\s*$")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), GB18030 (a superset of GBK), UTF-16 or UTF-32; Big5 is refused by name."""
    return decode_text(data)[0]


def _is_tab_cell(line: str) -> bool:
    return line.lstrip(" ").startswith("\t")


def _is_tsv_row(line: str) -> bool:
    s = line.strip(" ")
    return "\t" in s.strip("\t") and not s.startswith("\t")


def _is_pipe_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _is_continuation(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 12 and not _HEADING.match(s) and not re.search(r"[。，；：]", s)


class _Builder:
    def __init__(self, fmt: str):
        self.layout = Layout(format=fmt)
        self.rows: list[list[RawCell]] = []
        self.row: list[RawCell] = []
        self.table_start: int = 0
        self.tables = 0

    def cell(self, text: str, line: int, col: int | None = None) -> RawCell:
        return RawCell(text=text.strip(), source=Source(line=line, table=self.tables + 1,
                                                        row=len(self.rows) + 1, col=col or len(self.row) + 1))

    def end_row(self) -> None:
        if self.row:
            self.rows.append(self.row)
            self.row = []

    def end_table(self, grid: bool) -> None:
        self.end_row()
        if self.rows:
            self.tables += 1
            self.layout.blocks.append(
                TableBlock(rows=self.rows, source=Source(line=self.table_start, table=self.tables), grid=grid))
        self.rows = []

    def para(self, text: str, line: int) -> None:
        text = text.strip()
        if text:
            self.layout.blocks.append(ParaBlock(text=text, source=Source(line=line)))


def read_text(data: bytes, markdown: bool = False) -> Layout:
    text = decode(data)
    limits.check_text(text)
    if "\x00" in text:
        raise ReadError("文件含有二进制内容，不是文本文件。", "binary")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    b = _Builder("markdown" if markdown else "text")
    mode = None  # None, "tab", "tsv", "pipe"
    prev_was_cell = False
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if mode == "tab":
            if _is_tab_cell(line):
                b.row.append(b.cell(line, n))
                prev_was_cell = True
                continue
            if not stripped:
                b.end_row()
                prev_was_cell = False
                continue
            if prev_was_cell and _is_continuation(line) and b.row:
                last = b.row[-1]
                last.text = f"{last.text}\n{stripped}" if last.text else stripped
                continue
            b.end_table(grid=False)
            mode = None
        elif mode in ("tsv", "pipe"):
            if mode == "pipe" and _is_pipe_row(line):
                _pipe_row(b, line, n)
                continue
            if mode == "tsv" and _is_tsv_row(line):
                _tsv_row(b, line, n)
                continue
            b.end_table(grid=True)
            mode = None
        # not inside a table
        if not stripped:
            continue
        if _is_tab_cell(line):
            mode, b.table_start = "tab", n
            b.row.append(b.cell(line, n))
            prev_was_cell = True
        elif markdown and _is_pipe_row(line):
            mode, b.table_start = "pipe", n
            _pipe_row(b, line, n)
        elif _is_tsv_row(line):
            mode, b.table_start = "tsv", n
            _tsv_row(b, line, n)
        elif _SPACED_ROW.match(stripped) and _looks_like_table_row(stripped):
            # A lone text row such as "规章 1 0 11": a one-row table.
            b.table_start = n
            _spaced_row(b, stripped, n)
            b.end_table(grid=True)
            block = b.layout.blocks[-1]
            if isinstance(block, TableBlock):
                block.line = stripped
        else:
            if markdown:
                stripped = _MD_EMPHASIS.sub("", _MD_PREFIX.sub("", stripped))
            b.para(stripped, n)
    b.end_table(grid=(mode != "tab"))
    return b.layout


def _looks_like_table_row(s: str) -> bool:
    m = _SPACED_ROW.match(s)
    if m is None:
        return False
    label = (m.group("label") or "").strip()
    values = m.group("values").split()
    # Prose ends with punctuation or is long; a table row is a short label and figures.
    if re.search(r"[。，；：、）)]$", label) or len(label) > 40:
        return False
    return len(values) >= (1 if label else 3) and not re.search(r"[。；]", label)


def _pipe_row(b: _Builder, line: str, n: int) -> None:
    if _MD_RULE.match(line.strip()):
        return
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    parts = re.split(r"(?<!\\)\|", s)
    b.row = [b.cell(_MD_EMPHASIS.sub("", p.replace("<br>", "\n").replace("<br/>", "\n")), n, i + 1)
             for i, p in enumerate(parts)]
    b.end_row()


def _tsv_row(b: _Builder, line: str, n: int) -> None:
    b.row = [b.cell(p, n, i + 1) for i, p in enumerate(line.strip(" ").split("\t"))]
    b.end_row()


def _spaced_row(b: _Builder, s: str, n: int) -> None:
    m = _SPACED_ROW.match(s)
    assert m is not None  # called only for lines _looks_like_table_row accepted
    label = (m.group("label") or "").strip()
    cells = ([label] if label else []) + m.group("values").split()
    b.row = [b.cell(p, n, i + 1) for i, p in enumerate(cells)]
    b.end_row()
