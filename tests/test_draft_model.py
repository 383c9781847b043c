"""The model drafter against a scripted OpenAI-compatible server on 127.0.0.1.

The real ChatOpenAI client does the HTTP, the retries and the streaming; only
the server is scripted (tests/llm_stub.py).
"""

from pathlib import Path

import pytest
from llm_stub import MODEL_TOUCH, Adversary, Raw, StubLLM, empty, garbage, good, hang, request_kind

from assistant.draft import ExtraFigure, LLMSettings, draft_report, load_facts
from assistant.draft.facts import read_previous
from assistant.draft.grounding import Passage

REF = Path(__file__).resolve().parents[1] / "evals" / "reference"


@pytest.fixture(scope="module")
def facts():
    f = load_facts(REF / "qinghe-city-2023" / "report.yaml")
    f.previous = read_previous(REF / "qinghe-city-2022" / "report.yaml")
    f.extra = [ExtraFigure(label="收取信息处理费", value=0, unit="元")]
    return f


def settings(stub: StubLLM, **kw) -> LLMSettings:
    values = dict(base_url=stub.base_url, api_key="test-key", model="stub-model", timeout=10, max_retries=0)
    values.update(kw)
    return LLMSettings(**values)


def test_a_well_behaved_model_writes_the_narrative(facts):
    with StubLLM(good(facts)) as stub:
        result = draft_report(facts, "model", settings=settings(stub))
    assert result.drafter_used == "model"
    assert MODEL_TOUCH in result.report.section("一").paragraphs[0].text
    assert result.verdict.clean and result.verdict.unsupported == [] and result.verdict.replaced == []
    # One request per drafted section, each with the facts and the rules.
    assert len(stub.requests) == 3
    first = stub.requests[0]
    assert first["model"] == "stub-model" and not first.get("stream")
    system, user = first["messages"][0]["content"], first["messages"][1]["content"]
    assert "不得编造" in system
    assert "“一、总体情况”" in user and "表三 一、本年新收政府信息公开申请数量 × 总计：174" in user
    assert "（174 − 188 = -14）" in user  # derivations are offered with their computation
    assert "工作考核、社会评议和责任追究" in user  # a people's government


def test_streaming_hands_chunks_to_the_caller_as_they_arrive(facts):
    chunks = []
    with StubLLM(good(facts), chunk_chars=7) as stub:
        result = draft_report(facts, "model", sections=["一"], on_token=chunks.append, settings=settings(stub))
    assert stub.requests[0].get("stream") is True
    assert len(chunks) > 20 and all(len(c) <= 7 for c in chunks)
    assert MODEL_TOUCH in "".join(chunks)
    assert result.drafter_used == "model" and result.verdict.clean


def test_wrong_and_invented_figures_never_reach_the_output(facts):
    adversary = Adversary(facts, stubborn=True)
    with StubLLM(adversary) as stub:
        result = draft_report(facts, "model", settings=settings(stub))
    v = result.verdict
    first_draft = [i for i in v.unsupported if i.stage == "初稿"]
    assert len(adversary.injected) == 9
    assert adversary.caught(first_draft) == adversary.injected  # every one of them
    delivered = result.text()
    for inj in adversary.injected:
        assert inj.snippet not in delivered, inj
    assert v.remaining == [] and v.figures_checked == v.figures_supported
    # Asked twice to fix, the model repeated itself: those paragraphs are the offline ones.
    fix_requests = [r for r in stub.requests if "下列数字或陈述与事实不符" in r["messages"][1]["content"]]
    assert len(fix_requests) == 2 * 3
    assert "“185件”" in fix_requests[0]["messages"][1]["content"]
    replaced = {(r.section, r.paragraph) for r in v.replaced}
    assert replaced == {(i.section, i.paragraph) for i in adversary.injected}
    assert all("2轮修改仍有无依据的数字" in r.reason for r in v.replaced)
    assert result.drafter_used == "model+offline"


def test_a_model_that_fixes_its_figures_keeps_its_paragraphs(facts):
    adversary = Adversary(facts, stubborn=False)
    with StubLLM(adversary) as stub:
        result = draft_report(facts, "model", settings=settings(stub))
    assert result.verdict.replaced == [] and result.verdict.clean
    assert len(result.verdict.unsupported) == len(adversary.injected)
    assert result.drafter_used == "model"
    assert len(stub.requests) == 6  # three drafts, three fixes


def test_a_model_that_times_out_hands_over_to_the_offline_drafter(facts):
    with StubLLM(hang()) as stub:
        result = draft_report(facts, "model", settings=settings(stub, timeout=0.5, max_retries=1))
    # After the first section timed out, the model was not asked again for the other sections.
    asked = {request_kind(r["messages"])[:2] for r in stub.requests}
    assert asked <= {("draft", "一")}  # (how many tries reached the stub depends on the clock; which ones, not)
    assert result.drafter_used == "offline"
    assert any("超时" in n for n in result.notes)
    assert {r.section for r in result.verdict.replaced} == {"一", "五", "六"}
    assert result.report.section("一").paragraphs and result.verdict.clean


@pytest.mark.parametrize("responder, words", [
    (garbage(), "无法识别"),
    (lambda messages: Raw(b'{"object": "nothing here"}'), "无法识别"),
    (lambda messages: Raw(b"<html>502 Bad Gateway</html>", "text/html"), "无法识别"),
    (empty(), "空内容"),
])
def test_a_model_that_answers_garbage_is_retried_then_replaced(facts, responder, words):
    with StubLLM(responder) as stub:
        result = draft_report(facts, "model", settings=settings(stub))
    assert len(stub.requests) == 2  # one more try after a short pause
    assert result.drafter_used == "offline"
    assert any(words in n for n in result.notes)
    assert all(words in r.reason for r in result.verdict.replaced)
    assert result.verdict.clean and result.report.section("六").paragraphs


def test_without_a_configured_model_the_offline_drafter_is_used(facts):
    result = draft_report(facts, "model", settings=LLMSettings())
    assert result.drafter_used == "offline"
    assert result.notes[0].startswith("模型未配置")
    assert result.verdict.clean


def test_retrieved_passages_reach_the_prompt_but_their_figures_do_not_reach_the_report(facts):
    seen = []

    def passages(section, f):
        seen.append(section)
        return [Passage("某县2021年报告 一、总体情况", "全年新收申请999件，均按时答复。", "corpus/x.md", "report"),
                Passage("条例 第五十条", "第五十条 政府信息公开工作年度报告应当包括下列内容……", "corpus/t.md", "regulation")]

    with StubLLM(good(facts)) as stub:
        result = draft_report(facts, "model", settings=settings(stub), passages=passages)
    assert seen == ["一", "五", "六"]
    prompt = stub.requests[0]["messages"][1]["content"]
    assert "【参考1·往年报告】某县2021年报告" in prompt and "【参考2·法规】条例 第五十条" in prompt
    assert "999" not in result.text()


def test_a_model_paragraph_without_its_part_marker_is_replaced(facts):
    plan_text = good(facts)

    def forgetful(messages):
        text = plan_text(messages)
        return text.replace("（四）政府信息公开平台建设。", "", 1)

    with StubLLM(forgetful) as stub:
        result = draft_report(facts, "model", sections=["一"], settings=settings(stub))
    replaced = [(r.section, r.paragraph) for r in result.verdict.replaced]
    assert replaced == [("一", 5)]
    assert result.report.section("一").paragraphs[4].text.startswith("（四）政府信息公开平台建设。")
