"""Every cell of tables 二, 三 and 四 of the two real reports, read as published."""

from conftest import LINZI

from assistant.model import CellState, get_edition

B = None  # a blank cell: written as empty in the published table

# Linzi 2019: table 三 by row, columns 自然人 … 其他, 总计
LINZI_T3 = {
    "一、本年新收政府信息公开申请数量": [35, B, B, B, B, B, 35],
    "二、上年结转政府信息公开申请数量": [0, B, B, B, B, B, 0],
    "（一）予以公开": [4, B, B, B, B, B, 4],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [0, B, B, B, B, B, 0],
    "1.本机关不掌握相关政府信息": [26, B, B, B, B, B, 26],
    "（六）其他处理": [5, B, B, B, B, B, 5],
    "（七）总计": [B] * 7,
    "四、结转下年度继续办理": [8, B, B, B, B, B, 8],
}
LINZI_T2 = {
    "第二十条第（一）项": {"规章": [0, 0, 0], "规范性文件": [3, 3, 31]},
    "第二十条第（五）项": {"行政许可": [0, 0, 0], "其他对外管理服务事项": [0, 0, 0]},
    "第二十条第（六）项": {"行政处罚": [0, 0, 0], "行政强制": [0, 0, 0]},
    "第二十条第（八）项": {"行政事业性收费": [0, 0]},
    "第二十条第（九）项": {"政府集中采购": [1, 197000]},
}
LINZI_T4 = {
    "行政复议": [B, 3, B, B, 3],
    "未经复议直接起诉": [2, B, B, B, 2],
    "复议后起诉": [B, B, B, B, 0],
}

HUAIAN_T2 = {
    "第二十条第（一）项": {"规章": [1, 0, 11], "行政规范性文件": [8, 26, 66]},
    "第二十条第（五）项": {"行政许可": [447228]},
    "第二十条第（六）项": {"行政处罚": [3985758], "行政强制": [88283]},
    "第二十条第（八）项": {"行政事业性收费": [96171.6]},
}
HUAIAN_T3 = {
    "一、本年新收政府信息公开申请数量": [3001, 53, 0, 0, 61, 4, 3119],
    "二、上年结转政府信息公开申请数量": [34, 0, 0, 0, 0, 0, 34],
    "（一）予以公开": [1288, 21, 0, 0, 50, 3, 1362],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [447, 7, 0, 0, 0, 0, 454],
    "1.属于国家秘密": [2, 0, 0, 0, 0, 0, 2],
    "2.其他法律行政法规禁止公开": [30, 1, 0, 0, 0, 0, 31],
    "3.危及“三安全一稳定”": [5, 0, 0, 0, 0, 0, 5],
    "4.保护第三方合法权益": [6, 0, 0, 0, 0, 0, 6],
    "5.属于三类内部事务信息": [7, 1, 0, 0, 0, 0, 8],
    "6.属于四类过程性信息": [12, 0, 0, 0, 0, 0, 12],
    "7.属于行政执法案卷": [9, 0, 0, 0, 0, 0, 9],
    "8.属于行政查询事项": [105, 0, 0, 0, 0, 0, 105],
    "1.本机关不掌握相关政府信息": [746, 12, 0, 0, 10, 1, 769],
    "2.没有现成信息需要另行制作": [11, 0, 0, 0, 0, 0, 11],
    "3.补正后申请内容仍不明确": [1, 0, 0, 0, 0, 0, 1],
    "1.信访举报投诉类申请": [56, 6, 0, 0, 0, 0, 62],
    "2.重复申请": [25, 0, 0, 0, 0, 0, 25],
    "3.要求提供公开出版物": [0, 0, 0, 0, 0, 0, 0],
    "4.无正当理由大量反复申请": [0, 0, 0, 0, 0, 0, 0],
    "5.要求行政机关确认或重新出具已获取信息": [1, 0, 0, 0, 0, 0, 1],
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": [67, 3, 0, 0, 1, 0, 71],
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": [6, 0, 0, 0, 0, 0, 6],
    "3.其他": [108, 2, 0, 0, 0, 0, 110],
    "（七）总计": [2932, 53, 0, 0, 61, 4, 3050],
    "四、结转下年度继续办理": [103, 0, 0, 0, 0, 0, 103],
}
HUAIAN_T4 = {
    "行政复议": [72, 64, 178, 37, 351],
    "未经复议直接起诉": [13, 4, 8, 1, 26],
    "复议后起诉": [12, 1, 1, 6, 20],
}


