"""Lay out a Word (.docx) report into paragraphs and tables, in body order.

Merged table cells are resolved from the XML (gridSpan, vMerge) rather than
through python-docx's cell API, because the report's tables depend on them
(table 三's group labels span many rows) and the grid must stay rectangular.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any, Iterator, Optional

import docx
from docx.oxml.ns import qn

from .. import limits
from ..model import Source
from .layout import Block, Layout, ParaBlock, RawCell, ReadError, TableBlock

Element = Any  # an lxml element of the document's XML (no type information for mypy)

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_SDT_CONTENT, _CUSTOM_XML = qn("w:sdtContent"), qn("w:customXml")
_R, _T, _TAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VAL = qn("w:val")

_CORRUPT = "无法打开该 Word 文件：文件已损坏或不是 .docx 格式（旧版 .doc 请先在 Word 或 WPS 中另存为 .docx）。"


def read_docx(data: bytes) -> Layout:
    """Lay out a .docx document: body paragraphs and table grids in order."""
    if not data:
        raise ReadError("文件是空的，没有可读取的内容。", "empty")
    check_docx(data)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # zipfile, KeyError for missing parts, lxml, ValueError…
        raise ReadError(_CORRUPT, "broken_docx") from exc
    reader = _Reader()
    try:
        reader.body(body)
    except Exception as exc:  # malformed XML that python-docx loaded lazily
        raise ReadError(_CORRUPT, "broken_docx") from exc
    return Layout(blocks=reader.blocks, format="docx")


def check_docx(data: bytes) -> None:
    """The package's directory and its XML, counted while streaming, are within the limits.

    python-docx unpacks every part and builds a tree of every XML part at
    once, so the parts' sizes, paragraphs and elements are checked first
    (``assistant.limits``), and a document type declaration is refused.
    """
    try:
        package = limits.open_zip(data, "Word 文件")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ReadError(_CORRUPT, "broken_docx") from exc
    with package:
        names = [info.filename for info in package.infolist() if limits.is_xml_part(info.filename)]
        try:
            limits.scan_xml(package, names, "Word 文件")
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise ReadError(_CORRUPT, "broken_docx") from exc


def _children(el: Element) -> Iterator[Element]:
    """Block-level children, looking through content controls and custom XML
    wrappers, which Word templates put around whole paragraphs and tables."""
    for child in el:
        if child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _inside(el: Element, stop: Element, tags: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p: Element) -> str:
    """Text of a w:p in document order.

    Walks every run rather than python-docx's ``paragraph.text`` so that
    text inside tracked insertions, smart tags, fields and inline content
    controls is kept. Deleted text is stored as w:delText and so is skipped.
    Text boxes are read separately (see ``_text_boxes``) and mc:Fallback
    holds a second copy of the same drawing, so both are left out here.
    """
    out = []
    for run in p.iter(_R):
        if _inside(run, p, (_TXBX, _FALLBACK)):
            continue
        for child in run:
            tag = child.tag
            if tag == _T:
                out.append(child.text or "")
            elif tag == _TAB:
                out.append("\t")
            elif tag in (_BR, _CR):
                # A page or column break is not a line of text.
                if child.get(qn("w:type")) in (None, "textWrapping"):
                    out.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                out.append("-")
    return "".join(out)


def _text_boxes(p: Element) -> list[Element]:
    return [box for box in p.iter(_TXBX) if not _inside(box, p, (_FALLBACK,))]


def _prop(el: Element, *path: str) -> Optional[Any]:
    node = el
    for name in path:
        node = node.find(qn(name))
        if node is None:
            return None
    return node


def _int_prop(el: Element, *path: str, default: int = 0) -> int:
    node = _prop(el, *path)
    if node is None:
        return default
    try:
        return max(0, int(node.get(_VAL, default)))
    except ValueError:
        return default


def _rows(tbl: Element) -> list[Element]:
    return [row for row in _children(tbl) if row.tag == _TR]


def _cells(tr: Element) -> list[Element]:
    return [cell for cell in _children(tr) if cell.tag == _TC]


def _is_data_table(tbl: Element) -> bool:
    """A one-column table is a box around text, and a table holding a real
    grid inside its cells is page layout; neither is a table of figures."""
    rows = _rows(tbl)
    if not rows:
        return False
    width = max(
        _int_prop(tr, "w:trPr", "w:gridBefore")
        + sum(max(1, _int_prop(tc, "w:tcPr", "w:gridSpan", default=1)) for tc in _cells(tr))
        for tr in rows
    )
    if width < 2:
        return False
    for inner in tbl.iter(_TBL):
        if inner is tbl:
            continue
        inner_rows = _rows(inner)
        if len(inner_rows) >= 2 and max(len(_cells(tr)) for tr in inner_rows) >= 2:
            return False
    return True


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._paragraphs = 0  # paragraphs outside table grids, empty ones included
        self._tables = 0

    def body(self, el: Element) -> None:
        for child in _children(el):
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                if _is_data_table(child):
                    self._table(child)
                else:
                    # Layout table: its cells are read as running text, and
                    # any real table inside them as a table.
                    for tr in _rows(child):
                        for tc in _cells(tr):
                            self.body(tc)

    def _paragraph(self, p: Element) -> None:
        self._paragraphs += 1
        line = self._paragraphs
        text = _paragraph_text(p).strip()
        if text:
            self.blocks.append(ParaBlock(text=text, source=Source(line=line)))
        for box in _text_boxes(p):
            self.body(box)

    def _table(self, tbl: Element) -> None:
        self._tables += 1
        number = self._tables
        rows = _rows(tbl)
        grid: list[list[Optional[RawCell]]] = []
        # The merged cell each grid position belongs to, as (row, col) of its
        # first position, so a vMerge continuation can find what it continues.
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r, tr in enumerate(rows):
            row: list[Optional[RawCell]] = [None] * _int_prop(tr, "w:trPr", "w:gridBefore")
            for tc in _cells(tr):
                c = len(row)
                span = max(1, _int_prop(tc, "w:tcPr", "w:gridSpan", default=1))
                vmerge = _prop(tc, "w:tcPr", "w:vMerge")
                above = origin.get((r - 1, c)) if r > 0 else None
                if vmerge is not None and vmerge.get(_VAL, "continue") == "continue" and above:
                    first = grid[above[0]][above[1]]
                    assert first is not None  # the cell this one continues was read on the row above
                    text, start, spanned_first = first.text, above, True
                else:
                    text, start, spanned_first = _cell_text(tc), (r, c), False
                for k in range(span):
                    origin[(r, c + k)] = start
                    row.append(
                        RawCell(
                            text=text,
                            source=Source(table=number, row=r + 1, col=c + k + 1),
                            spanned=spanned_first or k > 0,
                        )
                    )
            grid.append(row)
        width = max((len(row) for row in grid), default=0)
        out_rows = []
        for r, row in enumerate(grid):
            # gridBefore / gridAfter and short rows leave positions no cell
            # covers; they are blank, not copies of a neighbour.
            row = row + [None] * (width - len(row))
            out_rows.append(
                [
                    cell or RawCell(text="", source=Source(table=number, row=r + 1, col=c + 1))
                    for c, cell in enumerate(row)
                ]
            )
        self.blocks.append(TableBlock(rows=out_rows, source=Source(table=number)))


def _cell_text(tc: Element) -> str:
    lines = []

    def collect(el: Element) -> None:
        for child in _children(el):
            if child.tag == _P:
                lines.append(_paragraph_text(child).strip())
                for box in _text_boxes(child):
                    collect(box)
            elif child.tag == _TBL:
                # A table inside a cell is rare in reports; its text, one
                # inner cell per line, is the most faithful flat reading.
                for tr in _rows(child):
                    for inner in _cells(tr):
                        collect(inner)

    collect(tc)
    return "\n".join(line for line in lines if line)
