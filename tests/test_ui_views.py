"""What the workspace's side panel shows, rendered without a browser."""

from __future__ import annotations

import pytest
from chat_helpers import HUAIAN, LINZI, QINGHE_2022, QINGHE_2023, workspace

from assistant.chat import route
from assistant.ui import views


@pytest.mark.realdata
def test_the_summary_has_a_row_per_report_with_its_counts():
    ws = workspace(LINZI, HUAIAN)
    lines = views.summary_md(ws).splitlines()
    assert lines[0] == "| 报告 | 机关 | 年度 | 格式版本 | 错误 | 警告 | 未读单元格 |"
    linzi, huaian = lines[2], lines[3]
    errors = sum(1 for f in ws.findings(0) if f.severity.value == "error")
    warnings = sum(1 for f in ws.findings(0) if f.severity.value == "warning")
    assert "临淄区人民政府办公室" in linzi and f"| {errors} | {warnings} | 0 |" in linzi
    assert "▶ 本年" in huaian and "淮安市人民政府" in huaian and "| 2021年版 |" in huaian


def test_last_years_report_has_its_own_row():
    ws = workspace(QINGHE_2023, previous=QINGHE_2022)
    rows = views.summary_md(ws).splitlines()[2:]
    assert rows[0].startswith("| ▶ 本年：") and rows[1].startswith("| 上年：") and "| 2022 |" in rows[1]


@pytest.mark.realdata
def test_cells_not_read_are_counted(realdata_dir):
    ws = workspace(realdata_dir / "pingtan-2021.txt")
    row = views.summary_md(ws).splitlines()[2]
    # 表四 could not be read (15 cells), and 行政规范性文件's three cells of 表二 are unreadable.
    assert row.endswith("| 18 |")


@pytest.mark.realdata
def test_the_findings_list_numbers_problems_as_the_chat_does():
    ws = workspace(LINZI, HUAIAN)
    route("哪些合计对不上", ws)
    html_all = views.findings_html(ws, [0, 1])
    for n, (name, f) in enumerate(ws.listed, 1):
        assert f'data-no="{n}"' in html_all and f"问题{n}</span>" in html_all
    assert "临淄区人民政府办公室" in html_all and "淮安市人民政府" in html_all
    ws.select(0)
    one = views.findings_html(ws)
    assert "淮安市人民政府" not in one and 'data-no="1"' in one


@pytest.mark.realdata
def test_all_reports_side_by_side():
    ws = workspace(LINZI, HUAIAN)
    t3 = views.frame_all(ws, "三")
    assert t3["headers"] == ["项目（总计列）", "1. 临淄区人民政府办公室", "2. 淮安市人民政府"]
    new = next(r for r in t3["data"] if r[0].startswith("一、本年新收"))
    assert new[1:] == ["35", "3119"]
