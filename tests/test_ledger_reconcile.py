"""Reconciliation: a report that differs from its register in three cells shows exactly those three."""

from __future__ import annotations

import json
from datetime import date

from conftest import ROOT
from typer.testing import CliRunner

from assistant.cli import app
from assistant.export import to_text
from assistant.model import Cell, CellState
from assistant.parse.facts import report_from_yaml
from evals.ledger import build as registers

runner = CliRunner()
REF = ROOT / "evals" / "reference"


def _set(grid: dict, row: str, col: str, value: int) -> None:
    grid[row][col] = Cell(value=value, state=CellState.number, raw=str(value))


def _idents(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows}


def test_three_changed_cells_are_reported_with_the_rows_behind_each(tmp_path):
    spec = registers.build("qinghe-city-2023")
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx")
    report = report_from_yaml(REF / "qinghe-city-2023" / "report.yaml")
    _set(report.table3, "（一）予以公开", "自然人", 60)  # register: 58
    _set(report.table3, "2.重复申请", "商业企业", 0)  # register: 1
    _set(report.table4, "行政复议", "结果维持", 3)  # register: 4
    doc = tmp_path / "报告.txt"
    doc.write_text(to_text(report), encoding="utf-8")

    result = runner.invoke(app, ["ledger", str(register), "--year", "2023", "--report", str(doc), "--format", "json"])
    assert result.exit_code == 1, result.output  # differences found
    diffs = json.loads(result.stdout)["report_differences"]
    assert [(d["table"], d["row"], d["column"], d["register"], d["report"]) for d in diffs] == [
        ("三", "（一）予以公开", "自然人", 58, 60),
        ("三", "2.重复申请", "商业企业", 1, 0),
        ("四", "行政复议", "结果维持", 4, 3),
    ]
    end = date(2023, 12, 31)
    disclosed = {a.ident for a in spec.apps if a.applicant == "自然人" and a.outcome == "disclosed"
                 and a.answered is not None and a.answered <= end}
    repeated = {a.ident for a in spec.apps if a.applicant == "商业企业" and a.outcome == "repeated"}
    upheld = {c.ident for c in spec.cases if c.group == "review" and c.result == "upheld"}
    assert _idents(diffs[0]["rows"]) == disclosed and len(disclosed) == 58
    assert _idents(diffs[1]["rows"]) == repeated and len(repeated) == 1
    assert _idents(diffs[2]["rows"]) == upheld and len(upheld) == 4

    text = runner.invoke(app, ["ledger", str(register), "--year", "2023", "--report", str(doc)])
    assert "台账与报告不一致的单元格（3处）" in text.stdout
    assert "表三 2.重复申请 × 商业企业：台账 1，报告 0" in text.stdout
    only = next(iter(repeated))
    assert f"编号{only}" in text.stdout


def test_unchanged_report_agrees(tmp_path):
    spec = registers.build("shinan-county-2020")
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx", style=2)
    result = runner.invoke(app, ["ledger", str(register), "--year", "2020",
                                 "--report", str(REF / "shinan-county-2020" / "report.txt")])
    assert result.exit_code == 0, result.output
    assert "报告的表三、表四与台账一致" in result.stdout


def test_previous_carry_over_differs_in_one_column(tmp_path):
    spec = registers.build("qinghe-city-2023")
    register = registers.write_xlsx(spec, tmp_path / "台账.xlsx")
    # Last year's real report agrees column by column.
    ok = runner.invoke(app, ["ledger", str(register), "--year", "2023",
                             "--previous", str(REF / "qinghe-city-2022" / "report.docx")])
    assert ok.exit_code == 0, ok.output
    assert "逐列一致" in ok.stdout

    prev = report_from_yaml(REF / "qinghe-city-2022" / "report.yaml")
    _set(prev.table3, "四、结转下年度继续办理", "自然人", 13)  # this year's 上年结转 × 自然人 is 14
    doc = tmp_path / "上年.txt"
    doc.write_text(to_text(prev), encoding="utf-8")
    result = runner.invoke(app, ["ledger", str(register), "--year", "2023", "--previous", str(doc), "--format", "json"])
    assert result.exit_code == 1, result.output
    diffs = json.loads(result.stdout)["previous_differences"]
    assert [(d["column"], d["register"], d["report"]) for d in diffs] == [("自然人", 14, 13)]
    carried = {a.ident for a in spec.apps if a.applicant == "自然人" and a.received < date(2023, 1, 1)}
    assert _idents(diffs[0]["rows"]) == carried and len(carried) == 14
