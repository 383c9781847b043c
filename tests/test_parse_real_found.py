"""The real reports as they were found: a PDF with a misprint and （六） as one row, two web
pages, and the same agency's pages as a crawler saved them. Every cell right, or unreadable —
never wrong."""

from __future__ import annotations

import pytest
from conftest import REALDATA

from assistant.check import run_checks
from assistant.model import CellState, Certainty
from assistant.parse import parse_file

pytestmark = pytest.mark.realdata  # skipped, naming ../shared/realdata, without the real reports

U = "unreadable"  # a cell the text cannot settle
NA = None  # a row the document does not have

T3_LABELS_2021 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
]


def only_natural(*totals):
    """Rows where every application came from a natural person: [n, 0, 0, 0, 0, 0, n]."""
    return [[t, 0, 0, 0, 0, 0, t] for t in totals]


# Hongze 2023 (PDF): README figures; every applicant was a natural person.
HONGZE_T3 = dict(zip(T3_LABELS_2021, only_natural(21, 0, 0, 4, 1, 0, 0, 0, 0, 1, 1, 0, 10, 3, 0, 1, 0, 0, 0, 0)
                     + [NA, NA, NA] + only_natural(21, 0)))
HONGZE_T3["（六）其他处理"] = [0] * 7
HONGZE_T4 = {"行政复议": [10, 1, 0, 0, 0], "未经复议直接起诉": [0] * 5, "复议后起诉": [5, 0, 0, 0, 0]}
HONGZE_T2 = {"第二十条第（一）项": {"规章": [0, 0, 0], "行政规范性文件": [0, 5, 5]},
             "第二十条第（五）项": {"行政许可": [550]},
             "第二十条第（六）项": {"行政处罚": [4119], "行政强制": [195]},
             "第二十条第（八）项": {"行政事业性收费": [7730.28]}}

# Pingtan 2023 (the page and the crawler's text of it).
PINGTAN23_T3 = dict(zip(T3_LABELS_2021, [[80, 1, 0, 0, 0, 0, 81], [0] * 7, [22, 0, 0, 0, 0, 0, 22],
                                          [19, 1, 0, 0, 0, 0, 20]]
                        + only_natural(0, 0, 0, 1, 0, 1, 1, 2, 31, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1)
                        + [[80, 1, 0, 0, 0, 0, 81], [0] * 7]))
PINGTAN23_T4 = {"行政复议": [1, 1, 0, 0, 2], "未经复议直接起诉": [4, 0, 0, 1, 5], "复议后起诉": [1, 0, 1, 0, 2]}
PINGTAN23_T2 = {"第二十条第（一）项": {"规章": [0, 0, 0], "行政规范性文件": [77, 132, 470]},
                "第二十条第（五）项": {"行政许可": [2629]},
                "第二十条第（六）项": {"行政处罚": [1330], "行政强制": [54]},
                "第二十条第（八）项": {"行政事业性收费": [5949.088667]}}

# Pingtan 2021: only the crawler's text exists; see evals/degrade/pingtan-2021.expected.yaml for the reasoning.
PINGTAN21_T3 = dict(zip(T3_LABELS_2021, [[64, 0, 0, 2, 0, 4, 70], [0] * 7, [27, 0, 0, 2, 0, 1, 30]]
                        + only_natural(5, 0, 0, 0, 0, 1, 0, 6, 1) + [[22, 0, 0, 0, 0, 3, 25]]
                        + only_natural(0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
                        + [[63, 0, 0, 2, 0, 4, 69]] + only_natural(1)))
PINGTAN21_T2 = {"第二十条第（一）项": {"规章": [0, 0, 0], "行政规范性文件": [U, U, U]},
                "第二十条第（五）项": {"行政许可": [2293]},
                "第二十条第（六）项": {"行政处罚": [1282], "行政强制": [42]},
                "第二十条第（八）项": {"行政事业性收费": [24252.311082]}}

# Pingtan 2019 (a 管委会, 2019 edition).
PINGTAN19_T3 = dict(zip(
    ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
     "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
     "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
     "7.属于行政执法案卷", "8.属于行政查询事项", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
     "3.补正后申请内容仍不明确", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
     "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息", "（六）其他处理", "（七）总计",
     "四、结转下年度继续办理"],
    only_natural(23, 0, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 5, 0, 3, 0, 0, 0, 0, 23, 0)))
