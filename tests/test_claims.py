"""The one claim reader, and the guard that judges a draft's claims exactly as the checker does.

Reports are the rule examples' consistent bases (assistant/check/examples/base-*.yaml):
新收 30 (自然人 27, 商业企业 3), 上年结转 2, 办结 29 = 予以公开 10 + 部分公开 4 + 不予公开 3
+ 无法提供 7 (不掌握 6) + 不予处理 2 + 其他处理 3, 结转 3; 行政复议 2/1/0/1 = 4; 直接起诉
1/0/1/0 = 2, 复议后起诉 0/0/0/1 = 1. Last year's base: 新收 30 (changed where a test says so).
"""

from __future__ import annotations

import pytest

from assistant.check import Severity, run_checks
from assistant.check.catalogue import CheckContext
from assistant.check.claims import T3, T4, Kind, Status
from assistant.check.rule_examples import _report
from assistant.draft import facts_from_report
from assistant.draft.guard import check_claims, check_text, merge_issues
from assistant.model import Certainty

BOTH = ["2019", "2021"]
YEAR = {"2019": 2020, "2021": 2024}


def base(edition):
    return _report({"base": edition}, edition)


def facts_of(edition, previous_new=None):
    previous = None
    if previous_new is not None:
        previous = _report({"base": f"{edition}-previous",
                            "table3": {"一、本年新收政府信息公开申请数量": [previous_new - 3, 3, 0, 0, 0, 0, previous_new]}},
                           edition)
    return facts_from_report(base(edition), previous)


def claims_in(edition, text):
    report = base(edition)
    report.sections[0].paragraphs[1].text = text
    return [c for c in CheckContext(report).narrative.claims if c.sentence.paragraph == 2 and c.sentence.section == "一"]


APPLY = "本机关共收到政府信息公开申请30件，上年结转2件，办结29件。"


# ------------------------------------------------------------------ the reader


@pytest.mark.parametrize("edition", BOTH)
def test_compound_and_qualified_categories_name_the_sum_of_their_rows(edition):
    claims = claims_in(edition, "申请办结29件，其中同意公开（含部分公开）14件，不予公开和无法提供10件，不予处理及其他处理5件。"
                                "因本机关不掌握相关政府信息等原因无法提供的申请6件。")
    counts = {c.quote: c for c in claims if c.kind is Kind.quantity}
    targets = {c.target for c in counts.values()}
    assert T3(("disclosed", "partly")) in targets
    assert T3(("withheld", "unavailable")) in targets
    assert T3(("not_processed", "other")) in targets
    qualified = [c for c in counts.values() if c.qualified]
    assert [c.target for c in qualified] == [T3(("unavailable",))]
    (breakdown,) = [c for c in claims if c.kind is Kind.breakdown]
    assert [p.value for p in breakdown.parts] == [14, 10, 5]


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("text", [
    "申请办结29件(其中予以公开10件，部分公开4件，不予公开3件，无法提供7件，不予处理2件，其他处理3件)，结转3件。",
    "申请办结29件【其中予以公开10件，部分公开4件，不予公开3件，无法提供7件，不予处理2件，其他处理3件】，结转3件。",
    "申请办结29件，其中：予以公开10件；部分公开4件；不予公开3件；无法提供7件；不予处理2件；其他处理3件。结转3件。",
    "申请办结29件：予以公开10件，部分公开4件，不予公开3件，无法提供7件，不予处理2件，其他处理3件。",
    "申请办结29件，其中予以公开、部分公开、不予公开分别为10件、4件、3件，无法提供7件、不予处理2件、其他处理3件。",
])
def test_a_list_is_read_in_any_brackets_after_a_colon_or_over_clauses(edition, text):
    (breakdown,) = [c for c in claims_in(edition, text) if c.kind is Kind.breakdown]
    assert breakdown.value == 29 and [p.value for p in breakdown.parts] == [10, 4, 3, 7, 2, 3]
    assert [p.target for p in breakdown.parts][:3] == [T3(("disclosed",)), T3(("partly",)), T3(("withheld",))]


@pytest.mark.parametrize("edition", BOTH)
def test_a_list_of_applications_stops_at_the_next_group_of_cases(edition):
    text = "申请办结29件，其中：予以公开10件；部分公开4件；不予公开3件；无法提供7件；不予处理2件；其他处理3件；行政复议4件、行政诉讼3件。"
    (breakdown,) = [c for c in claims_in(edition, text) if c.kind is Kind.breakdown]
    assert sum(p.value for p in breakdown.parts) == 29


