"""DOCX in the official layout, with real merged cells, via python-docx.

The file is what a drafter publishes, so it has to look like the template:
A4 portrait, 宋体 body text with a two-character first-line indent, and the
tables with the template's merged header and label cells. The output is
byte-for-byte reproducible so that generated reference files stay stable.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..model import Report
from .layout import Grid, Heading, Para, TableBlock, Title, blocks, title_lines

FONT_BODY = "宋体"
FONT_HEADING = "黑体"
FONT_LATIN = "Times New Roman"
BODY_PT = 12  # 小四
TITLE_PT = 18  # 小二

# Column widths in cm. Text width is 210 - 2 × 22 mm = 16.6 cm.
TABLE3_LABEL_WIDTHS = (0.9, 1.2, 5.3)
TABLE3_VALUE_WIDTH = 1.3
TABLE4_VALUE_WIDTH = 1.1
TABLE2_LABEL_WIDTH = 4.6
TABLE2_TOTAL_WIDTH = 16.5

# Tables 三 and 四 have 10 and 15 columns; a smaller size keeps the labels
# on two or three lines instead of one character per line.
TABLE_PT = {"table2": 10.5, "table3": 9, "table4": 9}

# Table 三 fits on one page but not on what is left of the page before it,
# and table 四 rarely fits under table 三. Starting both sections on a new
# page keeps merged labels and the short table 四 in one piece (LibreOffice
# ignores keep-with-next inside tables, so it would split them).
PAGE_BREAK_BEFORE = {"三", "四"}

# Minimum row heights in cm, so that rows of figures are not cramped.
BASE_ROW_CM = {"table2": 0.55, "table3": 0.5, "table4": 0.6}

# Vertical label text: the height one character takes, and the cell padding.
VERTICAL_CHAR_CM = 0.36
VERTICAL_PAD_CM = 0.3

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_TEXT_DIRECTION_SUCCESSORS = (
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)


def _set_rfonts(rpr, east_asia: str, latin: str = FONT_LATIN) -> None:
    """Explicit fonts; theme fonts would otherwise win over them in Word."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _setup_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_rfonts(rpr, FONT_BODY)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_rfonts(normal.element.get_or_add_rPr(), FONT_BODY)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.5

    title = doc.styles["Title"]
    title.font.size = Pt(TITLE_PT)
    title.font.bold = True
    title.font.color.rgb = RGBColor(0, 0, 0)
    _set_rfonts(title.element.get_or_add_rPr(), FONT_BODY)
    tppr = title.element.get_or_add_pPr()
    border = tppr.find(qn("w:pBdr"))
    if border is not None:
        tppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(0)
    title.paragraph_format.line_spacing = 1.3

    heading = doc.styles["Heading 1"]
    heading.font.size = Pt(14)
    heading.font.bold = False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    _set_rfonts(heading.element.get_or_add_rPr(), FONT_HEADING)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(25)
    section.bottom_margin = Mm(25)
    section.left_margin = Mm(22)
    section.right_margin = Mm(22)
    # A page number in the footer, as published reports carry.
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)


def _widths(grid: Grid) -> list[float]:
    if grid.name == "table3":
        return list(TABLE3_LABEL_WIDTHS) + [TABLE3_VALUE_WIDTH] * (grid.n_cols - len(TABLE3_LABEL_WIDTHS))
    if grid.name == "table4":
        return [TABLE4_VALUE_WIDTH] * grid.n_cols
    rest = (TABLE2_TOTAL_WIDTH - TABLE2_LABEL_WIDTH) / max(grid.n_cols - 1, 1)
    return [TABLE2_LABEL_WIDTH] + [rest] * (grid.n_cols - 1)


def _row_props(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    # A row torn across two pages is hard to read against its label.
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        # Header rows repeat at the top of each page the table runs onto.
        trpr.append(OxmlElement("w:tblHeader"))


def _set_vertical(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    direction = OxmlElement("w:textDirection")
    # tbRlV stacks CJK characters upright, top to bottom, as in the template.
    direction.set(qn("w:val"), "tbRlV")
    tcpr.insert_element_before(direction, *_TEXT_DIRECTION_SUCCESSORS)


def _fit_row_heights(table, grid: Grid) -> None:
    """A minimum height for every row, and enough under a vertical label for its characters.

    A label over few short rows (（四）无法提供 over three) would otherwise be
    squeezed into a second column and clipped.
    """
    base = BASE_ROW_CM.get(grid.name, 0.0)
    minimum: dict[int, float] = {r: base for r in range(grid.n_rows)} if base else {}
    for gc in grid.cells:
        if gc.vertical:
            per_row = (len(gc.text) * VERTICAL_CHAR_CM + VERTICAL_PAD_CM) / gc.rowspan
            for r in range(gc.row, gc.row + gc.rowspan):
                minimum[r] = max(minimum.get(r, 0.0), per_row)
    for r, height in minimum.items():
        row = table.rows[r]
        row.height = Cm(round(height, 2))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _add_grid(doc, grid: Grid) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in _widths(grid)]
    for c, width in enumerate(widths):
        table.columns[c].width = width
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
    for r, row in enumerate(table.rows):
        _row_props(row, header=grid.name == "table3" and r < grid.header_rows)

    _fit_row_heights(table, grid)

    size = Pt(TABLE_PT.get(grid.name, BODY_PT))
    # table.cell() rescans the whole table on every call; take the cells once,
    # before merging. Merged areas never overlap, so a cell still to be merged
    # keeps its own element while its neighbours are merged.
    flat = table._cells
    at = lambda r, c: flat[r * grid.n_cols + c]  # noqa: E731
    for gc in grid.cells:
        cell = at(gc.row, gc.col)
        if gc.rowspan > 1 or gc.colspan > 1:
            cell = cell.merge(at(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
        if gc.vertical:
            _set_vertical(cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        para.paragraph_format.first_line_indent = None
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if gc.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        if gc.row + gc.rowspan < grid.n_rows:
            # Word keeps a table on one page when every row but the last keeps
            # with the next (LibreOffice relies on the page break instead).
            para.paragraph_format.keep_with_next = True
        if gc.text:
            run = para.add_run(gc.text)
            run.font.size = size
            if gc.kind in ("caption",):
                run.bold = True


def _core_properties(doc, report: Report) -> None:
    # Fixed dates make the file reproducible; they say when the year's
    # report is due rather than when the file happened to be written.
    year = (report.year + 1) if report.year else 2000
    stamp = datetime(year, 1, 1, 0, 0, 0)
    props = doc.core_properties
    props.title = "".join(title_lines(report))
    props.author = report.agency or ""
    props.last_modified_by = ""
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps (zip stores mtimes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def to_docx(report: Report) -> bytes:
    doc = Document()
    _setup_styles(doc)
    _page_setup(doc)
    _core_properties(doc, report)
    for block in blocks(report):
        if isinstance(block, Title):
            for line in block.lines:
                doc.add_paragraph(line, style="Title")
            doc.add_paragraph()
        elif isinstance(block, Heading):
            heading = doc.add_paragraph(block.text, style="Heading 1")
            if block.key in PAGE_BREAK_BEFORE:
                heading.paragraph_format.page_break_before = True
        elif isinstance(block, Para):
            p = doc.add_paragraph(block.text)
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif isinstance(block, TableBlock):
            _add_grid(doc, block.grid)
            # Word joins adjacent tables into one; a paragraph keeps them apart.
            doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible_zip(buf.getvalue())
