"""Registers generated from the reference reports give back those reports' tables 三 and 四.

The registers are real .xlsx files written with openpyxl (title rows, merged
two-row headers, dates in five writings, a case sheet, a 合计 row) and GBK
CSV files, made by evals/ledger/build.py; the command reads them and must
reproduce every cell, in both editions.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli import app
from assistant.ledger import compute_register
from evals.ledger import build as registers

runner = CliRunner()

# Both editions: 2019 (qinghe-statistics-2019, shinan-county-2020, qinghe-natural-resources-2020)
# and 2021 (the others).
SLUGS = ["qinghe-city-2023", "shinan-county-2021", "yunze-province-2022", "chenglan-township-2023",
         "qinghe-statistics-2019", "shinan-county-2020", "qinghe-natural-resources-2020", "tongxi-township-2020"]


def _ledger_json(*args: str) -> dict:
    result = runner.invoke(app, ["ledger", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(grid: dict) -> dict[str, list[int]]:
    return {label: list(cells.values()) for label, cells in grid.items()}


@pytest.mark.parametrize("slug", SLUGS)
def test_xlsx_register_reproduces_tables_3_and_4(slug, tmp_path):
    spec = registers.build(slug)
    style = SLUGS.index(slug)
    path = registers.write_xlsx(spec, tmp_path / f"{slug}.xlsx", style=style, merged=style % 2 == 0,
                                title=style % 3 != 2)
    out = _ledger_json(str(path), "--year", str(spec.year))
    assert out["edition"] == spec.edition
    assert _rows(out["table3"]) == spec.table3
    assert _rows(out["table4"]) == spec.table4
    # The rows of other years are named, not counted.
    assert len(out["outside_year"]["answered_before"]) == len(spec.outside) // 2
    assert len(out["outside_year"]["received_after"]) == len(spec.outside) // 2
    assert len(out["outside_year"]["cases"]) == len(spec.cases_outside)
    if not spec.apps:  # tongxi-township-2020: no application all year, and the register says so
        assert any("没有2020年度的申请，表三全部为0" in n for n in out["notes"])


def test_generated_workbook_is_messy_as_promised(tmp_path):
    """The fixture really has a title row, a merged two-row header, mixed date writings and a case sheet."""
    spec = registers.build("qinghe-city-2023")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx", style=0, merged=True, title=True)
    wb = load_workbook(path)
    ws = wb["依申请公开台账"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:J1" in merged  # the title
    assert any(r.startswith("D3") or r.startswith("C3") for r in merged)  # 申请人信息 over two columns
    assert ws.cell(3, 3).value == "申请人信息" and ws.cell(4, 4).value == "类型"
    received = [ws.cell(r, 2).value for r in range(5, ws.max_row)]
    kinds = {type(v).__name__ for v in received}
    assert {"datetime", "int", "str"} <= kinds
    texts = [v for v in received if isinstance(v, str)]
    assert any("年" in v for v in texts) and any("." in v for v in texts) and any("/" in v for v in texts)
    assert wb.sheetnames == ["依申请公开台账", "行政复议和诉讼", "填表说明"]


@pytest.mark.parametrize("slug", ["qinghe-city-2022", "shinan-county-2020"])
def test_gbk_csv_with_case_list_reproduces_tables(slug, tmp_path):
    spec = registers.build(slug)
    path = registers.write_csv(spec, tmp_path / "台账.csv", encoding="gbk")
    cases = registers.write_cases_csv(spec, tmp_path / "案件.csv")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GBK
    out = _ledger_json(str(path), "--year", str(spec.year), "--cases", str(cases))
    assert _rows(out["table3"]) == spec.table3
    assert _rows(out["table4"]) == spec.table4


def test_same_register_in_the_other_edition_moves_the_other_rows(tmp_path):
    """A 2021 register counted for the 2019 edition: the three （六） sub-rows become the single （六） row."""
    spec = registers.build("qinghe-city-2023")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx")
    out = _ledger_json(str(path), "--year", "2023", "--edition", "2019")
    t3 = _rows(out["table3"])
    sub = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
           "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
    expected_other = [sum(spec.table3[r][i] for r in sub) for i in range(7)]
    assert t3["（六）其他处理"] == expected_other
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理", "（一）予以公开"):
        assert t3[label] == spec.table3[label]


def test_narrative_figures_match_a_day_by_day_count(tmp_path):
    spec = registers.build("yunze-province-2022")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx")
    result = compute_register(path, spec.year)
    n = result.narrative
    expected = spec.expected_narrative()
    assert n.received == expected["received"] and n.answered == expected["answered"]
    assert n.channels == expected["channels"]
    assert n.within_limit == expected["within_limit"]
    assert n.extended == expected["extended"]
    assert n.late == expected["late"]
    assert n.longest_days == expected["longest_days"]
    assert n.average_days == registers_round1(expected["total_days"] / expected["answered"])
    share = registers_round1(expected["within_limit"] / expected["answered"] * 100)
    assert n.within_share == share
    notes = n.notes()
    assert any(f"在20个工作日内答复的有{expected['within_limit']}件" in x for x in notes)
    # No holiday list: the output says holidays were not deducted.
    assert any("未扣除法定节假日" in x for x in notes)
    assert "未提供节假日表" in result.calendar.describe()


def registers_round1(x: float) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_holiday_list_changes_the_working_days_and_says_so(tmp_path):
    spec = registers.build("qinghe-city-2023")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx")
    holidays = tmp_path / "节假日.txt"
    holidays.write_text("2023-10-02\n2023-10-03\n2023-10-04\n2023-10-05\n2023-10-06\n2023-10-07 补班\n2023-10-08 补班\n",
                        encoding="utf-8")
    plain = compute_register(path, 2023).narrative
    with_list = compute_register(path, 2023, holidays=holidays).narrative
    assert with_list.holidays_known and not plain.holidays_known
    assert "已扣除节假日表所列节假日" in with_list.notes()[1]
    # Five weekdays off and two weekend days worked: a span over the National Day week loses three days.
    assert with_list.average_days <= plain.average_days


def test_text_output_names_the_columns_it_recognised_and_the_rows_it_left_out(tmp_path):
    spec = registers.build("shinan-county-2021")
    path = registers.write_xlsx(spec, tmp_path / "r.xlsx", style=1, merged=True)
    result = runner.invoke(app, ["ledger", str(path), "--year", "2021"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "申请人类型←“申请人信息/类型”" in out
    assert "办理结果←“办理情况/结果”" in out
    assert "未使用工作表“填表说明”" in out
    assert "2021年以前已答复的行" in out and "2021年以后收到的行" in out
    assert "合计行" in out
    assert "法定节假日未扣除" in out
