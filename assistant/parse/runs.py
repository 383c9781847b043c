"""Cells run together: which splits of a digit run the table's own identities allow.

Web pages saved by crawlers, and text copied out of some PDFs, lose the
borders between cells: "一、本年新收政府信息公开申请数量801000081" holds the
seven cells 80 / 1 / 0 / 0 / 0 / 0 / 81. A split is only ever returned when
it is the one split that fits; anything else is reported as unreadable.

What a split may do:
- a multi-digit number never starts with 0 ("01" is two cells, 0 and 1);
- a cell may be blank: an empty cell leaves nothing in the run, so a split
  may put a blank anywhere (this keeps "35 … 35" with blanks between from
  being read as 3 / 5 / …);
- "/" and "—" are cells of their own; "-" right before digits may also be a
  minus sign where the column allows negative figures;
- whitespace inside a run is a border between two cells.

Identities are the table's own: a group of cells whose last is the sum of the
others (table 三's 总计 column, each group of table 四), and equations between
rows of one table, column by column (一 + 二 = （七） + 四; （七） = the results).
Blank cells count as 0 in them, as the checker counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable, Optional, Sequence

BLANK = ""  # a blank cell in a split
DASHES = "—–－-"
SLASHES = "/／"
MAX_DIGITS = 12  # no count or amount in these tables has more digits
LIMIT = 64  # candidates kept per row; more than this is "too many to tell apart"

UNITS = ("亿元", "万元", "万", "元")  # a unit written right after a figure stays with it: "4328.6万元"
_ATOM = re.compile(r"\d|[.．]|[/／]|—+|[–－-]|亿元|万元|万|元|\s+")

Split = tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Cells ``start .. end-1`` of a row: the last is the sum of the others."""

    start: int
    end: int

    @property
    def total(self) -> int:
        return self.end - 1


def atoms(text: str) -> list[str]:
    """The run as atoms: single digits, ".", "/", "—", "-", and " " for a border between cells."""
    out: list[str] = []
    for m in _ATOM.finditer(text):
        a = m.group()
        if a.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        elif a[0] == "—":
            out.append("—")
        elif a == "．":
            out.append(".")
        elif a in SLASHES:
            out.append("/")
        elif a in "–－-":
            out.append("-")
        else:
            out.append(a)  # a digit or a unit
    while out and out[-1] == " ":
        out.pop()
    return out


def value_of(cell: str):
    """The figure a split cell stands for; blank and marks count 0 in identities, as the checker counts them."""
    if cell in (BLANK, "/", "—", "-"):
        return 0
    for unit in UNITS:
        if cell.endswith(unit):
            cell = cell[: -len(unit)]
            break
    try:
        d = Decimal(cell)
    except InvalidOperation:
        return 0
    return int(d) if "." not in cell else d


def _numbers_at(items: Sequence[str], pos: int, negative: bool) -> Iterable[tuple[str, int]]:
    """Every number that can start at ``pos``, as (its text, the position after it)."""
    n = len(items)
    sign = ""
    if negative and items[pos] == "-" and pos + 1 < n and items[pos + 1].isdigit():
        sign, pos = "-", pos + 1
    if not items[pos].isdigit():
        return
    digits, end = "", pos
    while end < n and items[end].isdigit() and len(digits) < MAX_DIGITS:
        digits += items[end]
        end += 1
        if len(digits) > 1 and digits[0] == "0":
            return  # "01" is never a number
        yield from _with_unit(items, sign + digits, end)
        # a decimal point belongs to the number before it: "5949.088667"
        if end + 1 < n and items[end] == "." and items[end + 1].isdigit():
            frac, k = "", end + 1
            while k < n and items[k].isdigit() and len(frac) < MAX_DIGITS:
                frac += items[k]
                k += 1
                yield from _with_unit(items, f"{sign}{digits}.{frac}", k)


def _with_unit(items: Sequence[str], number: str, end: int) -> Iterable[tuple[str, int]]:
    """The number, taking the unit written right after it if there is one."""
    if end < len(items) and items[end] in UNITS:
        yield number + items[end], end + 1
    else:
        yield number, end


