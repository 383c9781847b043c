"""Answers about findings: the list (all, one table's, one severity's), one finding, how to fix one.

Findings are numbered "问题1", "问题2" … over every loaded report in the
workspace's order, the same numbers in the chat and in the findings list
beside it, whatever filter a question asks for; "第三项" is what the tables
call their rows, so findings never use it. How to fix a finding is worked out
from its references (``cells``, ``spans``, ``area``) and its expected and
actual figures, never from its wording.
"""

from __future__ import annotations

from typing import Any, Optional

from ..check import Finding, Severity, get_rule
from ..check.locations import cells_text
from ..export.markdown import md_text
from ..model import Report, get_edition
from ..model.refs import CellRef
from .answer import Answer
from .cite import where
from .figures import Number, Spec, Term, fmt, resolve
from .workspace import Workspace

Numbered = tuple[int, str, Finding]  # (问题 number, report name, finding)

NEED_REPORT = "还没有报告：请先在右侧上传报告（文本、Markdown、HTML、Word 或 PDF），或新建一份空白报告。"
NEED_PREVIOUS = "还没有上年报告：请把去年的年度报告作为“上年报告”载入，再问我。"
ASK_MORE = "想了解某个问题，可以问“问题3是什么意思”，或“问题3怎么改”。"


def numbered(ws: Workspace) -> list[Numbered]:
    """Every finding of every loaded report, numbered as the lists show them."""
    out: list[Numbered] = []
    for i, loaded in enumerate(ws.reports):
        for f in ws.findings(i):
            out.append((len(out) + 1, loaded.name, f))
    ws.listed = [(name, f) for _, name, f in out]
    return out


def finding_line(n: int, f: Finding) -> list[str]:
    lines = [f"问题{n}　**{f.severity.label} {f.code}** {md_text(f.location)}：{md_text(f.message)}"]
    if f.computation:
        lines.append(f"   - 计算：{md_text(f.computation)}")
    # Findings a root cause explains are listed under it, not numbered: they go once it is fixed.
    for c in getattr(f, "consequences", None) or []:
        lines.append(f"   - 由此引起：{c.code} {md_text(c.location)}：{md_text(c.message)}")
    return lines


def _counts(findings: list[Finding]) -> str:
    parts = []
    for sev in (Severity.error, Severity.warning, Severity.info):
        n = sum(1 for f in findings if f.severity is sev)
        if n:
            parts.append(f"{sev.label} {n} 项")
    return "，".join(parts) if parts else "未发现问题"


def _title(ws: Workspace, i: int) -> str:
    loaded = ws.reports[i]
    r = loaded.report
    who = " ".join(str(x) for x in (r.agency, r.year and f"{r.year}年度") if x)
    return f"{who}（{loaded.name}）" if who else loaded.name


def _tables(f: Finding) -> set[str]:
    tables = {c.table for c in f.cells}
    if f.area is not None and f.area.table:
        tables.add(f.area.table)
    return tables


_PARTS = {"narrative": "叙述部分", "cross_year": "跨年核对"}


def _in_part(f: Finding, part: Optional[str]) -> bool:
    if part is None:
        return True
    if part == "cross_year":
        return f.code.startswith("X")
    return bool(f.spans) or (f.area is not None and f.area.section is not None)


