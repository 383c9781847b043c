"""Root causes: one wrong or blank cell that breaks several identities is reported once, at the cell.

A mistyped cell of table 三 breaks its row (I2), its column's results (I1) or
the printed identity (P1) at once; a 总计 column left blank breaks every row
and then （七）; each rule reports its own part of it. Here the findings of
one cause are gathered under one finding at the cause, with the figures as
they would be if it were put right.

A cause is a hypothesis about a few cells ("this cell should read 35", "these
blank 总计 cells should hold their rows' sums"). It is accepted only when
checking a corrected copy of the report makes at least two of the findings
disappear and adds none: the rules that read the changed cells are run
again on the copy (with the same narrative), and whatever no longer fires is
a consequence. The report itself is never changed; blank cells stay blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from ..model import Cell, CellState, Edition, Report
from ..model.refs import AreaKind, AreaRef
from .catalogue import CheckContext, rule, run
from .findings import Finding, Severity
from .locations import cells_text
from .reads import Key, ref_of
from .tables import fmt, plain, printed_as_one_row, result_parts

MAX_TRIALS = 6  # causes tried per report, at most
NAMES = {"I1": "各结果行之和等于（七）总计", "I2": "各申请人列之和等于总计", "P1": "第一项加第二项等于第三项加第四项",
         "I4": "表四各结果之和等于总计"}


@dataclass
class Identity:
    """One instance of a table identity, ``sum(sign * cell) == 0``, and the finding it gives when broken."""

    code: str  # the rule that checks it: P1, I1, I2, I4
    where: str  # "本行", "本列各结果行" …, for the explanation
    terms: list[tuple[Key, int]]
    at: str  # what the rule's finding is about: a column (P1, I1) or a row (I2, I4)


def _k3(row: str, col: str) -> Key:
    return ("三", "", row, col)


def _k4(group: str, col: str) -> Key:
    return ("四", "", group, col)


_EMPTY = (CellState.blank, CellState.slash, CellState.dash)


class Grid:
    """Tables 三 and 四 as figures (a blank counts 0, a cell not read for sure is None) and their identities."""

    def __init__(self, report: Report, ed: Edition):
        self.report, self.ed = report, ed
        self.values: dict[Key, Optional[float]] = {}
        self.blank: set[Key] = set()
        for table, body in (("三", report.table3), ("四", report.table4)):
            unread = table in report.unreadable_tables
            for row, cols in body.items():
                for col, cell in cols.items():
                    key = (table, "", row, col)
                    if cell.state in _EMPTY:
                        self.blank.add(key)
                    usable = not unread and cell.is_read
                    if usable and cell.is_number and cell.value is not None:
                        self.values[key] = float(cell.value)
                    else:
                        self.values[key] = 0.0 if usable and cell.state in _EMPTY else None
        self.identities = self._identities()

    def value(self, key: Key) -> Optional[float]:
        return self.values.get(key)

    def result_keys(self, col: str) -> list[Key]:
        """The result cells of one column as ``results_sum`` adds them (a group printed as one row, as one)."""
        keys: list[Key] = []
        for label, rows in result_parts(self.ed):
            if (len(rows) > 1 or rows[0].group) and printed_as_one_row(self.report, label, rows):
                keys.append(_k3(label, col))
            else:
                keys.extend(_k3(r.label, col) for r in rows)
        return keys

    def _identities(self) -> list[Identity]:
        """Table 三's and 四's identities as the rules P1, I1, I2 and I4 check them."""
        t3 = self.ed.table3
        out: list[Identity] = []
        for r in t3.rows:
            out.append(Identity("I2", "本行", [(_k3(r.label, c), 1) for c in t3.applicant_columns]
                                + [(_k3(r.label, t3.total_column), -1)], r.label))
        new, cin, total, cout = (t3.row(k).label for k in ("new", "carried_in", "total", "carried_out"))
        for col in t3.columns:
            results = self.result_keys(col)
            out.append(Identity("I1", "本列各结果行", [(k, 1) for k in results] + [(_k3(total, col), -1)], col))
            # P1 reads an empty （七） as the sum of the result rows, as the rule does.
            seven = [(k, -1) for k in results] if _k3(total, col) in self.blank else [(_k3(total, col), -1)]
            out.append(Identity("P1", "本列第一项至第四项",
                                [(_k3(new, col), 1), (_k3(cin, col), 1), *seven, (_k3(cout, col), -1)], col))
        t4 = self.ed.table4
        for g in t4.groups:
            out.append(Identity("I4", "本类案件", [(_k4(g, c), 1) for c in t4.columns[:-1]]
                                + [(_k4(g, t4.total_column), -1)], g))
        return out

    def gap(self, ident: Identity, change: Optional[dict[Key, float]] = None) -> Optional[float]:
        """How far the identity is from holding (0 when it holds); None when a cell cannot be used."""
        total = 0.0
        for key, sign in ident.terms:
            v = change[key] if change and key in change else self.values.get(key)
            if v is None:
                return None
            total += sign * v
        return total


def _broken(gap: Optional[float]) -> bool:
    return gap is not None and abs(gap) > 1e-9


@dataclass
class Trial:
    """A cause to try: cells and the figures they would hold."""

    kind: str  # "cell", "total_column", "total_row"
    values: dict[Key, float]
    checks: list[str] = field(default_factory=list)  # how each figure was worked out, for people


def _cell_trials(grid: Grid, gaps: dict[int, Optional[float]]) -> list[Trial]:
    """Single cells every identity of which fails, all by the same amount: the one figure that fixes them."""
    by_cell: dict[Key, list[Identity]] = {}
    for i, ident in enumerate(grid.identities):
        for key, _ in ident.terms:
            by_cell.setdefault(key, []).append(ident)
    broken = {id(grid.identities[i]) for i, g in gaps.items() if _broken(g)}
    gap_of = {id(grid.identities[i]): g for i, g in gaps.items()}
    trials: list[Trial] = []
    candidates = {key for ident in grid.identities if id(ident) in broken for key, _ in ident.terms}
    for key in candidates:
        current = grid.value(key)
        if current is None:
            continue
        wanted: set[float] = set()
        checks: list[str] = []
        for ident in by_cell[key]:
            gap = gap_of[id(ident)]
            if gap is None:
                continue  # cannot be decided: neither for nor against
            if id(ident) not in broken:
                wanted = set()  # an identity that holds would break: not this cell
                break
            if all(k in grid.blank for k, _ in ident.terms if k != key):
                # A figure against nothing but blank cells: the blanks are as likely to be what is
                # missing (a table being filled in) as the figure is to be wrong. No evidence either way.
                continue
            sign = sum(s for k, s in ident.terms if k == key)
            wanted.add(round(current - gap / sign, 6))
            checks.append(f"{ident.code}（{ident.where}）")
        # A cell of table 三 sits in two or three identities and must break them all; one of table 四
        # sits in one, and is a cause only if checking the corrected copy clears another finding too.
        if len(wanted) != 1 or len(checks) < (1 if key[0] == "四" else 2):
            continue
        (fixed,) = wanted
        if fixed < 0 or not float(fixed).is_integer():
            continue
        trials.append(Trial("cell", {key: fixed}, checks))
    # A cell in three broken identities is a likelier cause than one in two; then table order.
    order = {k: i for i, k in enumerate(grid.values)}
    return sorted(trials, key=lambda t: (-len(t.checks), order.get(next(iter(t.values)), 0)))


def _blank_trials(grid: Grid) -> list[Trial]:
    """Blank 总计 cells whose rows hold figures, and blank （七） cells whose columns do."""
    t3 = grid.ed.table3
    trials = []
    column: dict[Key, float] = {}
    for r in t3.rows:
        key = _k3(r.label, t3.total_column)
        if key not in grid.blank:
            continue
        parts = [grid.value(_k3(r.label, c)) for c in t3.applicant_columns]
        written = [c for c in t3.applicant_columns if _k3(r.label, c) not in grid.blank]
        if None in parts or not written or not sum(p or 0 for p in parts):
            continue
        column[key] = sum(p or 0 for p in parts)
    if column:
        trials.append(Trial("total_column", column))
    total = t3.row("total").label
    row: dict[Key, float] = {}
    for col in t3.columns:
        key = _k3(total, col)
        if key not in grid.blank:
            continue
        results = [grid.value(k) for k in grid.result_keys(col)]
        if None in results or not sum(v or 0 for v in results):
            continue
        row[key] = sum(v or 0 for v in results)
    if row:
        trials.append(Trial("total_row", row))
    return trials


def _corrected(report: Report, values: dict[Key, float]) -> Report:
    """A copy of the report with these cells holding these figures (the report is not touched)."""
    t3 = dict(report.table3)
    t4 = dict(report.table4)
    for (table, _, row, col), v in values.items():
        body = t3 if table == "三" else t4
        old = body.get(row, {}).get(col)
        cell = Cell(value=plain(v), state=CellState.number, raw=fmt(plain(v)), source=old.source if old else None)
        body[row] = {**body.get(row, {}), col: cell}
    return report.model_copy(update={"table3": t3, "table4": t4})


def _judged(findings: list[Finding]) -> dict[str, Finding]:
    return {f.identity(): f for f in findings if not f.unchecked}


def _serious(findings: dict[str, Finding]) -> set[str]:
    return {i for i, f in findings.items() if f.severity is not Severity.info}


def _instances(f: Finding) -> Optional[set[tuple[str, str]]]:
    """The identity instances an identity rule's finding stands for (its consequences' too)."""
    if f.code in ("P1",) and f.area is not None and f.area.col:
        own = {("P1", f.area.col)}
    elif f.code == "I1" and f.cells:
        own = {("I1", c.col) for c in f.cells}
    elif f.code in ("I2", "I4") and f.cells:
        own = {(f.code, f.cells[0].row)}
    else:
        return None
    for c in f.consequences:
        more = _instances(c)
        if more is None:
            return None
        own |= more
    return own


def _try(ctx: CheckContext, grid: Grid, trial: Trial, found: dict[str, Finding],
         gaps: dict[int, Optional[float]]) -> Optional[list[Finding]]:
    """The findings the trial's correction makes disappear, if it breaks nothing that held; else None.

    The identity rules are decided by arithmetic on the grid; the other rules that read the
    changed cells (the narrative's comparisons, P2 …) are run again on a corrected copy.
    """
    log = ctx.reads
    assert log is not None
    change = trial.values
    fixed: set[tuple[str, str]] = set()
    for i, ident in enumerate(grid.identities):
        if not any(k in change for k, _ in ident.terms):
            continue
        after = grid.gap(ident, change)
        if _broken(after) and not _broken(gaps[i]):
            return None  # the correction breaks an identity that held
        if _broken(gaps[i]) and after is not None and not _broken(after):
            fixed.add((ident.code, ident.at))
    gone = [f for f in found.values() if (inst := _instances(f)) is not None and inst <= fixed]
    codes = {c for c in log.readers(set(change))
             if c not in NAMES and any(r.code == c and not r.form and not r.groups for r in ctx.selected)}
    if codes:
        before = {i: f for i, f in found.items() if f.code in codes}
        again = run(_corrected(ctx.report, change), ctx.previous, codes=codes, narrative=ctx.narrative)
        after_found = _judged(again.findings)
        if _serious(after_found) - _serious(before):
            return None  # the correction contradicts something that agreed with the table
        gone += [f for i, f in before.items() if i not in after_found]
    return gone


def compact(ed: Edition, label: str) -> str:
    """A row of table 三 in a few characters: "一", "（二）", "（三）2"."""
    row = ed.table3.by_label(label)
    text = row.label if row else label
    head = text.split("、", 1)[0] if "、" in text[:3] else text[: text.index("）") + 1] if text.startswith("（") else ""
    if row is not None and row.group:
        group = row.group[: row.group.index("）") + 1] if "）" in row.group else row.group
        number = text.split(".", 1)[0] if "." in text[:3] else text
        return f"{group}{number}"
    return head or (row.short if row else label)


def _holds(ed: Edition, gone: list[Finding], skip: str = "") -> str:
    """What holds once the cause is put right, in words: "总计列（七）总计、…"."""
    said: list[str] = []
    narrative = 0
    for f in gone:
        ref = f.cells[0] if f.cells else None
        if f.code == skip or f.severity is Severity.info:
            continue
        if f.code == "P1" and f.area is not None:
            text = f"{f.area.col}列第一项加第二项等于第三项加第四项"
        elif f.code == "I1" and ref is not None:
            text = f"{ref.col}列各结果行之和等于（七）总计"
        elif f.code == "I2" and ref is not None:
            row = ed.table3.by_label(ref.row)
            text = f"{row.short if row else ref.row}各申请人列之和等于总计"
        elif f.code == "I4" and ref is not None:
            text = f"{ref.row}各结果之和等于总计"
        elif f.spans:
            narrative += 1
            continue
        else:
            text = f.location
        if text not in said:
            said.append(text)
    if narrative:
        said.append(f"叙述中{narrative}处与表格的比对")
    return "、".join(said)


def _sum_text(grid: Grid, keys: list[Key], fixed: float) -> str:
    written = [fmt(plain(v)) for v in (grid.value(k) for k in keys) if v]
    return f"{' + '.join(written) if written else '0'} = {fmt(plain(fixed))}"


def _root(ctx: CheckContext, grid: Grid, trial: Trial, gone: list[Finding]) -> Finding:
    ed, rep, t3 = ctx.edition, ctx.report, ctx.edition.table3
    refs = [ref_of(k) for k in trial.values]
    severity = min((f.severity for f in gone), key=lambda s: s.rank)
    gone = sorted(gone, key=Finding.sort_key)
    if trial.kind == "cell":
        ((key, fixed),) = trial.values.items()
        body = rep.table3 if key[0] == "三" else rep.table4
        cell = body[key[2]][key[3]]
        written = "空白" if key in grid.blank else f"写的是{fmt(cell.value)}"
        shown = fmt(plain(fixed))
        return ctx.finding(
            f"{cells_text(refs, ed)}{written}，按{'、'.join(trial.checks)}应为{shown}；"
            f"{'填入' if key in grid.blank else '改为'}{shown}后，{_holds(ed, gone)}均成立。",
            cells=refs,
            expected=plain(fixed),
            actual=plain(cell.value) if cell.is_number and cell.value is not None else None,
            computation="；".join(f"{f.code}：{f.computation or f.message}" for f in gone),
            severity=severity,
            consequences=gone,
        )
    if trial.kind == "total_column":
        col = t3.total_column
        blanks = [_k3(r.label, col) for r in t3.rows if _k3(r.label, col) in grid.blank]
        figures = "、".join(f"{compact(ed, k[2])}={fmt(plain(v))}" for k, v in trial.values.items())
        holds = _holds(ed, gone, skip="I2") or "各行总计"
        message = f"{col}列{_row_span(ed, blanks)}空白；按申请人各列计算应为{figures}，据此{holds}成立。"
        computation = "；".join(
            f"{compact(ed, k[2])}：{_sum_text(grid, [_k3(k[2], c) for c in t3.applicant_columns], v)}"
            for k, v in trial.values.items())
        area = AreaRef(kind=AreaKind.column, table="三", col=col)
    else:
        total = t3.row("total").label
        figures = "、".join(f"{k[3]}={fmt(plain(v))}" for k, v in trial.values.items())
        holds = _holds(ed, gone, skip="I1") or "（七）总计"
        message = f"（七）总计{'、'.join(k[3] for k in trial.values)}列空白；按各结果行计算应为{figures}，据此{holds}成立。"
        computation = "；".join(f"{k[3]}：{_sum_text(grid, grid.result_keys(k[3]), v)}"
                                for k, v in trial.values.items())
        area = AreaRef(kind=AreaKind.row, table="三", row=total)
    return ctx.finding(message, cells=refs, area=area, computation=computation + "（空白按0计）",
                       severity=severity, consequences=gone)


def _row_span(ed: Edition, keys: list[Key]) -> str:
    """"（一）至（六）3" for rows that follow one another, "整列" for all of them, else the rows listed."""
    labels = [r.label for r in ed.table3.rows]
    at = sorted(labels.index(k[2]) for k in keys if k[2] in labels)
    if len(at) == len(labels):
        return "整列"
    if len(at) > 2 and at == list(range(at[0], at[-1] + 1)):
        return f"{compact(ed, labels[at[0]])}至{compact(ed, labels[at[-1]])}"
    return "、".join(compact(ed, k[2]) for k in keys)


@rule(
    "R1",
    "根因：一处数字或一组空白破坏多个勾稽关系时，在原因处报告一次",
    Severity.error,
    groups=True,
    explanation=(
        "一个填错的单元格会同时破坏它所在行（各申请人列之和 = 总计）、所在列（各结果行之和 = （七）总计）"
        "和表头印明的勾稽关系；总计列整列空白会让每一行都报错，再连带（七）总计。"
        "本规则把这些问题合为一条，指出原因所在的单元格和改正后的数字，其余各条列在其下作为后果。"
        "只有在把原因处改正后这些问题全部消失、且不产生新问题时才这样归并。"
        "例如（七）总计×自然人写成53而各结果行之和为35：改为35后，本行、本列和第一项加第二项等于第三项加第四项都成立。"
    ),
    basis="表三、表四的勾稽关系（P1、I1、I2、I4）",
)
def check_r1(ctx: CheckContext) -> Iterator[Finding]:
    found = _judged(ctx.found)
    if not any(f.code in NAMES and f.severity is Severity.error for f in found.values()):
        return  # no broken table identity: nothing to trace
    grid = Grid(ctx.report, ctx.edition)
    gaps = {i: grid.gap(ident) for i, ident in enumerate(grid.identities)}
    trials = _blank_trials(grid) + _cell_trials(grid, gaps)
    taken: set[str] = set()
    for trial in trials[:MAX_TRIALS]:
        gone = _try(ctx, grid, trial, found, gaps)
        if gone is None or len(gone) < 2:
            continue
        ids = {f.identity() for f in gone}
        if ids & taken:
            continue  # explained by an earlier cause as well: leave them as they are
        taken |= ids
        yield _root(ctx, grid, trial, gone)