def splits(text: str, width: int, groups: Sequence[Group] = (), negative: Sequence[int] = (),
           limit: int = LIMIT, blanks: bool = True) -> list[Split]:
    """Every way ``text`` fills ``width`` cells that satisfies ``groups``; at most ``limit`` + 1 of them.

    ``negative`` lists the cells that may hold a negative figure. The result
    is empty when nothing fits; more than ``limit`` splits means "too many".
    """
    items = atoms(text)
    in_group = {i: g for g in groups for i in range(g.start, g.end)}
    neg = set(negative)
    memo: dict[tuple, list[Split]] = {}

    def walk(pos: int, cell: int, acc) -> list[Split]:
        if pos < len(items) and items[pos] == " ":
            pos += 1  # a border: the cell before it has ended
        key = (pos, cell, acc)
        if key in memo:
            return memo[key]
        out: list[Split] = []
        if cell == width:
            if pos == len(items):
                out.append(())
            memo[key] = out
            return out
        options: list[tuple[str, int]] = [(BLANK, pos)] if blanks else []
        if pos < len(items):
            a = items[pos]
            if a in ("/", "—", "-"):
                options.append(("/" if a == "/" else "—", pos + 1))
            if a.isdigit() or (a == "-" and cell in neg):
                options.extend(_numbers_at(items, pos, cell in neg))
        g = in_group.get(cell)
        for cell_text, nxt in options:
            v = value_of(cell_text)
            if g is None:
                next_acc = 0
            elif cell == g.total:
                if v != acc:
                    continue
                next_acc = 0
            else:
                next_acc = acc + v
            for rest in walk(nxt, cell + 1, next_acc):
                out.append((cell_text,) + rest)
                if len(out) > limit:
                    break
            if len(out) > limit:
                break
        memo[key] = out
        return out

    return walk(0, 0, 0)[: limit + 1]


def unique_split(text: str, width: int, groups: Sequence[Group] = (), negative: Sequence[int] = ()) -> Optional[Split]:
    """The split when exactly one fits, else None."""
    found = splits(text, width, groups, negative, limit=1)
    return found[0] if len(found) == 1 else None


# ---- several rows of one table, tied by equations between rows ---------------


@dataclass
class RowCandidates:
    """What one row may hold: a fixed row (read cell by cell) or the splits its run allows."""

    label: str
    options: list[Split]  # one option for a fixed row
    fixed: bool = False
    too_many: bool = False  # more splits than LIMIT: nothing can be said
    plain: bool = False  # only one split even without any identity


@dataclass
class Equation:
    """Column by column: the sum of rows ``left`` equals the sum of rows ``right``."""

    left: list[str]
    right: list[str]
    name: str = ""


@dataclass
class Solution:
    chosen: dict[str, Split] = field(default_factory=dict)  # rows whose split every solution agrees on
    options: dict[str, list[Split]] = field(default_factory=dict)  # the other rows: every split some solution uses
    consistent: bool = True  # False when no choice satisfies every equation
    exhausted: bool = False  # True when there were too many choices to go through


def _holds(eq: Equation, rows: dict[str, Split], width: int) -> bool:
    for c in range(width):
        if sum(value_of(rows[r][c]) for r in eq.left) != sum(value_of(rows[r][c]) for r in eq.right):
            return False
    return True


def solve(rows: list[RowCandidates], equations: list[Equation], width: int, max_solutions: int = 64,
          max_steps: int = 50000) -> Solution:
    """Choose one split per row so that every equation holds; keep what all choices agree on.

    Rows with too many splits, or none, take no part: equations that involve
    them are not used. A row is chosen only when every solution gives it the
    same split, so a split is returned only when the equations leave one.
    """
    usable = [r for r in rows if r.options and not r.too_many]
    by_label = {r.label: r for r in usable}
    eqs = [e for e in equations if all(x in by_label for x in e.left + e.right)]
    order = sorted(usable, key=lambda r: len(r.options))
    position = {r.label: i for i, r in enumerate(order)}
    due: dict[int, list[Equation]] = {}
    for e in eqs:
        due.setdefault(max(position[m] for m in e.left + e.right), []).append(e)
    solutions: list[dict[str, Split]] = []
    current: dict[str, Split] = {}
    steps = 0
    out = Solution()

    def search(i: int) -> None:
        nonlocal steps
        if out.exhausted:
            return
        if i == len(order):
            solutions.append(dict(current))
            if len(solutions) > max_solutions:
                out.exhausted = True
            return
        row = order[i]
        for option in row.options:
            steps += 1
            if steps > max_steps:
                out.exhausted = True
                return
            current[row.label] = option
            if all(_holds(e, current, width) for e in due.get(i, [])):
                search(i + 1)
            del current[row.label]
            if out.exhausted:
                return

    search(0)
    if out.exhausted:
        for r in usable:
            if len(r.options) == 1:
                out.chosen[r.label] = r.options[0]
        return out
    if not solutions:
        out.consistent = False
        for r in usable:
            if r.fixed or (r.plain and len(r.options) == 1):
                out.chosen[r.label] = r.options[0]
        return out
    for r in usable:
        seen: list[Split] = []
        for sol in solutions:
            if sol[r.label] not in seen:
                seen.append(sol[r.label])
        if len(seen) == 1:
            out.chosen[r.label] = seen[0]
        else:
            out.options[r.label] = seen
    return out
