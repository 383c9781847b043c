"""Retrieved passages for the model drafter come from the index, when one has been built."""

from pathlib import Path

import pytest
from llm_stub import StubLLM, good

from assistant.draft import ExtraFigure, LLMSettings, draft_report, load_facts
from assistant.draft.grounding import default_passages

pytestmark = pytest.mark.slow  # embeds documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from assistant.retrieve import Index

    data_dir = tmp_path_factory.mktemp("index")
    index = Index(data_dir=data_dir)
    index.add_file(ROOT / "corpus" / "regulations" / "fee-measures-2020.md", source="regulations/fee-measures-2020.md")
    index.add_file(ROOT / "corpus" / "reports" / "jiangchuan-province-gov-2021.md",
                   source="reports/jiangchuan-province-gov-2021.md")
    return data_dir


def test_without_an_index_there_are_no_passages_and_nothing_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.delenv("NIANBAO_CHROMA_URL", raising=False)
    assert default_passages("一") == []
    assert not (tmp_path / "none").exists()


def test_passages_come_from_similar_sections_and_the_regulations(monkeypatch, small_index):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(small_index))
    monkeypatch.delenv("NIANBAO_CHROMA_URL", raising=False)
    found = default_passages("六")
    kinds = [p.kind for p in found]
    assert "report" in kinds and "regulation" in kinds
    assert all(p.text for p in found)
    assert any("六、其他需要报告的事项" in p.title for p in found if p.kind == "report")


def test_the_model_drafter_uses_the_index_by_default(monkeypatch, small_index):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(small_index))
    monkeypatch.delenv("NIANBAO_CHROMA_URL", raising=False)
    facts = load_facts(ROOT / "evals" / "reference" / "qinghe-city-2023" / "report.yaml")
    facts.extra = [ExtraFigure(label="收取信息处理费", value=0, unit="元")]
    with StubLLM(good(facts)) as stub:
        settings = LLMSettings(base_url=stub.base_url, api_key="k", model="stub", timeout=10, max_retries=0)
        result = draft_report(facts, "model", sections=["六"], settings=settings)
    prompt = stub.requests[0]["messages"][1]["content"]
    assert "【参考1·" in prompt and "信息处理费" in prompt.split("参考材料")[-1]
    assert result.verdict.clean
