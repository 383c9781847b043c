"""Rules judge only what was read: cells not read for sure give "无法核验", inferred ones are said to be inferred."""

from __future__ import annotations

import json

import pytest
from conftest import REALDATA
from factories import make_report
from refcheck import assert_references_resolve
from typer.testing import CliRunner

from assistant.check import Severity, run_checks
from assistant.check.catalogue import run
from assistant.cli import app
from assistant.model import Certainty, get_edition

BOTH = ["2019", "2021"]
HOW = "数字连写为“10203”，有多种拆法，无法确定各格数值"


def mark(report, table, row, col, certainty, how=HOW):
    body = report.table3 if table == "三" else report.table4
    cell = body[row][col]
    body[row][col] = cell.model_copy(update={"certainty": certainty, "how": how})
    return report


@pytest.mark.parametrize("certainty", [Certainty.unreadable, Certainty.uncertain])
@pytest.mark.parametrize("edition", BOTH)
def test_a_rule_that_needs_a_cell_not_read_for_sure_says_it_could_not_check_instead_of_erring(edition, certainty):
    ed = get_edition(edition)
    # 行政复议's 结果维持 is off by 5 (an error if it were read), and that cell is the one not read for sure.
    report = make_report(edition, t4={("review", "upheld"): 9})
    group, col = ed.table4.group("review"), ed.table4.column("upheld")
    mark(report, "四", group, col, certainty)
    done = run(report, strict=True)
    assert_references_resolve(report, done.findings)
    assert not [f for f in done.findings if f.severity is Severity.error]
    (note,) = [f for f in done.findings if f.code == "I4"]
    assert note.severity is Severity.info and note.unchecked and note.message.startswith("无法核验")
    assert [(c.table, c.row, c.col) for c in note.cells] == [("四", group, col)]
    assert HOW in note.computation
    assert "I4" in done.unchecked and "I4" in done.rules_run


@pytest.mark.parametrize("edition", BOTH)
def test_a_table_that_could_not_be_read_gives_one_note_per_rule_that_needed_it_and_no_figure(edition):
    report = make_report(edition, t4={("review", "total"): 99})
    report.unreadable_tables["四"] = "表四的数字连写在一起，拆法超过64种"
    done = run(report, strict=True)
    assert not [f for f in done.findings if f.severity is not Severity.info and any(c.table == "四" for c in f.cells)]
    notes = [f for f in done.findings if f.unchecked]
    assert {f.code for f in notes} >= {"I3", "I4"}
    assert len(notes) == len({f.code for f in notes})  # one per rule
    assert all("拆法超过64种" in f.computation for f in notes)
    assert sorted(done.unchecked) == sorted(f.code for f in notes)


@pytest.mark.parametrize("edition", BOTH)
def test_a_finding_resting_on_inferred_cells_says_they_were_inferred_and_how(edition):
    ed = get_edition(edition)
    row = ed.table3.row("disclosed").label
    report = make_report(edition, t3={("disclosed", "总计"): 11})
    how = "数字连写为“8200010”，按本行“各类申请人之和等于总计”只有一种拆法"
    for col in ed.table3.columns:
        mark(report, "三", row, col, Certainty.inferred, how)
    findings = run_checks(report, strict=True)
    i2 = next(f for top in findings for f in top.all_findings() if f.code == "I2")
    assert {(c.row, c.col) for c in i2.inferred} == {(row, col) for col in ed.table3.columns}
    assert "所用数值含推断值" in i2.computation and how in i2.computation
    # A finding that used no inferred cell says nothing of the kind.
    assert all(not f.inferred for top in findings for f in top.all_findings() if f.code == "N1")


def test_a_consistent_report_runs_every_rule_and_checks_everything():
    done = run(make_report("2021"), strict=True)
    assert done.findings == [] and done.unchecked == []
    assert "R1" in done.rules_run and "P1" in done.rules_run


def test_the_summary_line_counts_rules_run_and_rules_that_could_not_check(tmp_path):
    from assistant.check.files import check_report
    from assistant.check.render import summary_line, to_json, to_markdown

    report = make_report("2021")
    report.unreadable_tables["四"] = "表四无法读出"
    result = check_report(report, "x.txt")
    line = summary_line(result)
    assert line.startswith(f"运行规则 {result.rules_run} 条，其中 {len(result.rules_unchecked)} 条因单元格未能可靠读出而未能完全核验（")
    assert "I4" in result.rules_unchecked and f"提示 {result.count(Severity.info)} 项" in line
    data = json.loads(to_json([result]))
    assert data["reports"][0]["summary"]["rules_unchecked"] == result.rules_unchecked
    assert line in to_markdown([result])


@pytest.mark.realdata
def test_pingtan_2021_has_no_error_from_a_digit_run_that_was_not_uniquely_split():
    from assistant.parse import parse_file

    report = parse_file(REALDATA / "pingtan-2021.txt")
    done = run(report)
    unread = {(t, r, c) for t, body in (("三", report.table3), ("四", report.table4))
              for r, cols in body.items() for c, cell in cols.items() if not cell.is_read}
    unread |= {("二", r, c) for rows in report.table2.values() for r, cols in rows.items()
               for c, cell in cols.items() if not cell.is_read}
    assert unread  # the crawler text has runs no identity splits one way
    for f in done.findings:
        if f.severity is not Severity.info:
            assert not {(c.table, c.row, c.col) for c in f.cells} & unread, f.message
    assert {"I3", "I4"} <= set(done.unchecked)
    # Table 三 was split by its own identities: findings that use it say the figures were inferred.
    assert all(not f.inferred or "推断" in (f.computation or "") for f in done.findings)


@pytest.mark.realdata
def test_the_check_command_prints_the_summary_line_of_a_report_with_unread_cells():
    r = CliRunner().invoke(app, ["check", str(REALDATA / "pingtan-2021.txt")])
    assert "因单元格未能可靠读出而未能完全核验（" in r.output and "无法核验" in r.output
