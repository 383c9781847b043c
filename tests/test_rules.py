"""Every rule code fails on a report that breaks it and passes on one that does not.

Reports come from tests/factories.py: consistent by construction, then one
thing changed. Both editions are exercised wherever a rule applies to both.
"""

from __future__ import annotations

import pytest
from factories import default_paragraphs, make_report, previous_of
from refcheck import assert_references_resolve

from assistant.check import Severity, all_rules, run_checks

BOTH = ["2019", "2021"]
N, C, T = "自然人", "商业企业", "总计"


def found(report, code, previous=None):
    """The rule's findings, whether listed on their own or under the root cause that explains them."""
    findings = run_checks(report, previous, strict=True)
    assert_references_resolve(report, findings)
    return [f for top in findings for f in top.all_findings() if f.code == code]


def para(edition, year, section, index, text):
    """The default narrative with one paragraph replaced."""
    paras = default_paragraphs(edition, year)
    paras[section][index] = text
    return paras


@pytest.mark.parametrize("edition", BOTH)
def test_a_consistent_report_has_no_finding_at_all(edition):
    report = make_report(edition)
    assert run_checks(report, strict=True) == []
    assert run_checks(report, previous_of(report), strict=True) == []


def test_every_rule_is_documented():
    for r in all_rules():
        assert r.title and r.explanation and r.basis and r.failing and r.passing, r.code
        assert set(r.editions) <= {"2019", "2021"}


def test_the_checker_never_modifies_the_report():
    report = make_report("2019", t3={("total", N): None, ("total", T): None})
    before = report.model_dump()
    run_checks(report, previous_of(make_report("2019")), strict=True)
    assert report.model_dump() == before


# ---------------------------------------------------------------- P1 / P2 / I1 / I2


@pytest.mark.parametrize("edition", BOTH)
def test_p1_fails_in_each_column_where_new_plus_carried_differs(edition):
    report = make_report(edition, t3={("new", N): 28, ("new", T): 31})
    hits = found(report, "P1")
    assert {h.location for h in hits} == {"表三 自然人列", "表三 总计列"}
    total = next(h for h in hits if "总计" in h.location)
    assert total.severity is Severity.error
    assert (total.expected, total.actual) == (33, 32)
    assert "一 + 二 = 31 + 2 = 33" in total.computation


@pytest.mark.parametrize("edition", BOTH)
def test_p1_uses_the_result_rows_when_total_row_is_empty(edition):
    cols = {("total", c): None for c in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]}
    report = make_report(edition, t3={**cols, ("carried_out", N): 8, ("carried_out", T): 8})
    hits = found(report, "P1")
    total = next(h for h in hits if h.location == "表三 总计列")
    assert "（七）为空，按各结果行之和计" in total.computation
    assert total.actual == 29 + 8


@pytest.mark.parametrize("edition", BOTH)
def test_p1_passes_when_identity_holds(edition):
    assert found(make_report(edition), "P1") == []


@pytest.mark.parametrize("edition", BOTH)
def test_p2_hints_at_double_counting_when_results_exceed_total(edition):
    report = make_report(edition, t3={("secret", N): 1, ("secret", T): 1})
    hits = found(report, "P2")
    assert len(hits) == 1 and hits[0].severity is Severity.info
    assert found(make_report(edition), "P2") == []


@pytest.mark.parametrize("edition", BOTH)
def test_i1_fails_when_results_do_not_sum_to_total(edition):
    report = make_report(edition, t3={("total", N): 27, ("total", T): 30})
    hits = found(report, "I1")
    assert {h.location for h in hits} == {"表三 （七）总计 × 自然人", "表三 （七）总计 × 总计"}
    assert all(h.severity is Severity.error for h in hits)
    total = next(h for h in hits if h.location.endswith("总计 × 总计"))
    assert (total.expected, total.actual) == (29, 30)


