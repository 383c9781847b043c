"""Lay out a text PDF into paragraphs and tables, in reading order.

A PDF has no paragraphs, only positioned lines, so paragraphs are rebuilt
from geometry: a line starts a new paragraph when it is indented, opens with
a heading number, or follows a line that stopped short of the right margin.
Tables come from pdfplumber's ruled-line detection; merged cells are
resolved from the cells' rectangles.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median
from typing import Any, Optional, Union

import pdfplumber

from .. import limits
from ..model import Source
from .layout import Block, Layout, ParaBlock, RawCell, ReadError, TableBlock

# pdfminer logs a warning for every damaged stream it skips; with no logging
# configured these would go straight to the user's terminal, hundreds per
# broken file. Applications that configure logging still receive them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

_NOT_PDF = "该文件不是有效的 PDF 文件，可能已损坏，无法读取。"
_BROKEN = "PDF 文件已损坏或不完整，无法读取，请重新下载或导出后再试。"
_ENCRYPTED = "PDF 文件已加密，需要密码才能打开，请提供未加密的文件。"
_NO_TEXT = "PDF 中没有可提取的文字，可能是扫描件，请提供文字版 PDF 或 Word 文件。"

# A line opening with a section or item number starts a paragraph even when
# it is not indented: "一、总体情况", "（二）依申请公开情况。", "1.属于…".
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+、"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|\d{1,2}[.．、](?!\d)"
    r"|第[一二三四五六七八九十百]+[章节部分])"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9.,;:!?)%]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(]")


@dataclass
class _Line:
    text: str
    page: int
    number: int  # 1-based among the page's lines outside tables
    x0: float
    x1: float
    top: float
    size: float


@dataclass
class _Table:
    page: int
    top: float
    rows: list[list[tuple[str, bool]]]  # (text, spanned)


_Item = Union[_Line, _Table]  # what a page holds, in reading order


def read_pdf(data: bytes) -> Layout:
    """Lay out a PDF: paragraphs rebuilt from lines, tables as grids, page by page."""
    if not data:
        raise ReadError("文件是空的，没有可读取的内容。", "empty")
    if b"%PDF-" not in data[:1024]:
        raise ReadError(_NOT_PDF, "broken_pdf")
    items: list[_Item] = []
    problems: list[tuple[str, str]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_page_count(pdf)
            if not pdf.pages:
                raise ReadError(_BROKEN, "broken_pdf")
            _read_embedded_cmaps(pdf)
            image_only = []  # pages that are pictures, e.g. a scanned signature page
            drawn = 0  # bytes of text the pages draw, counted before each page is laid out
            for number, page in enumerate(pdf.pages, start=1):
                drawn += _check_content(page, number)
                limits.check_pdf_text(drawn)
                page_items, has_text = _read_page(page, number)
                items.extend(page_items)
                if not has_text and page.images:
                    image_only.append(number)
            any_text = any(isinstance(item, (_Line, _Table)) for item in items)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for broken input
        if _is_password_error(exc):
            raise ReadError(_ENCRYPTED, "encrypted_pdf") from exc
        raise ReadError(_BROKEN, "broken_pdf") from exc
    if not any_text:
        raise ReadError(_NO_TEXT, "scanned_pdf")
    if image_only:
        pages = "、".join(str(n) for n in image_only)
        problems.append(
            ("pdf_image_pages", f"第 {pages} 页没有可提取的文字（可能是扫描图片），这些页的内容未能读取。")
        )
    if any("(cid:" in item.text for item in items if isinstance(item, _Line)):
        problems.append(
            ("pdf_cid", "PDF 中部分文字的字体无法解码，显示为“(cid:…)”，相关内容可能无法识别。")
        )
    return Layout(blocks=_blocks(items), format="pdf", problems=problems)


def _check_page_count(pdf: Any) -> None:
    """The page count, from the page tree, counted no further than one past the limit (assistant.limits)."""
    from pdfminer.pdfpage import PDFPage

    cap = limits.current().pdf_pages
    count = 0
    for _ in PDFPage.create_pages(pdf.doc):
        count += 1
        if count > cap:
            break
    limits.check_pdf_pages(count, counted_all=count <= cap)


_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>")


def _check_content(page: Any, number: int) -> int:
    """Bytes of text a page's content draws, once its streams are known to unpack within the part limit.

    The streams are unpacked in steps first (pdfminer would unpack them whole),
    then the strings they show are measured: laying text out is what costs,
    about a kilobyte and 0.1 ms per glyph.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    drawn = 0
    for ref in getattr(page.page_obj, "contents", None) or []:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        if stream.rawdata is not None:
            filters = [str(getattr(name, "name", name)) for name, _params in stream.get_filters()]
            if filters and filters[0] in ("FlateDecode", "Fl"):
                limits.check_inflated(stream.rawdata, f"PDF 第 {number} 页的内容")
        try:
            data = stream.get_data()  # kept by pdfminer for the layout that follows
        except Exception:  # noqa: BLE001 - a broken stream is the reader's to report
            continue
        for m in _STRING.finditer(data):
            text = m.group()
            drawn += len(text) - 2 if text[:1] == b"(" else len(re.sub(rb"\s", b"", text[1:-1])) // 2
    return drawn