def assert_cells(actual: dict, expected: list, where: str):
    assert len(actual) == len(expected), where
    for (col, cell), want in zip(actual.items(), expected):
        if want is B:
            assert cell.state is CellState.blank, f"{where} × {col}: expected blank, got {cell.state} {cell.raw!r}"
            assert cell.value is None
        else:
            assert cell.state is CellState.number, f"{where} × {col}: expected {want}, got {cell.state} {cell.raw!r}"
            assert cell.value == want, f"{where} × {col}"


def test_linzi_is_read_as_a_2019_edition_report(linzi):
    assert linzi.edition == "2019" and linzi.edition_detected == "2019"
    assert linzi.agency == "临淄区人民政府办公室"
    assert linzi.year == 2019
    assert [s.key for s in linzi.sections] == list("一二三四五六")


def test_linzi_table3_every_cell(linzi):
    ed = get_edition("2019")
    assert list(linzi.table3) == ed.table3.labels
    for label in ed.table3.labels:
        assert_cells(linzi.table3[label], LINZI_T3.get(label, [B] * 7), f"表三 {label}")


def test_linzi_table2_every_cell(linzi):
    assert list(linzi.table2) == list(LINZI_T2)
    for caption, rows in LINZI_T2.items():
        assert list(linzi.table2[caption]) == list(rows)
        for label, values in rows.items():
            assert_cells(linzi.table2[caption][label], values, f"表二 {caption} {label}")
    purchase = linzi.table2["第二十条第（九）项"]["政府集中采购"]["采购总金额"]
    assert purchase.raw == "19.7万" and purchase.unit == "万"


def test_linzi_table4_every_cell(linzi):
    assert list(linzi.table4) == list(LINZI_T4)
    for group, values in LINZI_T4.items():
        assert_cells(linzi.table4[group], values, f"表四 {group}")


def test_linzi_cells_keep_where_they_came_from(linzi):
    cell = linzi.table3["一、本年新收政府信息公开申请数量"]["自然人"]
    assert cell.raw == "35"
    lines = LINZI.read_text(encoding="utf-8").split("\n")
    assert lines[cell.source.line - 1].strip() == "35"


def test_huaian_is_read_as_a_2021_edition_report(huaian):
    assert huaian.edition == "2021" and huaian.edition_detected == "2021"
    assert huaian.agency == "淮安市人民政府"
    assert huaian.year == 2024
    assert [s.key for s in huaian.sections] == list("一二三四五六")


def test_huaian_table3_every_cell(huaian):
    assert list(huaian.table3) == get_edition("2021").table3.labels
    for label, values in HUAIAN_T3.items():
        assert_cells(huaian.table3[label], values, f"表三 {label}")


def test_huaian_table2_and_table4_every_cell(huaian):
    for caption, rows in HUAIAN_T2.items():
        for label, values in rows.items():
            assert_cells(huaian.table2[caption][label], values, f"表二 {caption} {label}")
    for group, values in HUAIAN_T4.items():
        assert_cells(huaian.table4[group], values, f"表四 {group}")


def test_huaian_table3_cells_know_their_page(huaian):
    assert huaian.table3["（一）予以公开"]["总计"].source.page == 4
    assert huaian.table3["（七）总计"]["总计"].source.page == 5


def test_narrative_numbers_are_figures_with_place_and_unit(linzi, huaian):
    figs = [(n.value, n.unit) for n in linzi.narrative_numbers if n.section == "一" and n.kind.value == "figure"]
    assert (631, "条") in figs and (33, "件") in figs
    fee = [n for n in huaian.narrative_numbers if n.section == "六" and n.kind.value == "figure"]
    assert [(n.value, n.unit) for n in fee] == [(3940, "元")]
    assert fee[0].source.page == 6
    # years, dates and document numbers are never figures
    assert not [n for n in huaian.narrative_numbers if n.kind.value == "figure" and n.value in (2024, 711)]
