"""Lay out an HTML page (as published on government sites) into paragraphs and tables.

Only layout happens here: which paragraph is a heading and which table row is
which official label is decided later, once for every format, by ``assemble``.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, Optional

import lxml.etree
import lxml.html

from .. import limits
from ..model import Source
from .encoding import wide_unicode
from .layout import Block, Layout, ParaBlock, RawCell, ReadError, TableBlock

# Elements that start and end a line of text in a browser.
_BLOCK_TAGS = frozenset(
    """
    p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer main
    aside blockquote pre address figure figcaption form fieldset legend hr center
    table caption thead tbody tfoot tr td th details summary body html
    """.split()
)

# Never text of the report: code, styling, controls and site navigation.
_SKIP_TAGS = frozenset(
    """
    head script style noscript template iframe object embed svg canvas select
    option textarea button nav map audio video
    """.split()
)

_CELL_TAGS = ("td", "th")

# A marker for a hard line break while text is being collected. Raw source
# newlines are ordinary whitespace in HTML, so they must not be confused with it.
_BREAK = object()
# Events of the tree walks: entering an element, leaving it, and its tail text.
_ENTER, _EXIT, _TAIL = object(), object(), object()
Element = Any  # an lxml element (lxml has no type information for mypy)

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# A line break in the source between two CJK characters is not a space: Chinese
# has no word spaces, and editors wrap long lines anywhere.
_CJK_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n[ \t\r\n]*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")  # str patterns: includes \u00a0 and \u3000
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
# Government pages that say gb2312 or gbk often contain characters only
# GB18030 has; it is a strict superset, so decoding with it loses nothing.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "csgb2312", "euc-cn"}


def read_html(data: bytes) -> Layout:
    """Lay out an HTML document: paragraphs and table grids in document order."""
    if not data or not data.strip():
        raise ReadError("文件是空的，没有可读取的内容。", "empty")
    text, problems = _decode(data)
    limits.check_text(text)
    try:
        # huge_tree lifts libxml2's nesting limit from 256 to 2048: messy CMS
        # pages with unclosed inline tags exceed 256, and past the limit the
        # rest of the page is silently dropped.
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, huge_tree=True)
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise ReadError("无法解析该网页文件，内容可能已损坏或不是 HTML。", "broken_html") from exc
    if root is None:
        raise ReadError("无法解析该网页文件，内容可能已损坏或不是 HTML。", "broken_html")
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        # What follows the limit is lost; a partial report would be checked
        # as if its tables were missing.
        raise ReadError("网页结构嵌套层级过深，无法完整读取，请另存为 Word 或 PDF 后再试。", "broken_html")
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return Layout(blocks=walker.blocks, format="html", problems=problems)


def _decode(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    wide = wide_unicode(data)  # UTF-16 / UTF-32, also without a byte order mark
    if wide is not None:
        text = data.decode(wide, errors="replace")
        return text.removeprefix("\ufeff"), []
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), []

    candidates = []
    declared = _declared_charset(data)
    if declared:
        candidates.append(declared)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            continue
    # Mixed or broken bytes: keep what can be read rather than refuse the page,
    # but tell the user some characters may be wrong.
    problem = ("encoding", "网页编码无法确定，部分文字可能显示为乱码，请核对原文。")
    return data.decode(declared or "gb18030", errors="replace"), [problem]


def _declared_charset(data: bytes) -> Optional[str]:
    match = _META_CHARSET.search(data[:8192])
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _clean(raw: str) -> str:
    text = _INVISIBLE.sub("", raw)
    text = _CJK_SEGMENT_BREAK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _tag(el: Element) -> Optional[str]:
    # Comments and processing instructions have a callable tag; they carry no
    # text of their own but their tail is real content.
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


def _line(el: Element, fallback: Optional[int] = None) -> Optional[int]:
    line: Optional[int] = el.sourceline
    return line if line is not None else fallback


def _span(el: Element, name: str) -> int:
    try:
        value = int(str(el.get(name, "1")).strip() or "1")
    except ValueError:
        return 1
    # 0 means "to the end of the group" for rowspan; the caller clips it.
    return max(0, min(value, 1000))


def _rows_of(table: Element) -> list[Element]:
    """The table's own rows, skipping rows of tables nested inside its cells."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if _tag(tr) == "tr")
    return rows


def _cells_of(tr: Element) -> list[Element]:
    return [c for c in tr if _tag(c) in _CELL_TAGS]


