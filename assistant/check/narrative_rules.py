"""Narrative rules: what the prose claims, against its own parts and the tables.

N1–N11 and I5 (the lawsuit total is only ever compared with a narrative
figure). The claims are read once by the claim reader (``claims.py``): each
rule judges the claims of its kind and records its verdict on the claim, so
the draft guard can count what was checked. Claims in sentences about a
wider scope (全区各部门 in a department's report, an office speaking for its
government) or another year are never compared with the agency's own
tables; at most an info note names the scope. A claim about a cell the
reader could not read for sure is not judged: one info "无法核验" says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional

from ..model import Edition, NumberKind, Report, edition_for_year, editions
from ..model.figures import change, percent_change
from ..model.refs import AreaKind, AreaRef, Aspect, CellRef
from ..model.report import Number
from .agency import SCOPE_UNITS, Agency, read_agency
from .catalogue import CheckContext, all_rules, rule
from .claims import (
    T2,
    T3,
    T4,
    T4_COLUMN_WORDS,
    Claim,
    Kind,
    Resolved,
    Status,
    Target,
    Value,
    resolve,
    t4_group,
    target_name,
    usable,
)
from .findings import Finding, Severity, sort_findings
from .narrative import Mention, Sentence
from .quantities import LEVEL_KEYS, RESULT_TOP_KEYS, top_level
from .tables import (
    cell2,
    cell3,
    close,
    figure,
    fmt,
    plain,
    quantity_label,
    ref2,
    rows_for,
)
from .wording import MONEY_UNITS

ART50 = "《政府信息公开条例》第五十条"
BASIS_N1 = f"{ART50}第（三）项；年度报告格式表三（叙述与表格数据应一致）"
BASIS_T4 = f"{ART50}第（三）项；年度报告格式表四"

__all__ = ["NARRATIVE_CODES", "T4_COLUMN_WORDS", "check_narrative", "t4_group"]


# ------------------------------------------------------------ shared judging


@dataclass
class _Year:
    """The report and edition of one year, as the table helpers read them."""

    report: Report
    edition: Edition


def _cells(values: Iterable[Value]) -> list[CellRef]:
    out: list[CellRef] = []
    for v in values:
        for c in v.cells:
            if c not in out:
                out.append(c)
    return out


def _unread_note(ctx: CheckContext, claim: Claim, got: Resolved) -> Finding:
    claim.judge(Status.unread, got.why)
    why = f"（{got.why}）" if got.why else ""
    return ctx.finding(
        f"叙述中“{claim.quote}”涉及的表格数字未能确认读取{why}，无法核验。",
        spans=[claim.span()],
        cells=got.unread,
        severity=Severity.info,
    )


def _scope_note(ctx: CheckContext, claim: Claim, got: Resolved) -> Iterator[Finding]:
    """A figure about another scope is not compared; when it differs from the table, say which scope."""
    s = claim.sentence
    if s.wider_scope is None or claim.value is None or not got.values or got.matches(claim.value):
        return
    v = got.values[0]
    yield ctx.finding(
        f"叙述中“{claim.quote}”说的是“{s.wider_scope}”的范围，表格是本机关的数字（{v.name}{fmt(v.value)}），"
        "范围不同，未作比较。",
        spans=[claim.span()],
        cells=v.cells,
        severity=Severity.info,
    )


def _count_claims(ctx: CheckContext, test: Callable[[Target], bool]) -> tuple[list[tuple[Claim, Resolved]],
                                                                              list[Finding]]:
    """Count claims whose target passes ``test``, resolved, to be judged; and the notes for the
    ones that are not judged (a cell not read for sure, a figure about another scope)."""
    items: list[tuple[Claim, Resolved]] = []
    notes: list[Finding] = []
    for claim in ctx.narrative.claims:
        if claim.kind is not Kind.quantity or claim.target is None or not test(claim.target):
            continue
        if claim.sentence.other_year is not None:
            continue
        got = resolve(claim.target, ctx)
        if not claim.comparable:
            notes.extend(_scope_note(ctx, claim, got))
        elif got.unread:
            notes.append(_unread_note(ctx, claim, got))
        elif got.values:
            items.append((claim, got))
    return items, notes


def _mismatched(ctx: CheckContext, test: Callable[[Target], bool]) -> tuple[list[tuple[Claim, Resolved]],
                                                                            list[Finding]]:
    """Count claims whose figure is none the tables allow (each judged on the way), and the notes."""
    items, notes = _count_claims(ctx, test)
    wrong = []
    for claim, got in items:
        assert claim.value is not None  # a count claim states its figure
        if got.matches(claim.value):
            claim.judge(Status.supported)
        else:
            claim.judge(Status.contradicted)
            wrong.append((claim, got))
    return wrong, notes


def _zero_claims(ctx: CheckContext, kinds: tuple[Kind, ...], test: Callable[[Target], bool]) -> Iterator[Finding]:
    """Absences and universals: every quantity in ``claim.zero`` must be 0."""
    for claim in ctx.narrative.claims:
        if claim.kind not in kinds or not claim.zero or not all(test(t) for t in claim.zero):
            continue
        if not claim.comparable:
            continue
        bad: list[tuple[Target, Value]] = []
        unread: list[CellRef] = []
        why = []
        judged = False
        for t in claim.zero:
            got = resolve(t, ctx)
            if got.unread:
                unread += got.unread
                why.append(got.why)
                continue
            if not got.values:
                continue
            judged = True
            v = got.values[0]
            if not close(v.value, 0):
                bad.append((t, v))
        if bad:
            claim.judge(Status.contradicted)
            ed = ctx.edition
            figures = "、".join(f"{_zero_name(t, ed)} {fmt(v.value)}" for t, v in bad)
            what = "并非全部如此" if claim.kind is Kind.universal else "并非没有"
            yield ctx.finding(
                f"叙述称“{claim.quote}”，但表格中{figures}件，{what}。",
                spans=[claim.span()],
                cells=_cells(v for _, v in bad),
                expected=0,
                actual=plain(sum(v.value for _, v in bad)),
                computation="；".join(v.how for _, v in bad),
            )
        elif unread:
            claim.judge(Status.unread, "；".join(w for w in why if w))
            why_text = "；".join(w for w in why if w)
            yield ctx.finding(
                f"叙述称“{claim.quote}”，涉及的表格数字未能确认读取{f'（{why_text}）' if why_text else ''}，无法核验。",
                spans=[claim.span()],
                cells=unread,
                severity=Severity.info,
            )
        elif judged:
            claim.judge(Status.supported)


def _zero_name(t: Target, edition: Edition) -> str:
    if isinstance(t, T3):
        name = target_name(t, edition)
        return f"表三 {name}"
    if isinstance(t, T4):
        return target_name(t, edition)
    return f"表二 {t.row}"


def _is_level(t: Target) -> bool:
    return isinstance(t, T3) and len(t.keys) == 1 and t.keys[0] in LEVEL_KEYS and t.column is None


def _is_result(t: Target) -> bool:
    return isinstance(t, T3) and not _is_level(t)


# ---------------------------------------------------------------- N1


@rule(
    "N1",
    "叙述中的申请件数（收到、上年结转、办结、结转）与表三一致",
    Severity.error,
    explanation=(
        "总体情况等部分写到的申请数量要与表三总计列一致：新收对应“一、本年新收”，上年结转对应“二”，"
        "办结、答复对应“（七）总计”，结转、顺延对应“四、结转下年度继续办理”。“受理”“收到”可能指本年新收，"
        "也可能指新收加上年结转，两者符合其一即可。“未收到政府信息公开申请”“无结转”这样的说法，相应数字须为0。"
        "写明是全市、全区各部门等更大范围（或办公室代表政府办理的部分）的数字不与本机关表格比较，不一致时仅作提示。"
        "例如叙述“申请办结数33件”而表三（七）总计为35件。"
    ),
    basis=BASIS_N1,
)
def check_n1(ctx: CheckContext) -> Iterator[Finding]:
    words = {"received": "受理（收到）", "new": "本年新收", "carried_in": "上年结转",
             "total": "办结（答复）", "carried_out": "结转下年度"}
    wrong, notes = _mismatched(ctx, _is_level)
    yield from notes
    for claim, got in wrong:
        assert isinstance(claim.target, T3) and claim.value is not None
        table_text = "，也不等于".join(f"{v.name}{fmt(v.value)}件" for v in got.values)
        yield ctx.finding(
            f"叙述中{words[claim.target.keys[0]]}{fmt(claim.value)}件，不等于表三{table_text}。",
            spans=[claim.span()],
            cells=_cells(got.values),
            expected=got.values[0].value,
            actual=plain(claim.value),
            computation="；".join(f"表三 {v.how}" for v in got.values) + f"；叙述 {fmt(claim.value)}",
        )
    yield from _zero_claims(ctx, (Kind.absence, Kind.universal), _is_level)


# ---------------------------------------------------------------- breakdowns


def _claim_family(claim: Claim) -> str:
    if isinstance(claim.target, T3) or any(isinstance(p.target, T3) for p in claim.parts):
        return "application"
    if isinstance(claim.target, T4) or t4_group(_before(claim.mention)) is not None:
        return "review"
    return "other"


def _before(x: Optional[Mention]) -> str:
    if x is None:
        return ""
    s = x.sentence
    return re.sub(r"\s+", "", s.text[: x.m.start - s.start])


def _claim_problem(claim: Claim) -> Optional[tuple[Severity, Number, list[Mention]]]:
    """None when the parts can make up the total; else (severity, sum, parts used)."""
    total_m = claim.mention
    assert total_m is not None
    if total_m.approximate or any(p.approximate for p in claim.parts):
        return None
    total = total_m.value
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


def _breakdown_findings(ctx: CheckContext, family: str) -> Iterator[Finding]:
    for claim in ctx.narrative.claims:
        if claim.kind is not Kind.breakdown or _claim_family(claim) != family:
            continue
        problem = _claim_problem(claim)
        if problem is None:
            claim.judge(Status.supported)
            continue
        severity, s, parts = problem
        t = claim.mention
        assert t is not None
        if severity is not Severity.info:
            claim.judge(Status.contradicted)
        else:
            claim.judge(Status.supported)
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


def _category_findings(ctx: CheckContext) -> Iterator[Finding]:
    ed = ctx.edition
    by_sentence: dict[int, list[tuple[Claim, Resolved]]] = {}
    order: list[Sentence] = []
    items, notes = _count_claims(ctx, _is_result)
    yield from notes
    for claim, got in items:
        key = id(claim.sentence)
        if key not in by_sentence:
            order.append(claim.sentence)
        by_sentence.setdefault(key, []).append((claim, got))
    for s in order:
        found = by_sentence[id(s)]
        by_target: dict[Target, list[tuple[Claim, Resolved]]] = {}
        for claim, got in found:
            assert claim.target is not None
            by_target.setdefault(claim.target, []).append((claim, got))
        claimed_top = {top_level(ed, k) for t in by_target if isinstance(t, T3) for k in t.keys}
        for target, group in by_target.items():
            yield from _one_category(ctx, target, group, claimed_top)


def _one_category(ctx: CheckContext, target: Target, items: list[tuple[Claim, Resolved]],
                  claimed_top: set[str]) -> Iterator[Finding]:
    ed = ctx.edition
    assert isinstance(target, T3)
    claims = [c for c, _ in items]
    got = items[0][1]
    table = got.values[0]
    narr = plain(sum(c.value or 0 for c in claims))
    if close(narr, table.value):
        for c in claims:
            c.judge(Status.supported)
        return
    label = target_name(target, ed)
    named = "、".join(f"“{c.quote}”" for c in claims)
    narr_expr = " + ".join(fmt(c.value or 0) for c in claims) + (f" = {fmt(narr)}" if len(claims) > 1 else "")
    if len(claims) == 1 and claims[0].qualified and len(target.keys) == 1:
        # "因…等原因无法提供N件" names the group; N may be one of its rows.
        rows = rows_for(ed, target.keys[0])
        one = [r for r in rows if (v := resolve(T3((r.key or "",)), ctx)).values and close(v.values[0].value, narr)]
        if one and len(rows) > 1:
            claims[0].judge(Status.contradicted)
            yield ctx.finding(
                f"叙述中“{claims[0].quote}”说的是{label}这一类（小计{fmt(table.value)}件），"
                f"而{fmt(narr)}件只是其中“{one[0].short}”一行的数字。",
                spans=[claims[0].span()],
                cells=table.cells,
                expected=table.value,
                actual=narr,
                computation=f"表三 {table.how}；{one[0].short} = {fmt(narr)}",
                severity=Severity.warning,
            )
            return
    moved = None
    diff = narr - table.value
    if diff > 0 and len(target.keys) == 1:
        for c in claims:
            if c.value is None or not close(c.value, diff):
                continue
            for other in RESULT_TOP_KEYS:
                if other in claimed_top or not rows_for(ed, other):
                    continue
                oc = resolve(T3((other,)), ctx)
                if oc.judged and close(oc.values[0].value, c.value):
                    moved = (c, other, oc.values[0])
                    break
            if moved:
                break
    for c in claims:
        c.judge(Status.contradicted)
    if moved:
        c, other, ov = moved
        yield ctx.finding(
            f"叙述中“{c.quote}”按含义属于{label}，但表三{label}只有{fmt(table.value)}件，"
            f"而表三{quantity_label(ed, other)}恰为{fmt(ov.value)}件：叙述与表格的分类口径不一致。",
            spans=[c.span()],
            cells=_cells([table, ov]),
            expected=plain(table.value),
            actual=narr,
            computation=f"叙述 {narr_expr} ≠ 表三 {table.how}；差 {fmt(plain(diff))} = 表三 {ov.how}",
            severity=Severity.warning,
        )
        return
    yield ctx.finding(
        f"叙述中{named}对应表三{label}，叙述为{fmt(narr)}件，表中为{fmt(table.value)}件。",
        spans=[claims[0].span()],
        cells=table.cells,
        expected=plain(table.value),
        actual=narr,
        computation=f"叙述 {narr_expr} ≠ 表三 {table.how}",
    )


@rule(
    "N2",
    "叙述中的办理结果分项：自身相加一致，且与表三各结果类一致",
    Severity.error,
    explanation=(
        "“办结N件，其中予以公开a件、部分公开b件……”这类说法，各分项之和要等于所说的总数，"
        "每个分项也要等于表三对应结果类（不予公开、无法提供、不予处理、其他处理按小计）。"
        "合称的类别按各行之和比较：“予以公开及部分公开”“同意公开（含部分公开）”是（一）加（二），"
        "“不予公开和无法提供”“不予处理及其他处理”同理；“因……等原因无法提供N件”说的是（四）整类，"
        "N只等于其中一行时提示口径不一致。“均予以公开”“均由自然人提出”这样的说法须与表三相符。"
        "所列可以写在括号（）、()、【】里，写在冒号后，或用分号分成几句。"
        "例如“申请办结数33件，其中4件、0件、26件、5件”相加是35件；叙述把“信息不存在5件”归作无法提供，"
        "表中这5件却在（六）其他处理，属于分类口径不一致（警告）。"
    ),
    basis=f"{BASIS_N1}；表三（二）行标签“区分处理的，只计这一情形”",
)
def check_n2(ctx: CheckContext) -> Iterator[Finding]:
    yield from _breakdown_findings(ctx, "application")
    yield from _category_findings(ctx)
    yield from _zero_claims(ctx, (Kind.absence, Kind.universal), _is_result)


# ---------------------------------------------------------------- N3


def _decimals(raw: str) -> int:
    m = re.search(r"[.．](\d+)", raw)
    return len(m.group(1)) if m else 0


def _rounding(d: int) -> str:
    return "取整" if d == 0 else f"保留{d}位小数"


def _half_up(x: float, d: int) -> Number:
    """``x`` rounded as people round (12.25 -> 12.3), to ``d`` decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    return plain(float(q))


