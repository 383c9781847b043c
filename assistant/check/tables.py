"""Reading the report's tables for rules: cells, sums, short labels, locations.

Sums here never write back into the report. A blank, "/" or "—" is counted as
0 only to decide whether an identity can hold, and the sum remembers it did so
that the computation text can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional, Protocol, Union

from ..model import Cell, CellState, Edition, Report
from ..model.editions import Table2Block, Table3Row
from ..model.figures import fmt as figure_text
from ..model.figures import plain as plain
from ..model.refs import CellRef
from ..model.report import Number
from . import reads
from .reads import Key

EMPTY_STATES = (CellState.blank, CellState.slash, CellState.dash)


class Tables(Protocol):
    """A report with its edition: what the table helpers read (this year's or last year's)."""

    @property
    def report(self) -> Report: ...

    @property
    def edition(self) -> Edition: ...


Shown = Union[int, float, str, None]  # what a message may quote: a figure, a word, or nothing


def fmt(value: Shown) -> str:
    """A figure as a person writes it: 35, 19.7, -3."""
    if value is None:
        return "空"
    if isinstance(value, str):
        return value
    return figure_text(value)


def is_empty(cell: Cell) -> bool:
    return cell.state in EMPTY_STATES


def empty_word(cell: Cell) -> str:
    return {CellState.slash: "“/”", CellState.dash: "“—”"}.get(cell.state, "空白")


@dataclass
class Sum:
    """A sum of cells that knows which of them were empty or unreadable."""

    labels: list[str] = field(default_factory=list)
    values: list[Optional[float]] = field(default_factory=list)  # None = empty, counted 0
    unreadable: list[str] = field(default_factory=list)  # text or missing cells
    cells: list[Cell] = field(default_factory=list)  # the cells added, for what the finding rests on

    def add(self, label: str, cell: Cell) -> "Sum":
        self.labels.append(label)
        self.cells.append(cell)
        if cell.is_number and cell.value is not None:
            self.values.append(cell.value)
        elif is_empty(cell):
            self.values.append(None)
        else:
            self.values.append(None)
            self.unreadable.append(label)
        return self

    def add_sum(self, label: str, other: "Sum") -> "Sum":
        self.labels.append(label)
        self.values.append(other.total if not other.all_empty else None)
        self.unreadable.extend(other.unreadable)
        self.cells.extend(other.cells)
        return self

    @property
    def total(self) -> Number:
        return plain(sum(v for v in self.values if v is not None))

    @property
    def decidable(self) -> bool:
        return not self.unreadable

    @property
    def all_empty(self) -> bool:
        return all(v is None for v in self.values)

    @property
    def used_blanks(self) -> bool:
        return any(v is None for v in self.values)

    def expression(self) -> str:
        """"4 + 0 + 26 + 5"; empty terms are left out (they count as 0)."""
        written = [fmt(v) for v in self.values if v is not None]
        if not written:
            return "0"
        return " + ".join(written)

    def equation(self) -> str:
        """"4 + 0 + 26 + 5 = 35" or just "35" for a single written term."""
        written = [v for v in self.values if v is not None]
        if len(written) == 1:
            return fmt(written[0])
        return f"{self.expression()} = {fmt(self.total)}"


# A label of None (a column or row the edition does not have) reads as a missing cell.


def _as_read(report: Report, key: Key, cell: Optional[Cell]) -> Cell:
    """A cell as rules may use it. One the reader could not read for sure (uncertain or
    unreadable), or one of a table it could not read, counts as not read: no figure is
    computed from it. While a check run is on, the read is noted (``reads``)."""
    unread_table = key[0] in report.unreadable_tables
    log = reads.active()
    if log is not None:
        log.note(report, key, cell, unread_table)
    if cell is None:
        return Cell.missing()
    if unread_table or not cell.is_read:
        return Cell(state=CellState.missing, raw=cell.raw, source=cell.source,
                    certainty=cell.certainty, how=cell.how)
    return cell


def cell3(report: Report, row: Optional[str], col: Optional[str]) -> Cell:
    r, c = row or "", col or ""
    return _as_read(report, ("三", "", r, c), report.table3.get(r, {}).get(c))


def cell4(report: Report, group: Optional[str], col: Optional[str]) -> Cell:
    g, c = group or "", col or ""
    return _as_read(report, ("四", "", g, c), report.table4.get(g, {}).get(c))


def cell2(report: Report, caption: str, row: Optional[str], col: Optional[str]) -> Cell:
    r, c = row or "", col or ""
    return _as_read(report, ("二", caption, r, c), report.table2.get(caption, {}).get(r, {}).get(c))


def printed_as_one_row(report: Report, group: str, rows: list[Table3Row]) -> bool:
    """A group whose sub-rows are absent but which the report prints as one row (its subtotal)."""
    return group in report.table3 and all(
        c.state is CellState.missing for r in rows for c in report.table3.get(r.label, {}).values())


_printed_as_one_row = printed_as_one_row  # the name other modules imported before it was public


def close(a: Number, b: Number) -> bool:
    """Equal as figures: 35 and 35.0, and sums of decimals that differ only in rounding."""
    return abs(float(a) - float(b)) < 1e-6


def value(cell: Cell) -> Optional[Number]:
    return cell.value if cell.is_number else None


def figure(cell: Cell) -> Number:
    """The figure of a cell already known to hold one (``cell.is_number``)."""
    if cell.value is None:
        raise ValueError(f"not a figure: {cell.state.value} {cell.raw!r}")
    return cell.value


def numbers(*cells: Cell) -> Optional[tuple[Number, ...]]:
    """The figures of cells that all hold one, or None when one of them does not."""
    found = tuple(c.value for c in cells if c.is_number and c.value is not None)
    return found if len(found) == len(cells) else None


def number(cell: Optional[Cell]) -> Optional[Number]:
    """A cell's figure, or None when it holds none (blank, text, missing, or no cell at all)."""
    return cell.value if cell is not None and cell.is_number else None


