"""`nianbao review …`: audits of many reports, decisions that survive re-runs, the audit workbook."""

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

from .app import app
from .progress import Bar

review_app = typer.Typer(
    help="审核多份报告：按机关和年度自动配对跨年核对，记住审核决定（确认/排除/待定），导出和导入审核工作簿。",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


class Format(str, Enum):
    text = "text"
    json = "json"


STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SHOWN_STYLE = {"已修正": "green", "无法核对": "magenta", "未决定": "bold", "确认": "red", "排除": "dim", "待定": "yellow"}
By = typer.Option(None, "--by", help="决定人（默认取环境变量 NIANBAO_REVIEWER，再默认为登录用户名）")


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


@review_app.command("run")
def run(
    name: str = typer.Argument(..., help="审核名称（不存在则新建）"),
    paths: list[Path] = typer.Argument(..., help="报告文件、文件夹（含子文件夹）或 zip 压缩包"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, help="并行读取和检查的进程数"),
    add: bool = typer.Option(False, "--add", help="只添加或更新所给文件，不移除审核中已有的其他文件；"
                                                  "同一机关同一年度的报告视为新版本，替换旧文件"),
) -> None:
    """新建或刷新审核：读取并检查报告，只重新检查有改动的文件，按机关和年度配对做跨年核对。"""
    from ..review import run_audit

    bar = Bar("查找报告文件")
    try:
        result = run_audit(name, [str(p) for p in paths], sync=not add, jobs=jobs, progress=bar)
    finally:
        bar.stop()
    out = _out()
    parts = [f"新增 {len(result.added)}", f"重新检查 {len(result.changed)}", f"未变 {result.unchanged}"]
    if result.renamed:
        parts.append(f"改名 {len(result.renamed)}")
    if result.replaced:
        parts.append(f"被新版本替换 {len(result.replaced)}")
    if result.removed:
        parts.append(f"移出 {len(result.removed)}")
    out.print(f"审核“{escape(name)}”：{result.reports} 份文件（{'，'.join(parts)}）。")
    out.print(f"按机关和年度配对 {len(result.pairs)} 份（本次跨年核对 {result.cross_checked} 份）。")
    f = result.findings
    out.print(f"问题：错误 {f.get('error', 0)} 项，警告 {f.get('warning', 0)} 项，提示 {f.get('info', 0)} 项；"
              f"待决定 {result.undecided} 项" + (f"，本次已修正 {len(result.fixed)} 项" if result.fixed else "") + "。")
    for old, new in result.renamed:
        out.print(f"  改名：{escape(old)} → {escape(new)}")
    for old, new in result.replaced:
        out.print(f"  新版本：{escape(new)} 替换 {escape(old)}")
    if result.skipped:
        out.print(f"跳过 {len(result.skipped)} 个不是年度报告的文件" + ("：" if len(result.skipped) <= 20 else "（前 20 个）："))
        for n, why in result.skipped[:20]:
            out.print(f"  {escape(n)}：{escape(why)}")
    bad = result.errors + result.unreadable
    if bad:
        out.print(f"[bold red]{len(bad)} 个文件无法读取：[/]")
        for n, why in bad:
            out.print(f"  {escape(n)}：{escape(why)}")
    out.print(f"[dim]查看：nianbao review show {escape(name)}；导出：nianbao review export {escape(name)} --out 审核.xlsx[/]")
    if bad:
        raise typer.Exit(2)


@review_app.command("list")
def list_(fmt: Format = typer.Option(Format.text, "--format", "-f", help="输出格式")) -> None:
    """列出所有审核：文件数、问题数、待决定和已修正的问题数。"""
    from ..review import audits

    found = audits()
    if fmt is Format.json:
        sys.stdout.write(json.dumps([a.__dict__ for a in found], ensure_ascii=False, indent=2) + "\n")
        return
    out = _out()
    if not found:
        out.print("还没有审核。用 nianbao review run 名称 文件夹 新建一个。")
        return
    t = Table("审核", "文件", "无法读取", "错误", "警告", "提示", "待决定", "已修正", "更新时间")
    for a in found:
        t.add_row(escape(a.name), str(a.reports), str(a.unreadable), str(a.errors), str(a.warnings), str(a.infos),
                  str(a.undecided), str(a.fixed), a.updated)
    out.print(t)


@review_app.command("show")
def show(
    name: str = typer.Argument(..., help="审核名称"),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="输出格式"),
    report: Optional[str] = typer.Option(None, "--report", "-r", help="只看这个文件所属报告的问题（文件名同审核中显示的）"),
) -> None:
    """显示审核：每份文件的汇总，以及每项问题的位置、计算、状态和决定（含指纹，用于 decide）。"""
    from ..review import issue_rows, report_rows

    reports = report_rows(name)
    issues = issue_rows(name, document=report)
    if fmt is Format.json:
        data = {"audit": name, "reports": [r.__dict__ for r in reports], "findings": [i.as_json() for i in issues]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out = _out()
    if report is None:
        t = Table("文件", "机关", "年度", "版本", "上年报告", "错误", "警告", "未读出", "决定情况", title=f"审核“{escape(name)}”")
        for r in reports:
            t.add_row(escape(r.name), escape(r.agency or "未识别"), str(r.year or "—"), r.edition, escape(r.previous or "—"),
                      str(r.errors), str(r.warnings), str(r.unread + r.uncertain),
                      escape(r.status and f"无法读取：{r.status}" or r.decisions_text()))
        out.print(t)
    current = None
    for i in issues:
        head = f"{i.agency or '机关未识别'} {i.year or ''}年度".strip()
        if head != current:
            current = head
            out.print(f"\n[bold]{escape(head)}[/]")
        shown = i.shown
        out.print(f"  [{STYLE.get(i.severity, '')}]{i.severity_label}[/] [bold]{i.code}[/] {escape(i.location)}  "
                  f"[{SHOWN_STYLE.get(shown, '')}]{escape(shown)}[/]  [dim]{i.fingerprint}[/]")
        out.print(f"      {escape(i.message)}")
        if i.computation:
            out.print(f"      计算：{escape(i.computation)}")
        if i.cause:
            out.print(f"      [dim]{escape(i.caused_by)}[/]")
        if i.reason or i.note:
            out.print("      " + escape("；".join(x for x in (i.reason and f"理由：{i.reason}", i.note and f"备注：{i.note}") if x))
                      + (f"（{escape(i.decided_by)} {i.decided_at}）" if i.decided_by else ""))
        if i.status_note and i.status != "open":
            out.print(f"      [dim]{escape(i.status_note)}[/]")
    if not issues:
        out.print("没有问题。")


@review_app.command("decide")
def decide(
    name: str = typer.Argument(..., help="审核名称"),
    fingerprint: str = typer.Argument(..., help="问题指纹（review show 中显示，可只写前 6 位以上）"),
    decision: str = typer.Argument(..., help="确认、排除、待定，或“未决定”以清除"),
    reason: Optional[str] = typer.Option(None, "--reason", help="排除的理由（排除时必填）"),
    note: Optional[str] = typer.Option(None, "--note", help="备注"),
    by: Optional[str] = By,
) -> None:
    """对一项问题作出决定：确认（需要改正）、排除（不是问题，写明理由）或待定。"""
    from ..review import decide as record

    done = record(name, fingerprint, decision, reason=reason, note=note, by=by)
    what = done.decision or "未决定"
    if done.changed:
        _out().print(f"已记录：{done.code} {escape(done.location)} → {what}（{escape(done.decided_by or '')}，第 {done.revision} 版）。")
    else:
        _out().print(f"未改变：{done.code} {escape(done.location)} 已是 {what}。")


@review_app.command("export")
def export(
    name: str = typer.Argument(..., help="审核名称"),
    out: Path = typer.Option(..., "--out", "-o", help="保存为 .xlsx 工作簿"),
) -> None:
    """导出审核工作簿：汇总表（每份文件一行）和问题表（每项问题一行，可填写决定后导回）。"""
    from ..review.workbook import export as write

    path = write(name, out)
    _out().print(f"已导出审核工作簿：{escape(str(path))}")


@review_app.command("import")
def import_(
    name: str = typer.Argument(..., help="审核名称"),
    workbook: Path = typer.Argument(..., help="填写了决定的审核工作簿（.xlsx）"),
    by: Optional[str] = By,
) -> None:
    """导入审核工作簿中填写的决定；导出后数据库中也被改过的决定列为冲突，不覆盖（此时退出码为 1）。"""
    from ..review.workbook_import import import_workbook

    result = import_workbook(name, workbook, by=by)
    out = _out()
    out.print(f"导入“{escape(str(workbook))}”：记录 {len(result.applied)} 项决定，未改动 {result.unchanged} 项"
              + (f"，与数据库一致 {result.agreed} 项" if result.agreed else "") + "。")
    for fp, location, decision in result.applied:
        out.print(f"  {fp} {escape(location)} → {decision}")
    if result.conflicts:
        out.print(f"[bold red]{len(result.conflicts)} 项冲突[/]（导出后数据库中的决定也被改过，未覆盖，请核对后用 review decide 决定）：")
        for c in result.conflicts:
            out.print(f"  {c.fingerprint} {escape(c.location)}")
            out.print(f"      工作簿：{escape(c.workbook)}")
            out.print(f"      数据库：{escape(c.database)}（{escape(c.decided_by)} {c.decided_at}）")
    if result.problems:
        out.print(f"[yellow]{len(result.problems)} 行未导入：[/]")
        for row, fp, why in result.problems:
            out.print(f"  第 {row} 行 {fp}：{escape(why)}")
    if result.conflicts or result.problems:
        raise typer.Exit(1)


@review_app.command("delete")
def delete(
    name: str = typer.Argument(..., help="审核名称"),
    yes: bool = typer.Option(False, "--yes", help="确认删除（删除后决定无法恢复）"),
) -> None:
    """删除一个审核及其全部决定。"""
    from ..errors import ReviewError
    from ..review.listing import get_audit
    from ..review.store import open_store

    if not yes:
        raise ReviewError(f"删除审核“{name}”会同时删除其中全部决定；确认请加 --yes。")
    store = open_store()
    with store.write() as s:
        s.delete(get_audit(s, name))
    _out().print(f"已删除审核“{escape(name)}”。")
