"""What the workspace looks like on screen: table grids, problem cells, the findings list, the report summary.

Pure functions over the model, so they are tested without a browser. Table
grids go to ``gr.Dataframe`` as ``{"headers", "data", "metadata"}`` where
``metadata.styling`` colours the cells a finding points at. Findings carry
the numbers the chat uses ("问题3").
"""

from __future__ import annotations

import html
from typing import Optional

from ..chat import Finding, Severity, Workspace
from ..chat.cells import T2_SEP, Key, raw_text
from ..chat.workspace import unread_cells
from ..export.markdown import md_text
from ..model import Report, get_edition
from . import texts

T2_HEADERS = ["条款", "项目", "指标", "数值"]

STYLE = {
    Severity.error: "background-color: #fde2e1; color: #a8071a; font-weight: 600;",
    Severity.warning: "background-color: #fff4cc;",
    Severity.info: "background-color: #e6f4ff;",
}


def frame(report: Optional[Report], table: str, marks: dict[Key, Severity]) -> dict:
    """A table as ``gr.Dataframe`` data, problem cells styled."""
    if report is None:
        headers = T2_HEADERS if table == "二" else ["项目"]
        return {"headers": headers, "data": [["" for _ in headers]], "metadata": None}
    edition = get_edition(report.edition)
    data: list[list[str]] = []
    styling: list[list[str]] = []
    if table == "二":
        headers = T2_HEADERS
        for b in edition.table2:
            for r in b.rows:
                key = f"{b.caption}{T2_SEP}{r}"
                for c in b.columns:
                    data.append([b.caption, r, c, raw_text(report, "二", key, c)])
                    sev = marks.get(("二", key, c))
                    styling.append(["", "", "", STYLE[sev] if sev else ""])
    else:
        if table == "三":
            headers = ["项目", *edition.table3.columns]
            rows = [(r.label, r.short) for r in edition.table3.rows]
        else:
            headers = ["项目", *edition.table4.columns]
            rows = [(g, g) for g in edition.table4.groups]
        columns = headers[1:]
        for key, shown in rows:
            data.append([shown, *(raw_text(report, table, key, c) for c in columns)])
            styling.append(["", *(STYLE[marks[(table, key, c)]] if (table, key, c) in marks else "" for c in columns)])
    return {"headers": headers, "data": data, "metadata": {"styling": styling, "display_value": None}}


def frame_all(ws: Workspace, table: str) -> dict:
    """Every loaded report side by side: one column per report, the table's 总计 figures (all of 表二)."""
    names = [f"{i + 1}. {lo.report.agency or lo.name}" for i, lo in enumerate(ws.reports)]
    rows: list[tuple[str, list[str]]] = []
    seen: dict[str, int] = {}

    def put(label: str, i: int, value: str) -> None:
        if label not in seen:
            seen[label] = len(rows)
            rows.append((label, [""] * len(ws.reports)))
        rows[seen[label]][1][i] = value

    for i, lo in enumerate(ws.reports):
        r = lo.report
        ed = get_edition(r.edition)
        if table == "三":
            for row in ed.table3.rows:
                put(row.short, i, raw_text(r, "三", row.label, ed.table3.total_column))
        elif table == "四":
            for g in ed.table4.groups:
                for c in ed.table4.columns:
                    put(f"{g} {c}", i, raw_text(r, "四", g, c))
        else:
            for b in ed.table2:
                for row_label in b.rows:
                    for c in b.columns:
                        put(f"{row_label} {c}", i, raw_text(r, "二", f"{b.caption}{T2_SEP}{row_label}", c))
    head = "项目（总计列）" if table == "三" else "项目"
    return {"headers": [head, *names], "data": [[label, *values] for label, values in rows] or [[""] * (1 + len(names))],
            "metadata": None}


def _item(n: int, f: Finding) -> str:
    esc = html.escape
    comp = f'<div class="nb-comp">计算：{esc(f.computation)}</div>' if f.computation else ""
    return (f'<li class="nb-{f.severity.value}" data-code="{esc(f.code)}" data-no="{n}">'
            f'<span class="nb-no">问题{n}</span>'
            f'<span class="nb-badge">{esc(f.severity.label)} {esc(f.code)}</span> '
            f'<span class="nb-loc">{esc(f.location)}</span>'
            f'<div class="nb-msg">{esc(f.message)}</div>{comp}</li>')


def _summary(findings: list[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return "，".join(f"{s.label} {n} 项" for s, n in counts.items() if n) or "未发现问题"


def findings_html(ws: Workspace, shown: Optional[list[int]] = None) -> str:
    """The problem list beside the tables: the active report's, or every report's (``shown``)."""
    esc = html.escape
    if not ws.reports:
        return f'<p class="nb-empty">{esc(texts.NO_FINDINGS_YET)}</p>'
    numbered: list[tuple[int, int, Finding]] = []
    for i in range(len(ws.reports)):
        for f in ws.findings(i):
            numbered.append((len(numbered) + 1, i, f))
    chosen = shown if shown is not None else [min(ws.active, len(ws.reports) - 1)]
    parts = []
    for i in chosen:
        loaded = ws.reports[i]
        r = loaded.report
        who = " ".join(str(x) for x in (r.agency, r.year and f"{r.year}年度") if x) or loaded.name
        mine = [(n, f) for n, j, f in numbered if j == i]
        title = f"问题清单：{who}（{r.edition}年版格式）"
        body = "".join(_item(n, f) for n, f in mine)
        block = (f'<div class="nb-findings-title nb-report">{esc(title)}</div>'
                 f'<div class="nb-summary">{esc(_summary([f for _, f in mine]))}</div>')
        if r.unreadable_tables:
            block += f'<div class="nb-comp">无法读取：{esc("、".join("表" + k for k in r.unreadable_tables))}，其中的数字没有检查。</div>'
        block += f'<ol class="nb-list">{body}</ol>' if body else '<p class="nb-ok">未发现问题。</p>'
        parts.append(block)
    return "".join(parts)


def summary_md(ws: Workspace, all_reports: bool = False) -> str:
    """One row per loaded report: agency, year, edition, errors, warnings, cells not read."""
    if not ws.reports and ws.previous is None:
        return texts.NO_REPORT
    lines = ["| 报告 | 机关 | 年度 | 格式版本 | 错误 | 警告 | 未读单元格 |", "|---|---|---:|---|---:|---:|---:|"]
    for i, loaded in enumerate(ws.reports):
        r = loaded.report
        findings = ws.findings(i)
        errors = sum(1 for f in findings if f.severity is Severity.error)
        warnings = sum(1 for f in findings if f.severity is Severity.warning)
        mark = "▶ " if i == ws.active and not all_reports else ""
        lines.append(f"| {mark}本年：{md_text(loaded.name)} | {md_text(r.agency or '机关未识别')} | {r.year or '未识别'} "
                     f"| {r.edition}年版 | {errors} | {warnings} | {unread_cells(r)} |")
    if ws.previous is not None:
        r = ws.previous.report
        lines.append(f"| 上年：{md_text(ws.previous.name)} | {md_text(r.agency or '机关未识别')} | {r.year or '未识别'} "
                     f"| {r.edition}年版 | — | — | {unread_cells(r)} |")
    return "\n".join(lines)