@pytest.mark.parametrize("edition", BOTH)
def test_i1_reports_an_empty_total_row_once_with_the_rows_sum(edition):
    cols = {("total", c): "" for c in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]}
    hits = found(make_report(edition, t3=cols), "I1")
    assert len(hits) == 1
    assert hits[0].expected == 29 and hits[0].actual is None
    assert "为空" in hits[0].message and "总计 29" in hits[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_i1_passes_on_consistent_results(edition):
    assert found(make_report(edition), "I1") == []


@pytest.mark.parametrize("edition", BOTH)
def test_i2_fails_for_a_sub_row_whose_total_is_not_the_sum(edition):
    hits = found(make_report(edition, t3={("third_party", T): 3}), "I2")
    assert len(hits) == 1
    assert hits[0].location == "表三 （三）不予公开 4.保护第三方合法权益 × 总计"
    assert (hits[0].expected, hits[0].actual) == (2, 3)


@pytest.mark.parametrize("edition", BOTH)
def test_i2_warns_when_only_the_total_column_is_filled(edition):
    blanks = {("disclosed", c): "" for c in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]}
    hits = found(make_report(edition, t3=blanks), "I2")
    assert len(hits) == 1 and hits[0].severity is Severity.warning


@pytest.mark.parametrize("edition", BOTH)
def test_i2_passes_on_consistent_rows(edition):
    assert found(make_report(edition), "I2") == []


# ---------------------------------------------------------------- I3


