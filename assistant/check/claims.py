"""The claim reader: what the narrative says about the tables, read once, as data.

A sentence may claim
- a **count** of a quantity ("办结33件", "予以公开及部分公开42件" = （一）+（二）,
  "因不掌握等原因无法提供31件" = the group （四）, "行政复议5件", "制发行政规范性文件3件");
- a **breakdown**: a total and the parts said to make it up ("其中" / "包括" /
  "含" / "分别为" / a colon), inside brackets of any kind or over several
  clauses joined by "；";
- a **share** of a base ("占办结总数的49.4%", "占51.85%" of the list's total);
- a **change** from last year ("较上年增加5件", "降幅7.4%") or only its
  direction, an **order** ("较上年有所减少", "与上年持平");
- an **absence** ("未收到政府信息公开申请", "无结转", "未发生行政复议");
- a **universal** over the outcomes of table 四 or 三 ("均获维持", "均为未经复议
  直接起诉", "均由自然人提出").

Each claim names what it is about as a :class:`Target` (cells of table 三,
四 or 二) that :func:`resolve` reads from a report's tables, so the checker's
narrative rules and the draft guard judge the same claims the same way.
Quoted names, slogans and ordinals ("“三个一”工作机制", "十四五") are never counts;
a sentence about a wider or narrower scope than the tables' is marked.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Optional, Union

from ..model import Edition, NumberKind, Report
from ..model.refs import CellRef, SpanRef
from ..model.report import Number
from .quantities import (
    _NOT_APPLICATIONS,
    LEVEL_KEYS,
    NON_TABLE_KEYS,
    application_key,
    categories,
)
from .tables import (
    Sum,
    Tables,
    _printed_as_one_row,
    cell2,
    cell3,
    cell4,
    close,
    figure,
    fmt,
    is_empty,
    plain,
    quantity_label,
    quantity_sum,
    ref2,
    ref3,
    ref4,
    result_parts,
    results_sum,
    rows_for,
)
from .wording import CLOSE_BRACKETS, COUNT_UNITS, MONEY_UNITS

if TYPE_CHECKING:
    from .narrative import Mention, NarrativeAnalysis, Sentence

# ================================================================== targets


@dataclass(frozen=True)
class T3:
    """Table 三: the sum of the rows (or groups) ``keys`` in one column (None: 总计)."""

    keys: tuple[str, ...]
    column: Optional[str] = None


@dataclass(frozen=True)
class T4:
    """Table 四: one column of a group; ``suit`` is 直接起诉 + 复议后起诉."""

    group: str
    column: str


@dataclass(frozen=True)
class T2:
    """Table 二: one row of a block, any of ``columns`` (the words allow several)."""

    block: str
    row: str
    columns: tuple[str, ...]


Target = Union[T3, T4, T2]

T4_GROUP_NAMES = {"review": "行政复议", "suit": "行政诉讼", "direct_suit": "未经复议直接起诉",
                  "suit_after_review": "复议后起诉"}
T4_COLUMN_NAMES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                   "total": "总计"}
LEVEL_NAMES = {"new": "本年新收", "carried_in": "上年结转", "total": "（七）总计", "carried_out": "结转下年度继续办理",
               "received": "本年新收"}


def target_name(target: Target, edition: Edition) -> str:
    """The quantity in words, as a reviewer names it: "（一）予以公开 + （二）部分公开", "行政复议 结果维持"."""
    if isinstance(target, T3):
        names = [LEVEL_NAMES.get(k) or quantity_label(edition, k) for k in target.keys]
        col = f"（{target.column}）" if target.column else ""
        return " + ".join(names) + col
    if isinstance(target, T4):
        return f"{T4_GROUP_NAMES[target.group]} {T4_COLUMN_NAMES[target.column]}"
    return target.row


@dataclass
class Value:
    """What the tables give for a target: the figure, how it was computed, the cells used."""

    name: str
    value: Number
    how: str
    cells: list[CellRef] = field(default_factory=list)


@dataclass
class Resolved:
    """A target read from the tables: the values its words allow, or why it cannot be judged."""

    values: list[Value] = field(default_factory=list)  # alternatives ("受理" = 新收 or 新收 + 结转)
    unread: list[CellRef] = field(default_factory=list)  # cells the reader could not read for sure
    why: str = ""  # Chinese: the reader's reasons for those cells

    @property
    def judged(self) -> bool:
        return bool(self.values) and not self.unread

    def matches(self, value: Number) -> bool:
        return any(close(v.value, value) for v in self.values)


def _unread(report: Report, table: str, refs: list[CellRef]) -> tuple[list[CellRef], str]:
    """The cells among ``refs`` the reader marked uncertain or unreadable (or whose table it could not read)."""
    if table in report.unreadable_tables:
        return refs, report.unreadable_tables[table]
    out, why = [], []
    for ref in refs:
        if table == "三":
            cell = report.table3.get(ref.row, {}).get(ref.col)
        elif table == "四":
            cell = report.table4.get(ref.row, {}).get(ref.col)
        else:
            cell = report.table2.get(ref.block or "", {}).get(ref.row, {}).get(ref.col)
        if cell is not None and not cell.is_read:
            out.append(ref)
            if cell.how and cell.how not in why:
                why.append(cell.how)
    return out, "；".join(why)


def _t3_rows(report: Report, edition: Edition, key: str) -> list[str]:
    """The row labels a key's figure is read from (a group printed as one row: that row)."""
    if key == "total":
        labels = [edition.table3.row("total").label]
        for label, rows in result_parts(edition):
            if len(rows) > 1 and _printed_as_one_row(report, label, rows):
                labels.append(label)
            else:
                labels.extend(r.label for r in rows)
        return labels
    rows = rows_for(edition, key)
    group = edition.table3.group(key)
    if group and _printed_as_one_row(report, group, rows):
        return [group]
    return [r.label for r in rows]


