"""The figure guard: every number traces to a fact or a declared derivation."""

from pathlib import Path

import pytest

from assistant.draft import ExtraFigure, check_text, guard, load_facts
from assistant.draft.facts import read_previous

REF = Path(__file__).resolve().parents[1] / "evals" / "reference"


@pytest.fixture(scope="module")
def city():
    """青禾市人民政府 2023 with last year's report, an extra figure and a note."""
    facts = load_facts(REF / "qinghe-city-2023" / "report.yaml")
    facts.previous = read_previous(REF / "qinghe-city-2022" / "report.yaml")
    facts.extra = [ExtraFigure(label="门户网站发布政府信息", value=6587, unit="条", previous=6142),
                   ExtraFigure(label="收取信息处理费", value=0, unit="元")]
    facts.notes = ["全市组织政务公开专题培训3场，咨询电话0571-12345678。"]
    return facts


def reasons(text, facts, **kw):
    return [(i.figure, i.reason) for i in guard(text, facts, **kw)]


def test_table_figures_and_group_subtotals_are_supported(city):
    text = ("全年新收政府信息公开申请174件，上年结转15件。全年办结178件，其中予以公开69件、部分公开19件、"
            "不予公开15件、无法提供52件、不予处理14件、其他处理9件；结转下年度继续办理11件。")
    assert guard(text, city) == []


def test_a_figure_off_by_one_is_caught_with_the_fact_it_should_be(city):
    issues = guard("全年办结政府信息公开申请179件。", city)
    assert [i.figure for i in issues] == ["179件"]
    assert "178" in issues[0].reason and "（七）总计" in issues[0].expected


def test_a_real_value_under_the_wrong_words_is_caught(city):
    # 19 is a real cell (部分公开), but not what 予以公开 was.
    issues = guard("全年办结申请178件，其中予以公开19件。", city)
    assert [i.figure for i in issues] == ["19件"]
    assert "予以公开" in issues[0].reason and "69" in issues[0].reason


def test_an_invented_figure_is_caught(city):
    assert reasons("全年在门户网站发布各类信息8765条。", city)[0][0] == "8765条"


def test_chinese_numerals_and_full_width_digits_are_checked_too(city):
    assert guard("上年结转十五件。", city) == []
    assert guard("上年结转１５件。", city) == []
    assert [i.figure for i in guard("上年结转十六件。", city)] == ["十六件"]


def test_year_over_year_changes_are_derivations_with_their_rounding(city):
    # 174 − 188 = −14; 14 ÷ 188 = 7.447% -> 7.4%.
    result = check_text("新收申请数量较上年减少14件，下降7.4%。", city)
    assert result.issues == []
    hows = [s.how for s in result.supports]
    assert any("174 − 188 = -14" in h for h in hows)
    assert any("≈ -7.4%" in h and "保留一位小数" in h for h in hows)
    assert [i.figure for i in guard("新收申请数量较上年减少14件，下降7.5%。", city)] == ["7.5%"]


def test_shares_of_a_total_are_derivations(city):
    # (69 + 19) ÷ 178 = 49.44%
    assert guard("予以公开和部分公开的申请占办结总数的49.4%。", city) == []
    assert [i.figure for i in guard("予以公开和部分公开的申请占办结总数的49.5%。", city)] == ["49.5%"]


def test_declared_sums_are_accepted_where_the_words_say_sum(city):
    assert guard("新收和上年结转的申请合计189件。", city) == []
    assert [i.figure for i in guard("本年新收申请189件。", city)] == ["189件"]


def test_lawsuit_total_is_direct_plus_after_review(city):
    assert guard("被提起行政诉讼3件，其中结果维持2件、结果纠正1件。", city) == []
    assert [i.figure for i in guard("被申请行政复议5件，其中结果维持5件。", city)] == ["5件"]


def test_extra_figures_and_their_changes_are_facts(city):
    assert guard("门户网站发布政府信息6587条，较上年增加445条。", city) == []
    assert [i.figure for i in guard("门户网站发布政府信息6588条。", city)] == ["6588条"]


