"""Figures for the narrative: channels, time to answer, fees.

Counted from the same rows as table 三: channels over the applications
received in the year, times over those answered in the year. Time is in
working days after the day a request arrived (or its correction, when the
register records one) up to the day it was answered (条例第三十条、第三十三条).
What the register does not record is said, not assumed: public holidays
without a holiday list, time spent consulting third parties, whether an
answer later than 20 working days had been extended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from ..model.figures import round1
from .compute import LedgerResult
from .vocabulary import channel_names

LIMIT = 20  # working days, 条例第三十三条第二款
EXTENDED_LIMIT = 40  # with the extension of at most 20 more
UNKNOWN_CHANNEL = "未注明"


@dataclass
class Narrative:
    year: int
    received: int  # 本年新收
    answered: int  # 本年办结
    channels: Optional[dict[str, int]] = None  # None: the register has no channel column
    within_limit: int = 0
    within_share: Optional[float] = None  # % of answered, one decimal
    extended: Optional[int] = None  # None: the register records no extension
    late: Optional[int] = None  # beyond the time limit (20, or 40 when extended)
    over_limit: int = 0  # beyond 20 working days, extended or not
    average_days: Optional[float] = None
    longest_days: Optional[int] = None
    same_day: int = 0
    calendar: str = ""
    holidays_known: bool = False
    corrections_known: bool = False
    fee_notices: Optional[int] = None
    fees_paid: Optional[int] = None
    fee_amount: Optional[float] = None  # 元, when the register has an amount column
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items()}
        return out

    def caveat(self) -> str:
        parts = ["工作日按周一至周五计算，" + ("已扣除节假日表所列节假日" if self.holidays_known else "未扣除法定节假日")]
        if not self.corrections_known:
            parts.append("未扣除补正、征求第三方意见等不计入答复期限的时间")
        return "；".join(parts)

    def notes(self) -> list[str]:
        """Sentences for the drafter (the facts file's ``notes``), every figure from the register."""
        out = []
        if self.channels and self.received:
            parts = [f"{_channel_phrase(name)}{n}件" for name, n in self.channels.items() if n and name != UNKNOWN_CHANNEL]
            unknown = self.channels.get(UNKNOWN_CHANNEL, 0)
            if unknown:
                parts.append(f"未注明提交方式{unknown}件")
            if parts:
                out.append(f"依申请公开：从提交方式看，本年新收的{self.received}件申请中，{'、'.join(parts)}。")
        if self.answered and self.within_share is not None:
            # The share follows its own count, so a reader (and the checker) sees what it is a share of.
            s = (f"依申请公开：本年办结的{self.answered}件申请中，在{LIMIT}个工作日内答复的有{self.within_limit}件，"
                 f"占{_pct(self.within_share)}%")
            if self.extended:
                s += f"；经延长答复期限后答复{self.extended}件"
            if self.late:
                s += f"；超过法定期限答复{self.late}件"
            elif self.late is None and self.over_limit:
                s += f"；超过{LIMIT}个工作日答复{self.over_limit}件（是否经过延期未能确认）"
            s += f"；平均用时{_num(self.average_days)}个工作日，最长{self.longest_days}个工作日（{self.caveat()}）。"
            out.append(s)
        if self.fee_notices:
            s = f"其他：全年向申请人发出收费通知{self.fee_notices}件"
            if self.fees_paid is not None:
                s += f"，申请人缴费{self.fees_paid}件"
            out.append(s + "。")
        return out

    def extra(self) -> list[dict]:
        """Figures for the facts file's ``extra``: the 信息处理费, when the register records amounts."""
        if self.fee_amount is None:
            return []
        value = int(self.fee_amount) if float(self.fee_amount).is_integer() else round(self.fee_amount, 2)
        return [{"label": "收取信息处理费", "value": value, "unit": "元"}]


def _channel_phrase(name: str) -> str:
    return {"当面": "当面提交", "信函": "通过信函提交", "网络": "通过网络提交", "传真": "通过传真提交",
            "电子邮件": "通过电子邮件提交", "其他": "通过其他方式提交"}.get(name, f"通过{name}提交")


def _pct(v: float) -> str:
    return f"{v:.1f}"


def _num(v: Optional[float]) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def narrative(result: LedgerResult) -> Optional[Narrative]:
    if result.table3 is None:
        return None
    year = result.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    cols = result.register.columns
    counted = result.counted
    new = [a for a in counted if a.received is not None and a.received >= start]
    answered = [a for a in counted if a.answered is not None and a.answered <= end]
    n = Narrative(year=year, received=len(new), answered=len(answered), calendar=result.calendar.describe(),
                  holidays_known=result.calendar.knows_holidays, corrections_known="corrected" in cols)
    if "channel" in cols:
        counts = {name: 0 for name in channel_names()}
        counts[UNKNOWN_CHANNEL] = 0
        for a in new:
            counts[a.channel.key if a.channel.key else UNKNOWN_CHANNEL] += 1
        n.channels = {k: v for k, v in counts.items() if v}
    unreadable: dict[str, list] = {}
    seen_ids = {id(a) for a in answered}
    for a in answered + [a for a in new if id(a) not in seen_ids]:
        for name in a.narrative_problems:
            unreadable.setdefault(name, []).append(a)
    for name, rows in unreadable.items():
        first = rows[0].narrative_problems[name]
        then = "这几行按收到申请日期计算用时" if name == "corrected" else "相关数字未计算"
        n.caveats.append(f"有{len(rows)}行的{first.split('（')[0]}无法识别（如{rows[0].ref.describe()}：{first}），{then}")
    if "corrected" in unreadable:
        n.corrections_known = False
    if answered:
        cal = result.calendar
        days = []
        for a in answered:
            assert a.received is not None and a.answered is not None
            begin = a.start if a.start is not None and a.start >= a.received else a.received
            days.append(cal.working_days(begin, a.answered))
        n.within_limit = sum(1 for d in days if d <= LIMIT)
        n.within_share = round1(n.within_limit / len(days) * 100)
        n.over_limit = sum(1 for d in days if d > LIMIT)
        n.same_day = sum(1 for d in days if d == 0)
        n.average_days = round1(sum(days) / len(days))
        n.longest_days = max(days)
        if "extended" in cols and "extended" not in unreadable:
            flags = [bool(a.extended) for a in answered]
            n.extended = sum(flags)
            n.late = sum(1 for d, ext in zip(days, flags) if d > (EXTENDED_LIMIT if ext else LIMIT))
    if "fee_notice" in cols and not {"fee_notice", "fee_paid"} & set(unreadable):
        n.fee_notices = sum(1 for a in answered if a.fee_notice)
        if "fee_paid" in cols:
            n.fees_paid = sum(1 for a in answered if a.fee_notice and a.fee_paid)
    if "fee_amount" in cols and "fee_amount" not in unreadable:
        unknown = [a for a in answered if a.fee_paid and a.fee_amount is None]
        if unknown:
            n.caveats.append(f"有{len(unknown)}件已缴费的申请没有写收费金额，信息处理费总额未计算")
        else:
            n.fee_amount = sum(a.fee_amount or 0.0 for a in answered)
    return n
