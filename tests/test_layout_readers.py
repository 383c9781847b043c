"""The HTML, DOCX and PDF readers lay documents out faithfully.

They give paragraphs and rectangular table grids in reading order, with merged
cells repeated and marked, and refuse unreadable input with a Chinese message.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from conftest import HUAIAN
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.parse.docx import read_docx
from assistant.parse.html import read_html
from assistant.parse.layout import ParaBlock, ReadError, TableBlock
from assistant.parse.pdf import read_pdf

HUAIAN_PDF = HUAIAN


def paragraphs(layout) -> list[str]:
    return [b.text for b in layout.blocks if isinstance(b, ParaBlock)]


def tables(layout) -> list[TableBlock]:
    return [b for b in layout.blocks if isinstance(b, TableBlock)]


def texts(table: TableBlock) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def spanned(table: TableBlock) -> list[list[bool]]:
    return [[cell.spanned for cell in row] for row in table.rows]


def kinds(layout) -> list[str]:
    return ["P" if isinstance(b, ParaBlock) else "T" for b in layout.blocks]


# --------------------------------------------------------------------- HTML

TABLE3_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>年报</title>
<style>td { border: 1px solid; }</style><script>var x = "不是正文";</script></head>
<body>
<div class="article">
<h2>三、收到和处理政府信息公开申请情况</h2>
<table>
<tbody>
<tr><td rowspan="2" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，<br />等于第三项加第四项之和）</td>
    <td colspan="3">申请人情况</td></tr>
<tr><td>自然人</td><td>商业<br>企业</td><td>总计</td></tr>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>3001</td><td>&nbsp;</td><td> 3119 </td></tr>
<tr><td rowspan="8">三、本年度<br />办理结果</td><td>（一）予以公开</td><td>1288</td><td>21</td><td>1362</td></tr>
<tr><td>（二）部分公开</td><td>447</td><td>7</td><td>454</td></tr>
<tr><td>（三）不予公开</td><td>2</td><td>0</td><td>2</td></tr>
<tr><td>（四）无法提供</td><td>11</td><td>0</td><td>11</td></tr>
<tr><td>（五）不予处理</td><td><p>56</p></td><td>6</td><td>62</td></tr>
<tr><td>（六）其他处理</td><td>108</td><td>2</td><td>110</td></tr>
<tr><td>（七）总计</td><td>2932</td><td>53</td><td>3050</td></tr>
<tr><td>（八）空行</td><td>&nbsp;&nbsp;</td><td></td><td>/</td></tr>
</tbody>
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
</div>
</body></html>"""