def test_money_is_compared_in_yuan_whatever_the_unit(city):
    assert guard("全年行政事业性收费11972.6万元。", city) == []
    assert guard("全年行政事业性收费119726000元。", city) == []
    assert [i.figure for i in guard("全年行政事业性收费11972.7万元。", city)] == ["11972.7万元"]
    # A money figure never matches a count that happens to have the same digits.
    assert [i.figure for i in guard("收取费用174元。", city)] == ["174元"]


def test_numbers_in_the_users_notes_are_facts(city):
    assert guard("组织政务公开专题培训3场。", city) == []
    assert guard("咨询电话0571-12345678。", city) == []
    assert [i.figure for i in guard("咨询电话0571-88886666。", city)] == ["0571-88886666"]


def test_years_must_be_this_year_or_last(city):
    assert guard("2023年，与2022年相比。", city) == []
    assert [i.figure for i in guard("2020年，青禾市人民政府……", city)] == ["2020年"]
    assert [i.figure for i in guard("2024年将继续改进。", city)] == ["2024年"]
    assert guard("2024年将继续改进。", city, section="五") == []


def test_the_statistics_period_must_be_the_report_year(city):
    assert guard("统计期限为2023年1月1日至2023年12月31日。", city) == []
    issues = guard("统计期限为2022年1月1日至2022年12月31日。", city)
    assert any("2023年1月1日至2023年12月31日" in i.reason for i in issues)
    assert [i.figure for i in guard("于3月15日发布。", city)] == ["3月15日"]
    assert guard("于1月31日前公开年度报告。", city) == []


def test_document_numbers_must_be_the_right_ones(city):
    assert guard("按照国办公开办函〔2021〕30号的格式、国办函〔2020〕109号和国务院令第711号。", city) == []
    # A 2023 report is in the 2021 edition: the 2019 notice is the wrong format.
    assert [i.figure for i in guard("依据国办公开办函〔2019〕60号。", city)] == ["〔2019〕60号"]
    assert [i.figure for i in guard("依据某某文件〔2022〕7号。", city)] == ["〔2022〕7号"]


def test_article_numbers_must_exist_in_the_regulation(city):
    assert guard("《条例》第五十条、第二十条第（八）项和第四十九条第一款。", city) == []
    assert [i.figure for i in guard("《条例》第六十二条。", city)] == ["第六十二条"]


def test_list_markers_and_ordinals_are_not_figures(city):
    assert guard("（一）主动公开。一是加强培训；二是完善制度。", city) == []


def test_guard_reports_where_the_issue_stands(city):
    text = "全年办结178件。上年结转16件。"
    (issue,) = guard(text, city, section="一", paragraph=3)
    assert (issue.section, issue.paragraph) == ("一", 3)
    assert text[issue.start:issue.end] == issue.figure == "16件"
    assert issue.describe().startswith("第一部分第3段“16件”")


def test_2019_edition_reports_cite_the_2019_notice():
    facts = load_facts(REF / "shinan-county-2020" / "report.yaml")
    assert guard("参照国办公开办函〔2019〕60号规定的格式。", facts) == []
    assert [i.figure for i in guard("按照国办公开办函〔2021〕30号的格式。", facts)] == ["〔2021〕30号"]
    # A negative 本年增/减 is written as a decrease.
    assert guard("行政许可事项增加6项，其他对外管理服务事项减少4项。", facts) == []


def test_the_guard_follows_edits_to_the_facts():
    facts = load_facts(REF / "qinghe-city-2023" / "report.yaml")
    assert guard("上年结转15件。", facts) == []
    facts.tables.table3["二、上年结转政府信息公开申请数量"]["总计"].value = 16
    assert [i.figure for i in guard("上年结转15件。", facts)] == ["15件"]
    facts.extra.append(ExtraFigure(label="政务新媒体", value=95, unit="个"))
    assert guard("政务新媒体95个。", facts) == []
