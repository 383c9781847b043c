"""Root causes: one wrong or blank cell that breaks several identities is one error, at the cause."""

from __future__ import annotations

import pytest
from factories import make_report
from refcheck import assert_references_resolve

from assistant.check import Severity, run_checks
from assistant.model import CellState, get_edition

BOTH = ["2019", "2021"]
N, T = "自然人", "总计"


def errors(report):
    findings = run_checks(report, strict=True)
    assert_references_resolve(report, findings)
    return [f for f in findings if f.severity is Severity.error]


def codes(finding):
    return sorted(c.code for c in finding.consequences)


@pytest.mark.parametrize("edition", BOTH)
def test_a_mistyped_total_cell_breaking_its_row_its_column_and_the_printed_identity_is_one_error(edition):
    # （七）总计 × 自然人 should be 26 (the column's results); 53 breaks I2 (the row), I1 and P1 (the column).
    (root,) = errors(make_report(edition, t3={("total", N): 53}))
    assert root.code == "R1" and root.severity is Severity.error
    assert [(c.row, c.col) for c in root.cells] == [("（七）总计", N)]
    assert (root.expected, root.actual) == (26, 53)
    assert codes(root) == ["I1", "I2", "P1"]
    assert "应为26" in root.message and "改为26后" in root.message
    # Each consequence keeps its own figures.
    i1 = next(c for c in root.consequences if c.code == "I1")
    assert (i1.expected, i1.actual) == (26, 53)


@pytest.mark.parametrize("edition", BOTH)
def test_a_mistyped_applicant_cell_of_a_row_outside_the_results_is_one_error(edition):
    (root,) = errors(make_report(edition, t3={("new", N): 28}))
    assert root.code == "R1" and [(c.row, c.col) for c in root.cells] == [("一、本年新收政府信息公开申请数量", N)]
    assert (root.expected, root.actual) == (27, 28)
    assert codes(root) == ["I2", "P1"]


@pytest.mark.parametrize("edition", BOTH)
def test_a_mistyped_total_that_the_narrative_quotes_right_gathers_the_narrative_finding_too(edition):
    # The narrative says 10 予以公开; the table's 总计 says 11: row, column and narrative all point at that cell.
    (root,) = errors(make_report(edition, t3={("disclosed", T): 11}))
    assert root.code == "R1" and (root.expected, root.actual) == (10, 11)
    # P2's hint (results exceed （七） by no more than 部分公开) has the same cause.
    assert codes(root) == ["I1", "I2", "N2", "P2"]


@pytest.mark.parametrize("edition", BOTH)
def test_a_blank_total_column_is_one_error_with_the_figures_the_applicant_columns_give(edition):
    ed = get_edition(edition)
    results = [r.key for r in ed.table3.rows if r.result]
    report = make_report(edition, t3={(k, T): "" for k in results})
    (root,) = errors(report)
    assert root.code == "R1" and root.area is not None and (root.area.kind.value, root.area.col) == ("column", T)
    assert root.message.startswith("总计列（一）至（六）") and "空白；按申请人各列计算应为（一）=10" in root.message
    assert "据此总计列各结果行之和等于（七）总计" in root.message and root.message.endswith("成立。")
    # The rows' I2 errors, （七）'s I1 error ("0 ≠ 29") and the narrative's breakdown all under it.
    assert "I1" in codes(root) and codes(root).count("I2") >= 8 and "N2" in codes(root)
    i1 = next(c for c in root.consequences if c.code == "I1")
    assert (i1.expected, i1.actual) == (0, 29)
    # Blank cells stay blank in the model; only the finding computes.
    assert all(report.table3[ed.table3.row(k).label][T].state is CellState.blank for k in results)


@pytest.mark.parametrize("edition", BOTH)
def test_a_whole_blank_total_column_is_one_error(edition):
    ed = get_edition(edition)
    report = make_report(edition, t3={(r.key, T): "" for r in ed.table3.rows})
    (root,) = errors(report)
    assert root.code == "R1" and root.message.startswith("总计列整列空白")
    assert codes(root).count("I2") >= 10 and "N1" in codes(root)


@pytest.mark.parametrize("edition", BOTH)
def test_an_empty_total_row_is_one_error(edition):
    ed = get_edition(edition)
    (only,) = errors(make_report(edition, t3={("total", c): "" for c in ed.table3.columns}))
    assert only.code == "I1" and only.expected == 29 and only.actual is None


@pytest.mark.parametrize("edition", BOTH)
def test_two_independent_slips_stay_two_errors(edition):
    # One application moved from （二） to （一） in the 自然人 column: both rows are wrong, no single cell explains both.
    found = errors(make_report(edition, t3={("disclosed", N): 9, ("partly", N): 3}))
    assert sorted(f.code for f in found) == ["I2", "I2"] and all(not f.consequences for f in found)


@pytest.mark.parametrize("edition", BOTH)
def test_the_same_shortfall_in_an_applicant_column_and_the_total_column_is_one_error(edition):
    # 一、本年新收 one more in both 自然人 and 总计 (the row still adds up): P1 fails in both columns, once.
    # (The narrative's "收到30件" now disagrees with the table too: that is N1's own finding.)
    found = errors(make_report(edition, t3={("new", N): 28, ("new", T): 31}))
    assert sorted(f.code for f in found) == ["N1", "P1"]
    (p1,) = [f for f in found if f.code == "P1"]
    assert p1.code == "P1" and p1.area.col == T
    assert [(c.code, c.area.col) for c in p1.consequences] == [("P1", N)]
    assert "自然人列同样不成立" in p1.message


@pytest.mark.parametrize("edition", BOTH)
def test_every_single_cell_change_in_tables_three_and_four_is_exactly_one_error_at_that_cell(edition):
    ed = get_edition(edition)
    base = make_report(edition)
    for row in ed.table3.rows:
        for col in ed.table3.columns:
            cell = base.table3[row.label][col]
            report = make_report(edition, t3={(row.key, col): cell.value + 1})
            found = [f for f in errors(report) if f.code[0] in "PRI"]
            assert len(found) == 1, (row.label, col, [(f.code, f.location) for f in found])
            (f,) = found
            assert f.code == "R1" and [(c.row, c.col) for c in f.cells] == [(row.label, col)], (row.label, col)
            assert f.expected == cell.value and f.actual == cell.value + 1
    for group in ed.table4.groups:
        for label, key in ed.table4.column_keys.items():
            value = base.table4[group][label].value
            report = make_report(edition, t4={(ed.table4.group_keys[group], key): value + 1})
            found = [f for f in errors(report) if f.code[0] in "PRI"]
            assert len(found) == 1, (group, label, [(f.code, f.location) for f in found])
            (f,) = found
            # I4 alone, or, where the narrative quotes the cell's right figure, the cell as the cause.
            if f.code == "R1":
                assert [(c.row, c.col) for c in f.cells] == [(group, label)] and "I4" in codes(f)
            else:
                assert f.code == "I4" and f.cells[0].row == group
