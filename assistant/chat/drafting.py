"""Drafting from the chat: the drafter writes, the guard's verdict is shown with the text."""

from __future__ import annotations

from typing import Callable, Optional

from ..export.markdown import md_text
from ..model import Report
from .answer import Answer
from .workspace import Workspace

TABLE_SECTIONS = {"二", "三", "四"}
_DRAFTER_NAMES = {"offline": "离线模板", "model": "大模型", "model+offline": "大模型（部分段落改用离线模板）"}


def drafted_text(report: Report, keys: list[str]) -> str:
    """The drafted sections as Markdown, in report order."""
    out = []
    if "preamble" in keys and report.preamble:
        out.append("\n\n".join(md_text(p.text) for p in report.preamble))
    for s in report.sections:
        if s.key in keys and s.paragraphs:
            out.append(f"### {s.heading}\n\n" + "\n\n".join(md_text(p.text) for p in s.paragraphs))
    return "\n\n".join(out)


def preflight_notes(check) -> str:
    """What ``nianbao draft`` prints before drafting (missing figures, table errors), as Markdown."""
    blocks = []
    if check.missing:
        blocks.append(f"**{check.missing_heading}**\n" + "\n".join(f"- {md_text(m)}" for m in check.missing))
    if check.errors:
        lines = []
        for line, computation in check.error_lines():
            lines.append(f"- {md_text(line)}" + (f"\n  - 计算：{md_text(computation)}" if computation else ""))
        blocks.append(f"**{check.errors_heading}**\n" + "\n".join(lines))
    return "\n\n".join(blocks)


FORCE_HINT = "如确需按现有数字起草，请勾选“仍然起草”后再点“起草”。"


def draft_answer(ws: Workspace, sections: Optional[list[str]], settings, on_token: Optional[Callable[[str], None]],
                 force: bool = True) -> Answer:
    """Draft the sections; what ``nianbao draft`` would refuse on is said first.

    ``force=False`` refuses as the command line does without ``--force`` (the
    draft tab); the chat drafts what was asked for, with the same notes on top.
    """
    report = ws.report
    if report is None:
        return Answer(intent="draft", text="还没有报告：请先上传报告或新建空白报告并填写表格，再起草。")
    try:
        from ..draft import DraftError, draft_report, facts_from_report, normalise_sections
    except ImportError:
        return Answer(intent="draft", text="起草功能尚未安装。")
    if sections is not None:
        tables = [k for k in sections if k in TABLE_SECTIONS]
        sections = [k for k in sections if k not in TABLE_SECTIONS]
        if tables and not sections:
            names = "、".join(f"第{k}部分" for k in tables)
            return Answer(intent="draft", text=f"{names}是表格，内容来自表格数据，不需要起草文字。"
                                                "我可以起草第一部分（总体情况）、第五部分和第六部分，或生成全文。")
    from ..draft.preflight import preflight

    try:
        keys = normalise_sections(sections)
        facts = facts_from_report(report, ws.previous.report if ws.previous else None)
        check = preflight(facts, sections)
        notes = preflight_notes(check)
        if not check.clear and not force:
            text = f"{notes}\n\n**{check.refusal}。**{FORCE_HINT}"
            return Answer(intent="draft", text=text, report=ws.name,
                          data={"refused": True, "missing": check.missing,
                                "errors": [f.code for f in check.errors]})
        drafter = "model" if settings is not None and getattr(settings, "configured", False) else "offline"
        result = draft_report(facts, drafter=drafter, sections=sections, on_token=on_token, settings=settings)
    except DraftError as exc:
        return Answer(intent="draft", text=f"无法起草：{exc}")
    ws.draft_result = result
    ws.draft_keys = keys
    ws.draft_stale = False
    ws.draft_notes = notes
    verdict = result.verdict
    body = []
    if notes:
        body.append(f"{notes}\n\n**注意：表格有上述问题，下面的草稿按现有数字起草，请核对。**")
    body += [f"已起草（{_DRAFTER_NAMES.get(result.drafter_used, result.drafter_used)}）：",
             drafted_text(result.report, keys)]
    body.append(f"**{verdict.summary()}**")
    items = [f"- 待核实：{md_text(issue.describe())}" for issue in verdict.remaining]
    items += [f"- {md_text(note)}" for note in result.notes]
    body.append("\n".join(items))
    v = {
        "figures_checked": verdict.figures_checked,
        "figures_supported": verdict.figures_supported,
        "unsupported": [i.model_dump(mode="json") for i in verdict.unsupported],
        "replaced": [r.model_dump(mode="json") for r in verdict.replaced],
        "remaining": [i.model_dump(mode="json") for i in verdict.remaining],
        "drafter_used": result.drafter_used,
    }
    return Answer(intent="draft", text="\n\n".join(b for b in body if b), verdict=v, report=ws.name,
                  data={"refused": False, "missing": check.missing, "errors": [f.code for f in check.errors]})


def with_draft(ws: Workspace) -> Optional[Report]:
    """The active report with the drafted sections in place, for export.

    The tables are the workspace's (edits included); only the drafted
    narrative comes from the draft, so an edit after drafting is not lost.
    """
    report = ws.report
    if report is None:
        return None
    result = ws.draft_result
    if result is None:
        return report
    keys = getattr(ws, "draft_keys", None) or []
    out = report.model_copy(deep=True)
    drafted = result.report
    if "preamble" in keys:
        out.preamble = [p.model_copy() for p in drafted.preamble]
    by_key = {s.key: s for s in drafted.sections}
    sections = []
    present = {s.key for s in out.sections}
    for s in out.sections:
        if s.key in keys and s.key in by_key:
            sections.append(by_key[s.key].model_copy(deep=True))
        else:
            sections.append(s)
    for key in keys:
        if key in by_key and key not in present:
            sections.append(by_key[key].model_copy(deep=True))
    order = "一二三四五六"
    out.sections = sorted(sections, key=lambda s: order.index(s.key) if s.key in order else 99)
    return out