@rule(
    "N3",
    "百分比按所述基数计算并正确舍入；同比增减与上年报告相符",
    Severity.warning,
    explanation=(
        "“予以公开30件，占办结总数的41%”这样的百分比，要用所说的分子除以所说的基数、按写出的小数位四舍五入"
        "（一位小数允许±0.05）。基数按格式理解：“占办结申请”是表三（七）总计，“占新收申请”是本年新收，"
        "“占行政复议”是表四行政复议总计，“占行政诉讼”是两类起诉总计之和；没写基数时是所在列举的总数。"
        "例如 5 ÷ 12 = 41.67%，应写42%或41.7%，写41%即有误。找不到明确分子或基数的百分比（如“合格率100%”）不核对。"
        "提供上年报告时，还核对“较上年增长12.3%”“同比下降5%”“比上年增加14件”“与上年持平”这类说法："
        "所说的数量能对应两年表格都有的数字时，增减的件数、方向或按写出的小数位舍入的百分比要相符。"
        "没有上年报告时不核对同比说法。"
    ),
    basis="年度报告格式“数据精确”要求；《政府信息公开条例》第六条（信息准确）",
)
def check_n3(ctx: CheckContext) -> Iterator[Finding]:
    yield from _share_findings(ctx)
    yield from _change_findings(ctx)


