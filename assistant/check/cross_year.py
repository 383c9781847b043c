"""Rules that compare a report with the same agency's report for the year before."""

from __future__ import annotations

import re
from typing import Iterator, Optional

from ..model import Report
from ..model.refs import AreaKind, AreaRef, Aspect
from ..parse.sentences import sentences
from .agency import same_agency
from .catalogue import CheckContext, rule
from .findings import Finding, Severity
from .tables import Sum, cell2, cell3, cell4, close, figure, fmt, is_empty, plain, ref2, ref3, ref4

BASIS_X = "年度报告格式表三“上年结转”与上年报告“结转下年度继续办理”的衔接"


def _mismatch(ctx: CheckContext) -> Optional[str]:
    """Why last year's report cannot be compared with this one, or None."""
    rep, prev = ctx.report, ctx.previous
    if prev is None:
        return "no previous"
    if rep.year and prev.year and prev.year != rep.year - 1:
        return f"所给上年报告是{prev.year}年度的，不是{rep.year - 1}年度的，未做跨年核对。"
    if rep.agency and prev.agency and same_agency(rep.agency, prev.agency) is None:
        return f"所给上年报告的机关是“{prev.agency}”，与本报告“{rep.agency}”不同，未做跨年核对。"
    return None


def _paired_by_normalising(ctx: CheckContext) -> Optional[str]:
    """When last year's report is taken as the same agency's only once the names are normalised, what to say."""
    rep, prev = ctx.report, ctx.last
    same = same_agency(rep.agency, prev.agency)
    if same is None or same.exact:
        return None
    return f"上年报告的机关名称写作“{prev.agency}”，本报告写作“{rep.agency}”；{same.how}，据此做跨年核对。"


@rule(
    "X1",
    "上年结转 = 上年报告的结转下年度继续办理（逐列）",
    Severity.error,
    needs_previous=True,
    explanation=(
        "本年表三“二、上年结转政府信息公开申请数量”每一列，应等于上年报告表三“四、结转下年度继续办理”的同一列。"
        "例如上年结转下年度72件（全部为自然人），本年上年结转就应为72件。2019与2021年格式之间同样适用。"
    ),
    basis=BASIS_X,
)
def check_x1(ctx: CheckContext) -> Iterator[Finding]:
    why = _mismatch(ctx)
    if why:
        yield ctx.finding(why, area=AreaRef(kind=AreaKind.previous), severity=Severity.info)
        return
    note = _paired_by_normalising(ctx)
    if note:
        yield ctx.finding(note, area=AreaRef(kind=AreaKind.previous), severity=Severity.info)
    decl, pdecl = ctx.edition.table3, ctx.last_edition.table3
    cin, pout = decl.row("carried_in"), pdecl.row("carried_out")
    for col in decl.columns:
        if col not in pdecl.columns:
            continue
        now, before = cell3(ctx.report, cin.label, col), cell3(ctx.last, pout.label, col)
        if is_empty(now) and is_empty(before):
            continue
        a = Sum().add("本年上年结转", now)
        b = Sum().add("上年结转下年度", before)
        if not (a.decidable and b.decidable) or close(a.total, b.total):
            continue
        note = "（空白按0计）" if a.used_blanks or b.used_blanks else ""
        yield ctx.finding(
            f"{col}列上年结转{fmt(a.total)}件，而{ctx.last.year or '上'}年度报告结转下年度{fmt(b.total)}件。",
            cells=[ref3(cin, col)],
            expected=b.total,
            actual=a.total,
            computation=f"上年 四 = {fmt(b.total)} ≠ 本年 二 = {fmt(a.total)}{note}",
        )


