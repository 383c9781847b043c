"""Users add, list and remove their own material (`nianbao index add/list/remove`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import LINZI
from typer.testing import CliRunner

from assistant.cli import app
from assistant.retrieve import Index

pytestmark = pytest.mark.slow  # embeds documents

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference"

RULES = """某市政府信息公开实施办法

第一章　总则
第一条　为了规范本市政府信息公开工作，结合本市实际，制定本办法。
第二条　本市各级行政机关的政府信息公开工作适用本办法。
第二章　年度报告
第三条　市级部门应当在每年1月20日前将上一年度政府信息公开工作年度报告报送市政务公开办。
第四条　年度报告中的数据应当经分管负责同志审核后方可公布。
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def listed(data_dir: Path) -> dict[str, dict]:
    r = run("index", "list", "--format", "json", "--data-dir", str(data_dir))
    assert r.exit_code == 0, r.output
    return {Path(s["source"]).name: s for s in json.loads(r.stdout)}


def test_users_add_regulations_and_reports_then_remove_them(tmp_path):
    data = tmp_path / "data"
    rules = tmp_path / "city-rules.txt"
    rules.write_text(RULES, encoding="utf-8")
    report = tmp_path / "qingshi-county-gov-2019.md"
    shutil.copy(ROOT / "corpus" / "reports" / "qingshi-county-gov-2019.md", report)

    r = run("index", "add", str(rules), str(report), "--data-dir", str(data))
    assert r.exit_code == 0, r.output
    assert "已添加" in r.output and "法规" in r.output and "年报" in r.output
    sources = listed(data)
    assert sources["city-rules.txt"]["kind"] == "regulation" and sources["city-rules.txt"]["chunks"] == 4
    assert sources["qingshi-county-gov-2019.md"]["title"] == "青石县人民政府2019年年度报告"

    # Same files again: content-addressed ids, nothing new.
    count = Index(data_dir=data).count()
    r = run("index", "add", str(rules), str(report), "--data-dir", str(data))
    assert r.exit_code == 0 and "未变" in r.output and "已添加" not in r.output
    assert Index(data_dir=data).count() == count

    # The user's own regulation is found by article, by meaning, and by its own title.
    hits = Index(data_dir=data).search("市级部门年报几号前报送", k=3)
    assert hits[0].meta["article"] == 3 and hits[0].meta["doc_title"] == "某市政府信息公开实施办法"
    assert hits[0].source == str(rules.resolve())

    # An edited file replaces its older version instead of sitting beside it.
    rules.write_text(RULES.replace("1月20日", "1月15日"), encoding="utf-8")
    r = run("index", "add", str(rules), "--data-dir", str(data))
    assert r.exit_code == 0 and "替换旧版本" in r.output
    index = Index(data_dir=data)
    texts = [h.text for h in index.search("市级部门年报几号前报送", k=5, kind="regulation")]
    assert any("1月15日" in t for t in texts) and not any("1月20日" in t for t in texts)
    assert listed(data)["city-rules.txt"]["chunks"] == 4

    r = run("index", "remove", "city-rules.txt", "--data-dir", str(data))
    assert r.exit_code == 0 and "已删除" in r.output
    assert set(listed(data)) == {"qingshi-county-gov-2019.md"}
    assert {h.kind for h in Index(data_dir=data).search("第三条", k=5)} == {"report"}

    r = run("index", "remove", "no-such-file.txt", "--data-dir", str(data))
    assert r.exit_code == 1 and "未找到" in r.output


@pytest.mark.realdata
def test_a_real_report_in_plain_text_is_indexed_by_section_with_its_metadata(tmp_path):
    r = run("index", "add", str(LINZI), "--data-dir", str(tmp_path))
    assert r.exit_code == 0, r.output
    hits = Index(data_dir=tmp_path).search("依申请公开 办结", k=5, kind="report", year=2019, edition="2019")
    assert hits
    assert all(h.meta["agency"] and h.meta["year"] == 2019 and h.meta["section"] for h in hits)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_reports_in_every_format_the_parser_reads_can_be_added(tmp_path, fmt):
    files = sorted(REFERENCE.glob(f"*/report.{fmt}"))
    if not files:
        pytest.skip("reference reports not rendered yet")
    path = files[0]
    r = run("index", "add", str(path), "--data-dir", str(tmp_path))
    assert r.exit_code == 0, r.output
    sources = json.loads(run("index", "list", "--format", "json", "--data-dir", str(tmp_path)).stdout)
    assert len(sources) == 1 and sources[0]["kind"] == "report" and sources[0]["chunks"] >= 6
    hits = Index(data_dir=tmp_path).search("依申请公开", k=10)
    assert {"一", "三"} <= {h.meta["section"] for h in hits} | {h.meta["section"] for h in
                                                              Index(data_dir=tmp_path).search("收到申请数量", k=10)}


def test_adding_something_that_is_not_a_report_fails_clearly_and_adds_nothing(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("会议纪要：讨论网站改版。\n", encoding="utf-8")
    r = run("index", "add", str(junk), str(tmp_path / "missing.pdf"), "--data-dir", str(tmp_path / "d"))
    # Issue 13: an input that cannot be read exits 2 (it was 1 before), like every other command.
    assert r.exit_code == 2
    assert "notes.txt" in r.output and "missing.pdf" in r.output
    assert Index(data_dir=tmp_path / "d").count() == 0


def test_a_cached_lexical_index_is_not_used_after_another_writer_changed_the_collection(tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text(RULES, encoding="utf-8")
    Index(data_dir=tmp_path / "d").add_file(rules)
    first = Index(data_dir=tmp_path / "d")
    assert first.search("分管负责同志审核", k=1)[0].meta["article"] == 4  # loads and caches
    other = tmp_path / "other.txt"
    other.write_text("另一份规定\n第一条　乡镇政府的年度报告由县政务公开办统一汇总公布。\n第二条　本规定自公布之日起施行。\n",
                     encoding="utf-8")
    Index(data_dir=tmp_path / "d").add_file(other)  # another writer
    hits = Index(data_dir=tmp_path / "d").search("乡镇年报由谁汇总公布", k=3)
    assert hits[0].meta["doc_title"] == "另一份规定"
    assert hits[0].bm25_rank is not None  # BM25 sees the new chunks too, not a stale cache