def test_html_table_expands_rowspan_and_colspan_into_a_rectangular_grid():
    layout = read_html(TABLE3_HTML.encode("utf-8"))
    assert layout.format == "html"
    assert kinds(layout) == ["P", "T", "P"]
    (table,) = tables(layout)
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
    group = "三、本年度\n办理结果"
    assert texts(table) == [
        [corner, corner, "申请人情况", "申请人情况", "申请人情况"],
        [corner, corner, "自然人", "商业\n企业", "总计"],
        ["一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "3001", "", "3119"],
        [group, "（一）予以公开", "1288", "21", "1362"],
        [group, "（二）部分公开", "447", "7", "454"],
        [group, "（三）不予公开", "2", "0", "2"],
        [group, "（四）无法提供", "11", "0", "11"],
        [group, "（五）不予处理", "56", "6", "62"],
        [group, "（六）其他处理", "108", "2", "110"],
        [group, "（七）总计", "2932", "53", "3050"],
        [group, "（八）空行", "", "", "/"],
    ]
    assert spanned(table)[:4] == [
        [False, True, False, True, True],
        [True, True, False, False, False],
        [False, True, False, False, False],
        [False, False, False, False, False],
    ]
    # Only the first of the eight rows under the group label holds it.
    assert [row[0].spanned for row in table.rows[3:]] == [False] + [True] * 7


def test_html_cells_know_their_table_row_column_and_source_line():
    layout = read_html(TABLE3_HTML.encode("utf-8"))
    (table,) = tables(layout)
    total = table.rows[2][4]
    assert (total.source.table, total.source.row, total.source.col) == (1, 3, 5)
    source_lines = TABLE3_HTML.splitlines()
    assert "3119" in source_lines[total.source.line - 1]
    copy = table.rows[5][0]
    assert copy.spanned and (copy.source.row, copy.source.col) == (6, 1)


def test_html_paragraphs_come_once_each_in_document_order():
    html = """<html><body>
<div id="main">导语直接写在 div 里
  <p>一、总体情况</p>
  <div><p>（一）主动公开情况。全市共受理政府信息公开申请&nbsp;&nbsp;3119&nbsp;件，<span>答复</span>
3050 件。</p></div>
  第一行<br>第二行<br/>
  <ul><li>一是政策解读</li><li>二是队伍建设</li></ul>
  <p>　　全角空格缩进的段落</p>
  <p>   </p><p>&nbsp;</p>
</div>
<script>document.write("脚本文字")</script>
</body></html>"""
    layout = read_html(html.encode("utf-8"))
    assert paragraphs(layout) == [
        "导语直接写在 div 里",
        "一、总体情况",
        "（一）主动公开情况。全市共受理政府信息公开申请 3119 件，答复 3050 件。",
        "第一行",
        "第二行",
        "一是政策解读",
        "二是队伍建设",
        "全角空格缩进的段落",
    ]
    lines = [b.source.line for b in layout.blocks]
    assert lines[:3] == [2, 3, 4]
    assert lines == sorted(lines)


def test_html_source_line_breaks_between_chinese_characters_are_not_spaces():
    html = "<p>全市共受理政府信息公开申\n    请 3119 件</p><p>English\nwords</p>"
    assert paragraphs(read_html(html.encode())) == ["全市共受理政府信息公开申请 3119 件", "English words"]


def test_html_gbk_page_is_decoded_by_its_meta_charset():
    html = '<html><head><meta charset="gbk"></head><body><p>淮安市政府信息公开工作年度报告</p>' \
           "<table><tr><td>规章</td><td>1</td></tr></table></body></html>"
    layout = read_html(html.encode("gbk"))
    assert paragraphs(layout) == ["淮安市政府信息公开工作年度报告"]
    assert texts(tables(layout)[0]) == [["规章", "1"]]
    assert layout.problems == []


def test_html_http_equiv_charset_and_undeclared_gb18030_are_decoded():
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>行政规范性文件</p>'
    assert paragraphs(read_html(declared.encode("gb2312"))) == ["行政规范性文件"]
    undeclared = "<p>政府信息公开申请 3119 件</p>"
    assert paragraphs(read_html(undeclared.encode("gb18030"))) == ["政府信息公开申请 3119 件"]
    bom = "<p>结转下年度继续办理</p>"
    assert paragraphs(read_html(b"\xef\xbb\xbf" + bom.encode("utf-8"))) == ["结转下年度继续办理"]


def test_html_layout_table_around_the_article_is_read_as_text_and_inner_table_as_grid():
    html = """<table width="100%"><tr><td>
<p>二、主动公开政府信息情况</p>
<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>1</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p>
</td></tr></table>"""
    layout = read_html(html.encode())
    assert kinds(layout) == ["P", "T", "P"]
    assert texts(tables(layout)[0]) == [["信息内容", "本年制发件数"], ["规章", "1"]]
    assert tables(layout)[0].source.table == 1


def test_html_one_column_box_is_text_not_a_table():
    html = "<table><tr><td>本报告由某某区人民政府办公室编制。</td></tr><tr><td>如有疑问请联系。</td></tr></table>"
    layout = read_html(html.encode())
    assert kinds(layout) == ["P", "P"]
    assert paragraphs(layout) == ["本报告由某某区人民政府办公室编制。", "如有疑问请联系。"]


def test_html_small_nested_table_becomes_cell_text():
    html = "<table><tr><td>行政许可</td><td><table><tr><td>447228</td></tr></table></td></tr></table>"
    (table,) = tables(read_html(html.encode()))
    assert texts(table) == [["行政许可", "447228"]]


def test_html_ragged_rows_are_padded_with_blank_cells():
    html = "<table><tr><td>规章</td><td>1</td><td>0</td></tr><tr><td>行政许可</td></tr></table>"
    (table,) = tables(read_html(html.encode()))
    assert texts(table) == [["规章", "1", "0"], ["行政许可", "", ""]]
    assert spanned(table)[1] == [False, False, False]


def test_html_hundreds_of_unclosed_inline_tags_do_not_lose_the_rest_of_the_page():
    # CMS pages full of unclosed <font> tags nest deeper than libxml2's default limit.
    html = "<p>导语" + "<font>" * 400 + "一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table><p>后文</p>"
    layout = read_html(html.encode())
    assert paragraphs(layout) == ["导语一、总体情况", "后文"]
    assert texts(tables(layout)[0]) == [["规章", "1"]]


def test_html_nesting_too_deep_to_read_whole_is_refused_rather_than_cut_short():
    html = "<p>导语" + "<span>" * 3000 + "深处</p><p>后文</p>"
    with pytest.raises(ReadError) as info:
        read_html(html.encode())
    assert "嵌套" in info.value.message


def test_html_empty_input_is_refused_in_chinese():
    with pytest.raises(ReadError) as info:
        read_html(b"  \n ")
    assert "空" in info.value.message


@st.composite
def span_tables(draw):
    n_rows = draw(st.integers(1, 6))
    rows = []
    label = 0
    for _ in range(n_rows):
        cells = []
        for _ in range(draw(st.integers(1, 4))):
            label += 1
            cells.append((f"格{label}", draw(st.integers(1, 3)), draw(st.integers(1, 3))))
        rows.append(cells)
    return rows


@settings(max_examples=150, deadline=None)
@given(span_tables())
def test_html_any_span_pattern_gives_a_rectangle_holding_each_cell_once_unspanned(rows):
    html = "<table>" + "".join(
        "<tr>" + "".join(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>' for text, rs, cs in row) + "</tr>"
        for row in rows
    ) + "</table>"
    layout = read_html(html.encode())
    grids = tables(layout)
    all_texts = [text for row in rows for text, _, _ in row]
    if not grids:
        # One cell per row and no colspan: a text box, read as one paragraph per cell.
        assert all(len(row) == 1 and row[0][2] == 1 for row in rows)
        assert paragraphs(layout) == all_texts
        return
    (table,) = grids
    assert len({len(row) for row in table.rows}) == 1
    firsts = [cell.text for row in table.rows for cell in row if not cell.spanned and cell.text]
    assert sorted(firsts) == sorted(all_texts)
    assert all(cell.text in all_texts for row in table.rows for cell in row if cell.spanned)


# --------------------------------------------------------------------- DOCX


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table3_like_document():
    document = docx.Document()
    document.add_paragraph("淮安市人民政府")
    document.add_paragraph("")  # an empty paragraph still counts as a line of the document
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=5, cols=4)
    values = [
        ["", "", "申请人情况", ""],
        ["", "", "自然人", "总计"],
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "2"],
        ["", "", "2.其他法律行政法规禁止公开", "31"],
        ["", "（七）总计", "", "3050"],
    ]
    for r, row in enumerate(values):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    corner = table.cell(0, 0).merge(table.cell(1, 1))  # 2×2 block: both directions at once
    corner.paragraphs[0].text = "（本列数据的勾稽关系为：第一项加第二项之和，"
    corner.add_paragraph("等于第三项加第四项之和）")
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(2, 0).merge(table.cell(4, 0))
    table.cell(2, 1).merge(table.cell(3, 1))
    table.cell(4, 1).merge(table.cell(4, 2))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    return document


