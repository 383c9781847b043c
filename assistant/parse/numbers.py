"""The one number reader: figures, percentages and identifiers in report text.

The narrative checker and the figure guard both go through here, so that
"2019年" is a year and "三十五件" is 35 everywhere.

Decisions worth knowing:
- A figure's value is in the base unit (元, or a count): "19.7万元" -> 197000.
  The unit is the counting unit as written ("1.2万件" -> 12000, "件"), except
  that money in 万元/亿元 keeps that unit (the tables' unit) and a bare
  magnitude is the unit when nothing follows it ("19.7万" -> 197000, "万").
- A date with a year is split: "2024 年 1 月 1 日" is a year (value 2024)
  followed by a date ("1 月 1 日", value None).
- Values of the other kinds: year -> the year; doc_number -> the number before
  号; article -> the first article number; ordinal -> its position; date and
  identifier -> None. Only figures and percentages carry a unit.
- Words that merely contain a numeral (一些, 进一步, 二十大, 四类过程性信息),
  slogans ("三个一", "两个一百年") and e-mail addresses or URLs are not
  reported at all; digit strings that
  name something (phone numbers, post codes, hotlines, house numbers) are
  reported as identifiers so that nobody mistakes them for figures.
- A Chinese numeral is a figure only when a counting unit follows it; digits
  are a figure even without a unit (unit None).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.model.report import CellState, NumberKind, NumberMention

Number = int | float

# --- Chinese numerals -------------------------------------------------------

_ZEROS = "零〇○"
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ALL_DIGITS = {**_DIGITS, **{z: 0 for z in _ZEROS}}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_WRITE = "零一二三四五六七八九"


def chinese_to_number(s: str) -> int | None:
    """Read a standard Chinese numeral ("二百零一", "两", "〇"); None if malformed.

    Strict on purpose: "十四五" or "一一" must not read as a number, because
    such strings are slogans or word fragments in report prose.
    """
    if not s:
        return None
    if s in _ZEROS:
        return 0
    return _read(s, first=True)


def _read(s: str, first: bool) -> int | None:
    for mark, size in (("亿", 10**8), ("万", 10**4)):
        if mark not in s:
            continue
        high, _, low = s.partition(mark)
        head = _section(high, first)
        if not head or mark in low:
            return None
        zero = low[:1] in _ZEROS if low else False
        low = low[1:] if zero else low
        if not low:
            return None if zero else head * size
        tail = _read(low, first=False)
        # 零 marks exactly the case where the next place down is skipped.
        if not tail or zero != (tail < size // 10):
            return None
        return head * size + tail
    return _section(s, first)


def _section(s: str, first: bool) -> int | None:
    """A group below 10000; 零 must stand exactly where a place is skipped."""
    total, digit, last, zero = 0, None, 10000, False
    for i, ch in enumerate(s):
        if ch in _ZEROS:
            if digit is not None or zero or i == 0:
                return None
            zero = True
        elif ch in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            size = _SMALL[ch]
            if digit is None:
                if not (ch == "十" and i == 0 and first):
                    return None
                digit = 1  # "十五": the leading 一 is dropped only at the very start
            if size >= last or zero != (last != 10000 and last > size * 10):
                return None
            total, last, digit, zero = total + digit * size, size, None, False
        else:
            return None
    if digit is not None:
        if zero != (last != 10000 and last > 10):
            return None
        total += digit
    elif zero or last == 10000:
        return None
    return total


def number_to_chinese(n: int) -> str:
    """The standard reading of 0 <= n < 10**12: 10 -> 十, 1050 -> 一千零五十."""
    if not 0 <= n < 10**12:
        raise ValueError(f"超出可读范围：{n}")
    if n == 0:
        return "零"
    out, started, gap = "", False, False
    for value, mark in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            gap = gap or started
            continue
        if started and (gap or value < 1000):
            out += "零"
        out += _write_section(value) + mark
        started, gap = True, False
    return out[1:] if out.startswith("一十") else out


def _write_section(v: int) -> str:
    out, zero = "", False
    for size, mark in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = v // size % 10
        if d == 0:
            zero = zero or bool(out)
            continue
        out += ("零" if zero else "") + _CN_WRITE[d] + mark
        zero = False
    return out


# --- patterns ---------------------------------------------------------------

_D = "[0-9０-９]"
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"
_CN = f"[{_CN_CHARS}]"
_CN_ORD = "[一二三四五六七八九十]"
# A thousands group must be exactly three digits, or "35，12" in a list would merge.
_NUM = rf"(?:{_D}{{1,3}}(?:[,，]{_D}{{3}}(?!{_D}))+(?:[.．]{_D}+)?|{_D}+(?:[.．]{_D}+)?)"
# Lookaheads keep words like 条例, 期间, 人民 and 元旦 out of the units.
_UNIT = (r"人次|个百分点|件|条(?!例)|篇|期(?!间)|个|次|人(?![民大员才口])"
         r"|场(?![所景合地])|项|家(?![庭属乡长])|份|元(?![素旦化])|批|轮|名")
_DIGIT_UNIT = _UNIT + "|[%％]|位|户|例|起|张|本|处|笔|宗|套|台|所|天|日"
_CN_UNIT = "万元|亿元|" + _UNIT + "|万|亿"
_NOT_BEFORE_CN = "同这那每任某哪唯统之逐再又单数几" + _CN_CHARS

# Order is priority: where two alternatives match at the same place the earlier
# wins, so every identifier comes before the figures it would otherwise become.
_ALTERNATIVES = [
    # Not numbers at all: e-mail, URLs and slogans whose numeral sits before a unit.
    ("skip", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
             r"|(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&*+,;=%-]+"
             r"|一次性|一件事|一次办|跑一次|一条龙|两个(?:维护|确立|毫不动摇)|四个(?:意识|自信|全面)|三个代表"
             # A numeral before 个 and another numeral names a slogan: "三个一", "两个一百年", "五个一批".
             r"|[一二两三四五六七八九十]个[一二两三四五六七八九十百千万]+批?"),
    # Codes glued to Latin letters (5G, ISO9001, GB/T 9704-2012) name things, they do not count.
    ("code", rf"[A-Z]{{2,}}(?:/[A-Z]+)?\s?[0-9]+(?:[.-][0-9]+)*|[A-Za-z]+[0-9]+[A-Za-z0-9_-]*|[0-9]+[A-Za-z][A-Za-z0-9_-]*"
              rf"|[（(]0{_D}{{2,3}}[）)]\s?{_D}{{7,8}}|0{_D}{{2,3}}[-－—]{_D}{{7,8}}(?:[-－]{_D}{{1,6}})?"
              rf"|(?<![0-9])1[3-9][0-9]{{9}}(?![0-9])|400[-－]?{_D}{{3}}[-－]?{_D}{{4}}"),
    ("doc", rf"[〔\[［【(（]\s*{_D}{{4}}\s*[〕\]］】)）]\s*第?\s*{_D}+\s*号"
            rf"|(?:国务院令|国令|主席令)?第\s*{_D}+\s*号"),
    ("year", rf"{_D}{{4}}(?=\s*[-—–~～至到]+\s*{_D}{{4}}\s*年)|{_D}{{4}}\s*年度?|[〇零○一二三四五六七八九]{{4}}\s*年度?"),
    ("date", rf"{_D}{{1,2}}\s*[-—–~～至到]\s*{_D}{{1,2}}\s*月份?"
             rf"|{_D}{{1,2}}\s*月(?:\s*{_D}{{1,2}}\s*[日号])?(?:份|初|底|末|上旬|中旬|下旬)?|{_D}{{1,2}}:{_D}{{2}}"),
    ("article", rf"第\s*(?:[（(]\s*(?:{_CN}+|{_D}+)\s*[）)]|{_CN}+|{_D}+)\s*[条款项章节](?:之{_CN_ORD}+)?"
                rf"(?:\s*第\s*(?:[（(]\s*(?:{_CN}+|{_D}+)\s*[）)]|{_CN}+|{_D}+)\s*[条款项章节](?:之{_CN_ORD}+)?)*"),
    # Service hotlines (123xx, or digits a few characters before 热线) name a line, not a
    # count; so does a house number ("翔宇南道 1 号").
    ("line", rf"(?:123{_D}{{2}}|{_D}{{3,6}}(?=[\u4e00-\u9fff]{{0,8}}?(?:热线|专线|平台)))(?!{_D})"
               rf"(?!\s*(?:[余多万]|{_DIGIT_UNIT}))|{_D}+\s*号"),
    # The last branch is a list marker ("1." "2、" "一、") at paragraph start or after 。；：
    ("ordinal", rf"第\s*(?:{_CN}+|{_D}+)|{_CN_ORD}{{1,3}}是|[（(]\s*(?:{_CN_ORD}{{1,3}}|{_D}{{1,2}})\s*[）)]|[①-⑳]"
                rf"|(?<![^\n。；;：:])[ \t\u3000]*(?:{_D}{{1,2}}|{_CN_ORD}{{1,3}})[ \t]*[.．、](?!{_D})"),
    ("cnpct", rf"百分之(?:{_CN}+(?:点[零〇○一二三四五六七八九]+)?|{_NUM})"),
    # 余/多 belong to the figure only before a unit or right after a magnitude ("1万余").
    ("fig", rf"(?P<dnum>{_NUM})(?:\s?(?P<dmag>[万亿千]))?(?:\s*[余多](?=\s*(?:{_DIGIT_UNIT}))|(?<=[万亿千])[余多])?"
            rf"(?:\s{{0,3}}(?P<dunit>{_DIGIT_UNIT}))?"),
    ("cnfig", rf"(?<![{_NOT_BEFORE_CN}])(?P<cn>{_CN}+)(?:\s?[余多])?\s?(?P<cnunit>{_CN_UNIT})"),
]
# The leading look-ahead lets the scanner skip ordinary prose one test per character.
_TRIGGER = rf"[0-9０-９A-Za-z{_CN_CHARS}第国主跑（(〔\[［【①-⑳ \t\u3000]"
_PATTERN = re.compile(rf"(?={_TRIGGER})(?:" + "|".join(f"(?P<{n}>{b})" for n, b in _ALTERNATIVES) + ")")

_KINDS = {"code": NumberKind.identifier, "line": NumberKind.identifier, "doc": NumberKind.doc_number,
          "year": NumberKind.year, "date": NumberKind.date, "article": NumberKind.article,
          "ordinal": NumberKind.ordinal}
_FIRST_NUMBER = re.compile(rf"{_D}+|{_CN}+")
_LAST_DIGITS = re.compile(rf"({_D}+)\s*号$")
_LABEL_BEFORE = re.compile(r"(?:电话|传真|邮编|邮政编码|手机|热线|邮箱|QQ|编号|代码|号码)[：:]?\s*$")
_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.", ",，")
_MAG = {"万": 10**4, "亿": 10**8, "千": 10**3}


def _normal(d: Decimal) -> Number:
    return int(d) if d == d.to_integral_value() else float(d)


def _digits(raw: str) -> Decimal:
    return Decimal(raw.translate(_TO_ASCII))


def _ordinal_value(raw: str) -> int | None:
    """The first number in an ordinal or article reference: 第二十条第（一）项 -> 20."""
    m = _FIRST_NUMBER.search(raw)
    if not m:
        return ord(raw) - ord("①") + 1  # only the circled numbers carry no digit
    s = m.group()
    return chinese_to_number(s) if s[0] in _CN_CHARS else int(s.translate(_TO_ASCII))


def _unit_of(unit: str | None, mag: str | None) -> str | None:
    """Money keeps 万元/亿元 and a lone magnitude is the unit; counts keep their own unit."""
    if unit in ("%", "％"):
        return "%"
    if mag and unit in (None, "元"):
        return mag + (unit or "")
    return unit


def _year_value(raw: str) -> int:
    head = raw.rstrip("年度 \t\u3000\n")
    if head[0] in _ALL_DIGITS:
        return int("".join(str(_ALL_DIGITS[c]) for c in head))
    return int(head.translate(_TO_ASCII))


def _cn_decimal(s: str) -> Decimal | None:
    whole, _, frac = s.partition("点")
    n = chinese_to_number(whole)
    if n is None:
        return None
    return Decimal(f"{n}.{''.join(str(_ALL_DIGITS[c]) for c in frac)}") if frac else Decimal(n)


def read_numbers(text: str) -> list[NumberMention]:
    """Every number in a paragraph, in order, with offsets into ``text``."""
    out: list[NumberMention] = []
    for m in _PATTERN.finditer(text):
        name = m.lastgroup
        if name == "skip":
            continue
        start, end = m.span()
        raw = m.group()
        value: Number | None = None
        unit = None
        kind = _KINDS.get(name or "", NumberKind.figure)
        if name == "ordinal":
            stripped = raw.lstrip(" \t\u3000")
            start += len(raw) - len(stripped)
            raw = stripped
            value = _ordinal_value(raw)
        elif name == "year":
            value = _year_value(raw)
        elif name == "doc":
            digits = _LAST_DIGITS.search(raw)
            assert digits is not None  # the pattern for a document number ends in its digits
            value = int(digits.group(1).translate(_TO_ASCII))
        elif name == "article":
            value = _ordinal_value(raw)
        elif name == "cnpct":
            body = raw[3:]
            d = _cn_decimal(body) if body[0] in _CN_CHARS else _digits(body)
            if d is None:
                continue
            value, unit, kind = _normal(d), "%", NumberKind.percent
        elif name == "fig":
            mag, unit = m.group("dmag"), m.group("dunit")
            d = _digits(m.group("dnum")) * _MAG.get(mag, 1)
            value, unit = _normal(d), _unit_of(unit, mag)
            if unit == "%":
                kind = NumberKind.percent
            elif unit is None and _LABEL_BEFORE.search(text, max(0, start - 8), start):
                # Post codes and plain phone numbers are bare digits; only their label tells.
                value, kind = None, NumberKind.identifier
        elif name == "cnfig":
            cn, unit = m.group("cn"), m.group("cnunit")
            n = chinese_to_number(cn)
            if n is None:
                continue  # "十四五期间"-like fragments are words, not figures
            mag = cn[-1] if cn[-1] in "万亿" else None
            if unit[0] in "万亿":
                mag, n, unit = unit[0], n * _MAG[unit[0]], unit[1:] or None
            value, unit = n, _unit_of(unit, mag)
        out.append(NumberMention(raw=raw, value=value, unit=unit, kind=kind, start=start, end=end))
    return out


# --- single figures and table cells -----------------------------------------

_SINGLE = re.compile(rf"(?P<sign>[-+−－＋])?\s*(?:(?P<num>{_NUM})\s*(?P<mag>[万亿千])?|(?P<cn>{_CN}+))"
                     rf"\s*[余多]?\s*(?P<unit>{_DIGIT_UNIT})?")
_DASH = re.compile(r"[-－—–─―‐‑‒−﹣ー]+|一")
_SLASHES = {"/", "／", "\\", "＼"}
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")


def parse_number(raw: str) -> tuple[Number, str | None] | None:
    """A single figure written alone, as in a table cell; None if it is not one."""
    m = _SINGLE.fullmatch(raw.strip())
    if not m:
        return None
    unit, mag = m.group("unit"), m.group("mag")
    if m.group("cn"):
        cn = m.group("cn")
        n = chinese_to_number(cn)
        if n is None:
            return None
        d, mag = Decimal(n), cn[-1] if cn[-1] in "万亿" else None
    else:
        d = _digits(m.group("num")) * _MAG.get(mag, 1)
    if m.group("sign") in ("-", "−", "－"):
        d = -d
    return _normal(d), _unit_of(unit, mag)


def read_cell(raw: str) -> tuple[CellState, Number | None, str | None]:
    """Classify a table cell's text: (state, value, unit)."""
    text = raw.replace("&nbsp;", " ").translate(_INVISIBLE).strip()
    if not text:
        return CellState.blank, None, None
    if text in _SLASHES:
        return CellState.slash, None, None
    if _DASH.fullmatch(text):
        return CellState.dash, None, None
    parsed = parse_number(text)
    if parsed is None:
        return CellState.text, None, None
    return CellState.number, parsed[0], parsed[1]