def check_answer(ws: Workspace, table: Optional[str] = None, severity: Optional[str] = None,
                 reports: Optional[list[int]] = None, part: Optional[str] = None) -> Answer:
    """The problem list, optionally of one table, one part (the narrative, the cross-year check),
    one severity or some reports, with the 问题 numbers."""
    if not ws.reports:
        return Answer(intent="check", text=NEED_REPORT)
    every = numbered(ws)
    chosen = reports or list(range(len(ws.reports)))
    sev = Severity(severity) if severity else None
    scope = "".join(x for x in (f"表{table}" if table else "", _PARTS.get(part or "", ""),
                                sev.label if sev else "") if x)
    out: list[str] = []
    shown: list[Finding] = []
    for i in chosen:
        loaded = ws.reports[i]
        mine = [(n, f) for n, name, f in every if name == loaded.name]
        picked = [(n, f) for n, f in mine
                  if (table is None or table in _tables(f)) and (sev is None or f.severity is sev)
                  and _in_part(f, part)]
        findings = [f for _, f in mine]
        errors = sum(1 for f in findings if f.severity is Severity.error)
        head = f"**{md_text(_title(ws, i))}**：{_counts(findings)}。"
        if not errors and table is None and sev is None and part is None:
            head += " 没有发现合计对不上或叙述与表格不符的错误。"
        if scope:
            head += f" 其中{scope}的问题 {len(picked)} 项" + ("：" if picked else "。")
        out.append(head)
        if ws.previous is None and len(ws.reports) == 1 and table is None and sev is None and part != "narrative":
            out.append("（未上传上年报告，未做跨年核对。）")
        unread = [f"表{k}" for k in loaded.report.unreadable_tables]
        if unread and (table is None or table in loaded.report.unreadable_tables):
            out.append(f"注意：{'、'.join(unread)}无法读取，其中的数字没有检查。")
        lines: list[str] = []
        for n, f in picked:
            shown.append(f)
            lines.extend(finding_line(n, f))
        if lines:
            out.append("\n".join(lines))
    if shown:
        out.append(ASK_MORE)
    report = ws.name if len(chosen) == 1 else None
    return Answer(intent="check", text="\n\n".join(out), findings=shown, report=report,
                  data={"numbers": [n for n, _, f in every if any(f is s for s in shown)],
                        "table": table, "severity": severity})


def _pick(ws: Workspace, item: Optional[int], code: Optional[str]) -> tuple[Optional[Numbered], str]:
    """The finding a question names, or why there is none."""
    every = numbered(ws)
    if code:
        hits = [x for x in every if x[2].code == code]
        if hits:
            return hits[0], (f"（共有 {len(hits)} 个问题属于规则 {code}，下面是问题{hits[0][0]}。）" if len(hits) > 1 else "")
        return None, ""
    if item is None:
        return None, "请说明是哪一个问题，例如“问题3怎么改”。"
    if not every:
        return None, "这份报告没有发现问题，没有可以解释的条目。"
    if not 1 <= item <= len(every):
        return None, f"问题清单只有 {len(every)} 个问题，没有问题{item}。可以先问“哪些合计对不上”查看清单。"
    return every[item - 1], ""


def _rule_text(rule: Any) -> str:
    return "\n\n".join([
        f"**规则 {rule.code}：{md_text(rule.title)}**（{rule.severity.label}）",
        md_text(rule.explanation),
        f"- 不通过的例子：{md_text(rule.failing)}\n- 通过的例子：{md_text(rule.passing)}",
        f"依据：{md_text(rule.basis)}",
    ])


def _shown(v: Any) -> str:
    return "空白" if v is None or v == "" else md_text(fmt(v) if isinstance(v, (int, float)) else v)


def explain_answer(ws: Workspace, item: Optional[int], code: Optional[str]) -> Answer:
    if code:
        rule = get_rule(code)
        if rule is None:
            return Answer(intent="explain", text=f"没有编号为 {code} 的规则。可以问“有哪些规则”查看全部规则。")
        picked, note = _pick(ws, None, code) if ws.reports else (None, "")
        if picked is None:
            head = "这份报告没有这条规则的问题。\n\n" if ws.report is not None else ""
            return Answer(intent="explain", text=head + _rule_text(rule), data={"rule": rule.code})
        return _explained(picked, note)
    if ws.report is None:
        return Answer(intent="explain", text=NEED_REPORT)
    picked, note = _pick(ws, item, None)
    if picked is None:
        return Answer(intent="explain", text=note)
    return _explained(picked, note)


