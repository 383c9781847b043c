"""Answers about figures: one report, several reports side by side, this year against last.

``specs`` turns a ``Question`` into the figures it asks for, in the terms of
one report's edition; ``figures.resolve`` reads them; this module phrases
the answer, every figure with the cells it rests on and where they sit.
Year-over-year changes come from ``yoy.delta``, the one computation the
year-over-year table uses too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ..check import Severity
from ..export.markdown import md_text
from ..model import Report, get_edition
from ..model.figures import change
from .answer import Answer
from .cite import figure_text, sources
from .figures import Figure, Spec, Term, fmt, resolve, t2_columns
from .problems import NEED_PREVIOUS
from .understand import Question
from .workspace import Loaded, Workspace
from .yoy import delta

RESULT_ROWS = ("disclosed", "partly", "withheld", "secret", "law_forbidden", "three_safety", "third_party",
               "internal", "process", "enforcement_file", "inquiry", "unavailable", "not_held", "needs_making",
               "still_unclear", "not_processed", "complaint", "repeated", "publication", "mass_repeated",
               "reconfirm", "other", "overdue_correction", "unpaid_fee", "other_misc")
_SEPARATE = re.compile(r"分别|各是|各有|各多少|各自|逐项|每项")


@dataclass
class Asked:
    """One figure a question asks for."""

    spec: Spec
    parts: list[Spec]  # a sum's addends, shown beside it ("予以公开和部分公开一共")


def specs(q: Question, report: Report) -> list[Asked]:
    """The figures ``q`` asks for, in the terms of ``report``'s edition."""
    out: list[Asked] = []
    out += _table3(q)
    out += _table4(q)
    out += _table2(q, report)
    return out


def _join(terms: list[Term], q: Question) -> list[Asked]:
    """Several terms: one sum (with its parts) unless the question asks for each separately."""
    if len(terms) > 1 and not _SEPARATE.search(q.text) and not q.itemise:
        return [Asked(Spec(tuple(terms)), [Spec((t,)) for t in terms])]
    return [Asked(Spec((t,)), []) for t in terms]


def _table3(q: Question) -> list[Asked]:
    rows, cols = list(q.rows3), list(q.cols3)
    if not rows and not cols:
        return []
    if not rows:
        rows = ["new"]
    if not cols:
        cols = ["总计"]
    if q.share:
        named = [c for c in cols if c != "总计"]
        results = [r for r in rows if r in RESULT_ROWS]
        if results:  # a result's share of （七）总计, in the column asked about
            col = named[0] if named else "总计"
            terms = [Term("三", r, col) for r in results]
            return [Asked(Spec(tuple(terms), of=Spec((Term("三", "total", col),))), [])]
        if named:  # an applicant type's share of the row's 总计
            row = rows[0]
            return [Asked(Spec(tuple(Term("三", row, c) for c in named), of=Spec((Term("三", row, "总计"),))), [])]
        return []  # a rate the tables do not define ("办结率"): no figure rather than a wrong one
    if len(cols) > 1 and len(rows) == 1:
        return _join([Term("三", rows[0], c) for c in cols], q)
    out: list[Asked] = []
    for c in cols:
        out += _join([Term("三", r, c) for r in rows], q)
    return out


def _table4(q: Question) -> list[Asked]:
    groups, cols = list(q.groups4), list(q.cols4)
    if not groups and not cols:
        return []
    if "litigation" in groups and ("direct_suit" in groups or "suit_after_review" in groups):
        groups.remove("litigation")
    if not groups:
        groups = ["all"]
    if not cols:
        cols = ["total"]
    if q.share:
        named = [c for c in cols if c != "total"] or (["corrected"] if re.search(r"纠错率|纠正率", q.text) else [])
        if not named:
            return []
        return [Asked(Spec(tuple(Term("四", g, c) for g in groups for c in named),
                           of=Spec(tuple(Term("四", g, "total") for g in groups))), [])]
    out: list[Asked] = []
    for c in cols:
        out += _join([Term("四", g, c) for g in groups], q)
    return out


