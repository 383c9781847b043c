"""What a person is shown about a computation: JSON, row lists, a mapping template."""

from __future__ import annotations

from typing import Optional

from .compute import LedgerResult, Unmapped
from .reconcile import CellDiff
from .records import RowRef

TARGET_HINTS = {
    "applicant": "表三的列，如 自然人、商业企业、法律服务机构",
    "outcome": "表三的结果行，如 （一）予以公开、（四）1、disclosed；尚未办结写 pending",
    "channel": "当面、信函、网络、传真、电子邮件 或 其他",
    "case_kind": "行政复议、未经复议直接起诉、复议后起诉",
    "case_result": "结果维持、结果纠正、其他结果、尚未审结",
}


def refs_text(refs: list[RowRef], limit: int = 8) -> str:
    if not refs:
        return "（无）"
    shown = "、".join(r.describe() for r in refs[:limit])
    return shown + (f" 等{len(refs)}行" if len(refs) > limit else "")


def mapping_template(unmapped: list[Unmapped]) -> str:
    """A YAML file for ``--mapping``: every unmapped value with an empty target to fill in."""
    lines = []
    fields: dict[str, list[Unmapped]] = {}
    for u in unmapped:
        fields.setdefault(u.field, []).append(u)
    for field_name, items in fields.items():
        lines.append(f"{items[0].field_name}:   # 目标：{TARGET_HINTS[field_name]}")
        for u in items:
            value = u.value.replace('"', '\\"')
            lines.append(f"  \"{value}\": \"\"   # {len(u.rows)}行")
    return "\n".join(lines) + "\n"


def _grid(values: Optional[dict[str, list[int]]], columns: list[str]) -> Optional[dict]:
    if values is None:
        return None
    return {row: dict(zip(columns, vals)) for row, vals in values.items()}


def result_to_dict(result: LedgerResult, diffs: Optional[list[CellDiff]] = None,
                   previous_diffs: Optional[list[CellDiff]] = None) -> dict:
    reg = result.register
    ed = result.edition
    narrative = result.narrative
    out: dict = {
        "file": reg.file,
        "year": result.year,
        "edition": ed.id,
        "blocked": result.blocked,
        "sheets": [{"name": s.name, "kind": s.kind, "rows": s.rows, "reason": s.reason,
                    "header_rows": [s.layout.top + 1, s.layout.bottom + 1] if s.layout else None}
                   for s in reg.sheets],
        "columns": reg.columns,
        "case_columns": reg.case_columns,
        "table3": _grid(result.table3_values() if result.table3 is not None else None, ed.table3.columns),
        "table4": _grid(result.table4_values(), ed.table4.columns),
        "blockers": [b.to_dict() for b in result.blockers],
        "unmapped": [u.to_dict() for u in result.unmapped],
        "outside_year": {"answered_before": [r.to_dict() for r in result.before_year],
                         "received_after": [r.to_dict() for r in result.after_year],
                         "cases": [r.to_dict() for r in result.cases_outside]},
        "skipped_rows": [{**ref.to_dict(), "reason": why} for ref, why in reg.skipped],
        "notes": result.notes,
        "working_days": result.calendar.describe(),
        "narrative": narrative.to_dict() if narrative is not None else None,
        "narrative_notes": narrative.notes() if narrative is not None else [],
    }
    if diffs is not None:
        out["report_differences"] = [d.to_dict() for d in diffs]
    if previous_diffs is not None:
        out["previous_differences"] = [d.to_dict() for d in previous_diffs]
    return out
