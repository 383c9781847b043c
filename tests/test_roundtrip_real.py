"""A real report written out by our exporters reads back with every cell's state and value intact."""

import pytest

from assistant.export import to_docx, to_html, to_markdown, to_text
from assistant.parse import parse_bytes

pytestmark = pytest.mark.realdata  # the two real reports, by name below

EXPORTERS = {"report.html": to_html, "report.md": to_markdown, "report.txt": to_text, "report.docx": to_docx}


def states(table: dict) -> dict:
    return {row: {col: (c.state, c.value) for col, c in cols.items()} for row, cols in table.items()}


@pytest.mark.parametrize("name", EXPORTERS)
@pytest.mark.parametrize("which", ["linzi", "huaian"])
def test_export_then_parse_keeps_blanks_and_figures(which, name, request):
    report = request.getfixturevalue(which)
    out = EXPORTERS[name](report)
    again = parse_bytes(out if isinstance(out, bytes) else out.encode("utf-8"), name)
    assert (again.edition, again.agency, again.year) == (report.edition, report.agency, report.year)
    assert states(again.table3) == states(report.table3)
    assert states(again.table4) == states(report.table4)
    for caption in report.table2:
        assert states(again.table2[caption]) == states(report.table2[caption])
    assert [s.key for s in again.sections] == [s.key for s in report.sections]
