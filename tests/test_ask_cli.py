"""`nianbao ask`: the chat's answers for scripts and people without a browser."""

from __future__ import annotations

import json

import pytest
from chat_helpers import LINZI, QINGHE_2022, QINGHE_2023
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def ask(*args: str):
    return runner.invoke(app, ["ask", *args])


@pytest.mark.realdata
def test_the_check_answer_in_text_names_the_figures():
    r = ask("哪些合计对不上", "--report", str(LINZI))
    assert r.exit_code == 0, r.output
    assert "35 ≠ 43" in r.output
    assert "12 + 1 + 1 + 601 = 615 ≠ 631" in r.output
    assert "4 + 0 + 26 + 5 = 35 ≠ 33" in r.output


@pytest.mark.realdata
def test_json_carries_the_answer_and_the_findings_it_used():
    r = ask("哪些合计对不上", "--report", str(LINZI), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["intent"] == "check"
    assert data["question"] == "哪些合计对不上"
    assert "35" in data["answer"] and "43" in data["answer"]
    p1 = [f for f in data["findings"] if f["code"] == "P1"]
    assert p1 and p1[0]["location"].startswith("表三")
    assert data["sources"] == [] and data["verdict"] is None


@pytest.mark.realdata
def test_explaining_an_item_works_in_a_fresh_run():
    # Linzi's problem list: 1. P1 (总计列, the 自然人 column's P1 under it), 2. I1 …
    r = ask("为什么说第二项不对", "-r", str(LINZI), "-f", "json")
    data = json.loads(r.output)
    assert data["intent"] == "explain"
    assert data["findings"][0]["code"] == "I1"
    assert "规则 I1" in data["answer"]


@pytest.mark.realdata
def test_drafting_reports_the_guard_verdict():
    r = ask("起草总体情况", "-r", str(LINZI), "-f", "json")
    data = json.loads(r.output)
    assert data["intent"] == "draft"
    v = data["verdict"]
    assert v["figures_checked"] > 0 and v["figures_checked"] == v["figures_supported"]


def test_year_over_year_from_the_command_line():
    r = ask("和去年比有什么变化", "-r", str(QINGHE_2023), "--previous", str(QINGHE_2022), "-f", "json")
    data = json.loads(r.output)
    assert data["intent"] == "yoy"
    new = next(row for row in data["data"]["rows"] if row["label"].startswith("一、本年新收"))
    assert (new["previous"], new["current"], new["change"], new["percent"]) == (188, 174, -14, -7.4)


def test_a_source_question_quotes_the_regulation(monkeypatch, regulation_index_dir):
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(regulation_index_dir))
    r = ask("条例哪一条规定年报内容", "-f", "json")
    data = json.loads(r.output)
    assert data["intent"] == "source"
    assert data["sources"] and all(s["snippet"] for s in data["sources"])
    assert "第五十条" in data["answer"]


def test_an_unknown_request_gets_a_helpful_reply():
    r = ask("今天天气怎么样")
    assert r.exit_code == 0
    assert "哪些合计对不上" in r.output


def test_an_unreadable_report_is_a_chinese_error(tmp_path):
    missing = tmp_path / "nope.txt"
    r = ask("哪些合计对不上", "-r", str(missing))
    assert r.exit_code == 2
    assert "找不到文件" in r.output
    assert "Traceback" not in r.output