def _declared3(edition: Edition, label: str) -> bool:
    return label in edition.table3.labels


def _one3(tables: Tables, key: str, col: str) -> Optional[Value]:
    rep, ed = tables.report, tables.edition
    decl = ed.table3
    if key == "total":
        c = cell3(rep, decl.row("total").label, col)
        if c.is_number:
            return Value("（七）总计", plain(figure(c)), f"（七）总计 {fmt(c.value)}", [ref3(decl.row("total"), col)])
        if is_empty(c):
            s = results_sum(rep, ed, col)
            if s.decidable and not s.all_empty:
                # The empty （七） is what a reviewer looks at; the computation names the rows summed.
                return Value("（七）总计", s.total, f"（七）为空，按各结果行之和 {s.equation()}",
                             [ref3(decl.row("total"), col)])
        return None
    s = quantity_sum(rep, ed, key, col)
    if not s.decidable or not s.values:
        return None
    note = "（空白按0计）" if s.used_blanks else ""
    cells = [ref3(label, col) for label in _t3_rows(rep, ed, key) if _declared3(ed, label)]
    return Value(quantity_label(ed, key), s.total, f"{quantity_label(ed, key)} {s.equation()}{note}", cells)


def _resolve3(target: T3, tables: Tables) -> Resolved:
    rep, ed = tables.report, tables.edition
    col = target.column or ed.table3.total_column
    keys = list(target.keys)
    needed = {"received": ["new", "carried_in"]}
    rows = [label for k in keys for kk in needed.get(k, [k]) for label in _t3_rows(rep, ed, kk)]
    unread, why = _unread(rep, "三", [ref3(label, col) for label in rows])
    if unread:
        return Resolved(unread=unread, why=why)
    if keys == ["received"]:
        a, b = _one3(tables, "new", col), _one3(tables, "carried_in", col)
        out = []
        if a:
            out.append(Value("本年新收", a.value, a.how, a.cells))
            if b:
                out.append(Value("本年新收与上年结转之和", plain(a.value + b.value),
                                 f"{a.how} + {b.how} = {fmt(plain(a.value + b.value))}", a.cells + b.cells))
        return Resolved(out)
    got = [_one3(tables, k, col) for k in keys]
    found = [g for g in got if g is not None]
    if len(found) != len(got) or not found:
        return Resolved()
    if len(found) == 1:
        v = found[0]
        name = LEVEL_NAMES.get(keys[0], v.name)
        return Resolved([Value(name, v.value, v.how, v.cells)])
    total = plain(sum(v.value for v in found))
    how = " + ".join(f"{v.how}" for v in found) + f"，合计 {fmt(total)}"
    return Resolved([Value(" + ".join(v.name for v in found), total, how, [c for v in found for c in v.cells])])


def _resolve4(target: T4, tables: Tables) -> Resolved:
    rep, decl = tables.report, tables.edition.table4
    col = decl.column(target.column)
    groups = ["direct_suit", "suit_after_review"] if target.group == "suit" else [target.group]
    labels = [decl.group(g) or g for g in groups]
    refs = [ref4(label, col or target.column) for label in labels]
    unread, why = _unread(rep, "四", refs)
    if unread:
        return Resolved(unread=unread, why=why)
    s = Sum()
    for label in labels:
        s.add(label, cell4(rep, label, col))
    if not s.decidable or s.all_empty and not s.values:
        return Resolved()
    note = "（空白按0计）" if s.used_blanks else ""
    how = f"表四 {'+'.join(labels)} × {col} {s.equation()}{note}"
    return Resolved([Value(target_name(target, tables.edition), s.total, how, refs)])


def _resolve2(target: T2, tables: Tables) -> Resolved:
    rep, ed = tables.report, tables.edition
    block = ed.block_by_key(target.block)
    if block is None:
        return Resolved()
    row = block.row(target.row)
    if row is None:
        return Resolved()
    cols = [c for c in (block.column(k) for k in target.columns) if c]
    refs = [ref2(block, row, c) for c in cols]
    unread, why = _unread(rep, "二", refs)
    if unread:
        return Resolved(unread=unread, why=why)
    out = []
    for col, ref in zip(cols, refs):
        c = cell2(rep, block.caption, row, col)
        if c.is_number:
            out.append(Value(f"{row} {col}", plain(figure(c)), f"表二 {row} × {col} = {fmt(c.value)}", [ref]))
    return Resolved(out)


def resolve(target: Target, tables: Tables) -> Resolved:
    """What ``tables`` (a report with its edition) give for ``target``; never from an unread cell."""
    if isinstance(target, T3):
        return _resolve3(target, tables)
    if isinstance(target, T4):
        return _resolve4(target, tables)
    return _resolve2(target, tables)


# ================================================================== claims


class Kind(str, Enum):
    quantity = "quantity"  # a count of a quantity: "办结33件"
    breakdown = "breakdown"
    share = "share"
    change = "change"
    order = "order"
    absence = "absence"
    universal = "universal"


