"""Labels written differently from the template are still read, and the difference is recorded."""

from assistant.model import CellState
from assistant.parse import parse_bytes
from assistant.parse.labels import LabelIndex, classify_deviation

ROWS_2021 = [
    ("一、本年新收政府信息公开申请数量", [5, 0, 0, 0, 0, 0, 5]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
    ("（二）部分公开（区分处理的，只计这一情况，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("1、属于国家秘密", [0] * 7),
    ("2. 其他法律行政法规禁止公开", [0] * 7),
    ("3.危及\"三安全一稳定\"", [0] * 7),
    ("4.保护第三方合法权益", [0] * 7),
    ("5.属于三类内容事务信息", [1, 0, 0, 0, 0, 0, 1]),
    ("6.属于四类过程性信息", [0] * 7),
    ("7.属于行政执法案卷", [0] * 7),
    ("8.属于行政查询事项", [0] * 7),
    ("1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0, 1]),
    ("2.没有现成信息需要另行制作", [0] * 7),
    ("3.补正后申请内容仍不明确", [0] * 7),
    ("1.信访举报投诉类申请", [0] * 7),
    ("2.重复申请", [0] * 7),
    ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7),
    ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("3.其他", [0] * 7),
    ("（七）总计", [5, 0, 0, 0, 0, 0, 5]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]


def tsv_report() -> bytes:
    lines = ["示例县人民政府", "2022年政府信息公开工作年度报告", "一、总体情况", "本县依法做好政府信息公开工作。",
             "三、收到和处理政府信息公开申请情况",
             "\t".join(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])]
    for label, values in ROWS_2021:
        lines.append("\t".join([label] + [str(v) for v in values]))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append("\t".join(["0"] * 15))
    return "\n".join(lines).encode("utf-8")


def test_altered_labels_are_read_into_the_official_rows():
    report = parse_bytes(tsv_report(), "variants.txt")
    assert report.edition == "2021"
    assert report.table3["5.属于三类内部事务信息"]["总计"].value == 1
    assert report.table3["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]["自然人"].value == 1
    assert report.table3["1.属于国家秘密"]["总计"].state is CellState.number
    assert report.table3["3.危及“三安全一稳定”"]["总计"].value == 0


def test_each_tolerated_deviation_is_recorded_with_its_kind():
    report = parse_bytes(tsv_report(), "variants.txt")
    kinds = {d.official: d.kind for d in report.labels}
    assert kinds["5.属于三类内部事务信息"] == "misspelling"
    assert kinds["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == "misspelling"
    assert kinds["1.属于国家秘密"] == "numbering"
    assert kinds["3.危及“三安全一稳定”"] == "punctuation"
    # a space after the number is presentation, not an altered label
    assert "2.其他法律行政法规禁止公开" not in kinds
    assert "4.保护第三方合法权益" not in kinds


def test_line_breaks_and_width_inside_labels_are_tolerated():
    index = LabelIndex(["5.要求行政机关确认或重新出具已获取信息"])
    assert index.match("５．要求行政机关确认或重新出\n具已获取信息").official == "5.要求行政机关确认或重新出具已获取信息"
    assert classify_deviation("1．本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息") == "width"
    assert classify_deviation("1、本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息") == "numbering"


def test_a_column_header_is_not_mistaken_for_a_row():
    # "其他" is a column of table 三 and, numbered "3.其他", a row of the 2021 edition.
    index = LabelIndex(["3.其他"])
    assert index.match("其他") is None
    assert index.match("3、其他").official == "3.其他"


def test_edition_can_be_overridden():
    report = parse_bytes(tsv_report(), "variants.txt", edition="2019")
    assert report.edition == "2019" and report.edition_detected == "2021"
    assert "（六）其他处理" in report.table3
    assert report.table3["（六）其他处理"]["总计"].state is CellState.missing


def test_a_table_with_a_missing_row_reads_the_rest_and_says_what_is_missing():
    data = tsv_report().decode("utf-8").replace("2.重复申请\t0\t0\t0\t0\t0\t0\t0\n", "").encode("utf-8")
    report = parse_bytes(data, "partial.txt")
    assert report.table3["2.重复申请"]["总计"].state is CellState.missing
    assert report.table3["（七）总计"]["总计"].value == 5
    assert any("2.重复申请" in p.message for p in report.problems)
