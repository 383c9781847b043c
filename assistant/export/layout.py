"""The official printed layout of a report, shared by every output format.

Each exporter walks the same sequence of blocks (title, headings, paragraphs,
tables) and draws the same table grids; only the drawing differs. The grids
are built from the edition declaration, so a new edition needs no code here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

from ..model import Cell, CellState, Edition, Report, get_edition
from ..model.figures import fmt

TITLE_SUFFIX = "年政府信息公开工作年度报告"

# Table 三 keeps three label columns: the merged 三、本年度办理结果 column,
# the group column and the row label column.
TABLE3_LABEL_COLUMNS = 3


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    # "header" (printed header), "caption" (a table-二 block caption),
    # "label" (a row label), "group" (a merged group label), "value".
    kind: str = "value"
    vertical: bool = False  # drawn top to bottom in the printed template


@dataclass
class Grid:
    """A table as a rectangle of positions, some covered by merged cells."""

    name: str  # "table2", "table3", "table4"
    n_rows: int
    n_cols: int
    header_rows: int
    cells: list[GridCell] = field(default_factory=list)
    caption: Optional[str] = None  # for table 二 blocks

    def __post_init__(self) -> None:
        self._index: dict[tuple[int, int], GridCell] = {}

    def add(self, cell: GridCell) -> None:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if (r, c) in self._index:
                    raise ValueError(f"grid {self.name}: position {(r, c)} covered twice")
                self._index[(r, c)] = cell
        self.cells.append(cell)

    def covering(self, row: int, col: int) -> Optional[GridCell]:
        return self._index.get((row, col))

    def origins(self, row: int) -> list[GridCell]:
        """Cells that start in this row, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def flat_row(self, row: int) -> list[tuple[str, Optional[GridCell]]]:
        """The row as a word processor flattens it to text.

        A cell merged across columns appears once; a position covered by a
        cell merged from a row above appears as one empty cell (Word keeps a
        continuation cell there). Returns (text, cell starting here or None).
        """
        out: list[tuple[str, Optional[GridCell]]] = []
        col = 0
        while col < self.n_cols:
            cell = self.covering(row, col)
            if cell is None:
                out.append(("", None))
                col += 1
                continue
            if cell.row == row:
                out.append((cell.text, cell))
            else:
                out.append(("", None))
            col = cell.col + cell.colspan
        return out

    def expanded(self) -> list[list[str]]:
        """Every position, with a merged cell's text at its origin only."""
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.text
        return rows


_STATE_TEXT = {CellState.slash: "/", CellState.dash: "—"}


def cell_text(cell: Optional[Cell]) -> str:
    """What to print for a cell: what was written, if we know it."""
    if cell is None or cell.state is CellState.missing:
        return ""
    if cell.raw:
        return cell.raw
    if cell.state is CellState.number and cell.value is not None:
        return fmt(cell.value) + (cell.unit or "")
    return _STATE_TEXT.get(cell.state, "")


# ---------------------------------------------------------------- grids


def table2_grids(report: Report, edition: Edition) -> list[Grid]:
    grids = []
    for block in edition.table2:
        n_cols = 1 + len(block.columns)
        grid = Grid("table2", 2 + len(block.rows), n_cols, header_rows=2, caption=block.caption)
        grid.add(GridCell(block.caption, 0, 0, colspan=n_cols, kind="caption"))
        grid.add(GridCell(edition.headers.table2_label, 1, 0, kind="header"))
        for j, col in enumerate(block.columns):
            grid.add(GridCell(col, 1, 1 + j, kind="header"))
        rows = report.table2.get(block.caption, {})
        for i, label in enumerate(block.rows):
            r = 2 + i
            grid.add(GridCell(label, r, 0, kind="label"))
            cells = rows.get(label, {})
            for j, col in enumerate(block.columns):
                grid.add(GridCell(cell_text(cells.get(col)), r, 1 + j))
        grids.append(grid)
    return grids


def result_block(edition: Edition) -> tuple[int, int]:
    """First and last row index of the rows under 三、本年度办理结果.

    They run from the first result row through the （七）总计 row, which sits
    inside the merged cell although it is not itself a result.
    """
    rows = edition.table3.rows
    inside = [i for i, r in enumerate(rows) if r.result or r.key == "total"]
    if not inside:
        return (-1, -2)
    return (min(inside), max(inside))


