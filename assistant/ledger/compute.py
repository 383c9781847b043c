"""Tables 三 and 四 of a year, counted from the register's rows.

For the year Y and every applicant column:

- 一 本年新收: received in Y;
- 二 上年结转: received before Y and not answered before 1 January of Y;
- 三 results: answered in Y (among 一 and 二), by outcome;
- 四 结转: not answered by 31 December of Y.

Every row of 一 and 二 is either answered in Y or not, so 一 + 二 =
（七）总计 + 四 holds by construction. A row that matters for Y and cannot be
placed (no readable date, an unknown applicant type or outcome, a result
with no answer date) stops the computation: it is listed, nothing is
guessed. Every cell keeps the register rows it counts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Optional

from ..model import Edition, editions
from .dates import Calendar
from .errors import LedgerError
from .records import Application, Case, Register, RowRef
from .vocabulary import PENDING, VALUE_FIELDS, Vocabulary

if TYPE_CHECKING:  # the narrative figures are computed from a LedgerResult
    from .narrative import Narrative

BLOCKING_FIELDS = ("applicant", "outcome", "case_kind", "case_result")


@dataclass
class Blocker:
    """A reason the tables cannot be counted, with the rows it concerns."""

    code: str
    message: str
    rows: list[RowRef] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "rows": [r.to_dict() for r in self.rows]}


@dataclass
class Unmapped:
    """A value written in the register that the vocabulary does not know."""

    field: str  # applicant / outcome / channel / case_kind / case_result
    value: str
    rows: list[RowRef] = dataclasses.field(default_factory=list)  # ``field`` names the attribute here

    @property
    def blocking(self) -> bool:
        return self.field in BLOCKING_FIELDS

    @property
    def field_name(self) -> str:
        return VALUE_FIELDS[self.field]

    def to_dict(self) -> dict:
        return {"field": self.field, "field_name": self.field_name, "value": self.value,
                "blocking": self.blocking, "count": len(self.rows), "rows": [r.to_dict() for r in self.rows]}


Grid = dict[str, dict[str, list[RowRef]]]  # row label -> column label -> rows counted


@dataclass
class LedgerResult:
    register: Register
    year: int
    edition: Edition
    calendar: Calendar
    table3: Optional[Grid] = None  # None when blocked
    table4: Optional[Grid] = None  # None when blocked or when there is no case list
    blockers: list[Blocker] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    before_year: list[RowRef] = field(default_factory=list)  # answered before 1 January
    after_year: list[RowRef] = field(default_factory=list)  # received after 31 December
    cases_outside: list[RowRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Chinese: what was assumed or is not known
    counted: list[Application] = field(default_factory=list)  # the rows of 一 and 二
    narrative: Optional[Narrative] = None  # set by run.compute_register

    @property
    def blocked(self) -> bool:
        return bool(self.blockers) or any(u.blocking for u in self.unmapped)

    # ------------------------------------------------------------- reading

    def value3(self, row: str, col: str) -> int:
        return len(self.rows3(row, col))

    def rows3(self, row: str, col: str) -> list[RowRef]:
        """The register rows behind a cell of table 三 (totals included)."""
        assert self.table3 is not None
        decl = self.edition.table3
        rows = [row] if row != decl.row("total").label else [r.label for r in decl.rows if r.result]
        cols = [col] if col != decl.total_column else decl.applicant_columns
        out: list[RowRef] = []
        for r in rows:
            for c in cols:
                out.extend(self.table3[r][c])
        return out

    def value4(self, group: str, col: str) -> int:
        return len(self.rows4(group, col))

    def rows4(self, group: str, col: str) -> list[RowRef]:
        assert self.table4 is not None
        decl = self.edition.table4
        cols = [col] if col != decl.total_column else [c for c in decl.columns if c != decl.total_column]
        return [ref for c in cols for ref in self.table4[group][c]]

    def table3_values(self) -> dict[str, list[int]]:
        decl = self.edition.table3
        return {r.label: [self.value3(r.label, c) for c in decl.columns] for r in decl.rows}

    def table4_values(self) -> Optional[dict[str, list[int]]]:
        if self.table4 is None:
            return None
        decl = self.edition.table4
        return {g: [self.value4(g, c) for c in decl.columns] for g in decl.groups}


def result_row(key: str, edition: Edition) -> Optional[str]:
    """The edition's result row for an outcome key; a sub-row an edition lacks goes to its group's row."""
    decl = edition.table3
    for r in decl.rows:
        if r.key == key and r.result:
            return r.label
    for ed in editions().values():
        for r in ed.table3.rows:
            if r.key == key and r.group:
                group_key = ed.table3.group_keys.get(r.group)
                for mine in decl.rows:
                    if mine.key == group_key and mine.result:
                        return mine.label
    return None


class _Collector:
    def __init__(self) -> None:
        self.blockers: dict[tuple[str, str], Blocker] = {}
        self.unmapped: dict[tuple[str, str], Unmapped] = {}

    def block(self, code: str, message: str, ref: RowRef) -> None:
        self.blockers.setdefault((code, message), Blocker(code, message)).rows.append(ref)

    def unknown(self, field_name: str, raw: str, ref: RowRef) -> None:
        self.unmapped.setdefault((field_name, raw), Unmapped(field_name, raw)).rows.append(ref)


def compute(register: Register, year: int, edition: Edition, vocab: Vocabulary,
            calendar: Optional[Calendar] = None) -> LedgerResult:
    result = LedgerResult(register, year, edition, calendar or Calendar())
    col = _Collector()
    start, end = date(year, 1, 1), date(year, 12, 31)
    decl = edition.table3
    grid: Grid = {r.label: {c: [] for c in decl.applicant_columns} for r in decl.rows if r.key != "total"}
    new_label, in_label, out_label = decl.row("new").label, decl.row("carried_in").label, decl.row("carried_out").label

    for a in register.applications:
        if a.received is None:
            if any(p.startswith("收到申请日期") for p in a.problems):
                for p in a.problems:
                    col.block("bad_date", p, a.ref)
            else:
                col.block("no_received", "没有收到申请日期，无法判断属于哪一年度", a.ref)
            continue
        if a.received > end:
            result.after_year.append(a.ref)
            continue
        if a.answered is not None and a.answered < start:
            result.before_year.append(a.ref)
            continue
        if a.problems:
            for p in a.problems:
                col.block("bad_value", p, a.ref)
            continue
        if a.answered is not None and a.answered < a.received:
            col.block("answer_before_receipt", "答复日期早于收到申请日期", a.ref)
            continue
        applicant = a.applicant.key
        if a.applicant.blank:
            col.block("no_applicant", "没有申请人类型", a.ref)
        elif applicant is None:
            col.unknown("applicant", a.applicant.raw, a.ref)
        elif applicant not in decl.applicant_columns:
            col.block("bad_applicant", f"申请人类型“{a.applicant.raw}”对应的“{applicant}”不是表三的列", a.ref)
            applicant = None

        key = a.outcome.key
        if a.withdrawn and a.outcome.blank:
            key = vocab.withdrawn_outcome
        elif a.withdrawn and key not in (None, PENDING, vocab.withdrawn_outcome):
            col.block("conflict", f"标明已撤回，但办理结果为“{a.outcome.raw}”", a.ref)
            continue
        if a.partly and key != PENDING:
            key = "partly"  # the format: 区分处理的，只计这一情形，whatever else the row says

        answered = a.answered is not None and a.answered <= end
        row_label = None
        if answered:
            if key is None and a.outcome.blank:
                col.block("no_outcome", "已有答复日期，但没有办理结果", a.ref)
            elif key is None:
                col.unknown("outcome", a.outcome.raw, a.ref)
            elif key == PENDING:
                col.block("conflict", f"已有答复日期，但办理结果为“{a.outcome.raw}”", a.ref)
            else:
                row_label = result_row(key, edition)
                if row_label is None:
                    col.block("bad_outcome", f"办理结果“{a.outcome.raw}”在{edition.id}版表三中没有对应的行", a.ref)
        else:
            row_label = out_label
            if a.answered is None and key not in (None, PENDING):
                col.block("no_answer_date", f"办理结果为“{a.outcome.raw}”，但没有答复日期，无法判断是否在本年度办结", a.ref)
                row_label = None
            elif a.answered is None and key is None and not a.outcome.blank:
                col.unknown("outcome", a.outcome.raw, a.ref)
                row_label = None
        if applicant is None or row_label is None:
            continue
        level = new_label if a.received >= start else in_label
        grid[level][applicant].append(a.ref)
        grid[row_label][applicant].append(a.ref)
        result.counted.append(a)

    for a in register.applications:
        if a.received is not None and start <= a.received <= end and a.channel.key is None and not a.channel.blank:
            col.unknown("channel", a.channel.raw, a.ref)

    if not result.counted and not col.blockers and not col.unmapped:
        dates = [a.received for a in register.applications if a.received is not None]
        span = f"台账中的收到日期在{min(dates).isoformat()}至{max(dates).isoformat()}之间" if dates else "台账中没有可读的收到日期"
        if dates and min(dates) < start and max(dates) > end:
            # The register runs through the whole year and records nothing in it: that is a finding, not a guess.
            result.notes.append(f"台账记录了{year}年前后的申请（{span}），但没有{year}年度的申请，表三全部为0")
        else:
            raise LedgerError(f"台账中没有与{year}年度有关的申请（{year}年收到的，或此前收到、{year}年1月1日仍未答复的）：{span}。"
                              f"请检查 --year 是否正确")

    if register.has_cases:
        result.table4 = _table4(register.cases, year, edition, col, result)
    else:
        result.notes.append("没有找到行政复议、行政诉讼案件清单，表四未计算（可在台账中加一个案件工作表，或用 --cases 提供）")

    result.blockers = list(col.blockers.values())
    result.unmapped = sorted(col.unmapped.values(), key=lambda u: (u.field, -len(u.rows), u.value))
    if not result.blocked:
        result.table3 = grid
    else:
        result.table4 = None
    if result.before_year or result.after_year:
        result.notes.append(f"台账中有{len(result.before_year)}行在{year}年以前已答复、{len(result.after_year)}行在{year}年以后收到，"
                            f"不属于{year}年度，未计入")
    return result


def _table4(cases: list[Case], year: int, edition: Edition, col: _Collector, result: LedgerResult) -> Grid:
    decl = edition.table4
    grid: Grid = {g: {c: [] for c in decl.columns if c != decl.total_column} for g in decl.groups}
    start, end = date(year, 1, 1), date(year, 12, 31)
    has_dates = "case_date" in result.register.case_columns or any(c.date is not None for c in cases)
    blank_results = 0
    for c in cases:
        if c.problems:
            for p in c.problems:
                col.block("bad_case_value", p, c.ref)
            continue
        if has_dates:
            if c.date is None:
                col.block("no_case_date", "案件没有收案日期，无法判断属于哪一年度", c.ref)
                continue
            if not start <= c.date <= end:
                result.cases_outside.append(c.ref)
                continue
        kind = c.kind.key
        if c.kind.blank:
            col.block("no_case_kind", "案件没有类型（行政复议或行政诉讼）", c.ref)
            continue
        if kind is None:
            col.unknown("case_kind", c.kind.raw, c.ref)
            continue
        if kind == "suit":
            if c.reviewed_first is None:
                col.block("no_review_flag", "行政诉讼案件没有写明是否经过复议，无法区分直接起诉和复议后起诉", c.ref)
                continue
            kind = "suit_after_review" if c.reviewed_first else "direct_suit"
        group = decl.group(kind)
        if group is None:
            col.block("bad_case_kind", f"案件类型“{c.kind.raw}”在表四中没有对应的行", c.ref)
            continue
        res = c.result.key
        if c.concluded is False or (c.concluded_date is not None and c.concluded_date > end):
            res = "pending"
        elif res is None and c.result.blank:
            if c.concluded:
                col.block("no_case_result", "已审结但没有结果", c.ref)
                continue
            res = "pending"
            blank_results += 1
        elif res is None:
            col.unknown("case_result", c.result.raw, c.ref)
            continue
        elif res == "pending" and c.concluded:
            col.block("conflict", f"标明已审结，但结果为“{c.result.raw}”", c.ref)
            continue
        column = decl.column(res)
        if column is None:
            col.block("bad_case_result", f"案件结果“{c.result.raw}”在表四中没有对应的列", c.ref)
            continue
        grid[group][column].append(c.ref)
    if blank_results:
        result.notes.append(f"案件清单中有{blank_results}件没有写结果，按“尚未审结”计入表四")
    if not has_dates:
        result.notes.append("案件清单没有收案日期列，清单中的全部案件都计入本年度表四")
    elif result.cases_outside:
        result.notes.append(f"案件清单中有{len(result.cases_outside)}件的收案日期不在{year}年，未计入表四")
    return grid
