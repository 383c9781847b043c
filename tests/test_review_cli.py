"""`nianbao review` as a reviewer uses it: run, show, decide, export, import, list, delete."""

from __future__ import annotations

import json
import shutil

import openpyxl
from review_helpers import reference, with_cells
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def _folder(tmp_path):
    d = tmp_path / "报送"
    d.mkdir()
    shutil.copy(reference("shinan-county-2020"), d / "石楠县2020.md")
    shutil.copy(reference("shinan-county-2021", "html"), d / "石楠县2021.html")
    (d / "青禾市2022.md").write_text(with_cells("qinghe-city-2022", {("四", "行政复议", "结果维持"): 4}),
                                     encoding="utf-8")
    (d / "说明.txt").write_text("各单位报送材料。", encoding="utf-8")
    return d


def _findings(name="区审核"):
    result = run("review", "show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_run_show_decide_and_rerun(tmp_path):
    d = _folder(tmp_path)
    result = run("review", "run", "区审核", d, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "3 份文件（新增 3，重新检查 0，未变 0）" in result.output
    assert "按机关和年度配对 1 份" in result.output and "说明.txt" in result.output

    data = _findings()
    rows = {r["name"].rsplit("/", 1)[-1]: r for r in data["reports"]}
    assert rows["石楠县2021.html"]["previous"].endswith("石楠县2020.md")
    i4 = next(f for f in data["findings"] if f["code"] == "I4")
    assert i4["severity_label"] == "错误" and i4["status_label"] == "现存" and i4["decision"] is None

    refused = run("review", "decide", "区审核", i4["fingerprint"][:8], "排除")
    assert refused.exit_code == 2 and "排除一项问题时请写明理由" in refused.output
    done = run("review", "decide", "区审核", i4["fingerprint"][:8], "排除", "--reason", "复议案件按立案口径",
               "--by", "周审核")
    assert done.exit_code == 0 and "→ 排除（周审核，第 1 版）" in done.output

    text = run("review", "show", "区审核")
    assert text.exit_code == 0 and "排除" in text.output and "理由：复议案件按立案口径" in text.output
    assert i4["fingerprint"] in text.output

    again = run("review", "run", "区审核", d)
    assert "未变 3" in again.output and "本次跨年核对 0 份" in again.output
    kept = {f["fingerprint"]: f for f in _findings()["findings"]}[i4["fingerprint"]]
    assert (kept["decision"], kept["reason"], kept["decided_by"]) == ("排除", "复议案件按立案口径", "周审核")

    listed = run("review", "list")
    assert listed.exit_code == 0 and "区审核" in listed.output


def test_export_edit_import_and_a_conflict(tmp_path):
    d = _folder(tmp_path)
    assert run("review", "run", "区审核", d).exit_code == 0
    fps = {f["code"]: f["fingerprint"] for f in _findings()["findings"]}
    out = tmp_path / "审核.xlsx"
    exported = run("review", "export", "区审核", "--out", out)
    assert exported.exit_code == 0 and out.exists()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["汇总", "问题", "说明"] and wb["导出信息"].sheet_state == "veryHidden"
    summary = wb["汇总"]
    assert [c.value for c in summary[1]][:4] == ["文件", "机关", "年度", "格式版本"]
    # Frozen headers, filters, and widths that fit Chinese text (a CJK character takes two columns).
    assert summary.freeze_panes == "B2" and summary.auto_filter.ref == f"A1:T{summary.max_row}"
    assert summary.column_dimensions["B"].width >= 2 * len("青禾市人民政府")
    assert [c.value for c in wb["问题"][1]][:6] == ["指纹", "机关", "年度", "文件", "规则", "级别"]
    assert {c.value for c in wb["问题"]["F"][1:]} <= {"错误", "警告", "提示"}
    sheet = wb["问题"]
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        fp = sheet.cell(r, header.index("指纹") + 1).value
        if fp in (fps["I4"], fps["N4"]):
            sheet.cell(r, header.index("决定") + 1).value = "确认"
    wb.save(out)
    # Meanwhile someone decides N4 differently on the command line.
    assert run("review", "decide", "区审核", fps["N4"], "待定", "--by", "郑审核").exit_code == 0
    imported = run("review", "import", "区审核", out, "--by", "吴审核")
    assert imported.exit_code == 1  # a conflict was listed
    assert "记录 1 项决定" in imported.output and "1 项冲突" in imported.output
    assert "工作簿：确认" in imported.output and "数据库：待定" in imported.output and "郑审核" in imported.output
    decided = {f["code"]: f for f in _findings()["findings"]}
    assert decided["I4"]["decision"] == "确认" and decided["I4"]["decided_by"] == "吴审核"
    assert decided["N4"]["decision"] == "待定"


def test_inputs_that_cannot_be_used_get_a_chinese_message(tmp_path):
    d = _folder(tmp_path)
    (d / "坏的.pdf").write_bytes(b"not a pdf at all")
    result = run("review", "run", "区审核", d, d / "坏的.pdf")
    assert result.exit_code == 2 and "1 个文件无法读取" in result.output and "坏的.pdf" in result.output
    missing = run("review", "show", "没有的审核")
    assert missing.exit_code == 2 and "没有名为“没有的审核”的审核" in missing.output
    not_xlsx = tmp_path / "a.txt"
    not_xlsx.write_text("x", encoding="utf-8")
    bad = run("review", "import", "区审核", not_xlsx)
    assert bad.exit_code == 2 and "不是 .xlsx 工作簿" in bad.output
    wrong_suffix = run("review", "export", "区审核", "--out", tmp_path / "审核.csv")
    assert wrong_suffix.exit_code == 2 and ".xlsx" in wrong_suffix.output
    nothing = tmp_path / "空文件夹"
    nothing.mkdir()
    empty = run("review", "run", "空", nothing)
    assert empty.exit_code == 2 and "没有找到可审核的报告文件" in empty.output
    keep = run("review", "delete", "区审核")
    assert keep.exit_code == 2 and "--yes" in keep.output
    gone = run("review", "delete", "区审核", "--yes")
    assert gone.exit_code == 0 and "区审核" not in run("review", "list").output


def test_help_is_chinese():
    result = run("review", "--help")
    assert result.exit_code == 0
    for command in ("run", "list", "show", "decide", "export", "import"):
        assert command in result.output
    assert "审核多份报告" in result.output
    run_help = run("review", "run", "--help")
    assert "只重新检查有改动的文件" in run_help.output and "并行读取和检查的进程数" in run_help.output