class Status(str, Enum):
    """What the rule that judged a claim concluded."""

    supported = "supported"  # the tables (or the sentence's own figures) bear it out
    contradicted = "contradicted"  # a finding says why not
    unread = "unread"  # it speaks of cells the reader could not read for sure: not judged
    unverifiable = "unverifiable"  # its part, base or last year's figure cannot be identified


@dataclass
class Operand:
    """A part or base of a share: a stated figure, or the table quantity its words name, or both."""

    words: str
    mention: Optional["Mention"] = None
    target: Optional[Target] = None
    others: list["Mention"] = field(default_factory=list)  # other stated figures it may be (an unnamed base)


@dataclass
class Claim:
    kind: Kind
    sentence: "Sentence"
    start: int  # paragraph offsets of what the claim quotes
    end: int
    quote: str
    target: Optional[Target] = None
    mention: Optional["Mention"] = None  # the figure stated (count, share, change; a breakdown's total)
    # breakdown
    parts: list["Mention"] = field(default_factory=list)
    trigger: str = ""
    exhaustive: bool = False  # the last part is a remainder (其他, 其余): the list is complete
    open_ended: bool = False  # "…等": the list does not claim to be complete
    # share
    part: Optional[Operand] = None
    base: Optional[Operand] = None
    # change / order
    direction: int = 0  # +1 more, -1 less, 0 the same
    # absence / universal: the quantities that must all be 0
    zero: list[Target] = field(default_factory=list)
    qualified: bool = False  # "因…等原因无法提供N件" names the group by an example reason
    label: str = ""  # a change's words for what changed ("新收申请")
    said: Optional["Mention"] = None  # "收到申请30件，较上年增加5件": this year's figure as stated
    status: Optional[Status] = None
    note: str = ""  # why it was not judged, in Chinese

    @property
    def value(self) -> Optional[Number]:
        return self.mention.value if self.mention is not None else None

    @property
    def subset_only(self) -> bool:
        return self.trigger == "含" or self.open_ended or len(self.parts) == 1

    @property
    def comparable(self) -> bool:
        return self.sentence.comparable

    def span(self) -> SpanRef:
        return self.sentence.span(self.start, self.end, self.quote)

    def judge(self, status: Status, note: str = "") -> None:
        # A claim judged twice (a breakdown part is also a count) keeps its worst verdict.
        order = [None, Status.supported, Status.unverifiable, Status.unread, Status.contradicted]
        if order.index(status) > order.index(self.status):
            self.status = status
            self.note = note or self.note


# ------------------------------------------------------------------ words

_T4_CONTEXT = re.compile(
    r"复议后(提起)?(行政)?起诉|未经复议直接起诉|直接(提起)?(行政)?起诉|未经复议|行政诉讼|诉讼|起诉|行政复议|复议"
)
T4_COLUMN_WORDS = [  # the 表四 column a word before a figure names
    (re.compile(r"维持"), "upheld"),
    (re.compile(r"纠正|纠错"), "corrected"),
    (re.compile(r"其他结果|其他|其它"), "other"),
    (re.compile(r"尚未审结|未审结|审理中|正在审理|未结"), "pending"),
]
_CASE_UNITS = ("件", "起", "宗", "例")
_APPLICATION_UNITS = {"件", "个", "条", "次", "宗", "例", "起"}
_NOT_A_COUNT = re.compile(r"^(部分|方面|大部分|大类|大项|工作日|日内|天内|小时)")  # "20个工作日内": a time limit
# A label that opens a new total ("，办结48件") ends a list of parts.
_NEW_TOTAL = re.compile(r"^(共|已|全年|本年|累计)?(受理|收到|办结|答复|共计|合计|总计)")
_TRIGGER = re.compile(r"其中|包括|包含|含(?![义量金有])")
_STOPWORD = re.compile(r"另有|此外|另外|同时|以及")
_DOC_VERB_THIS_YEAR = re.compile(r"制发|印发|出台|制定|发布|新增|新制作|新公开|公开")
_DOC_IN_FORCE = re.compile(r"现行有效|有效")
_DOC_REPEALED = re.compile(r"废止|失效")


def t4_group(text: str) -> Optional[str]:
    """The 表四 group named by the last case word in ``text`` (review, direct_suit …)."""
    last = None
    for m in _T4_CONTEXT.finditer(text):
        last = m.group()
    if last is None:
        return None
    if last.startswith("复议后"):
        return "suit_after_review"
    if "直接" in last or last == "未经复议":
        return "direct_suit"
    if "诉" in last:
        return "suit"
    return "review"


def usable(x: "Mention") -> bool:
    """A figure that states a count: not approximate, not a change, not a name or slogan."""
    # "六个部分" counts the report's parts, not cases or applications.
    return (x.m.kind is NumberKind.figure and not x.approximate and not x.delta and not x.names_something
            and not _NOT_A_COUNT.match(x.suffix))


def _case_words(s: "Sentence") -> list[tuple[int, Optional[str]]]:
    """(flat end, group) of each case word of the sentence, read once."""
    got = s.cache.get("case_words")
    if got is None:
        got = [(m.end(), t4_group(m.group())) for m in _T4_CONTEXT.finditer(s.flat)]
        s.cache["case_words"] = got
    return got


def group_before(s: "Sentence", flat_index: int) -> Optional[str]:
    """The 表四 group named by the last case word before ``flat_index`` in the sentence (t4_group, in one lookup)."""
    words = _case_words(s)
    k = bisect_right([end for end, _ in words], flat_index)
    return words[k - 1][1] if k else None