def _operand_values(ctx: CheckContext, claim: Claim, which: str) -> tuple[list[tuple[Number, str, list[CellRef]]],
                                                                         Optional[Resolved]]:
    op = claim.part if which == "part" else claim.base
    out: list[tuple[Number, str, list[CellRef]]] = []
    if op is None:
        return out, None
    unread = None
    if op.mention is not None:
        out.append((op.mention.value, f"叙述“{op.mention.snippet}”", []))
    for other in op.others:
        out.append((other.value, f"叙述“{other.snippet}”", []))
    if op.target is not None:
        got = resolve(op.target, ctx)
        if got.unread:
            unread = got
        for v in got.values:
            out.append((v.value, f"表格 {v.how}", v.cells))
    return out, unread


def _share_findings(ctx: CheckContext) -> Iterator[Finding]:
    for claim in ctx.narrative.claims:
        if claim.kind is not Kind.share or claim.mention is None:
            continue
        s = claim.sentence
        if not s.comparable and (claim.part is None or claim.part.mention is None):
            continue
        parts, unread_p = _operand_values(ctx, claim, "part")
        bases, unread_b = _operand_values(ctx, claim, "base")
        bases = [b for b in bases if b[0] and b[0] > 0]
        if not parts or not bases:
            got = unread_p or unread_b
            if got is not None:
                yield _unread_note(ctx, claim, got)
            else:
                claim.judge(Status.unverifiable, "找不到这个百分比的分子或基数")
            continue
        p = claim.mention.value
        d = _decimals(claim.mention.m.raw)
        tol = 0.5 * 10 ** -d + 1e-9
        if any(abs(a / b * 100 - p) <= tol for a, _, _ in parts for b, _, _ in bases):
            claim.judge(Status.supported)
            continue
        claim.judge(Status.contradicted)
        a, a_how, a_cells = parts[-1] if claim.part and claim.part.target else parts[0]
        b, b_how, b_cells = next((x for x in bases if x[2]), bases[0])
        exact = a / b * 100
        shown = _half_up(exact, d)
        raw = re.sub(r"\s+", "", claim.mention.m.raw)
        yield ctx.finding(
            f"百分比{raw}与所述数字不符：{fmt(a)} ÷ {fmt(b)} = {exact:.2f}%，按写出的位数（{_rounding(d)}）应为{fmt(shown)}%。",
            spans=[claim.span()],
            cells=a_cells + [c for c in b_cells if c not in a_cells],
            expected=shown,
            actual=plain(p),
            computation="；".join(f"{fmt(x)} ÷ {fmt(y)} × 100 = {round(x / y * 100, 2)}%"
                                 for x, _, _ in parts for y, _, _ in bases)
            + f"；分子：{a_how}；基数：{b_how}；叙述 {raw}",
        )


