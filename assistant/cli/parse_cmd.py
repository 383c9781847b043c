"""`nianbao parse`: read a report and show what was read."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..model import Cell, CellState, Report
from ..parse import parse_file
from . import app


class Edition(str, Enum):
    auto = "auto"
    e2019 = "2019"
    e2021 = "2021"


class ParseFormat(str, Enum):
    json = "json"
    text = "text"


def report_json(report: Report) -> dict:
    """The report as the JSON that `nianbao parse --format json` prints."""
    data = report.model_dump(mode="json")
    first = ["edition", "agency", "year", "sections", "table2", "table3", "table4",
             "narrative_numbers", "problems"]
    return {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}


_SHOWN = {
    CellState.blank: "（空）",
    CellState.missing: "（缺）",
}


def show_cell(cell: Cell) -> str:
    if cell.state in _SHOWN:
        return _SHOWN[cell.state]
    if cell.state is CellState.text:
        return escape(f"“{cell.raw}”")
    return escape(cell.raw)


def print_report(report: Report, console: Console) -> None:
    console.print(f"[bold]{escape(report.agency or '（未识别单位）')}[/] {report.year or '（未识别年度）'}年度报告")
    evidence = "；".join(report.edition_evidence[:3])
    if len(report.edition_evidence) > 3:
        evidence += f" 等{len(report.edition_evidence)}处"
    console.print(f"格式版本：{report.edition}年版（{escape(evidence)}）", highlight=False)
    console.print("章节：" + escape("、".join(s.heading for s in report.sections)), highlight=False)
    console.print("单元格：数字照录；（空）=空白；/ 与 — 照录；“…”=文字；（缺）=文档中没有该行或列", style="dim")

    for caption, rows in report.table2.items():
        cols = next(iter(rows.values())).keys() if rows else []
        t = Table(title=f"表二 {escape(caption)}", title_justify="left")
        t.add_column("信息内容")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in rows.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)

    if report.table3:
        cols = list(next(iter(report.table3.values())).keys())
        t = Table(title="表三 收到和处理政府信息公开申请情况", title_justify="left")
        t.add_column("行")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in report.table3.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)

    if report.table4:
        cols = list(next(iter(report.table4.values())).keys())
        t = Table(title="表四 行政复议、行政诉讼情况", title_justify="left")
        t.add_column("类别")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in report.table4.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)

    figures = [n for n in report.narrative_numbers if n.kind.value in ("figure", "percent")]
    console.print(f"正文数字：{len(figures)} 个（另有 {len(report.narrative_numbers) - len(figures)} 个年份、日期、文号等标识）")
    width = [d for d in report.labels if d.kind == "width"]
    if width:
        console.print(f"标签全角/半角写法与模板不同：{len(width)} 处（不影响读取）")
    others = [d for d in report.labels if d.kind != "width"]
    if others:
        console.print("与模板不同的标签：")
        for d in others:
            written = d.written.replace("\n", "")
            console.print(escape(f"  表{d.table}“{written}” → “{d.official}”（{d.kind}）"), highlight=False)
    if report.problems:
        console.print("未能读取或有疑问的部分：")
        for p in report.problems:
            where = f"（{p.source.describe()}）" if p.source else ""
            console.print(escape(f"  - {p.message}{where}"), highlight=False)


@app.command()
def parse(
    file: Path = typer.Argument(..., help="报告文件：文本、Markdown、HTML、Word（.docx）或 PDF"),
    edition: Edition = typer.Option(Edition.auto, "--edition", help="格式版本：auto 自动识别，或 2019 / 2021"),
    format: ParseFormat = typer.Option(ParseFormat.text, "--format", help="输出格式：text 或 json"),
) -> None:
    """读取一份年度报告，输出识别出的章节、表格和数字。"""
    report = parse_file(file, edition=edition.value)
    if format is ParseFormat.json:
        sys.stdout.write(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=200)
        print_report(report, console)