def test_docx_body_is_read_in_order_with_paragraph_numbers():
    layout = read_docx(_docx_bytes(_table3_like_document()))
    assert layout.format == "docx"
    assert kinds(layout) == ["P", "P", "T", "P"]
    assert paragraphs(layout) == [
        "淮安市人民政府",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert [b.source.line for b in layout.blocks if isinstance(b, ParaBlock)] == [1, 3, 4]


def test_docx_merged_cells_are_repeated_and_marked_spanned():
    (table,) = tables(read_docx(_docx_bytes(_table3_like_document())))
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
    group = "三、本年度办理结果"
    assert texts(table) == [
        [corner, corner, "申请人情况", "申请人情况"],
        [corner, corner, "自然人", "总计"],
        [group, "（三）不予公开", "1.属于国家秘密", "2"],
        [group, "（三）不予公开", "2.其他法律行政法规禁止公开", "31"],
        [group, "（七）总计", "（七）总计", "3050"],
    ]
    assert spanned(table) == [
        [False, True, False, True],
        [True, True, False, False],
        [False, False, False, False],
        [True, True, False, False],
        [True, False, True, False],
    ]
    cell = table.rows[3][3]
    assert (cell.source.table, cell.source.row, cell.source.col) == (1, 4, 4)


def test_docx_text_in_tracked_insertions_is_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("全市共受理政府信息公开申请 ")
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "审核人")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "3119 件"
    run.append(text)
    insertion.append(run)
    paragraph._p.append(insertion)
    assert paragraphs(read_docx(_docx_bytes(document))) == ["全市共受理政府信息公开申请 3119 件"]


