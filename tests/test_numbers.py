
import pytest
from conftest import LINZI
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.model.report import CellState, NumberKind
from assistant.parse.numbers import (
    chinese_to_number,
    number_to_chinese,
    parse_number,
    read_cell,
    read_numbers,
)

FIGURE = NumberKind.figure
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def figures(text):
    return [(n.value, n.unit) for n in read_numbers(text) if n.kind is FIGURE]


def kinds(text):
    return [(n.kind, n.value, n.unit) for n in read_numbers(text)]


def linzi_line(prefix):
    for line in LINZI.read_text(encoding="utf-8").splitlines():
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no line starts with {prefix!r}")


# --- properties -------------------------------------------------------------

@given(st.integers(0, 10**9))
def test_parse_number_reads_any_integer(n):
    assert parse_number(str(n)) == (n, None)
    assert parse_number(str(n).translate(FULL_WIDTH)) == (n, None)
    assert parse_number(f"{n:,}") == (n, None)
    assert parse_number(f"{n:,}".replace(",", "，")) == (n, None)


@given(st.integers(1, 10**9))
def test_parse_number_keeps_the_sign(n):
    assert parse_number(f"-{n}") == (-n, None)
    assert parse_number(f"−{n}") == (-n, None)
    assert parse_number(f"+{n}") == (n, None)


@given(st.integers(0, 10**12 - 1))
def test_chinese_numerals_round_trip(n):
    assert chinese_to_number(number_to_chinese(n)) == n


@given(st.integers(1, 10**9))
def test_chinese_figure_in_prose(n):
    cn = number_to_chinese(n)
    [m] = read_numbers(f"受理{cn}件")
    assert (m.kind, m.value, m.unit, m.raw, m.start) == (FIGURE, n, "件", f"{cn}件", 2)


@given(st.integers(0, 10**9), st.sampled_from(["件", "条", "篇", "期", "个", "人次", "元"]), st.sampled_from(["", " "]))
def test_digit_figure_in_prose(n, unit, space):
    text = f"全年共办理{n}{space}{unit}，均已办结。"
    [m] = read_numbers(text)
    assert (m.kind, m.value, m.unit) == (FIGURE, n, unit)
    assert text[m.start:m.end] == m.raw == f"{n}{space}{unit}"


_YEARS = st.builds(lambda y, sp: f"{y}{sp}年", st.integers(1990, 2035), st.sampled_from(["", " "]))
_CN_YEARS = st.integers(1990, 2035).map(
    lambda y: "".join("〇一二三四五六七八九"[int(d)] for d in str(y)) + "年")
_DATES = st.one_of(
    st.builds(lambda m, d, sp: f"{m}{sp}月{sp}{d}{sp}日", st.integers(1, 12), st.integers(1, 31), st.sampled_from(["", " "])),
    st.builds(lambda m, s: f"{m}月{s}", st.integers(1, 12), st.sampled_from(["初", "底", "中旬", "份", ""])),
    st.builds(lambda y, m, d: f"{y} 年 {m} 月 {d} 日", st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 31)),
)
_DOCS = st.one_of(
    st.builds(lambda p, y, n: f"{p}〔{y}〕{n}号", st.sampled_from(["", "临政办发", "国办公开办函", "鲁政字"]),
              st.integers(2000, 2030), st.integers(1, 999)),
    st.builds(lambda y, n: f"[{y}]{n}号", st.integers(2000, 2030), st.integers(1, 999)),
    st.builds(lambda sp, n: f"国令第{sp}{n}{sp}号", st.sampled_from(["", " "]), st.integers(1, 999)),
)
_ARTICLES = st.builds(
    lambda a, tail: f"第{number_to_chinese(a)}条{tail}",
    st.integers(1, 80),
    st.sampled_from(["", "第二款", "第（一）项", " 第（五）项", "第三项"]),
) | st.builds(lambda i: f"第（{number_to_chinese(i)}）项", st.integers(1, 15))
_FILLER = st.text(alphabet="政府信息公开工作年度报告区办公室申请处理的和在为截至自，。、；：《》（）", max_size=6)


