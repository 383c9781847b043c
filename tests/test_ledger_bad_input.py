"""Registers that cannot be counted: a clear Chinese message, exit status 2, nothing computed."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from assistant.cli import app
from assistant.ledger import LedgerError, compute_register
from evals.ledger import build as registers

runner = CliRunner()
HEADER = ["编号", "收到申请日期", "申请人类型", "办理结果", "答复日期"]


def _xlsx(path, rows, header=HEADER, title=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _run(*args):
    return runner.invoke(app, ["ledger", *args])


def _assert_refused(result, *words, out=None):
    assert result.exit_code == 2, result.output
    assert "错误" in result.output or "未计算" in result.output
    for w in words:
        assert w in result.output, result.output
    assert "表三 收到和处理" not in result.output  # no table was printed
    if out is not None:
        assert not out.exists()


def test_no_recognisable_outcome_column(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), "公民", "同意公开", date(2025, 3, 20)]],
                 header=["编号", "收到申请日期", "申请人类型", "备注", "答复日期"])
    out = tmp_path / "facts.yaml"
    r = _run(str(path), "--year", "2025", "--out", str(out))
    _assert_refused(r, "没有可识别的“办理结果”列", "不作推测", "--map", out=out)


def test_explicit_column_map_makes_it_countable(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), "公民", "同意公开", date(2025, 3, 20)]],
                 header=["编号", "收到申请日期", "申请人类型", "备注", "答复日期"])
    r = _run(str(path), "--year", "2025", "--map", "备注=outcome", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["table3"]["（一）予以公开"]["自然人"] == 1


def test_unknown_applicant_types_are_listed_for_a_person(tmp_path):
    rows = [["A1", date(2025, 3, 5), "公民", "同意公开", date(2025, 3, 20)],
            ["A2", date(2025, 4, 1), "个体工商户", "同意公开", date(2025, 4, 9)],
            ["A3", date(2025, 4, 2), "个体工商户", "信息不存在", date(2025, 4, 19)],
            ["A4", date(2025, 5, 2), "法人", "信息不存在", date(2025, 5, 19)]]
    path = _xlsx(tmp_path / "r.xlsx", rows)
    out = tmp_path / "facts.yaml"
    r = _run(str(path), "--year", "2025", "--out", str(out))
    _assert_refused(r, "申请人类型“个体工商户”（2行）", "申请人类型“法人”（1行）", "编号A2", "--mapping", out=out)
    assert '"个体工商户": ""' in r.output  # a template to fill in
    # Assigning them makes the register countable, with no guess left.
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("申请人类型:\n  个体工商户: 商业企业\n  法人: 其他\n", encoding="utf-8")
    ok = _run(str(path), "--year", "2025", "--mapping", str(mapping), "--format", "json")
    assert ok.exit_code == 0, ok.output
    t3 = json.loads(ok.stdout)["table3"]
    assert t3["一、本年新收政府信息公开申请数量"] == {"自然人": 1, "商业企业": 2, "科研机构": 0, "社会公益组织": 0,
                                              "法律服务机构": 0, "其他": 1, "总计": 4}
    again = _run(str(path), "--year", "2025", "--assign", "申请人类型:个体工商户=商业企业",
                 "--assign", "申请人类型:法人=其他")
    assert again.exit_code == 0, again.output


def test_assignment_to_something_that_is_not_a_column_is_refused(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), "个体工商户", "同意公开", date(2025, 3, 20)]])
    r = _run(str(path), "--year", "2025", "--assign", "申请人类型:个体工商户=个体户")
    assert r.exit_code == 2
    assert "申请人类型只能对应表三的列" in r.output


def test_unknown_outcome_is_not_guessed(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), "公民", "已答复", date(2025, 3, 20)]])
    r = _run(str(path), "--year", "2025")
    _assert_refused(r, "办理结果“已答复”")


def test_dates_outside_any_year(tmp_path):
    rows = [["A1", 3, "公民", "同意公开", date(2025, 3, 20)],  # serial 3 is 1900
            ["A2", "2925年3月5日", "公民", "同意公开", date(2025, 3, 20)],
            ["A3", "3月5日", "公民", "同意公开", "2025/03/20"],
            ["A4", "25.3.5", "公民", "同意公开", "2025/03/20"]]
    path = _xlsx(tmp_path / "r.xlsx", rows)
    r = _run(str(path), "--year", "2025")
    _assert_refused(r, "不在任何可能的年度内", "没有写年份", "年份只有两位", "编号A1", "编号A4")


def test_register_of_another_year(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2021, 3, 5), "公民", "同意公开", date(2021, 3, 20)]])
    r = _run(str(path), "--year", "2025")
    _assert_refused(r, "没有与2025年度有关的申请", "2021-03-05", "--year")


def test_result_without_answer_date_is_not_counted(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), "公民", "同意公开", None]])
    r = _run(str(path), "--year", "2025")
    _assert_refused(r, "没有答复日期，无法判断是否在本年度办结")


def test_empty_sheet(tmp_path):
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")
    r = _run(str(tmp_path / "empty.xlsx"), "--year", "2025")
    _assert_refused(r, "是空的")
    header_only = _xlsx(tmp_path / "header.xlsx", [])
    r = _run(str(header_only), "--year", "2025")
    _assert_refused(r, "没有任何申请记录")


@pytest.mark.parametrize("name,content,words", [
    ("report.xlsx", "这不是表格，只是一段文字。\n第二行。\n", ["不是表格文件"]),
    ("scan.pdf", b"%PDF-1.4\n1 0 obj\n", ["PDF 文件"]),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ["旧版 Excel"]),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, ["无法读取这个 Excel 文件"]),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["不是表格文件"]),
])
def test_files_that_are_not_spreadsheets(tmp_path, name, content, words):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    _assert_refused(_run(str(path), "--year", "2025"), *words)


def test_missing_file(tmp_path):
    _assert_refused(_run(str(tmp_path / "nope.xlsx"), "--year", "2025"), "找不到台账文件")


def test_huge_sheet_is_refused_before_counting(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(200_001):
            w.writerow([f"A{i}", "2025-03-05", "公民", "同意公开", "2025-03-20"])
    _assert_refused(_run(str(path), "--year", "2025"), "超过200000行", "超出处理上限")


def test_row_limit_holds_for_xlsx_too(tmp_path):
    spec = registers.build("qinghe-city-2023")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx")
    with pytest.raises(LedgerError, match="超过50行"):
        compute_register(path, 2023, max_rows=50)


def test_two_columns_that_mean_the_same_are_not_chosen_between(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [["A1", date(2025, 3, 5), date(2025, 3, 6), "公民", "同意公开", date(2025, 3, 20)]],
                 header=["编号", "收到日期", "登记日期", "申请人类型", "办理结果", "答复日期"])
    r = _run(str(path), "--year", "2025")
    _assert_refused(r, "几列都像同一项", "“收到日期”", "“登记日期”")
    ok = _run(str(path), "--year", "2025", "--map", "收到日期=received", "--map", "登记日期=编号")
    assert ok.exit_code == 0, ok.output


def test_an_unreadable_extension_cell_withholds_only_the_extension_figures(tmp_path):
    rows = [["A1", date(2025, 3, 5), "公民", "同意公开", date(2025, 4, 20), "不清楚"],
            ["A2", date(2025, 3, 6), "企业", "信息不存在", date(2025, 3, 21), "否"]]
    path = _xlsx(tmp_path / "r.xlsx", rows, header=HEADER + ["是否延期"])
    result = compute_register(path, 2025)
    assert not result.blocked  # the tables do not need the column
    assert result.value3("（一）予以公开", "自然人") == 1
    n = result.narrative
    assert n.extended is None and n.late is None
    assert any("延期答复无法识别" in c and "编号A1" in c for c in n.caveats)
    assert not any("延长答复期限" in x for x in n.notes())
    assert any("超过20个工作日答复1件（是否经过延期未能确认）" in x for x in n.notes())
