"""Questions about figures, findings, articles and rules, answered offline with their sources.

Figures come from the reference reports (evals/reference, their report.yaml
is the truth) and the real ones (../shared/realdata). The chat eval suite
asks 220 such questions; these tests state the behaviours behind them.
"""

from __future__ import annotations

import pytest
from chat_helpers import HUAIAN, LINZI, QINGHE_2022, QINGHE_2023, REALDATA, REFERENCE, workspace
from llm_stub import StubLLM

from assistant.chat import Workspace, route
from assistant.chat.lexicon import find_terms, normalise
from assistant.chat.understand import understand
from assistant.draft.settings import LLMSettings

OFFLINE = LLMSettings()
TONGXI = REFERENCE / "tongxi-township-2020" / "report.txt"
PINGTAN_2021 = REALDATA / "pingtan-2021.txt"
PINGTAN_2023 = REALDATA / "pingtan-2023.html"
HONGZE = REALDATA / "hongze-district-2023.pdf"



def keys(message: str) -> list[tuple[str, str]]:
    return [(t.section, t.key) for t in find_terms(normalise(message))]


# ------------------------------------------------------------------ reading the question


@pytest.mark.parametrize("message, found", [
    ("予以公开几件", [("rows3", "disclosed")]),
    ("予己公开几件", [("rows3", "disclosed")]),  # one character wrong
    ("部份公开多少", [("rows3", "partly")]),  # a known misspelling
    ("重复申请了多少", [("rows3", "repeated")]),  # not 申请了多少 with 重复 left over
    ("行政复议申请了几件", [("groups4", "review")]),  # 复议, not 本年新收
    ("被纠错的有几件", [("columns4", "corrected")]),
    ("收了多少钱", [("columns2", "fee_amount"), ("rows2", "fees.fees")]),
    ("律所申请了几件", [("columns3", "法律服务机构"), ("rows3", "new")]),
])
def test_the_vocabulary_names_the_figure(message, found):
    assert sorted(keys(message)) == sorted(found)


def test_a_group_named_with_one_of_its_rows_means_the_row():
    q = understand("不予公开的里面，第三方权益的有几个")
    assert q.rows3 == ["third_party"]
    assert understand("（四）1是多少").rows3 == ["not_held"]
    assert understand("不予公开第8项").rows3 == ["inquiry"]


def test_a_total_word_alone_is_not_a_figure():
    assert not understand("哪些合计对不上").names_figure
    assert not understand("一共有几个问题").names_figure


# ------------------------------------------------------------------ figures with their sources


def test_a_figure_is_answered_with_the_cell_it_sits_in():
    ws = workspace(QINGHE_2023)
    a = route("予以公开几件", ws)
    assert a.intent == "lookup" and a.data["value"] == 69 and a.data["certainty"] == "certain"
    assert "表三 （一）予以公开 × 总计 = **69 件**" in a.text
    cell = a.data["figures"][0]["cells"][0]
    assert cell["ref"] == {"table": "三", "row": "（一）予以公开", "col": "总计", "block": None}
    line = ws.report.table3["（一）予以公开"]["总计"].source.line
    assert f"第{line}行" in a.text


def test_a_sum_shows_its_parts_and_a_share_its_computation():
    ws = workspace(QINGHE_2023)
    a = route("不予公开一共多少", ws)
    assert a.data["value"] == 15  # 0 + 1 + 0 + 4 + 2 + 5 + 2 + 1
    assert "0 + 1 + 0 + 4 + 2 + 5 + 2 + 1 = 15" in a.text
    a = route("予以公开占比是多少", ws)
    assert a.data["value"] == 38.8 and "69 ÷ 178 = 38.8%" in a.text


def test_a_share_of_nothing_is_not_computed():
    a = route("予以公开占比", workspace(TONGXI))
    assert a.data["value"] is None and "为 0，无法计算占比" in a.text


def test_a_rate_the_tables_do_not_define_gets_no_figure():
    a = route("办结率是多少", workspace(QINGHE_2023))
    assert a.intent == "unknown" and a.data.get("value") is None and len(a.suggestions) == 3


@pytest.mark.realdata
def test_a_blank_cell_is_blank_never_zero():
    a = route("办结了多少件", workspace(LINZI))
    assert a.data["value"] is None and a.data["state"] == "blank"
    assert "空白（未填写数字）" in a.text
    # The checker's finding about that cell is named beside it.
    assert "I1" in a.text


@pytest.mark.realdata
def test_a_cell_the_reader_could_not_settle_is_said_so():
    ws = workspace(PINGTAN_2021)
    a = route("行政复议多少件", ws)
    assert a.data["value"] is None and a.data["certainty"] == "unreadable"
    assert "该单元格无法确定读取：数字连写为" in a.text
    a = route("本年新收多少", ws)
    assert a.data["value"] == 70 and a.data["certainty"] == "inferred" and "推断" in a.text