def test_docx_one_column_box_is_text_not_a_table():
    document = docx.Document()
    box = document.add_table(rows=2, cols=1)
    box.cell(0, 0).text = "本报告由某某区人民政府办公室编制。"
    box.cell(1, 0).text = "如有疑问请联系。"
    document.add_paragraph("一、总体情况")
    layout = read_docx(_docx_bytes(document))
    assert kinds(layout) == ["P", "P", "P"]
    assert paragraphs(layout) == ["本报告由某某区人民政府办公室编制。", "如有疑问请联系。", "一、总体情况"]


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a word document",
        b"PK\x03\x04" + b"\x00" * 40,  # a zip header and nothing behind it
        "年度报告".encode("gbk") * 20,
    ],
    ids=["text", "truncated-zip", "gbk-bytes"],
)
def test_docx_unreadable_bytes_are_refused_in_chinese(data):
    with pytest.raises(ReadError) as info:
        read_docx(data)
    assert "Word" in info.value.message and "损坏" in info.value.message


def test_docx_zip_without_a_document_part_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是 Word 文件")
    with pytest.raises(ReadError):
        read_docx(buffer.getvalue())


def test_docx_truncated_file_is_refused():
    data = _docx_bytes(_table3_like_document())
    with pytest.raises(ReadError):
        read_docx(data[: len(data) // 2])


# ---------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def huaian_layout(realdata_dir):
    return read_pdf(HUAIAN_PDF.read_bytes())


def _rows_with_pages(layout):
    for table in tables(layout):
        for row in table.rows:
            yield [cell.text for cell in row], row[0].source.page


def test_pdf_paragraph_wrapped_over_lines_is_joined_without_spaces(huaian_layout):
    (paragraph,) = [b for b in huaian_layout.blocks if isinstance(b, ParaBlock) and "全市共受理政府信息公开申请 3119 件" in b.text]
    assert paragraph.text.startswith("（二）依申请公开情况。")
    assert "答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复）" in paragraph.text
    assert paragraph.text.endswith("尚未审结 7 件。")
    assert paragraph.source.page == 2 and paragraph.source.line == 4


def test_pdf_paragraph_running_over_a_page_break_stays_one_paragraph(huaian_layout):
    (paragraph,) = [p for p in paragraphs(huaian_layout) if p.startswith("（一）主动公开情况。")]
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in paragraph
    assert paragraph.endswith("回应舆论关切。")


def test_pdf_headings_are_paragraphs_of_their_own(huaian_layout):
    texts_ = paragraphs(huaian_layout)
    for heading in ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]:
        assert heading in texts_


def test_pdf_page_numbers_are_dropped(huaian_layout):
    for text in paragraphs(huaian_layout):
        assert text.strip("- ").strip() not in {str(n) for n in range(1, 7)}, text


def test_pdf_boxed_preamble_is_kept_as_paragraph_text(huaian_layout):
    preamble = [b for b in huaian_layout.blocks if isinstance(b, ParaBlock) and b.text.startswith("本报告由淮安市人民政府办公室")]
    assert len(preamble) == 1
    assert preamble[0].source.page == 1
    assert "（国令第 711 号）" in preamble[0].text
    assert "2024 年 12 月 31 日。" in preamble[0].text  # runs past the box's right edge in the PDF


def test_pdf_table_two_rows_are_cell_texts(huaian_layout):
    rows = [row for row, _ in _rows_with_pages(huaian_layout)]
    assert ["规章", "1", "0", "11"] in rows
    assert ["行政规范性文件", "8", "26", "66"] in rows
    assert ["行政事业性收费", "96171.6"] in rows


def test_pdf_table_three_runs_across_pages_four_and_five(huaian_layout):
    rows = list(_rows_with_pages(huaian_layout))
    new = [(r, p) for r, p in rows if r[0] == "一、本年新收政府信息公开申请数量"]
    assert new == [(["一、本年新收政府信息公开申请数量"] * 3 + ["3001", "53", "0", "0", "61", "4", "3119"], 4)]
    total = [(r, p) for r, p in rows if r[-1] == "3050"]
    assert len(total) == 1 and total[0][1] == 5
    assert total[0][0][1:] == ["（七）总计", "（七）总计", "2932", "53", "0", "0", "61", "4", "3050"]
    carried = [(r, p) for r, p in rows if r[0] == "四、结转下年度继续办理"]
    assert carried and carried[0][0][-1] == "103" and carried[0][1] == 5


def test_pdf_merged_header_cells_take_the_text_of_the_cell_that_covers_them(huaian_layout):
    (table,) = [t for t in tables(huaian_layout) if any(c.text == "申请人情况" for c in t.rows[0])]
    header = table.rows[2]
    # 自然人 and 总计 span two header rows; 商业企业 etc. sit under 法人或其他组织.
    assert (header[3].text, header[3].spanned) == ("自然人", True)
    assert (header[9].text, header[9].spanned) == ("总计", True)
    assert [c.text for c in header[4:9]] == ["商业企\n业", "科研机\n构", "社会公益\n组织", "法律服务\n机构", "其他"]
    assert [c.spanned for c in table.rows[1][4:9]] == [False, True, True, True, True]
    # The vertical group label is one cell; the rows under it hold spanned copies.
    group = [row[0] for row in table.rows[5:]]
    assert group[0].text == "三、\n本\n年\n度\n办\n理\n结\n果" and not group[0].spanned
    assert all(c.spanned and c.text == group[0].text for c in group[1:])


def test_pdf_table_four_data_row_holds_fifteen_figures(huaian_layout):
    rows = [row for row, _ in _rows_with_pages(huaian_layout)]
    expected = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    assert expected in rows


def test_pdf_tables_sit_between_the_paragraphs_around_them(huaian_layout):
    order = [b.text if isinstance(b, ParaBlock) else "<表>" for b in huaian_layout.blocks]
    heading = order.index("三、收到和处理政府信息公开申请情况")
    assert order[heading + 1] == "<表>"
    assert order[heading + 2] == "<表>"  # the part of table 三 on page 5
    assert order[heading + 3] == "四、政府信息公开行政复议、行政诉讼情况"
    assert [t.source.table for t in tables(huaian_layout)] == list(range(1, len(tables(huaian_layout)) + 1))


def test_pdf_latin_words_wrapped_over_lines_keep_their_space():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    words = " ".join(f"word{n}" for n in range(60))
    pdf.multi_cell(0, 8, words)
    layout = read_pdf(bytes(pdf.output()))
    assert paragraphs(layout) == [words]


def _blank_pdf_with_a_rectangle() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80)
    return bytes(pdf.output())