def _explained(picked: Numbered, note: str) -> Answer:
    n, name, f = picked
    parts = [f"{note}\n\n" if note else ""]
    parts[0] += f"**问题{n}：{f.severity.label} {f.code}**　{md_text(f.location)}"
    parts.append(f"问题：{md_text(f.message)}")
    if f.computation:
        parts.append(f"计算：{md_text(f.computation)}")
    if f.expected is not None or f.actual is not None:
        parts.append(f"应为 {_shown(f.expected)}，实为 {_shown(f.actual)}。")
    if f.basis:
        parts.append(f"依据：{md_text(f.basis)}")
    parts.append(f"想知道怎么改，可以问“问题{n}怎么改”。")
    rule = get_rule(f.code)
    if rule is not None:
        parts.append("——\n\n" + _rule_text(rule))
    return Answer(intent="explain", text="\n\n".join(p for p in parts if p), findings=[f], report=name,
                  data={"number": n, "rule": f.code})


# ------------------------------------------------------------------ fixing


def fix_answer(ws: Workspace, item: Optional[int], code: Optional[str]) -> Answer:
    if ws.report is None:
        return Answer(intent="fix", text=NEED_REPORT)
    if item is None and code is None and ws.last_finding is not None:
        item = ws.last_finding
    picked, note = _pick(ws, item, code)
    if picked is None:
        return Answer(intent="fix", text=note or "没有找到这个问题。")
    n, name, f = picked
    report = next((lo.report for lo in ws.reports if lo.name == name), ws.report)
    steps, data = fix_steps(f, report)
    head = f"**问题{n}：{f.severity.label} {f.code}**　{md_text(f.location)}\n\n现状：{md_text(f.message)}"
    if f.computation:
        head += f"（{md_text(f.computation)}）"
    body = [note, head, "怎么改：\n" + "\n".join(f"- {s}" for s in steps)]
    consequences = list(getattr(f, "consequences", None) or [])
    if consequences:
        body.append("改正后，下列由它引起的问题也会随之消除：\n" + "\n".join(
            f"- {c.code} {md_text(c.location)}：{md_text(c.message)}" for c in consequences))
    body.append("改完后可以在右侧表格中直接修改数字，检查会立即重新运行。")
    data.update(number=n, rule=f.code)
    return Answer(intent="fix", text="\n\n".join(b for b in body if b), findings=[f], report=name, data=data)


def _cell_now(report: Report, ref: CellRef) -> str:
    from .cells import cell_at, grid_key

    table, row, col = grid_key(ref)
    cell = cell_at(report, table, row, col)
    if cell is None:
        return "文档中没有"
    if cell.is_number:
        return fmt(cell.value)
    return "空白" if not cell.raw else f"“{cell.raw}”"


def _should_be(report: Report, ref: CellRef) -> Optional[Any]:
    """What a total cell would hold if it were its parts' sum (None when it is not a total or cannot be summed)."""
    ed = get_edition(report.edition)
    spec: Optional[Spec] = None
    if ref.table == "三" and ref.row == ed.table3.row("total").label:
        keys = []
        for r in ed.table3.rows:
            if r.result and (r.group is None or r.group not in keys):
                key = ed.table3.group_keys.get(r.group) if r.group else r.key
                if key and key not in keys:
                    keys.append(key)
        spec = Spec(tuple(Term("三", k, ref.col) for k in keys))
    elif ref.table == "三" and ref.col == ed.table3.total_column:
        row = ed.table3.by_label(ref.row)
        if row is not None and row.key:
            spec = Spec(tuple(Term("三", row.key, c) for c in ed.table3.applicant_columns))
    elif ref.table == "四" and ref.col == ed.table4.total_column:
        gkey = ed.table4.group_keys.get(ref.row)
        if gkey:
            spec = Spec(tuple(Term("四", gkey, k) for k in ("upheld", "corrected", "other", "pending")))
    if spec is None:
        return None
    fig = resolve(report, spec)
    return fig.value if fig.ok else None


