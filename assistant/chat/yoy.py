"""Year over year: this year's key figures beside last year's.

Figures are matched by the stable keys of the edition declarations, so a 2021
report compares with a 2019 one wherever both editions have the figure. A
blank or non-numeric cell is shown as written, never replaced by a sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from ..check.tables import quantity_label, rows_for
from ..model import Cell, CellState, Edition, Report, get_edition
from ..model.figures import change, fmt, percent_change, plain, round1
from ..model.report import Number

# Table 三 quantities in the order of the table; group keys stand for the sum of their sub-rows.
TABLE3_KEYS = ("new", "carried_in", "disclosed", "partly", "withheld", "unavailable",
               "not_processed", "other", "total", "carried_out")


@dataclass
class Row:
    table: str  # "表二", "表三", "表四"
    label: str
    previous: Optional[Number]
    current: Optional[Number]
    unit: str = ""
    previous_note: str = ""  # why a figure is missing: "空白", "未填", "—"
    current_note: str = ""

    @property
    def change(self) -> Optional[Number]:
        return delta(self.previous, self.current)[0]

    @property
    def percent(self) -> Optional[float]:
        """Percentage change to one decimal; None when last year's figure is 0 or unknown."""
        return delta(self.previous, self.current)[1]

    def as_dict(self) -> dict:
        return {
            "table": self.table, "label": self.label, "unit": self.unit,
            "previous": self.previous, "current": self.current,
            "change": self.change, "percent": self.percent,
        }


def delta(previous: Optional[Number], current: Optional[Number]) -> tuple[Optional[Number], Optional[float]]:
    """This year's figure against last year's: the change and the percentage change.

    The one year-over-year computation: the table of key figures and the chat's
    answer about one figure both use it. The percentage is to one decimal,
    rounded half up; None when last year's figure is 0 or either is unknown.
    """
    if previous is None or current is None:
        return None, None
    pct = percent_change(current, previous)
    return change(current, previous), None if pct is None else round1(pct)


def _note(cell: Optional[Cell]) -> str:
    if cell is None or cell.state is CellState.missing:
        return "缺"
    if cell.state is CellState.blank:
        return "空白"
    return cell.raw or cell.state.value


def _sum(cells: list[Optional[Cell]]) -> tuple[Optional[Number], str]:
    """The sum of the numbers written; None (with why) when nothing was written."""
    numbers = [c.value for c in cells if c is not None and c.is_number and c.value is not None]
    if not numbers:
        notes = {_note(c) for c in cells}
        return None, "、".join(sorted(notes))
    return plain(float(sum((Decimal(repr(v)) for v in numbers), Decimal(0)))), ""


def _table3(report: Report, edition: Edition, key: str) -> tuple[Optional[Number], str]:
    col = edition.table3.total_column
    rows = rows_for(edition, key)
    if not rows:
        return None, "本版无此项"
    return _sum([report.table3.get(r.label, {}).get(col) for r in rows])


def compare(current: Report, previous: Report) -> list[Row]:
    cur_ed, prev_ed = get_edition(current.edition), get_edition(previous.edition)
    out: list[Row] = []

    for key in TABLE3_KEYS:
        if not rows_for(cur_ed, key) or not rows_for(prev_ed, key):
            continue
        cv, cn = _table3(current, cur_ed, key)
        pv, pn = _table3(previous, prev_ed, key)
        out.append(Row("表三", f"{quantity_label(cur_ed, key)}（总计列）", pv, cv, "件", pn, cn))

    total = cur_ed.table4.column("total")
    ptotal = prev_ed.table4.column("total")
    for label in cur_ed.table4.groups:
        gkey = cur_ed.table4.group_keys.get(label)
        plabel = prev_ed.table4.group(gkey) if gkey else None
        if not plabel or not total or not ptotal:
            continue
        cv, cn = _sum([current.table4.get(label, {}).get(total)])
        pv, pn = _sum([previous.table4.get(plabel, {}).get(ptotal)])
        out.append(Row("表四", f"{label}（总计）", pv, cv, "件", pn, cn))

    for block in cur_ed.table2:
        pblock = prev_ed.block_by_key(block.key) if block.key else None
        if pblock is None:
            continue
        for row_label, row_key in block.row_keys.items():
            prow = pblock.row(row_key)
            if prow is None:
                continue
            for col_label, col_key in block.column_keys.items():
                pcol = pblock.column(col_key)
                if pcol is None:
                    continue
                cv, cn = _sum([current.table2.get(block.caption, {}).get(row_label, {}).get(col_label)])
                pv, pn = _sum([previous.table2.get(pblock.caption, {}).get(prow, {}).get(pcol)])
                unit = block.units.get(col_label, "")
                out.append(Row("表二", f"{row_label} {col_label}", pv, cv, unit, pn, cn))
    return out


def signed(v: Optional[Number]) -> str:
    if v is None:
        return "—"
    return ("+" if v > 0 else "") + fmt(v)


def to_markdown(rows: list[Row]) -> str:
    lines = ["| 表 | 项目 | 上年 | 本年 | 增减 | 变化率 |", "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        prev = fmt(r.previous) if r.previous is not None else f"（{r.previous_note}）"
        cur = fmt(r.current) if r.current is not None else f"（{r.current_note}）"
        pct = "—" if r.percent is None else ("0.0%" if r.percent == 0 else f"{r.percent:+.1f}%")
        unit = f"（{r.unit}）" if r.unit and r.unit != "件" and r.unit not in r.label else ""
        lines.append(f"| {r.table} | {r.label}{unit} | {prev} | {cur} | {signed(r.change)} | {pct} |")
    return "\n".join(lines)
