"""`nianbao ledger`: tables 三 and 四 counted from an application register.

The library counts (``assistant.ledger``); this command reads the options,
prints the tables, the rows it could not place and the reconciliations, and
writes the facts file.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import NianbaoError
from ..ledger import (
    LedgerError,
    LedgerResult,
    compare_previous,
    compare_report,
    compute_register,
    facts_data,
    provenance,
    write_facts,
)
from ..ledger.reconcile import CellDiff
from ..ledger.summary import mapping_template, refs_text, result_to_dict
from ..ledger.vocabulary import parse_assignments
from .app import app


class LedgerFormat(str, Enum):
    text = "text"
    json = "json"


def _console(stderr: bool = False) -> Console:
    c = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not c.is_terminal and not stderr:
        c = Console(highlight=False, width=200)
    return c


def read_report(path: Path, what: str):
    """A report (any readable format) or a facts/reference YAML or JSON."""
    from ..draft.facts import read_previous

    try:
        return read_previous(path)
    except (NianbaoError, ValueError) as exc:  # FactsError, ReadError, EditionError …; pydantic's ValueError
        raise LedgerError(f"{what}无法读取：{exc}") from None


def print_blocked(result: LedgerResult, err: Console) -> None:
    err.print("[bold red]台账中有无法归类的行，表三、表四未计算（不作推测）。[/]")
    for b in result.blockers:
        err.print(f"  · {escape(b.message)}（{len(b.rows)}行）：{escape(refs_text(b.rows))}")
    blocking = [u for u in result.unmapped if u.blocking]
    if blocking:
        err.print("[bold]以下取值没有对应到表格，请指定：[/]")
        for u in blocking:
            err.print(f"  · {u.field_name}“{escape(u.value)}”（{len(u.rows)}行）：{escape(refs_text(u.rows, 5))}")
        err.print("可把下面的内容存为 mapping.yaml，填好每项的目标后加 --mapping mapping.yaml 重新计算"
                  "（或用 --assign 字段:本地写法=目标）：")
        err.print(escape(mapping_template(blocking)), end="")


def _table(title: str, first: str, values: dict[str, list[int]], columns: list[str],
           shown: Optional[dict[str, str]] = None) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column(first)
    for c in columns:
        t.add_column(c, justify="right")
    for label, vals in values.items():
        t.add_row((shown or {}).get(label, label), *(str(v) for v in vals))
    return t


def _row_names(result: LedgerResult) -> dict[str, str]:
    """“（三）1.属于国家秘密” rather than a bare “1.属于国家秘密”: sub-rows keep their group's number."""
    return {r.label: (r.group.split("）", 1)[0] + "）" + r.label if r.group else r.label)
            for r in result.edition.table3.rows}


def print_result(result: LedgerResult, console: Console) -> None:
    reg, ed = result.register, result.edition
    console.print(f"[bold]台账“{escape(reg.file)}”[/] {result.year}年度，{ed.id}版格式")
    for s in reg.sheets:
        if s.kind == "ignored":
            console.print(f"  未使用工作表“{escape(s.name)}”：{s.reason}")
        else:
            kind = "申请" if s.kind == "applications" else "案件"
            assert s.layout is not None  # a sheet in use has its header found
            rows = f"第{s.layout.top + 1}行" if s.layout.top == s.layout.bottom else f"第{s.layout.top + 1}–{s.layout.bottom + 1}行"
            console.print(f"  工作表“{escape(s.name)}”：{kind}{s.rows}行，表头在{rows}")
    from ..ledger.vocabulary import APPLICATION_FIELDS, CASE_FIELDS

    console.print("  识别的列：" + "；".join(f"{APPLICATION_FIELDS[f]}←“{escape(h)}”" for f, h in reg.columns.items()))
    if reg.case_columns:
        console.print("  案件表的列：" + "；".join(f"{CASE_FIELDS[f]}←“{escape(h)}”" for f, h in reg.case_columns.items()))
    console.print(_table("表三 收到和处理政府信息公开申请情况（按台账计算）", "行", result.table3_values(), ed.table3.columns,
                         _row_names(result)))
    t4 = result.table4_values()
    if t4 is not None:
        console.print(_table("表四 行政复议、行政诉讼情况（按案件清单计算）", "类别", t4, ed.table4.columns))
    for note in result.notes:
        console.print(f"说明：{escape(note)}")
    if result.before_year:
        console.print(f"  {result.year}年以前已答复的行：{escape(refs_text(result.before_year))}")
    if result.after_year:
        console.print(f"  {result.year}年以后收到的行：{escape(refs_text(result.after_year))}")
    skipped = [ref for ref, _ in reg.skipped]
    if skipped:
        console.print(f"说明：跳过非申请记录的行（合计行等）：{escape(refs_text(skipped))}")
    channel_unknown = [u for u in result.unmapped if not u.blocking]
    for u in channel_unknown:
        console.print(f"说明：{u.field_name}“{escape(u.value)}”不认识（{len(u.rows)}行），按“未注明”计；可用 --assign 指定")
    n = result.narrative
    if n is not None:
        console.print("[bold]叙述用数字（写入事实文件的 notes）：[/]")
        for line in n.notes():
            console.print(f"  · {escape(line)}")
        console.print(f"  {escape(result.calendar.describe())}。")
        for c in n.caveats:
            console.print(f"  · {escape(c)}")


