"""Which table cells the rules read during one check run.

The table helpers (``tables.cell2/3/4``) note every cell a rule reads while a
run is active. Three things are built on that, in ``catalogue.run``:

- a rule that read a cell the reader did not read for sure (uncertain,
  unreadable, or in a table that could not be read) gives one info-level
  "无法核验" finding naming those cells, instead of staying silent;
- a finding whose figures rest on inferred cells says so (``Finding.inferred``);
- the root-cause analysis (``causes``) re-runs only the rules that read the
  cells a cause would change.

Outside a run nothing is noted and reading costs nothing more.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Optional

from ..model import Cell, Certainty, Report
from ..model.refs import CellRef

Key = tuple[str, str, str, str]  # table, block ("" outside table 二), row, col: CellRef.key()


def ref_of(key: Key) -> CellRef:
    table, block, row, col = key
    return CellRef(table=table, block=block or None, row=row, col=col)


@dataclass
class RuleReads:
    """What one rule read: every cell of this year's report, and the ones not read for sure."""

    cells: set[Key] = field(default_factory=set)
    unread: dict[Key, Cell] = field(default_factory=dict)  # this year's report
    unread_previous: dict[Key, Cell] = field(default_factory=dict)  # last year's report
    # inferred cells read since the rule last handed back a finding
    window: dict[Key, Cell] = field(default_factory=dict)
    inferred: dict[Key, Cell] = field(default_factory=dict)  # every inferred cell it read


@dataclass
class ReadLog:
    report: Report
    previous: Optional[Report] = None
    rules: dict[str, RuleReads] = field(default_factory=dict)
    current: Optional[RuleReads] = None

    def begin(self, code: str) -> RuleReads:
        self.current = self.rules[code] = RuleReads()
        return self.current

    def end(self) -> None:
        self.current = None

    def note(self, report: Report, key: Key, cell: Optional[Cell], table_unread: bool) -> None:
        reads = self.current
        if reads is None:
            return
        this_year = report is self.report
        if this_year:
            reads.cells.add(key)
        if cell is None:
            return
        if table_unread or cell.certainty in (Certainty.uncertain, Certainty.unreadable):
            if this_year:
                reads.unread[key] = cell
            elif report is self.previous:
                reads.unread_previous[key] = cell
        elif cell.certainty is Certainty.inferred and this_year:
            reads.window[key] = reads.inferred[key] = cell

    def take_window(self) -> dict[Key, Cell]:
        reads = self.current
        if reads is None:
            return {}
        out, reads.window = reads.window, {}
        return out

    def readers(self, keys: set[Key]) -> set[str]:
        """The rules that read any of these cells of this year's report."""
        return {code for code, r in self.rules.items() if r.cells & keys}


_LOG: ContextVar[Optional[ReadLog]] = ContextVar("nianbao_check_reads", default=None)


def active() -> Optional[ReadLog]:
    return _LOG.get()


def start(log: ReadLog) -> Token[Optional[ReadLog]]:
    return _LOG.set(log)


def stop(token: Token[Optional[ReadLog]]) -> None:
    _LOG.reset(token)