def test_pdf_without_text_is_refused_as_a_likely_scan():
    with pytest.raises(ReadError) as info:
        read_pdf(_blank_pdf_with_a_rectangle())
    assert "扫描件" in info.value.message


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 20), color=200).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pdf_of_page_images_is_refused_as_a_likely_scan():
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(_png()), x=10, y=10, w=180)
    with pytest.raises(ReadError) as info:
        read_pdf(bytes(pdf.output()))
    assert "扫描件" in info.value.message and info.value.code == "scanned_pdf"


def test_pdf_with_one_scanned_page_is_read_and_the_page_reported():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Annual report")
    pdf.add_page()
    pdf.image(io.BytesIO(_png()), x=10, y=10, w=180)
    layout = read_pdf(bytes(pdf.output()))
    assert paragraphs(layout) == ["Annual report"]
    assert [code for code, _ in layout.problems] == ["pdf_image_pages"]
    assert "第 2 页" in layout.problems[0][1]


def test_pdf_encrypted_is_refused_as_encrypted():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(ReadError) as info:
        read_pdf(bytes(pdf.output()))
    assert "加密" in info.value.message


@pytest.mark.parametrize(
    "data",
    [b"garbage bytes, not a PDF at all" * 10, b"%PDF-1.7\n" + b"\x00garbage" * 100],
    ids=["no-header", "header-only"],
)
def test_pdf_garbage_is_refused_in_chinese(data):
    with pytest.raises(ReadError) as info:
        read_pdf(data)
    assert "PDF" in info.value.message


@pytest.mark.realdata
def test_pdf_truncated_is_refused():
    with pytest.raises(ReadError) as info:
        read_pdf(HUAIAN_PDF.read_bytes()[:2000])
    assert "损坏" in info.value.message


# ------------------------------------------------------ any input, any reader


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td>"]))
def test_arbitrary_bytes_give_a_layout_or_a_read_error_and_nothing_else(tail, head):
    for reader in (read_html, read_docx, read_pdf):
        try:
            layout = reader(head + tail)
        except ReadError as error:
            assert error.message and not error.message.isascii()
        else:
            assert all(isinstance(b, (ParaBlock, TableBlock)) for b in layout.blocks)
