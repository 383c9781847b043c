"""Mutation suite for the checker.

For every consistent reference report (evals/reference/*/report.yaml), change
one table cell at a time — every cell of tables 二, 三 and 四, by +1, by −1 and
by swapping its first two digits — and check the result. A change that breaks
an identity (decided here by an independent oracle, not by the checker) must
produce at least one error-level finding; the unchanged reports must produce
none. Prints the detection rate and the false-alarm count; exits 1 if a
breaking change went undetected or an unchanged report has an error.

    .venv/bin/python evals/mutation.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.check import Severity, run_checks  # noqa: E402
from assistant.export.facts import report_from_yaml  # noqa: E402
from assistant.model import Cell, CellState, Report, get_edition  # noqa: E402


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
        for r in block.rows:
            val = lambda k: _v(report, "table2", block.caption, r, keys[k])  # noqa: E731
            for c, k in block.column_keys.items():
                if k != "items_change" and _v(report, "table2", block.caption, r, c) < 0:
                    return False
            if {"issued", "repealed", "in_force"} <= keys.keys() and val("in_force") < val("issued") - val("repealed"):
                return False
            if {"published", "published_total"} <= keys.keys() and val("published_total") < val("published"):
                return False
            if {"items_prior", "items_change"} <= keys.keys() and val("items_prior") + val("items_change") < 0:
                return False
    # Counts are whole numbers (money columns excepted).
    for label, cells in report.table3.items():
        if any(c.is_number and not float(c.value).is_integer() for c in cells.values()):
            return False
    return True


def cells(report: Report):
    """(description, cell) for every numeric cell of tables 二, 三, 四."""
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true", help="list every undetected breaking change")
    args = ap.parse_args()
    base = ROOT / "evals" / "reference"
    breaking = detected = harmless = harmless_flagged = false_alarms = 0
    consistent = 0
    misses = []
    for path in sorted(base.glob("*/report.yaml")):
        report = report_from_yaml(path)
        if not identities_hold(report):
            print(f"跳过 {path.parent.name}：参考报告本身不满足勾稽关系")
            continue
        consistent += 1
        if has_error(report):
            false_alarms += 1
            print(f"误报：{path.parent.name} 未改动却报告了错误")
        for where, cell in list(cells(report)):
            if cell.state is not CellState.number or cell.value is None:
                continue
            original = cell.model_copy()
            for how, new in variants(cell.value):
                cell.value, cell.raw = new, str(new)
                breaks = not identities_hold(report)
                flagged = has_error(report)
                if breaks:
                    breaking += 1
                    detected += flagged
                    if not flagged:
                        misses.append(f"{path.parent.name}: {where} {how}")
                else:
                    harmless += 1
                    harmless_flagged += flagged
            cell.value, cell.raw = original.value, original.raw
    rate = detected / breaking if breaking else 1.0
    print(f"参考报告 {consistent} 份；打破勾稽关系的改动 {breaking} 处，检出 {detected} 处，检出率 {rate:.1%}")
    print(f"未改动报告的误报（错误级）：{false_alarms} 份")
    print(f"不打破勾稽关系的改动 {harmless} 处，其中因叙述与表格不符报错 {harmless_flagged} 处")
    if misses and args.verbose:
        print("未检出：\n  " + "\n  ".join(misses))
    return 0 if detected == breaking and false_alarms == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
