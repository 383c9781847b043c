"""Exporters draw the official layout, print cells as written, and fail clearly."""

from __future__ import annotations

import re
import shutil
import zipfile
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant import export
from assistant.errors import ExportError
from assistant.export import to_docx, to_html, to_markdown, to_pdf, to_text, write
from assistant.export.facts import FactsError, report_from_data
from assistant.export.layout import table3_grid
from assistant.model import Cell, CellState, Report, get_edition

TABLE3_NOTE = get_edition("2021").headers.table3_note


def facts(edition: str = "2021", **overrides) -> dict:
    """A complete report whose cells are distinct, so positions can be told apart."""
    ed = get_edition(edition)
    data = {
        "agency": "青禾市测试局",
        "level": "department",
        "year": 2022 if edition == "2021" else 2020,
        "edition": edition,
        "preamble": ["统计期限为1月1日至12月31日。"],
        "sections": {s.key: [f"{s.key}部分的第一段。"] for s in ed.sections},
        "table2": {
            b.caption: {row: [i * 10 + j for j in range(len(b.columns))] for i, row in enumerate(b.rows)}
            for b in ed.table2
        },
        "table3": {r.label: [100 + i * 10 + j for j in range(7)] for i, r in enumerate(ed.table3.rows)},
        "table4": {g: [g_i * 5 + j for j in range(5)] for g_i, g in enumerate(ed.table4.groups)},
    }
    data.update(overrides)
    return data


@pytest.fixture(params=["2019", "2021"])
def report(request) -> Report:
    return report_from_data(facts(request.param))


def table_lines(text: str, first_cell: str) -> list[list[str]]:
    """Rows of the flattened table that starts with the line "\\t<first_cell>"."""
    lines = text.splitlines()
    start = lines.index("\t" + first_cell)
    rows, row = [], []
    for line in lines[start:]:
        if line.startswith("\t"):
            row.append(line[1:])
        elif line == "" and row:
            rows.append(row)
            row = []
        else:
            break
    return rows


# ------------------------------------------------------------------ text


def test_text_header_of_table_3_is_laid_out_like_a_flattened_word_table(report):
    rows = table_lines(to_text(report), TABLE3_NOTE)
    assert rows[0] == [TABLE3_NOTE, "申请人情况"]
    # Positions covered from the row above are empty cells; merged columns appear once.
    assert rows[1] == ["", "自然人", "法人或其他组织", "总计"]
    assert rows[2] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]


