"""Rules inside one report's tables: P1, P2, I1–I4, I6–I10.

Every rule reads row and column labels from the edition; none hard-codes a
label. Blank cells count as 0 only to decide whether an identity can hold, and
the computation says so.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Cell, CellState
from ..model.editions import Table2Block
from ..model.refs import AreaKind, AreaRef, Aspect, CellRef
from .agency import read_agency
from .catalogue import CheckContext, rule
from .findings import Finding, Severity
from .locations import row_name
from .tables import (
    Sum,
    cell2,
    cell3,
    cell4,
    close,
    empty_word,
    figure,
    fmt,
    is_empty,
    iter_table2,
    plain,
    printed_as_one_row,
    ref2,
    ref3,
    ref4,
    results_sum,
    row_present,
    row_refs2,
)

NOTE_P1 = "表三表头注：本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
NOTE_P2 = "表三（二）部分公开行标签：区分处理的，只计这一情形，不计其他情形"
NOTE_RESULTS = "表三“三、本年度办理结果”各项与（七）总计的关系（《政府信息公开工作年度报告格式》表三）"
NOTE_COLUMNS = "表三“申请人情况”：总计 = 自然人 + 法人或其他组织各列"
NOTE_BLANK = "年度报告格式要求表格各项如实填写数字，无数据的填0"
NOTE_T4 = "表四：各类案件的结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计"
NOTE_ART20 = "《政府信息公开条例》第二十条第（一）项；年度报告格式表二"
NOTE_RULE_POWER = "《立法法》第九十三条：规章由国务院部门和省、自治区、直辖市及设区的市、自治州的人民政府制定"
NOTE_ITEMS = "年度报告格式（2019）表二第（五）（六）（八）项：上一年项目数量、本年增/减、处理决定数量"
NOTE_UNITS = "年度报告格式表二：第（八）项以万元为单位，第（九）项采购总金额须写明单位"
NOTE_LABELS = "国办公开办函〔2019〕60号、〔2021〕30号印发的统一格式（行列标签与行列数）"
BLANK_NOTE = "（空白按0计）"



def _notes(*notes: str) -> str:
    kept = [n for n in notes if n]
    return f"（{'；'.join(kept)}）" if kept else ""


def _blank_note(*sums: Sum) -> str:
    return BLANK_NOTE if any(s.used_blanks for s in sums) else ""


# ---------------------------------------------------------------- P1


@rule(
    "P1",
    "表三勾稽关系：第一项 + 第二项 = 第三项 + 第四项（逐列）",
    Severity.error,
    explanation=(
        "表三表头印有“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”，"
        "即每一列（自然人、各类法人或其他组织、总计）都要满足：本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理。"
        "例如某列新收35件、上年结转0件，办结35件、结转下年度8件，则 35 + 0 ≠ 35 + 8，必有一处填错。"
        "（七）总计为空时，按各结果行之和核对，并在计算中说明。"
    ),
    basis=NOTE_P1,
)
def check_p1(ctx: CheckContext) -> Iterator[Finding]:
    rep, decl = ctx.report, ctx.edition.table3
    new, cin, total, cout = (decl.row(k) for k in ("new", "carried_in", "total", "carried_out"))
    failed: dict[str, tuple[float, Finding]] = {}
    held: set[str] = set()
    for col in decl.columns:
        lhs = Sum().add("一", cell3(rep, new.label, col)).add("二", cell3(rep, cin.label, col))
        out = Sum().add("四", cell3(rep, cout.label, col))
        tcell = cell3(rep, total.label, col)
        results = results_sum(rep, ctx.edition, col)
        if tcell.is_number:
            seven_value, seven_text, note = figure(tcell), fmt(tcell.value), ""
        elif is_empty(tcell):
            if not results.decidable:
                continue
            if results.all_empty and lhs.all_empty and out.all_empty:
                held.add(col)
                continue  # an empty column is I3's business
            seven_value = results.total
            seven_text = f"({results.equation()})"
            note = "（七）为空，按各结果行之和计；"
        else:
            continue  # text or missing: cannot be decided here (I3/I10 report it)
        if not (lhs.decidable and out.decidable):
            continue
        rhs = seven_value + out.total
        if close(lhs.total, rhs):
            held.add(col)
            continue
        blanks = _blank_note(lhs, out, results if note else Sum())
        failed[col] = (float(lhs.total) - float(rhs), ctx.finding(
            f"{col}列第一项加第二项之和为{fmt(lhs.total)}，第三项加第四项之和为{fmt(plain(rhs))}，两者应相等。",
            area=AreaRef(kind=AreaKind.column, table="三", col=col),
            cells=[ref3(r, col) for r in (new, cin, total, cout)],
            expected=plain(lhs.total),
            actual=plain(rhs),
            computation=(
                f"一 + 二 = {lhs.expression()} = {fmt(lhs.total)}；"
                f"三 + 四 = {seven_text} + {out.expression()} = {fmt(plain(rhs))}；"
                f"{fmt(lhs.total)} ≠ {fmt(plain(rhs))}" + _notes(note.rstrip("；"), blanks.strip("（）"))
            ),
            used=[lhs, out, tcell, results] if note else [lhs, out, tcell],
        ))
    yield from _by_columns(decl.total_column, decl.applicant_columns, failed, held)


def _by_columns(total: str, applicants: list[str], failed: dict[str, tuple[float, Finding]],
                held: set[str]) -> Iterator[Finding]:
    """A column identity that fails in the 总计 column and in applicant columns by differences that add up
    to the 总计 column's is one error, not several: every row's 总计 is the sum of its applicant cells, so
    the 总计 column repeats the applicant columns' error. It is reported at the 总计 column, with the
    applicant columns under it."""
    if total in failed and all(c in failed or c in held for c in applicants):
        gap, root = failed[total]
        parts = [c for c in applicants if c in failed]
        if parts and abs(sum(failed[c][0] for c in parts) - gap) < 1e-6:
            root.consequences = [failed[c][1] for c in parts]
            root.message += (f"{'、'.join(parts)}列同样不成立，各列的差额合计等于总计列的差额"
                             f"（{fmt(plain(gap))}），是同一处差错。")
            yield root
            return
    yield from (f for _, f in failed.values())


# ---------------------------------------------------------------- P2


@rule(
    "P2",
    "区分处理的申请只计入部分公开（结果行不得重复计数）",
    Severity.info,
    explanation=(
        "（二）部分公开的行标签写明“区分处理的，只计这一情形，不计其他情形”：每件办结的申请只落在一个结果行。"
        "当各结果行之和大于（七）总计、且多出的件数不超过部分公开件数时，很可能是把区分处理的申请"
        "同时计入了部分公开和其他结果行。例如部分公开3件、结果行之和比总计多2件。"
    ),
    basis=NOTE_P2,
)
def check_p2(ctx: CheckContext) -> Iterator[Finding]:
    rep, decl = ctx.report, ctx.edition.table3
    col = decl.total_column
    tcell = cell3(rep, decl.row("total").label, col)
    partly = cell3(rep, decl.row("partly").label, col)
    results = results_sum(rep, ctx.edition, col)
    if not (tcell.is_number and partly.is_number and results.decidable):
        return
    excess = results.total - figure(tcell)
    if 0 < excess <= figure(partly):
        yield ctx.finding(
            f"各结果行之和比（七）总计多{fmt(plain(excess))}件，而部分公开有{fmt(partly.value)}件："
            "请确认区分处理的申请是否只计入了部分公开。",
            cells=[ref3(decl.row("partly"), col)],
            expected=plain(figure(tcell)),
            actual=plain(results.total),
            computation=f"{results.equation()} > {fmt(tcell.value)}，多出 {fmt(plain(excess))} ≤ 部分公开 {fmt(partly.value)}",
        )


# ---------------------------------------------------------------- I1


@rule(
    "I1",
    "表三各结果行（含（三）至（六）小计）之和 = （七）总计",
    Severity.error,
    explanation=(
        "每件办结的申请只落在一个结果行，所以每一列都有：（七）总计 = （一）予以公开 + （二）部分公开 + "
        "（三）不予公开各项 + （四）无法提供各项 + （五）不予处理各项 + （六）其他处理。"
        "例如结果行为 4、0、26、5，（七）总计就应为35；（七）空着不填同样是错误。"
    ),
    basis=NOTE_RESULTS,
)
def check_i1(ctx: CheckContext) -> Iterator[Finding]:
    rep, decl = ctx.report, ctx.edition.table3
    total = decl.row("total")
    empty_cols: list[tuple[str, Sum]] = []
    failed: dict[str, tuple[float, Finding]] = {}
    held: set[str] = set()
    for col in decl.columns:
        tcell = cell3(rep, total.label, col)
        results = results_sum(rep, ctx.edition, col)
        if not results.decidable:
            continue
        if is_empty(tcell):
            if not results.all_empty and results.total != 0:
                empty_cols.append((col, results))
            else:
                held.add(col)
            continue
        if not tcell.is_number:
            continue
        if close(figure(tcell), results.total):
            held.add(col)
            continue
        failed[col] = (float(results.total) - float(figure(tcell)), ctx.finding(
            f"{col}列各结果行之和为{fmt(results.total)}，与（七）总计{fmt(tcell.value)}不符。",
            cells=[ref3(total, col)],
            expected=results.total,
            actual=plain(figure(tcell)),
            computation=f"{results.equation()} ≠ {fmt(tcell.value)}{_blank_note(results)}",
            used=[results, tcell],
        ))
    yield from _by_columns(decl.total_column, decl.applicant_columns, failed, held)
    if empty_cols:
        sums = "、".join(f"{c} {fmt(s.total)}" for c, s in empty_cols)
        main = next((s for c, s in empty_cols if c == decl.total_column), empty_cols[0][1])
        yield ctx.finding(
            f"（七）总计为空，但各结果行之和不为0（{sums}），应填写总计。",
            cells=[ref3(total, c) for c, _ in empty_cols],
            expected=main.total,
            actual=None,
            computation="；".join(f"{c}：{s.equation()}，（七）为空" for c, s in empty_cols) + BLANK_NOTE,
            used=[s for _, s in empty_cols],
        )


# ---------------------------------------------------------------- I2


@rule(
    "I2",
    "表三每一行：各申请人列之和 = 总计",
    Severity.error,
    explanation=(
        "表三每一行（包括（三）至（六）下的每个子项）的总计列，应等于自然人和五类法人或其他组织之和。"
        "例如某行自然人3001、商业企业53、法律服务机构61、其他4，总计应为3119。"
    ),
    basis=NOTE_COLUMNS,
)
def check_i2(ctx: CheckContext) -> Iterator[Finding]:
    rep, decl = ctx.report, ctx.edition.table3
    for row in decl.rows:
        sigma = cell3(rep, row.label, decl.total_column)
        parts = Sum()
        for col in decl.applicant_columns:
            parts.add(col, cell3(rep, row.label, col))
        if not parts.decidable:
            continue
        where = [ref3(row, decl.total_column)]
        if sigma.is_number:
            if parts.all_empty:
                if sigma.value != 0:
                    yield ctx.finding(
                        f"总计为{fmt(sigma.value)}，但各申请人列均未填写，无法核对申请人分类。",
                        cells=where,
                        expected=None,
                        actual=plain(figure(sigma)),
                        computation=f"各申请人列均为空，总计 {fmt(sigma.value)}",
                        severity=Severity.warning,
                        used=[sigma],
                    )
                continue
            if close(parts.total, figure(sigma)):
                continue
            yield ctx.finding(
                f"{row.short}各申请人列之和为{fmt(parts.total)}，与总计{fmt(sigma.value)}不符。",
                cells=where,
                expected=parts.total,
                actual=plain(figure(sigma)),
                computation=f"{parts.equation()} ≠ {fmt(sigma.value)}{_blank_note(parts)}",
                used=[parts, sigma],
            )
        elif is_empty(sigma) and not parts.all_empty and parts.total != 0:
            yield ctx.finding(
                f"{row.short}各申请人列之和为{fmt(parts.total)}，总计却为空。",
                cells=where,
                expected=parts.total,
                actual=None,
                computation=f"{parts.equation()}，总计为空{_blank_note(parts)}",
                used=[parts],
            )


# ---------------------------------------------------------------- I3


def _region_finding(ctx: CheckContext, table: str, empties: list[tuple[CellRef, str]]) -> Finding:
    """One finding per table for its empty cells, instead of one per cell."""
    rows = list(dict.fromkeys(row_name(ref, ctx.edition) for ref, _ in empties))
    kinds = sorted({w for _, w in empties})
    names = "、".join(rows[:6]) + ("等" if len(rows) > 6 else "")
    return ctx.finding(
        f"表{table}有{len(rows)}行共{len(empties)}个单元格为{'或'.join(kinds)}，格式要求无数据时填0：{names}。",
        area=AreaRef(kind=AreaKind.rows, table=table),
        cells=[ref for ref, _ in empties],
        expected=0,
        actual=None,
        computation=f"{len(rows)} 行 {len(empties)} 个单元格未填数字",
        severity=Severity.warning,
    )


@rule(
    "I3",
    "表格单元格应为非负整数，无数据填0（不留空、不写“/”）",
    Severity.warning,
    explanation=(
        "表二、表三、表四的每个单元格都应是数字：件数为非负整数，金额（万元等）可有小数，表二“本年增/减”可为负数。"
        "空白、“/”、“—”不等于0，格式要求明确填0，评估时按格式错误计；负数或小数件数则不可能正确。"
        "空白单元格按表归并报告，例如“表三有16行共96个单元格为空白”。"
    ),
    basis=NOTE_BLANK,
    form=True,
)
def check_i3(ctx: CheckContext) -> Iterator[Finding]:
    rep, ed = ctx.report, ctx.edition
    bad_number = []
    empties3: list[tuple[CellRef, str]] = []
    for row in ed.table3.rows:
        for col in ed.table3.columns:
            c = cell3(rep, row.label, col)
            if is_empty(c):
                empties3.append((ref3(row, col), empty_word(c)))
            else:
                bad_number.append((ref3(row, col), c, False, False))
    empties4: list[tuple[CellRef, str]] = []
    for group in ed.table4.groups:
        for col in ed.table4.columns:
            c = cell4(rep, group, col)
            if is_empty(c):
                empties4.append((ref4(group, col), empty_word(c)))
            else:
                bad_number.append((ref4(group, col), c, False, False))
    empties2: list[tuple[CellRef, str]] = []
    for block, label, col, c in iter_table2(rep, ed):
        key = block.column_keys.get(col, "")
        if is_empty(c):
            empties2.append((ref2(block, label, col), empty_word(c)))
        else:
            bad_number.append((ref2(block, label, col), c, key.endswith("amount"), key == "items_change"))
    for table, empties in (("二", empties2), ("三", empties3), ("四", empties4)):
        if empties:
            yield _region_finding(ctx, table, empties)
    for where, c, decimals_ok, negative_ok in bad_number:
        if c.state is CellState.text:
            yield ctx.finding(
                f"单元格写的是“{c.raw.strip()}”，不是数字；应填写数字，无数据填0。",
                cells=[where],
                actual=c.raw.strip(),
                severity=Severity.warning,
            )
        elif c.is_number and c.value is not None:
            if c.value < 0 and not negative_ok:
                yield ctx.finding(
                    f"单元格为负数{fmt(c.value)}，件数或金额不可能为负。",
                    cells=[where],
                    expected=0,
                    actual=plain(c.value),
                    computation=f"{fmt(c.value)} < 0",
                    severity=Severity.error,
                )
            elif not decimals_ok and not float(c.value).is_integer():
                yield ctx.finding(
                    f"单元格为小数{fmt(c.value)}，件数应为整数。",
                    cells=[where],
                    actual=plain(c.value),
                    computation=f"{fmt(c.value)} 不是整数",
                    severity=Severity.error,
                )


# ---------------------------------------------------------------- I4


@rule(
    "I4",
    "表四每类案件：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计",
    Severity.error,
    explanation=(
        "表四的行政复议、未经复议直接起诉、复议后起诉三类，各自的四种结果之和应等于该类总计。"
        "例如行政复议 72 + 64 + 178 + 37 = 351。"
    ),
    basis=NOTE_T4,
)
def check_i4(ctx: CheckContext) -> Iterator[Finding]:
    rep, decl = ctx.report, ctx.edition.table4
    for group in decl.groups:
        total = cell4(rep, group, decl.total_column)
        parts = Sum()
        for col in decl.columns[:-1]:
            parts.add(col, cell4(rep, group, col))
        if not parts.decidable:
            continue
        where = [ref4(group, decl.total_column)]
        if total.is_number:
            if close(parts.total, figure(total)):
                continue
            yield ctx.finding(
                f"{group}各结果之和为{fmt(parts.total)}，与总计{fmt(total.value)}不符。",
                cells=where,
                expected=parts.total,
                actual=plain(figure(total)),
                computation=f"{parts.equation()} ≠ {fmt(total.value)}{_blank_note(parts)}",
                used=[parts, total],
            )
        elif is_empty(total) and parts.total != 0:
            yield ctx.finding(
                f"{group}各结果之和为{fmt(parts.total)}，总计却为空。",
                cells=where,
                expected=parts.total,
                computation=f"{parts.equation()}，总计为空{_blank_note(parts)}",
                used=[parts],
            )


# ---------------------------------------------------------------- I6


@rule(
    "I6",
    "表二第（一）项：存量合理；无规章制定权的机关规章应为0",
    Severity.warning,
    explanation=(
        "2021年格式的第二十条第（一）项是存量表：现行有效件数 = 上年现行有效 + 本年制发 − 本年废止，"
        "所以现行有效件数不应小于“本年制发 − 本年废止”；给出上年报告时，本年废止件数不能超过"
        "上年现行有效件数与本年制发件数之和。另外，按《立法法》只有国务院部门和省级、设区的市级人民政府能制定规章，"
        "区县、乡镇人民政府及其部门的报告中“规章”应全为0，例如某镇报告现行有效规章6件即有误。"
    ),
    basis=f"{NOTE_ART20}；{NOTE_RULE_POWER}",
)
def check_i6(ctx: CheckContext) -> Iterator[Finding]:
    rep, ed = ctx.report, ctx.edition
    block = ed.block_by_key("documents")
    if block is None:
        return
    agency = read_agency(rep.agency)
    rules_row = block.row("rules")
    if agency.rule_power is False and rules_row:
        written = [
            (col, cell2(rep, block.caption, rules_row, col))
            for col in block.columns
        ]
        nonzero = [(col, c) for col, c in written if c.is_number and c.value]
        if nonzero:
            figures = "、".join(f"{col} {fmt(c.value)}" for col, c in nonzero)
            yield ctx.finding(
                f"{agency.name}没有规章制定权，规章各栏应为0，表中却有{figures}。",
                area=AreaRef(kind=AreaKind.row, table="二", block=block.caption, row=rules_row),
                cells=row_refs2(block, rules_row),
                expected=0,
                actual=plain(figure(nonzero[0][1])),
                computation=f"{figures} > 0",
            )
    issued, repealed, in_force = (block.column(k) for k in ("issued", "repealed", "in_force"))
    if not (issued and repealed and in_force):
        return  # the 2019 edition has no stock-flow columns
    prev_block = ctx.last_edition.block_by_key("documents") if ctx.previous is not None else None
    prev_in_force = prev_block.column("in_force") if prev_block else None
    for row in block.rows:
        i, r, f = (cell2(rep, block.caption, row, c) for c in (issued, repealed, in_force))
        if not (i.is_number and r.is_number and f.is_number):
            continue
        if figure(f) < figure(i) - figure(r):
            yield ctx.finding(
                f"{row}现行有效{fmt(f.value)}件，小于本年制发减本年废止（{fmt(i.value)} − {fmt(r.value)}），上年存量不可能为负。",
                cells=[ref2(block, row, in_force)],
                expected=f"≥ {fmt(plain(figure(i) - figure(r)))}",
                actual=plain(figure(f)),
                computation=(f"上年现行有效 = {fmt(f.value)} − {fmt(i.value)} + {fmt(r.value)} = "
                             f"{fmt(plain(figure(f) - figure(i) + figure(r)))} < 0"),
                severity=Severity.error,  # a negative stock last year cannot be right
            )
        if prev_block is not None and prev_in_force and ctx.previous is not None:
            prev_row = prev_block.row(block.row_keys.get(row, "")) if block.row_keys.get(row) else None
            p = cell2(ctx.previous, prev_block.caption, prev_row, prev_in_force) if prev_row else None
            if p is not None and p.is_number and figure(r) > figure(p) + figure(i):
                yield ctx.finding(
                    f"{row}本年废止{fmt(r.value)}件，超过上年现行有效{fmt(p.value)}件与本年制发{fmt(i.value)}件之和。",
                    cells=[ref2(block, row, repealed)],
                    expected=f"≤ {fmt(plain(figure(p) + figure(i)))}",
                    actual=plain(figure(r)),
                    computation=f"{fmt(figure(r))} > {fmt(figure(p))} + {fmt(figure(i))} = {fmt(plain(figure(p) + figure(i)))}",
                    severity=Severity.error,
                )


# ---------------------------------------------------------------- I7


@rule(
    "I7",
    "表二第（一）项（2019）：对外公开总数量 ≥ 本年新公开数量",
    Severity.error,
    explanation=(
        "2019年格式第二十条第（一）项中，对外公开总数量是累计数，包含本年新公开的文件，不能小于本年新公开数量。"
        "本年新制作数量很大而新公开数和累计数都很小（如 33 / 8 / 8）也值得说明。"
    ),
    basis=NOTE_ART20,
)
def check_i7(ctx: CheckContext) -> Iterator[Finding]:
    rep = ctx.report
    block = ctx.edition.block_by_key("documents")
    if block is None:
        return
    made, published, total = (block.column(k) for k in ("made", "published", "published_total"))
    if not (published and total):
        return
    for row in block.rows:
        p, t = cell2(rep, block.caption, row, published), cell2(rep, block.caption, row, total)
        if p.is_number and t.is_number and figure(t) < figure(p):
            yield ctx.finding(
                f"{row}对外公开总数量{fmt(t.value)}小于本年新公开数量{fmt(p.value)}，累计数不可能小于当年数。",
                cells=[ref2(block, row, total)],
                expected=f"≥ {fmt(p.value)}",
                actual=plain(figure(t)),
                computation=f"{fmt(t.value)} < {fmt(p.value)}",
            )
        m = cell2(rep, block.caption, row, made) if made else None
        if (
            m is not None and m.is_number and p.is_number and t.is_number
            and figure(m) >= 20 and figure(p) * 2 < figure(m) and figure(t) * 2 < figure(m)
        ):
            yield ctx.finding(
                f"{row}本年新制作{fmt(m.value)}件，而新公开{fmt(p.value)}件、对外公开总数量{fmt(t.value)}件，"
                "大部分新制作文件未公开，请核实。",
                area=AreaRef(kind=AreaKind.row, table="二", block=block.caption, row=row),
                cells=row_refs2(block, row),
                actual=plain(figure(p)),
                computation=f"新制作 {fmt(m.value)} / 新公开 {fmt(p.value)} / 总数量 {fmt(t.value)}",
                severity=Severity.info,
            )


# ---------------------------------------------------------------- I8


@rule(
    "I8",
    "表二第（五）（六）（八）项（2019）：项目数量与处理决定数量不可混用",
    Severity.info,
    explanation=(
        "2019年格式中，上一年项目数量 + 本年增/减 是本年的事项（项目）数，不能为负；处理决定数量统计的是作出的决定件数，"
        "不是项目数。若处理决定数量恰好等于“上一年项目数量 + 本年增/减”，很可能把项目数填进了处理决定数量"
        "（例如 61 + 36 = 97 被填作处理决定数量）。"
    ),
    basis=NOTE_ITEMS,
)
def check_i8(ctx: CheckContext) -> Iterator[Finding]:
    rep = ctx.report
    for block in ctx.edition.table2:
        prior, change, decisions = (block.column(k) for k in ("items_prior", "items_change", "decisions"))
        if not (prior and change):
            continue
        for row in block.rows:
            a, d = cell2(rep, block.caption, row, prior), cell2(rep, block.caption, row, change)
            if not (a.is_number and d.is_number):
                continue
            items = plain(figure(a) + figure(d))
            if items < 0:
                yield ctx.finding(
                    f"{row}上一年项目数量{fmt(a.value)}加本年增/减{fmt(d.value)}为负数，项目数不可能为负。",
                    cells=[ref2(block, row, change)],
                    expected="≥ 0",
                    actual=items,
                    computation=f"{fmt(a.value)} + ({fmt(d.value)}) = {fmt(items)} < 0",
                    severity=Severity.error,
                )
            x = cell2(rep, block.caption, row, decisions) if decisions else None
            if decisions and x is not None and x.is_number and figure(d) != 0 and items > 0 and close(figure(x), items):
                yield ctx.finding(
                    f"{row}处理决定数量{fmt(x.value)}恰好等于上一年项目数量加本年增/减，可能把项目数填成了处理决定数量。",
                    cells=[ref2(block, row, decisions)],
                    actual=plain(figure(x)),
                    computation=f"{fmt(a.value)} + {fmt(d.value)} = {fmt(items)} = 处理决定数量 {fmt(x.value)}",
                )


# ---------------------------------------------------------------- I9

_MONEY_UNITS = ("元", "万", "万元", "亿", "亿元", "千元")


@rule(
    "I9",
    "表二金额的单位：第（八）项以万元计，第（九）项采购总金额须写明单位",
    Severity.warning,
    explanation=(
        "2021年格式第二十条第（八）项“本年收费金额”的单位是万元，单元格里写“元”或其他单位说明填错了口径；"
        "2019年格式第（九）项“采购总金额”模板未给单位，必须在数字后写明（如“19.7万”“251000元”），"
        "只写“11.876”无法知道是元还是万元。"
    ),
    basis=NOTE_UNITS,
    form=True,
)
def check_i9(ctx: CheckContext) -> Iterator[Finding]:
    rep = ctx.report
    for block in ctx.edition.table2:
        for row in block.rows:
            for col in block.columns:
                if block.column_keys.get(col, "").endswith("amount"):
                    yield from _unit_findings(ctx, block, row, col, cell2(rep, block.caption, row, col))


def _unit_findings(ctx: CheckContext, block: Table2Block, row: str, col: str, c: Cell) -> Iterator[Finding]:
    if c.is_number:
        where = [ref2(block, row, col)]
        declared = block.units.get(col)
        unit = (c.unit or "").strip()
        if declared:
            if unit and unit not in (declared, declared.rstrip("元")):
                yield ctx.finding(
                    f"本栏以{declared}为单位，单元格却写了“{c.raw.strip()}”（单位{unit}），请换算为{declared}。",
                    cells=where,
                    expected=declared,
                    actual=unit,
                )
        elif not unit and c.value:
            yield ctx.finding(
                f"{col}“{c.raw.strip()}”没有写明单位，无法判断是元还是万元。",
                cells=where,
                expected="元或万元",
                actual=c.raw.strip(),
            )


# ---------------------------------------------------------------- I10

_TRIVIAL_LABEL_CHANGES = {"spacing", "width", "punctuation", "numbering"}


@rule(
    "I10",
    "表格行列标签、行列数与所用格式版本一致",
    Severity.warning,
    explanation=(
        "表格的行、列标签应与格式原文一致（如“现行有效件数”不应改作“现行有效件”，“属于三类内部事务信息”不应写成"
        "“属于三类内容事务信息”），行列数也应与模板相同。2021年及以后的报告仍使用2019年格式的表格是错误。"
        "只在空格、标点、序号写法上的差异不报。"
    ),
    basis=NOTE_LABELS,
    form=True,
)
def check_i10(ctx: CheckContext) -> Iterator[Finding]:
    from ..model import edition_for_year

    rep, ed = ctx.report, ctx.edition
    if rep.year:
        due = edition_for_year(rep.year)
        if due.id != ed.id:
            newer = int(due.id) > int(ed.id)
            yield ctx.finding(
                f"{rep.year}年度报告应使用{due.document}印发的格式，实际使用的是{ed.document}的格式。",
                area=AreaRef(kind=AreaKind.report, aspect=Aspect.edition),
                expected=due.id,
                actual=ed.id,
                severity=Severity.error if newer else Severity.warning,
            )
    for dev in rep.labels:
        if dev.kind in _TRIVIAL_LABEL_CHANGES:
            continue
        yield ctx.finding(
            f"标签“{dev.written}”与格式原文“{dev.official}”不一致。",
            area=AreaRef(kind=AreaKind.label, table=dev.table, label=dev.written),
            expected=dev.official,
            actual=dev.written,
        )
    if rep.table3:
        absent = [r for r in ed.table3.rows if not row_present(rep, r)]
        for group in ed.table3.groups:
            rows = ed.table3.group_rows(group)
            if rows and all(r in absent for r in rows) and printed_as_one_row(rep, group, rows):
                # The older layout of the group (one row, its subtotal): no figure is lost.
                absent = [r for r in absent if r not in rows]
                yield ctx.finding(
                    f"{group}按旧格式印为一行，没有分列{len(rows)}个子项；本行数字按{group}的小计核对，"
                    "没有数字丢失，但应按本格式分项填写。",
                    area=AreaRef(kind=AreaKind.row, table="三", row=group),
                    cells=[ref3(r, col) for r in rows for col in ed.table3.columns],
                    expected=len(rows),
                    actual=1,
                    severity=Severity.warning,
                )
        missing = [r.short for r in absent]
        if missing:
            yield ctx.finding(
                f"表三缺少{len(missing)}行：{'、'.join(missing)}。",
                area=AreaRef(kind=AreaKind.rows, table="三"),
                cells=[ref3(r, col) for r in absent for col in ed.table3.columns],
                expected=len(ed.table3.rows),
                actual=len(ed.table3.rows) - len(missing),
                severity=Severity.error,
            )
    else:
        yield ctx.finding("报告中没有读到表三（收到和处理政府信息公开申请情况）。",
                          area=AreaRef(kind=AreaKind.table, table="三"), severity=Severity.error)
    if not rep.table4:
        yield ctx.finding("报告中没有读到表四（行政复议、行政诉讼情况）。",
                          area=AreaRef(kind=AreaKind.table, table="四"), severity=Severity.error)