def _yearly_values(ctx: CheckContext, target: Target) -> tuple[list[tuple[str, Number, Number, str, list[CellRef]]],
                                                                Optional[Resolved]]:
    """[(what, this year, last year, how, cells)] for a quantity both years' tables give."""
    now = resolve(target, ctx)
    before = resolve(target, _Year(ctx.last, ctx.last_edition))
    if now.unread:
        return [], now
    if before.unread:
        return [], before
    prev = {v.name: v for v in before.values}
    if len(prev) == 1 and len(now.values) == 1:
        prev = {now.values[0].name: next(iter(prev.values()))}
    return [(v.name, v.value, prev[v.name].value, f"本年{v.how}；上年{prev[v.name].how}", v.cells)
            for v in now.values if v.name in prev], None


def _change_findings(ctx: CheckContext) -> Iterator[Finding]:
    claims = [c for c in ctx.narrative.claims if c.kind in (Kind.change, Kind.order)]
    if not claims:
        return
    if ctx.previous is None:
        for c in claims:
            if c.target is not None:
                c.judge(Status.unverifiable, "没有上年报告，无法核对较上年的变化")
        return
    from .cross_year import _mismatch

    if _mismatch(ctx) is not None:
        for c in claims:
            c.judge(Status.unverifiable, "上年报告与本年报告不能比较")
        return  # X1 says why the years cannot be compared
    year = ctx.report.year
    for claim in claims:
        s = claim.sentence
        if s.wider_scope is not None or claim.target is None:
            continue
        m = _YEAR_WORD.search(claim.label + claim.quote)
        if m and (not year or int(m.group(1)) != year - 1):
            continue
        if s.other_year is not None and not (year and s.other_year == year - 1):
            continue
        values, unread = _yearly_values(ctx, claim.target)
        if unread is not None:
            yield _unread_note(ctx, claim, unread)
            continue
        if claim.said is not None:
            values = [v for v in values if close(v[1], claim.said.value)]
        if not values:
            continue
        if claim.kind is Kind.order:
            yield from _order_finding(ctx, claim, values)
            continue
        x = claim.mention
        assert x is not None
        percent = x.m.kind is NumberKind.percent
        stated = claim.direction * x.value
        ok, shown = False, []
        for name, cur, old, how, cells in values:
            if percent:
                exact = percent_change(cur, old)
                if exact is None:
                    ok = True  # no base to compute a rate on
                    break
                d = _decimals(x.m.raw)
                if abs(exact - stated) <= 0.5 * 10 ** -d + 1e-9:
                    ok = True
                    break
                r = round(exact, max(d, 1))
                shown.append((name, cur, old, how, cells, f"{'增长' if r >= 0 else '下降'}{fmt(abs(r))}%"))
            elif close(change(cur, old), stated):
                ok = True
                break
            else:
                diff = change(cur, old)
                shown.append((name, cur, old, how, cells, f"{'增加' if diff >= 0 else '减少'}{fmt(abs(diff))}件"))
        if ok or not shown:
            claim.judge(Status.supported)
            continue
        claim.judge(Status.contradicted)
        name, cur, old, how, cells, right = shown[0]
        raw = re.sub(r"\s+", "", x.m.raw)
        yield ctx.finding(
            f"叙述称“{claim.quote}”，但按本年与上年报告的{name}（{fmt(cur)}件、{fmt(old)}件）计算，应为{right}。",
            spans=[claim.span()],
            cells=cells,
            expected=right,
            actual=f"{fmt(plain(stated))}{'%' if percent else '件'}",
            computation="；".join(f"{h}；{fmt(c)} − {fmt(o)} = {fmt(change(c, o))}"
                                 + (f"，{fmt(change(c, o))} ÷ {fmt(o)} × 100 = {round(percent_change(c, o) or 0, 2)}%"
                                    if percent else "")
                                 for _, c, o, h, _, _ in shown) + f"；叙述 {raw}",
            basis="年度报告格式“数据精确”要求；本年与上年报告表格数据",
        )