def test_text_group_labels_appear_only_on_the_first_row_of_their_group(report):
    edition = get_edition(report.edition)
    rows = table_lines(to_text(report), TABLE3_NOTE)[3:]
    by_label = {}
    for row in rows:
        label = next(c for c in row if c and not c.isdigit() and c not in edition.table3.groups and c != "三、本年度办理结果")
        by_label[label] = row
    assert by_label["一、本年新收政府信息公开申请数量"][0] == "一、本年新收政府信息公开申请数量"
    assert by_label["（一）予以公开"][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert by_label["1.属于国家秘密"][:3] == ["", "（三）不予公开", "1.属于国家秘密"]
    assert by_label["2.其他法律行政法规禁止公开"][:3] == ["", "", "2.其他法律行政法规禁止公开"]
    assert by_label["（七）总计"][:2] == ["", "（七）总计"]
    assert len(by_label["四、结转下年度继续办理"]) == 8
    assert len(rows) == len(edition.table3.rows)


def test_text_table_4_has_three_header_rows_and_fifteen_values(report):
    rows = table_lines(to_text(report), "行政复议")
    assert rows[0] == ["行政复议", "行政诉讼"]
    assert rows[1] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    assert rows[2] == [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert rows[3] == [str(v) for v in range(15)]


def test_text_narrative_lines_stand_as_written(report):
    lines = to_text(report).splitlines()
    assert lines[:2] == ["青禾市测试局", f"{report.year}年政府信息公开工作年度报告"]
    assert "统计期限为1月1日至12月31日。" in lines
    edition = get_edition(report.edition)
    headings = [line for line in lines if line in {s.heading for s in edition.sections}]
    assert headings == [s.heading for s in edition.sections]


def test_cells_print_what_was_written():
    data = facts("2019")
    data["table2"]["第二十条第（一）项"]["规章"] = ["/", "", 0]
    data["table2"]["第二十条第（九）项"]["政府集中采购"] = [1, "19.7万"]
    report = report_from_data(data)
    label = get_edition("2019").table3.labels[0]
    report.table3[label]["自然人"] = Cell(value=12.0, state=CellState.number)
    report.table3[label]["商业企业"] = Cell(value=3.5, state=CellState.number)
    report.table3[label]["科研机构"] = Cell(state=CellState.dash)
    report.table3[label]["其他"] = Cell(state=CellState.text, raw="无")
    del report.table3[label]["总计"]  # missing: printed empty, not 0
    text = to_text(report)
    assert table_lines(text, "规章")[0] == ["规章", "/", "", "0"]
    assert table_lines(text, "政府集中采购")[0] == ["政府集中采购", "1", "19.7万"]
    assert table_lines(text, label)[0] == [label, "12", "3.5", "—", "103", "104", "无", ""]


# ------------------------------------------------------------------ markdown


def test_markdown_keeps_headings_and_draws_full_grids(report):
    md = to_markdown(report)
    edition = get_edition(report.edition)
    for section in edition.sections:
        assert f"\n## {section.heading}\n" in md
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {TABLE3_NOTE} |"))
    end = lines.index("", start)
    table3 = [lines[start]] + lines[start + 2 : end]  # skip the |---| separator
    assert len(table3) == 3 + len(edition.table3.rows)
    assert {line.count(" | ") + 1 for line in table3} == {10}
    assert "|  | （三）不予公开 | 1.属于国家秘密 | " in md
    assert "|  |  | 2.其他法律行政法规禁止公开 | " in md


# ------------------------------------------------------------------ html


def test_html_is_utf8_with_real_merges(report):
    html = to_html(report)
    edition = get_edition(report.edition)
    assert '<meta charset="utf-8">' in html
    results = sum(1 for r in edition.table3.rows if r.result) + 1
    assert results == (20 if report.edition == "2019" else 22)
    assert f'<td rowspan="{results}" class="group vertical">三、本年度办理结果</td>' in html
    assert f'<td rowspan="3" colspan="3" class="header">{TABLE3_NOTE}</td>' in html
    assert '<td colspan="7" class="header">申请人情况</td>' in html
    assert '<td colspan="5" class="header">法人或其他组织</td>' in html
    assert '<td rowspan="8" class="group vertical">（三）不予公开</td>' in html
    assert '<td colspan="2" class="label">（七）总计</td>' in html
    assert '<td colspan="5" class="header">行政复议</td>' in html
    assert '<td colspan="10" class="header">行政诉讼</td>' in html
    assert '<td rowspan="2" class="header">结果维持</td>' in html
    assert html.count("<p>") == 1 + len(edition.sections)


def test_html_escapes_text():
    report = report_from_data(facts(preamble=["<script>报告</script> & 说明"]))
    assert "&lt;script&gt;报告&lt;/script&gt; &amp; 说明" in to_html(report)


# ------------------------------------------------------------------ docx


def _table3(document):
    return next(t for t in document.tables if any("申请人情况" in c.text for c in t.rows[0].cells))


def test_docx_table_3_has_real_merged_cells(report):
    document = Document(BytesIO(to_docx(report)))
    table = _table3(document)
    edition = get_edition(report.edition)
    grid = table3_grid(report, edition)
    assert len(table.rows) == grid.n_rows and len(table.columns) == 10
    # A merged cell is one element wherever it is reached from.
    assert table.cell(0, 0)._tc is table.cell(2, 2)._tc
    assert table.cell(0, 3)._tc is table.cell(0, 9)._tc
    first = next(c for c in grid.cells if c.text == "三、本年度办理结果")
    assert table.cell(first.row, 0)._tc is table.cell(first.row + first.rowspan - 1, 0)._tc
    group = next(c for c in grid.cells if c.text == "（三）不予公开")
    assert table.cell(group.row, 1)._tc is table.cell(group.row + 7, 1)._tc
    assert table.cell(group.row, 2)._tc is not table.cell(group.row + 1, 2)._tc
    assert table.cell(grid.header_rows, 0)._tc is table.cell(grid.header_rows, 2)._tc  # 一 spans 3 columns


def test_docx_group_labels_are_set_vertically(report):
    document = Document(BytesIO(to_docx(report)))
    table = _table3(document)
    vertical = set()
    for row in table.rows:
        for cell in row.cells:
            direction = cell._tc.tcPr.find(qn("w:textDirection"))
            if direction is not None:
                assert direction.get(qn("w:val")) == "tbRlV"
                vertical.add(cell.text)
    edition = get_edition(report.edition)
    assert vertical == set(edition.table3.groups) | {"三、本年度办理结果"}


def test_docx_is_a4_portrait_in_song_typeface_with_indented_paragraphs(report):
    document = Document(BytesIO(to_docx(report)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    body = [p for p in document.paragraphs if p.text == "一部分的第一段。"][0]
    assert body.paragraph_format.first_line_indent.pt == 24
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in get_edition(report.edition).sections]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [
        "青禾市测试局",
        f"{report.year}年政府信息公开工作年度报告",
    ]


def test_docx_is_reproducible_byte_for_byte(report):
    first, second = to_docx(report), to_docx(report)
    assert first == second
    with zipfile.ZipFile(BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = Document(BytesIO(first)).core_properties
    assert props.created.year == report.year + 1


def test_docx_reads_back_every_value():
    report = report_from_data(facts("2021"))
    document = Document(BytesIO(to_docx(report)))
    table = _table3(document)
    values = [c.text for c in table.rows[3].cells[3:]]
    assert values == [str(100 + j) for j in range(7)]


# ------------------------------------------------------------------ write / pdf


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt", ".docx"])
def test_write_chooses_the_format_by_extension(tmp_path, suffix):
    report = report_from_data(facts())
    path = write(report, tmp_path / f"报告{suffix}")
    data = path.read_bytes()
    if suffix == ".docx":
        assert data[:2] == b"PK"
    else:
        assert "青禾市测试局" in data.decode("utf-8")


def test_write_refuses_an_unknown_extension_without_creating_a_file(tmp_path):
    with pytest.raises(ExportError, match="不支持导出"):
        write(report_from_data(facts()), tmp_path / "报告.xls")
    assert not list(tmp_path.iterdir())


def test_pdf_without_libreoffice_raises_a_clear_chinese_error(monkeypatch):
    monkeypatch.setattr(export.pdf.shutil, "which", lambda name: None)
    with pytest.raises(ExportError, match="未找到 LibreOffice"):
        to_pdf(report_from_data(facts()))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_is_converted_by_libreoffice():
    data = to_pdf(report_from_data(facts()))
    assert data[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2


# ------------------------------------------------------------------ facts files


def test_facts_cells_keep_slash_units_and_negative_changes():
    data = facts("2019")
    data["table2"]["第二十条第（五）项"]["行政许可"] = ["/", -3, 12]
    data["table2"]["第二十条第（九）项"]["政府集中采购"] = [4, "36.8万元"]
    report = report_from_data(data)
    licence = report.table2["第二十条第（五）项"]["行政许可"]
    assert licence["上一年项目数量"].state is CellState.slash and licence["上一年项目数量"].raw == "/"
    assert licence["本年增/减"].value == -3
    amount = report.table2["第二十条第（九）项"]["政府集中采购"]["采购总金额"]
    assert (amount.value, amount.unit, amount.raw) == (368000, "万元", "36.8万元")


def test_facts_with_a_label_not_in_the_edition_are_refused_in_chinese():
    data = facts("2021")
    data["table3"]["（六）其他处理"] = [0] * 7  # a 2019 row in a 2021 report
    with pytest.raises(FactsError, match="表三没有"):
        report_from_data(data)


def test_facts_rows_with_the_wrong_number_of_values_are_refused():
    data = facts("2021")
    data["table4"]["行政复议"] = [1, 2, 3]
    with pytest.raises(FactsError, match="应有 5 个数值"):
        report_from_data(data)


def test_facts_rows_left_out_stay_missing():
    data = facts("2021")
    del data["table3"]["四、结转下年度继续办理"]
    report = report_from_data(data)
    assert "四、结转下年度继续办理" not in report.table3
    rows = table_lines(to_text(report), "四、结转下年度继续办理")
    assert rows[0] == ["四、结转下年度继续办理"] + [""] * 7


def test_markdown_escaping_is_one_pair_of_functions():
    from assistant.export.markdown import md_cell, md_text

    assert md_cell("表三|合计\n第二行") == "表三\\|合计<br>第二行"
    assert md_cell(35) == "35"
    # Nothing a report says turns into formatting: emphasis, links, headings, tags.
    assert md_text("*重点* [链接](x) #标题 <b>") == "\\*重点\\* \\[链接\\](x) \\#标题 \\<b\\>"
    assert md_text(None) == ""