@rule(
    "X2",
    "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止（2021年格式）",
    Severity.warning,
    needs_previous=True,
    explanation=(
        "2021年格式第二十条第（一）项是存量表，规章和行政规范性文件都应满足：本年现行有效件数 = 上年现行有效件数 + "
        "本年制发件数 − 本年废止件数。修订后重新印发的文件可能同时计入制发和废止，个别机关改变了统计口径，"
        "因此列为警告。例如上年现行有效8件，本年废止5件、制发12件，本年现行有效应为15件。"
        "上年报告为2019年格式时无法推算，不核对。"
    ),
    basis="《政府信息公开条例》第二十条第（一）项；年度报告格式（2021）表二",
)
def check_x2(ctx: CheckContext) -> Iterator[Finding]:
    if _mismatch(ctx) or ctx.last_edition.id != ctx.edition.id:
        return
    block = ctx.edition.block_by_key("documents")
    pblock = ctx.last_edition.block_by_key("documents")
    if not block or not pblock:
        return
    issued, repealed, in_force = cols = [block.column(k) for k in ("issued", "repealed", "in_force")]
    if not (issued and repealed and in_force):
        return
    for row in block.rows:
        key = block.row_keys.get(row)
        prow = pblock.row(key) if key else None
        if not prow:
            continue
        i, r, f = (cell2(ctx.report, block.caption, row, c) for c in cols)
        p = cell2(ctx.last, pblock.caption, prow, pblock.column("in_force"))
        if not all(c.is_number for c in (i, r, f, p)):
            continue
        want = plain(figure(p) + figure(i) - figure(r))
        if close(want, figure(f)):
            continue
        yield ctx.finding(
            f"{row}现行有效{fmt(f.value)}件，按上年现行有效{fmt(p.value)}件加本年制发减本年废止应为{fmt(want)}件。",
            cells=[ref2(block, row, in_force)],
            expected=want,
            actual=plain(figure(f)),
            computation=f"{fmt(p.value)} + {fmt(i.value)} − {fmt(r.value)} = {fmt(want)} ≠ {fmt(f.value)}",
        )


@rule(
    "X3",
    "项目数量逐年衔接；对外公开总数量不减少（2019年格式）",
    Severity.warning,
    needs_previous=True,
    explanation=(
        "2019年格式表二第（五）（六）（八）项中，本年的“上一年项目数量”应等于上年报告的“上一年项目数量 + 本年增/减”；"
        "第（一）项的对外公开总数量是累计数，一般不应比上年少（除非撤回了文件）。"
        "例如上年项目数量10、本年增/减2，今年上一年项目数量应为12。"
    ),
    basis="年度报告格式（2019）表二第（一）（五）（六）（八）项",
)
def check_x3(ctx: CheckContext) -> Iterator[Finding]:
    if _mismatch(ctx) or ctx.last_edition.id != ctx.edition.id:
        return
    ed, prev = ctx.edition, ctx.last
    for block in ed.table2:
        prior, change = block.column("items_prior"), block.column("items_change")
        if prior and change:
            for row in block.rows:
                now = cell2(ctx.report, block.caption, row, prior)
                a, d = cell2(prev, block.caption, row, prior), cell2(prev, block.caption, row, change)
                if not (now.is_number and a.is_number and d.is_number):
                    continue
                want = plain(figure(a) + figure(d))
                if close(want, figure(now)):
                    continue
                yield ctx.finding(
                    f"{row}上一年项目数量{fmt(now.value)}，按上年报告应为{fmt(a.value)} + {fmt(d.value)} = {fmt(want)}。",
                    cells=[ref2(block, row, prior)],
                    expected=want,
                    actual=plain(figure(now)),
                    computation=f"上年 {fmt(a.value)} + ({fmt(d.value)}) = {fmt(want)} ≠ {fmt(now.value)}",
                )
        total = block.column("published_total")
        if total:
            for row in block.rows:
                now, before = cell2(ctx.report, block.caption, row, total), cell2(prev, block.caption, row, total)
                if now.is_number and before.is_number and figure(now) < figure(before):
                    yield ctx.finding(
                        f"{row}对外公开总数量{fmt(now.value)}比上年的{fmt(before.value)}还少，累计数一般不会减少，请说明。",
                        cells=[ref2(block, row, total)],
                        expected=f"≥ {fmt(before.value)}",
                        actual=plain(figure(now)),
                        computation=f"{fmt(now.value)} < 上年 {fmt(before.value)}",
                    )


@rule(
    "X4",
    "上年尚未审结的复议、诉讼案件在本年应有去向",
    Severity.info,
    needs_previous=True,
    explanation=(
        "上年表四中尚未审结的行政复议、行政诉讼，本年审结后通常会出现在本年表四中（各地统计口径不一，按立案年或审结年统计都有），"
        "若上年尚未审结若干件、本年该类总计却为0，值得说明。"
    ),
    basis="年度报告格式表四（尚未审结）",
)
def check_x4(ctx: CheckContext) -> Iterator[Finding]:
    if _mismatch(ctx):
        return
    decl, pdecl = ctx.edition.table4, ctx.last_edition.table4
    for group in decl.groups:
        if group not in pdecl.groups:
            continue
        pending = cell4(ctx.last, group, pdecl.column("pending"))
        total = cell4(ctx.report, group, decl.total_column)
        if pending.is_number and figure(pending) > 0 and (is_empty(total) or (total.is_number and figure(total) == 0)):
            yield ctx.finding(
                f"上年{group}尚未审结{fmt(pending.value)}件，本年{group}总计为0，请说明这些案件的审结情况。",
                cells=[ref4(group, decl.total_column)],
                expected=f"≥ {fmt(pending.value)}（如按审结年统计）",
                actual=0,
            )