def print_diffs(title: str, diffs: list[CellDiff], console: Console, ok: str) -> None:
    if not diffs:
        console.print(f"[green]{escape(ok)}[/]")
        return
    console.print(f"[bold red]{escape(title)}（{len(diffs)}处）：[/]")
    for d in diffs:
        console.print(f"  · {escape(d.location)}：台账 {d.register}，报告 {escape(d.report_text())}")
        console.print(f"      台账中的这些行：{escape(refs_text(d.rows))}")


@app.command("ledger")
def ledger(
    source: Path = typer.Argument(..., metavar="FILE", help="申请台账：.xlsx（可含多个工作表和案件表）或 CSV（UTF-8 或 GBK）"),
    year: int = typer.Option(..., "--year", "-y", help="报告年度，如 2025"),
    edition: str = typer.Option("auto", "--edition", help="格式版本：auto（按年度），或某一格式版本的年份（如 2021）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写出事实文件（.yaml 或 .json），可直接用 nianbao draft 起草"),
    fmt: LedgerFormat = typer.Option(LedgerFormat.text, "--format", "-f", help="输出格式：text 或 json"),
    column_map: Optional[list[str]] = typer.Option(None, "--map", help="指定列的含义：表头=字段，如 处理结果=outcome（可重复）"),
    assign: Optional[list[str]] = typer.Option(None, "--assign",
                                               help="指定取值的对应：字段:本地写法=目标，如 办理结果:依法公开=（一）予以公开（可重复）"),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="对应关系文件（YAML）：字段: {本地写法: 目标}"),
    holidays: Optional[Path] = typer.Option(None, "--holidays",
                                            help="节假日表：每行一个日期（调休上班日在日期后写“补班”），或 YAML 的 holidays/workdays"),
    cases: Optional[Path] = typer.Option(None, "--cases", help="行政复议、行政诉讼案件清单（.xlsx 或 CSV），台账中没有案件工作表时使用"),
    report: Optional[Path] = typer.Option(None, "--report", "-r", help="与这份报告的表三、表四逐格核对"),
    previous: Optional[Path] = typer.Option(None, "--previous", "-p", help="上一年度报告：核对其“结转下年度”与本年“上年结转”"),
    facts: Optional[Path] = typer.Option(None, "--facts", help="已有的事实文件（含表二、机关名称等）：以台账的表三、表四替换后写出"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称（写入事实文件）"),
) -> None:
    """从依申请公开台账计算表三、表四和叙述用数字，可与报告核对，并写出起草用的事实文件。"""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    result = compute_register(source, year, edition, mapping=mapping, columns=column_map or [],
                              assignments=parse_assignments(assign or []), holidays=holidays, cases=cases)
    if result.blocked:
        if fmt is LedgerFormat.json:
            sys.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2) + "\n")
        print_blocked(result, err)
        raise typer.Exit(2)

    diffs = prev_diffs = None
    if report is not None:
        diffs = compare_report(result, read_report(report, "报告"))
    if previous is not None:
        prev_diffs = compare_previous(result, read_report(previous, "上年报告"))
    if out is not None:
        base = None
        if facts is not None:
            from ..parse.facts import FactsError, load_facts

            try:
                base = load_facts(facts)
            except FactsError as exc:
                raise LedgerError(str(exc)) from None
            if not isinstance(base, dict):
                raise LedgerError(f"事实文件应为键值映射：{facts.name}")
            prev = base.get("previous")
            if isinstance(prev, str) and not Path(prev).is_absolute():
                # previous is relative to the facts file; keep it pointing at the same file from --out.
                target = (facts.parent / prev).resolve()
                try:
                    base["previous"] = str(target.relative_to(out.parent.resolve()))
                except ValueError:
                    base["previous"] = str(target)
        data = facts_data(result, base=base, agency=agency)
        _check_facts(data, out)
        write_facts(data, out, comments=provenance(result))

    if fmt is LedgerFormat.json:
        sys.stdout.write(json.dumps(result_to_dict(result, diffs, prev_diffs), ensure_ascii=False, indent=2) + "\n")
    else:
        console = _console()
        print_result(result, console)
        if diffs is not None:
            print_diffs("台账与报告不一致的单元格", diffs, console, "报告的表三、表四与台账一致。")
        if prev_diffs is not None:
            print_diffs("上年报告的“结转下年度”与本年“上年结转”不一致", prev_diffs, console,
                        "上年报告的“结转下年度”与本年“上年结转”逐列一致。")
    if out is not None:
        err.print(f"[green]已写入事实文件 {escape(str(out))}[/]（可用 nianbao draft {escape(str(out))} 起草）")
    if diffs or prev_diffs:
        raise typer.Exit(1)


