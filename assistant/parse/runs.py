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
from functools import lru_cache
from typing import Iterable, Optional, Sequence, Union

BLANK = ""  # a blank cell in a split
DASHES = "—–－-"
SLASHES = "/／"
MAX_DIGITS = 12  # no count or amount in these tables has more digits
LIMIT = 64  # candidates kept per row; more than this is "too many to tell apart"

UNITS = ("亿元", "万元", "万", "元")  # a unit written right after a figure stays with it: "4328.6万元"
_ATOM = re.compile(r"\d|[.．]|[/／]|—+|[–－-]|亿元|万元|万|元|\s+")

Split = tuple[str, ...]
Figure = Union[int, Decimal]  # what a split cell stands for in the identities
Vector = tuple[Figure, ...]  # a row's figures, column by column


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


@lru_cache(maxsize=4096)
def value_of(cell: str) -> Figure:
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
    Tables repeat the same runs ("0000000") many times, so answers are kept.
    """
    return list(_splits(text, width, tuple(groups), tuple(negative), limit, blanks))


@lru_cache(maxsize=2048)
def _splits(text: str, width: int, groups: tuple[Group, ...], negative: tuple[int, ...], limit: int,
            blanks: bool) -> tuple[Split, ...]:
    """``splits``, worked out.

    Splits are counted first and written out only along paths that lead to
    one. For a group, its total is chosen first (where it stands and what it
    is); the cells before it must then fill exactly the digits up to it and
    never add up past it, which keeps the search small.
    """
    items = atoms(text)
    n = len(items)
    starts = {g.start: g for g in groups}
    neg = set(negative)
    cap = limit + 1
    options_memo: dict[tuple[int, bool], list[tuple[str, int, Figure]]] = {}

    def skip(pos: int) -> int:
        return pos + 1 if pos < n and items[pos] == " " else pos  # a border ends the cell before it

    def options(pos: int, negative_ok: bool) -> list[tuple[str, int, Figure]]:
        """(text, next position, value) of each way one cell can start at ``pos``, a blank first."""
        key_ = (pos, negative_ok)
        found = options_memo.get(key_)
        if found is None:
            found = [(BLANK, pos, 0)] if blanks else []
            if pos < n:
                a = items[pos]
                if a in ("/", "—", "-"):
                    found.append(("/" if a == "/" else "—", pos + 1, 0))
                if a.isdigit() or (a == "-" and negative_ok):
                    found.extend((t, e, value_of(t)) for t, e in _numbers_at(items, pos, negative_ok))
            options_memo[key_] = found
        return found

    def totals(pos: int, g: Group) -> list[tuple[str, Optional[int], int, Figure]]:
        """Where a group's total may stand and what it may be: (text, its first atom or None, next, value)."""
        out: list[tuple[str, Optional[int], int, Figure]] = []
        for q in range(pos, n):
            if items[q] == " ":
                continue
            for t, e, v in options(q, g.total in neg):
                if t != BLANK:
                    out.append((t, q, e, v))
        if blanks:
            out.append((BLANK, None, pos, 0))
        return out

    # Digits (and decimal points) before each position, for a lower bound on what parts add up to.
    digits_before = [0]
    points_before = [0]
    for a in items:
        digits_before.append(digits_before[-1] + a.isdigit())
        points_before.append(points_before[-1] + (a == "."))
    signed = bool(neg)

    concatenated: dict[tuple[int, int], int] = {}

    def too_big(pos: int, q: int, cells_left: int, room: Figure) -> bool:
        """Whether the digits between ``pos`` and ``q`` cannot be cut into ``cells_left`` numbers adding
        up to exactly ``room``. Too much: some number gets at least ceil(digits / cells) digits, and a
        number of d digits (no leading zero) is at least 10^(d-1). Too little: pieces never add up to
        more than the digits read as one number."""
        if signed or points_before[q] != points_before[pos]:
            return False
        digits = digits_before[q] - digits_before[pos]
        if digits == 0:
            return room != 0
        if cells_left == 0:
            return True
        longest = -(-digits // cells_left)
        if longest > 1 and 10 ** (longest - 1) > room:
            return True
        whole = concatenated.get((pos, q))
        if whole is None:
            whole = int("".join(a for a in items[pos:q] if a.isdigit()))
            concatenated[(pos, q)] = whole
        return whole < room

    counts: dict[tuple[int, int], int] = {}

    def count(pos: int, cell: int) -> int:
        pos = skip(pos)
        key_ = (pos, cell)
        got = counts.get(key_)
        if got is not None:
            return got
        if cell == width:
            total = 1 if pos == n else 0
        elif cell in starts:
            g = starts[cell]
            total = 0
            for _, q, end, value in totals(pos, g):
                if q is not None and too_big(pos, q, g.total - cell, value):
                    continue
                total += parts(pos, cell, 0, g, value, q, end)
                if total >= cap:
                    total = cap
                    break
        else:
            total = 0
            for _, nxt, _ in options(pos, cell in neg):
                total += count(nxt, cell + 1)
                if total >= cap:
                    total = cap
                    break
        counts[key_] = total
        return total

    part_counts: dict[tuple[int, int, Figure, int, Figure, Optional[int], int], int] = {}

    def parts(pos: int, cell: int, acc: Figure, g: Group, target: Figure, q: Optional[int], end: int) -> int:
        """Ways to fill the group's cells from ``cell`` up to its total, then go on past the total."""
        pos = skip(pos)
        if cell == g.total:
            if q is None:  # a blank total: the parts must come to nothing either
                return count(pos, cell + 1) if acc == 0 else 0
            return count(end, cell + 1) if pos == q and acc == target else 0
        key_ = (pos, cell, acc, g.start, target, q, end)
        got = part_counts.get(key_)
        if got is not None:
            return got
        if q is not None and too_big(pos, q, g.total - cell, target - acc):
            part_counts[key_] = 0
            return 0
        total = 0
        for _, nxt, v in options(pos, cell in neg):
            if acc + v > target or (q is not None and nxt > q):
                continue
            total += parts(nxt, cell + 1, acc + v, g, target, q, end)
            if total >= cap:
                total = cap
                break
        part_counts[key_] = total
        return total

    def write(pos: int, cell: int, want: int) -> list[Split]:
        pos = skip(pos)
        if cell == width:
            return [()]
        out: list[Split] = []
        if cell in starts:
            g = starts[cell]
            for t, q, end, value in totals(pos, g):
                if parts(pos, cell, 0, g, value, q, end):
                    out.extend(write_parts(pos, cell, 0, g, value, q, end, t, want - len(out)))
                    if len(out) >= want:
                        break
            return out[:want]
        for t, nxt, _ in options(pos, cell in neg):
            if count(nxt, cell + 1):
                out.extend((t,) + rest for rest in write(nxt, cell + 1, want - len(out)))
                if len(out) >= want:
                    break
        return out[:want]

    def write_parts(pos: int, cell: int, acc: Figure, g: Group, target: Figure, q: Optional[int], end: int, total_text: str,
                    want: int) -> list[Split]:
        pos = skip(pos)
        if cell == g.total:
            after = end if q is not None else pos
            return [(total_text,) + rest for rest in write(after, cell + 1, want)]
        out: list[Split] = []
        for t, nxt, v in options(pos, cell in neg):
            if acc + v > target or (q is not None and nxt > q):
                continue
            if parts(nxt, cell + 1, acc + v, g, target, q, end):
                out.extend((t,) + rest for rest in write_parts(nxt, cell + 1, acc + v, g, target, q, end,
                                                                total_text, want - len(out)))
                if len(out) >= want:
                    break
        return out[:want]

    if not count(0, 0):
        return ()
    return tuple(write(0, 0, cap))


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


def _vector(split: Split) -> Vector:
    return tuple(value_of(x) for x in split)


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(x + y for x, y in zip(a, b))


def _sub(a: Vector, b: Vector) -> Vector:
    return tuple(x - y for x, y in zip(a, b))


def _sum_feasible(options: list[list[Split]], target: Vector, max_states: int) -> Optional[list[list[Split]]]:
    """For rows whose sum must equal ``target`` column by column: each row's options that take part
    in at least one way to reach it (forward and backward sets of partial sums, figures being
    non-negative). None when the partial sums grow past ``max_states``."""
    vectors = [[(o, _vector(o)) for o in opts] for opts in options]
    if any(x < 0 for v in vectors for _, vec in v for x in vec):
        return None  # the pruning below needs non-negative figures
    forward: list[set[Vector]] = [{tuple(0 for _ in target)}]
    for row in vectors:
        nxt = {_add(f, vec) for f in forward[-1] for _, vec in row if all(a <= t for a, t in zip(_add(f, vec), target))}
        if len(nxt) > max_states:
            return None
        forward.append(nxt)
    backward: list[set[Vector]] = [set() for _ in range(len(vectors) + 1)]
    backward[-1] = {tuple(0 for _ in target)}
    for i in range(len(vectors) - 1, -1, -1):
        backward[i] = {_add(vec, b) for b in backward[i + 1] for _, vec in vectors[i]
                       if all(a <= t for a, t in zip(_add(vec, b), target))}
        if len(backward[i]) > max_states:
            return None
    out = []
    for i, row in enumerate(vectors):
        keep = [o for o, vec in row if any(_sub(_sub(target, f), vec) in backward[i + 1] for f in forward[i])]
        out.append(keep)
    return out


def solve(rows: list[RowCandidates], equations: list[Equation], width: int, max_solutions: int = 64,
          max_steps: int = 50000) -> Solution:
    """Choose one split per row so that every equation holds; keep what all choices agree on.

    When one equation ties a single row to many (（七） = the results), the rows of the other
    equations are chosen by trying their splits together, and for each such choice the many
    rows are checked with running column sums; otherwise every combination is tried.
    """
    usable = [r for r in rows if r.options and not r.too_many]
    by_label = {r.label: r for r in usable}
    eqs = [e for e in equations if all(x in by_label for x in e.left + e.right)]
    big = max(eqs, key=lambda e: len(e.left) + len(e.right), default=None)
    if big is not None and min(len(big.left), len(big.right)) == 1 and max(len(big.left), len(big.right)) >= 3:
        return _solve_with_sum(usable, by_label, eqs, big, width, max_steps)
    return _solve_by_search(usable, eqs, width, max_solutions, max_steps)


def _solve_with_sum(usable: list[RowCandidates], by_label: dict[str, RowCandidates], eqs: list[Equation],
                    big: Equation, width: int, max_steps: int) -> Solution:
    one, many = (big.left, big.right) if len(big.left) == 1 else (big.right, big.left)
    target_row = one[0]
    others = [e for e in eqs if e is not big]
    small_labels: list[str] = [target_row]
    for e in others:
        small_labels += [x for x in e.left + e.right if x not in small_labels]
    many_free = [x for x in many if x not in small_labels]
    small = [by_label[x] for x in small_labels]
    out = Solution()
    seen_small: dict[str, list[Split]] = {x: [] for x in small_labels}
    seen_many: dict[str, list[Split]] = {x: [] for x in many_free}
    steps = 0
    current: dict[str, Split] = {}

    def visit(i: int) -> None:
        nonlocal steps
        if out.exhausted:
            return
        if i == len(small):
            if not all(_holds(e, current, width) for e in others):
                return
            fixed = _vector(current[target_row])
            for x in many:
                if x in current:
                    fixed = _sub(fixed, _vector(current[x]))
            feasible = _sum_feasible([by_label[x].options for x in many_free], fixed, 20000)
            if feasible is None:
                out.exhausted = True
                return
            if any(not f for f in feasible):
                return
            for x, opts in zip(many_free, feasible):
                seen_many[x] += [o for o in opts if o not in seen_many[x]]
            for x in small_labels:
                if current[x] not in seen_small[x]:
                    seen_small[x].append(current[x])
            return
        for option in small[i].options:
            steps += 1
            if steps > max_steps:
                out.exhausted = True
                return
            current[small[i].label] = option
            visit(i + 1)
            del current[small[i].label]

    visit(0)
    if out.exhausted or not any(seen_small.values()):
        return _undecided(out, usable)
    for label, seen in list(seen_small.items()) + list(seen_many.items()):
        if len(seen) == 1:
            out.chosen[label] = seen[0]
        else:
            out.options[label] = seen
    for r in usable:
        if r.label not in seen_small and r.label not in seen_many:
            if len(r.options) == 1:
                out.chosen[r.label] = r.options[0]
            else:
                out.options[r.label] = r.options
    return out


def _undecided(out: Solution, usable: list[RowCandidates]) -> Solution:
    """Too many choices to go through: rows with one split of their own stand. No choice satisfies
    the equations: the identities do not hold in this document, so only rows settled without
    them (read cell by cell, or one split by the digits alone) stand."""
    if not out.exhausted:
        out.consistent = False
    for r in usable:
        if len(r.options) == 1 and (out.exhausted or r.fixed or r.plain):
            out.chosen[r.label] = r.options[0]
    return out


def _solve_by_search(usable: list[RowCandidates], eqs: list[Equation], width: int, max_solutions: int,
                     max_steps: int) -> Solution:
    """Every combination of splits, equations checked as soon as their rows are chosen.

    Rows with too many splits, or none, take no part: equations that involve
    them are not used. A row is chosen only when every solution gives it the
    same split, so a split is returned only when the equations leave one.
    """
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
    if out.exhausted or not solutions:
        return _undecided(out, usable)
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


def forget() -> None:
    """Drop the splits worked out so far (benchmarks time a report as if it were the first)."""
    _splits.cache_clear()
