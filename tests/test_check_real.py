"""The checker on the two real published reports (../shared/realdata)."""

from __future__ import annotations

from assistant.check import Severity, run_checks


def _by(findings, code, severity=None):
    return [f for f in findings if f.code == code and (severity is None or f.severity is severity)]


def test_linzi_identity_fails_with_its_figures(linzi):
    findings = run_checks(linzi)
    # One error: the 总计 column's identity, with the 自然人 column's (the same 8 short) under it.
    (p1,) = _by(findings, "P1", Severity.error)
    assert p1.location == "表三 总计列"
    assert [c.location for c in p1.consequences] == ["表三 自然人列"]
    assert "自然人列同样不成立" in p1.message
    for f in p1.all_findings():
        assert (f.expected, f.actual) == (35, 43)
        assert "一 + 二 = 35 + 0 = 35" in f.computation
        assert "(4 + 0 + 26 + 5 = 35) + 8 = 43" in f.computation


def test_linzi_empty_total_row_is_an_error_with_the_rows_sum(linzi):
    (i1,) = _by(run_checks(linzi), "I1", Severity.error)
    assert "为空" in i1.message and i1.expected == 35 and i1.actual is None
    assert "4 + 0 + 26 + 5 = 35" in i1.computation


def test_linzi_narrative_breakdowns_that_do_not_add_up(linzi):
    findings = run_checks(linzi)
    (n5,) = _by(findings, "N5", Severity.error)
    assert (n5.expected, n5.actual) == (631, 615)
    assert n5.computation == "12 + 1 + 1 + 601 = 615 ≠ 631"
    n2 = _by(findings, "N2", Severity.error)
    assert [(f.expected, f.actual, f.computation) for f in n2] == [(33, 35, "4 + 0 + 26 + 5 = 35 ≠ 33")]
    assert "申请办结数33件" in n2[0].location


def test_linzi_completed_count_against_the_table(linzi):
    (n1,) = _by(run_checks(linzi), "N1", Severity.error)
    assert (n1.expected, n1.actual) == (35, 33)
    assert "申请办结数33件" in n1.location


def test_linzi_category_mismatch_is_a_warning(linzi):
    (w,) = _by(run_checks(linzi), "N2", Severity.warning)
    assert "申请信息不存在数5件" in w.location
    assert "（六）其他处理" in w.message


def test_linzi_blank_cells_are_grouped_warnings(linzi):
    i3 = _by(run_checks(linzi), "I3")
    assert i3 and all(f.severity is Severity.warning for f in i3)
    assert len(i3) <= 3  # one per table, not one per cell


def test_linzi_consistent_parts_are_not_flagged(linzi):
    findings = run_checks(linzi)
    errors = [f for f in findings if f.severity is Severity.error]
    assert {f.code for f in errors} == {"P1", "I1", "N1", "N2", "N5"}
    # Its five errors; the P1 failure in the 自然人 column is shown under the 总计 column's.
    assert len(errors) == 5
    assert sum(len(f.all_findings()) for f in errors) == 6
    text = " ".join(f"{f.location} {f.message} {f.computation}" for f in findings)
    assert "受理" not in text  # 受理 35 = 当面 1 + 信函 33 + 网上 1
    assert not _by(findings, "I4")  # table 四 groups add up
    assert not _by(findings, "I9")  # 采购 19.7万 has its unit
    assert not _by(findings, "I10")  # full-width "1．" is not an altered label


def test_huaian_has_no_error(huaian):
    findings = run_checks(huaian)
    assert [f for f in findings if f.severity is Severity.error] == []
    # "政策性文件11件" is not the table's 行政规范性文件 8: at most a note.
    assert all(f.severity is Severity.info for f in findings if "政策性文件" in f.location + f.message)


def test_huaian_city_wide_figures_are_its_own_and_match(huaian):
    from assistant.check.catalogue import CheckContext

    ctx = CheckContext(huaian)
    quantities = {(x.quantity, x.value) for s in ctx.narrative.sentences for x in s.mentions if x.quantity}
    assert {("received", 3119), ("total", 3050), ("carried_in", 34), ("carried_out", 103)} <= quantities


def test_findings_on_the_real_reports_point_at_their_cells_and_words(linzi, huaian):
    from refcheck import assert_references_resolve

    for report in (linzi, huaian):
        assert_references_resolve(report, run_checks(report))
    n1 = _by(run_checks(linzi), "N1")[0]
    (span,) = n1.spans
    text = linzi.section(span.section).paragraphs[span.paragraph - 1].text
    assert text[span.start:span.end] == "申请办结数33件"


def test_hongze_errors_are_its_two_table_four_totals_and_its_layout_is_warned(realdata_dir):
    from assistant.parse import parse_file

    findings = run_checks(parse_file(realdata_dir / "hongze-district-2023.pdf"))
    errors = [f for f in findings if f.severity is Severity.error]
    assert sorted((f.location, f.expected, f.actual) for f in errors) == [
        ("表四 复议后起诉 × 总计", 5, 0), ("表四 行政复议 × 总计", 11, 0)]
    warnings = {(f.code, f.location) for f in findings if f.severity is Severity.warning}
    # The misprinted label and the 2019-style one-row （六）, both tolerated and reported.
    assert {("I10", "表三 “2.其他法律行政止公开”"), ("I10", "表三 （六）其他处理")} <= warnings
