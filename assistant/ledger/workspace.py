"""What the workspace (the UI) does with a register, so the UI only calls and shows.

- ``read_for(path, report, year, rows)``: the register counted for the
  loaded report's year and edition (or a year given), with the person's
  assignments from the unmapped-values grid;
- ``unmapped_rows`` / ``assignments_from_rows``: that grid, out and back;
- ``fill_cells``: the table cells to set from the register;
- ``summary_md`` / ``comparison_md``: what to tell the person ("用台账核对").
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from ..model import Report
from .compute import LedgerResult
from .errors import LedgerError
from .reconcile import CellDiff, compare_report
from .run import compute_register
from .summary import TARGET_HINTS, refs_text
from .vocabulary import VALUE_FIELDS

UNMAPPED_HEADERS = ["类别", "台账中的写法", "行数", "对应到（请填写）", "可填写"]
_BY_NAME = {zh: key for key, zh in VALUE_FIELDS.items()}


def unmapped_rows(result: Optional[LedgerResult], rows: Optional[list[list]] = None) -> list[list]:
    """One grid row per unmapped value; targets already typed in ``rows`` are kept."""
    if result is None:
        return []
    typed = {(str(r[0]), str(r[1])): str(r[3] or "") for r in rows or [] if len(r) >= 4}
    return [[u.field_name, u.value, len(u.rows), typed.get((u.field_name, u.value), ""), TARGET_HINTS[u.field]]
            for u in result.unmapped]


def assignments_from_rows(rows: Optional[list[list]]) -> dict[str, dict[str, str]]:
    """The filled-in targets of the grid as ``{字段: {写法: 目标}}``; empty targets are left out."""
    out: dict[str, dict[str, str]] = {}
    for r in rows or []:
        if len(r) < 4:
            continue
        field_name, value, target = str(r[0] or "").strip(), str(r[1] or "").strip(), str(r[3] or "").strip()
        if not field_name or not value or not target:
            continue
        if field_name not in _BY_NAME and field_name not in VALUE_FIELDS:
            raise LedgerError(f"没有“{field_name}”这类取值")
        out.setdefault(field_name, {})[value] = target
    return out


def read_for(path: Union[str, Path], report: Optional[Report], year: Optional[int],
             rows: Optional[list[list]] = None, holidays: Union[str, Path, None] = None) -> LedgerResult:
    """The register counted for the loaded report (its year and edition), or for ``year``."""
    y = report.year if report is not None and report.year else year
    if not y:
        raise LedgerError("请先填写报告年度（或载入一份写明年度的报告），才能按年度计算台账。")
    edition = report.edition if report is not None else None
    return compute_register(path, int(y), edition, assignments=assignments_from_rows(rows), holidays=holidays)


def fill_cells(result: LedgerResult) -> list[tuple[str, str, str, str]]:
    """(table, row, column, text) for every cell of table 三, and of 四 when the register has cases."""
    if result.table3 is None:
        raise LedgerError("台账中有无法归类的行，表格未计算。")
    ed = result.edition
    out = [("三", row, col, str(v)) for row, values in result.table3_values().items()
           for col, v in zip(ed.table3.columns, values)]
    t4 = result.table4_values()
    if t4 is not None:
        out += [("四", g, col, str(v)) for g, values in t4.items() for col, v in zip(ed.table4.columns, values)]
    return out


def summary_md(result: LedgerResult) -> str:
    reg = result.register
    used = [s for s in reg.sheets if s.kind != "ignored"]
    lines = [f"**台账“{reg.file}”**：{result.year}年度，{result.edition.id}版格式；"
             + "；".join(f"“{s.name}”{'申请' if s.kind == 'applications' else '案件'}{s.rows}行" for s in used) + "。"]
    if result.blocked:
        lines.append("**有无法归类的行，表格未计算（不作推测）：**")
        for b in result.blockers:
            lines.append(f"- {b.message}（{len(b.rows)}行）：{refs_text(b.rows, 5)}")
        if any(u.blocking for u in result.unmapped):
            lines.append("- 下表中的取值没有对应到表格，请在“对应到”一列填写后点“重新计算”。")
        return "\n".join(lines)
    total = result.table3_values()[result.edition.table3.row("total").label][-1]
    lines.append(f"计入表三的申请{len(result.counted)}件，本年办结{total}件"
                 + ("；表四按案件清单计算" if result.table4 is not None else "") + "。")
    lines += [f"- {n}" for n in result.notes]
    if result.narrative is not None:
        lines += [f"- {n}" for n in result.narrative.notes()]
    lines.append(f"- {result.calendar.describe()}。")
    return "\n".join(lines)


def comparison_md(diffs: list[CellDiff], name: str) -> str:
    if not diffs:
        return f"“{name}”的表三、表四与台账逐格一致。"
    lines = [f"“{name}”与台账不一致的单元格共{len(diffs)}处："]
    for d in diffs:
        lines.append(f"- {d.location}：台账 {d.register}，报告 {d.report_text()}；台账中的行：{refs_text(d.rows, 6)}")
    return "\n".join(lines)


def compare_with(result: LedgerResult, report: Optional[Report], name: str) -> tuple[list[CellDiff], str]:
    if report is None:
        raise LedgerError("请先载入要核对的报告。")
    diffs = compare_report(result, report)
    return diffs, comparison_md(diffs, name)