@pytest.mark.realdata
def test_a_question_about_something_else_is_not_answered_with_a_figure():
    ws = workspace(HUAIAN)
    for message in ("予以公开的平均答复时间是多少", "主动公开了多少条信息", "依申请公开工作怎么样"):
        a = route(message, ws)
        assert a.data.get("value") is None and a.intent == "unknown", message
    a = route("去年申请了多少", ws)  # no last year's report: never this year's figure
    assert a.data.get("value") is None and "还没有上年报告" in a.text


# ------------------------------------------------------------------ several reports, several years


@pytest.mark.realdata
def test_reports_are_compared_by_name():
    ws = workspace(LINZI, HUAIAN)
    a = route("淮安和临淄相比，哪个申请多？", ws)
    assert a.intent == "compare"
    assert a.data["by_report"] == {HUAIAN.name: 3119, LINZI.name: 35}
    assert "相差 3084 件" in a.text
    a = route("临淄区的结转下年度多少", ws)
    assert a.intent == "lookup" and a.data["value"] == 8


@pytest.mark.realdata
def test_the_year_picks_among_reports_of_one_agency():
    ws = workspace(PINGTAN_2021, PINGTAN_2023)
    assert route("平潭2021年收到多少申请", ws).data["value"] == 70
    assert route("平潭2023年予以公开多少", ws).data["value"] == 22
    a = route("2022年的申请数", ws)
    assert a.data.get("value") is None and "没有载入2022年度的报告" in a.text


def test_one_figure_against_last_year_uses_the_one_yoy_computation():
    from assistant.chat.yoy import compare

    ws = workspace(QINGHE_2023, previous=QINGHE_2022)
    a = route("本年新收申请比去年多了多少", ws)
    assert a.intent == "yoy" and (a.data["value"], a.data["previous_value"]) == (174, 188)
    row = next(r for r in compare(ws.report, ws.previous.report) if r.label.startswith("一、本年新收"))
    assert (a.data["change"], a.data["percent"]) == (row.change, row.percent) == (-14, -7.4)
    assert "减少 14 件，变化率 -7.4%" in a.text


# ------------------------------------------------------------------ findings


@pytest.mark.realdata
def test_a_cause_lists_the_findings_it_explains_under_it_unnumbered():
    ws = workspace(LINZI)
    listed = route("哪些合计对不上", ws)
    # P1 fails in the 总计 and the 自然人 columns alike: one numbered problem, the 自然人 column under it.
    first = listed.text.split("问题2　")[0]
    assert "问题1　**错误 P1** 表三 总计列" in first and "由此引起：P1 表三 自然人列" in first
    assert "问题" not in first.split("由此引起")[1]
    fix = route("问题1怎么改", ws)
    assert "由它引起的问题也会随之消除" in fix.text and "自然人列" in fix.text


@pytest.mark.realdata
def test_findings_are_numbered_and_explained_by_number_or_by_cell():
    ws = workspace(LINZI)
    listed = route("哪些合计对不上", ws)
    assert listed.text.count("问题") >= len(listed.findings) and "问题1　" in listed.text
    assert "问题3是什么意思" in listed.text and "第三项不对" not in listed.text  # the hint names 问题, not rows
    third = ws.listed[2][1]
    a = route("问题3是什么意思", ws)
    assert a.findings == [third] and a.text.startswith(f"**问题3：{third.severity.label} {third.code}**")
    a = route("为什么说（七）总计有问题", ws)
    assert a.intent == "explain" and a.findings[0].code == "I1"


@pytest.mark.realdata
def test_how_to_fix_a_finding_gives_the_figures():
    a = route("I1怎么改", workspace(LINZI))
    assert a.intent == "fix"
    assert "把 表三 （七）总计 × 自然人 填为 35（现为空白）" in a.text
    assert {c["value"] for c in a.data["changes"]} == {35}
    ws = workspace(HONGZE)
    a = route("行政复议那个总计怎么改", ws)
    assert a.findings[0].code == "I4" and "由 0 改为 11" in a.text
    # "这个" is the finding the last answer was about.
    assert route("这个怎么改", ws).findings == a.findings


@pytest.mark.realdata
def test_problem_lists_by_table_severity_and_part():
    ws = workspace(LINZI)
    a = route("表四有没有问题", ws)
    assert a.findings and all("四" in {c.table for c in f.cells} | {f.area.table if f.area else ""} for f in a.findings)
    a = route("有哪些错误", ws)
    assert a.findings and {f.severity.value for f in a.findings} == {"error"}
    a = route("叙述部分有什么问题", ws)
    assert a.findings and all(f.spans or (f.area and f.area.section) for f in a.findings)


# ------------------------------------------------------------------ regulations and rules


