"""The offline drafter: complete, deterministic, varied, and grounded in the facts."""

import re
from pathlib import Path

import pytest

from assistant.draft import DraftError, ExtraFigure, draft_report, load_facts
from assistant.draft.facts import read_previous
from assistant.draft.prompts import fields, load_phrasebook, load_prompt, phrasebooks

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "evals" / "reference"


def facts_for(slug: str, fee: float | None = 0, previous: str | None = None):
    facts = load_facts(REF / slug / "report.yaml")
    if fee is not None and facts.edition != "2019":
        facts.extra.append(ExtraFigure(label="收取信息处理费", value=fee, unit="元"))
    if previous:
        facts.previous = read_previous(REF / previous / "report.yaml")
    return facts


def section_text(result, key: str) -> str:
    s = result.report.section(key)
    return s.text if s else ""


def test_the_whole_report_is_drafted_in_the_official_structure():
    facts = facts_for("qinghe-city-2023")
    result = draft_report(facts)
    rep = result.report
    assert rep.title == "青禾市人民政府2023年政府信息公开工作年度报告"
    assert [s.heading for s in rep.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    preamble = rep.preamble[0].text
    assert "2023年1月1日" in preamble and "2023年12月31日" in preamble and "〔2021〕30号" in preamble
    overview = [p.text for p in rep.section("一").paragraphs]
    assert [p[:3] for p in overview[1:]] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert overview[5].startswith("（五）监督保障。")
    # Tables are copied from the facts, cell for cell.
    assert rep.table2 == facts.tables.table2 and rep.table3 == facts.tables.table3 and rep.table4 == facts.tables.table4
    assert result.drafter_used == "offline"
    assert result.verdict.clean and result.verdict.figures_checked > 30


def test_the_key_figures_of_the_year_are_in_the_overview():
    text = section_text(draft_report(facts_for("qinghe-city-2023")), "一")
    for phrase in ("174件", "上年结转的申请15件", "178件", "予以公开69件", "部分公开19件", "不予公开15件",
                   "无法提供52件", "不予处理14件", "其他处理9件", "11件", "行政复议5件", "行政诉讼3件",
                   "行政规范性文件31件", "行政许可决定51208件", "11972.6万元"):
        assert phrase in text, phrase


def test_the_same_agency_gets_the_same_text_every_run():
    a = draft_report(facts_for("qinghe-city-2023")).text()
    b = draft_report(facts_for("qinghe-city-2023")).text()
    assert a == b


def test_two_agencies_with_the_same_figures_read_differently():
    one = facts_for("qinghe-city-2023")
    other = facts_for("qinghe-city-2023")
    other.agency = "白沙市人民政府"
    a = draft_report(one).text().replace("青禾市", "某")
    b = draft_report(other).text().replace("白沙市", "某")
    assert a != b
    assert sum(x != y for x, y in zip(a.split("。"), b.split("。"))) >= 5


def test_changes_from_last_year_are_stated_when_last_years_report_is_given():
    without = section_text(draft_report(facts_for("qinghe-city-2023")), "一")
    assert not re.search("较上年|比上年|上年相比|上年比较", without)
    result = draft_report(facts_for("qinghe-city-2023", previous="qinghe-city-2022"))
    text = section_text(result, "一")
    # 174 new this year, 188 last year: 14 fewer, 7.4% down.
    assert re.search(r"(上年相比|上年比较)，新收申请减少14件，(下降|降幅|下降了)7\.4%", text)
    five = section_text(result, "五")
    assert "上年度" in five and "“" in five  # last year's problems, quoted, with what was done
    assert result.verdict.clean


def test_a_peoples_government_reports_assessment_review_and_accountability():
    for slug in ("qinghe-city-2023", "chenglan-township-2023", "shinan-county-2020"):
        text = section_text(draft_report(facts_for(slug)), "一")
        assert "考核" in text and "评议" in text and re.search("责任追究|追责|问责", text), slug
    # A department is not asked for them (but gets a sentence on its own supervision).
    department = section_text(draft_report(facts_for("shinan-market-regulation-2024", fee=300)), "一")
    assert "（五）监督保障。" in department


def test_section_six_states_the_fee_in_the_2021_edition():
    paid = section_text(draft_report(facts_for("shinan-market-regulation-2024", fee=300)), "六")
    assert "信息处理费300元" in paid and "《政府信息公开信息处理费管理办法》" in paid
    # One application was dropped for an unpaid fee: said, and placed in 其他处理.
    assert "申请1件" in paid or "另有1件申请" in paid or "共1件" in paid
    assert "其他处理" in paid
    none = section_text(draft_report(facts_for("qinghe-city-2022")), "六")
    assert re.search("未收取|没有向申请人收取", none)
    old = section_text(draft_report(facts_for("shinan-county-2020")), "六")
    assert "信息处理费" not in old
    assert "无其他需要报告的事项" in old or "没有其他需要报告的事项" in old


def test_without_the_fee_the_draft_says_nothing_about_it_and_says_why():
    result = draft_report(facts_for("qinghe-city-2022", fee=None))
    assert "信息处理费" not in section_text(result, "六")
    assert any("信息处理费" in n for n in result.notes)


def test_notes_and_extra_figures_go_to_their_parts():
    facts = facts_for("qinghe-city-2023")
    facts.extra += [ExtraFigure(label="门户网站发布政府信息", value=6587, unit="条"),
                    ExtraFigure(label="政务新媒体账号", value=95, unit="个"),
                    ExtraFigure(label="承办市人大代表建议", value=139, unit="件")]
    facts.notes = ["政府信息管理：更新了政府信息公开指南", "开展政务公开专题培训，考核结果通报全市，组织社会评议，未发生责任追究",
                   "存在问题：基层公开目录落实不够"]
    result = draft_report(facts)
    parts = {p.text[:3]: p.text for p in result.report.section("一").paragraphs[1:]}
    assert "门户网站发布政府信息6587条" in parts["（一）"]
    assert "政务新媒体账号95个" in parts["（四）"]
    assert "更新了政府信息公开指南。" in parts["（三）"]
    assert "未发生责任追究。" in parts["（五）"]
    assert "承办市人大代表建议139件" in section_text(result, "六")
    assert "基层公开目录落实不够" in section_text(result, "五")
    # Parts written from the user's notes are not flagged as general wording.
    assert not any("（三）政府信息管理没有提供" in n for n in result.notes)
    assert any("（二）" not in n and "通用表述" in n for n in result.notes)
    assert result.verdict.clean


def test_an_agency_without_applications_or_cases_gets_a_sensible_draft():
    result = draft_report(facts_for("tongxi-township-2020"))
    text = section_text(result, "一")
    assert "未收到" in text or "没有新收" in text or "为零" in text
    assert re.search("未发生|没有因|未收到涉及", text)
    assert result.verdict.clean


def test_sections_limit_what_is_drafted():
    result = draft_report(facts_for("qinghe-city-2023"), sections=["一"])
    assert result.report.preamble == []
    assert result.report.section("一").paragraphs and not result.report.section("五").paragraphs
    assert not any("第五部分" in n or "第六部分" in n for n in result.notes)
    result = draft_report(facts_for("qinghe-city-2023"), sections=["五", "六"])
    assert not result.report.section("一").paragraphs and result.report.section("六").paragraphs
    with pytest.raises(DraftError, match="表格"):
        draft_report(facts_for("qinghe-city-2023"), sections=["三"])
    with pytest.raises(DraftError, match="不认识的部分"):
        draft_report(facts_for("qinghe-city-2023"), sections=["七"])
    with pytest.raises(DraftError, match="不认识的起草方式"):
        draft_report(facts_for("qinghe-city-2023"), drafter="gpt")


def test_every_offline_figure_is_credited_to_its_fact():
    result = draft_report(facts_for("yunze-province-2022"))
    v = result.verdict
    assert v.figures_checked == v.figures_supported == len(v.supports)
    sources = {s.figure: s.source for s in v.supports}
    assert "表三 （七）总计" in sources["407件"]


def test_prompt_files_declare_exactly_the_variables_they_use():
    for name in ("system", "draft_overview", "draft_problems", "draft_other", "fix_figures"):
        prompt = load_prompt(name)
        assert fields(prompt.body) == set(prompt.variables), name
    for name in phrasebooks():
        book = load_phrasebook(name)
        for slot, variants in book.slots.items():
            assert len(variants) >= 3, f"{name}.{slot} needs several variants"
            for v in variants:
                assert fields(v) <= set(book.variables), f"{name}.{slot}"


def test_a_real_report_with_blank_cells_gets_no_empty_breakdowns(linzi):
    # The Linzi 2019 report leaves result rows and most of table 四 blank.
    from assistant.draft import facts_from_report

    result = draft_report(facts_from_report(linzi))
    text = result.text()
    assert "其中。" not in text and "其中，" not in text and "其中；" not in text
    assert "新收政府信息公开申请35件" in text
    assert "行政复议案件3件，其中结果纠正3件" in text or "行政复议3件，其中结果纠正3件" in text
    assert result.verdict.clean


# ------------------------------------------------------------------ year over year

def _given(facts, key: str):
    """A table cell of this year's (or, with "prev.", last year's) report, as the sheet read it."""
    fact = facts.sheet().get(key)
    assert fact is not None and not fact.derived, key
    return fact.value


def _change(what: str, now, before) -> str:
    """The clause the drafter must write, as a pattern: "办结申请减少5件，下降2.7%"."""
    from decimal import ROUND_HALF_UP, Decimal

    if now == before:
        return f"{what}(与上年|数量)?持平"
    diff = abs(now - before)
    verb = "(增加|增加了|上升)" if now > before else "(减少|减少了|下降)"
    if not before:
        return f"{what}{verb}{diff}件(?!，)"  # no percentage against a zero
    pct = Decimal(abs(now - before) * 100) / Decimal(before)
    pct = pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    rate = "(增长|增幅|上升)" if now > before else "(下降|降幅|下降了)"
    return f"{what}{verb}{diff}件，{rate}{re.escape(str(pct))}%"


def _part(result, marker: str) -> str:
    return next(p.text for p in result.report.section("一").paragraphs if p.text.startswith(marker))


def _comparisons(text: str) -> list[str]:
    return [s for s in re.split("(?<=。)", text) if re.search("上年相比|上年比较", s)]


APPLY_QUANTITIES = (("新收申请", "t3.new"), ("办结申请", "t3.total"), ("结转下年度的申请", "t3.carried_out"),
                    ("行政复议案件", "t4.review.total"))
DECISIONS = (("行政许可决定", "t2.licensing.licensing.decisions"), ("行政处罚决定", "t2.enforcement.penalty.decisions"),
             ("行政强制决定", "t2.enforcement.coercion.decisions"))


def _suit(facts, prefix: str = ""):
    return _given(facts, f"{prefix}t4.direct_suit.total") + _given(facts, f"{prefix}t4.suit_after_review.total")


@pytest.mark.parametrize("slug,previous", [("qinghe-city-2023", "qinghe-city-2022"),
                                           ("shinan-county-2021", "shinan-county-2020")])
def test_applications_and_cases_are_compared_with_last_year(slug, previous):
    facts = facts_for(slug, previous=previous)
    result = draft_report(facts)
    apply = _part(result, "（二）")
    for what, key in APPLY_QUANTITIES:
        now, before = _given(facts, key), _given(facts, "prev." + key)
        if now or before:
            assert re.search(_change(what, now, before), apply), (what, now, before, apply)
    suit_now, suit_before = _suit(facts), _suit(facts, "prev.")
    if suit_now or suit_before:
        assert re.search(_change("行政诉讼案件", suit_now, suit_before), apply), apply
    assert len(_comparisons(apply)) == 1
    assert result.verdict.clean and not result.verdict.unsupported and not result.verdict.remaining


def test_table_two_is_compared_when_both_years_use_the_2021_edition():
    facts = facts_for("qinghe-city-2023", previous="qinghe-city-2022")
    result = draft_report(facts)
    active = _part(result, "（一）")
    quantities = (("现行有效行政规范性文件", "t2.documents.normative.in_force"),) + DECISIONS
    for what, key in quantities:
        now, before = _given(facts, key), _given(facts, "prev." + key)
        assert re.search(_change(what, now, before), active), (what, now, before, active)
    assert len(_comparisons(active)) == 1
    assert result.verdict.clean and not result.verdict.unsupported


def test_across_an_edition_change_only_the_shared_table_two_figures_are_compared():
    # 2020 is in the 2019 edition: 处理决定数量 is the same count, but there is no 现行有效 column.
    facts = facts_for("shinan-county-2021", previous="shinan-county-2020")
    assert facts.previous.edition == "2019" and facts.edition == "2021"
    result = draft_report(facts)
    active = _part(result, "（一）")
    for what, key in DECISIONS:
        now, before = _given(facts, key), _given(facts, "prev." + key)
        assert re.search(_change(what, now, before), active), (what, active)
    assert "现行有效行政规范性文件增" not in active and "现行有效行政规范性文件减" not in active
    assert "现行有效行政规范性文件与上年" not in active
    assert len(_comparisons(active)) == 1
    # 0 lawsuits in 2020: the increase is stated without a percentage.
    assert _suit(facts, "prev.") == 0 and re.search(r"行政诉讼案件(增加|增加了|上升)2件。", _part(result, "（二）"))
    assert result.verdict.clean and not result.verdict.unsupported


def test_a_quantity_equal_to_last_year_is_said_to_be_level():
    facts = facts_for("qinghe-city-2023", previous="qinghe-city-2022")
    assert _given(facts, "t4.review.total") == _given(facts, "prev.t4.review.total") == 5
    apply = _part(draft_report(facts), "（二）")
    assert re.search("行政复议案件(与上年|数量)?持平", apply)
    assert "行政复议案件增加0件" not in apply and not re.search(r"(?<![\d.])0\.0%", apply)


def test_a_change_is_not_mistaken_for_the_quantity_itself():
    # 3 is this year's lawsuit total, not the change from 5: the guard must not let it pass as one.
    from assistant.draft import guard

    facts = facts_for("qinghe-city-2023", previous="qinghe-city-2022")
    assert [i.figure for i in guard("与上年相比，行政诉讼案件减少3件。", facts)] == ["3件"]
    assert guard("与上年相比，行政诉讼案件减少2件，下降40.0%。", facts) == []
    assert guard("行政诉讼案件较上年减少到3件。", facts) == []