def _application_context(s: "Sentence") -> bool:
    return s.about_applications


# ------------------------------------------------------------------ a figure's target


def _t4_target(x: "Mention") -> Optional[T4]:
    s = x.sentence
    if not re.search(r"复议|诉讼|起诉", s.flat) or x.unit not in _CASE_UNITS:
        return None
    group = group_before(s, s.flat_index(x.m.start))
    if group is None:
        return None
    label = x.prefix + "|" + x.suffix
    column = next((c for p, c in T4_COLUMN_WORDS if p.search(label)), None)
    if column is None:
        if re.search(r"复议|诉讼|起诉|共|总", x.prefix):
            column = "total"
        else:
            return None
    return T4(group, column)


def _t3_target(x: "Mention", edition: Edition) -> tuple[Optional[T3], bool]:
    if x.unit not in _APPLICATION_UNITS:
        return None, False
    # 办结、收到 are said of many things: only in a statement about applications. The result
    # categories of table 三 are not: a paragraph that spoke of applications before will do.
    here = _application_context(x.sentence)
    # Outside a sentence about applications only a number of applications (件) counts: "不予公开信息12条" does not.
    if not here and (x.unit != "件" or not x.sentence.applications_before):
        return None, False
    if x.unit == "条" and "申请" not in x.prefix + x.suffix:
        return None, False  # 条 counts pieces of information ("不予公开信息12条"), not applications
    found = categories(x.prefix, edition)
    if found:
        keys, qualified = found
        return T3(keys), qualified
    key = application_key(x.prefix, edition) or application_key(x.suffix, edition)
    if key is None or key in NON_TABLE_KEYS or (not here and key in LEVEL_KEYS):
        return None, False
    if key in LEVEL_KEYS and _NOT_APPLICATIONS.search(x.prefix + x.suffix):
        return None, False
    return T3((key,)), False


def t2_target(label: str, suffix: str, edition: Edition) -> Optional[T2]:
    """The 表二 cells a figure's words name: 制发/现行有效 规范性文件、规章; 许可、处罚、强制决定."""
    docs = edition.block_by_key("documents")
    if docs:
        row = None
        m = re.search(r"(行政)?规范性文件$|规章$", label)
        if m and "政策性" not in label:
            row = "rules" if m.group().endswith("规章") else "normative"
        if row:
            if _DOC_REPEALED.search(label):
                keys: tuple[str, ...] = ("repealed",)
            elif _DOC_IN_FORCE.search(label):
                keys = ("in_force", "published_total")
            elif _DOC_VERB_THIS_YEAR.search(label):
                keys = ("issued", "made", "published")
            else:
                return None
            keys = tuple(k for k in keys if docs.column(k))
            return T2("documents", row, keys) if keys else None
    if "决定" in label + suffix:
        for block_key, row_key, word in (("licensing", "licensing", "行政许可"), ("enforcement", "penalty", "行政处罚"),
                                         ("enforcement", "coercion", "行政强制")):
            if word in label:
                block = edition.block_by_key(block_key)
                if block and block.row(row_key):
                    return T2(block_key, row_key, ("decisions",))
    return None


def _assign_target(x: "Mention", edition: Edition) -> bool:
    """Set ``x.target`` from its words; True when the words name a group by an example reason."""
    if x.m.kind is not NumberKind.figure or x.names_something:
        return False
    t4 = _t4_target(x)
    if t4 is not None:
        x.target = t4
        return False
    t3, qualified = _t3_target(x, edition)
    if t3 is not None:
        x.target = t3
        return qualified
    if x.unit in ("件", "项", "个", None):
        x.target = t2_target(x.prefix, x.suffix, edition)
    return False


# ------------------------------------------------------------------ "分别为"

_RESPECTIVELY = re.compile(r"分别为|分别是|依次为")


def _respectively(s: "Sentence") -> None:
    """"予以公开、部分公开分别为10件、4件": each figure takes its own item's words as its label."""
    figures = [x for x in s.mentions if x.m.kind is NumberKind.figure]
    starts = [x.m.start for x in figures]
    for m in _RESPECTIVELY.finditer(s.text):
        at = s.start + m.start()
        lo = max(0, m.start() - _ITEMS_SPAN)  # the items stand right before "分别为"
        head = s.text[lo: m.start()]
        cut = lo + max(head.rfind(c) for c in "，,：:；;。（(") + 1
        items = [(cut + i.start(), i.group()) for i in re.finditer(r"[^、和及与]+", s.text[cut:m.start()])
                 if i.group().strip()]
        k = bisect_left(starts, at + len(m.group()))
        after = figures[k:k + len(items)]
        if len(items) < 2 or len(after) < len(items):
            continue
        for (offset, item), x in zip(items, after):
            x.prefix = re.sub(r"\s+", "", item)
            x.prefix_at = s.start + offset + (len(item) - len(item.lstrip()))
            x.detached = True


# ------------------------------------------------------------------ the reader