def ref3(row: Table3Row | str, col: str) -> CellRef:
    return CellRef(table="三", row=row if isinstance(row, str) else row.label, col=col)


def ref4(group: str, col: str) -> CellRef:
    return CellRef(table="四", row=group, col=col)


def ref2(block: Table2Block | str, row: str, col: str) -> CellRef:
    return CellRef(table="二", block=block if isinstance(block, str) else block.caption, row=row, col=col)


def row_refs2(block: Table2Block, row: str) -> list[CellRef]:
    """Every cell of one table-二 row."""
    return [ref2(block, row, col) for col in block.columns]


def rows_for(edition: Edition, key: str) -> list[Table3Row]:
    """The rows a key names: a row key gives that row, a group key its sub-rows."""
    decl = edition.table3
    for r in decl.rows:
        if r.key == key:
            return [r]
    group = decl.group(key)
    if group:
        return decl.group_rows(group)
    return []


def quantity_label(edition: Edition, key: str) -> str:
    decl = edition.table3
    group = decl.group(key)
    if group:
        return group
    rows = rows_for(edition, key)
    return rows[0].short if rows else key


def quantity_sum(report: Report, edition: Edition, key: str, col: Optional[str] = None) -> Sum:
    col = col or edition.table3.total_column
    s = Sum()
    rows = rows_for(edition, key)
    group = edition.table3.group(key)
    if group and printed_as_one_row(report, group, rows):
        return s.add(group, cell3(report, group, col))
    for r in rows:
        s.add(r.short, cell3(report, r.label, col))
    return s


def result_parts(edition: Edition) -> list[tuple[str, list[Table3Row]]]:
    """The result categories in order, a group counted as one part: （一）…（六）."""
    parts: list[tuple[str, list[Table3Row]]] = []
    for r in edition.table3.rows:
        if not r.result:
            continue
        if r.group:
            if parts and parts[-1][0] == r.group:
                parts[-1][1].append(r)
            else:
                parts.append((r.group, [r]))
        else:
            parts.append((r.short, [r]))
    return parts


def results_sum(report: Report, edition: Edition, col: str) -> Sum:
    """（一）+（二）+ G3 + G4 + G5 + G6 in one column, groups as subtotals."""
    s = Sum()
    for label, rows in result_parts(edition):
        if len(rows) == 1 and not rows[0].group:
            s.add(label, cell3(report, rows[0].label, col))
        elif printed_as_one_row(report, label, rows):
            s.add(label, cell3(report, label, col))
        else:
            sub = Sum()
            for r in rows:
                sub.add(r.short, cell3(report, r.label, col))
            s.add_sum(label, sub)
    return s


def row_present(report: Report, row: Table3Row) -> bool:
    cells = report.table3.get(row.label)
    return bool(cells) and any(c.state is not CellState.missing for c in (cells or {}).values())


def iter_table2(report: Report, edition: Edition) -> Iterator[tuple[Table2Block, str, str, Cell]]:
    """(block, row label, column label, cell) for every declared cell of table 二."""
    for block in edition.table2:
        for row in block.rows:
            for col in block.columns:
                yield block, row, col, cell2(report, block.caption, row, col)