@given(st.lists(st.tuples(_FILLER, st.one_of(_YEARS, _CN_YEARS, _DATES, _DOCS, _ARTICLES)), max_size=8), _FILLER)
def test_identifiers_are_never_figures(parts, tail):
    text = "".join(f + t for f, t in parts) + tail
    found = read_numbers(text)
    assert [n for n in found if n.kind in (FIGURE, NumberKind.percent)] == []
    # nothing is dropped either: every numeral of every template is inside a mention
    covered = {i for n in found for i in range(n.start, n.end)}
    assert all(i in covered for i, ch in enumerate(text) if ch in "0123456789〇一二三四五六七八九十")


@settings(max_examples=300)
@given(st.text(alphabet="0123456789０５,，.．%％ 万亿元件条余多年月日号第（）〔〕一二两三十百千零是、。：\n政府abc@", max_size=40))
def test_mentions_point_into_the_text(text):
    found = read_numbers(text)
    last_end = 0
    for n in found:
        assert text[n.start:n.end] == n.raw and n.raw
        assert n.start >= last_end
        last_end = n.end


# --- real text --------------------------------------------------------------

@pytest.mark.realdata
def test_linzi_active_disclosure_figures():
    line = linzi_line("1. 主动公开政府信息")
    assert figures(line) == [(631, "条"), (12, "期"), (1, "篇"), (1, "篇"), (601, "条"), (152, "条")]
    years = [n.value for n in read_numbers(line) if n.kind is NumberKind.year]
    assert years == [2019, 2018, 2018, 2019]
    assert read_numbers(line)[0].kind is NumberKind.ordinal  # the leading "1."


@pytest.mark.realdata
def test_linzi_application_figures():
    line = linzi_line("2.依申请公开")
    assert figures(line) == [(n, "件") for n in (35, 1, 33, 1, 33, 4, 0, 26, 5)]


@pytest.mark.realdata
def test_linzi_identifiers_in_prose():
    line = linzi_line("3.政府信息公开制度建设")
    assert figures(line) == []
    assert [(n.kind, n.value) for n in read_numbers(line) if n.kind is NumberKind.doc_number] == [
        (NumberKind.doc_number, 1), (NumberKind.doc_number, 26)]
    assert figures(linzi_line("5.回应社会关切")) == [(2, "次"), (367, "次")]
    assert figures(linzi_line("4.政府信息公开队伍建设")) == [(55, "人")]


def test_huaian_applications_with_pdf_spacing():
    text = ("2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件"
            "（含上年度结转申请 34 件，另有 103 件顺延到下年度答复）")
    assert figures(text) == [(3119, "件"), (3050, "件"), (34, "件"), (103, "件")]
    first = read_numbers(text)[1]
    assert first.raw == "3119 件" and text[first.start:first.end] == "3119 件"


def test_huaian_preamble_has_no_figures():
    text = ("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第 711 号）"
            "（以下简称《条例》）规定编制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。")
    found = read_numbers(text)
    assert [n for n in found if n.kind is FIGURE] == []
    assert [(n.kind, n.value) for n in found] == [
        (NumberKind.doc_number, 711), (NumberKind.year, 2024), (NumberKind.date, None),
        (NumberKind.year, 2024), (NumberKind.date, None)]


def test_huaian_contacts_have_no_figures():
    assert figures("电话：0517-83605210，电子邮箱：hazwgkc@163.com") == []
    assert figures("地址：淮安市翔宇南道 1 号，邮编：223001") == []


def test_huaian_fee_and_rate():
    assert kinds("全年收取政府信息公开信息处理费 3940 元") == [(FIGURE, 3940, "元")]
    assert kinds("合格率均为 100%") == [(NumberKind.percent, 100, "%")]


