"""Which table cells a finding is about, and which cells a person changed in a grid.

The UI colours the cells and turns grid edits into ``Workspace.set_cell``
calls; both need the edition's layout, which is why this sits beside the
workspace rather than in the UI.
"""

from __future__ import annotations

from typing import Optional

from ..check import Finding, Severity
from ..model import Cell, Edition, Report, get_edition
from ..model.figures import plain
from ..model.refs import CellRef

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


def table_cells(edition: Edition, table: str) -> list[tuple[str, list[str]]]:
    """Every (row key, columns) of a table in display order."""
    if table == "三":
        return [(r.label, edition.table3.columns) for r in edition.table3.rows]
    if table == "四":
        return [(g, edition.table4.columns) for g in edition.table4.groups]
    return [(f"{b.caption}{T2_SEP}{r}", b.columns) for b in edition.table2 for r in b.rows]


def grid_key(ref: CellRef) -> Key:
    """Where a referenced cell sits in the grids: table 二 rows are keyed "条款｜行"."""
    row = f"{ref.block}{T2_SEP}{ref.row}" if ref.table == "二" else ref.row
    return (ref.table, row, ref.col)


def problem_cells(report: Report, findings: list[Finding]) -> dict[Key, Severity]:
    """The cells the findings point at, each with the worst severity pointing at it.

    Read from the findings' cell references only; their location text is for people.
    """
    out: dict[Key, Severity] = {}
    # A root cause lists the findings it explains under it: their cells are problem cells too.
    for f in (c for top in findings for c in top.all_findings()):
        for ref in f.cells:
            key = grid_key(ref)
            if key not in out or f.severity.rank < out[key].rank:
                out[key] = f.severity
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
    """A grid cell as typed, as text: 35.0 (the grid's float) as 35; nothing for an empty cell."""
    return "" if v is None else str(plain(v)).strip()
