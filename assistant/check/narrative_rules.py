"""Narrative rules: claims in the prose against their own parts and the tables.

N1–N11 and I5 (the lawsuit total is only ever compared with a narrative
figure). Figures in sentences about a wider scope (全区 in a department's
report) or another year are never compared with the agency's own tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from ..model import Edition, NumberKind, Report
from ..model.editions import Table2Block
from ..model.refs import AreaKind, AreaRef, Aspect
from ..model.report import Number
from .agency import SCOPE_UNITS, Agency, read_agency
from .catalogue import CheckContext, rule
from .findings import Finding, Severity
from .narrative import MONEY_UNITS, Claim, Mention, Sentence
from .quantities import _NOT_APPLICATIONS, LEVEL_KEYS, NON_TABLE_KEYS, RESULT_TOP_KEYS, application_key, top_level
from .tables import (
    Sum,
    Tables,
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
    results_sum,
    rows_for,
)

ART50 = "《政府信息公开条例》第五十条"
BASIS_N1 = f"{ART50}第（三）项；年度报告格式表三（叙述与表格数据应一致）"
BASIS_T4 = f"{ART50}第（三）项；年度报告格式表四"



_NOT_A_COUNT = re.compile(r"^(部分|方面|大部分|大类|大项)")


def _usable(x: Mention) -> bool:
    # "六个部分" counts the report's parts, not cases or applications.
    return (x.m.kind is NumberKind.figure and not x.approximate and not x.delta
            and not _NOT_A_COUNT.match(x.suffix))


# ------------------------------------------------------------ table values


def _table_candidates(ctx: Tables, key: str) -> list[tuple[str, Number, str]]:
    """(what, value, how computed) the table offers for an application quantity."""
    rep, ed = ctx.report, ctx.edition
    decl = ed.table3
    col = decl.total_column

    def one(k: str) -> Optional[tuple[Number, str]]:
        if k == "total":
            c = cell3(rep, decl.row("total").label, col)
            if c.is_number:
                return plain(figure(c)), f"（七）总计 {fmt(c.value)}"
            if is_empty(c):
                s = results_sum(rep, ed, col)
                if s.decidable and not s.all_empty:
                    return s.total, f"（七）为空，按各结果行之和 {s.equation()}"
            return None
        s = quantity_sum(rep, ed, k, col)
        if not s.decidable or not s.values:
            return None
        note = "（空白按0计）" if s.used_blanks else ""
        return s.total, f"{quantity_label(ed, k)} {s.equation()}{note}"

    if key == "received":
        out: list[tuple[str, Number, str]] = []
        a, b = one("new"), one("carried_in")
        if a:
            out.append(("本年新收", a[0], a[1]))
            if b:
                out.append(("本年新收与上年结转之和", plain(a[0] + b[0]), f"{a[1]} + {b[1]} = {fmt(plain(a[0] + b[0]))}"))
        return out
    names = {"new": "本年新收", "carried_in": "上年结转", "total": "（七）总计", "carried_out": "结转下年度继续办理"}
    got = one(key)
    if not got:
        return []
    return [(names.get(key, quantity_label(ed, key)), got[0], got[1])]


# ---------------------------------------------------------------- N1


@rule(
    "N1",
    "叙述中的申请件数（收到、上年结转、办结、结转）与表三一致",
    Severity.error,
    explanation=(
        "总体情况等部分写到的申请数量要与表三总计列一致：新收对应“一、本年新收”，上年结转对应“二”，"
        "办结、答复对应“（七）总计”，结转、顺延对应“四、结转下年度继续办理”。“受理”“收到”可能指本年新收，"
        "也可能指新收加上年结转，两者符合其一即可。写明是全市、全区等更大范围的数字不与本机关表格比较。"
        "例如叙述“申请办结数33件”而表三（七）总计为35件。"
    ),
    basis=BASIS_N1,
)
def check_n1(ctx: CheckContext) -> Iterator[Finding]:
    for s in ctx.narrative.sentences:
        if not s.comparable:
            continue
        for x in s.mentions:
            if x.quantity not in LEVEL_KEYS or not _usable(x):
                continue
            cands = _table_candidates(ctx, x.quantity)
            if not cands or any(close(v, x.value) for _, v, _ in cands):
                continue
            word = {"received": "受理（收到）", "new": "本年新收", "carried_in": "上年结转",
                    "total": "办结（答复）", "carried_out": "结转下年度"}[x.quantity]
            table_text = "，也不等于".join(f"{n}{fmt(v)}件" for n, v, _ in cands)
            yield ctx.finding(
                f"叙述中{word}{fmt(x.value)}件，不等于表三{table_text}。",
                spans=[x.span()],
                expected=cands[0][1],
                actual=plain(x.value),
                computation="；".join(f"表三 {how}" for _, _, how in cands) + f"；叙述 {fmt(x.value)}",
            )


# ---------------------------------------------------------------- claims


def _claim_family(claim: Claim, ctx: CheckContext) -> str:
    if claim.total.quantity or any(p.quantity for p in claim.parts):
        return "application"
    if _review_context(claim.total) is not None:
        return "review"
    return "other"


def _claim_problem(claim: Claim) -> Optional[tuple[Severity, Number, list[Mention]]]:
    """None when the parts can make up the total; else (severity, sum, parts used)."""
    if claim.total.approximate or any(p.approximate for p in claim.parts):
        return None
    total = claim.total.value
    values = [p.value for p in claim.parts]
    if claim.subset_only:
        s = plain(sum(values))
        return None if s <= total + 1e-6 else (Severity.error, s, claim.parts)
    running: Number = 0
    for v in values:
        running += v
        if close(running, total):
            return None
    s = plain(running)
    if s > total or claim.exhaustive:
        return (Severity.error, s, claim.parts)
    return (Severity.info, s, claim.parts)


def _claim_findings(ctx: CheckContext, family: str) -> Iterator[Finding]:
    for claim in ctx.narrative.claims:
        if _claim_family(claim, ctx) != family:
            continue
        problem = _claim_problem(claim)
        if problem is None:
            continue
        severity, s, parts = problem
        t = claim.total
        expr = " + ".join(fmt(p.value) for p in parts)
        unit = t.unit if t.unit not in MONEY_UNITS else "元"
        if claim.subset_only:
            msg = f"“{t.snippet}”{claim.trigger}所列{fmt(s)}{unit or ''}，超过了总数{fmt(t.value)}。"
            comp = f"{expr} = {fmt(s)} > {fmt(t.value)}" if len(parts) > 1 else f"{fmt(s)} > {fmt(t.value)}"
        elif s > t.value or claim.exhaustive:
            msg = f"“{t.snippet}”{claim.trigger}所列各项之和为{fmt(s)}，与总数{fmt(t.value)}不符。"
            comp = f"{expr} = {fmt(s)} ≠ {fmt(t.value)}"
        else:
            msg = (f"“{t.snippet}”{claim.trigger}所列各项之和为{fmt(s)}，小于总数{fmt(t.value)}；"
                   "如所列即全部构成，请核对。")
            comp = f"{expr} = {fmt(s)} < {fmt(t.value)}"
        yield ctx.finding(
            msg,
            spans=[t.span()],
            expected=plain(t.value),
            actual=s,
            computation=comp,
            severity=severity,
        )


# ---------------------------------------------------------------- N2


def _category_findings(ctx: CheckContext, s: Sentence) -> Iterator[Finding]:
    ed = ctx.edition
    by_key: dict[str, list[Mention]] = {}
    for x in s.mentions:
        if x.quantity and x.quantity not in LEVEL_KEYS and x.quantity not in NON_TABLE_KEYS and _usable(x):
            by_key.setdefault(x.quantity, []).append(x)
    if not by_key:
        return
    claimed_top = {top_level(ed, k) for k in by_key}
    for key, ms in by_key.items():
        cands = _table_candidates(ctx, key)
        if not cands:
            continue
        _, table, how = cands[0]
        narr = plain(sum(m.value for m in ms))
        if close(narr, table):
            continue
        label = quantity_label(ed, key)
        named = "、".join(f"“{m.snippet}”" for m in ms)
        narr_expr = " + ".join(fmt(m.value) for m in ms) + (f" = {fmt(narr)}" if len(ms) > 1 else "")
        moved = None
        diff = narr - table
        if diff > 0:
            for m in ms:
                if not close(m.value, diff):
                    continue
                for other in RESULT_TOP_KEYS:
                    if other in claimed_top or not rows_for(ed, other):
                        continue
                    oc = _table_candidates(ctx, other)
                    if oc and close(oc[0][1], m.value):
                        moved = (m, other, oc[0])
                        break
                if moved:
                    break
        if moved:
            m, other, (_, ov, ohow) = moved
            yield ctx.finding(
                f"叙述中“{m.snippet}”按含义属于{label}，但表三{label}只有{fmt(table)}件，"
                f"而表三{quantity_label(ed, other)}恰为{fmt(ov)}件：叙述与表格的分类口径不一致。",
                spans=[m.span()],
                expected=plain(table),
                actual=narr,
                computation=f"叙述 {narr_expr} ≠ 表三 {how}；差 {fmt(plain(diff))} = 表三 {ohow}",
                severity=Severity.warning,
            )
            continue
        yield ctx.finding(
            f"叙述中{named}对应表三{label}，叙述为{fmt(narr)}件，表中为{fmt(table)}件。",
            spans=[ms[0].span()],
            expected=plain(table),
            actual=narr,
            computation=f"叙述 {narr_expr} ≠ 表三 {how}",
        )


@rule(
    "N2",
    "叙述中的办理结果分项：自身相加一致，且与表三各结果类一致",
    Severity.error,
    explanation=(
        "“办结N件，其中予以公开a件、部分公开b件……”这类说法，各分项之和要等于所说的总数，"
        "每个分项也要等于表三对应结果类（不予公开、无法提供、不予处理、其他处理按小计）。"
        "例如“申请办结数33件，其中4件、0件、26件、5件”相加是35件；叙述把“信息不存在5件”归作无法提供，"
        "表中这5件却在（六）其他处理，属于分类口径不一致（警告）。"
    ),
    basis=f"{BASIS_N1}；表三（二）行标签“区分处理的，只计这一情形”",
)
def check_n2(ctx: CheckContext) -> Iterator[Finding]:
    yield from _claim_findings(ctx, "application")
    for s in ctx.narrative.sentences:
        if s.comparable:
            yield from _category_findings(ctx, s)


# ---------------------------------------------------------------- N3

_SHARE = re.compile(r"占|比例|比重|占比")


def _decimals(raw: str) -> int:
    m = re.search(r"[.．](\d+)", raw)
    return len(m.group(1)) if m else 0


@rule(
    "N3",
    "百分比按所述基数计算并正确舍入；同比增减与上年报告相符",
    Severity.warning,
    explanation=(
        "“予以公开30件，占办结总数的41%”这样的百分比，要用所说的分子除以基数、按写出的小数位四舍五入。"
        "例如 5 ÷ 12 = 41.67%，应写42%或41.7%，写41%即有误。找不到明确基数的百分比（如“合格率100%”）不核对。"
        "提供上年报告时，还核对“较上年增长12.3%”“同比下降5%”“比上年增加14件”这类说法："
        "所说的数量能对应两年表格都有的数字（新收申请、办结总计、行政复议总计）时，增减的件数或按写出的小数位舍入的百分比要相符。"
        "没有上年报告时不核对同比说法。"
    ),
    basis="年度报告格式“数据精确”要求；《政府信息公开条例》第六条（信息准确）",
)
def check_n3(ctx: CheckContext) -> Iterator[Finding]:
    yield from _share_findings(ctx)
    yield from _change_findings(ctx)


def _share_findings(ctx: CheckContext) -> Iterator[Finding]:
    claims_by_part = {id(p): c for c in ctx.narrative.claims for p in c.parts}
    for s in ctx.narrative.sentences:
        figures = [x for x in s.mentions if x.m.kind is NumberKind.figure]
        for x in s.mentions:
            if x.m.kind is not NumberKind.percent or x.approximate:
                continue
            if not _SHARE.search(x.prefix) or x.delta:
                continue
            before = [f for f in figures if f.m.end <= x.m.start]
            if not before:
                continue
            part = before[-1]
            bases = []
            claim = claims_by_part.get(id(part))
            if claim is not None:
                bases.append(claim.total.value)
            bases.extend(f.value for f in before[:-1])
            bases = [b for b in bases if b and b > 0 and b >= part.value]
            if not bases:
                continue
            p = x.value
            tol = 0.5 * 10 ** -_decimals(x.m.raw) + 1e-9
            if any(abs(part.value / b * 100 - p) <= tol for b in bases):
                continue
            b = bases[0]
            exact = part.value / b * 100
            shown = round(exact, max(_decimals(x.m.raw), 1))
            yield ctx.finding(
                f"百分比{x.m.raw}与所述数字不符：{fmt(part.value)} ÷ {fmt(b)} = {shown}%。",
                spans=[s.span(part.snippet_start, x.m.end, f"{part.snippet}…{x.m.raw}")],
                expected=shown,
                actual=plain(p),
                computation="；".join(f"{fmt(part.value)} ÷ {fmt(c)} × 100 = {round(part.value / c * 100, 2)}%" for c in bases)
                + f"；叙述 {x.m.raw}",
            )


# Year-over-year changes: "较上年增长12.3%", "同比下降5%", "比上年增加14件".
_CHANGE = re.compile(
    r"(?:(?:较|比|与)(?:上年度?|去年|上一年度?|(\d{4})年度?)(?:同期)?(?:相比)?|同比)"
    r"(增长|增加|上升|提高|多|下降|减少|降低|少)了?$"
)
_RATE = re.compile(r"率|比例|比重|占比|平均|时限|天数|时长|工作日")
_UP = {"增长", "增加", "上升", "提高", "多"}


@dataclass
class _Year:
    """The report and edition of one year, as the table helpers read them."""

    report: Report
    edition: Edition


def _yearly_values(ctx: CheckContext, key: Optional[str],
                   group: Optional[str]) -> list[tuple[str, Number, Number, str]]:
    """[(what, this year, last year, how)] for the quantity both years' tables give."""
    now, before = ctx, _Year(ctx.last, ctx.last_edition)
    if group == "review":
        a, b = _t4_value(now, "review", "total"), _t4_value(before, "review", "total")
        if a and b:
            return [("行政复议总计", a[0], b[0], f"本年{a[1]}；上年{b[1]}")]
        return []
    if key is None:
        return []
    prev = {name: (v, how) for name, v, how in _table_candidates(before, key)}
    return [(name, v, prev[name][0], f"本年表三 {how}；上年表三 {prev[name][1]}")
            for name, v, how in _table_candidates(now, key) if name in prev]


