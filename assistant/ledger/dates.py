"""Dates as registers write them, and working days between two dates.

A register writes a date as a date cell, as text ("2025年3月5日",
"2025.3.5", "2025/03/05", "2025-03-05 14:30") or as an Excel serial number.
A date that cannot be read for certain is not read: "3月5日" has no year,
"25.3.5" a year that could be 1925 or 2025.

Working days are Monday to Friday. Public holidays and the weekend days
worked in their place are only known when a holiday list is given; without
one the count says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from ..yamlfile import load_yaml
from .errors import LedgerError

# Dates a register can plausibly hold: the first 条例 took effect in 2008.
EARLIEST = date(2008, 1, 1)
LATEST = date(2099, 12, 31)
EXCEL_1900 = date(1899, 12, 30)  # serial 1 is 1900-01-01 (after Excel's leap-year bug)
EXCEL_1904 = date(1904, 1, 1)

_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "001123456789")
_YMD = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?(?:\s*(?:[T\s]|上午|下午).*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_CN_DATE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]$")


class DateProblem(ValueError):
    """Why a cell is not a date, in Chinese."""


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + int(s[1:].translate(_CN_DIGITS))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return int(tens.translate(_CN_DIGITS)) * 10 + (int(ones.translate(_CN_DIGITS)) if ones else 0)
    return int(s.translate(_CN_DIGITS))


def from_serial(serial: float, epoch: date = EXCEL_1900) -> date:
    return epoch + timedelta(days=int(serial))


def read_date(value: object, epoch: date = EXCEL_1900) -> Optional[date]:
    """The date a cell holds, None for an empty cell; DateProblem when it is not a readable date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, bool):
        raise DateProblem(f"“{value}”不是日期")
    elif isinstance(value, (int, float)):
        if not 1 <= value < 2958466:
            raise DateProblem(f"数字{value}不是有效的Excel日期序号")
        d = from_serial(value, epoch)
    else:
        found, problem = _read_text_cached(str(value), epoch)
        if problem is not None:
            raise DateProblem(problem)
        if found is None:
            return None
        d = found
    if not EARLIEST <= d <= LATEST:
        raise DateProblem(f"日期{d.isoformat()}不在任何可能的年度内（应在{EARLIEST.year}年至{LATEST.year}年之间）")
    return d


@lru_cache(maxsize=65536)
def _read_text_cached(raw: str, epoch: date) -> tuple[Optional[date], Optional[str]]:
    """(date, None), (None, None) for an empty text, or (None, why): registers repeat their dates."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None, None
    try:
        return _read_text(text, epoch), None
    except DateProblem as exc:
        return None, str(exc)


def _read_text(text: str, epoch: date) -> date:
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups()[:3])
        try:
            return date(y, mo, d)
        except ValueError:
            raise DateProblem(f"“{text}”不是存在的日期") from None
    m = _CN_DATE.match(text)
    if m:
        try:
            return date(int(m.group(1).translate(_CN_DIGITS)), _cn_number(m.group(2)), _cn_number(m.group(3)))
        except ValueError:
            raise DateProblem(f"“{text}”不是存在的日期") from None
    if _SERIAL.match(text):
        return from_serial(float(text), epoch)
    if re.match(r"^\d{1,2}\s*[月./\-]\s*\d{1,2}\s*[日号]?$", text):
        raise DateProblem(f"“{text}”没有写年份")
    if re.match(r"^\d{2}\s*[年./\-]\s*\d{1,2}\s*[月./\-]\s*\d{1,2}", text):
        raise DateProblem(f"“{text}”的年份只有两位，无法确定是哪一年")
    raise DateProblem(f"“{text}”不是可识别的日期")


@dataclass
class Calendar:
    """Monday–Friday, less the holidays given, plus the weekend days worked in their place."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # weekend days that are working days (调休)
    source: Optional[str] = None  # the holiday list's file name, when one was given
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def knows_holidays(self) -> bool:
        return self.source is not None

    def is_workday(self, d: date) -> bool:
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def working_days(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (条例第三十三条: 自收到申请之日起)."""
        if end <= start:
            return 0
        key = (start, end)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        n = _weekdays_after(start, end)
        if self.holidays or self.workdays:
            n -= sum(1 for h in self.holidays if start < h <= end and h.weekday() < 5)
            n += sum(1 for w in self.workdays if start < w <= end and w.weekday() >= 5)
        if len(self._cache) < 200_000:
            self._cache[key] = n
        return n

    def describe(self) -> str:
        if self.knows_holidays:
            return f"工作日按周一至周五计算，并按节假日表“{self.source}”扣除节假日、计入调休上班日"
        return "工作日按周一至周五计算；未提供节假日表，法定节假日未扣除（可用 --holidays 提供）"


def _weekdays_after(start: date, end: date) -> int:
    """Monday–Friday days d with start < d <= end."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    n = weeks * 5
    wd = start.weekday()
    for i in range(1, rest + 1):
        if (wd + i) % 7 < 5:
            n += 1
    return n


MAX_HOLIDAY_BYTES = 200_000


def load_calendar(path: Union[str, Path, None]) -> Calendar:
    """A holiday list: YAML ``{holidays: [...], workdays: [...]}``, or text with one date a line.

    In the text form a line may end with “补班” or “上班” to mark a weekend
    day worked; every other date is a holiday.
    """
    if path is None:
        return Calendar()
    path = Path(path)
    try:
        if path.stat().st_size > MAX_HOLIDAY_BYTES:
            raise LedgerError(f"节假日表过大：{path.name}")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LedgerError(f"找不到节假日表：{path}") from None
    except UnicodeDecodeError:
        raise LedgerError(f"节假日表不是 UTF-8 文本：{path.name}") from None
    holidays: set[date] = set()
    workdays: set[date] = set()

    def add(raw: object, into: set[date], where: str) -> None:
        try:
            d = read_date(raw)
        except DateProblem as exc:
            raise LedgerError(f"节假日表“{path.name}”{where}：{exc}") from None
        if d is not None:
            into.add(d)

    data = None
    if path.suffix.lower() in (".yaml", ".yml"):
        data = load_yaml(text, f"节假日表 {path.name} ", LedgerError)
    if isinstance(data, dict):
        for key, into in (("holidays", holidays), ("workdays", workdays)):
            items = data.get(key) or []
            if not isinstance(items, list):
                raise LedgerError(f"节假日表“{path.name}”：{key} 应为日期列表")
            for i, item in enumerate(items, start=1):
                add(item, into, f"{key}第{i}项")
    else:
        for n, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            worked = line.endswith(("补班", "上班"))
            add(line.removesuffix("补班").removesuffix("上班").strip(), workdays if worked else holidays, f"第{n}行")
    if not holidays and not workdays:
        raise LedgerError(f"节假日表“{path.name}”中没有日期")
    return Calendar(frozenset(holidays), frozenset(workdays), source=path.name)