def fix_steps(f: Finding, report: Report) -> tuple[list[str], dict[str, Any]]:
    """What to change to resolve a finding, from its references and figures."""
    ed = get_edition(report.edition)
    steps: list[str] = []
    changes: list[dict[str, Any]] = []
    exp, act = f.expected, f.actual
    numeric = isinstance(exp, (int, float)) and not isinstance(exp, bool)
    exp_n: Optional[Number] = exp if isinstance(exp, (int, float)) else None
    act_n: Optional[Number] = act if isinstance(act, (int, float)) else None
    blanks = [c for c in f.cells if _cell_now(report, c) == "空白"]
    if f.cells and blanks and len(blanks) == len(f.cells):
        if numeric and exp == 0:
            steps.append(f"把这 {len(blanks)} 个空白格填为 0（格式要求没有数据时填 0）：{md_text(cells_text(blanks[:6], ed))}"
                         + ("等" if len(blanks) > 6 else "") + "。")
            changes += [{"cell": c.model_dump(), "value": 0} for c in blanks]
        else:
            for c in blanks:
                value = _should_be(report, c)
                if value is None and numeric and len(blanks) == 1:
                    value = exp_n
                if value is not None:
                    steps.append(f"把 {md_text(cells_text([c], ed))} 填为 {fmt(value)}（现为空白）。")
                    changes.append({"cell": c.model_dump(), "value": value})
                else:
                    steps.append(f"填写 {md_text(cells_text([c], ed))}（现为空白）。")
    elif len(f.cells) == 1 and numeric:
        c = f.cells[0]
        now = _cell_now(report, c)
        computed = _should_be(report, c)
        target = computed if computed is not None else exp_n
        steps.append(f"如果参与计算的其他数字无误：把 {md_text(cells_text([c], ed))} 由 {now} 改为 {fmt(target)}。")
        steps.append(f"如果 {now} 是对的：核对参与计算的各格（{md_text(f.computation or '')}），使它们与 {now} 相符。")
        changes.append({"cell": c.model_dump(), "value": target})
    elif f.cells and numeric:
        steps.append(f"两边应相等：应为 {_shown(exp)}，实为 {_shown(act)}"
                     + (f"，相差 {fmt(abs(float(exp_n or 0) - float(act_n)))}" if act_n is not None else "") + "。")
        listed = "；".join(f"{md_text(cells_text([c], ed))} = {_cell_now(report, c)}" for c in f.cells[:8])
        steps.append(f"核对下列单元格，改正写错的那一处（或几处）：{listed}" + ("等" if len(f.cells) > 8 else "") + "。")
        for c in f.cells:
            value = _should_be(report, c)
            if value is not None and _cell_now(report, c) != fmt(value):
                steps.append(f"其中 {md_text(cells_text([c], ed))} 按其各项之和应为 {fmt(value)}（现为 {_cell_now(report, c)}）。")
                changes.append({"cell": c.model_dump(), "value": value})
    elif f.spans and numeric:
        span = f.spans[0]
        quote = span.quote
        said = fmt(act_n) if act_n is not None and fmt(act_n) in quote else (
            fmt(exp_n) if fmt(exp_n) in quote else None)
        other = fmt(exp_n) if said == fmt(act_n) else fmt(act_n)
        if said is not None and act_n is not None:
            steps.append(f"把叙述“{md_text(quote)}”中的 {said} 改为 {other}（{md_text(f.computation or f.message)}）。")
            steps.append(f"如果叙述中的 {said} 是对的：核对与它比较的数字（表格或其中所列各项），使之与 {said} 相符。")
            changes.append({"span": span.model_dump(), "from": said, "to": other})
        else:
            steps.append(f"核对叙述“{md_text(quote)}”：应为 {_shown(exp)}，实为 {_shown(act)}。")
    else:
        if exp is not None or act is not None:
            steps.append(f"应为 {_shown(exp)}，实为 {_shown(act)}。")
        rule = get_rule(f.code)
        if rule is not None and rule.passing:
            steps.append(f"按规则 {rule.code} 的要求改正，例如：{md_text(rule.passing)}")
        else:
            steps.append(f"按问题说明改正：{md_text(f.message)}")
    for c in f.cells[:1]:
        from .cells import cell_at, grid_key

        table, row, col = grid_key(c)
        cell = cell_at(report, table, row, col)
        at = where(cell.source if cell is not None else None)
        if at:
            steps.append(f"位置：{md_text(cells_text([c], ed))} 在原文{at}。")
    return steps, {"changes": changes}
