"""What the command line shows of certainty, folders with files that are not reports, and the
checker's refusal to compute from cells that were not read for sure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from assistant.check import run_checks
from assistant.cli import app
from assistant.evals.degrade import render
from assistant.model import Certainty
from assistant.parse import parse_bytes, parse_file

REFERENCE = Path(__file__).resolve().parents[1] / "evals" / "reference"
QINGHE = REFERENCE / "qinghe-city-2023"


def crawler_file(tmp_path: Path) -> Path:
    doc = render(QINGHE, "crawler")
    path = tmp_path / doc.name
    path.write_bytes(doc.data)
    return path


def test_text_output_marks_inferred_cells_and_counts_rows_per_table(tmp_path):
    r = CliRunner().invoke(app, ["parse", str(crawler_file(tmp_path))])
    assert r.exit_code == 0, r.output
    assert "表三：25 行，25 行推断" in r.stdout
    assert "表二：6 行，4 行确定，2 行无法读取" in r.stdout
    assert "147*" in r.stdout and "（不可读）" in r.stdout
    assert "数字连写为“2242”，有多种拆法" in r.stdout


def test_json_has_certainty_and_how_for_every_cell(tmp_path):
    r = CliRunner().invoke(app, ["parse", str(crawler_file(tmp_path)), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    cell = data["table3"]["一、本年新收政府信息公开申请数量"]["总计"]
    assert cell["value"] == 174 and cell["certainty"] == "inferred" and "拆法" in cell["how"]
    unread = data["table2"]["第二十条第（一）项"]["规章"]["本年制发件数"]
    assert unread["certainty"] == "unreadable" and unread["value"] is None
    assert data["unreadable_tables"] == {}
    plain = json.loads(CliRunner().invoke(app, ["parse", str(QINGHE / "report.txt"), "--format", "json"]).stdout)
    assert plain["table3"]["（一）予以公开"]["自然人"]["certainty"] == "certain"
    assert plain["table3"]["（一）予以公开"]["自然人"]["how"] is None


def folder_with_notes(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(QINGHE / "report.txt", folder / "qinghe-2023.txt")
    shutil.copy(REFERENCE / "chenglan-township-2023" / "report.html", folder / "sub" / "chenglan.html")
    (folder / "README.md").write_text("# 年报汇总\n这些是下级单位报送的政府信息公开工作年度报告。\n", encoding="utf-8")
    (folder / "notes.txt").write_text("周三前汇总，注意核对总计。\n", encoding="utf-8")
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "page.html").write_text("<html><body><p>通知：系统维护。</p></body></html>", encoding="utf-8")
    return folder


def test_parse_folder_lists_what_is_not_a_report_as_skipped(tmp_path):
    folder = folder_with_notes(tmp_path)
    r = CliRunner().invoke(app, ["parse", str(folder), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert sorted(Path(x["file"]).name for x in data["reports"]) == ["chenglan.html", "qinghe-2023.txt"]
    skipped = {Path(x["file"]).name: x["reason"] for x in data["skipped"]}
    assert set(skipped) == {"README.md", "notes.txt", "scan.png", "page.html"}
    assert "说明文件" in skipped["README.md"] and "图片" in skipped["scan.png"]
    assert "不是一份政府信息公开工作年度报告" in skipped["page.html"]
    assert data["errors"] == []


def test_check_folder_skips_non_reports_without_failing(tmp_path):
    folder = folder_with_notes(tmp_path)
    r = CliRunner().invoke(app, ["check", str(folder)])
    assert r.exit_code == 0, r.output  # the two reports are consistent; the rest is not an input error
    assert "跳过 4 个不是年度报告的文件" in r.stdout and "README.md：说明文件" in r.stdout
    assert "共检查 2 份报告" in r.stdout
    js = json.loads(CliRunner().invoke(app, ["check", str(folder), "--format", "json"]).stdout)
    assert js["summary"]["skipped"] == 4 and js["summary"]["reports"] == 2
    # A file named on the command line is read even if it is not a report: that is an input error.
    r = CliRunner().invoke(app, ["check", str(folder / "notes.txt")])
    assert r.exit_code == 2 and "无法读取" in r.stdout


def test_unread_cells_are_never_computed_from():
    report = parse_file(QINGHE / "report.txt")
    assert not [f for f in run_checks(report) if f.severity.value == "error"]
    # A wrong figure the reader was not sure of is not an error of the document.
    cell = report.table3["（一）予以公开"]["自然人"]
    cell.value, cell.raw = 580, "580"
    assert [f for f in run_checks(report) if f.severity.value == "error"]
    for certainty in (Certainty.uncertain, Certainty.unreadable):
        cell.certainty, cell.how = certainty, "测试：读取时不能确定"
        findings = run_checks(report)
        # Not judged: each rule that needed the cell says, once, that it could not check it.
        assert not [f for f in findings if f.code in ("P1", "I1", "I2") and not f.unchecked], certainty
        assert {f.code for f in findings if f.unchecked and f.severity.value == "info"} >= {"I1", "I2"}
    # A table that could not be read at all takes no part either.
    four = parse_file(QINGHE / "report.txt")
    four.table4["行政复议"]["总计"].value = 50
    # (Found on its own or under the cell as the cause, with the narrative's 复议 figure that disagrees too.)
    assert [f for top in run_checks(four) for f in top.all_findings() if f.code == "I4"]
    four.unreadable_tables["四"] = "测试：表四无法读取"
    (note,) = [f for f in run_checks(four) if f.code == "I4"]
    assert note.unchecked and note.severity.value == "info" and "测试：表四无法读取" in note.computation


def test_a_blank_cell_lost_in_crawler_text_is_never_read_as_a_figure():
    doc = render(QINGHE, "crawler")
    # The page leaves 商业企业 of row 一 empty: 147 | (空) | 0 | 1 | 3 | 1 | 152. The crawler keeps "1470131152".
    page = ["147", "", "0", "1", "3", "1", "152"]
    text = doc.data.decode().replace("申请数量147220131174", "申请数量" + "".join(page))
    report = parse_bytes(text.encode(), "blank.txt")
    row = report.table3["一、本年新收政府信息公开申请数量"]
    assert row["商业企业"].certainty is Certainty.unreadable  # the blank could stand in 商业企业 or 科研机构
    for (col, cell), want in zip(row.items(), page):
        if cell.certainty is not Certainty.unreadable:
            assert cell.raw == want, col
