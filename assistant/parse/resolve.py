"""Rows whose cells were not read one by one, turned into cells that say how sure they are.

A row needs this when its figures came as a run with the cell borders lost
(crawler text, text from a PDF) or when a flattened row has fewer figures
than the table has columns, so that nobody can tell which cells were empty.
Every split the row's text allows is considered (``runs.splits``); the
table's own identities narrow them down; a cell gets a value only when every
remaining split agrees on it. Otherwise it is unreadable, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from ..model import Cell, CellState, Certainty, Source
from .layout import RawCell
from .numbers import read_cell
from .runs import LIMIT, Equation, Group, RowCandidates, Split, solve, splits

_ROW_RULE = "本行“各类申请人之和等于总计”"
_T4_RULE = "表四每类案件“四种结果之和等于总计”"
_TABLE_RULE = "本表勾稽关系（第一项加第二项等于第三项加第四项，（七）总计等于各项办理结果之和）"


@dataclass
class Pending:
    """A row to resolve: its figures as one text with borders, and where it came from."""

    label: str
    text: str
    source: Optional[Source]
    width: int
    groups: Sequence[Group] = ()
    negative: Sequence[int] = ()
    doubt: Optional[str] = None
    placed: Optional[str] = None  # figures given to this row by the order of labels and figures

    def rule(self, split: Split, alone: bool, plain: bool) -> str:
        """What made ``split`` the one: written apart, the digit count, the row's sum, or the table."""
        if tuple(self.text.split()) == split:
            return "delimited"
        if plain:
            return "plain"
        return "row" if alone else "table"

    def candidates(self) -> RowCandidates:
        """The splits to choose from. When the digits allow only one, it stands whatever the
        identities say (a document may be wrong; that is for the checker to report); otherwise
        only splits that satisfy the row's own identities are kept."""
        plain = splits(self.text, self.width, (), self.negative, limit=1)
        if len(plain) == 1:
            return RowCandidates(self.label, plain, plain=True)
        found = splits(self.text, self.width, self.groups, self.negative)
        return RowCandidates(self.label, found[:LIMIT], too_many=len(found) > LIMIT)


def row_text(values: list[RawCell], width: int) -> tuple[str, Optional[str], Optional[str]]:
    """The row's figures as one text with " " between separately written pieces, any doubt about
    them, and how they were placed in the row if by order.

    A trailing piece that may be a page number is dropped when the row would
    otherwise have more pieces than columns.
    """
    cells = [c for c in values if c.text.strip()]
    while len(" ".join(c.text for c in cells).split()) > width and cells and cells[-1].page_tail:
        cells.pop()
    text = " ".join(c.text.strip() for c in cells)
    doubt = next((c.doubt for c in values if c.doubt), None)
    placed = next((c.placed for c in values if c.placed), None)
    return text, doubt, placed


def _state_cell(text: str, source: Optional[Source], col: int, certainty: Certainty, how: Optional[str]) -> Cell:
    src = source.model_copy(update={"col": (source.col or 1) + col}) if source else None
    if text == "":
        return Cell(state=CellState.blank, raw="", source=src, certainty=certainty, how=how)
    state, value, unit = read_cell(text)
    return Cell(value=value, state=state, raw=text, source=src, unit=unit, certainty=certainty, how=how)


def _unreadable(p: Pending, columns: list[str], how: str) -> dict[str, Cell]:
    state = CellState.number if any(ch.isdigit() for ch in p.text) else CellState.blank
    return {c: Cell(value=None, state=state, raw=p.text, source=p.source, certainty=Certainty.unreadable, how=how)
            for c in columns}


def _show(s: Split) -> str:
    return "/".join(x if x else "空" for x in s)