PINGTAN19_T2 = {"第二十条第（一）项": {"规章": [0, 0, 0], "规范性文件": [89, 89, 89]},
                "第二十条第（五）项": {"行政许可": [396, 0, 181], "其他对外管理服务事项": [10, 0, 153]},
                "第二十条第（六）项": {"行政处罚": [2648, 0, 430], "行政强制": [126, 0, 25]},
                "第二十条第（八）项": {"行政事业性收费": [35, 0]},
                "第二十条第（九）项": {"政府集中采购": [135, 75394432.52]}}


def assert_row(cells: dict, want, where: str, allow_inferred: bool = False):
    if want is NA:
        assert all(c.state is CellState.missing for c in cells.values()), where
        return
    assert len(cells) == len(want), where
    for (col, cell), w in zip(cells.items(), want):
        if w == U:
            assert cell.certainty is Certainty.unreadable and cell.value is None and cell.how, f"{where} × {col}"
            continue
        ok = {Certainty.certain, Certainty.inferred} if allow_inferred else {Certainty.certain}
        assert cell.certainty in ok, f"{where} × {col}: {cell.certainty} {cell.how}"
        assert cell.state is CellState.number and cell.value == w, f"{where} × {col}: {cell.raw!r}"


def assert_tables(report, t2, t3, t4, allow_inferred=False):
    for caption, rows in t2.items():
        for label, want in rows.items():
            assert_row(report.table2[caption][label], want, f"表二 {caption} {label}", allow_inferred)
    for label, want in t3.items():
        assert_row(report.table3[label], want, f"表三 {label}", allow_inferred)
    for group, want in (t4 or {}).items():
        assert_row(report.table4[group], want, f"表四 {group}", allow_inferred)


@pytest.fixture(scope="module")
def hongze():
    return parse_file(REALDATA / "hongze-district-2023.pdf")


def test_hongze_every_cell_as_published(hongze):
    assert (hongze.agency, hongze.year, hongze.edition) == ("洪泽区人民政府", 2023, "2021")
    assert_tables(hongze, HONGZE_T2, HONGZE_T3, HONGZE_T4)
    assert list(hongze.table3) == T3_LABELS_2021[:22] + ["3.其他", "（六）其他处理"] + T3_LABELS_2021[23:]


def test_hongze_misprint_and_six_as_one_row_are_reported_not_lost(hongze):
    (dev,) = [d for d in hongze.labels if d.official == "2.其他法律行政法规禁止公开"]
    assert dev.written == "2.其他法律行政止公开" and dev.kind == "misspelling"
    assert not [p for p in hongze.problems if "2.其他法律" in p.message]
    assert any(p.code == "table3_group_as_row" for p in hongze.problems)


def test_hongze_paragraphs_above_the_first_table_are_not_swallowed(hongze):
    assert [s.key for s in hongze.sections] == list("一二三四五六")
    parts = [p.text[:3] for p in hongze.section("一").paragraphs]
    assert "（四）" in parts and "（五）" in parts
    assert hongze.section("二").raw_heading == "二、主动公开政府信息情况"


def test_hongze_table_four_errors_are_the_documents_and_reported(hongze):
    codes = [(f.code, f.location) for f in run_checks(hongze)]
    assert ("I4", "表四 行政复议 × 总计") in codes and ("I4", "表四 复议后起诉 × 总计") in codes
    # The （六） subtotal stands in for its sub-rows: （七） = 0 + 4 + 3 + 13 + 1 + 0 holds.
    assert not [c for c in codes if c[0] in ("P1", "I1")]


