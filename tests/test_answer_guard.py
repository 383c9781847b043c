"""A model's chat answer about a loaded report passes the draft's guard before anyone sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from llm_stub import StubLLM

from assistant.chat import Workspace, route
from assistant.draft import LLMSettings
from assistant.draft.answers import NOTE_MARK, guard_answer
from assistant.parse import parse_file

REF = Path(__file__).resolve().parents[1] / "evals" / "reference"


@pytest.fixture(scope="module")
def qinghe():
    """青禾市人民政府 2023 (新收 174, 办结 178, 复议 5 = 维持 4 + 尚未审结 1) and its 2022 report (新收 188)."""
    return parse_file(REF / "qinghe-city-2023" / "report.txt"), parse_file(REF / "qinghe-city-2022" / "report.txt")


def test_a_wrong_figure_and_a_false_change_are_taken_out_with_a_note(qinghe):
    report, previous = qinghe
    g = guard_answer("根据报告，本年新收申请99999件，较上年增长了500%。本年度新收政府信息公开申请174件，较上年减少14件。",
                     report, previous)
    assert "99999" not in g.body and "500%" not in g.body
    assert g.body == "本年度新收政府信息公开申请174件，较上年减少14件。"
    assert g.removed == ["根据报告，本年新收申请99999件，较上年增长了500%。"]
    assert NOTE_MARK in g.note and "事实为174" in g.note and g.text == f"{g.body}\n\n{g.note}"


@pytest.mark.parametrize("false, why", [
    ("行政复议5件，全部结果维持。", "尚未审结 1"),
    ("本年度未收到政府信息公开申请。", "本年新收 174"),
    ("部分公开占办结申请的比例为10.9%。", "19 ÷ 178 = 10.67%，按写出的位数（保留1位小数）应为10.7%"),
    ("复议结果维持占行政复议的比例为20%。", "4 ÷ 5 = 80"),
])
def test_false_claims_about_the_tables_are_taken_out(qinghe, false, why):
    report, previous = qinghe
    g = guard_answer("本年度新收政府信息公开申请174件。" + false, report, previous)
    assert g.body == "本年度新收政府信息公开申请174件。" and g.removed == [false]
    assert why in g.note


def test_figures_of_the_regulations_and_of_the_reports_own_text_are_not_flagged(qinghe):
    report, _ = qinghe
    answer = ("按照《条例》第三十三条，应当自收到申请之日起20个工作日内答复，延长期限最长不超过20个工作日；"
              "第三方应当在15个工作日内提出意见。年度报告应于每年1月31日前公布，政府的年度报告3月31日前公布。"
              "信息处理费按件收取的，同一申请人一个自然月内10件以下不收费，第11件至第30件每件100元。")
    g = guard_answer(answer, report)
    assert g.clean and g.body == answer


def test_an_article_that_does_not_exist_is_taken_out(qinghe):
    report, _ = qinghe
    g = guard_answer("依据《条例》第六十二条。依据《条例》第五十条。", report)
    assert g.removed == ["依据《条例》第六十二条。"] and g.body == "依据《条例》第五十条。"


def test_figures_quoted_from_the_regulation_passages_given_are_not_flagged(qinghe):
    report, _ = qinghe
    passage = "第五条 按量（按页）收费：同一申请30页以下（含30页）的不收费；31页至100页的部分每页收费10元。"
    g = guard_answer("据所引条文，31页至100页的部分每页收费10元。", report, sources=[passage])
    assert g.clean


def test_reporting_what_the_reports_text_says_is_a_quotation_not_a_claim():
    linzi_like = parse_file(REF / "qinghe-city-2023" / "report.txt")
    # The report's text says 178; an answer that reports an inconsistency quotes it.
    g = guard_answer("报告叙述中写的是办结178件，与表格一致。", linzi_like)
    assert g.clean


def test_the_router_guards_a_model_answer_and_never_streams_it_unguarded(qinghe):
    report, previous = qinghe
    reply = "本年度新收政府信息公开申请174件。本年新收申请99999件，较上年增长了500%。行政复议案件均获维持。"
    with StubLLM(lambda messages: reply, chunk_chars=4) as stub:
        ws = Workspace(llm_settings=LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10,
                                                max_retries=0))
        ws.retriever = _NoPassages()
        ws.load_report(report, "qinghe-2023.txt")
        ws.load_report(previous, "qinghe-2022.txt", previous=True)
        tokens: list[str] = []
        answer = route("请用几句话概括这份报告的依申请公开情况", ws, on_token=tokens.append)
    # The answer streams a sentence at a time, but only what the guard kept: never a wrong figure or claim.
    streamed = "".join(tokens)
    assert tokens and "174件" in streamed
    assert "99999" not in streamed and "500%" not in streamed and "均获维持" not in streamed
    shown = answer.text.split(f"**{NOTE_MARK}**")[0]
    assert shown.strip() == streamed.strip()
    assert "174件" in shown and "99999" not in shown and "500%" not in shown and "均获维持" not in shown
    assert NOTE_MARK in answer.text


class _NoPassages:
    """A retriever that finds nothing: the answer rests on the report alone."""

    def search(self, query, k=5):
        return []