def _is_data_table(table: Element) -> bool:
    """Whether a <table> holds a grid of data rather than page layout.

    Older government sites wrap the whole article in a layout table; the
    report's real tables then sit inside its cells. Treating the outer table
    as a grid would bury them as text, so a table that contains a real grid
    (2+ rows, 2+ columns) is read as flowing content. A one-column table is
    a box around text (a preamble, a note), not a table of figures.
    """
    rows = _rows_of(table)
    if not rows:
        return False
    width = max((sum(max(1, _span(c, "colspan")) for c in _cells_of(tr)) for tr in rows), default=0)
    if width < 2:
        return False
    for inner in table.iter("table"):
        if inner is table:
            continue
        inner_rows = _rows_of(inner)
        if len(inner_rows) >= 2 and max(len(_cells_of(tr)) for tr in inner_rows) >= 2:
            return False
    return True


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._buffer_line: Optional[int] = None
        self._tables = 0

    # -- paragraphs -------------------------------------------------------
    def _add(self, text: Optional[str], line: Optional[int]) -> None:
        if not text:
            return
        if self._buffer_line is None and text.strip():
            self._buffer_line = line
        self._buffer.append(text)

    def flush(self) -> None:
        if self._buffer:
            text = _clean("".join(self._buffer))
            if text:
                self.blocks.append(ParaBlock(text=text, source=Source(line=self._buffer_line)))
        self._buffer = []
        self._buffer_line = None

    def walk(self, root: Element, line: Optional[int] = None) -> None:
        # An explicit stack rather than recursion: pages with hundreds of
        # unclosed <font> or <span> tags nest that deep, past Python's limit.
        stack: list[tuple[object, Element, Optional[int]]] = [(_ENTER, root, line)]
        while stack:
            event, el, line = stack.pop()
            if event is _TAIL:
                self._add(el.tail, _line(el, line))
                continue
            if event is _EXIT:
                self.flush()
                continue
            tag = _tag(el)
            line = _line(el, line)
            if tag is None or tag in _SKIP_TAGS:
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and _is_data_table(el):
                self.flush()
                self._table(el, line)
                continue
            if tag in _BLOCK_TAGS:
                self.flush()
                stack.append((_EXIT, el, line))
            self._add(el.text, line)
            for child in reversed(el):
                stack.append((_TAIL, child, line))
                stack.append((_ENTER, child, line))

    # -- tables -----------------------------------------------------------
    def _table(self, table: Element, line: Optional[int]) -> None:
        for child in table:
            if _tag(child) == "caption":
                self.walk(child, line)
        self._tables += 1
        number = self._tables
        grid: dict[tuple[int, int], RawCell] = {}
        rows = _rows_of(table)
        n_rows = len(rows)
        for r, tr in enumerate(rows):
            c = 0
            for td in _cells_of(tr):
                while (r, c) in grid:
                    c += 1
                rowspan = _span(td, "rowspan")
                colspan = max(1, _span(td, "colspan"))
                # rowspan="0" and spans past the last row both stop at the
                # table's end, as browsers do.
                last_row = n_rows if rowspan == 0 else min(n_rows, r + rowspan)
                text = _cell_text(td)
                cell_line = _line(td, _line(tr, line))
                for rr in range(r, max(last_row, r + 1)):
                    for cc in range(c, c + colspan):
                        if (rr, cc) in grid:
                            continue  # overlapping spans: the earlier cell wins
                        grid[(rr, cc)] = RawCell(
                            text=text,
                            source=Source(table=number, row=rr + 1, col=cc + 1, line=cell_line),
                            spanned=(rr, cc) != (r, c),
                        )
                c += colspan
        width = max((cc for _, cc in grid), default=-1) + 1
        out_rows = []
        for r in range(n_rows):
            if not any((r, cc) in grid for cc in range(width)):
                continue  # a <tr> with no cells at all, as Word's HTML export leaves
            row = []
            for cc in range(width):
                cell = grid.get((r, cc))
                if cell is None:
                    # A short row: the cell was never written, so it is blank.
                    cell = RawCell(text="", source=Source(table=number, row=r + 1, col=cc + 1, line=line))
                row.append(cell)
            out_rows.append(row)
        self.blocks.append(TableBlock(rows=out_rows, source=Source(table=number, line=line)))


def _cell_text(td: Element) -> str:
    """A cell's text with <br> and block boundaries as line breaks."""
    parts: list[object] = []  # texts and _BREAK
    if td.text:
        parts.append(td.text)
    stack: list[tuple[object, Element]] = []
    for child in reversed(td):
        stack += [(_TAIL, child), (_ENTER, child)]
    while stack:
        event, el = stack.pop()
        if event is _TAIL:
            if el.tail:
                parts.append(el.tail)
            continue
        if event is _EXIT:
            parts.append(_BREAK)
            continue
        tag = _tag(el)
        if tag is None or tag in _SKIP_TAGS:
            continue
        if tag == "br":
            parts.append(_BREAK)
            continue
        if tag in _BLOCK_TAGS:
            # <p>, <div> and the cells of a table nested in this cell each
            # give a line of their own.
            parts.append(_BREAK)
            stack.append((_EXIT, el))
        if el.text:
            parts.append(el.text)
        for child in reversed(el):
            stack += [(_TAIL, child), (_ENTER, child)]

    lines: list[str] = []
    current: list[str] = []
    for part in parts + [_BREAK]:
        if part is _BREAK:
            text = _clean("".join(current))
            if text:
                lines.append(text)
            current = []
        elif isinstance(part, str):  # every part but _BREAK is text
            current.append(part)
    return "\n".join(lines)