_CIDCHAR = re.compile(r"begincidchar(.*?)endcidchar", re.S)
_CIDRANGE = re.compile(r"begincidrange(.*?)endcidrange", re.S)
_CHAR_PAIR = re.compile(r"<([0-9A-Fa-f]{2,8})>\s*(\d+)")
_RANGE_TRIPLE = re.compile(r"<([0-9A-Fa-f]{2,8})>\s*<([0-9A-Fa-f]{2,8})>\s*(\d+)")
_MAX_CODES = 1 << 17  # codes one embedded CMap may map (a 2-byte code space has 65,536)


def _read_embedded_cmaps(pdf: Any) -> None:
    """Read the CMaps embedded in the PDF, which pdfminer leaves out.

    pdfminer knows only the predefined CMaps (Identity-H, UniGB-UCS2-H …): a
    composite font whose encoding is a CMap stream inside the file — as fpdf2
    writes CJK fonts — decodes to nothing, and a page of text looks like a
    scan. For such fonts the CMap's ``cidchar``/``cidrange`` entries are read
    here and put on pdfminer's (cached) font, with its ToUnicode map, which
    such files key by character code, re-keyed by CID.
    """
    from pdfminer.cmapdb import CMap, FileCMap, UnicodeMap
    from pdfminer.pdffont import PDFCIDFont
    from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

    seen: set[int] = set()
    for page in pdf.pages:
        resources = resolve1(page.page_obj.resources) or {}
        fonts = resolve1(resources.get("Font")) if isinstance(resources, dict) else None
        for ref in (fonts.values() if isinstance(fonts, dict) else []):
            if not isinstance(ref, PDFObjRef) or ref.objid in seen:
                continue
            seen.add(ref.objid)
            spec = resolve1(ref)
            encoding = resolve1(spec.get("Encoding")) if isinstance(spec, dict) else None
            if not isinstance(encoding, PDFStream):
                continue
            font = pdf.rsrcmgr.get_font(ref.objid, spec)
            if not isinstance(font, PDFCIDFont) or type(font.cmap) is not CMap or font.cmap.code2cid:
                continue  # a CMap pdfminer knows
            codes = _cmap_codes(encoding.get_data().decode("latin-1"))
            if not codes:
                continue
            cmap = FileCMap(CMapName=str(encoding.get("CMapName", "embedded")))
            texts: dict[int, str] = {}
            by_code = font.unicode_map
            for code, cid in codes:
                cmap.add_code2cid(code.decode("latin-1"), cid)
                if by_code is not None:
                    try:
                        texts[cid] = by_code.get_unichr(int.from_bytes(code, "big"))
                    except KeyError:
                        pass
            font.cmap = cmap
            if texts:
                font.unicode_map = UnicodeMap()
                font.unicode_map.cid2unichr.update(texts)


def _cmap_codes(text: str) -> list[tuple[bytes, int]]:
    """(code, CID) pairs of a CMap's cidchar and cidrange entries, at most ``_MAX_CODES``."""
    out: list[tuple[bytes, int]] = []
    for block in _CIDCHAR.findall(text):
        for code, cid in _CHAR_PAIR.findall(block):
            out.append((bytes.fromhex(code.zfill(len(code) + len(code) % 2)), int(cid)))
    for block in _CIDRANGE.findall(text):
        for low, high, cid in _RANGE_TRIPLE.findall(block):
            size = (len(low) + 1) // 2
            start, end, first = int(low, 16), int(high, 16), int(cid)
            if end < start or end - start + len(out) > _MAX_CODES:
                return out
            out.extend(((start + k).to_bytes(size, "big"), first + k) for k in range(end - start + 1))
    return out[:_MAX_CODES]


def _is_password_error(exc: BaseException) -> bool:
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        if "Password" in name or "Encrypt" in name:
            return True
        stack.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        if current.__cause__ is not None:
            stack.append(current.__cause__)
    return False