@pytest.mark.parametrize("edition", BOTH)
def test_shares_know_their_part_and_their_base(edition):
    claims = claims_in(edition, "申请办结29件，其中予以公开及部分公开14件，占48.3%。部分公开占办结申请的比例为13.8%。"
                                "复议结果维持占行政复议的比例为50%。")
    shares = [c for c in claims if c.kind is Kind.share]
    assert [(c.part.target, c.base.target) for c in shares] == [
        (T3(("disclosed", "partly")), T3(("total",))),  # the list's total
        (T3(("partly",)), T3(("total",))),
        (T4("review", "upheld"), T4("review", "total")),
    ]
    assert shares[0].part.mention.value == 14 and shares[0].base.mention.value == 29


@pytest.mark.parametrize("edition", BOTH)
def test_absences_and_universals_name_what_must_be_zero(edition):
    claims = claims_in(edition, "本年度未收到政府信息公开申请。无上年结转的申请。申请均已办结，无结转下年度继续办理的申请。"
                                "未发生因政府信息公开引起的行政复议、行政诉讼。行政复议案件均获维持。"
                                "上述诉讼均为未经复议直接起诉。本年度的申请均由自然人提出。")
    zero = [(c.kind, c.zero) for c in claims if c.kind in (Kind.absence, Kind.universal)]
    cols = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert zero == [
        (Kind.absence, [T3(("new",))]),
        (Kind.absence, [T3(("carried_in",))]),
        (Kind.absence, [T3(("carried_out",))]),
        (Kind.absence, [T4("review", "total"), T4("suit", "total")]),
        (Kind.universal, [T4("review", c) for c in ("corrected", "other", "pending")]),
        (Kind.universal, [T4("suit_after_review", "total")]),
        (Kind.universal, [T3(("new",), c) for c in cols]),
    ]


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("text", [
    "坚持“三个一”工作机制和“两微一端”平台建设，落实“十四五”规划。",
    "全年未发生责任追究情况，未收到群众投诉。",
    "申请办结数29件，全部按时办结。",
    "在省办四个季度的检查中，合格率均为100%。",
])
def test_names_slogans_and_other_words_are_not_claims_about_the_tables(edition, text):
    claims = claims_in(edition, text)
    assert [c for c in claims if c.kind is not Kind.quantity] == []
    assert [c.quote for c in claims if c.kind is Kind.quantity and c.value != 29] == []


# ------------------------------------------------------------------ the guard judges them as the checker does

