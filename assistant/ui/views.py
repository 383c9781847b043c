"""What the workspace looks like on screen: table grids, problem cells, the findings list.

Pure functions over the model, so they are tested without a browser. Table
grids go to ``gr.Dataframe`` as ``{"headers", "data", "metadata"}`` where
``metadata.styling`` colours the cells a finding points at.
"""

from __future__ import annotations

import html
from typing import Optional

from ..chat import Finding, Severity
from ..chat.cells import T2_SEP, Key, raw_text
from ..model import Report, get_edition

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


def findings_html(findings: list[Finding], title: str = "") -> str:
    """The problem list beside the tables, every problem with its figures."""
    esc = html.escape
    if title:
        head = f'<div class="nb-findings-title">{esc(title)}</div>'
    else:
        head = ""
    if not title:
        return '<p class="nb-empty">还没有报告。上传报告或新建空白报告后，这里列出检查发现的问题。</p>'
    if not findings:
        return head + '<p class="nb-ok">未发现问题。</p>'
    items = []
    for n, f in enumerate(findings, 1):
        comp = f'<div class="nb-comp">计算：{esc(f.computation)}</div>' if f.computation else ""
        items.append(
            f'<li class="nb-{f.severity.value}" data-code="{esc(f.code)}">'
            f'<span class="nb-badge">{esc(f.severity.label)} {esc(f.code)}</span> '
            f'<span class="nb-loc">{esc(f.location)}</span>'
            f'<div class="nb-msg">{esc(f.message)}</div>{comp}</li>'
        )
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    summary = "，".join(f"{s.label} {n} 项" for s, n in counts.items() if n)
    return f'{head}<div class="nb-summary">{esc(summary)}</div><ol class="nb-list">{"".join(items)}</ol>'


CSS = """
#nb-findings .nb-list { padding-left: 1.6em; margin: 0; }
#nb-findings li { margin: 0.35em 0; padding: 0.3em 0.5em; border-radius: 4px; }
#nb-findings li.nb-error { background: #fff1f0; border-left: 4px solid #cf1322; }
#nb-findings li.nb-warning { background: #fffbe6; border-left: 4px solid #d4b106; }
#nb-findings li.nb-info { background: #e6f4ff; border-left: 4px solid #1677ff; }
#nb-findings .nb-badge { font-weight: 700; margin-right: 0.3em; }
#nb-findings .nb-comp { color: #555; font-size: 0.92em; }
#nb-findings .nb-summary, #nb-findings .nb-findings-title { font-weight: 600; margin-bottom: 0.3em; }
"""
