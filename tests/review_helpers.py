"""What the review tests share: reports with chosen cells changed (the ``review_store`` fixture,
a database of each kind, is in conftest.py).

Reports with errors are made from the reference reports: parsed, the given
cells changed, and written out again as Markdown by the project's exporter.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference"


def reference(slug: str, suffix: str = "md") -> Path:
    return REFERENCE / slug / f"report.{suffix}"


def changed_report(slug: str, changes: dict[tuple[str, str, str], float]):
    """The reference report ``slug`` as read, with cells (table, row, column) set to new figures."""
    from assistant.parse import parse_file

    report = parse_file(reference(slug, "txt"))
    for (table, row, col), value in changes.items():
        grid = {"三": report.table3, "四": report.table4}[table]
        cell = grid[row][col]
        text = str(int(value)) if float(value).is_integer() else str(value)
        grid[row][col] = cell.model_copy(update={"value": value, "raw": text})
    return report


def with_cells(slug: str, changes: dict[tuple[str, str, str], float]) -> str:
    """The reference report ``slug`` as Markdown, with cells (table, row, column) set to new figures."""
    from assistant.export import to_markdown

    return to_markdown(changed_report(slug, changes))