def _change_findings(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.previous is None:
        return
    from .cross_year import _mismatch

    if _mismatch(ctx) is not None:
        return  # X1 says why the years cannot be compared
    year = ctx.report.year
    for s in ctx.narrative.sentences:
        if s.wider_scope is not None:
            continue
        for i, x in enumerate(s.mentions):
            if not x.delta or x.approximate:
                continue
            m = _CHANGE.search(x.prefix)
            if not m or (m.group(1) and (not year or int(m.group(1)) != year - 1)):
                continue
            if s.other_year is not None and not (year and s.other_year == year - 1):
                continue
            percent = x.m.kind is NumberKind.percent
            if not percent and (x.m.kind is not NumberKind.figure or x.unit not in ("件", "个", "宗", "起", "例")):
                continue
            head = x.prefix[: m.start()]
            said = None  # this year's figure as the narrative states it
            if head:
                label = head
            else:
                before = s.mentions[i - 1] if i else None
                if before is None or not _usable(before) or before.m.kind is not NumberKind.figure:
                    continue
                label, said = before.prefix, before.value
            group = "review" if (t4_group(label) == "review" and not any(p.search(label) for p, _ in T4_COLUMN_WORDS)) else None
            key = application_key(label, ctx.edition) if group is None and ("申请" in label or "申请" in s.flat) else None
            if group is None and key not in ("new", "received", "total"):
                continue
            if key and _NOT_APPLICATIONS.search(label) or _RATE.search(label):
                continue  # "办结率同比提高2%" is a rate, not a count
            values = _yearly_values(ctx, key, group)
            if said is not None:
                values = [v for v in values if close(v[1], said)]
            if not values:
                continue
            sign = 1 if m.group(2) in _UP else -1
            stated = sign * x.value
            ok, shown = False, []
            for name, cur, old, how in values:
                if percent:
                    if not old:
                        ok = True  # no base to compute a rate on
                        break
                    exact = (cur - old) / old * 100
                    d = _decimals(x.m.raw)
                    if abs(exact - stated) <= 0.5 * 10 ** -d + 1e-9:
                        ok = True
                        break
                    r = round(exact, max(d, 1))
                    shown.append((name, cur, old, how, f"{'增长' if r >= 0 else '下降'}{fmt(abs(r))}%"))
                elif close(cur - old, stated):
                    ok = True
                    break
                else:
                    diff = plain(cur - old)
                    shown.append((name, cur, old, how, f"{'增加' if diff >= 0 else '减少'}{fmt(abs(diff))}件"))
            if ok or not shown:
                continue
            name, cur, old, how, right = shown[0]
            raw = re.sub(r"\s+", "", x.m.raw)
            yield ctx.finding(
                f"叙述称“{m.group()}{raw}”，但按本年与上年报告的{name}（{fmt(cur)}件、{fmt(old)}件）"
                f"计算，应为{right}。",
                spans=[s.span(x.prefix_offset(max(0, len(head) - 10)), x.m.end, f"{head[-10:]}{m.group()}{raw}")],
                expected=right,
                actual=f"{fmt(plain(stated))}{'%' if percent else '件'}",
                computation="；".join(f"{h}；{fmt(c)} − {fmt(o)} = {fmt(plain(c - o))}"
                                     + (f"，{fmt(plain(c - o))} ÷ {fmt(o)} × 100 = {round((c - o) / o * 100, 2)}%" if percent else "")
                                     for _, c, o, h, _ in shown) + f"；叙述 {m.group()}{raw}",
                basis="年度报告格式“数据精确”要求；本年与上年报告表格数据",
            )


# ---------------------------------------------------------------- N4 / I5

_T4_CONTEXT = re.compile(
    r"复议后(提起)?(行政)?起诉|未经复议直接起诉|直接(提起)?(行政)?起诉|未经复议|行政诉讼|诉讼|起诉|行政复议|复议"
)
T4_COLUMN_WORDS = [  # the 表四 column a word before a figure names
    (re.compile(r"维持"), "upheld"),
    (re.compile(r"纠正|纠错"), "corrected"),
    (re.compile(r"其他结果|其他|其它"), "other"),
    (re.compile(r"尚未审结|未审结|审理中|正在审理|未结"), "pending"),
]


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


def _review_context(x: Mention) -> Optional[str]:
    s = x.sentence
    before = s.flat[: len(_flat_until(s, x))]
    return t4_group(before)


def _flat_until(s: Sentence, x: Mention) -> str:
    return re.sub(r"\s+", "", s.text[: x.m.start - s.start])


def _t4_value(ctx: Tables, group: str, column: str) -> Optional[tuple[Number, str]]:
    decl = ctx.edition.table4
    col = decl.column(column)
    groups = ["direct_suit", "suit_after_review"] if group == "suit" else [group]
    s = Sum()
    for g in groups:
        label = decl.group(g)
        s.add(label or g, cell4(ctx.report, label, col))
    if not s.decidable:
        return None
    names = "+".join(decl.group(g) or g for g in groups)
    note = "（空白按0计）" if s.used_blanks else ""
    return s.total, f"表四 {names} × {col} {s.equation()}{note}"


def _t4_mentions(ctx: CheckContext) -> Iterator[tuple[Sentence, Mention, str, str]]:
    for s in ctx.narrative.sentences:
        if not s.comparable or not re.search(r"复议|诉讼|起诉", s.flat):
            continue
        for x in s.mentions:
            if not _usable(x) or x.unit not in ("件", "起", "宗", "例"):
                continue
            group = _review_context(x)
            if group is None:
                continue
            label = x.prefix + "|" + x.suffix
            column = next((c for p, c in T4_COLUMN_WORDS if p.search(label)), None)
            if column is None:
                if re.search(r"复议|诉讼|起诉|共|总", x.prefix):
                    column = "total"
                else:
                    continue
            yield s, x, group, column


def _t4_findings(ctx: CheckContext, want_suit_total: bool) -> Iterator[Finding]:
    names = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
    for s, x, group, column in _t4_mentions(ctx):
        if (group == "suit") != want_suit_total:
            continue
        got = _t4_value(ctx, group, column)
        if got is None or close(got[0], x.value):
            continue
        what = {"review": "行政复议", "suit": "行政诉讼", "direct_suit": "未经复议直接起诉",
                "suit_after_review": "复议后起诉"}[group]
        yield ctx.finding(
            f"叙述中{what}{names[column]}{fmt(x.value)}件，表四为{fmt(got[0])}件。",
            spans=[x.span()],
            expected=got[0],
            actual=plain(x.value),
            computation=f"{got[1]} ≠ 叙述 {fmt(x.value)}",
        )


@rule(
    "I5",
    "行政诉讼总数 = 未经复议直接起诉总计 + 复议后起诉总计",
    Severity.error,
    explanation=(
        "表四没有行政诉讼的合计栏，叙述里说“行政诉讼N件”时，N 应等于未经复议直接起诉总计与复议后起诉总计之和；"
        "诉讼的维持、纠正、其他、尚未审结件数也按两类相加比较。例如直接起诉26件、复议后起诉20件，行政诉讼应为46件。"
    ),
    basis=BASIS_T4,
)
def check_i5(ctx: CheckContext) -> Iterator[Finding]:
    yield from _t4_findings(ctx, want_suit_total=True)


_ALL_UPHELD = re.compile(r"均(获|被|予以|得到)?维持|全部(获|被|予以)?维持|均已维持")
_NONE = re.compile(
    r"(未发生|没有发生|未发生过|没有|未收到|未出现|未有|零)(因?[^，。；、]{0,16}?)(行政复议|行政诉讼|复议|诉讼)"
)


@rule(
    "N4",
    "叙述中的行政复议件数和“均获维持”“未发生”等说法与表四一致",
    Severity.error,
    explanation=(
        "叙述中的行政复议件数及其维持、纠正、其他、尚未审结分项要等于表四对应数字，分项相加要等于总数；"
        "“均获维持”意味着表四相应类别的结果纠正、其他结果、尚未审结都是0；“未发生行政复议、行政诉讼”意味着相应总计为0。"
        "例如叙述“复议案件均获维持”，而表四行政复议尚未审结为2件。"
    ),
    basis=BASIS_T4,
)
def check_n4(ctx: CheckContext) -> Iterator[Finding]:
    yield from _claim_findings(ctx, "review")
    yield from _t4_findings(ctx, want_suit_total=False)
    decl = ctx.edition.table4
    for s in ctx.narrative.sentences:
        if not s.comparable:
            continue
        for m in _ALL_UPHELD.finditer(s.flat):
            group = t4_group(s.flat[: m.start()])
            if group is None:
                continue
            groups = ["direct_suit", "suit_after_review"] if group == "suit" else [group]
            bad = []
            for g in groups:
                for col in ("corrected", "other", "pending"):
                    c = cell4(ctx.report, decl.group(g), decl.column(col))
                    if c.is_number and c.value:
                        bad.append((f"{decl.group(g)} {decl.column(col)}", c.value))
            if bad:
                figures = "、".join(f"{d} {fmt(v)}" for d, v in bad)
                yield ctx.finding(
                    f"叙述称“{m.group()}”，但表四有{figures}件，并非全部维持。",
                    spans=[s.match_span(m)],
                    expected=0,
                    actual=plain(sum(v for _, v in bad)),
                    computation=figures,
                )
        for m in _NONE.finditer(s.flat):
            if m.group(1) == "没有" and "无论" in m.group():
                continue
            tail = s.flat[m.start(): m.end() + 12]
            corrected_only = bool(re.search(r"纠正|纠错|败诉|撤销|确认违法", tail))
            groups = []
            if re.search(r"复议", tail) and not re.search(r"复议后", tail):
                groups.append("review")
            if re.search(r"诉讼|起诉", tail):
                groups += ["direct_suit", "suit_after_review"]
            column = decl.column("corrected" if corrected_only else "total")
            bad = []
            for g in groups:
                c = cell4(ctx.report, decl.group(g), column)
                if c.is_number and c.value:
                    bad.append((decl.group(g) or g, figure(c)))
            if bad:
                figures = "、".join(f"{g} {column} {fmt(v)}" for g, v in bad)
                yield ctx.finding(
                    f"叙述称“{m.group()}”，但表四有{figures}件。",
                    spans=[s.match_span(m)],
                    expected=0,
                    actual=plain(sum(v for _, v in bad)),
                    computation=figures,
                )


# ---------------------------------------------------------------- N5


@rule(
    "N5",
    "叙述中“其中”分项（如主动公开信息条数）相加等于总数，同一数量前后一致",
    Severity.error,
    explanation=(
        "“主动公开信息X条，其中a条、b条……”这类说法，所列分项相加要等于总数；最后一项是“其他”“其余”时，"
        "所列就是全部构成，少了也是错误。只列举一部分（没有“其他”）而和小于总数时仅作提示。"
        "例如“公开信息631条，其中政府公报12期、年报1篇、年报1篇、其他信息601条”，相加只有615。"
        "同一数量在叙述中出现两次、说法相同（如“主动公开政府信息”）而数字不同，也是错误的迹象（警告），"
        "例如总体情况写“主动公开政府信息372条”，主动公开部分又写“主动公开政府信息392条”。"
    ),
    basis="年度报告格式“数据精确”要求；《政府信息公开条例》第五十条第（一）项",
)
def check_n5(ctx: CheckContext) -> Iterator[Finding]:
    yield from _claim_findings(ctx, "other")
    yield from _restated_counts(ctx)


# Words before a figure that are not part of what it counts.
_LABEL_HEAD = re.compile(r"^(其中|另外|此外|同时|全年|本年度?|年内|今年|共计|共|累计|合计|总计|已|均|并|依法|及时)+")
_LABEL_TAIL = re.compile(r"(共计|合计|总计|总数|数量|达到|共|达|为|计|约)+$")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
# A label must name something counted in the report: published items,
# documents, activities. Generic labels ("其他", "以上") say nothing.
_COUNTED = re.compile(r"公开|发布|信息|文件|解读|回应|答复|政策|动态|公告|公报")
_RESTATE_UNITS = {"条", "篇", "件", "期", "份", "项"}


def _restated_label(x: Mention) -> Optional[str]:
    label = _LABEL_TAIL.sub("", _LABEL_HEAD.sub("", x.prefix)).replace("政府信息", "信息")
    if not (4 <= len(label) <= 10) or not _CJK_ONLY.match(label) or not _COUNTED.search(label):
        return None
    return label


def _restated_counts(ctx: CheckContext) -> Iterator[Finding]:
    """One quantity given two different figures in two places of the narrative."""
    first: dict[tuple[str, str], Mention] = {}
    reported = set()
    for s in ctx.narrative.sentences:
        if not s.comparable or s.section == "preamble":
            continue
        for x in s.mentions:
            # Application counts are N1/N2's: their words may mean 新收 or 新收 + 结转.
            if not _usable(x) or x.in_paren or x.quantity or x.unit not in _RESTATE_UNITS:
                continue
            if x.suffix:
                continue  # "…20条并及时更新": the figure may count something narrower
            label = _restated_label(x)
            if label is None:
                continue
            key = (label, x.unit)
            seen = first.get(key)
            if seen is None:
                first[key] = x
                continue
            if seen.sentence is s or close(seen.value, x.value) or key in reported:
                continue
            reported.add(key)
            a, b = seen.sentence, s
            yield ctx.finding(
                f"同一数量前后说法不一：{a.where(seen.snippet)}写“{label}{fmt(seen.value)}{x.unit}”，"
                f"此处写“{label}{fmt(x.value)}{x.unit}”。",
                spans=[x.span(), seen.span()],
                expected=plain(seen.value),
                actual=plain(x.value),
                computation=f"{a.heading} {fmt(seen.value)}{x.unit} ≠ {b.heading} {fmt(x.value)}{x.unit}",
                severity=Severity.warning,
            )


# ---------------------------------------------------------------- N6

_DOC_VERB_THIS_YEAR = re.compile(r"制发|印发|出台|制定|发布|新增|新制作|新公开|公开")
_DOC_IN_FORCE = re.compile(r"现行有效|有效")
_DOC_REPEALED = re.compile(r"废止|失效")


def _t2_targets(ctx: CheckContext, x: Mention) -> Optional[tuple[Table2Block, str, list[str]]]:
    """(block, row, [column keys]) the figure's words point at, or None."""
    ed = ctx.edition
    label = x.prefix
    docs = ed.block_by_key("documents")
    if docs:
        row = None
        m = re.search(r"(行政)?规范性文件$|规章$", label)
        if m and "政策性" not in label:
            row = docs.row("rules") if m.group().endswith("规章") else docs.row("normative")
        if row:
            if _DOC_REPEALED.search(label):
                keys = ["repealed"]
            elif _DOC_IN_FORCE.search(label):
                keys = ["in_force", "published_total"]
            elif _DOC_VERB_THIS_YEAR.search(label):
                keys = ["issued", "made", "published"]
            else:
                return None
            return docs, row, keys
    if "决定" in label + x.suffix:
        for block_key, row_key, word in (("licensing", "licensing", "行政许可"), ("enforcement", "penalty", "行政处罚"),
                                         ("enforcement", "coercion", "行政强制")):
            if word in label:
                block = ed.block_by_key(block_key)
                found = block.row(row_key) if block else None
                if block and found:
                    return block, found, ["decisions"]
    return None


@rule(
    "N6",
    "叙述中的规章、规范性文件、许可、处罚、强制数量与表二一致",
    Severity.warning,
    explanation=(
        "叙述写“制发（印发）规范性文件N件”“现行有效规章N件”“作出行政许可决定N件”时，应与表二第二十条对应栏一致。"
        "只比较说法明确的数字：“政策性文件”“公开许可信息N条”等口径不同的说法不比较。"
        "例如叙述“印发规范性文件33件”，表二规范性文件本年制发8件。"
    ),
    basis=f"{ART50}第（二）项；年度报告格式表二",
)
def check_n6(ctx: CheckContext) -> Iterator[Finding]:
    rep = ctx.report
    for s in ctx.narrative.sentences:
        if not s.comparable:
            continue
        for x in s.mentions:
            if not _usable(x) or x.unit not in ("件", "项", "个", None):
                continue
            target = _t2_targets(ctx, x)
            if target is None:
                continue
            block, row, keys = target
            cands: list[tuple[str, Number]] = []
            for k in keys:
                col = block.column(k)
                if col:
                    c = cell2(rep, block.caption, row, col)
                    if c.is_number:
                        cands.append((col, figure(c)))
            if not cands or any(close(v, x.value) for _, v in cands):
                continue
            figures = "或".join(f"{col}{fmt(v)}" for col, v in cands)
            yield ctx.finding(
                f"叙述中“{x.snippet}”与表二{block.caption}{row}的{figures}不一致。",
                spans=[x.span()],
                expected=plain(cands[0][1]),
                actual=plain(x.value),
                computation=f"表二 {row} × " + "；".join(f"{col} = {fmt(v)}" for col, v in cands) + f"；叙述 {fmt(x.value)}",
            )


# ---------------------------------------------------------------- N7

_NO_FEE = re.compile(r"(未|没有|无|不)(收取|产生|征收)[^。；]{0,12}?(信息处理费|费用)|信息处理费[^。；]{0,6}?(为0|为零|(?<![\d.])0元)")


@rule(
    "N7",
    "信息处理费的说法与表格一致，且不填入表二第（八）项",
    Severity.info,
    editions=("2021",),
    explanation=(
        "第六部分说没有收取信息处理费时，表三（六）其他处理中“逾期未按收费通知要求缴纳费用”大于0也可能成立"
        "（发过收费通知但申请人未缴），需要说明；信息处理费不是表二第（八）项的行政事业性收费，"
        "若表二收费金额恰好等于叙述中的信息处理费，很可能填错了位置（警告）。"
    ),
    basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；年度报告格式表二第（八）项",
)
def check_n7(ctx: CheckContext) -> Iterator[Finding]:
    rep, ed = ctx.report, ctx.edition
    unpaid = rows_for(ed, "unpaid_fee")
    col = ed.table3.total_column
    for s in ctx.narrative.sentences:
        m = _NO_FEE.search(s.flat)
        if m and unpaid and unpaid[0].group:
            c = cell3(rep, unpaid[0].label, col)
            if c.is_number and figure(c) > 0:
                yield ctx.finding(
                    f"叙述称“{m.group()}”，表三却有{fmt(c.value)}件因逾期未缴费不再处理的申请，请说明收费通知的情况。",
                    spans=[s.match_span(m)],
                    expected=0,
                    actual=plain(figure(c)),
                    computation=f"表三 {unpaid[0].group} {unpaid[0].label} × {col} = {fmt(c.value)}",
                )
        if "信息处理费" not in s.flat:
            continue
        fees = ed.block_by_key("fees")
        amount_col = fees.column("fee_amount") if fees else None
        if fees is None or not amount_col:
            continue
        cell = cell2(rep, fees.caption, fees.rows[0], amount_col)
        if not cell.is_number or not cell.value:
            continue
        for x in s.mentions:
            if x.unit not in MONEY_UNITS or not x.value:
                continue
            in_wan = x.value / 10000
            if close(round(in_wan, 4), round(figure(cell), 4)) or close(x.value, figure(cell)):
                yield ctx.finding(
                    f"表二收费金额{fmt(cell.value)}万元与叙述中的信息处理费“{x.m.raw}”相同；信息处理费不属于行政事业性收费，不应填入此栏。",
                    cells=[ref2(fees, fees.rows[0], amount_col)],
                    actual=plain(figure(cell)),
                    computation=f"{x.m.raw} = {fmt(plain(round(in_wan, 4)))} 万元",
                    severity=Severity.warning,
                )


# ---------------------------------------------------------------- N8

_CORES = [r"总体情况", r"主动公开", r"申请", r"复议|诉讼", r"问题|改进", r"其他|其它|需要报告"]
_CN_COUNT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_STRUCTURE = re.compile(
    r"(由|分为|包括|包含|共分为?)([^。；]{0,90}?)([一二两三四五六七八九十\d]+)(个|大)?(部分|方面内容|项内容|大内容)"
)


@rule(
    "N8",
    "报告声明的结构（“六部分”）与正文六个标题一致",
    Severity.warning,
    explanation=(
        "年度报告由六部分组成：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
        "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。"
        "开头若写“本报告由……五部分组成”或列出的部分数与所说不符，或正文缺少某个部分，都不符合格式。"
    ),
    basis=f"{ART50}；年度报告格式（六部分）",
)
def check_n8(ctx: CheckContext) -> Iterator[Finding]:
    rep = ctx.report
    for s in ctx.narrative.sentences:
        if "报告" not in s.flat:
            continue
        m = _STRUCTURE.search(s.flat)
        if not m:
            continue
        raw = m.group(3)
        n = int(raw) if raw.isdigit() else _CN_COUNT.get(raw)
        if n is None:
            continue
        # Count the official parts named, not the commas: the 四 heading has its own "、".
        named = sum(1 for core in _CORES if re.search(core, m.group(2)))
        quote = m.group() if len(m.group()) <= 24 else m.group()[:8] + "……" + m.group()[-12:]
        if n != 6:
            yield ctx.finding(
                f"报告声明由{raw}{m.group(5)}组成，格式规定为六部分。",
                spans=[s.match_span(m, quote)],
                expected=6,
                actual=n,
            )
        elif 3 <= named < n:
            yield ctx.finding(
                f"报告声明由{raw}部分组成，但只列出了其中{named}个部分。",
                spans=[s.match_span(m, quote)],
                expected=n,
                actual=named,
            )
    if rep.sections:
        present = {s.key for s in rep.sections}
        missing = [sec.heading for sec in ctx.edition.sections if sec.key not in present]
        if missing:
            yield ctx.finding(
                f"正文缺少{len(missing)}个部分：{'；'.join(missing)}。",
                area=AreaRef(kind=AreaKind.report, aspect=Aspect.sections),
                expected=len(ctx.edition.sections),
                actual=len(ctx.edition.sections) - len(missing),
            )


# ---------------------------------------------------------------- N9

_PERIOD = re.compile(
    r"(\d{4})年1月1日(起)?[^。；]{0,4}?(至|到|—|-|－|~|～)[^。；]{0,2}?(\d{4})年12月31日"
)
_FORMAT_DOC = re.compile(r"国办公开办函[〔\[（(【]?(\d{4})[〕\]）)】]?(\d+)号")
_FORMAT_DOCS = {"2019": ("2019", "60"), "2021": ("2021", "30")}
# The format's title as written with the 2019 "（试行）"; 《》 may be <> inside a title.
_TRIAL_TITLE = re.compile(r"[《<〈]?(中华人民共和国)?政府信息公开工作年度报告格式[（(]试行[）)][》>〉]?")


def _cites_format(flat: str, at: int) -> bool:
    """Is the document number at ``at`` the one given for the report format?

    Only when it follows the format's name closely ("…年度报告格式》（国办公开办函…"
    or "报告格式的通知（…") — 国办公开办函 numbers other documents too.
    """
    before = flat[max(0, at - 16):at]
    k = before.rfind("格式")
    return k >= 0 and not re.search(r"[《，,。；;]", before[k:])


@rule(
    "N9",
    "统计期限为报告年度1月1日至12月31日，引用的格式文件与年度相符",
    Severity.warning,
    explanation=(
        "年度报告的统计期限应为报告年度的1月1日至12月31日，例如2021年度报告写“2020年1月1日至2020年12月31日”即是照搬旧稿。"
        "2021年度及以后的报告应按国办公开办函〔2021〕30号的格式编制，仍写依据〔2019〕60号属引用过时；"
        "2019、2020年度报告不可能依据2021年的文件。"
    ),
    basis="《政府信息公开条例》第四十九条、第五十条；国办公开办函〔2019〕60号、〔2021〕30号",
)
def check_n9(ctx: CheckContext) -> Iterator[Finding]:
    year = ctx.report.year
    if not year:
        return
    for s in ctx.narrative.sentences:
        for m in _PERIOD.finditer(s.flat):
            a, b = int(m.group(1)), int(m.group(4))
            if a != year or b != year:
                yield ctx.finding(
                    f"统计期限写的是{a}年1月1日至{b}年12月31日，而这是{year}年度报告。",
                    spans=[s.match_span(m)],
                    expected=year,
                    actual=a if a != year else b,
                )
        for m in _FORMAT_DOC.finditer(s.flat):
            doc_year, num = m.group(1), m.group(2)
            if (doc_year, num) == _FORMAT_DOCS["2019"] and year >= 2021:
                msg = f"{year}年度报告引用了已被替代的格式文件国办公开办函〔2019〕60号，应为〔2021〕30号。"
            elif (doc_year, num) == _FORMAT_DOCS["2021"] and year < 2021:
                msg = f"{year}年度报告引用了{doc_year}年才印发的国办公开办函〔2021〕30号。"
            elif (doc_year, num) not in _FORMAT_DOCS.values() and _cites_format(s.flat, m.start()):
                right = "〔2021〕30号" if year >= 2021 else "〔2019〕60号"
                yield ctx.finding(
                    f"引用的格式文件文号有误：年度报告格式的文号是国办公开办函〔2019〕60号或〔2021〕30号，"
                    f"报告写作“{m.group()}”，{year}年度报告应为{right}。",
                    spans=[s.match_span(m)],
                    expected=f"国办公开办函{right}",
                    actual=m.group(),
                )
                continue
            else:
                continue
            yield ctx.finding(msg, spans=[s.match_span(m)], actual=m.group())
        if year >= 2021:
            for m in _TRIAL_TITLE.finditer(s.flat):
                yield ctx.finding(
                    f"{year}年度报告把格式写作“{m.group()}”：带“（试行）”的是2019年的格式，"
                    "现行格式名称为《中华人民共和国政府信息公开工作年度报告格式》。",
                    spans=[s.match_span(m)],
                    expected="《中华人民共和国政府信息公开工作年度报告格式》",
                    actual=m.group(),
                    severity=Severity.info,
                )


# ---------------------------------------------------------------- N10

_N10_PARTS = [("工作考核", re.compile(r"考核")), ("社会评议", re.compile(r"评议")),
              ("责任追究", re.compile(r"责任追究|追究责任|追究.{0,4}责任|追责|问责"))]


@rule(
    "N10",
    "人民政府的报告须包括工作考核、社会评议和责任追究结果情况",
    Severity.warning,
    explanation=(
        "《政府信息公开条例》第五十条要求，各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况；"
        "政府部门的报告不作此要求。例如某市人民政府报告的监督保障部分只写了检查和培训，没有提到考核、评议和责任追究。"
    ),
    basis=f"{ART50}（各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况）",
)
def check_n10(ctx: CheckContext) -> Iterator[Finding]:
    agency = read_agency(ctx.report.agency)
    if not agency.name.endswith("人民政府"):
        return
    text = ctx.narrative.full_text
    missing = [name for name, p in _N10_PARTS if not p.search(text)]
    if missing:
        yield ctx.finding(
            f"{agency.name}是人民政府，报告中没有找到{'、'.join(missing)}结果情况。",
            area=AreaRef(kind=AreaKind.section, section="一", aspect=Aspect.supervision),
            expected="工作考核、社会评议和责任追究结果情况",
            actual="缺少" + "、".join(missing),
        )


# ---------------------------------------------------------------- N11

_RANKS = [("区", "县", "旗"), ("镇", "乡", "街道", "街"), ("市", "州", "盟")]
_PERIOD_WORDS = re.compile(r"本月|本季度|本周|上半年")
_SCOPE_WORD = re.compile(rf"(全|我|本)({SCOPE_UNITS})")
# Words that name the writer as another kind of body (see _type_words).
_SUBDISTRICT_WORDS = re.compile(r"街办动态|(?:本|我)街道办")
_TOWNSHIP_WORDS = re.compile(r"(?:本|我)镇|全镇(?![街村])")
_BUREAU_WORDS = re.compile(r"(?<![基根成资样剧原])本局(?![面势部限])")
_DEPARTMENT_NAME = re.compile(r"(局|委员会|厅|署|办公室|中心)$")


def _type_words(agency: Agency, name: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, what the words belong to) for words of another type of body.

    Only for a name that clearly says what the agency is: a people's government
    of a known unit, or a department (局, 委员会, 办公室 …) outside any 镇/乡/街道.
    """
    if not name:
        return []
    government = agency.is_government and name.endswith("人民政府")
    department = (not agency.is_government and _DEPARTMENT_NAME.search(name)
                  and not re.search(r"镇|乡|街道", name))
    out = []
    if (government or department) and agency.unit != "街道":
        out.append((_SUBDISTRICT_WORDS, "街道办事处"))
    if (government and agency.unit not in ("镇", "乡")) or department:
        out.append((_TOWNSHIP_WORDS, "镇人民政府"))
    if government:
        out.append((_BUREAU_WORDS, "政府部门（局）"))
    return out


@rule(
    "N11",
    "照搬痕迹：年度报告中的“本月”，与本机关层级、类型不符的“全县”“全街”“街办动态”“本局”等",
    Severity.info,
    explanation=(
        "年度报告里出现“本月受理”“本季度”之类的说法，或区级机关的报告写“全县”、镇政府的报告写“全街”，"
        "往往是照搬其他报告留下的痕迹，值得核对。机关类型不符的用语同样如此：不是街道办事处的报告写“街办动态”“本街道办”，"
        "不是镇政府的报告写“本镇”“全镇”，人民政府自己的报告写“本局”。只在机关名称明确表明其类型时提示。"
    ),
    basis="国办公开办函〔2021〕30号（四）明确责任：内容雷同、敷衍塞责的依照条例第四十七条追责",
)
def check_n11(ctx: CheckContext) -> Iterator[Finding]:
    agency = read_agency(ctx.report.agency)
    own = agency.unit
    if own is None:
        m = re.search(r"(区|县|旗|镇|乡|街道)人民政府|(街道)办事处", agency.name)
        own = (m.group(1) or m.group(2)) if m else None
    peers = next((set(r) for r in _RANKS if own in r), set()) if own else set()
    seen = set()
    type_words = _type_words(agency, agency.name)
    for s in ctx.narrative.sentences:
        for pattern, kind in type_words:
            # "各镇"/"乡镇" speak of the towns under a government, not as one.
            if kind == "镇人民政府" and re.search(r"各镇|乡镇|镇街|街镇", s.flat):
                continue
            for m in pattern.finditer(s.flat):
                if ("type", m.group()) in seen:
                    continue
                seen.add(("type", m.group()))
                yield ctx.finding(
                    f"{agency.name}的报告中出现“{m.group()}”，这是{kind}的用语，与本机关的类型不符，可能照搬了其他报告。",
                    spans=[s.match_span(m)],
                    actual=m.group(),
                )
        for m in _PERIOD_WORDS.finditer(s.flat):
            if ("period", m.group()) in seen:
                continue
            seen.add(("period", m.group()))
            yield ctx.finding(f"年度报告中出现“{m.group()}”，可能照搬了月报、季报的文字。",
                              spans=[s.match_span(m)], actual=m.group())
        for m in _SCOPE_WORD.finditer(s.flat):
            unit = m.group(2)
            if unit in peers and unit != own and not (own == "街道" and unit == "街"):
                if ("scope", m.group()) in seen:
                    continue
                seen.add(("scope", m.group()))
                yield ctx.finding(
                    f"{agency.name}的报告中出现“{m.group()}”，与本机关的层级不符，可能照搬了其他报告。",
                    spans=[s.match_span(m)],
                    expected=f"全{own}",
                    actual=m.group(),
                )
