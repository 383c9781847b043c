"""Which table cells a finding is about, and which cells a person changed in a grid.

The UI colours the cells and turns grid edits into ``Workspace.set_cell``
calls; both need the edition's layout, which is why this sits beside the
workspace rather than in the UI.
"""

from __future__ import annotations

from typing import Optional

from ..check import Finding, Severity
from ..check.tables import short_row
from ..model import Cell, CellState, Edition, Report, get_edition

T2_SEP = "｜"  # table 二 rows are keyed "条款｜行": the same row label appears in several blocks
Key = tuple[str, str, str]  # (table, row key, column): row key is the label, "条款｜行" for table 二


def cell_at(report: Report, table: str, row: str, col: str) -> Optional[Cell]:
    if table == "三":
        return report.table3.get(row, {}).get(col)
    if table == "四":
        return report.table4.get(row, {}).get(col)
    caption, label = row.split(T2_SEP, 1)
    return report.table2.get(caption, {}).get(label, {}).get(col)


def raw_text(report: Report, table: str, row: str, col: str) -> str:
    cell = cell_at(report, table, row, col)
    return "" if cell is None else cell.raw


def _empty(report: Report, table: str, row: str, col: str) -> bool:
    cell = cell_at(report, table, row, col)
    return cell is None or cell.state in (CellState.blank, CellState.missing)


def table_cells(edition: Edition, table: str) -> list[tuple[str, list[str]]]:
    """Every (row key, columns) of a table in display order."""
    if table == "三":
        return [(r.label, edition.table3.columns) for r in edition.table3.rows]
    if table == "四":
        return [(g, edition.table4.columns) for g in edition.table4.groups]
    return [(f"{b.caption}{T2_SEP}{r}", b.columns) for b in edition.table2 for r in b.rows]


# Rows of table 三 the identity 一 + 二 = 三 + 四 is about: a column finding points at them.
_IDENTITY_KEYS = ("new", "carried_in", "total", "carried_out")


def problem_cells(report: Report, findings: list[Finding]) -> dict[Key, Severity]:
    """The cells each finding is about, worst severity first.

    Findings name their place as people read it ("表三 （七）总计 × 自然人、总计",
    "表三 总计列", "表四 行政复议 等 3 行"); the names are the edition's own
    labels, so matching them against the declaration finds the cells.
    """
    edition = get_edition(report.edition)
    out: dict[Key, Severity] = {}

    def mark(key: Key, sev: Severity) -> None:
        if key not in out or sev.rank < out[key].rank:
            out[key] = sev

    short3 = {short_row(r): r.label for r in edition.table3.rows}
    for f in findings:
        loc = f.location.strip()
        table = loc[1:2] if loc.startswith("表") else ""
        if table not in ("二", "三", "四"):
            continue
        rest = loc[2:].strip()
        left, _, right = rest.partition(" × ")
        left = left.strip()
        rows = table_cells(edition, table)
        if " 等 " in left and left.endswith("行"):
            # A region finding (blank cells where 0 is expected): every empty cell of the table.
            for row, cols in rows:
                for col in cols:
                    if _empty(report, table, row, col):
                        mark((table, row, col), f.severity)
            continue
        cols_named = [c for c in right.split("、") if c] if right else None
        targets: list[str] = []
        if table == "三":
            if left.endswith("列") and left[:-1] in edition.table3.columns:
                cols_named = [left[:-1]]
                targets = [r.label for r in edition.table3.rows if r.key in _IDENTITY_KEYS]
            elif left in short3:
                targets = [short3[left]]
            elif left in edition.table3.labels:
                targets = [left]
            elif left in edition.table3.groups:
                targets = [r.label for r in edition.table3.group_rows(left)]
        elif table == "四":
            if left in edition.table4.groups:
                targets = [left]
        else:
            for b in edition.table2:
                if left.startswith(b.caption):
                    label = left[len(b.caption):].strip()
                    if label in b.rows:
                        targets = [f"{b.caption}{T2_SEP}{label}"]
        for row, cols in rows:
            if row not in targets:
                continue
            for col in cols:
                if cols_named is None or col in cols_named:
                    mark((table, row, col), f.severity)
    return out


def edits(report: Report, table: str, data: list[list]) -> list[tuple[str, str, str]]:
    """(row key, column, new raw text) for every cell the user changed in a grid."""
    edition = get_edition(report.edition)
    changed: list[tuple[str, str, str]] = []
    if table == "二":
        flat = [(f"{b.caption}{T2_SEP}{r}", c) for b in edition.table2 for r in b.rows for c in b.columns]
        for (row, col), line in zip(flat, data):
            new = _text(line[3] if len(line) > 3 else "")
            if new != raw_text(report, "二", row, col):
                changed.append((row, col, new))
        return changed
    cells = table_cells(edition, table)
    for (row, cols), line in zip(cells, data):
        for j, col in enumerate(cols, start=1):
            new = _text(line[j] if j < len(line) else "")
            if new != raw_text(report, table, row, col):
                changed.append((row, col, new))
    return changed


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