def table3_grid(report: Report, edition: Edition) -> Grid:
    decl = edition.table3
    n_label = TABLE3_LABEL_COLUMNS
    n_data = len(decl.columns)
    header_rows = 3
    grid = Grid("table3", header_rows + len(decl.rows), n_label + n_data, header_rows)

    # Header: the note, then 申请人情况 over every data column, then the
    # person / organisations / total split with the organisation kinds below.
    grid.add(GridCell(edition.headers.table3_note, 0, 0, rowspan=3, colspan=n_label, kind="header"))
    grid.add(GridCell(edition.headers.table3_applicants, 0, n_label, colspan=n_data, kind="header"))
    person, organisations, total = decl.columns[0], decl.columns[1:-1], decl.columns[-1]
    grid.add(GridCell(person, 1, n_label, rowspan=2, kind="header"))
    grid.add(GridCell(edition.headers.table3_organisations, 1, n_label + 1, colspan=len(organisations), kind="header"))
    grid.add(GridCell(total, 1, n_label + n_data - 1, rowspan=2, kind="header"))
    for j, col in enumerate(organisations):
        grid.add(GridCell(col, 2, n_label + 1 + j, kind="header"))

    first, last = result_block(edition)
    seen_groups: set[str] = set()
    for i, row in enumerate(decl.rows):
        r = header_rows + i
        if not first <= i <= last:
            grid.add(GridCell(row.label, r, 0, colspan=n_label, kind="label"))
        else:
            if i == first:
                grid.add(GridCell(edition.headers.table3_results, r, 0, rowspan=last - first + 1, kind="group", vertical=True))
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    span = len(decl.group_rows(row.group))
                    grid.add(GridCell(row.group, r, 1, rowspan=span, kind="group", vertical=True))
                grid.add(GridCell(row.label, r, 2, kind="label"))
            else:
                grid.add(GridCell(row.label, r, 1, colspan=n_label - 1, kind="label"))
        cells = report.table3.get(row.label, {})
        for j, col in enumerate(decl.columns):
            grid.add(GridCell(cell_text(cells.get(col)), r, n_label + j))
    return grid


def table4_grid(report: Report, edition: Edition) -> Grid:
    decl = edition.table4
    width = len(decl.columns)
    review, lawsuits = decl.groups[0], decl.groups[1:]
    grid = Grid("table4", 4, width * len(decl.groups), header_rows=3)
    # 行政复议 has no sub-groups, so its column labels span two header rows;
    # the lawsuit groups sit under one 行政诉讼 header.
    grid.add(GridCell(review, 0, 0, colspan=width, kind="header"))
    grid.add(GridCell(edition.headers.table4_litigation, 0, width, colspan=width * len(lawsuits), kind="header"))
    for j, col in enumerate(decl.columns):
        grid.add(GridCell(col, 1, j, rowspan=2, kind="header"))
    for g, group in enumerate(lawsuits):
        start = width * (g + 1)
        grid.add(GridCell(group, 1, start, colspan=width, kind="header"))
        for j, col in enumerate(decl.columns):
            grid.add(GridCell(col, 2, start + j, kind="header"))
    for g, group in enumerate(decl.groups):
        cells = report.table4.get(group, {})
        for j, col in enumerate(decl.columns):
            grid.add(GridCell(cell_text(cells.get(col)), 3, width * g + j))
    return grid


# ---------------------------------------------------------------- blocks


@dataclass
class Title:
    lines: list[str]


@dataclass
class Heading:
    key: str
    text: str


@dataclass
class Para:
    text: str
    preamble: bool = False


@dataclass
class TableBlock:
    grid: Grid


Block = Union[Title, Heading, Para, TableBlock]


def title_lines(report: Report) -> list[str]:
    lines = []
    if report.agency:
        lines.append(report.agency)
    if report.year is not None:
        lines.append(f"{report.year}{TITLE_SUFFIX}")
    if not lines and report.title:
        lines.append(report.title)
    return lines


def blocks(report: Report) -> Iterator[Block]:
    """The report in reading order, laid out as the edition prints it."""
    edition = get_edition(report.edition)
    yield Title(title_lines(report))
    for p in report.preamble:
        yield Para(p.text, preamble=True)
    tables: dict[str, list[Grid]] = {
        "二": table2_grids(report, edition),
        "三": [table3_grid(report, edition)],
        "四": [table4_grid(report, edition)],
    }
    for decl in edition.sections:
        yield Heading(decl.key, decl.heading)
        section = report.section(decl.key)
        if section is not None:
            for p in section.paragraphs:
                yield Para(p.text)
        for grid in tables.get(decl.key, []):
            yield TableBlock(grid)