def _table2(q: Question, report: Report) -> list[Asked]:
    rows, cols = list(q.rows2), list(q.cols2)
    if not rows and not cols or q.share:  # table 二 has no shares to give
        return []
    ed = get_edition(report.edition)
    if not rows:
        for block in ed.table2:
            for row_label, rkey in block.row_keys.items():
                if any(block.column(c) for c in cols):
                    rows.append(f"{block.key}.{rkey}")
    out: list[Asked] = []
    for row in rows:
        wanted = cols or t2_columns(report, row) or ["decisions"]
        usable = [c for c in wanted if c in t2_columns(report, row)] or wanted[:1]
        out += [Asked(Spec((Term("二", row, c),)), []) for c in usable]
    return out


# ------------------------------------------------------------------ report names


_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "人民政府", "管理委员会", "管委会", "办公室", "办公厅")
_PLACE = re.compile(r"^(.{2,}?(?:省|市|自治州|州|盟|县|区|旗|镇|乡|街道))(.*)$")


def aliases(loaded: Loaded) -> list[str]:
    """The names a person may call a report by: "淮安市人民政府", "淮安市", "淮安", its file name."""
    out = [loaded.name]
    stem = re.sub(r"\.[A-Za-z]+$", "", loaded.name)
    out.append(stem)
    agency = loaded.report.agency or ""
    if agency:
        out.append(agency)
        core = agency
        for s in _SUFFIXES:
            if core.endswith(s) and len(core) > len(s) + 1:
                core = core[: -len(s)]
                break
        out.append(core)
        m = _PLACE.match(core)
        if m:
            place, unit = m.group(1), m.group(2)
            out.append(place)
            bare = re.sub(r"(省|市|自治州|州|盟|县|区|旗|镇|乡|街道)$", "", place)
            if len(bare) >= 2:
                out.append(bare)
            if len(unit) >= 2:
                out.append(unit)
                out.append(re.sub(r"(局|委员会|委|办|厅|中心)$", "", unit))
        if len(core) >= 4:
            out.append(core[:2])  # "平潭" for 平潭综合实验区, "淮安" for 淮安市
    # A short name that is part of a table's words ("国家" in 国家秘密) would name the report by mistake.
    words = _vocabulary_text()
    return [a for a in dict.fromkeys(out) if len(a) >= 2 and (len(a) > 3 or a not in words)]


def _vocabulary_text() -> str:
    from .lexicon import vocabulary

    return "｜".join(vocabulary().phrases)


def report_names(ws: Workspace) -> list[tuple[list[str], Optional[int]]]:
    return [(aliases(loaded), loaded.report.year) for loaded in ws.reports]


def title(loaded: Loaded) -> str:
    r = loaded.report
    who = " ".join(str(x) for x in (r.agency, r.year and f"{r.year}年度") if x)
    return who or loaded.name


# ------------------------------------------------------------------ answers


def figure_data(fig: Figure, report: Optional[str] = None) -> dict[str, Any]:
    return {
        "label": fig.label, "value": fig.value, "unit": "%" if fig.is_percent else fig.unit, "state": fig.state,
        "certainty": fig.certainty, "problem": fig.problem, "computation": fig.computation, "report": report,
        "cells": [{"ref": u.ref.model_dump() if u.ref else None, "value": u.value, "state": u.state,
                   "where": (u.cell.source.model_dump() if u.cell is not None and u.cell.source else None)}
                  for u in fig.uses],
    }


