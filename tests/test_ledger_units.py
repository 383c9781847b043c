"""Dates as registers write them, working days, and the vocabulary's mapping."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.ledger.dates import Calendar, DateProblem, load_calendar, read_date
from assistant.ledger.errors import LedgerError
from assistant.ledger.vocabulary import default_vocabulary, normalise, outcome_key, parse_assignments
from assistant.model import get_edition

E2021, E2019 = get_edition("2021"), get_edition("2019")


@pytest.mark.parametrize("raw", [
    date(2025, 3, 5), datetime(2025, 3, 5, 14, 30), "2025年3月5日", "2025.3.5", "2025/03/05", "2025-03-05",
    "2025-3-5 14:30:00", "２０２５年３月５日", "20250305", 45721, 45721.6, "45721", "二〇二五年三月五日", "2025年03月05日 上午",
])
def test_every_writing_of_the_same_date(raw):
    assert read_date(raw) == date(2025, 3, 5)


@pytest.mark.parametrize("raw,why", [
    ("3月5日", "没有写年份"), ("25.3.5", "年份只有两位"), ("2025年2月30日", "不是存在的日期"),
    (3, "不在任何可能的年度内"), ("1999-01-01", "不在任何可能的年度内"), ("下周一", "不是可识别的日期"),
    (True, "不是日期"),
])
def test_dates_that_are_not_read(raw, why):
    with pytest.raises(DateProblem, match=why):
        read_date(raw)


def test_empty_cell_is_no_date():
    assert read_date(None) is None and read_date("  ") is None


def test_working_days_count_the_days_after_receipt_monday_to_friday():
    cal = Calendar()
    assert cal.working_days(date(2025, 3, 5), date(2025, 3, 5)) == 0  # answered on the spot
    assert cal.working_days(date(2025, 3, 7), date(2025, 3, 10)) == 1  # Friday to Monday
    assert cal.working_days(date(2025, 3, 8), date(2025, 3, 10)) == 1  # received on a Saturday
    assert cal.working_days(date(2025, 3, 3), date(2025, 3, 31)) == 20
    # Day by day over two years of pairs.
    start = date(2024, 12, 20)
    for n in range(0, 400, 7):
        end = date.fromordinal(start.toordinal() + n)
        slow = sum(1 for k in range(1, n + 1) if date.fromordinal(start.toordinal() + k).weekday() < 5)
        assert cal.working_days(start, end) == slow


def test_holiday_list_removes_holidays_and_adds_weekend_workdays(tmp_path):
    f = tmp_path / "2025.txt"
    f.write_text("# 国庆\n2025-10-01\n2025-10-02\n2025-10-03\n2025-09-28 补班\n", encoding="utf-8")
    cal = load_calendar(f)
    plain = Calendar()
    # 26 Sep (Fri) to 10 Oct (Fri): 10 weekdays; less 3 holidays, plus Sunday 28 Sep worked.
    assert plain.working_days(date(2025, 9, 26), date(2025, 10, 10)) == 10
    assert cal.working_days(date(2025, 9, 26), date(2025, 10, 10)) == 8
    assert cal.knows_holidays and "节假日表" in cal.describe()
    assert "未提供节假日表" in plain.describe()
    y = tmp_path / "h.yaml"
    y.write_text("holidays: [2025-10-01, '2025年10月2日']\nworkdays: []\n", encoding="utf-8")
    assert load_calendar(y).holidays == frozenset({date(2025, 10, 1), date(2025, 10, 2)})
    bad = tmp_path / "bad.txt"
    bad.write_text("国庆节\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="第1行"):
        load_calendar(bad)


def test_normalise_ignores_numbering_brackets_and_width():
    assert normalise("（一）予以公开") == normalise("予以公开")
    assert normalise("1.属于国家秘密") == normalise("属于国家秘密")
    assert normalise("危及“三安全一稳定”") == "危及三安全一稳定"
    assert normalise(" Ｙｅｓ ") == "YES"


def test_outcome_targets_by_key_label_or_short_code():
    assert outcome_key("（四）1", E2021) == "not_held"
    assert outcome_key("(五)2", E2021) == "repeated"
    assert outcome_key("（一）", E2021) == "disclosed"
    assert outcome_key("（六）", E2019) == "other"
    assert outcome_key("（六）", E2021) is None  # a group of three rows in 2021: which one is not guessed
    assert outcome_key("2.没有现成信息需要另行制作", E2021) == "needs_making"
    assert outcome_key("not_held", E2019) == "not_held"
    assert outcome_key("pending", E2021) == "pending"
    assert outcome_key("同意", E2021) is None


def test_vocabulary_maps_only_what_it_lists():
    v = default_vocabulary()
    assert v.lookup("outcome", "信息不存在") == "not_held"
    assert v.lookup("outcome", "1.本机关不掌握相关政府信息") == "not_held"  # the edition's own label
    assert v.lookup("outcome", "部分信息不存在") is None
    assert v.lookup("applicant", "律所") == "法律服务机构"
    assert v.lookup("applicant", "法人") is None  # which kind of organisation is not said
    assert v.lookup("channel", "网上申请") == "网络"
    assert v.flag("是") is True and v.flag("否") is False and v.flag("Y") is True and v.flag("也许") is None


def test_assignments_win_and_are_checked():
    v = default_vocabulary().with_assignments(parse_assignments(["办理结果:依法公开=（一）予以公开",
                                                                 "申请人类型:个体工商户=商业企业"]), E2021)
    assert v.lookup("outcome", "依法公开") == "disclosed"
    assert v.lookup("applicant", "个体工商户") == "商业企业"
    with pytest.raises(LedgerError, match="不是表三的结果行"):
        default_vocabulary().with_assignments({"办理结果": {"依法公开": "全部公开了"}}, E2021)
    with pytest.raises(LedgerError, match="字段:本地写法=目标"):
        parse_assignments(["依法公开"])
