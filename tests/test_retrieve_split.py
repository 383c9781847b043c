"""Cutting documents into chunks, and the tokens BM25 sees. No model needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REALDATA
from hypothesis import given
from hypothesis import strategies as st

from assistant.model import Paragraph, Report, Section
from assistant.retrieve.split import (
    NotAReport,
    looks_like_regulation,
    split_file,
    split_report,
)
from assistant.retrieve.tokens import article_label, articles_named, cn_to_int, int_to_cn, tokenize

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


# ------------------------------------------------------------------ tokens


@given(st.integers(min_value=1, max_value=999))
def test_article_numbers_round_trip_through_chinese_numerals(n):
    assert cn_to_int(int_to_cn(n)) == n


def test_article_numbers_are_written_as_statutes_write_them():
    assert [article_label(n) for n in (1, 10, 11, 20, 56, 105)] == [
        "第一条", "第十条", "第十一条", "第二十条", "第五十六条", "第一百零五条"]


def test_digits_and_chinese_numerals_name_the_same_article():
    assert articles_named("依据第50条和第五十条、第三十六条第（七）项") == [50, 36]
    assert tokenize("第50条") == tokenize("第五十条") == ["第五十条"]


def test_an_article_reference_is_one_token_not_fragments_of_other_articles():
    tokens = tokenize("条例第五十条规定了年报内容")
    assert "第五十条" in tokens
    assert "第五" not in tokens and "十条" not in tokens


def test_question_words_are_dropped_and_domain_words_kept_whole():
    tokens = tokenize("信息处理费怎么收？")
    assert "信息处理费" in tokens
    assert "怎么" not in tokens and "？" not in tokens


# ------------------------------------------------------------------ regulations


def test_the_regulation_digest_has_all_56_articles_in_their_chapters():
    chunks = split_file(CORPUS / "regulations" / "tiaoli-2019.md", "corpus/regulations/tiaoli-2019.md")
    articles = [c for c in chunks if c.meta.get("article")]
    assert [c.meta["article"] for c in articles] == list(range(1, 57))
    chapter = {c.meta["article"]: c.meta["chapter"] for c in articles}
    assert chapter[1] == "第一章 总则"
    assert chapter[10] == chapter[18] == "第二章 公开的主体和范围"
    assert chapter[19] == chapter[26] == "第三章 主动公开"
    assert chapter[27] == chapter[45] == "第四章 依申请公开"
    assert chapter[46] == chapter[53] == "第五章 监督和保障"
    assert chapter[54] == chapter[56] == "第六章 附则"
    fifty = next(c for c in articles if c.meta["article"] == 50)
    assert fifty.meta["title"] == "《政府信息公开条例》第五十条"
    assert fifty.text.startswith("《政府信息公开条例》第五十条（第五章 监督和保障）")
    assert {c.meta["kind"] for c in chunks} == {"regulation"}


def test_the_digest_maps_every_result_row_of_table_three_to_its_article():
    chunks = split_file(CORPUS / "regulations" / "table3-rows-basis.md", "x")
    text = "\n".join(c.text for c in chunks)
    for row, article in [("国家秘密", "第十四条"), ("保护第三方合法权益", "第十五条"),
                         ("行政执法案卷", "第十六条"), ("行政查询事项", "第三十六条第（七）项"),
                         ("没有现成信息需要另行制作", "第三十八条"), ("补正后申请内容仍不明确", "第三十条"),
                         ("重复申请", "第三十六条第（六）项"), ("无正当理由大量反复申请", "第三十五条"),
                         ("要求提供公开出版物", "第三十九条第二款")]:
        chunk = next(c for c in chunks if row in c.text)
        assert article in chunk.text, row
    assert "第四十二条" in text


def test_a_plain_text_regulation_is_cut_at_its_articles(tmp_path):
    p = tmp_path / "local-rules.txt"
    p.write_text(
        "某省政府信息公开规定\n\n第一章　总则\n第一条　为了规范本省政府信息公开工作，制定本规定。\n"
        "第二条　本规定适用于本省各级行政机关。\n第二章　主动公开\n第三条　行政机关应当在20个工作日内公开。\n"
        "其他行政机关参照执行。\n",
        encoding="utf-8",
    )
    chunks = split_file(p, "local-rules.txt")
    assert [c.meta["article"] for c in chunks] == [1, 2, 3]
    assert chunks[2].meta["chapter"] == "第二章 主动公开"
    assert "参照执行" in chunks[2].text
    assert chunks[0].meta["doc_title"] == "某省政府信息公开规定"
    assert all(c.meta["source_id"] == chunks[0].meta["source_id"] for c in chunks)


def test_a_report_that_cites_articles_is_not_taken_for_a_regulation():
    report = (CORPUS / "reports" / "jiangchuan-province-gov-2021.md").read_text(encoding="utf-8")
    assert not looks_like_regulation(report)


# ------------------------------------------------------------------ reports


def test_a_markdown_sample_report_is_cut_by_section_and_sub_part():
    chunks = split_file(CORPUS / "reports" / "linhe-city-gov-2022.md", "x")
    meta = chunks[0].meta
    assert (meta["kind"], meta["agency"], meta["year"], meta["edition"]) == ("report", "临河市人民政府", 2022, "2021")
    parts = [(c.meta["section"], c.meta.get("part")) for c in chunks]
    for part in ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"]:
        assert ("一", part) in parts
    assert {"preamble", "一", "二", "三", "四", "五", "六"} <= {s for s, _ in parts}
    applied = next(c for c in chunks if c.meta.get("part") == "（二）依申请公开")
    assert applied.meta["title"] == "临河市人民政府2022年年报 一、总体情况 （二）依申请公开"
    assert "收到政府信息公开申请188件" in applied.text


def test_table_chunks_keep_figures_and_drop_rows_of_zeros():
    chunks = split_file(CORPUS / "reports" / "linhe-city-gov-2022.md", "x")
    t3 = next(c for c in chunks if c.meta["section"] == "三")
    assert "一、本年新收政府信息公开申请数量：173 10 0 1 4 0 188" in t3.text
    assert "1.属于国家秘密" not in t3.text  # all zeros in this report
    t4 = next(c for c in chunks if c.meta["section"] == "四")
    assert "行政复议结果维持8" in t4.text and "行政复议总计12" in t4.text


def test_sample_reports_narrative_figures_match_their_tables():
    """The corpus promises consistent figures: the narrative's counts are table 三's 总计 column."""
    for path in sorted((CORPUS / "reports").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        rows = {}
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 8 and cells[-1].isdigit():
                rows[cells[0]] = [int(x) for x in cells[1:]]
        new, carried = rows["一、本年新收政府信息公开申请数量"], rows["二、上年结转政府信息公开申请数量"]
        total, nxt = rows["（七）总计"], rows["四、结转下年度继续办理"]
        for c in range(7):
            assert new[c] + carried[c] == total[c] + nxt[c], path.name
        for label, vals in rows.items():
            assert sum(vals[:6]) == vals[6], (path.name, label)
        m = re.search(r"申请(\d+)件", text)
        assert m and int(m.group(1)) == new[6], path.name
        m = re.search(r"办结(\d+)件", text)
        if m:
            assert int(m.group(1)) == total[6], path.name


def test_the_corpus_covers_both_editions_and_every_level_of_government():
    chunks = [c for p in sorted((CORPUS / "reports").glob("*.md")) for c in split_file(p, p.name)[:1]]
    assert len(chunks) >= 12
    assert {c.meta["edition"] for c in chunks} == {"2019", "2021"}
    assert {c.meta["level"] for c in chunks} >= {"province", "city", "county", "township", "department"}


def test_a_parsed_report_is_cut_by_section_with_its_metadata():
    report = Report(
        edition="2021", agency="某县统计局", year=2023, title="某县统计局2023年政府信息公开工作年度报告",
        sections=[
            Section(key="一", heading="一、总体情况", raw_heading="一、总体情况", paragraphs=[
                Paragraph(text="2023年，本局认真贯彻条例。"),
                Paragraph(text="（一）主动公开。全年主动公开统计信息120条。"),
                Paragraph(text="（二）依申请公开。全年收到申请3件，均已按时答复。"),
            ]),
            Section(key="五", heading="五、存在的主要问题及改进情况", raw_heading="五、存在的主要问题及改进情况",
                    paragraphs=[Paragraph(text="解读形式单一，下一步增加图解。")]),
        ],
    )
    chunks = split_report(report)
    got = [(c.meta["section"], c.meta.get("part")) for c in chunks]
    assert got == [("一", None), ("一", "（一）主动公开"), ("一", "（二）依申请公开"), ("五", None)]
    assert all(c.meta["agency"] == "某县统计局" and c.meta["year"] == 2023 and c.meta["edition"] == "2021"
               for c in chunks)


@pytest.mark.realdata
def test_a_real_published_report_goes_through_the_parser_into_section_chunks():
    chunks = split_file(REALDATA / "linzi-district-office-2019.txt", "linzi")
    sections = {c.meta["section"] for c in chunks}
    assert {"一", "二", "三", "四", "五", "六"} <= sections
    assert {c.meta["kind"] for c in chunks} == {"report"}
    assert chunks[0].meta["year"] == 2019 and chunks[0].meta["edition"] == "2019"
    t3 = next(c for c in chunks if c.meta["section"] == "三" and "本年新收" in c.text)
    assert "35" in t3.text


def test_a_file_that_is_neither_report_nor_regulation_is_refused_with_a_message(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("今天开会讨论了网站改版。\n下周再议。\n", encoding="utf-8")
    with pytest.raises(NotAReport) as err:
        split_file(p, "notes.txt")
    assert "notes.txt" in str(err.value)