def cells_for(p: Pending, columns: list[str], chosen: Optional[Split], rule: str,
              options: list[Split], consistent: bool = True, too_many: bool = False) -> dict[str, Cell]:
    """Cells of a resolved (or not) row. ``rule`` names what made ``chosen`` the one split."""
    run = f"“{p.text}”" if p.text else "（无数字）"
    if p.doubt:
        if chosen is None:
            return _unreadable(p, columns, p.doubt)
        return {c: _state_cell(t, p.source, i, Certainty.uncertain, p.doubt)
                for i, (c, t) in enumerate(zip(columns, chosen))}
    if chosen is not None:
        if rule == "delimited":
            certainty, how = Certainty.certain, None
        elif rule == "empty":
            certainty, how = Certainty.inferred, "该行没有任何数字，各格按空白读入"
        elif rule == "plain":
            certainty = Certainty.inferred
            how = f"数字连写为{run}，只有一种拆法能填满本行{p.width}格（多位数不以0开头）"
        elif rule == "row":
            certainty = Certainty.inferred
            how = f"数字连写为{run}，按{_T4_RULE if p.label == '表四' else _ROW_RULE}只有一种拆法"
        else:
            certainty = Certainty.inferred
            how = f"数字连写为{run}，本行单独看有多种拆法，按{_TABLE_RULE}只有一种拆法"
        if p.placed:
            certainty = Certainty.inferred
            how = f"{how}；{p.placed}" if how else p.placed
        return {c: _state_cell(t, p.source, i, certainty, how) for i, (c, t) in enumerate(zip(columns, chosen))}
    # No single split: cells on which every remaining split agrees are still known.
    if too_many:
        return _unreadable(p, columns, f"数字连写为{run}，可能的拆法超过{LIMIT}种，无法确定各格数值")
    if not options:
        why = f"数字连写为{run}，没有一种拆法符合本表的勾稽关系，无法确定各格数值" if consistent else \
            f"数字连写为{run}，本表勾稽关系不成立，不能据以拆分，无法确定各格数值"
        return _unreadable(p, columns, why)
    examples = "；".join(_show(s) for s in options[:2])
    why = f"数字连写为{run}，有多种拆法（如 {examples}），无法确定各格数值"
    out = _unreadable(p, columns, why)
    if len(options) <= LIMIT:
        for i, c in enumerate(columns):
            values = {s[i] for s in options}
            if len(values) == 1:
                out[c] = _state_cell(options[0][i], p.source, i, Certainty.inferred,
                                     f"数字连写为{run}，有{len(options)}种拆法，但各种拆法在此格都相同")
    return out


def resolve_row(p: Pending, columns: list[str]) -> dict[str, Cell]:
    """One row with no equations to other rows (tables 二 and 四)."""
    if not p.text:
        return cells_for(p, columns, ("",) * p.width, "empty", [])
    cand = p.candidates()
    if len(cand.options) == 1 and not cand.too_many:
        return cells_for(p, columns, cand.options[0], p.rule(cand.options[0], True, cand.plain), cand.options)
    return cells_for(p, columns, None, "", cand.options, too_many=cand.too_many)


def resolve_table(pending: dict[str, Pending], fixed: dict[str, Split], equations: list[Equation],
                  columns: list[str]) -> dict[str, dict[str, Cell]]:
    """Rows of one table tied by equations between rows (table 三)."""
    out: dict[str, dict[str, Cell]] = {}
    rows = [RowCandidates(label, [split], fixed=True, plain=True) for label, split in fixed.items()]
    cand = {}
    for label, p in pending.items():
        if not p.text:
            out[label] = cells_for(p, columns, ("",) * p.width, "empty", [])
            rows.append(RowCandidates(label, [("",) * p.width], fixed=True, plain=True))
            continue
        c = p.candidates()
        cand[label] = c
        rows.append(c)
    solution = solve(rows, equations, len(columns))
    for label, c in cand.items():
        p = pending[label]
        if label in solution.chosen:
            split = solution.chosen[label]
            alone = len(c.options) == 1 and not c.too_many
            out[label] = cells_for(p, columns, split, p.rule(split, alone, c.plain), c.options)
        else:
            if c.too_many:
                out[label] = cells_for(p, columns, None, "", [], too_many=True)
                continue
            if solution.consistent and not solution.exhausted:
                out[label] = cells_for(p, columns, None, "", solution.options.get(label, c.options))
                continue
            # The identities do not hold (or there were too many choices): only what the
            # digits alone allow can be said.
            plain = splits(p.text, p.width, (), p.negative)
            out[label] = cells_for(p, columns, None, "", plain, solution.consistent, too_many=len(plain) > LIMIT)
    return out