# --- figures in their many spellings ------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("公开信息35件", [(35, "件")]),
    ("公开信息３５件", [(35, "件")]),
    ("累计1,234条", [(1234, "条")]),
    ("累计1，234条", [(1234, "条")]),
    ("收费96171.6万元", [(961716000, "万元")]),
    ("采购金额19.7万", [(197000, "万")]),
    ("采购金额19.7万元", [(197000, "万元")]),
    ("投入3.5亿元", [(350000000, "亿元")]),
    ("新增1.2万件", [(12000, "件")]),
    ("政府信息 5500 余条", [(5500, "条")]),
    ("办理300多件", [(300, "件")]),
    ("三十五件", [(35, "件")]),
    ("两百零一条", [(201, "条")]),
    ("一千零五十件", [(1050, "件")]),
    ("〇件", [(0, "件")]),
    ("零件申请", [(0, "件")]),
    ("政府公报十二期", [(12, "期")]),
    ("两件", [(2, "件")]),
    ("一件", [(1, "件")]),
    ("年报1篇", [(1, "篇")]),
    ("十余次", [(10, "次")]),
    ("三十五万元", [(350000, "万元")]),
    ("受理一百万件", [(1000000, "件")]),
    ("接待群众1万余人次", [(10000, "人次")]),
    ("回应事件数367", [(367, None)]),
    ("权重提高到4%，下降2.3个百分点", [(2.3, "个百分点")]),
])
def test_figure_spellings(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text, value", [
    ("占比12.3%", 12.3), ("占比12.3％", 12.3), ("百分之五", 5), ("百分之十二点五", 12.5), ("权重提高到4%", 4),
])
def test_percentages(text, value):
    assert kinds(text) == [(NumberKind.percent, value, "%")]


# --- identifiers ------------------------------------------------------------

Y, D, DOC, ART, ORD, ID = (NumberKind.year, NumberKind.date, NumberKind.doc_number,
                           NumberKind.article, NumberKind.ordinal, NumberKind.identifier)


@pytest.mark.parametrize("text, expected", [
    ("2019年", [(Y, 2019)]),
    ("2019 年", [(Y, 2019)]),
    ("二〇一九年", [(Y, 2019)]),
    ("纳入2019年度考核", [(Y, 2019)]),
    ("2019—2021年", [(Y, 2019), (Y, 2021)]),
    ("1月31日", [(D, None)]),
    ("12月初", [(D, None)]),
    ("1-6月", [(D, None)]),
    ("2024 年 1 月 1 日", [(Y, 2024), (D, None)]),
    ("〔2019〕1号", [(DOC, 1)]),
    ("临政办发〔2019〕1号", [(DOC, 1)]),
    ("[2019]26号", [(DOC, 26)]),
    ("国令第711号", [(DOC, 711)]),
    ("国令第 711 号", [(DOC, 711)]),
    ("第二十条", [(ART, 20)]),
    ("第五十条第二款", [(ART, 50)]),
    ("第（五）项", [(ART, 5)]),
    ("第二十条第（一）项", [(ART, 20)]),
    ("第二十条 第（一）项", [(ART, 20)]),
    ("一是加强领导，二是完善制度", [(ORD, 1), (ORD, 2)]),
    ("第一责任人", [(ORD, 1)]),
    ("（三）不予公开", [(ORD, 3)]),
    ("（一）主动公开情况", [(ORD, 1)]),
    ("1.属于国家秘密", [(ORD, 1)]),
    ("1．属于国家秘密", [(ORD, 1)]),
    ("2、其他法律行政法规禁止公开", [(ORD, 2)]),
    ("主要表现在：1.质量；2.时效", [(ORD, 1), (ORD, 2)]),
    ("0517-83605210", [(ID, None)]),
    ("邮编：223001", [(ID, None)]),
    ("放大81890民生热线服务品牌效应", [(ID, None)]),
    ("12345热线", [(ID, None)]),
    ("拨打12345政务服务便民热线", [(ID, None)]),
    ("按照GB/T 9704-2012排版", [(ID, None)]),
])
def test_identifier_kinds(text, expected):
    assert [(n.kind, n.value) for n in read_numbers(text)] == expected


