"""Every figure a draft may state: the facts and the declared derivations.

A figure in a draft is supported when it equals one of these. Given facts are
table cells, extra figures, numbers in the user's notes and last year's
figures; derivations are the few computations a report legitimately states
(group subtotals, sums, year-over-year changes, shares), each with the
computation written out so that a reader can see where a figure came from.
Identifiers (years, dates, document and article numbers) are listed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Optional, Union

from ..model import Cell, CellState, NumberKind, Report, get_edition
from ..model.figures import change, fmt, percent_change, round1
from ..model.figures import plain as _plain
from ..parse.numbers import read_numbers

if TYPE_CHECKING:  # facts.py builds the sheet; the sheet only reads what it is given
    from .facts import Facts

Number = Union[int, float]

COUNT, MONEY, PERCENT = "count", "money", "percent"
MONEY_FACTORS = {"元": 1, "万元": 10_000, "亿元": 100_000_000, "万": 10_000, "亿": 100_000_000}

ORG_WORD = "法人或其他组织"
# Where the tables' quantities are compared with last year's.
YOY_KEYS = (
    "t3.new", "t3.carried_in", "t3.received", "t3.total", "t3.carried_out", "t3.disclosed", "t3.partly",
    "t3.withheld", "t3.unavailable", "t3.not_processed", "t3.other",
    "t4.review.total", "t4.suit.total",
    "t2.licensing.licensing.decisions", "t2.enforcement.penalty.decisions", "t2.enforcement.coercion.decisions",
    "t2.documents.normative.issued", "t2.documents.normative.in_force", "t2.documents.rules.in_force",
)
SHARE_PARTS = ("t3.disclosed", "t3.partly", "t3.disclosed_partly", "t3.withheld", "t3.unavailable",
               "t3.not_processed", "t3.other")
SHARE_WHOLES = ("t3.total", "t3.new", "t3.received")

# Documents a report may cite, by the edition it is written in.
FEE_DOC = "〔2020〕109号"
TIAOLI_ORDER = "第711号"  # 国务院令第711号, the 2019 revision of the 条例
FIXED_DATES = ("1月1日", "12月31日", "1月31日")
ARTICLE_LIMITS = {"条": 56, "章": 6, "款": 4, "项": 15}
WELL_KNOWN_LINES = ("12345",)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # Chinese, as a person names it
    value: Number  # counts as they are; money in 元; percentages in %
    kind: str  # count / money / percent
    parts: tuple[str, ...] = ()  # the facts it is computed from; () for a given fact
    how: str = ""  # the computation with its rounding, for derivations

    @property
    def derived(self) -> bool:
        return bool(self.parts)


def _k(v: Number) -> float:
    return round(float(v), 6)


_WS = re.compile(r"\s+")
_BRACKETS = str.maketrans({"[": "〔", "［": "〔", "【": "〔", "(": "〔", "（": "〔",
                           "]": "〕", "］": "〕", "】": "〕", ")": "〕", "）": "〕"})


def normal_doc(raw: str) -> str:
    """〔2021〕30号 whatever brackets and spaces were used; 国令第711号 -> 第711号."""
    s = _WS.sub("", raw).translate(_BRACKETS)
    s = re.sub(r"^(国务院令|国令|主席令)", "", s)
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return s.replace("〕第", "〕")


def normal_date(raw: str) -> str:
    s = _WS.sub("", raw).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    s = re.sub(r"(?<!\d)0(\d)", r"\1", s)
    return s.replace("号", "日")


class FactSheet:
    def __init__(self, facts: Facts) -> None:
        self.source = facts
        self.edition = get_edition(facts.edition)
        self.year = facts.year
        self.facts: dict[str, Fact] = {}
        self._by_value: dict[tuple[str, float], list[Fact]] = {}
        self.years: set[int] = set()
        self.dates: set[str] = set(FIXED_DATES)
        self.docs: set[str] = {TIAOLI_ORDER, FEE_DOC, normal_doc(self.edition.document_number)}
        self.identifiers: set[str] = set(WELL_KNOWN_LINES)
        # Quantities of this year's tables whose cells the reader did not read for sure: no fact.
        self.unread: set[str] = set()
        if facts.year is not None:
            self.years |= {facts.year, facts.year - 1}

        self._tables(facts.tables, prefix="", label_prefix="")
        if facts.previous is not None:
            self._tables(facts.previous, prefix="prev.", label_prefix="上年")
        self._extras(facts)
        self._notes(facts)
        self._yoy()
        self._shares()
        # Longest label first, so "政务新媒体账号" wins over "政务新媒体".
        self.extra_labels = sorted(((k, f) for k, f in self.facts.items() if k.startswith("extra.") and k.count(".") == 1),
                                   key=lambda kf: -len(kf[1].label))

    # ------------------------------------------------------------ building

    def add(self, fact: Fact) -> None:
        if fact.key in self.facts:
            return
        self.facts[fact.key] = fact
        self._by_value.setdefault((fact.kind, _k(fact.value)), []).append(fact)

    def _tables(self, rep: Report, prefix: str, label_prefix: str) -> None:
        try:
            ed = get_edition(rep.edition)
        except ValueError:
            return
        lp = label_prefix
        decl = ed.table3
        total_col = decl.total_column
        orgs = decl.columns[1:-1]

        unread = self.unread if not prefix else set()

        def num(cell: Optional[Cell], table: str = "三", key: str = "") -> Optional[Number]:
            # A figure the reader did not read for sure is no fact: the guard never confirms one from it.
            if cell is not None and (table in rep.unreadable_tables or not cell.is_read):
                if key:
                    unread.add(key)
                return None
            if cell is None or cell.state is not CellState.number:
                return None
            return cell.value

        for row in decl.rows:
            cells = rep.table3.get(row.label, {})
            name = row.label if not row.group else f"{row.group}{row.label}"
            for col in decl.columns:
                key = f"{prefix}t3.{row.key}" + ("" if col == total_col else f"@{col}")
                v = num(cells.get(col), "三", key if row.key else "")
                if v is None or row.key is None:
                    continue
                self.add(Fact(key, f"{lp}表三 {name} × {col}", v, COUNT))
            org_cells = [num(cells.get(c)) for c in orgs]
            org_values = [v for v in org_cells if v is not None]
            if row.key and len(org_values) == len(org_cells):
                self.add(Fact(f"{prefix}t3.{row.key}@{ORG_WORD}", f"{lp}表三 {name} × {ORG_WORD}（合计）",
                              _plain(sum(org_values)), COUNT, parts=tuple(f"{prefix}t3.{row.key}@{c}" for c in orgs),
                              how=" + ".join(fmt(v) for v in org_values) + f" = {fmt(_plain(sum(org_values)))}"))
        for group in decl.groups:
            gkey = decl.group_keys.get(group)
            subs = decl.group_rows(group)
            if not gkey or not subs:
                continue  # 2019: （六）其他处理 is a row of its own, read above
            for col in decl.columns:
                read = [num(rep.table3.get(r.label, {}).get(col)) for r in subs]
                values = [v for v in read if v is not None]
                if len(values) != len(read):
                    continue
                key = f"{prefix}t3.{gkey}" + ("" if col == total_col else f"@{col}")
                total = _plain(sum(values))
                self.add(Fact(key, f"{lp}表三 {group}（小计）× {col}", total, COUNT,
                              parts=tuple(f"{prefix}t3.{r.key}" for r in subs),
                              how=" + ".join(fmt(v) for v in values) + f" = {fmt(total)}"))
        for group in decl.groups:
            gkey = decl.group_keys.get(group)
            if gkey and any(k.split("@")[0] in {f"{prefix}t3.{r.key}" for r in decl.group_rows(group)} for k in unread):
                unread.add(f"{prefix}t3.{gkey}")
        if unread & {f"{prefix}t3.new", f"{prefix}t3.carried_in"}:
            unread.add(f"{prefix}t3.received")
        self._sum(prefix, "t3.received", f"{lp}新收与上年结转合计", ("t3.new", "t3.carried_in"))
        self._sum(prefix, "t3.disclosed_partly", f"{lp}予以公开与部分公开合计", ("t3.disclosed", "t3.partly"))

        d4 = ed.table4
        for group in d4.groups:
            gkey = d4.group_keys.get(group)
            for col in d4.columns:
                ckey = d4.column_keys.get(col)
                v = num(rep.table4.get(group, {}).get(col), "四", f"{prefix}t4.{gkey}.{ckey}" if gkey and ckey else "")
                if v is None or not gkey or not ckey:
                    continue
                self.add(Fact(f"{prefix}t4.{gkey}.{ckey}", f"{lp}表四 {group} × {col}", v, COUNT))
        for ckey in d4.column_keys.values():
            if unread & {f"{prefix}t4.direct_suit.{ckey}", f"{prefix}t4.suit_after_review.{ckey}"}:
                unread.add(f"{prefix}t4.suit.{ckey}")
            self._sum(prefix, f"t4.suit.{ckey}", f"{lp}行政诉讼（直接起诉与复议后起诉合计）× {d4.column(ckey)}",
                      (f"t4.direct_suit.{ckey}", f"t4.suit_after_review.{ckey}"))

        for block in ed.table2:
            rows = rep.table2.get(block.caption, {})
            for label in block.rows:
                rkey = block.row_keys.get(label)
                for col in block.columns:
                    cell = rows.get(label, {}).get(col)
                    ckey = block.column_keys.get(col)
                    v = num(cell, "二", f"{prefix}t2.{block.key}.{rkey}.{ckey}" if rkey and ckey else "")
                    if v is None or cell is None or not rkey or not ckey:
                        continue
                    kind, value = table2_value(block.units.get(col), ckey, cell)
                    key = f"{prefix}t2.{block.key}.{rkey}.{ckey}"
                    self.add(Fact(key, f"{lp}表二 {block.caption} {label} × {col}", value, kind))
                    if value < 0:  # 本年增/减 −4 is written "减少4项"
                        self.add(Fact(key + ".abs", f"{lp}表二 {label} × {col}（减少数）", -value, kind,
                                      parts=(key,), how=f"|{fmt(value)}| = {fmt(-value)}"))
                if block.column("items_prior") and block.column("items_change"):
                    self._sum(prefix, f"t2.{block.key}.{rkey}.items_now", f"{lp}表二 {label} 本年项目数量",
                              (f"t2.{block.key}.{rkey}.items_prior", f"t2.{block.key}.{rkey}.items_change"))

    def _sum(self, prefix: str, key: str, label: str, parts: Iterable[str]) -> None:
        parts = tuple(prefix + p for p in parts)
        found = [self.facts.get(p) for p in parts]
        got = [f for f in found if f is not None]
        if len(got) != len(found):
            return
        total = _plain(sum(f.value for f in got))
        how = " + ".join(fmt(f.value) for f in got) + f" = {fmt(total)}"
        self.add(Fact(prefix + key, label, total, got[0].kind, parts=parts, how=how))

    def _extras(self, facts) -> None:
        for i, x in enumerate(facts.extra):
            kind = PERCENT if x.unit in ("%", "％") else MONEY if x.is_money else COUNT
            self.add(Fact(f"extra.{i}", x.label, x.base_value(), kind))
            if x.previous is not None:
                prev = x.model_copy(update={"value": x.previous}).base_value()
                self.add(Fact(f"prev.extra.{i}", f"上年{x.label}", prev, kind))
            for m in read_numbers(x.label):
                self._note_number(m, f"extra.{i}.label", x.label)

    def _notes(self, facts) -> None:
        for i, note in enumerate(facts.notes):
            for j, m in enumerate(read_numbers(note)):
                self._note_number(m, f"note.{i}.{j}", note)

    def _note_number(self, m, key: str, text: str) -> None:
        """A number the user wrote is a fact; an identifier the user wrote is allowed."""
        if m.kind is NumberKind.figure and m.value is not None:
            kind = MONEY if m.unit in MONEY_FACTORS and m.unit not in ("万", "亿") else COUNT
            self.add(Fact(key, f"工作情况“{text[:24]}”中的{m.raw}", m.value, kind))
        elif m.kind is NumberKind.percent and m.value is not None:
            self.add(Fact(key, f"工作情况“{text[:24]}”中的{m.raw}", m.value, PERCENT))
        elif m.kind is NumberKind.year and m.value is not None:
            self.years.add(int(m.value))
        elif m.kind is NumberKind.date:
            self.dates.add(normal_date(m.raw))
        elif m.kind is NumberKind.doc_number:
            self.docs.add(normal_doc(m.raw))
        elif m.kind is NumberKind.identifier:
            self.identifiers.add(_WS.sub("", m.raw))

    def _yoy(self) -> None:
        keys = list(YOY_KEYS) + [k for k in self.facts if k.startswith("extra.") and k.count(".") == 1]
        for key in keys:
            now, before = self.facts.get(key), self.facts.get("prev." + key)
            if now is None or before is None or now.kind == PERCENT:
                continue
            diff = change(now.value, before.value)
            name = now.label if key.startswith("extra.") else YOY_NAMES.get(key, now.label)
            self.add(Fact(f"yoy.{key}.diff", f"{name}较上年增减", abs(diff), now.kind, parts=(key, "prev." + key),
                          how=f"{fmt(now.value)} − {fmt(before.value)} = {fmt(diff)}"))
            pct = percent_change(now.value, before.value)
            if pct is not None:
                self.add(Fact(f"yoy.{key}.pct", f"{name}较上年增减幅度", abs(round1(pct)), PERCENT,
                              parts=(key, "prev." + key),
                              how=f"({fmt(now.value)} − {fmt(before.value)}) ÷ {fmt(before.value)} × 100% "
                                  f"= {pct:.3f}% ≈ {round1(pct)}%（保留一位小数）"))

    def _shares(self) -> None:
        pairs = [(p, w) for p in SHARE_PARTS for w in SHARE_WHOLES]
        pairs += [(f"t4.review.{c}", "t4.review.total") for c in ("upheld", "corrected", "other", "pending")]
        for part_key, whole_key in pairs:
            part, whole = self.facts.get(part_key), self.facts.get(whole_key)
            if part is None or whole is None or not whole.value or part.value > whole.value:
                continue
            pct = part.value / whole.value * 100
            self.add(Fact(f"share.{part_key}.{whole_key}",
                          f"{YOY_NAMES.get(part_key, part.label)}占{YOY_NAMES.get(whole_key, whole.label)}的比例",
                          round1(pct), PERCENT, parts=(part_key, whole_key),
                          how=f"{fmt(part.value)} ÷ {fmt(whole.value)} × 100% = {pct:.3f}% ≈ {round1(pct)}%（保留一位小数）"))

    # ------------------------------------------------------------ reading

    def get(self, key: str) -> Optional[Fact]:
        return self.facts.get(key)

    def value(self, key: str) -> Optional[Number]:
        f = self.facts.get(key)
        return None if f is None else f.value

    def matching(self, value: Number, kind: str) -> list[Fact]:
        return self._by_value.get((kind, _k(value)), [])


YOY_NAMES = {
    "t3.new": "本年新收申请", "t3.carried_in": "上年结转申请", "t3.received": "收到申请（新收与上年结转合计）",
    "t3.total": "办结申请", "t3.carried_out": "结转下年度申请", "t3.disclosed": "予以公开",
    "t3.partly": "部分公开", "t3.disclosed_partly": "予以公开和部分公开", "t3.withheld": "不予公开",
    "t3.unavailable": "无法提供", "t3.not_processed": "不予处理", "t3.other": "其他处理",
    "t4.review.total": "行政复议", "t4.suit.total": "行政诉讼",
    "t4.review.upheld": "复议结果维持", "t4.review.corrected": "复议结果纠正",
    "t4.review.other": "复议其他结果", "t4.review.pending": "复议尚未审结",
    "t2.licensing.licensing.decisions": "行政许可决定", "t2.enforcement.penalty.decisions": "行政处罚决定",
    "t2.enforcement.coercion.decisions": "行政强制决定", "t2.documents.normative.issued": "制发行政规范性文件",
    "t2.documents.normative.in_force": "现行有效行政规范性文件", "t2.documents.rules.in_force": "现行有效规章",
}


def table2_value(declared_unit: Optional[str], column_key: str, cell: Cell) -> tuple[str, Number]:
    """(kind, value) of a table-二 cell: money in 元, whatever unit it was written in."""
    money = declared_unit in MONEY_FACTORS or column_key in ("fee_amount", "procurement_amount")
    if cell.value is None:
        raise ValueError(f"not a figure: {cell.raw!r}")  # callers pass number cells only
    if not money:
        return COUNT, cell.value
    if cell.unit in MONEY_FACTORS:
        return MONEY, cell.value  # read_cell already gave 元: "4328.6万元" -> 43286000
    factor = MONEY_FACTORS.get(declared_unit or "元", 1)
    d = Decimal(repr(cell.value)) * factor
    return MONEY, int(d) if d == d.to_integral_value() else float(d)