def test_an_article_is_quoted_whole_with_its_number():
    a = route("条例第五十条说了什么", Workspace(llm_settings=OFFLINE))
    assert a.intent == "source" and a.data["article"] == "第五十条"
    assert "**《政府信息公开条例》第五十条**（第五章 监督和保障）" in a.text
    assert "> 年度报告应当包括的内容" in a.text
    assert "内容摘要，不是条文原文" in a.text  # the corpus says what its text is, and so does the answer
    a = route("条例第99条", Workspace(llm_settings=OFFLINE))
    assert a.data["article"] is None and "资料库中没有第九十九条" in a.text


def test_the_rule_catalogue_lists_every_rule():
    from assistant.check import all_rules

    a = route("有哪些检查规则", Workspace(llm_settings=OFFLINE))
    assert a.intent == "rules" and a.data["rules"] == [r.code for r in all_rules()]
    a = route("P1是什么", Workspace(llm_settings=OFFLINE))
    assert a.data["rule"] == "P1" and "规则 P1" in a.text


# ------------------------------------------------------------------ a model's answer


class _Passage:
    def search(self, query, k=5):
        from assistant.retrieve import Hit

        text = ("第三十三条 行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复；"
                "不能当场答复的，应当自收到申请之日起20个工作日内予以答复。")
        meta = {"title": "《政府信息公开条例》第三十三条", "kind": "regulation", "article_label": "第三十三条"}
        return [Hit(id="x", text=text, meta=meta, score=0.5, snippet=text)]


def test_a_model_answer_streams_and_no_unchecked_figure_is_shown_unmarked():
    ws = workspace(QINGHE_2023)
    reply = ("按条例规定，答复期限为20个工作日。本年新收申请174件，其中予以公开69件。"
             "全年共办结98765件。请以报告原文为准。")
    with StubLLM(lambda messages: reply, chunk_chars=3) as stub:
        ws.llm_settings = LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10, max_retries=0)
        ws.retriever = _Passage()
        tokens: list[str] = []
        a = route("简单说说这份报告的依申请公开情况", ws, on_token=tokens.append)
    shown = "".join(tokens)
    # A sentence at a time, each once the guard has kept it.
    assert a.intent == "model"
    assert tokens == ["按条例规定，答复期限为20个工作日。", "本年新收申请174件，其中予以公开69件。", "请以报告原文为准。"]
    # Every figure was checked before it was shown: the sentence with the invented one never is.
    assert "98765" not in shown and "请以报告原文为准" in shown
    assert "174件，" in shown and "69件。" in shown and "20个工作日" in shown
    assert a.text.startswith(shown) and "核验说明" in a.text and a.data["removed"] == ["全年共办结98765件。"]



def test_without_a_report_a_model_answer_streams_as_it_comes():
    ws = workspace()  # nothing of the user's loaded: the answer is about the regulations, shown with its sources
    reply = "按条例规定，答复期限一般为20个工作日，可以延长20个工作日。"
    with StubLLM(lambda messages: reply, chunk_chars=3) as stub:
        ws.llm_settings = LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10, max_retries=0)
        ws.retriever = _Passage()
        tokens: list[str] = []
        a = route("依申请公开的答复期限是怎么规定的", ws, on_token=tokens.append)
    assert a.intent in ("model", "source") and len(tokens) > 5 and "".join(tokens) == reply
    assert a.text.startswith(reply) and "核验说明" not in a.text


# ------------------------------------------------------------------ shared with the command line


def test_the_chat_and_the_cli_give_the_same_reasons_not_to_draft():
    from assistant.chat.drafting import draft_answer
    from assistant.draft.preflight import REFUSE_ERRORS, REFUSE_MISSING

    ws = Workspace(llm_settings=OFFLINE)
    ws.blank("2021", 2024, "某县人民政府")
    ws.set_cell("三", "一、本年新收政府信息公开申请数量", "总计", "12")
    a = draft_answer(ws, ["一"], None, None, force=False)
    assert a.data["refused"] is True and "缺少以下数字" in a.text and REFUSE_MISSING in a.text
    assert "P1" in a.data["errors"] and "输入表格中有" in a.text
    assert REFUSE_ERRORS.startswith("表格数字有误") and "--force" not in a.text


@pytest.mark.realdata
def test_the_audit_sheet_of_several_reports_has_chinese_severities():
    import csv
    import io

    ws = workspace(LINZI, HUAIAN)
    rows = list(csv.reader(io.StringIO(ws.findings_csv([0, 1]).lstrip("\ufeff"))))
    assert {r[0] for r in rows[1:]} == {LINZI.name, HUAIAN.name}
    assert {r[5] for r in rows[1:]} <= {"错误", "警告", "提示"} and "错误" in {r[5] for r in rows[1:]}
