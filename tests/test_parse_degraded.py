"""Reports as they are really found: each layout, made from the reference reports, is read
without a wrong cell, and what cannot be read is said to be unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evals.degrade import LAYOUTS, reference_dirs, render
from assistant.evals.suites.degradation import score
from assistant.model import CellState, Certainty
from assistant.parse import ReadError, parse_bytes

REFERENCE = Path(__file__).resolve().parents[1] / "evals" / "reference"
QINGHE = REFERENCE / "qinghe-city-2023"


def read(folder: Path, layout: str):
    doc = render(folder, layout)
    assert doc is not None
    return doc, parse_bytes(doc.data, doc.name)


# The PDF text layouts run pdfplumber over every reference PDF: seconds.
@pytest.mark.parametrize("layout", [pytest.param(x, marks=pytest.mark.slow) if x.startswith("pdf-") else x for x in LAYOUTS])
def test_every_layout_of_every_reference_report_is_read_without_a_wrong_cell(layout):
    spec = LAYOUTS[layout]
    for folder in reference_dirs(REFERENCE):
        doc = render(folder, layout)
        if doc is None:
            continue
        report = parse_bytes(doc.data, doc.name)
        tally = score(report, doc.truth, doc.sections, doc.name)
        assert tally.wrong == 0, tally.notes[:5]
        assert tally.sections_ok, tally.notes[:2]
        if spec.figures_survive:
            assert tally.read >= 0.95, (doc.name, tally.read)


def test_crawler_text_is_a_report_with_its_title_sections_and_narrative():
    doc, report = read(QINGHE, "crawler")
    text = doc.data.decode()
    assert text.startswith("标题: ") and "当前位置" in text and "\n" not in text.split("=\n", 1)[1].strip()
    assert (report.agency, report.year, report.edition) == ("青禾市人民政府", 2023, "2021")
    assert [s.key for s in report.sections] == list("一二三四五六")
    # The site's chrome is gone; the preamble starts where the report does.
    assert all("当前位置" not in p.text and "原文链接" not in p.text for p in report.preamble)
    assert report.preamble[0].text.startswith("本报告按照")
    # Section 一's parts, run together on the page, are paragraphs again.
    firsts = [p.text[:3] for p in report.section("一").paragraphs]
    assert "（一）" in firsts and "（五）" in firsts
    assert any(n.value == 6587 for n in report.narrative_numbers if n.section == "一")


def test_crawler_cells_split_by_the_identities_say_so():
    _, report = read(QINGHE, "crawler")
    new = report.table3["一、本年新收政府信息公开申请数量"]
    assert [c.value for c in new.values()] == [147, 22, 0, 1, 3, 1, 174]
    assert all(c.certainty is Certainty.inferred and "拆法" in c.how for c in new.values())
    # 规章 "2242" over three columns has many splits and no identity to choose: unreadable, not guessed.
    rules = report.table2["第二十条第（一）项"]["规章"]
    assert all(c.certainty is Certainty.unreadable and c.value is None for c in rules.values())
    assert "2242" in rules["本年制发件数"].how


def test_pdf_text_with_vertical_labels_and_figures_inside_wrapped_labels():
    doc, report = read(QINGHE, "pdf-text")
    text = doc.data.decode()
    assert "（二）部分公开（区分处理的，只计这一情\n15 3 0 0 1 0 19\n形，不计其他情形）" in text
    partly = report.table3["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
    assert [c.value for c in partly.values()] == [15, 3, 0, 0, 1, 0, 19]
    assert report.table4["行政复议"]["总计"].value == 5  # the fifteen figures of table 四 on one line


def test_figures_printed_before_their_label_are_given_to_it_by_order():
    doc, report = read(QINGHE, "values-first")
    lines = doc.data.decode().split("\n")
    at = lines.index("147 22 0 1 3 1 174")
    assert lines[at + 1].startswith("一、本年新收")
    cell = report.table3["一、本年新收政府信息公开申请数量"]["总计"]
    assert cell.value == 174 and cell.certainty is Certainty.inferred and "先后次序" in cell.how


def test_per_row_tables_with_generic_headers_map_by_position():
    doc, report = read(QINGHE, "md-rows")
    assert "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |" in doc.data.decode()
    assert [c.value for c in report.table4["未经复议直接起诉"].values()] == [2, 1, 0, 0, 3]
    _, bare = read(QINGHE, "html-rows")
    assert bare.table3 == report.table3 or all(
        a.value == b.value for r in report.table3 for a, b in zip(report.table3[r].values(), bare.table3[r].values()))


def test_paragraphs_swallowed_by_a_table_are_put_back():
    doc, report = read(QINGHE, "swallow")
    assert "<td colspan=\"4\" class=\"header\">二、主动公开政府信息情况</td>" in doc.data.decode()
    assert [s.key for s in report.sections] == list("一二三四五六")
    last = report.section("一").paragraphs[-1].text
    assert last.startswith("（五）监督保障") and last.endswith("被责任追究的情况。")


def test_columns_cut_at_the_page_edge_are_unreadable_never_shifted():
    _, report = read(QINGHE, "clipped")
    row = report.table3["一、本年新收政府信息公开申请数量"]
    assert [row[c].value for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构")] == [147, 22, 0, 1, 3]
    for col in ("其他", "总计"):
        assert row[col].certainty is Certainty.unreadable and row[col].value is None
        assert "截断" in row[col].how
    assert all(c.certainty is Certainty.unreadable for c in report.table4["复议后起诉"].values())
    assert report.table4["行政复议"]["总计"].value == 5


def test_labels_split_over_two_cells_are_joined_by_order():
    doc, report = read(QINGHE, "split-labels")
    assert ">一、本年新收政府</td>" in doc.data.decode() and ">信息公开申请数量</td>" in doc.data.decode()
    assert report.table3["一、本年新收政府信息公开申请数量"]["总计"].value == 174
    assert not [p for p in report.problems if "无法对应" in p.message]


def test_misprinted_and_abbreviated_labels_are_matched_and_reported():
    doc, report = read(QINGHE, "misprints")
    assert "（二）部分公开</td>" in doc.data.decode()
    assert report.table3["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]["总计"].value == 19
    written = {d.official: d.written for d in report.labels}
    assert written["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == "（二）部分公开"
    assert not [p for p in report.problems if p.code == "table3_row_missing"]


def test_a_2021_report_printing_six_as_one_row_keeps_it_as_the_subtotal():
    _, report = read(QINGHE, "six-one-row")
    assert report.edition == "2021"
    assert [c.value for c in report.table3["（六）其他处理"].values()] == [8, 1, 0, 0, 0, 0, 9]
    assert report.table3["3.其他"]["总计"].state is CellState.missing
    assert any(p.code == "table3_group_as_row" and "子项" in p.message for p in report.problems)
    labels = list(report.table3)
    assert labels.index("（六）其他处理") == labels.index("（七）总计") - 1


def test_a_blank_total_column_stays_blank():
    _, report = read(QINGHE, "blank-totals")
    for cells in report.table3.values():
        assert cells["总计"].state is CellState.blank and cells["总计"].value is None
    assert report.table3["（一）予以公开"]["自然人"].value == 58


def test_a_report_is_never_refused_for_its_tables():
    text = ("青禾市人民政府2023年政府信息公开工作年度报告\n"
            "本年度共主动公开政府信息6587条。表格见附件（附件未随网页保存）。\n")
    report = parse_bytes(text.encode(), "page.txt")
    assert report.year == 2023 and report.agency == "青禾市人民政府"
    assert any(p.code == "section_missing" for p in report.problems)
    assert any(p.code == "table4_missing" for p in report.problems)


def test_what_is_not_a_report_is_refused_in_chinese():
    with pytest.raises(ReadError) as e:
        parse_bytes("会议纪要：下周二讨论预算安排。\n参会人员：办公室全体。\n".encode(), "notes.txt")
    assert "不是一份政府信息公开工作年度报告" in e.value.message