def _flags(fig: Figure, ws: Workspace, loaded: Loaded) -> list[str]:
    """The findings that point at a cell the figure rests on: a figure the checker doubts says so."""
    if loaded not in ws.reports:
        return []
    from .problems import numbered

    refs = {u.ref.key() for u in fig.uses if u.ref is not None}
    out = []
    for n, name, f in numbered(ws):
        # Errors, and warnings about a few cells; not a warning that lists every blank of a table.
        specific = f.severity is Severity.error or len(f.cells) <= 4
        if name == loaded.name and specific and any(c.key() in refs for c in f.cells):
            out.append(f"注意：这一格涉及问题{n}（{f.severity.label} {f.code}：{f.message}）")
    return out[:3]


def _block(fig: Figure, parts: list[Figure], flags: Optional[list[str]] = None) -> str:
    """One figure: its value (or why not), its computation and notes, its cells with where they sit."""
    head = f"{md_text(fig.label)} = **{md_text(figure_text(fig))}**" if fig.ok else f"{md_text(fig.label)}：{md_text(fig.problem)}"
    extra = []
    if fig.ok and fig.computation:
        extra.append(fig.computation)
    extra += fig.notes
    if extra:
        head += "（" + "；".join(md_text(x) for x in extra) + "）"
    if parts and fig.ok:
        head += "\n\n其中：" + "；".join(
            f"{md_text(p.label)} {md_text(figure_text(p)) if p.ok else md_text(p.problem)}" for p in parts)
    for flag in flags or []:
        head += f"\n\n{md_text(flag)}"
    cited = sources(fig)
    if cited:
        head += "\n\n出处：\n" + "\n".join(f"- {md_text(line)}" for line in cited)
    return head


def _verdict(claimed: float, fig: Figure) -> str:
    """"办结33件对不对": the user's figure against the table's."""
    said = fmt(int(claimed) if claimed.is_integer() else claimed)
    if not fig.ok:
        return f"你给的 {said}：表中这一项{fig.problem or '没有数字'}，无法核对。"
    if abs(float(fig.value or 0) - claimed) < 1e-6:
        return f"你给的 {said}：与表中数字一致。"
    return f"你给的 {said}：与表中数字 **{fmt(fig.value)}** 不一致。"


def lookup(q: Question, ws: Workspace, targets: list[Loaded]) -> Answer:
    """The figures ``q`` asks for in each target report."""
    blocks: list[str] = []
    found: list[dict[str, Any]] = []
    by_report: dict[str, Any] = {}
    for loaded in targets:
        asked = specs(q, loaded.report)
        if not asked:
            continue
        figs = []
        for a in asked:
            fig = resolve(loaded.report, a.spec)
            parts = [resolve(loaded.report, p) for p in a.parts]
            figs.append((fig, parts))
            found.append(figure_data(fig, loaded.name))
        by_report[loaded.name] = figs[0][0].value
        head = f"**{md_text(title(loaded))}**" + ("（上年报告）" if ws.previous is loaded else "")
        body = "\n\n".join(_block(f, p, _flags(f, ws, loaded)) for f, p in figs)
        if q.verify is not None:
            body = _verdict(q.verify, figs[0][0]) + "\n\n" + body
        blocks.append(head + "\n\n" + body)
    if not blocks:
        return Answer(intent="lookup", text="没有找到问题中所说的数字。")
    data: dict[str, Any] = {"figures": found, "by_report": by_report}
    first = found[0]
    if len(targets) == 1:
        data.update(value=first["value"], unit=first["unit"], label=first["label"], state=first["state"],
                    certainty=first["certainty"])
    return Answer(intent="lookup", text="\n\n".join(blocks), data=data,
                  report=targets[0].name if len(targets) == 1 else None)