@pytest.mark.parametrize("text", [
    "hazwgkc@163.com", "三安全一稳定", "党的二十大", "二十届二中、三中全会", "属于四类过程性信息",
    "属于三类内部事务信息", "一体化", "一事一审", "“四最”", "一些", "一定", "进一步", "统一", "唯一",
    "万一", "十分", "一系列", "一站式", "一把手", "两会", "三中全会", "十四五期间", "一次性告知",
    "一件事一次办", "最多跑一次", "“两个维护”", "每十五件", "数十件", "千家万户", "条例第二十条",
    "“三个一”工作机制", "两个一百年", "五个一批",
])
def test_words_with_numerals_are_not_figures(text):
    assert [n for n in read_numbers(text) if n.kind in (FIGURE, NumberKind.percent)] == []


def test_bare_digits_are_figures_without_unit():
    assert kinds("回应事件数367") == [(FIGURE, 367, None)]


# --- single figures and cells -------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("35", (35, None)), ("３５", (35, None)), ("1,234", (1234, None)), ("19.7万", (197000, "万")),
    ("96171.6", (96171.6, None)), ("三十五", (35, None)), ("8件", (8, "件")), ("251000元", (251000, "元")),
    ("0", (0, None)), ("-3", (-3, None)), ("−3", (-3, None)), ("+5", (5, None)), (" 35 ", (35, None)),
    ("3.5亿元", (350000000, "亿元")), ("12.3%", (12.3, "%")),
    ("无", None), ("3件5", None), ("约", None), ("", None), ("十四五", None), ("35 40", None),
])
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("", (CellState.blank, None, None)),
    (" ", (CellState.blank, None, None)),
    ("\u3000", (CellState.blank, None, None)),
    ("\u00a0\u200b", (CellState.blank, None, None)),
    ("&nbsp;", (CellState.blank, None, None)),
    ("/", (CellState.slash, None, None)),
    ("／", (CellState.slash, None, None)),
    ("—", (CellState.dash, None, None)),
    ("——", (CellState.dash, None, None)),
    ("-", (CellState.dash, None, None)),
    ("－", (CellState.dash, None, None)),
    ("一", (CellState.dash, None, None)),
    ("35", (CellState.number, 35, None)),
    ("\n 35\u3000", (CellState.number, 35, None)),
    ("３５", (CellState.number, 35, None)),
    ("19.7万", (CellState.number, 197000, "万")),
    ("-3", (CellState.number, -3, None)),
    ("无", (CellState.text, None, None)),
    ("1,234", (CellState.number, 1234, None)),
    ("3件5", (CellState.text, None, None)),
])
def test_read_cell(raw, expected):
    assert read_cell(raw) == expected


# --- Chinese numerals ---------------------------------------------------------

@pytest.mark.parametrize("n, cn", [
    (0, "零"), (10, "十"), (15, "十五"), (35, "三十五"), (110, "一百一十"), (201, "二百零一"),
    (1050, "一千零五十"), (10005, "一万零五"), (100010, "十万零一十"), (100001000, "一亿零一千"),
    (110000000, "一亿一千万"),
])
def test_number_to_chinese(n, cn):
    assert number_to_chinese(n) == cn


@pytest.mark.parametrize("cn, n", [
    ("两", 2), ("两百零一", 201), ("〇", 0), ("十二", 12), ("一亿零五百万", 105000000),
    ("一一", None), ("十四五", None), ("一百五", None), ("一千五十", None), ("万", None), ("百", None),
    ("一万五", None), ("一万零五千", None), ("一万零", None), ("零五", None), ("", None),
])
def test_chinese_to_number(cn, n):
    assert chinese_to_number(cn) == n


def test_number_to_chinese_range():
    with pytest.raises(ValueError):
        number_to_chinese(10**12)
    with pytest.raises(ValueError):
        number_to_chinese(-1)
