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

from ..errors import NianbaoError
from ..model import Cell, CellState, Certainty, Report
from ..parse import ReadError, parse_file
from ..parse.files import find_reports
from .app import app


class ParseFormat(str, Enum):
    json = "json"
    text = "text"


def report_json(report: Report) -> dict:
    """The report as the JSON that `nianbao parse --format json` prints."""
    data = report.model_dump(mode="json")
    first = ["edition", "agency", "year", "sections", "table2", "table3", "table4",
             "narrative_numbers", "problems", "unreadable_tables"]
    return {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}


_SHOWN = {
    CellState.blank: "（空）",
    CellState.missing: "（缺）",
}


_MARK = {Certainty.inferred: "*", Certainty.uncertain: "?"}
_ROW_WORDS = [(Certainty.certain, "确定"), (Certainty.inferred, "推断"), (Certainty.uncertain, "存疑"),
              (Certainty.unreadable, "无法读取")]
_RANK = {c: i for i, (c, _) in enumerate(_ROW_WORDS)}


def show_cell(cell: Cell) -> str:
    if cell.certainty is Certainty.unreadable:
        return "（不可读）"
    if cell.state in _SHOWN:
        shown = _SHOWN[cell.state]
    elif cell.state is CellState.text:
        shown = escape(f"“{cell.raw}”")
    else:
        shown = escape(cell.raw)
    return shown + _MARK.get(cell.certainty, "")


def certainty_line(name: str, rows: list[dict[str, Cell]]) -> str:
    """"表三：25 行，23 行确定，2 行推断": each row counted by its least certain cell."""
    counts = {c: 0 for c, _ in _ROW_WORDS}
    absent = 0
    for cells in rows:
        values = list(cells.values())
        if values and all(c.state is CellState.missing and c.certainty is Certainty.certain for c in values):
            absent += 1
            continue
        counts[max((c.certainty for c in values), key=lambda c: _RANK[c], default=Certainty.certain)] += 1
    parts = [f"{n} 行{word}" for c, word in _ROW_WORDS if (n := counts[c])]
    if absent:
        parts.append(f"{absent} 行文档中没有")
    return f"{name}：{len(rows)} 行，" + "，".join(parts)


def _reasons(name: str, rows: dict[str, dict[str, Cell]]) -> list[str]:
    """Each distinct reason a cell is inferred, uncertain or unreadable, with the rows it covers."""
    seen: dict[str, list[str]] = {}
    for label, cells in rows.items():
        for c in cells.values():
            if c.how and c.certainty is not Certainty.certain:
                where = seen.setdefault(f"{_WORD[c.certainty]}：{c.how}", [])
                if label not in where:
                    where.append(label)
    out = []
    for how, labels in seen.items():
        shown = "、".join(labels[:3]) + (f" 等 {len(labels)} 行" if len(labels) > 3 else "")
        out.append(f"  {name} {shown} —— {how}")
    return out


_WORD = dict(_ROW_WORDS)


def print_report(report: Report, console: Console) -> None:
    console.print(f"[bold]{escape(report.agency or '（未识别单位）')}[/] {report.year or '（未识别年度）'}年度报告")
    evidence = "；".join(report.edition_evidence[:3])
    if len(report.edition_evidence) > 3:
        evidence += f" 等{len(report.edition_evidence)}处"
    console.print(f"格式版本：{report.edition}年版（{escape(evidence)}）", highlight=False)
    console.print("章节：" + escape("、".join(s.heading for s in report.sections)), highlight=False)
    console.print("单元格：数字照录；（空）=空白；/ 与 — 照录；“…”=文字；（缺）=文档中没有该行或列；"
                  "*=推断（由报告自身版式唯一确定）；?=存疑；（不可读）=无法读取", style="dim")
    summary_lines: list[str] = []
    reasons: list[str] = []

    for caption, rows in report.table2.items():
        cols = next(iter(rows.values())).keys() if rows else []
        t = Table(title=f"表二 {escape(caption)}", title_justify="left")
        t.add_column("信息内容")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in rows.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)
        reasons += _reasons(f"表二 {caption}", rows)
    if report.table2:
        summary_lines.append(certainty_line("表二", [cells for rows in report.table2.values() for cells in rows.values()]))

    if report.table3:
        cols = list(next(iter(report.table3.values())).keys())
        t = Table(title="表三 收到和处理政府信息公开申请情况", title_justify="left")
        t.add_column("行")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in report.table3.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)
        summary_lines.append(certainty_line("表三", list(report.table3.values())))
        reasons += _reasons("表三", report.table3)

    if report.table4:
        cols = list(next(iter(report.table4.values())).keys())
        t = Table(title="表四 行政复议、行政诉讼情况", title_justify="left")
        t.add_column("类别")
        for c in cols:
            t.add_column(escape(c), justify="right")
        for label, cells in report.table4.items():
            t.add_row(escape(label), *(show_cell(cells[c]) for c in cols))
        console.print(t)
        summary_lines.append(certainty_line("表四", list(report.table4.values())))
        reasons += _reasons("表四", report.table4)

    for line in summary_lines:
        console.print(line)
    for kind, why in report.unreadable_tables.items():
        console.print(escape(f"表{kind}无法读取：{why}"))
    if reasons:
        console.print("推断、存疑或无法读取的单元格及其依据：")
        for line in reasons:
            console.print(escape(line))

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
    file: Path = typer.Argument(..., metavar="文件或文件夹", help="报告文件或文件夹：文本、Markdown、HTML、Word（.docx）或 PDF；"
                                           "文件夹内不是年度报告的文件会列为跳过"),
    edition: str = typer.Option("auto", "--edition", help="格式版本：auto 自动识别，或某一格式版本的年份（如 2021）"),
    format: ParseFormat = typer.Option(ParseFormat.text, "--format", help="输出格式：text 或 json"),
) -> None:
    """读取一份年度报告（或一个文件夹中的报告），输出识别出的章节、表格和数字，以及每个单元格读得是否确定。"""
    if not file.is_dir():
        report = parse_file(file, edition=edition)
        if format is ParseFormat.json:
            sys.stdout.write(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n")
        else:
            print_report(report, _console())
        return
    found = find_reports([file])
    reports: list[tuple[str, Report]] = []
    errors: list[tuple[str, str]] = []
    skipped = [(str(x.path), x.reason) for x in found.skipped]
    for path in found.reports:
        try:
            reports.append((str(path), parse_file(path, edition=edition)))
        except ReadError as e:
            if e.code == "not_a_report":
                skipped.append((str(path), e.message))
            else:
                errors.append((str(path), e.message))
    if format is ParseFormat.json:
        out = {"reports": [{"file": f} | report_json(r) for f, r in reports],
               "skipped": [{"file": f, "reason": why} for f, why in skipped],
               "errors": [{"file": f, "error": msg} for f, msg in errors]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        console = _console()
        for f, r in reports:
            console.rule(escape(f))
            print_report(r, console)
        for f, msg in errors:
            console.print(escape(f"{f}：无法读取：{msg}"))
        if skipped:
            console.print(f"跳过 {len(skipped)} 个不是年度报告的文件：")
            for f, why in skipped:
                console.print(escape(f"  {f}：{why}"))
        console.print(f"共读取 {len(reports)} 份报告" + (f"，{len(errors)} 份无法读取" if errors else "")
                      + (f"，跳过 {len(skipped)} 个文件" if skipped else "") + "。")
    if not reports and not errors:
        raise NianbaoError("文件夹中没有找到年度报告。")
    if errors:
        raise typer.Exit(2)


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=200)
    return console