@rule(
    "X5",
    "格式版本只能沿用或更新，不能倒退",
    Severity.warning,
    needs_previous=True,
    explanation=(
        "2020年度报告（2019年格式）之后，2021年度报告改用2021年格式，上年结转的衔接（X1）照常核对，"
        "但表二存量无法从2019年格式推算。若上年已用新格式、本年反而用了旧格式，说明套用了旧模板。"
    ),
    basis="国办公开办函〔2021〕30号（2021年度起使用新格式）",
)
def check_x5(ctx: CheckContext) -> Iterator[Finding]:
    if _mismatch(ctx):
        return
    if int(ctx.last_edition.id) > int(ctx.edition.id):
        yield ctx.finding(
            f"上年报告已使用{ctx.last_edition.document}的格式，本年却使用了旧的{ctx.edition.document}格式。",
            area=AreaRef(kind=AreaKind.report, aspect=Aspect.edition),
            expected=ctx.last_edition.id,
            actual=ctx.edition.id,
        )


_NORMALISE = re.compile(r"[\s\d０-９一二三四五六七八九十百千万〇零两.．%％,，、]+")
_MIN_SENTENCE = 12
_ENDS = "。！？；"


def _sentences(report: Report) -> list[str]:
    out = []
    # The preamble is boilerplate every year (编制依据, 统计期限); repeating it is not 雷同.
    paragraphs: list[str] = []
    for s in report.sections:
        paragraphs.extend(p.text for p in s.paragraphs)
    for text in paragraphs:
        for chunk in (s.rstrip(_ENDS) for s in sentences(text, _ENDS)):
            flat = _NORMALISE.sub("#", chunk)
            if len(flat) >= _MIN_SENTENCE:
                out.append(flat)
    return out


@rule(
    "X6",
    "内容雷同：与上年报告大段重复",
    Severity.warning,
    needs_previous=True,
    explanation=(
        "年度报告照抄上年的文字或数字（内容雷同）是问责情形之一。比较时忽略数字和年份，只看句子是否与上年相同："
        "重复的文字占本年叙述一半以上报警告，三成以上作提示；表三数字与上年完全相同也报警告。"
        "例如某局连续三年使用相同数据。"
    ),
    basis="国办公开办函〔2021〕30号（四）明确责任：内容雷同的依照条例第四十七条追责",
)
def check_x6(ctx: CheckContext) -> Iterator[Finding]:
    if _mismatch(ctx):
        return
    now, before = _sentences(ctx.report), set(_sentences(ctx.last))
    total = sum(len(s) for s in now)
    if total:
        repeated = sum(len(s) for s in now if s in before)
        share = repeated / total
        if share >= 0.3:
            yield ctx.finding(
                f"本年叙述中有{share:.0%}的文字与上年报告相同（忽略数字与年份），内容雷同。",
                area=AreaRef(kind=AreaKind.report, aspect=Aspect.narrative),
                expected="< 30%",
                actual=round(share * 100, 1),
                computation=f"重复 {repeated} 字 / 共 {total} 字 = {share:.1%}",
                severity=Severity.warning if share >= 0.5 else Severity.info,
            )
    decl = ctx.edition.table3
    if ctx.last_edition.id == ctx.edition.id:
        col = decl.total_column
        same, nonzero = True, False
        for row in decl.rows:
            a, b = cell3(ctx.report, row.label, col), cell3(ctx.last, row.label, col)
            if a.is_number != b.is_number or (a.is_number and not close(figure(a), figure(b))):
                same = False
                break
            nonzero = nonzero or bool(a.is_number and a.value)
        if same and nonzero:
            yield ctx.finding(
                "表三总计列的每个数字都与上年报告完全相同，疑似照搬上年数据。",
                area=AreaRef(kind=AreaKind.column, table="三", col=col),
                cells=[ref3(row, col) for row in decl.rows],
                computation="逐行相同",
            )
