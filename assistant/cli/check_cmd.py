"""`nianbao check`: a problem list for one report or a whole folder."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..check.files import FileResult, check_pairs, iter_check_files
from ..check.findings import Finding, Severity
from ..check.pairs import Pairing
from ..check.render import Tally, summary_line, to_markdown, write_csv, write_json
from ..errors import NianbaoError, os_reason
from ..parse import ReadError, parse_file
from ..parse.files import find_reports
from .app import app


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class MinSeverity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}  # a severity's colour


def _print_pairs(results: list[FileResult], pairs: dict[str, Pairing], console: Console) -> None:
    checked = [r for r in results if not r.skipped and not r.error]
    console.print(f"[bold]年度配对[/]：{len(checked)} 份报告中 {len(pairs)} 份找到同一机关上一年度的报告")
    for p in pairs.values():
        console.print(f"  {escape(p.file)} ← {escape(p.previous)}（{escape(p.how)}）")
    alone = [r.file for r in checked if r.file not in pairs]
    if alone:
        console.print(f"  未配对 {len(alone)} 份（文件夹中没有同一机关上一年度的报告）：" + "、".join(escape(a) for a in alone[:10])
                      + ("等" if len(alone) > 10 else ""))


def _print_result(r: FileResult, console: Console) -> None:
    title = " · ".join(str(x) for x in (r.agency, r.year and f"{r.year}年度", r.edition and f"{r.edition}年格式") if x)
    console.print(f"\n[bold]{escape(r.file)}[/]" + (f"  {escape(title)}" if title else ""))
    if r.error:
        console.print(f"  [bold red]无法读取：[/]{escape(r.error)}")
        return
    if r.previous:
        console.print(f"  上年报告：{escape(r.previous)}" + (f"（{escape(r.pairing)}）" if r.pairing else ""))
    if not r.findings:
        console.print("  [green]未发现问题。[/]")
    for f in r.findings:
        _print_finding(f, console)
    console.print(f"  [dim]{escape(summary_line(r))}。[/]")


def _print_text(results: Iterable[FileResult], console: Console) -> Tally:
    """Each report as it is checked; the files skipped and the totals at the end."""
    tally = Tally()
    skipped: list[FileResult] = []
    for r in results:
        tally.add(r)
        if r.skipped:
            skipped.append(r)
        else:
            _print_result(r, console)
    if skipped:
        console.print(f"\n跳过 {len(skipped)} 个不是年度报告的文件：")
        for r in skipped:
            console.print(f"  {escape(r.file)}：{escape(r.skipped or '')}")
    s = tally.as_dict()
    line = f"\n共检查 {s['reports']} 份报告：错误 {s['errors']} 项，警告 {s['warnings']} 项，提示 {s['infos']} 项"
    if s["unreadable"]:
        line += f"，{s['unreadable']} 份无法读取"
    console.print(line + "。")
    return tally


def _print_finding(f: Finding, console: Console) -> None:
    console.print(f"  [{STYLE[f.severity]}]{f.severity.label}[/] [bold]{f.code}[/] {escape(f.location)}")
    console.print(f"      {escape(f.message)}")
    if f.computation:
        console.print(f"      计算：{escape(f.computation)}")
    console.print(f"      [dim]依据：{escape(f.basis)}[/]")
    if f.consequences:
        console.print(f"      由此引起的{len(f.consequences)}处问题（改正上述原因后不再成立）：")
        for c in f.consequences:
            console.print(f"        · [{STYLE[c.severity]}]{c.severity.label}[/] {c.code} {escape(c.location)}：{escape(c.message)}")


@app.command("check")
def check(
    files: list[Path] = typer.Argument(..., metavar="文件", help="报告文件或文件夹（文件夹内所有报告，含子文件夹）"),
    previous: Optional[Path] = typer.Option(None, "--previous", "-p", help="同一机关上一年度的报告，用于跨年核对"),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="输出格式"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="并行检查的进程数"),
    min_severity: MinSeverity = typer.Option(MinSeverity.info, "--min-severity", help="只显示该级别及以上的问题"),
    pair: bool = typer.Option(False, "--pair", help="在所给文件和文件夹中为每份报告找同一机关上一年度的报告，做跨年核对"),
) -> None:
    """检查年度报告：表格勾稽关系、叙述与表格是否一致、跨年衔接。"""
    if pair and previous is not None:
        raise NianbaoError("--pair 与 --previous 不能同时使用：--pair 在所给文件中自动寻找上一年度的报告。")
    found = find_reports(files)
    paths = found.reports
    prev_report = None
    prev_error = None
    if previous is not None:
        try:
            prev_report = parse_file(previous)
        except ReadError as exc:
            prev_error = exc.message
        except OSError as exc:
            prev_error = f"无法打开文件：{os_reason(exc)}"
    if not paths:
        why = "".join(f"\n  {x.path}：{x.reason}" for x in found.skipped[:20])
        raise NianbaoError("没有找到可检查的报告文件。" + (f"跳过的文件：{why}" if why else ""))
    pairs: Optional[dict[str, Pairing]] = None
    checked: Iterable[FileResult]
    paired: list[FileResult] = []
    if pair:
        paired, pairs = check_pairs(paths, jobs, found.in_folders)  # pairing needs every report read first
        checked = paired
    else:
        checked = iter_check_files(paths, prev_report, jobs, found.in_folders)
    floor = Severity(min_severity.value).rank

    def results() -> Iterator[FileResult]:
        """Each result as it is made (the folder is never held whole), then the files not checked."""
        for r in checked:
            if previous is not None and prev_report is not None and not r.error and not r.skipped:
                r.previous = str(previous)
            r.findings = [f for f in r.findings if f.severity.rank <= floor]
            yield r
        yield from (FileResult(file=str(x.path), skipped=x.reason) for x in found.skipped)
        if prev_error:
            yield FileResult(file=str(previous), error=f"上年报告无法读取，未做跨年核对：{prev_error}")

    out = sys.stdout
    if fmt is OutputFormat.text:
        console = Console(highlight=False, soft_wrap=True)
        if pairs is not None:
            _print_pairs(paired, pairs, console)
        tally = _print_text(results(), console)
    elif fmt is OutputFormat.json:
        tally = write_json(results(), out, pairs)
    elif fmt is OutputFormat.csv:
        tally = write_csv(results(), out)
    else:  # Markdown opens with the totals, so it is written once every report is checked
        done = list(results())
        out.write(to_markdown(done, pairs))
        tally = Tally()
        for r in done:
            tally.add(r)
    out.flush()

    if tally.unreadable:
        raise typer.Exit(2)
    if tally.with_errors:
        raise typer.Exit(1)