def compare(q: Question, ws: Workspace, targets: list[Loaded]) -> Answer:
    """One figure across several reports: a table, and which is larger when all were read."""
    if len(targets) < 2:
        return lookup(q, ws, targets)
    rows = []
    values: dict[str, Any] = {}
    figs = []
    label = ""
    for loaded in targets:
        asked = specs(q, loaded.report)
        if not asked:
            continue
        fig = resolve(loaded.report, asked[0].spec)
        label = label or fig.label
        figs.append((loaded, fig))
        values[loaded.name] = fig.value
        shown = figure_text(fig) if fig.ok else f"无法给出：{fig.problem}"
        where = "；".join(sources(fig, limit=3))
        rows.append(f"| {md_text(title(loaded))} | {md_text(shown)} | {md_text(where)} |")
    if not figs:
        return Answer(intent="compare", text="没有找到问题中所说的数字。")
    text = [f"**{md_text(label)}**，各报告对比：", "| 报告 | 数字 | 出处 |\n|---|---:|---|\n" + "\n".join(rows)]
    read = [(lo, f) for lo, f in figs if f.ok]
    if len(read) == len(figs) and len(read) >= 2:
        ranked = sorted(read, key=lambda p: float(p[1].value or 0), reverse=True)
        top, bottom = ranked[0], ranked[-1]
        if top[1].value == bottom[1].value:
            text.append(f"各报告相同，都是 {md_text(figure_text(top[1]))}。")
        elif len(read) == 2:
            diff = fmt(change(top[1].value or 0, bottom[1].value or 0))  # both read (ok)
            unit = "个百分点" if top[1].is_percent else top[1].unit
            text.append(f"{md_text(title(top[0]))}（{md_text(figure_text(top[1]))}）多于{md_text(title(bottom[0]))}"
                        f"（{md_text(figure_text(bottom[1]))}），相差 {diff} {unit}。")
        else:
            text.append(f"最多的是{md_text(title(top[0]))}（{md_text(figure_text(top[1]))}），"
                        f"最少的是{md_text(title(bottom[0]))}（{md_text(figure_text(bottom[1]))}）。")
    elif read:
        text.append("有的报告这一项无法读取或未填写，未作比较。")
    data = {"by_report": values, "label": label, "figures": [figure_data(f, lo.name) for lo, f in figs]}
    return Answer(intent="compare", text="\n\n".join(text), data=data)


def year_over_year(q: Question, ws: Workspace, current: Loaded) -> Answer:
    """One figure this year and last year, and the change (``yoy.delta``)."""
    asked = specs(q, current.report)
    if not asked:
        return Answer(intent="yoy", text="没有找到问题中所说的数字。")
    now = resolve(current.report, asked[0].spec)
    if ws.previous is None:
        text = f"{NEED_PREVIOUS}\n\n本年：{_block(now, [])}"
        return Answer(intent="yoy", text=text, data={"value": now.value, "figures": [figure_data(now, current.name)]},
                      report=current.name)
    before = resolve(ws.previous.report, specs(q, ws.previous.report)[0].spec)
    change, pct = delta(before.value, now.value)
    unit = "个百分点" if now.is_percent else now.unit
    cy, py = current.report.year, ws.previous.report.year
    lines = [f"**{md_text(now.label)}**",
             f"- {cy or '本年'}年：{md_text(figure_text(now))}", f"- {py or '上年'}年：{md_text(figure_text(before))}"]
    if change is not None:
        word = "增加" if change > 0 else ("减少" if change < 0 else "持平")
        size = fmt(abs(change))
        rate = "" if pct is None or now.is_percent or not change else f"，变化率 {pct:+.1f}%"
        lines.append(f"- 变化：{word}" + (f" {size} {unit}" if change else "") + rate
                     + f"（{fmt(now.value)} − {fmt(before.value)} = {fmt(change)}）")
    else:
        lines.append("- 变化：两年中有一年这一项无法读取或未填写，不计算变化。")
    cited = [f"- 本年：{md_text(x)}" for x in sources(now, 4)] + [f"- 上年：{md_text(x)}" for x in sources(before, 4)]
    text = "\n".join(lines) + "\n\n出处：\n" + "\n".join(cited)
    data = {"value": now.value, "previous_value": before.value, "change": change, "percent": pct,
            "figures": [figure_data(now, current.name), figure_data(before, ws.previous.name)]}
    return Answer(intent="yoy", text=text, data=data, report=current.name)