class _Reader:
    def __init__(self, analysis: "NarrativeAnalysis"):
        self.a = analysis
        self.edition = analysis.edition
        self.claims: list[Claim] = []
        self._owners: dict[int, Claim] = {}  # a list's part -> the list (its total is a share's base)

    def read(self) -> list[Claim]:
        qualified: set[int] = set()
        for s in self.a.sentences:
            _respectively(s)
            for x in s.mentions:
                if _assign_target(x, self.edition):
                    qualified.add(id(x))
        for s in self.a.sentences:
            self._counts(s, qualified)
        for i, s in enumerate(self.a.sentences):
            self._breakdowns(i, s)
        self._owners = {id(p): c for c in self.claims if c.kind is Kind.breakdown for p in c.parts}
        for s in self.a.sentences:
            self._shares(s)
            self._changes(s)
            self._absences(s)
            self._universals(s)
        return self.claims

    def _add(self, claim: Claim) -> Claim:
        self.claims.append(claim)
        return claim

    # -- counts

    def _counts(self, s: "Sentence", qualified: set[int]) -> None:
        for x in s.mentions:
            if x.target is None or not usable(x):
                continue
            self._add(Claim(Kind.quantity, s, x.snippet_start, x.m.end, x.snippet, target=x.target, mention=x,
                            qualified=id(x) in qualified))

    # -- breakdowns

    def _breakdowns(self, index: int, s: "Sentence") -> None:
        text = self._paragraph_text(s)
        figures = [x for x in s.mentions if x.is_figure]
        ends = [x.m.end for x in figures]
        triggers = [(s.start + t.start(), s.start + t.end(), t.group()) for t in _TRIGGER.finditer(s.text)]
        after_trigger = {e for _, e, _ in triggers} | {e + 1 for _, e, _ in triggers}
        for t in re.finditer(r"[：:]", text[s.start:s.end]):
            pos = s.start + t.start()
            k = bisect_right(ends, pos)
            # "办结81件：" — a colon right after a count opens its list; "其中：" is the trigger's.
            if k and pos - ends[k - 1] <= 2 and pos not in after_trigger:
                triggers.append((pos, pos + 1, "："))
        triggers.sort()
        starts = [t[0] for t in triggers]
        totals: set[int] = set()
        for pos, end, word in triggers:
            k = bisect_right(ends, pos)
            if k:
                total = figures[k - 1]
            elif s.previous is not None and s.previous.mentions and word == "其中":
                figs = [x for x in s.previous.mentions if x.is_figure]
                if not figs:
                    continue
                total = figs[-1]
            else:
                continue
            if total.unit not in COUNT_UNITS | MONEY_UNITS or total.names_something or id(total) in totals:
                continue  # one list, however many words announce it
            parts = self._parts(index, s, text, pos, end, starts, total)
            if not parts:
                continue
            totals.add(id(total))
            last = parts[-1]
            exhaustive = bool(re.search(r"其他|其余|剩余|其它", last.prefix))
            ltext = self._paragraph_text(last.sentence)
            tail = ltext[last.m.end:last.m.end + 3]
            open_ended = bool(re.match(r"\s*(等|左右)", tail))
            trigger = "含" if word == "含" else ("其中" if word == "：" else word)
            self._add(Claim(Kind.breakdown, total.sentence, total.snippet_start, total.m.end, total.snippet,
                            target=total.target, mention=total, parts=parts, trigger=trigger,
                            exhaustive=exhaustive, open_ended=open_ended))

    def _paragraph_text(self, s: "Sentence") -> "_Padded":
        # Sentences keep their own text; the readers use the paragraph's offsets.
        return _Padded(s)

    def _parts(self, index: int, s: "Sentence", text: "_Padded", pos: int, end: int,
               trigger_starts: list[int], total: "Mention") -> list["Mention"]:
        depth = s.depth_at(pos)
        money = total.unit in MONEY_UNITS
        family = _family(total)
        parts: list["Mention"] = []
        prev_end = end
        sentence, stext = s, text
        base_depth = 0  # the depth a later clause starts at, counted from the list's bracket
        k = index
        while True:
            figures, fstarts = _figures(sentence)
            for i in range(bisect_left(fstarts, prev_end), len(figures)):
                x = figures[i]
                gap = stext[prev_end:x.m.start]
                if _STOPWORD.search(gap):
                    return parts
                fdepth = base_depth + sentence.depth_at(x.m.start)
                if depth and fdepth < depth and any(c in CLOSE_BRACKETS for c in gap):
                    return parts  # the bracket holding the list has closed
                if fdepth > depth:
                    continue  # a nested breakdown of the previous part, not a part itself
                if sentence is s:
                    # A figure followed by its own trigger is the total of the next claim.
                    t = bisect_left(trigger_starts, x.m.end)
                    if t < len(trigger_starts) and trigger_starts[t] > pos and (
                            i + 1 >= len(figures) or figures[i + 1].m.start >= trigger_starts[t]):
                        return parts
                if parts and (_NEW_TOTAL.match(x.prefix) or application_key(x.prefix, self.edition) in LEVEL_KEYS):
                    return parts  # "…，结转下年度3件" after a breakdown is a new quantity, not a part
                if (x.unit in MONEY_UNITS) != money or (not money and x.unit not in COUNT_UNITS):
                    return parts
                if sentence is not s and (not _same_family(family, x) or (parts and x.unit != parts[-1].unit)):
                    return parts  # the next clause speaks of something else
                if x.names_something:
                    continue
                parts.append(x)
                prev_end = x.m.end
            # The list runs on into the next clause when this one ends with "；".
            nxt_s = self.a.sentences[k + 1] if k + 1 < len(self.a.sentences) else None
            if not (sentence.continues and nxt_s is not None and nxt_s.previous is sentence and parts
                    and prev_end >= max((x.m.end for x in figures), default=0)):
                return parts
            base_depth += sentence.depth_at(sentence.end)
            if depth and base_depth < depth:
                return parts
            k += 1
            sentence = nxt_s
            stext = self._paragraph_text(sentence)
            prev_end = sentence.start

    # -- shares

    def _shares(self, s: "Sentence") -> None:
        before: list["Mention"] = []  # usable figures so far in the sentence, nearest last
        for x in s.mentions:
            if x.is_figure:
                if usable(x):
                    before.append(x)
                continue
            if x.m.kind is not NumberKind.percent or x.approximate or x.delta:
                continue
            m = _SHARE.search(x.prefix)
            if not m:
                continue
            part_words = x.prefix[: m.start()]
            base_words = _BASE_TAIL.sub("", x.prefix[m.end():])
            part = self._operand(s, part_words, before)
            base = self._base(s, base_words, part, before)
            raw = _flat(x.m.raw)
            start = part.mention.snippet_start if part.mention else x.snippet_start
            quote = f"{part.mention.snippet}…{raw}" if part.mention else x.snippet
            self._add(Claim(Kind.share, s, start, x.m.end, quote, mention=x, part=part, base=base))

    def _operand(self, s: "Sentence", words: str, before: list["Mention"]) -> Operand:
        words = _PART_TAIL.sub("", words)
        target = self._words_target(words, s) if words else None
        mention = None
        if not words and before:
            mention = before[-1]
            target = mention.target
        return Operand(words, mention, target)

    def _base(self, s: "Sentence", words: str, part: Operand, before: list["Mention"]) -> Operand:
        target = self._words_target(words, s, base=True) if words else None
        if target is None and isinstance(part.target, T4) and words and t4_group(words) is None:
            target = None
        mention = None
        if part.mention is not None and (not words or _GENERIC_BASE.fullmatch(words)):
            owner = self._owners.get(id(part.mention))
            if owner is not None and owner.mention is not None:
                mention = owner.mention
                target = target or owner.mention.target
        if target is None and mention is None and not words and part.mention is None:
            # "予以公开的比例为34.5%": a result's share is of （七）总计, a case outcome's of its group.
            if isinstance(part.target, T3) and not set(part.target.keys) & set(LEVEL_KEYS):
                target = T3(("total",))
            elif isinstance(part.target, T4) and part.target.column != "total":
                target = T4(part.target.group, "total")
        others: list["Mention"] = []
        if mention is None and target is None and not words and part.mention is not None:
            # No base named and no list: an earlier figure at least as large may be the base
            # (the nearest few: a base is stated close to its share).
            others = [f for f in before[-_NEAR - 1:] if f is not part.mention and f.value >= part.mention.value]
        return Operand(words, mention, target, others)

    def _words_target(self, words: str, s: "Sentence", base: bool = False) -> Optional[Target]:
        """The quantity a share's part or base names in words."""
        group = t4_group(words)
        if group is not None:
            column = next((c for p, c in T4_COLUMN_WORDS if p.search(words)), "total")
            if base:
                column = "total"
            return T4(group, column)
        found = categories(words, self.edition)
        if found:
            return T3(found[0])
        if base and re.search(r"办结|答复|办理|处理完毕", words):
            return T3(("total",))
        if base and re.search(r"新收", words):
            return T3(("new",))
        if base and re.search(r"收到|受理|申请", words):
            return T3(("received",))
        key = application_key(words, self.edition)
        if key and key not in NON_TABLE_KEYS:
            return T3((key,))
        return None

    # -- changes and orders

    def _changes(self, s: "Sentence") -> None:
        earlier = bool(_BASELINE.search(s.earlier_clauses))
        baselines = [m.start() for m in _BASELINE.finditer(s.flat)]
        mine: list[Claim] = []  # this sentence's changes so far
        for i, x in enumerate(s.mentions):
            if x.approximate:
                continue
            verb = _CHANGE_VERB.search(x.prefix)
            if not verb:
                continue
            if not earlier and not (baselines and baselines[0] < s.flat_index(x.m.start)):
                continue
            percent = x.m.kind is NumberKind.percent
            if not percent and (x.m.kind is not NumberKind.figure or x.unit not in ("件", "个", "宗", "起", "例", "项", "条")):
                continue
            head = _BASELINE.sub("", x.prefix[: verb.start()])
            head = re.sub(r"^(与|和)?(上年|去年)?(相比|同期相比)?", "", head)
            said = None
            if not head:
                before = s.mentions[i - 1] if i else None
                if percent and mine and verb.group(1) in ("降幅", "增幅"):
                    head = mine[-1].label
                elif before is not None and usable(before):
                    head, said = before.prefix, before
                else:
                    continue
            target = self._change_target(head, s)
            word = verb.group(1)
            direction = -1 if word in _DOWN else 1
            mine.append(self._add(Claim(Kind.change, s, x.prefix_offset(max(0, len(x.prefix) - 14)), x.m.end,
                                        f"{x.prefix[-14:]}{_flat(x.m.raw)}", target=target, mention=x,
                                        direction=direction, label=head, said=said)))
        figure_at = {s.flat_index(x.m.start) for x in s.mentions}
        for m in _ORDER.finditer(s.flat):
            start = m.start()
            if m.end() in figure_at or m.end() + 1 in figure_at:
                continue  # "有所增加5件": a change with its figure, read above
            if not earlier and not (baselines and baselines[0] < m.end()):
                continue
            head = _BASELINE.sub("", m.group("what"))
            head = re.sub(r"^(与|和)?(上年|去年)?(相比|同期相比)?[，,]?", "", head)
            if not head:
                continue
            target = self._change_target(head, s)
            word = m.group("verb")
            direction = 0 if "持平" in word else (-1 if any(w in word for w in _DOWN) else 1)
            self._add(Claim(Kind.order, s, s.offset(start), s.offset(m.end() - 1) + 1, m.group(),
                            target=target, direction=direction, label=head))

    def _change_target(self, label: str, s: "Sentence") -> Optional[Target]:
        group = t4_group(label)
        if group is not None and not any(p.search(label) for p, _ in T4_COLUMN_WORDS):
            return T4(group, "total")
        if _RATE.search(label):
            return None  # "办结率同比提高2%" is a rate, not a count
        if "申请" in label or s.about_applications:
            found = categories(label, self.edition)
            if found:
                return T3(found[0])
            key = application_key(label, self.edition)
            if key and key not in NON_TABLE_KEYS and not _NOT_APPLICATIONS.search(label):
                return T3((key,))
        return t2_target(label, "决定" if "决定" in label else "", self.edition)

    # -- absences

    def _absences(self, s: "Sentence") -> None:
        done: set[int] = set()
        figure_at = sorted(s.flat_index(x.m.start) for x in s.mentions if x.is_figure and not x.names_something)
        for m in _NEG.finditer(s.flat):
            if m.group(1) == "没有" and "无论" in s.flat[max(0, m.start() - 2):m.end()]:
                continue
            a = max(s.flat.rfind(c, 0, m.start()) for c in "，,；;。：:") + 1
            b = min([i for i in (s.flat.find(c, m.end()) for c in "，,；;。") if i >= 0] or [len(s.flat)])
            if a in done:
                continue  # "未制发、未废止…": one clause, one claim
            done.add(a)
            clause = s.flat[a:b]
            after = s.flat[m.start():b]
            if bisect_left(figure_at, a) < bisect_left(figure_at, b):
                continue  # a clause with a figure states a count
            zero = self._absent_targets(clause, after, s)
            if not zero:
                continue
            self._add(Claim(Kind.absence, s, s.offset(a), s.offset(b - 1) + 1, clause, zero=zero))

    def _absent_targets(self, clause: str, after: str, s: "Sentence") -> list[Target]:
        if re.search(r"复议|诉讼|起诉", after):
            corrected = bool(re.search(r"纠正|纠错|败诉|撤销|确认违法", after))
            column = "corrected" if corrected else "total"
            out: list[Target] = []
            if re.search(r"复议", after) and not re.search(r"复议后", after):
                out.append(T4("review", column))
            if re.search(r"诉讼|起诉", after):
                out.append(T4("suit", column))
            return out
        if re.search(r"责任追究|追责|问责|投诉|举报|信访|提案|建议|收费|信息处理费", clause):
            return []
        docs = _DOC_ROW.search(clause)
        if docs and self.edition.block_by_key("documents"):
            row = "rules" if docs.group().endswith("规章") else "normative"
            block = self.edition.block_by_key("documents")
            out = []
            if re.search(r"制发|新增|出台|印发|制定|新制作", clause) and block:
                cols = tuple(k for k in ("issued", "made") if block.column(k))
                if cols:
                    out.append(T2("documents", row, cols))
            if re.search(r"废止", clause) and block and block.column("repealed"):
                out.append(T2("documents", row, ("repealed",)))
            return out
        if "结转" in clause:
            if re.search(r"上年|上一年|结转(至|到)本年|以前年度", clause):
                return [T3(("carried_in",))]
            return [T3(("carried_out",))]
        if "申请" not in clause and not _application_context(s):
            return []
        found = categories(after, self.edition)
        if found:
            return [T3((k,)) for k in found[0]]
        for pattern, key in _ABSENT_CATEGORIES:
            if pattern.search(after) and rows_for(self.edition, key):
                return [T3((key,))]
        if "申请" in clause and re.search(r"收到|新收|受理|接到|提出", clause):
            return [T3(("new",))]
        return []

    # -- universals

    def _universals(self, s: "Sentence") -> None:
        for m in _ALL_UPHELD.finditer(s.flat):
            group = group_before(s, m.start())
            if group is None:
                continue
            if "审结" in m.group():
                zero: list[Target] = [T4(group, "pending")]
            elif "胜诉" in m.group():
                zero = [T4(group, "corrected")]
            else:
                zero = [T4(group, c) for c in ("corrected", "other", "pending")]
            self._add(Claim(Kind.universal, s, s.offset(m.start()), s.offset(m.end() - 1) + 1, m.group(), zero=zero))
        for m in _ALL_ONE_WAY.finditer(s.flat):
            if group_before(s, m.start()) not in ("suit", "direct_suit", "suit_after_review") \
                    and not re.search(r"诉讼|起诉", m.group()):
                continue
            other = "suit_after_review" if m.group("direct") else "direct_suit"
            self._add(Claim(Kind.universal, s, s.offset(m.start()), s.offset(m.end() - 1) + 1, m.group(),
                            zero=[T4(other, "total")]))
        if _application_context(s):
            for m in _ALL_FROM.finditer(s.flat):
                cols = self.edition.table3.applicant_columns
                if m.group("person"):
                    keep = [cols[0]]
                else:
                    keep = cols[1:]
                zero = [T3(("new",), c) for c in cols if c not in keep]
                self._add(Claim(Kind.universal, s, s.offset(m.start()), s.offset(m.end() - 1) + 1, m.group(),
                                zero=zero))
            for m in _ALL_DISCLOSED.finditer(s.flat):
                zero = [T3((k,)) for k in ("partly", "withheld", "unavailable", "not_processed", "other")
                        if rows_for(self.edition, k)]
                self._add(Claim(Kind.universal, s, s.offset(m.start()), s.offset(m.end() - 1) + 1, m.group(),
                                zero=zero))