def _read_page(page: Any, number: int) -> tuple[list[_Item], bool]:
    has_text = any(ch["text"].strip() for ch in page.chars)
    if not has_text:
        return [], False
    tables = []
    boxes = []
    for found in page.find_tables():
        # pdfplumber also finds boxed text (a framed preamble) as a table of
        # one column; that is running text and is read as lines below.
        if not any(sum(1 for cell in row.cells if cell is not None) >= 2 for row in found.rows):
            continue
        tables.append(_Table(page=number, top=found.bbox[1], rows=_grid(found)))
        boxes.append(found.bbox)

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside_tables) if boxes else page
    lines: list[_Line] = []
    height = float(page.height)
    for raw in text_page.extract_text_lines(return_chars=True):
        text = raw["text"].strip()
        if not text:
            continue
        # Page numbers sit in the top or bottom margin ("- 3 -", "第3页").
        in_margin = raw["top"] > 0.88 * height or raw["bottom"] < 0.08 * height
        if in_margin and _PAGE_NUMBER.match(text):
            continue
        sizes = [ch.get("size", 0) for ch in raw["chars"] if ch["text"].strip()]
        lines.append(
            _Line(
                text=text,
                page=number,
                number=len(lines) + 1,
                x0=raw["x0"],
                x1=raw["x1"],
                top=raw["top"],
                size=median(sizes) if sizes else 0.0,
            )
        )
    page_items: list[_Item] = [*lines, *tables]
    # Lines inside table boxes were filtered out, so ordering by top edge
    # places each table between the paragraphs above and below it.
    page_items.sort(key=lambda item: item.top)
    return page_items, True


def _grid(table: Any) -> list[list[tuple[str, bool]]]:
    """The table as a rectangle of (text, spanned).

    pdfplumber gives None where no cell starts at a grid position, i.e. inside
    a merged cell. Which cell covers the position is read from the cells'
    rectangles: taking the left neighbour, as a first guess would, is wrong
    under a cell merged vertically next to one merged horizontally (the
    header of table 三: 自然人 spans two rows beside the wide top-left cell).
    """
    texts = table.extract()
    rows = table.rows
    xs = sorted({cell[0] for cell in table.cells})
    text_of = {}
    for row, row_texts in zip(rows, texts):
        for bbox, text in zip(row.cells, row_texts):
            if bbox is not None:
                text_of[bbox] = (text or "").strip()
    eps = 0.5
    grid: list[list[tuple[str, bool]]] = []
    for r, (row, row_texts) in enumerate(zip(rows, texts)):
        top = row.bbox[1]
        out: list[tuple[str, bool]] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append((text_of[bbox], False))
                continue
            x = xs[c] if c < len(xs) else row.bbox[0]
            cover = next(
                (
                    cell
                    for cell in table.cells
                    if cell[0] - eps <= x < cell[2] - eps and cell[1] - eps <= top < cell[3] - eps
                ),
                None,
            )
            if cover is not None:
                out.append((text_of.get(cover, ""), True))
            elif out:
                out.append((out[-1][0], True))
            elif grid and c < len(grid[-1]):
                out.append((grid[-1][c][0], True))
            else:
                out.append(("", True))
        grid.append(out)
    return grid


def _mode(values: list[float], prefer_high: bool = False) -> Optional[float]:
    if not values:
        return None
    counts = Counter(round(v) for v in values)
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0] if prefer_high else -kv[0]))
    return float(best[0])


def _blocks(items: list[_Item]) -> list[Block]:
    """Join lines into paragraphs and number the tables, in reading order."""
    lines = [item for item in items if isinstance(item, _Line)]
    # Margins of the body text, measured over the whole document: a page with
    # only a heading and one line can't tell its own margins.
    left = _mode([ln.x0 for ln in lines]) or 0.0
    widest = max((ln.x1 for ln in lines), default=0.0)
    right = _mode([ln.x1 for ln in lines if ln.x1 - left > 0.5 * (widest - left)], prefer_high=True)
    right = right if right is not None else widest
    sizes = [ln.size for ln in lines if ln.size > 0]
    char = median(sizes) if sizes else 12.0

    blocks: list[Block] = []
    current: list[_Line] = []
    tables = 0

    def flush() -> None:
        if current:
            text = current[0].text
            for ln in current[1:]:
                text = _join(text, ln.text)
            first = current[0]
            blocks.append(ParaBlock(text=text, source=Source(page=first.page, line=first.number)))
            current.clear()

    for item in items:
        if isinstance(item, _Table):
            flush()
            tables += 1
            rows = [
                [
                    RawCell(
                        text=text,
                        source=Source(page=item.page, table=tables, row=r + 1, col=c + 1),
                        spanned=spanned,
                    )
                    for c, (text, spanned) in enumerate(row)
                ]
                for r, row in enumerate(item.rows)
            ]
            blocks.append(TableBlock(rows=rows, source=Source(page=item.page, table=tables)))
            continue
        if current:
            previous = current[-1]
            indented = item.x0 - left >= 1.2 * char
            heading = bool(_HEADING.match(item.text))
            stopped_short = previous.x1 < right - 2 * char
            if indented or heading or stopped_short:
                flush()
        # A paragraph running over a page break continues on the next page:
        # the page number line between them was dropped, and nothing else
        # (a table) resets ``current``.
        current.append(item)
    flush()
    return blocks


def _join(text: str, following: str) -> str:
    # Chinese wraps anywhere with no space ("答" / "复 3050 件" is "答复 3050 件");
    # only a break between two Latin-script words stood for a space. Numbers
    # are not split over lines in Chinese typesetting, so digits count as words.
    if _ASCII_WORD_END.search(text) and _ASCII_WORD_START.search(following):
        return f"{text} {following}"
    return text + following