def _check_facts(data: dict, out: Path) -> None:
    """The facts file must read back as the drafter reads it, before anything is written."""
    from ..parse.facts import FactsError, report_from_data

    try:
        report_from_data({k: v for k, v in data.items() if k not in ("extra", "notes", "previous")}, name=out.name)
    except (FactsError, ValueError) as exc:
        raise LedgerError(f"事实文件内容有误，未写出：{exc}") from None


def apply_register(facts, register: Path, mapping: Optional[Path] = None, holidays: Optional[Path] = None,
                   err: Optional[Console] = None) -> None:
    """Replace a draft's tables 三 and 四 by the register's, and add its narrative facts (``nianbao draft --register``)."""
    from ..draft.facts import ExtraFigure
    from ..parse.facts import report_from_data

    if facts.year is None:
        raise LedgerError("事实文件中没有 year（报告年度），无法按年度计算台账")
    result = compute_register(register, facts.year, facts.edition, mapping=mapping, holidays=holidays)
    if result.blocked:
        if err is not None:
            print_blocked(result, err)
        raise LedgerError("台账中有无法归类的行，未起草；请先按上面的提示处理（可用 nianbao ledger 查看）")
    had_table3 = bool(facts.tables.table3)
    diffs = compare_report(result, facts.tables) if had_table3 else []
    data = facts_data(result)
    tables = report_from_data({k: data[k] for k in ("year", "edition", "table3", "table4") if k in data})
    facts.tables.table3 = tables.table3
    if "table4" in data:
        facts.tables.table4 = tables.table4
    for note in data.get("notes", []):
        if note not in facts.notes:
            facts.notes.append(note)
    for x in data.get("extra", []):
        fig = ExtraFigure(**x)
        if not (fig.is_fee and facts.fee() is not None):
            facts.extra.append(fig)
    if err is not None:
        err.print(f"[dim]表三{'、表四' if 'table4' in data else ''}按台账“{escape(result.register.file)}”计算"
                  f"（{len(result.counted)}件申请）；{escape(result.calendar.describe())}。[/]")
        if diffs:
            err.print(f"[yellow]输入中的表格有{len(diffs)}格与台账不同，已按台账替换：[/]"
                      + escape("、".join(d.location for d in diffs[:10])) + (" 等" if len(diffs) > 10 else ""))