def _figures(s: "Sentence") -> tuple[list["Mention"], list[int]]:
    """The sentence's figures and their offsets, read once."""
    got = s.cache.get("figures")
    if got is None:
        figures = [x for x in s.mentions if x.is_figure]
        got = (figures, [x.m.start for x in figures])
        s.cache["figures"] = got
    return got


class _Padded:
    """A sentence's text indexed by paragraph offsets (slices only), without building the padding."""

    def __init__(self, s: "Sentence") -> None:
        self.start = s.start
        self.text = s.text

    def __getitem__(self, k: slice) -> str:
        a = max(0, (k.start or 0) - self.start)
        b = max(0, (k.stop if k.stop is not None else self.start + len(self.text)) - self.start)
        return self.text[a:b]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _family(total: "Mention") -> str:
    if isinstance(total.target, T4) or re.search(r"复议|诉讼|起诉", total.prefix):
        return "review"
    if isinstance(total.target, T3) or "申请" in total.prefix:
        return "application"
    return "other"


def _same_family(family: str, x: "Mention") -> bool:
    """Can ``x``, in a later clause, still be a part of a list of this family?"""
    cases = bool(re.search(r"复议|诉讼|起诉", x.prefix))
    if family == "review":
        return not cases and any(p.search(x.prefix) for p, _ in T4_COLUMN_WORDS)
    if family == "application":
        return not cases and isinstance(x.target, T3) and x.target.keys[0] not in LEVEL_KEYS
    return not cases and not isinstance(x.target, (T3, T4))


