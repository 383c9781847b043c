"""Every rendering of every reference report reads back into the expected cells."""

import json
from pathlib import Path

import pytest

from assistant.parse import parse_file

REFERENCE = Path(__file__).resolve().parents[1] / "evals" / "reference"
CASES = sorted(p.parent for p in REFERENCE.glob("*/expected.json"))
RENDERINGS = ["report.txt", "report.md", "report.html", "report.docx", "report.pdf"]


def cells(report) -> dict:
    def flat(cell):
        out = {"value": cell.value, "state": cell.state.value}
        if cell.unit:
            out["unit"] = cell.unit
        return out

    return {
        "table2": {c: {r: {k: flat(v) for k, v in cols.items()} for r, cols in rows.items()}
                   for c, rows in report.table2.items()},
        "table3": {r: {k: flat(v) for k, v in cols.items()} for r, cols in report.table3.items()},
        "table4": {g: {k: flat(v) for k, v in cols.items()} for g, cols in report.table4.items()},
    }


def test_there_are_enough_reference_reports():
    editions = [json.loads((c / "expected.json").read_text(encoding="utf-8"))["edition"] for c in CASES]
    assert len(CASES) >= 8 and {"2019", "2021"} <= set(editions)


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rendering_reads_back_every_cell(case, rendering):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    report = parse_file(case / rendering)
    assert report.edition == expected["edition"]
    assert report.agency == expected["agency"]
    assert report.year == expected["year"]
    assert [s.key for s in report.sections] == expected["sections"]
    got = cells(report)
    for table in ("table2", "table3", "table4"):
        assert got[table] == expected[table], f"{case.name}/{rendering} {table}"