@pytest.mark.parametrize("edition", BOTH)
def test_i3_groups_blank_cells_by_table(edition):
    blanks = {(k, c): "" for k in ("secret", "three_safety") for c in ["商业企业", "科研机构", "其他"]}
    blanks[("inquiry", "其他")] = "/"
    hits = found(make_report(edition, t3=blanks), "I3")
    assert len(hits) == 1
    assert hits[0].severity is Severity.warning
    assert "3行共7个单元格" in hits[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_i3_negative_and_fractional_counts_are_errors(edition):
    report = make_report(edition, t4={("review", "other"): -1}, t3={("repeated", C): 0.5})
    hits = found(report, "I3")
    assert {h.location for h in hits} == {"表四 行政复议 × 其他结果", "表三 （五）不予处理 2.重复申请 × 商业企业"}
    assert all(h.severity is Severity.error for h in hits)


@pytest.mark.parametrize("edition", BOTH)
def test_i3_text_in_a_cell_is_a_warning(edition):
    hits = found(make_report(edition, t3={("publication", N): "无"}), "I3")
    assert len(hits) == 1 and "“无”" in hits[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_i3_passes_with_money_decimals_and_signed_changes(edition):
    # 2021 fees are 12.5 万元 and 2019 fee items change by -1: both legitimate.
    assert found(make_report(edition), "I3") == []


# ---------------------------------------------------------------- I4 / I5


@pytest.mark.parametrize("edition", BOTH)
def test_i4_fails_when_table4_group_does_not_add_up(edition):
    hits = found(make_report(edition, t4={("review", "total"): 5}), "I4")
    assert len(hits) == 1 and hits[0].location == "表四 行政复议 × 总计"
    assert (hits[0].expected, hits[0].actual) == (4, 5)
    assert found(make_report(edition), "I4") == []


@pytest.mark.parametrize("edition", BOTH)
def test_i5_lawsuit_total_is_the_sum_of_both_suit_groups(edition):
    year = 2020 if edition == "2019" else 2024
    text = "全年发生政府信息公开行政复议4件，其中结果维持2件、结果纠正1件、尚未审结1件；行政诉讼4件。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 2, text)), "I5")
    assert len(hits) == 1
    assert (hits[0].expected, hits[0].actual) == (3, 4)
    assert "2 + 1 = 3" in hits[0].computation
    assert found(make_report(edition), "I5") == []


# ---------------------------------------------------------------- I6–I9 (table 二)


@pytest.mark.parametrize("edition", BOTH)
def test_i6_a_district_office_cannot_report_rules(edition):
    col = "issued" if edition == "2021" else "made"
    stock = "in_force" if edition == "2021" else "published_total"
    rules = {("documents", "rules", col): 2, ("documents", "rules", stock): 2}
    report = make_report(edition, agency="某某区人民政府办公室", t2=rules)
    hits = found(report, "I6")
    assert len(hits) == 1 and hits[0].severity is Severity.warning
    assert "规章" in hits[0].location
    # A 设区的市 government may make them; a city name alone is not enough to judge.
    city = make_report(edition, agency="淮安市人民政府", t2=rules)
    assert found(city, "I6") == []
    assert found(make_report(edition, agency="某某区人民政府办公室"), "I6") == []


def test_i6_stock_cannot_be_below_issued_minus_repealed():
    report = make_report("2021", t2={("documents", "normative", "issued"): 9,
                                     ("documents", "normative", "in_force"): 3})
    hits = found(report, "I6")
    assert len(hits) == 1 and "现行有效件数" in hits[0].location
    assert hits[0].severity is Severity.error


def test_i6_repealed_cannot_exceed_last_years_stock_plus_issued():
    report = make_report("2021", t2={("documents", "normative", "repealed"): 30,
                                     ("documents", "normative", "in_force"): 30})
    previous = previous_of(make_report("2021"))
    hits = [h for h in found(report, "I6", previous) if h.severity is Severity.error]
    assert len(hits) == 1 and (hits[0].actual == 30)


def test_i7_published_total_not_below_newly_published():
    hits = found(make_report("2019", t2={("documents", "normative", "published_total"): 2}), "I7")
    assert len(hits) == 1 and hits[0].severity is Severity.error
    assert found(make_report("2019"), "I7") == []


def test_i8_decisions_equal_to_item_count_is_flagged():
    report = make_report("2019", t2={("licensing", "licensing", "items_prior"): 61,
                                     ("licensing", "licensing", "items_change"): 36,
                                     ("licensing", "licensing", "decisions"): 97})
    hits = found(report, "I8")
    assert len(hits) == 1 and hits[0].severity is Severity.info
    assert "61 + 36 = 97" in hits[0].computation


def test_i8_negative_item_count_is_an_error():
    hits = found(make_report("2019", t2={("fees", "fees", "items_change"): -5}), "I8")
    assert len(hits) == 1 and hits[0].severity is Severity.error
    assert found(make_report("2019"), "I8") == []


def test_i9_procurement_amount_needs_a_unit():
    hits = found(make_report("2019", t2={("procurement", "procurement", "procurement_amount"): "11.876"}), "I9")
    assert len(hits) == 1 and hits[0].actual == "11.876"
    assert found(make_report("2019"), "I9") == []  # "35.6万"


def test_i9_fee_amount_in_yuan_in_a_wanyuan_column():
    hits = found(make_report("2021", t2={("fees", "fees", "fee_amount"): "3940元"}), "I9")
    assert len(hits) == 1 and hits[0].expected == "万元"
    assert found(make_report("2021"), "I9") == []


# ---------------------------------------------------------------- I10


@pytest.mark.parametrize("edition", BOTH)
def test_i10_missing_row_is_an_error(edition):
    hits = found(make_report(edition, drop_rows=("total",)), "I10")
    assert len(hits) == 1 and hits[0].severity is Severity.error
    assert "（七）总计" in hits[0].message


def test_i10_old_format_in_a_2021_report_is_an_error():
    hits = found(make_report("2019", year=2022), "I10")
    assert [h.severity for h in hits] == [Severity.error]
    assert found(make_report("2021", year=2022), "I10") == []


@pytest.mark.parametrize("edition", BOTH)
def test_i10_altered_labels_but_not_width_or_numbering(edition):
    from assistant.model import LabelDeviation

    report = make_report(edition)
    report.labels = [
        LabelDeviation(table="三", official="5.属于三类内部事务信息", written="5.属于三类内容事务信息", kind="misspelling"),
        LabelDeviation(table="三", official="1.属于国家秘密", written="1．属于国家秘密", kind="width"),
        LabelDeviation(table="三", official="3.其他", written="3、其他", kind="numbering"),
    ]
    hits = found(report, "I10")
    assert [h.actual for h in hits] == ["5.属于三类内容事务信息"]


# ---------------------------------------------------------------- N1 / N2


def _application_paragraph(edition, text):
    year = 2020 if edition == "2019" else 2024
    return make_report(edition, paragraphs=para(edition, year, "一", 1, text))


@pytest.mark.parametrize("edition", BOTH)
def test_n1_completed_count_must_match_total(edition):
    report = _application_paragraph(edition, "本年共收到政府信息公开申请30件，申请办结数28件。")
    hits = found(report, "N1")
    assert len(hits) == 1
    assert hits[0].location.endswith("'申请办结数28件'")
    assert (hits[0].expected, hits[0].actual) == (29, 28)


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("figure", [30, 32])
def test_n1_accepted_may_mean_new_or_new_plus_carried(edition, figure):
    report = _application_paragraph(edition, f"全年受理政府信息公开申请{figure}件。")
    assert found(report, "N1") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n1_says_which_table_figures_were_tried(edition):
    hits = found(_application_paragraph(edition, "全年受理政府信息公开申请31件。"), "N1")
    assert len(hits) == 1
    assert "本年新收30件" in hits[0].message and "本年新收与上年结转之和32件" in hits[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_n1_new_means_new_only(edition):
    assert len(found(_application_paragraph(edition, "本年新收政府信息公开申请32件。"), "N1")) == 1


@pytest.mark.parametrize("edition", BOTH)
def test_n1_wider_scope_figure_is_not_compared(edition):
    # Not compared: at most an info note that names the scope (issue 11).
    text = "全区共受理政府信息公开申请500件，办结480件。"
    notes = found(_application_paragraph(edition, text), "N1")
    assert [f.severity for f in notes] == [Severity.info, Severity.info]
    assert all("“全区”的范围" in f.message and "未作比较" in f.message for f in notes)


def test_n1_a_government_speaking_of_its_own_city_is_compared():
    year = 2024
    text = "全市共受理政府信息公开申请500件。"
    report = make_report("2021", agency="某某市人民政府", paragraphs=para("2021", year, "一", 1, text))
    assert len(found(report, "N1")) == 1


@pytest.mark.parametrize("edition", BOTH)
def test_n1_carry_over_words(edition):
    report = _application_paragraph(edition, "办结政府信息公开申请29件（含上年结转申请2件，另有4件顺延到下年度办理）。")
    hits = found(report, "N1")
    assert [(h.expected, h.actual) for h in hits] == [(3, 4)]


@pytest.mark.parametrize("edition", BOTH)
def test_n2_breakdown_must_add_up_to_its_own_total(edition):
    text = "申请办结数29件，其中同意公开答复数10件，不同意公开答复数4件，不属于本行政机关公开数6件，申请信息不存在数1件，其他处理10件。"
    hits = [h for h in found(_application_paragraph(edition, text), "N2") if "其中所列" in h.message]
    assert len(hits) == 1
    assert "10 + 4 + 6 + 1 + 10 = 31 ≠ 29" == hits[0].computation


@pytest.mark.parametrize("edition", BOTH)
def test_n2_breakdown_against_table_categories(edition):
    text = "本年共收到政府信息公开申请30件，其中予以公开11件。"
    hits = found(_application_paragraph(edition, text), "N2")
    assert len(hits) == 1 and hits[0].severity is Severity.error
    assert (hits[0].expected, hits[0].actual) == (10, 11)


@pytest.mark.parametrize("edition", BOTH)
def test_n2_category_moved_to_another_row_is_a_warning(edition):
    # Table: not_held 6, 其他处理 3. The narrative puts 3 "信息不存在" with 不掌握.
    text = "申请办结数29件，其中予以公开10件，部分公开4件，不予公开3件，不属于本机关6件，信息不存在3件，不予处理2件，没有现成信息1件。"
    hits = found(_application_paragraph(edition, text), "N2")
    assert [h.severity for h in hits] == [Severity.warning]
    assert "（六）其他处理" in hits[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_n2_passes_on_consistent_breakdown(edition):
    assert found(make_report(edition), "N2") == []


# ---------------------------------------------------------------- N3–N6


@pytest.mark.parametrize("edition", BOTH)
def test_n3_percentage_against_its_base(edition):
    year = 2020 if edition == "2019" else 2024
    bad = "主动公开政府信息1200条，其中政策文件500条，占41%。"
    good = "主动公开政府信息1200条，其中政策文件500条，占41.7%。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 0, bad)), "N3")
    assert len(hits) == 1 and "500 ÷ 1200" in hits[0].computation
    assert found(make_report(edition, paragraphs=para(edition, year, "一", 0, good)), "N3") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n3_year_over_year_change_against_last_years_table(edition):
    year = 2020 if edition == "2019" else 2024
    last = {("new", N): 17, ("new", T): 20}  # last year's 新收 20; this year's 30

    def hits(text, with_previous=True):
        report = make_report(edition, paragraphs=para(edition, year, "一", 1, text))
        return found(report, "N3", previous_of(report, t3=last) if with_previous else None)

    bad = hits("本机关共收到政府信息公开申请30件，较上年增加5件。")
    assert len(bad) == 1 and (bad[0].expected, bad[0].actual) == ("增加10件", "5件")
    assert "30 − 20 = 10" in bad[0].computation
    pct = hits("本机关共收到政府信息公开申请30件，同比增长33.3%。")
    assert len(pct) == 1 and pct[0].expected == "增长50%"
    down = hits("新收申请数量比上年减少10件。")
    assert len(down) == 1 and down[0].expected == "增加10件"
    assert hits("本机关共收到政府信息公开申请30件，较上年增加10件。") == []
    assert hits("本机关共收到政府信息公开申请30件，同比增长50%。") == []
    assert hits("新收申请数量比上年增加10件。") == []
    assert hits("申请办结率同比提高5%。") == []  # a rate, not a count
    assert hits("本机关共收到政府信息公开申请30件，较上年增加5件。", with_previous=False) == []


@pytest.mark.parametrize("edition", BOTH)
def test_n4_all_upheld_claim_against_pending_cases(edition):
    year = 2020 if edition == "2019" else 2024
    text = "全年发生政府信息公开行政复议4件，复议案件均获维持。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 2, text)), "N4")
    assert len(hits) == 1 and "尚未审结 1" in hits[0].message
    upheld = {("review", "upheld"): 4, ("review", "corrected"): 0, ("review", "pending"): 0}
    ok = make_report(edition, t4=upheld, paragraphs=para(edition, year, "一", 2, text))
    assert found(ok, "N4") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n4_no_review_claim_against_table4(edition):
    year = 2020 if edition == "2019" else 2024
    text = "全年未发生政府信息公开行政复议案件。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 2, text)), "N4")
    assert len(hits) == 1 and hits[0].actual == 4


@pytest.mark.parametrize("edition", BOTH)
def test_n4_review_count_and_parts(edition):
    year = 2020 if edition == "2019" else 2024
    text = "全年发生政府信息公开行政复议5件，其中结果维持2件、结果纠正2件、尚未审结1件。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 2, text)), "N4")
    assert {(h.expected, h.actual) for h in hits} == {(4, 5), (1, 2)}
    assert found(make_report(edition), "N4") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n5_remainder_list_must_add_up(edition):
    year = 2020 if edition == "2019" else 2024
    bad = "主动公开政府信息1200条，其中政策文件200条、其他信息900条。"
    partial = "主动公开政府信息1200条，其中政策文件200条、解读材料100条。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 0, bad)), "N5")
    assert len(hits) == 1 and hits[0].severity is Severity.error
    assert hits[0].computation == "200 + 900 = 1100 ≠ 1200"
    soft = found(make_report(edition, paragraphs=para(edition, year, "一", 0, partial)), "N5")
    assert [h.severity for h in soft] == [Severity.info]
    assert found(make_report(edition), "N5") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n5_same_quantity_stated_twice_with_different_figures(edition):
    year = 2020 if edition == "2019" else 2024
    paras = default_paragraphs(edition, year)
    paras["二"] = ["全年主动公开信息1100条。"]
    hits = found(make_report(edition, paragraphs=paras), "N5")
    assert len(hits) == 1 and hits[0].severity is Severity.warning
    assert (hits[0].expected, hits[0].actual) == (1200, 1100)
    assert "一、总体情况" in hits[0].message and "二、主动公开政府信息情况" in hits[0].location
    paras["二"] = ["全年主动公开政府信息1200条。通过政务微博主动公开信息300条。"]
    assert found(make_report(edition, paragraphs=paras), "N5") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n6_normative_documents_against_table2(edition):
    year = 2020 if edition == "2019" else 2024
    word = "制发行政规范性文件" if edition == "2021" else "新制作规范性文件"
    bad = f"全年{word}8件。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "一", 0, bad)), "N6")
    assert len(hits) == 1 and hits[0].severity is Severity.warning
    policy = "全年印发政策性文件11件。"
    assert found(make_report(edition, paragraphs=para(edition, year, "一", 0, policy)), "N6") == []
    assert found(make_report(edition), "N6") == []


# ---------------------------------------------------------------- N7–N11


def test_n7_no_fee_said_while_unpaid_fee_row_is_not_zero():
    moved = {("overdue_correction", N): 1, ("overdue_correction", T): 1,
             ("unpaid_fee", N): 1, ("unpaid_fee", T): 1}
    hits = found(make_report("2021", t3=moved), "N7")
    assert len(hits) == 1 and hits[0].severity is Severity.info
    assert found(make_report("2021"), "N7") == []


def test_n7_information_fee_entered_as_administrative_fee():
    paras = para("2021", 2024, "六", 0, "全年收取政府信息公开信息处理费3940元。")
    hits = found(make_report("2021", t2={("fees", "fees", "fee_amount"): 0.394}, paragraphs=paras), "N7")
    assert len(hits) == 1 and hits[0].severity is Severity.warning
    assert found(make_report("2021", paragraphs=paras), "N7") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n8_declared_structure(edition):
    year = 2020 if edition == "2019" else 2024
    text = "本报告由总体情况、主动公开政府信息情况等五大内容组成。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "preamble", 0, text)), "N8")
    assert len(hits) == 1 and (hits[0].expected, hits[0].actual) == (6, 5)
    five = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "存在的主要问题及改进情况、其他需要报告的事项六部分组成。")
    hits = found(make_report(edition, paragraphs=para(edition, year, "preamble", 0, five)), "N8")
    assert len(hits) == 1 and (hits[0].expected, hits[0].actual) == (6, 5)


@pytest.mark.parametrize("edition", BOTH)
def test_n8_missing_section(edition):
    report = make_report(edition)
    report.sections = [s for s in report.sections if s.key != "五"]
    hits = found(report, "N8")
    assert len(hits) == 1 and "五、存在的主要问题及改进情况" in hits[0].message
    assert found(make_report(edition), "N8") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n9_statistics_period_of_another_year(edition):
    year = 2020 if edition == "2019" else 2024
    text = f"本报告中所列数据的统计期限自{year - 1}年1月1日起至{year - 1}年12月31日止。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "preamble", 1, text)), "N9")
    assert len(hits) == 1 and (hits[0].expected, hits[0].actual) == (year, year - 1)
    assert found(make_report(edition), "N9") == []


def test_n9_outdated_format_document():
    text = "本报告按照国办公开办函〔2019〕60号印发的格式编制。"
    hits = found(make_report("2021", paragraphs=para("2021", 2024, "preamble", 1, text)), "N9")
    assert len(hits) == 1
    ok = make_report("2019", paragraphs=para("2019", 2020, "preamble", 1, text))
    assert found(ok, "N9") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n9_wrong_format_document_number(edition):
    year = 2020 if edition == "2019" else 2024
    right = "〔2019〕60号" if edition == "2019" else "〔2021〕30号"
    text = "本报告按照《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕3号）编制。"
    hits = found(make_report(edition, paragraphs=para(edition, year, "preamble", 1, text)), "N9")
    assert len(hits) == 1 and hits[0].severity is Severity.warning
    assert "文号有误" in hits[0].message and hits[0].expected == f"国办公开办函{right}"
    other = "本机关落实国办公开办函〔2022〕12号的要求，规范政务公开工作。"  # not the format
    assert found(make_report(edition, paragraphs=para(edition, year, "preamble", 1, other)), "N9") == []


def test_n9_format_title_with_trial_in_a_2021_report():
    text = "本报告按照《中华人民共和国政府信息公开工作年度报告格式（试行）》编制。"
    hits = found(make_report("2021", paragraphs=para("2021", 2024, "preamble", 1, text)), "N9")
    assert len(hits) == 1 and hits[0].severity is Severity.info
    assert found(make_report("2019", paragraphs=para("2019", 2020, "preamble", 1, text)), "N9") == []
    ok = "本报告按照《中华人民共和国政府信息公开工作年度报告格式》编制。"
    assert found(make_report("2021", paragraphs=para("2021", 2024, "preamble", 1, ok)), "N9") == []


@pytest.mark.parametrize("edition", BOTH)
def test_n10_government_report_needs_assessment_and_accountability(edition):
    year = 2020 if edition == "2019" else 2024
    paras = para(edition, year, "一", 3, "继续加强政务公开平台建设。")
    hits = found(make_report(edition, agency="某某市人民政府", paragraphs=paras), "N10")
    assert len(hits) == 1 and "责任追究" in hits[0].message
    assert found(make_report(edition, agency="某某市人民政府"), "N10") == []
    assert found(make_report(edition, paragraphs=paras), "N10") == []  # a department


@pytest.mark.parametrize("edition", BOTH)
def test_n11_copy_paste_artefacts(edition):
    year = 2020 if edition == "2019" else 2024
    paras = para(edition, year, "五", 0, "全县政务公开工作仍有差距，本月受理申请较多。")
    hits = found(make_report(edition, agency="某某区人民政府办公室", paragraphs=paras), "N11")
    assert {h.actual for h in hits} == {"全县", "本月"}
    ok = para(edition, year, "五", 0, "全区、全市政务公开工作仍有差距。")
    assert found(make_report(edition, agency="某某区人民政府办公室", paragraphs=ok), "N11") == []


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize(
    "agency, text, word",
    [
        ("某某市生态环境局", "在街办动态栏目更新信息20条。", "街办动态"),
        ("某某区人民政府", "本镇政务公开工作仍有差距。", "本镇"),
        ("某某区人民政府", "本局政务公开工作仍有差距。", "本局"),
    ],
)
def test_n11_words_of_another_type_of_agency(edition, agency, text, word):
    year = 2020 if edition == "2019" else 2024
    paras = para(edition, year, "五", 0, text)
    hits = found(make_report(edition, agency=agency, paragraphs=paras), "N11")
    assert [h.actual for h in hits] == [word] and hits[0].severity is Severity.info


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize(
    "agency, text",
    [
        ("某某街道办事处", "在街办动态栏目更新信息20条。"),
        ("某某镇人民政府", "本镇政务公开工作仍有差距。"),
        ("某某市生态环境局", "本局政务公开工作仍有差距。"),
        ("某某区人民政府", "指导各镇街开展政务公开工作，全镇街公开专栏已全部建成。"),
        ("某某区人民政府", "政务公开的基本局面已经形成。"),
    ],
)
def test_n11_words_of_the_agencys_own_type_pass(edition, agency, text):
    year = 2020 if edition == "2019" else 2024
    paras = para(edition, year, "五", 0, text)
    assert found(make_report(edition, agency=agency, paragraphs=paras), "N11") == []


# ---------------------------------------------------------------- X1–X6


@pytest.mark.parametrize("edition", BOTH)
def test_x1_carried_in_equals_last_years_carried_out(edition):
    report = make_report(edition)
    previous = previous_of(report)
    assert found(report, "X1", previous) == []
    previous.table3[previous.table3 and list(previous.table3)[-1]]["自然人"].value = 5
    previous.table3[list(previous.table3)[-1]]["总计"].value = 5
    hits = found(report, "X1", previous)
    assert {h.location for h in hits} == {"表三 二、上年结转 × 自然人", "表三 二、上年结转 × 总计"}
    assert all((h.expected, h.actual) == (5, 2) for h in hits)


def test_x1_holds_across_the_edition_change():
    report = make_report("2021", year=2021)
    previous = previous_of(make_report("2019", year=2021))
    previous.year = 2020
    assert found(report, "X1", previous) == []
    assert found(report, "X5", previous) == []


def test_x1_refuses_a_previous_report_of_another_year():
    report = make_report("2021")
    previous = previous_of(report)
    previous.year = 2019
    hits = found(report, "X1", previous)
    assert [h.severity for h in hits] == [Severity.info]


def test_x2_in_force_stock_flow():
    report = make_report("2021")
    previous = previous_of(report)
    assert found(report, "X2", previous) == []
    previous.table2["第二十条第（一）项"]["行政规范性文件"]["现行有效件数"].value = 20
    hits = found(report, "X2", previous)
    assert len(hits) == 1 and hits[0].computation == "20 + 3 − 1 = 22 ≠ 20"


def test_x3_item_chain_and_cumulative_total():
    report = make_report("2019")
    previous = previous_of(report)
    assert found(report, "X3", previous) == []
    block = previous.table2["第二十条第（五）项"]["行政许可"]
    block["上一年项目数量"].value = 9
    previous.table2["第二十条第（一）项"]["规范性文件"]["对外公开总数量"].value = 25
    hits = found(report, "X3", previous)
    assert len(hits) == 2


@pytest.mark.parametrize("edition", BOTH)
def test_x4_pending_cases_without_any_case_this_year(edition):
    zero = {("review", k): 0 for k in ("upheld", "corrected", "other", "pending", "total")}
    year = 2020 if edition == "2019" else 2024
    paras = para(edition, year, "一", 2, "全年未发生政府信息公开行政复议。")
    report = make_report(edition, t4=zero, paragraphs=paras)
    hits = found(report, "X4", previous_of(make_report(edition)))
    assert len(hits) == 1 and hits[0].severity is Severity.info
    assert found(make_report(edition), "X4", previous_of(make_report(edition))) == []


def test_x5_format_going_back_is_flagged():
    report = make_report("2019", year=2020)
    previous = make_report("2021", year=2019)
    assert len(found(report, "X5", previous)) == 1


@pytest.mark.parametrize("edition", BOTH)
def test_x6_repeated_text(edition):
    report = make_report(edition)
    same = make_report(edition, year=report.year - 1)
    hits = found(report, "X6", same)
    # Same narrative and, here, the very same table 三: both are 雷同.
    assert {h.location for h in hits} == {"整份报告（叙述部分）", "表三 总计列"}
    assert next(h for h in hits if "叙述" in h.location).actual >= 50
    assert found(report, "X6", previous_of(report)) == []