_NEAR = 8  # earlier figures an unnamed base may be
_ITEMS_SPAN = 120  # characters before "分别为" its items may take

# "占办结总数的49.4%", "占比", "比例为": a share; what follows 占 up to 的/比例 is its base.
_SHARE = re.compile(r"占比|占(?!用|有|据|地)|比例|比重")
_BASE_TAIL = re.compile(r"(的)?(比例|比重|占比)?(为|是|达到|达|约为|约)?$")
_PART_TAIL = re.compile(r"(的)?(申请|数量|件数|案件)?(合计|共计|总计)?$")
_GENERIC_BASE = re.compile(r"(总数|总量|全部|合计|总体|全部申请|总计)?")
_RATE = re.compile(r"率|比例|比重|占比|平均|时限|天数|时长|工作日")
_BASELINE = re.compile(r"(?:较|比|与|同)(?:上年度?|去年|上一年度?|\d{4}年度?)(?:同期)?(?:相比)?|同比|环比")
_CHANGE_VERB = re.compile(r"(增加|减少|增长|下降|上升|提高|降低|降幅|增幅|多|少)了?(?:幅度)?(?:为|达)?$")
_DOWN = {"减少", "下降", "降低", "降幅", "少"}
_ORDER = re.compile(
    r"(?P<what>[^，,；;。：:]{2,24}?)(?P<verb>有所(?:增加|减少|增长|下降|上升|提高|降低)|与上年持平|持平|基本持平)"
)
_NEG = re.compile(
    r"(未收到|没有收到|未发生过|未发生|没有发生|未出现|没有出现|未产生|没有产生|未有|没有|无(?![法论需须正现任一其他关])|零"
    r"|未(?=制发|废止|新制作|印发|出台|制定|新增))"
)
_DOC_ROW = re.compile(r"(?:行政)?规范性文件|规章")
_ABSENT_CATEGORIES = [
    (re.compile(r"部分公开"), "partly"),
    (re.compile(r"不予公开|不公开"), "withheld"),
    (re.compile(r"无法提供"), "unavailable"),
    (re.compile(r"不予处理"), "not_processed"),
]
_ALL_UPHELD = re.compile(
    r"(?:均|全部|全都|都|一律)(?:获|被|予以|得到|已|为)?(?:结果)?维持|均已维持"
    r"|(?:均|全部|都)已?审结|(?:均|全部|都)(?:获)?胜诉"
)
_ALL_ONE_WAY = re.compile(
    r"(?:均|全部|都)(?:为|是|系|属于?)?(?P<direct>未经(?:行政)?复议(?:直接)?(?:提起|起诉)?)"
    r"|(?:均|全部|都)(?:为|是|系|在|经)?(?:经)?(?P<after>(?:行政)?复议后)"
)
_ALL_FROM = re.compile(r"(?:均|全部|都)(?:由|是|为|来自)(?:(?P<person>自然人)|(?P<org>法人或其他组织|法人和其他组织))")
_ALL_DISCLOSED = re.compile(r"申请[^，,。；;]{0,8}?(?:均|全部|一律)(?:予以|被|已)?(?:同意)?公开(?![栏专平网渠方形])")


def read_claims(analysis: "NarrativeAnalysis") -> list[Claim]:
    """Every claim of the narrative, in reading order of kind (counts, breakdowns, shares …)."""
    return _Reader(analysis).read()


__all__ = ["Claim", "Kind", "Operand", "Resolved", "Status", "T2", "T3", "T4", "Target", "Value",
           "read_claims", "resolve", "t4_group", "target_name", "usable"]