def test_pingtan_2019_page_every_cell():
    report = parse_file(REALDATA / "pingtan-2019.html")
    assert (report.agency, report.year, report.edition) == ("平潭综合实验区", 2019, "2019")
    assert_tables(report, PINGTAN19_T2, PINGTAN19_T3, {g: [0] * 5 for g in ("行政复议", "未经复议直接起诉", "复议后起诉")})
    amount = report.table2["第二十条第（九）项"]["政府集中采购"]["采购总金额"]
    assert amount.unit == "元"


def test_pingtan_2023_page_every_cell():
    report = parse_file(REALDATA / "pingtan-2023.html")
    assert (report.agency, report.year, report.edition) == ("平潭综合实验区", 2023, "2021")
    assert_tables(report, PINGTAN23_T2, PINGTAN23_T3, PINGTAN23_T4)


def test_pingtan_2023_crawler_text_reads_as_the_page_or_says_it_cannot():
    report = parse_file(REALDATA / "pingtan-2023.txt")
    assert (report.agency, report.year, report.edition) == ("平潭综合实验区", 2023, "2021")
    assert [s.key for s in report.sections] == list("一二三四五六")
    t2 = {**PINGTAN23_T2, "第二十条第（一）项": {"规章": [0, 0, 0], "行政规范性文件": [U, U, U]}}
    assert_tables(report, t2, PINGTAN23_T3, PINGTAN23_T4, allow_inferred=True)
    assert report.table3["一、本年新收政府信息公开申请数量"]["自然人"].certainty is Certainty.inferred
    assert "77132470" in report.table2["第二十条第（一）项"]["行政规范性文件"]["本年制发件数"].how
    narrative = report.section("一").text
    assert "申请公开81件" in narrative and "予以公开及部分公开42件" in narrative
    assert not any("当前位置" in p.text or "发布时间" in p.text for p in report.preamble)


def test_pingtan_2021_crawler_text_every_cell_right_or_unreadable():
    report = parse_file(REALDATA / "pingtan-2021.txt")
    assert (report.agency, report.year, report.edition) == ("平潭综合实验区", 2021, "2021")
    assert [s.key for s in report.sections] == list("一二三四五六")
    assert_tables(report, PINGTAN21_T2, PINGTAN21_T3, {g: [U] * 5 for g in ("行政复议", "未经复议直接起诉", "复议后起诉")},
                  allow_inferred=True)
    assert "四" in report.unreadable_tables and "10203120001200000" in report.unreadable_tables["四"]
    assert "办结69件" in report.section("一").text


def test_check_on_pingtan_2021_computes_nothing_from_unsettled_digits():
    report = parse_file(REALDATA / "pingtan-2021.txt")
    findings = run_checks(report)
    # Table 四 could not be read and 行政规范性文件's row could not be split: no rule judges them;
    # the rules that needed them say so ("无法核验", info) and why.
    judged = [f for f in findings if not f.unchecked]
    assert not [f for f in judged if f.location.startswith("表四")]
    assert not [f for f in judged if "行政规范性文件" in f.location]
    assert not [f for f in judged if "693665" in (f.computation or "") or "10203120001200000" in (f.computation or "")]
    notes = [f for f in findings if f.unchecked]
    assert notes and all(f.severity.value == "info" for f in notes)
    assert any("10203120001200000" in (f.computation or "") for f in notes)
    # Table 三, settled by its own identities, is consistent: no table arithmetic error.
    assert not [f for f in judged if f.code in ("P1", "P2", "I1", "I2", "I4")]


def test_the_expected_tables_above_cover_every_row():
    # zip() would silently drop rows if a list above were short.
    assert len(PINGTAN23_T3) == len(PINGTAN21_T3) == 25
    assert len(HONGZE_T3) == 26 and len(PINGTAN19_T3) == 23
