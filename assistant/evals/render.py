"""The scoreboard for people (text, Markdown, HTML) and for scripts (JSON)."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Optional

from ..export.markdown import md_cell
from .results import Case, Metric, Scoreboard, SuiteResult

FORMATS = ("text", "json", "markdown", "html")
TITLE = "年报助手评测记分板"


def _mark(passed: Optional[bool]) -> str:
    return {True: "通过", False: "未通过", None: "—"}[passed]


def _suite_state(s: SuiteResult) -> str:
    return f"未运行（{s.skipped}）" if s.skipped else _mark(s.passed)


def _overall(board: Scoreboard) -> str:
    failed = [s.title for s in board.suites if not s.skipped and not s.passed]
    return "全部达标" if not failed else "未达标：" + "、".join(failed)


def _href(case: Case, root: Path, base: Optional[Path]) -> str:
    """A link that works from where the scoreboard is written (``base``), or repository-relative."""
    if not case.link:
        return ""
    if base is None:
        return case.link
    target = Path(case.link) if Path(case.link).is_absolute() else root / case.link
    try:
        return os.path.relpath(target, base).replace(os.sep, "/")
    except ValueError:
        return case.link


def render(board: Scoreboard, fmt: str, root: Path, base: Optional[Path] = None) -> str:
    if fmt == "json":
        return board.to_json()
    if fmt == "markdown":
        return to_markdown(board, root, base)
    if fmt == "html":
        return to_html(board, root, base)
    return to_text(board, root, base)


# ------------------------------------------------------------------ text


def to_text(board: Scoreboard, root: Path, base: Optional[Path] = None) -> str:
    lines = [f"{TITLE} · {board.date} · {_overall(board)} · 用时 {board.seconds:.1f} 秒"]
    for s in board.suites:
        lines.append("")
        lines.append(f"■ {s.title}（{s.name}）：{_suite_state(s)} · {s.cases} 个案例 · {s.seconds:.1f} 秒")
        for m in s.metrics:
            lines.append(f"  {m.label}：{m.shown()}  门槛 {m.shown_threshold()}  {_mark(m.passed)}"
                         + (f"  （{m.detail}）" if m.detail else ""))
        if s.worst:
            lines.append("  最差的案例：")
            for c in s.worst:
                where = _href(c, root, base)
                lines.append(f"    - {c.name}" + (f"  [{where}]" if where and where != c.name else "")
                             + (f"：{c.note}" if c.note else ""))
        for note in s.notes:
            lines.append(f"  注：{note}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ markdown


def _md_metric_row(s: SuiteResult, m: Metric) -> str:
    return (f"| {md_cell(s.title)} | {md_cell(m.label)} | {m.shown()} | {m.shown_threshold()} | {_mark(m.passed)} "
            f"| {md_cell(m.detail)} |")


def to_markdown(board: Scoreboard, root: Path, base: Optional[Path] = None) -> str:
    out = [
        f"# {TITLE} (eval scoreboard)",
        "",
        f"日期 {board.date} · {_overall(board)} · 用时 {board.seconds:.0f} 秒。"
        " 由 `make scoreboard`（`nianbao eval --suite all --format markdown --out evals/SCOREBOARD.md`）生成，请勿手改。",
        "",
        "| 套件 | 指标 | 结果 | 门槛 | 是否达标 | 明细 |",
        "|---|---|---|---|---|---|",
    ]
    for s in board.suites:
        if s.skipped:
            out.append(f"| {md_cell(s.title)} | — | — | — | {md_cell(_suite_state(s))} | |")
        for m in s.metrics:
            out.append(_md_metric_row(s, m))
    for s in board.suites:
        out += ["", f"## {s.title}（`{s.name}`）", "", f"{s.cases} 个案例，{s.seconds:.1f} 秒，{_suite_state(s)}。"]
        if s.worst:
            out += ["", "最差的案例："]
            for c in s.worst:
                href = _href(c, root, base)
                name = f"[{md_cell(c.name)}]({href})" if href else md_cell(c.name)
                out.append(f"- {name}" + (f"：{md_cell(c.note)}" if c.note else ""))
        elif not s.skipped:
            out += ["", "所有案例都达到要求。"]
        for note in s.notes:
            out += ["", f"注：{md_cell(note)}"]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ html


def to_html(board: Scoreboard, root: Path, base: Optional[Path] = None) -> str:
    e = html.escape
    rows = []
    for s in board.suites:
        for m in s.metrics:
            cls = {True: "pass", False: "fail", None: ""}[m.passed]
            rows.append(f"<tr class='{cls}'><td>{e(s.title)}</td><td>{e(m.label)}</td><td>{e(m.shown())}</td>"
                        f"<td>{e(m.shown_threshold())}</td><td>{_mark(m.passed)}</td><td>{e(m.detail)}</td></tr>")
        if s.skipped:
            rows.append(f"<tr><td>{e(s.title)}</td><td colspan='5'>{e(_suite_state(s))}</td></tr>")
    sections = []
    for s in board.suites:
        items = []
        for c in s.worst:
            href = _href(c, root, base)
            name = f"<a href='{e(href)}'>{e(c.name)}</a>" if href else e(c.name)
            items.append(f"<li>{name}{'：' + e(c.note) if c.note else ''}</li>")
        notes = "".join(f"<p class='note'>注：{e(n)}</p>" for n in s.notes)
        worst = f"<p>最差的案例：</p><ul>{''.join(items)}</ul>" if items else ""
        sections.append(f"<section><h2>{e(s.title)}（{e(s.name)}）</h2><p>{s.cases} 个案例，{s.seconds:.1f} 秒，"
                        f"{e(_suite_state(s))}。</p>{worst}{notes}</section>")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; padding: 4px 8px; }}
tr.pass td:nth-child(5) {{ color: #060; }} tr.fail td {{ background: #fdd; }}
.note {{ color: #555; }}
</style></head><body>
<h1>{TITLE}</h1>
<p>日期 {e(board.date)} · {e(_overall(board))} · 用时 {board.seconds:.0f} 秒</p>
<table><thead><tr><th>套件</th><th>指标</th><th>结果</th><th>门槛</th><th>是否达标</th><th>明细</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
{''.join(sections)}
</body></html>
"""
