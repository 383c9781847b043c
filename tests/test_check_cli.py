"""`nianbao check` and `nianbao rules` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from conftest import HUAIAN, LINZI
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


@pytest.mark.realdata
def test_text_output_lists_errors_first_with_figures():
    result = run("check", LINZI)
    assert result.exit_code == 1
    out = result.output
    assert "临淄区人民政府办公室" in out
    assert out.index("错误") < out.index("警告")
    assert "35 ≠ 43" in out and "12 + 1 + 1 + 601 = 615 ≠ 631" in out


@pytest.mark.realdata
def test_json_output_shape_and_numbers():
    result = run("check", LINZI, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    (rep,) = data["reports"]
    assert rep["edition"] == "2019" and rep["year"] == 2019 and rep["agency"] == "临淄区人民政府办公室"
    keys = {"code", "severity", "location", "message", "expected", "actual", "computation", "basis",
            "cells", "spans", "area", "id", "unchecked", "inferred", "consequences"}
    assert all(set(f) == keys for f in rep["findings"])
    # The 自然人 column's P1 failure is listed under the 总计 column's: the same 8 short in both.
    (p1,) = [f for f in rep["findings"] if f["code"] == "P1"]
    assert [c["location"] for c in p1["consequences"]] == ["表三 自然人列"]
    assert all(f["expected"] == 35 and f["actual"] == 43 for f in [p1, *p1["consequences"]])
    p1 = [p1]
    # Where a finding points is data: the column it checks and the cells it added up.
    total = next(f for f in p1 if f["location"] == "表三 总计列")
    assert total["area"] == {"kind": "column", "table": "三", "col": "总计", "row": None, "block": None,
                             "label": None, "section": None, "aspect": None}
    assert {c["row"] for c in total["cells"]} == {"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                                  "（七）总计", "四、结转下年度继续办理"}
    assert {c["col"] for c in total["cells"]} == {"总计"}
    n1 = next(f for f in rep["findings"] if f["code"] == "N1")
    (span,) = n1["spans"]
    assert span["section"] == "一" and span["paragraph"] == 3 and span["quote"] == "申请办结数33件"
    # The table cell the sentence is compared with: （七）总计 (empty here, so its rows were summed).
    assert n1["cells"] == [{"table": "三", "row": "（七）总计", "col": "总计", "block": None}] and n1["area"] is None
    assert len({f["id"] for f in rep["findings"]}) == len(rep["findings"])
    assert data["summary"]["errors"] == 5 and data["summary"]["reports"] == 1
    assert rep["summary"] == {"rules_run": 23, "rules_unchecked": [], "errors": 5, "warnings": 3, "infos": 0}


@pytest.mark.realdata
def test_csv_is_one_row_per_finding():
    result = run("check", LINZI, "--format", "csv", "--min-severity", "error")
    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert rows[0][:6] == ["文件", "机关", "年度", "格式版本", "规则", "级别"]
    # Five errors and the one listed under a cause (P1 in the 自然人 column), each a row of the audit sheet;
    # severities in Chinese, as people read the sheet (issue 15).
    assert len(rows) == 1 + 6 and {r[5] for r in rows[1:]} == {"错误"}
    assert sum(r[7].startswith("（后果") for r in rows[1:]) == 1


@pytest.mark.realdata
def test_markdown_output():
    result = run("check", LINZI, "--format", "markdown")
    assert result.output.startswith("# 年度报告检查结果")
    assert "| 错误 | P1 |" in result.output


@pytest.mark.realdata
def test_min_severity_filters_but_exit_code_still_counts_errors():
    result = run("check", LINZI, "--format", "json", "--min-severity", "error")
    data = json.loads(result.output)
    assert {f["severity"] for f in data["reports"][0]["findings"]} == {"error"}
    assert result.exit_code == 1


@pytest.mark.realdata
def test_consistent_report_exits_zero(tmp_path):
    result = run("check", HUAIAN, "--format", "json", "--min-severity", "warning")
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["errors"] == 0


@pytest.mark.realdata
def test_folder_input_with_an_unreadable_file(tmp_path):
    shutil.copy(LINZI, tmp_path / "linzi.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(HUAIAN, tmp_path / "sub" / "huaian.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "notes.yaml").write_text("ignored: true", encoding="utf-8")
    result = run("check", tmp_path, "--format", "json", "--jobs", "2")
    assert result.exit_code == 2
    reports = json.loads(result.output)["reports"]
    names = [r["file"].rsplit("/", 1)[-1] for r in reports]
    assert names == ["broken.pdf", "linzi.txt", "huaian.pdf"]
    broken = reports[0]
    assert broken["error"] and broken["findings"] == []
    assert any(f["severity"] == "error" for f in reports[1]["findings"])


@pytest.mark.realdata
def test_text_output_shows_unreadable_file_message(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("check", bad, LINZI)
    assert result.exit_code == 2
    assert "无法读取" in result.output and "临淄区人民政府办公室" in result.output


@pytest.mark.realdata
def test_previous_report_enables_cross_year_rules(tmp_path):
    result = run("check", LINZI, "--previous", LINZI, "--format", "json")
    findings = json.loads(result.output)["reports"][0]["findings"]
    # Same year given as "last year": refused with a note, not compared.
    assert any(f["code"] == "X1" and f["severity"] == "info" for f in findings)


def test_rules_lists_every_code():
    result = run("rules")
    assert result.exit_code == 0
    for code in ["P1", "P2", "I1", "I5", "I10", "N1", "N11", "X1", "X6"]:
        assert code in result.output


def test_rules_explains_one_code():
    result = run("rules", "p1")
    assert result.exit_code == 0
    assert "第一项加第二项之和" in result.output
    assert "不通过的例子" in result.output and "通过的例子" in result.output


def test_rules_unknown_code():
    result = run("rules", "Z9")
    assert result.exit_code == 2