_YEAR_WORD = re.compile(r"(?:较|比|与)(\d{4})年")


def _order_finding(ctx: CheckContext, claim: Claim,
                   values: list[tuple[str, Number, Number, str, list[CellRef]]]) -> Iterator[Finding]:
    name, cur, old, how, cells = values[0]
    real = 0 if close(cur, old) else (1 if cur > old else -1)
    if any((0 if close(c, o) else (1 if c > o else -1)) == claim.direction for _, c, o, _, _ in values):
        claim.judge(Status.supported)
        return
    claim.judge(Status.contradicted)
    said = {0: "持平", 1: "增加", -1: "减少"}
    yield ctx.finding(
        f"叙述称“{claim.quote}”，但{name}本年{fmt(cur)}件、上年{fmt(old)}件，实为{said[real]}。",
        spans=[claim.span()],
        cells=cells,
        expected=said[real],
        actual=said[claim.direction],
        computation=f"{how}；{fmt(cur)} − {fmt(old)} = {fmt(plain(cur - old))}",
        basis="年度报告格式“数据精确”要求；本年与上年报告表格数据",
    )


# ---------------------------------------------------------------- N4 / I5


def _t4_findings(ctx: CheckContext, want_suit_total: bool) -> Iterator[Finding]:
    def test(t: Target) -> bool:
        return isinstance(t, T4) and (t.group == "suit") == want_suit_total

    wrong, notes = _mismatched(ctx, test)
    yield from notes
    for claim, got in wrong:
        assert isinstance(claim.target, T4) and claim.value is not None
        v = got.values[0]
        yield ctx.finding(
            f"叙述中{target_name(claim.target, ctx.edition)}{fmt(claim.value)}件，表四为{fmt(v.value)}件。",
            spans=[claim.span()],
            cells=v.cells,
            expected=v.value,
            actual=plain(claim.value),
            computation=f"{v.how} ≠ 叙述 {fmt(claim.value)}",
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


def _is_t4(t: Target) -> bool:
    return isinstance(t, T4)


@rule(
    "N4",
    "叙述中的行政复议件数和“均获维持”“未发生”等说法与表四一致",
    Severity.error,
    explanation=(
        "叙述中的行政复议件数及其维持、纠正、其他、尚未审结分项要等于表四对应数字，分项相加要等于总数；"
        "“均获维持”“全部维持”意味着表四相应类别的结果纠正、其他结果、尚未审结都是0；"
        "“未发生行政复议、行政诉讼”意味着相应总计为0；“均为未经复议直接起诉”意味着复议后起诉为0。"
        "例如叙述“复议案件均获维持”，而表四行政复议尚未审结为2件。"
    ),
    basis=BASIS_T4,
)
def check_n4(ctx: CheckContext) -> Iterator[Finding]:
    yield from _breakdown_findings(ctx, "review")
    yield from _t4_findings(ctx, want_suit_total=False)
    yield from _zero_claims(ctx, (Kind.absence, Kind.universal), _is_t4)


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
    yield from _breakdown_findings(ctx, "other")
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
            if not usable(x) or x.in_paren or isinstance(x.target, T3) or x.unit not in _RESTATE_UNITS:
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


def _is_t2(t: Target) -> bool:
    return isinstance(t, T2)


@rule(
    "N6",
    "叙述中的规章、规范性文件、许可、处罚、强制数量与表二一致",
    Severity.warning,
    explanation=(
        "叙述写“制发（印发）规范性文件N件”“现行有效规章N件”“作出行政许可决定N件”时，应与表二第二十条对应栏一致；"
        "“本年度未制发、未废止行政规范性文件”这样的说法，相应栏须为0。"
        "只比较说法明确的数字：“政策性文件”“公开许可信息N条”等口径不同的说法不比较。"
        "例如叙述“印发规范性文件33件”，表二规范性文件本年制发8件。"
    ),
    basis=f"{ART50}第（二）项；年度报告格式表二",
)
def check_n6(ctx: CheckContext) -> Iterator[Finding]:
    wrong, notes = _mismatched(ctx, _is_t2)
    yield from notes
    for claim, got in wrong:
        assert isinstance(claim.target, T2) and claim.value is not None
        v0 = got.values[0]
        block = ctx.edition.block_by_key(claim.target.block)
        caption = block.caption if block else ""
        row = v0.name.split(" ")[0]
        figures = "或".join(f"{v.name.split(' ', 1)[1]}{fmt(v.value)}" for v in got.values)
        yield ctx.finding(
            f"叙述中“{claim.quote}”与表二{caption}{row}的{figures}不一致。",
            spans=[claim.span()],
            cells=_cells(got.values),
            expected=plain(v0.value),
            actual=plain(claim.value),
            computation=f"表二 {row} × " + "；".join(f"{v.name.split(' ', 1)[1]} = {fmt(v.value)}" for v in got.values)
            + f"；叙述 {fmt(claim.value)}",
        )
    yield from _zero_claims(ctx, (Kind.absence,), _is_t2)


# ---------------------------------------------------------------- N7

_NO_FEE = re.compile(r"(未|没有|无|不)(收取|产生|征收)[^。；]{0,12}?(信息处理费|费用)|信息处理费[^。；]{0,6}?(为0|为零|(?<![\d.])0元)")


@rule(
    "N7",
    "信息处理费的说法与表格一致，且不填入表二第（八）项",
    Severity.info,
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
    # The documents that issued each edition, from the edition YAML: "〔2021〕30号" -> its edition.
    docs = {ed.document_number: ed for ed in sorted(editions().values(), key=lambda e: e.years[0])}
    right = edition_for_year(year)
    trial = "、".join(str(ed.years[0]) for ed in docs.values() if "试行" in ed.name)
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
            cited = docs.get(f"〔{doc_year}〕{num}号")
            if cited is not None and cited.id != right.id and cited.years[0] > year:
                msg = f"{year}年度报告引用了{doc_year}年才印发的{cited.document}。"
            elif cited is not None and cited.id != right.id:
                msg = f"{year}年度报告引用了已被替代的格式文件{cited.document}，应为{right.document_number}。"
            elif cited is None and _cites_format(s.flat, m.start()):
                known = "或".join(docs)
                yield ctx.finding(
                    f"引用的格式文件文号有误：年度报告格式的文号是国办公开办函{known}，"
                    f"报告写作“{m.group()}”，{year}年度报告应为{right.document_number}。",
                    spans=[s.match_span(m)],
                    expected=right.document,
                    actual=m.group(),
                )
                continue
            else:
                continue
            yield ctx.finding(msg, spans=[s.match_span(m)], actual=m.group())
        if "试行" not in right.name:
            for m in _TRIAL_TITLE.finditer(s.flat):
                yield ctx.finding(
                    f"{year}年度报告把格式写作“{m.group()}”：带“（试行）”的是{trial}年的格式，"
                    f"现行格式名称为《{right.name}》。",
                    spans=[s.match_span(m)],
                    expected=f"《{right.name}》",
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


# ---------------------------------------------------------------- running them on a text

NARRATIVE_CODES = ("N1", "N2", "N3", "N4", "I5", "N5", "N6", "N7", "N8", "N9", "N10", "N11")


def check_narrative(report: Report, previous: Optional[Report] = None) -> tuple[list[Finding], list[Claim]]:
    """The narrative rules alone, and the claims they judged (each with its ``status``).

    The draft guard runs exactly these on a draft: what the checker would
    report on the delivered text is what the guard stops.
    """
    ctx = CheckContext(report, previous)
    findings: list[Finding] = []
    for r in all_rules():
        if r.code not in NARRATIVE_CODES or not r.applies_to(report.edition):
            continue
        if r.needs_previous and previous is None:
            continue
        ctx.rule = r
        findings.extend(r.check(ctx))
    ctx.rule = None
    return sort_findings(findings), ctx.narrative.claims
