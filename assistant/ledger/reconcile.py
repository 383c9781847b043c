"""The register against a report: every cell that differs, with the rows behind it.

A report cell agrees only when it is a number equal to the register's
count; a blank, "/", text or a missing cell is a difference (a blank is not
0). Last year's report agrees when its 结转下年度 row equals this year's
上年结转 in every column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Cell, CellState, Report, get_edition
from .compute import LedgerResult
from .errors import LedgerError
from .records import RowRef


@dataclass
class CellDiff:
    table: str  # "三" or "四"
    row: str
    col: str
    register: int
    report: Cell
    rows: list[RowRef] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"表{self.table} {self.row} × {self.col}"

    def report_text(self) -> str:
        c = self.report
        if c.state is CellState.number:
            return c.raw or str(c.value)
        return {"blank": "空白", "missing": "缺失", "slash": "“/”", "dash": "“—”"}.get(c.state.value, f"“{c.raw}”")

    def to_dict(self) -> dict:
        return {"table": self.table, "row": self.row, "column": self.col, "register": self.register,
                "report": self.report.value if self.report.state is CellState.number else None,
                "report_state": self.report.state.value, "report_raw": self.report.raw,
                "rows": [r.to_dict() for r in self.rows]}


def _cell(grid: dict, row: str, col: str) -> Cell:
    return grid.get(row, {}).get(col) or Cell.missing()


def _same(cell: Cell, value: int) -> bool:
    return cell.state is CellState.number and cell.value is not None and float(cell.value) == float(value)


def _check_edition(result: LedgerResult, report: Report, what: str) -> None:
    if report.edition != result.edition.id:
        raise LedgerError(f"{what}按{report.edition}版格式填写，台账按{result.edition.id}版计算；"
                          f"请用 --edition {report.edition} 按同一版本计算后再核对")


def compare_report(result: LedgerResult, report: Report) -> list[CellDiff]:
    """Every cell of tables 三 (and 四, when the register has cases) that differs from the register."""
    if result.table3 is None:
        raise LedgerError("台账中有无法归类的行，表格未计算，无法核对")
    _check_edition(result, report, "报告")
    decl = result.edition.table3
    out: list[CellDiff] = []
    for r in decl.rows:
        for c in decl.columns:
            value = result.value3(r.label, c)
            cell = _cell(report.table3, r.label, c)
            if not _same(cell, value):
                out.append(CellDiff("三", r.label, c, value, cell, result.rows3(r.label, c)))
    if result.table4 is not None:
        d4 = result.edition.table4
        for g in d4.groups:
            for c in d4.columns:
                value = result.value4(g, c)
                cell = _cell(report.table4, g, c)
                if not _same(cell, value):
                    out.append(CellDiff("四", g, c, value, cell, result.rows4(g, c)))
    return out


def compare_previous(result: LedgerResult, previous: Report) -> list[CellDiff]:
    """Columns where last year's 结转下年度 differs from this year's 上年结转 counted from the register."""
    if result.table3 is None:
        raise LedgerError("台账中有无法归类的行，表格未计算，无法与上年报告核对")
    prev_decl = get_edition(previous.edition).table3
    decl = result.edition.table3
    prev_row = prev_decl.row("carried_out").label
    this_row = decl.row("carried_in").label
    out = []
    for c in decl.columns:
        value = result.value3(this_row, c)
        cell = _cell(previous.table3, prev_row, c) if c in prev_decl.columns else Cell.missing()
        if not _same(cell, value):
            out.append(CellDiff("三", this_row, c, value, cell, result.rows3(this_row, c)))
    return out


def previous_label(previous: Optional[Report]) -> str:
    if previous is None:
        return ""
    return f"{previous.agency or ''}{previous.year or ''}年报告".strip() or "上年报告"
