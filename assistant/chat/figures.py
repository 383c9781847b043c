"""A figure a question asks for, read from a report with where it sits and how sure the reader is.

A question names figures by the editions' stable keys (``Term``), so the same
question reads the same figure from a 2019 and a 2021 report. ``resolve``
turns a ``Spec`` into a ``Figure``: the cells it rests on (each with its
``CellRef`` and ``Source``), the value, and, when there is no value, why —
a cell the reader could not read for sure, a table it could not read, a
blank, a cell the document does not have. Nothing here guesses: a sum or a
share that would rest on a cell not read is not computed, and says which
cell. Blank cells are not zero; a sum over blanks and numbers adds the
numbers and says that blanks were left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from ..check.locations import cells_text
from ..model import Cell, CellState, Certainty, Edition, Report, editions, get_edition
from ..model import figures as model_figures
from ..model.figures import plain, round1
from ..model.refs import CellRef
from ..model.report import Number

# Table 三 rows as the paren numerals name them ("（三）" is the group 不予公开).
PAREN_ROWS = {"一": "disclosed", "二": "partly", "三": "withheld", "四": "unavailable", "五": "not_processed",
              "六": "other", "七": "total"}
# Table 四: the two lawsuit groups together, as people say "诉讼".
LITIGATION = ("direct_suit", "suit_after_review")
T4_GROUPS = ("review", "direct_suit", "suit_after_review")
ORGANISATIONS = "organisations"


@dataclass(frozen=True)
class Term:
    """One addend: a cell, a table-三 group (its sub-rows), or several table-四 groups.

    table 三: ``row`` is a row or group key, ``col`` a column label or "organisations";
    table 四: ``row`` a group key (or "litigation"), ``col`` a column key;
    table 二: ``row`` is "block.row", ``col`` a column key.
    """

    table: str
    row: str
    col: str


@dataclass(frozen=True)
class Spec:
    """What the question asks for: the sum of ``terms``, optionally as a share of ``of``."""

    terms: tuple[Term, ...]
    of: Optional["Spec"] = None

    @property
    def is_percent(self) -> bool:
        return self.of is not None


@dataclass
class Used:
    """A cell a figure rests on."""

    ref: Optional[CellRef]
    label: str  # "表三 （一）予以公开 × 自然人"
    cell: Optional[Cell]
    state: str  # number, blank, text, missing, uncertain, unreadable, absent (not in this edition)
    why: str = ""  # for uncertain/unreadable/absent: the reader's reason

    @property
    def value(self) -> Optional[Number]:
        return self.cell.value if self.state == "number" and self.cell is not None else None

    @property
    def shown(self) -> str:
        if self.state == "number":
            # "19.7万" as written: the value is in 元, the cell says 万.
            if self.cell is not None and self.cell.unit:
                return self.cell.raw or fmt(self.value)
            return fmt(self.value)
        if self.state == "blank" and self.cell is not None and self.cell.raw:
            return f"“{self.cell.raw}”"  # "/" or "—": written, but not a figure
        return {"blank": "空白", "missing": "文档中没有", "absent": "本版格式没有", "uncertain": "无法确定",
                "unreadable": "无法读取"}.get(self.state, f"“{self.cell.raw if self.cell else ''}”")

    @property
    def inferred(self) -> bool:
        return self.cell is not None and self.cell.certainty is Certainty.inferred


@dataclass
class Figure:
    label: str
    value: Optional[Number]
    unit: str
    uses: list[Used] = field(default_factory=list)
    state: str = "number"  # number, blank, text, missing, absent, uncertain, unreadable
    problem: str = ""  # why there is no value, in Chinese
    notes: list[str] = field(default_factory=list)
    computation: str = ""
    is_percent: bool = False

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def certainty(self) -> str:
        if self.state in ("uncertain", "unreadable"):
            return self.state
        return "inferred" if any(u.inferred for u in self.uses) else "certain"


def fmt(v: Optional[Number]) -> str:
    """A figure as the checker writes it (35, 19.7, -3); nothing for no figure."""
    return "" if v is None else model_figures.fmt(v)


def percent(part: Number, whole: Number) -> float:
    """A share in per cent to one decimal, rounded half up (as the drafter's shares are)."""
    return round1(float(Decimal(repr(part)) / Decimal(repr(whole)) * 100))


def _newest_first() -> list[Edition]:
    """Every edition, the newest first: a key is named as the newest edition that has it names it."""
    return sorted(editions().values(), key=lambda e: e.years[0], reverse=True)


# ------------------------------------------------------------------ cells


def _classify(report: Report, table: str, ref: CellRef, cell: Optional[Cell], label: str) -> Used:
    if table in report.unreadable_tables:
        return Used(ref, label, cell, "unreadable", report.unreadable_tables[table])
    if cell is None or cell.state is CellState.missing and cell.certainty is Certainty.certain:
        return Used(ref, label, cell, "missing")
    if cell.certainty in (Certainty.uncertain, Certainty.unreadable):
        return Used(ref, label, cell, cell.certainty.value, cell.how or "")
    if cell.state is CellState.number and cell.value is not None:
        return Used(ref, label, cell, "number")
    if cell.state in (CellState.blank, CellState.slash, CellState.dash):
        return Used(ref, label, cell, "blank")
    if cell.state is CellState.missing:
        return Used(ref, label, cell, "missing")
    return Used(ref, label, cell, "text")


def _absent(label: str, why: str) -> Used:
    return Used(None, label, None, "absent", why)


def _t3_cells(report: Report, ed: Edition, key: str, col: str) -> tuple[str, list[Used]]:
    decl = ed.table3
    cols = decl.columns[:-1][1:] if col == ORGANISATIONS else [col]
    col_name = "法人或其他组织" if col == ORGANISATIONS else col
    group = decl.group(key)
    rows = [r for r in decl.rows if r.key == key] if group is None else decl.group_rows(group)
    if not rows:
        name = _t3_name(key)
        return f"表三 {name} × {col_name}", [_absent(f"表三 {name}", f"{ed.id}年版格式没有这一行")]
    label = (f"表三 {group}（{len(rows)}项之和）" if group else f"表三 {rows[0].short}") + f" × {col_name}"
    if group and group in report.table3 and all(
            report.table3.get(r.label, {}).get(c) is None
            or report.table3[r.label][c].state is CellState.missing for r in rows for c in cols):
        # The report prints the group as one row (the 2019 layout): that row is the group's figure.
        label = f"表三 {group} × {col_name}"
        uses = [_classify(report, "三", CellRef(table="三", row=group, col=c), report.table3[group].get(c),
                          f"表三 {group} × {c}") for c in cols]
        return label, uses
    uses = []
    for r in rows:
        for c in cols:
            ref = CellRef(table="三", row=r.label, col=c)
            uses.append(_classify(report, "三", ref, report.table3.get(r.label, {}).get(c), cells_text([ref], ed)))
    return label, uses


def _t3_name(key: str) -> str:
    for ed in _newest_first():
        group = ed.table3.group(key)
        if group:
            return group
        for r in ed.table3.rows:
            if r.key == key:
                return r.short
    return key


def _t4_cells(report: Report, ed: Edition, key: str, col: str) -> tuple[str, list[Used]]:
    decl = ed.table4
    col_label = decl.column(col) or col
    keys = LITIGATION if key == "litigation" else (T4_GROUPS if key == "all" else (key,))
    groups = [decl.group(k) for k in keys]
    if key == "litigation":
        name = "行政诉讼（直接起诉与复议后起诉之和）"
    elif key == "all":
        name = "行政复议与行政诉讼（三类之和）"
    else:
        name = groups[0] or key
    uses = []
    for g in groups:
        if g is None:
            continue
        ref = CellRef(table="四", row=g, col=col_label)
        uses.append(_classify(report, "四", ref, report.table4.get(g, {}).get(col_label), cells_text([ref], ed)))
    return f"表四 {name} × {col_label}", uses


def _t2_cells(report: Report, ed: Edition, key: str, col: str) -> tuple[str, list[Used], str]:
    bkey, _, rkey = key.partition(".")
    block = ed.block_by_key(bkey)
    row = block.row(rkey) if block else None
    if block is None or row is None:
        return f"表二 {_t2_name(key)}", [_absent(f"表二 {_t2_name(key)}", f"{ed.id}年版格式的表二没有这一行")], ""
    col_label = block.column(col)
    if col_label is None:
        return (f"表二 {block.caption} {row}", [_absent(f"表二 {block.caption} {row}",
                                                        f"{ed.id}年版格式的表二这一行没有“{_t2_col_name(col)}”这一栏"
                                                        f"（只有：{'、'.join(block.columns)}）")], "")
    ref = CellRef(table="二", block=block.caption, row=row, col=col_label)
    label = cells_text([ref], ed)
    # Amounts carry the column's declared unit (万元), or none; counts are 件.
    unit = block.units.get(col_label, "" if col in _AMOUNTS else "件")
    return label, [_classify(report, "二", ref, report.table2.get(block.caption, {}).get(row, {}).get(col_label),
                             label)], unit


def _t2_name(key: str) -> str:
    bkey, _, rkey = key.partition(".")
    for ed in _newest_first():
        block = ed.block_by_key(bkey)
        if block and block.row(rkey):
            return str(block.row(rkey))
    return key


_AMOUNTS = ("fee_amount", "procurement_amount")
_T2_COLUMN_NAMES = {"fee_amount": "收费金额", "procurement_amount": "采购总金额", "procurement_count": "采购项目数量",
                    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                    "made": "本年新制作数量", "published": "本年新公开数量", "published_total": "对外公开总数量",
                    "items_prior": "上一年项目数量", "items_change": "本年增/减", "decisions": "处理决定数量"}


def _t2_col_name(key: str) -> str:
    return _T2_COLUMN_NAMES.get(key, key)


def t2_columns(report: Report, key: str) -> list[str]:
    """The column keys of a table-二 row in the report's edition (for a row asked without a column)."""
    ed = get_edition(report.edition)
    bkey, _, rkey = key.partition(".")
    block = ed.block_by_key(bkey)
    if block is None or block.row(rkey) is None:
        return []
    return [block.column_keys[c] for c in block.columns if c in block.column_keys]


def _term(report: Report, ed: Edition, term: Term) -> tuple[str, list[Used], str]:
    if term.table == "三":
        label, uses = _t3_cells(report, ed, term.row, term.col)
        return label, uses, "件"
    if term.table == "四":
        label, uses = _t4_cells(report, ed, term.row, term.col)
        return label, uses, "件"
    return _t2_cells(report, ed, term.row, term.col)


# ------------------------------------------------------------------ figures


def resolve(report: Report, spec: Spec) -> Figure:
    """The figure ``spec`` names in ``report``, or why it cannot be given."""
    ed = get_edition(report.edition)
    if spec.of is not None:
        return _share(report, spec)
    labels, uses, units = [], [], []
    for term in spec.terms:
        label, found, u = _term(report, ed, term)
        labels.append(label)
        uses.extend(found)
        units.append(u)
    label = " 与 ".join(labels) + ("（合计）" if len(labels) > 1 else "")
    return _sum(label, uses, units[0] if units else "件")


def _sum(label: str, uses: list[Used], unit: str) -> Figure:
    fig = Figure(label=label, value=None, unit=unit, uses=uses)
    doubtful = [u for u in uses if u.state in ("uncertain", "unreadable")]
    if doubtful:
        fig.state = doubtful[0].state
        if len(uses) == 1:
            fig.problem = f"该单元格无法确定读取：{doubtful[0].why or '读取时无法确定'}"
            return fig
        parts = "；".join(f"{u.label}：{u.why or '读取时无法确定'}" for u in doubtful[:3])
        more = f"（另有 {len(doubtful) - 3} 格）" if len(doubtful) > 3 else ""
        fig.problem = f"其中有单元格无法确定读取，不能给出数字：{parts}{more}"
        return fig
    absent = [u for u in uses if u.state == "absent"]
    if absent:
        fig.state = "absent"
        fig.problem = absent[0].why
        return fig
    numbers = [u for u in uses if u.state == "number"]
    others = [u for u in uses if u.state != "number"]
    texts = [u for u in others if u.state == "text"]
    if texts:
        fig.state = "text"
        fig.problem = "；".join(f"{u.label} 写的是“{u.cell.raw if u.cell else ''}”，不是数字" for u in texts[:3])
        if not numbers:
            return fig
        fig.problem = ""
    if not numbers:
        missing = all(u.state == "missing" for u in others)
        fig.state = "missing" if missing else "blank"
        if missing:
            fig.problem = "文档中没有这一格" if len(uses) == 1 else "文档中没有这些格"
        elif len(uses) == 1 and others[0].cell is not None and others[0].cell.raw:
            fig.problem = f"没有填写数字（写的是“{others[0].cell.raw}”）"
        else:
            fig.problem = "空白（未填写数字）" if len(uses) == 1 else "这些格全部空白（未填写数字）"
        return fig
    total = sum((Decimal(str(u.value)) for u in numbers), Decimal(0))
    fig.value = plain(float(total))
    if len(numbers) > 1:
        fig.computation = " + ".join(fmt(u.value) for u in numbers) + f" = {fmt(fig.value)}"
    skipped = [u for u in others]
    if skipped:
        kinds = "、".join(sorted({u.shown for u in skipped}))
        fig.notes.append(f"其中 {len(skipped)} 格为{kinds}，未计入")
    if texts:
        fig.notes.append("；".join(f"{u.label} 写的是“{u.cell.raw if u.cell else ''}”，未计入" for u in texts[:3]))
    inferred = [u for u in uses if u.inferred]
    if inferred:
        hows = list(dict.fromkeys(u.cell.how for u in inferred if u.cell is not None and u.cell.how))
        who = "该数字" if len(uses) == 1 else f"其中 {len(inferred)} 格"
        fig.notes.append(f"{who}是推断出来的" + (f"：{'；'.join(hows[:2])}" if hows else ""))
    return fig


def _share(report: Report, spec: Spec) -> Figure:
    assert spec.of is not None
    part = resolve(report, Spec(spec.terms))
    whole = resolve(report, spec.of)
    label = f"{part.label} 占 {whole.label} 的比例"
    fig = Figure(label=label, value=None, unit="%", uses=part.uses + whole.uses, is_percent=True,
                 notes=list(dict.fromkeys(part.notes + whole.notes)))
    for f in (part, whole):
        if not f.ok:
            fig.state = f.state
            fig.problem = f"{f.label}：{f.problem}"
            return fig
    assert part.value is not None and whole.value is not None
    if whole.value == 0:
        fig.state = "zero"
        fig.problem = f"{whole.label} 为 0，无法计算占比"
        return fig
    fig.value = percent(part.value, whole.value)
    fig.computation = f"{fmt(part.value)} ÷ {fmt(whole.value)} = {fmt(fig.value)}%"
    return fig