# (kind, supported sentence, unsupported sentence), added to the application paragraph.
CASES = [
    ("count", "办结29件，其中予以公开10件。", "办结29件，其中予以公开11件。"),
    ("compound", "予以公开及部分公开的申请14件。", "予以公开及部分公开的申请15件。"),
    ("qualified", "因本机关不掌握相关政府信息等原因无法提供的申请7件。", "因本机关不掌握相关政府信息等原因无法提供的申请6件。"),
    ("breakdown", "办结29件(其中予以公开10件，部分公开4件，不予公开3件，无法提供7件，不予处理2件，其他处理3件)。",
     "办结29件(其中予以公开10件，部分公开4件，不予公开3件，无法提供7件，不予处理2件，其他处理2件)。"),
    ("share", "部分公开占办结申请的比例为13.8%。", "部分公开占办结申请的比例为10.9%。"),
    ("base", "予以公开和部分公开占办结申请的48.3%。", "予以公开和部分公开占办结申请的43.8%。"),
    ("universal", "行政诉讼3件。", "行政复议案件均获维持。"),
    ("universal", "行政诉讼3件。", "本年度的申请均由自然人提出。"),
]


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("kind, good, bad", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_the_guard_lets_a_true_claim_through_and_stops_a_false_one(edition, kind, good, bad):
    facts = facts_of(edition)
    ok = check_claims(facts, [("一", 2, APPLY + good)])
    assert ok.issues == [] and ok.checked == ok.supported, [i.describe() for i in ok.issues]
    caught = check_claims(facts, [("一", 2, APPLY + bad)])
    assert caught.issues and caught.supported < caught.checked
    sentence = bad.rstrip("。")
    assert any(all(piece in sentence for piece in i.figure.split("…") if piece) for i in caught.issues), \
        [(i.figure, i.reason) for i in caught.issues]


@pytest.mark.parametrize("edition", BOTH)
def test_changes_and_orders_are_judged_against_last_years_figures(edition):
    facts = facts_of(edition, previous_new=20)  # 新收 20 last year, 30 this year
    for good in ("新收申请较上年增加10件，增幅50%。", "新收申请较上年有所增加。"):
        result = check_claims(facts, [("一", 2, APPLY + good)])
        assert result.issues == [] and result.checked == result.supported, good
    for bad in ("新收申请较上年增加5件。", "新收申请较上年有所减少。", "与上年相比，新收申请持平。"):
        assert check_claims(facts, [("一", 2, APPLY + bad)]).issues, bad


@pytest.mark.parametrize("edition", BOTH)
def test_a_claim_that_cannot_be_verified_is_not_let_through(edition):
    facts = facts_of(edition)  # no report for last year
    (issue,) = check_claims(facts, [("一", 2, APPLY + "新收申请较上年有所增加。")]).issues
    assert "无法核实" in issue.reason and "上年" in issue.reason
    # The checker says nothing about a change it cannot judge: that is not an error of the report.
    report = base(edition)
    report.sections[0].paragraphs[1].text = APPLY + "新收申请较上年有所增加。"
    assert [f for f in run_checks(report) if f.code == "N3"] == []


@pytest.mark.parametrize("edition", BOTH)
def test_a_share_the_sheet_does_not_list_is_supported_by_its_verified_computation(edition):
    facts = facts_of(edition)
    text = APPLY + "其中予以公开及部分公开14件，占48.28%。"
    numbers = check_text(text, facts, "一", 2).issues
    # The sheet has no fact for a compound category, nor a share to two decimals …
    assert [n.figure for n in numbers] == ["14件", "48.28%"]
    # … but the claim reader verified both against the tables: 10 + 4 = 14, 14 ÷ 29 = 48.28%.
    issues, covered = merge_issues(numbers, check_claims(facts, [("一", 2, text)]))
    assert issues == [] and [n.figure for n in covered] == ["14件", "48.28%"]


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("text, table4", [
    ("本年度未发生因政府信息公开引起的行政复议。", {"行政复议": [0, 0, 0, 0, 0]}),
    ("行政复议案件均获维持。", {"行政复议": [4, 0, 0, 0, 4]}),
    ("上述行政诉讼均为未经复议直接起诉。", {"未经复议直接起诉": [1, 0, 1, 1, 3], "复议后起诉": [0, 0, 0, 0, 0]}),
])
def test_absences_and_universals_the_tables_bear_out_pass_and_the_others_do_not(edition, text, table4):
    report = base(edition)
    for group, row in table4.items():
        for col, v in zip(report.table4[group], row):
            report.table4[group][col].value = v
    ok = check_claims(facts_from_report(report), [("一", 3, text)])
    assert ok.issues == [] and ok.checked == ok.supported == 1
    assert check_claims(facts_of(edition), [("一", 3, text)]).issues


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("text", ["本年度未收到政府信息公开申请。", "无结转下年度继续办理的申请。", "无上年结转的申请。",
                                  "办理的申请中，没有不予公开的情况。"])
def test_absences_of_applications_the_tables_deny_are_stopped(edition, text):
    assert check_claims(facts_of(edition), [("一", 2, APPLY + text)]).issues


# ------------------------------------------------------------------ cells the reader could not read


def _unread_table4(edition):
    report = base(edition)
    for cells in report.table4.values():
        for c in cells.values():
            c.certainty = Certainty.unreadable
            c.how = "数字连写，无法确定各格数值"
    report.unreadable_tables["四"] = "数字连写，无法确定各格数值"
    return report


@pytest.mark.parametrize("edition", BOTH)
def test_a_claim_about_an_unread_table_is_noted_not_judged(edition):
    report = _unread_table4(edition)
    report.sections[0].paragraphs[2].text = "全年发生政府信息公开行政复议5件，行政复议案件均获维持。"
    findings = [f for f in run_checks(report) if f.code in ("N4", "I5")]
    assert findings and all(f.severity is Severity.info and "无法核验" in f.message for f in findings)
    assert all(c.table == "四" for f in findings for c in f.cells)


@pytest.mark.parametrize("edition", BOTH)
def test_the_guard_never_confirms_a_figure_or_claim_from_an_unread_cell(edition):
    facts = facts_from_report(_unread_table4(edition))
    text = "全年发生政府信息公开行政复议4件，行政复议案件均获维持。"
    assert [i.figure for i in check_text(text, facts, "一", 3).issues] == ["4件"]
    claims = check_claims(facts, [("一", 3, text)])
    assert claims.issues and claims.supported == 0
    assert any("未能确认读取" in i.reason for i in claims.issues)


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize("edition", BOTH)
def test_an_office_speaking_for_its_government_is_a_part_not_compared(edition):
    report = base(edition)
    report.agency = "某某区人民政府"
    report.sections[0].paragraphs[1].text = "区政府办公室代表区政府受理政府信息公开申请12件。" + APPLY
    n1 = [f for f in run_checks(report) if f.code == "N1"]
    assert [f.severity for f in n1] == [Severity.info] and "代表区政府" in n1[0].message


@pytest.mark.parametrize("edition", BOTH)
def test_a_claim_in_a_sentence_about_another_scope_is_not_judged(edition):
    claims = claims_in(edition, "全区各部门共受理政府信息公开申请500件，均已办结，未发生行政复议。")
    report = base(edition)
    report.sections[0].paragraphs[1].text = "全区各部门共受理政府信息公开申请500件，均已办结，未发生行政复议。"
    ctx_claims = CheckContext(report)
    run = run_checks(report)
    assert [f for f in run if f.code in ("N1", "N4") and f.severity is not Severity.info] == []
    assert claims and all(c.status is None or c.status is Status.supported for c in ctx_claims.narrative.claims)


def test_the_eval_thresholds_for_claims_are_the_issue_s():
    from pathlib import Path

    import yaml

    suites = Path(__file__).resolve().parents[1] / "evals" / "suites"
    draft = yaml.safe_load((suites / "draft.yaml").read_text(encoding="utf-8"))["thresholds"]
    assert draft["claim_catch_rate"] == 1.0 and draft["claims_delivered_wrong"] == 0
    assert draft["offline_claims_unsupported"] == 0 and draft["correct_paragraphs_replaced"] == 0
    chat = yaml.safe_load((suites / "chat.yaml").read_text(encoding="utf-8"))
    assert chat["thresholds"]["model_wrong_delivered"] == 0 and chat["thresholds"]["model_right_kept"] == 1.0
    assert len(chat["model_answers"]) >= 6


@pytest.mark.parametrize("edition", BOTH)
@pytest.mark.parametrize("paragraph, text", [
    (2, APPLY + "对照依申请公开答复，梳理不予公开信息12条，逐条评估。"),
    (1, "主动公开政府信息1200条，其中政策文件200条、工作动态1000条；全年组织培训3场。"),
    (4, "无人大建议和政协提案交办件。无收取信息处理费情况。全年未发生责任追究，未收到群众投诉。"),
    (2, APPLY + "申请均在法定期限内予以答复，无超期答复情况。"),
    (2, APPLY + "行政处罚决定在作出之日起20个工作日内公开。"),
    (2, APPLY + "办结率100%，群众满意率98.5%。"),
])
def test_what_is_not_a_claim_about_the_tables_raises_nothing(edition, paragraph, text):
    report = base(edition)
    report.sections[0].paragraphs[paragraph - 1].text = text
    loud = [f for f in run_checks(report) if f.code in ("N1", "N2", "N3", "N4", "N5", "N6", "I5")
            and f.severity is not Severity.info]
    assert loud == [], [(f.code, f.message) for f in loud]


def test_a_model_that_writes_false_claims_is_asked_about_the_sentence_then_replaced():
    from pathlib import Path

    from llm_stub import ClaimAdversary, StubLLM

    from assistant.draft import LLMSettings, draft_report, load_facts

    facts = load_facts(Path(__file__).resolve().parents[1] / "evals" / "reference" / "qinghe-city-2023" / "report.yaml")
    adversary = ClaimAdversary(facts, stubborn=True)
    with StubLLM(adversary) as stub:
        result = draft_report(facts, "model", settings=LLMSettings(base_url=stub.base_url, api_key="k", model="stub",
                                                                   timeout=10, max_retries=0))
    v = result.verdict
    assert adversary.injected and adversary.caught([i for i in v.unsupported if i.stage == "初稿"]) == adversary.injected
    fixes = [r["messages"][1]["content"] for r in stub.requests if "下列数字或陈述与事实不符" in r["messages"][1]["content"]]
    assert len(fixes) == 2  # two rounds for the one paragraph of 一 that holds them, then the offline one
    assert "这句话“行政复议案件均获维持。”" in fixes[0] or "这句话“因政府信息公开被提起的行政诉讼均获维持。”" in fixes[0]
    assert [(r.section, r.paragraph) for r in v.replaced] == [(adversary.injected[0].section, adversary.injected[0].paragraph)]
    assert "不符合表格的陈述" in v.replaced[0].reason
    assert v.remaining == [] and v.clean and all(inj.snippet not in result.text() for inj in adversary.injected)
    assert "陈述" in v.summary() and "核对陈述" in v.summary()
