"""Mutation suite: one cell changed in a consistent report must be caught when it breaks an identity.

For every consistent reference report (``report.yaml``), every numeric cell of
tables 二, 三 and 四 is changed by +1, by −1 and by swapping its first two
digits. A change that breaks an identity (decided here by an independent
oracle, not by the checker) must produce at least one error-level finding;
the unchanged reports must produce none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ...check import Severity, run_checks
from ...export.facts import report_from_yaml
from ...model import Cell, CellState, Report, get_edition
from ..context import Context
from ..results import Case, Metric, SuiteResult


def _v(report: Report, table: str, *path) -> float:
    node = getattr(report, table)
    for p in path:
        node = node.get(p, {}) if isinstance(node, dict) else {}
    return node.value if isinstance(node, Cell) and node.is_number and node.value is not None else 0


def identities_hold(report: Report) -> bool:
    """The template's arithmetic, written out plainly and independently of the checker."""
    ed = get_edition(report.edition)
    t3 = ed.table3
    row = {r.key: r.label for r in t3.rows if r.key}
    results = [r.label for r in t3.rows if r.result]
    for col in t3.columns:
        v = lambda label: _v(report, "table3", label, col)  # noqa: E731
        done = sum(v(label) for label in results)
        if v(row["total"]) != done:
            return False
        if v(row["new"]) + v(row["carried_in"]) != v(row["total"]) + v(row["carried_out"]):
            return False
    for r in t3.rows:
        if sum(_v(report, "table3", r.label, c) for c in t3.applicant_columns) != _v(report, "table3", r.label, t3.total_column):
            return False
    t4 = ed.table4
    for g in t4.groups:
        if sum(_v(report, "table4", g, c) for c in t4.columns[:-1]) != _v(report, "table4", g, t4.total_column):
            return False
    for block in ed.table2:
        keys = {k: c for c, k in block.column_keys.items()}
        for label in block.rows:
            val = lambda k: _v(report, "table2", block.caption, label, keys[k])  # noqa: E731
            for c, k in block.column_keys.items():
                if k != "items_change" and _v(report, "table2", block.caption, label, c) < 0:
                    return False
            if {"issued", "repealed", "in_force"} <= keys.keys() and val("in_force") < val("issued") - val("repealed"):
                return False
            if {"published", "published_total"} <= keys.keys() and val("published_total") < val("published"):
                return False
            if {"items_prior", "items_change"} <= keys.keys() and val("items_prior") + val("items_change") < 0:
                return False
    # Counts are whole numbers (money columns excepted).
    for label, cells in report.table3.items():
        if any(c.is_number and c.value is not None and not float(c.value).is_integer() for c in cells.values()):
            return False
    return True


def cells(report: Report) -> Iterator[tuple[str, Cell]]:
    """(description, cell) for every cell of tables 二, 三, 四."""
    for label, cols in report.table3.items():
        for col, c in cols.items():
            yield f"表三 {label} × {col}", c
    for group, cols in report.table4.items():
        for col, c in cols.items():
            yield f"表四 {group} × {col}", c
    for caption, rows in report.table2.items():
        for r, cols in rows.items():
            for col, c in cols.items():
                yield f"表二 {caption} {r} × {col}", c


def variants(value):
    out = [("+1", value + 1), ("-1", value - 1)]
    digits = str(int(abs(value))) if float(value).is_integer() else ""
    if len(digits) >= 2 and digits[0] != digits[1]:
        swapped = int(digits[1] + digits[0] + digits[2:]) * (1 if value >= 0 else -1)
        out.append(("swap", swapped))
    return out


def has_error(report: Report) -> bool:
    return any(f.severity is Severity.error for f in run_checks(report))


@dataclass
class ReportMutations:
    slug: str
    path: Path
    consistent: bool = True
    false_alarm: bool = False
    breaking: int = 0
    detected: int = 0
    harmless: int = 0
    harmless_flagged: int = 0
    misses: list[str] = field(default_factory=list)


def mutate(path: Path) -> ReportMutations:
    report = report_from_yaml(path)
    out = ReportMutations(path.parent.name, path)
    if not identities_hold(report):
        out.consistent = False
        return out
    out.false_alarm = has_error(report)
    for where, cell in list(cells(report)):
        if cell.state is not CellState.number or cell.value is None:
            continue
        original = cell.model_copy()
        for how, new in variants(cell.value):
            cell.value, cell.raw = new, str(new)
            breaks = not identities_hold(report)
            flagged = has_error(report)
            if breaks:
                out.breaking += 1
                out.detected += flagged
                if not flagged:
                    out.misses.append(f"{where} {how}")
            else:
                out.harmless += 1
                out.harmless_flagged += flagged
        cell.value, cell.raw = original.value, original.raw
    return out


def mutate_all(reference: Path) -> list[ReportMutations]:
    return [mutate(p) for p in sorted(reference.glob("*/report.yaml"))]


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    th = spec.get("thresholds") or {}
    rows = mutate_all(ctx.path(spec.get("reference", "evals/reference")))
    used = [r for r in rows if r.consistent]
    breaking = sum(r.breaking for r in used)
    detected = sum(r.detected for r in used)
    alarms = sum(r.false_alarm for r in used)
    harmless = sum(r.harmless for r in used)
    flagged = sum(r.harmless_flagged for r in used)
    notes = [f"{r.slug}：参考报告本身不满足勾稽关系，未参加" for r in rows if not r.consistent]
    # Not a false alarm: such a change can still contradict the narrative, which the N rules report.
    notes.append(f"不打破表格勾稽关系的改动 {harmless} 处，其中因叙述与表格不符报错 {flagged} 处")
    worst = sorted((r for r in used if r.misses or r.false_alarm),
                   key=lambda r: (r.detected / r.breaking if r.breaking else 1.0, r.slug))
    return SuiteResult(
        name="mutation",
        title=spec.get("title", "变异"),
        cases=len(used),
        notes=notes,
        metrics=[
            Metric(name="detection_rate", label="打破勾稽关系的改动检出率", value=detected / breaking if breaking else 1.0,
                   threshold=th.get("detection_rate"), detail=f"{detected}/{breaking}"),
            Metric(name="false_alarms", label="未改动报告的误报（份）", value=alarms, better="lower", percent=False,
                   threshold=th.get("false_alarms"), detail=f"{alarms}/{len(used)}"),
        ],
        worst=[
            Case(name=r.slug, link=ctx.link(r.path), score=r.detected / r.breaking if r.breaking else 1.0,
                 note="；".join((["未改动却报错"] if r.false_alarm else []) + [f"未检出 {m}" for m in r.misses[:3]]))
            for r in worst[: ctx.worst]
        ],
    )
