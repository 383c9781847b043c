"""``draft_report``: facts in, a complete guarded report out.

The tables are copied from the facts unchanged; only the narrative is
written. Whatever drafter wrote a paragraph, the guard checks it before it is
delivered, and the verdict travels with the result.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..errors import DraftError
from ..model import NumberMention, Paragraph, Report, Section
from ..parse.numbers import read_numbers
from .facts import Facts
from .guard import GuardVerdict, Support, check_claims, check_text, merge_issues
from .offline import Plan, Planned, plan_offline
from .settings import LLMSettings

DRAFTERS = ("offline", "model")
SECTION_KEYS = ("preamble", "一", "五", "六")
_SECTION_ALIASES = {"开头": "preamble", "前言": "preamble", "preamble": "preamble", "总体情况": "一",
                    "问题": "五", "存在的主要问题及改进情况": "五", "其他": "六", "其他需要报告的事项": "六"}


class DraftResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    report: Report
    verdict: GuardVerdict
    drafter_used: str  # "offline", "model", or "model+offline" when paragraphs fell back
    notes: list[str] = Field(default_factory=list)  # Chinese, for the user

    def text(self) -> str:
        """The drafted narrative as plain text, section by section."""
        parts = [p.text for p in self.report.preamble]
        for s in self.report.sections:
            if s.paragraphs:
                parts.append(s.heading)
                parts.extend(p.text for p in s.paragraphs)
        return "\n".join(parts)


def normalise_sections(sections: Optional[Iterable[str]]) -> list[str]:
    """["一"], ["五", "六"], ["总体情况"] … -> section keys the drafter writes."""
    if sections is None:
        return list(SECTION_KEYS)
    out = []
    for raw in sections:
        s = str(raw).strip()
        key = _SECTION_ALIASES.get(s) or (s[0] if s and s[0] in "一二三四五六" else None)
        if key in ("二", "三", "四"):
            raise DraftError(f"第{key}部分是表格，直接取自事实，不需要起草；可起草：开头、一、五、六")
        if key not in SECTION_KEYS:
            raise DraftError(f"不认识的部分“{raw}”；可起草：开头、一、五、六")
        if key not in out:
            out.append(key)
    return out


def draft_report(
    facts: Facts,
    drafter: str = "offline",
    sections: Optional[Iterable[str]] = None,
    on_token: Optional[Callable[[str], None]] = None,
    settings: Optional[LLMSettings] = None,
    passages: Optional[Callable[[str, Facts], list]] = None,
    on_progress: Optional[Callable[[str], None]] = None,
) -> DraftResult:
    """Draft the narrative of ``facts`` and guard every figure in it.

    ``drafter`` is "offline" (default, deterministic, no network) or "model"
    (an OpenAI-compatible endpoint from ``settings`` or the environment; it
    falls back to offline paragraphs when the model fails or its figures
    cannot be fixed). ``sections`` limits drafting, e.g. ["一"] or ["五", "六"];
    the other sections keep whatever text ``facts.tables`` has. ``on_token``
    receives the model's raw text as it streams, before the guard has seen
    it; the delivered text is the result's report. ``passages(section_key,
    facts)`` supplies retrieved passages to the model (default: the index).
    ``on_progress`` hears each retry of a model call ("第2次尝试，已等待30秒");
    all calls of one draft share the time budget ``NIANBAO_LLM_BUDGET``.
    """
    if drafter not in DRAFTERS:
        raise DraftError(f"不认识的起草方式“{drafter}”，可选：offline（离线）、model（模型）")
    wanted = normalise_sections(sections)
    plan = plan_offline(facts)
    notes = [n for n in plan.notes if _note_applies(n, wanted)]
    verdict = GuardVerdict()

    texts: dict[tuple[str, int], str] = {}
    used = "offline"
    if drafter == "model":
        from .model_drafter import draft_with_model

        settings = settings or LLMSettings.from_env()
        outcome = draft_with_model(facts, plan, wanted, settings, on_token, passages, on_progress)
        texts.update(outcome.texts)
        verdict.unsupported.extend(outcome.caught)
        verdict.replaced.extend(outcome.replaced)
        notes = outcome.notes + notes
        used = outcome.drafter_used

    chosen: list[tuple[Planned, str]] = []
    for p in plan.paragraphs:
        if p.section in wanted:
            chosen.append((p, texts.get((p.section, p.index), p.text)))
    _final_guard(facts, chosen, verdict)
    report = _assemble(facts, chosen, wanted)
    return DraftResult(report=report, verdict=verdict, drafter_used=used, notes=notes)


def _note_applies(note: str, wanted: list[str]) -> bool:
    for key, word in (("一", "第一部分"), ("五", "第五部分"), ("六", "第六部分")):
        if word in note:
            return key in wanted
    return True


def _final_guard(facts: Facts, chosen: list[tuple[Planned, str]], verdict: GuardVerdict) -> None:
    guard_paragraphs(facts, [(p.section, p.index, text, p.keys) for p, text in chosen], verdict)


def guard_paragraphs(facts: Facts, paragraphs: list[tuple[str, int, str, Iterable[str]]],
                     verdict: Optional[GuardVerdict] = None) -> GuardVerdict:
    """The whole guard on a text to deliver: (section, index, text, facts declared) per paragraph.

    Every number of every paragraph, then the claims of all of them read
    together (a quantity stated twice is compared too); the verdict counts both.
    """
    verdict = verdict or GuardVerdict()
    numbers = []
    sheet = facts.sheet()
    read: list[NumberMention] = []  # every paragraph's numbers, read once for both halves
    for section, index, text, declared in paragraphs:
        mentions = [m.model_copy(update={"section": section, "paragraph": index}) for m in read_numbers(text)]
        read.extend(mentions)
        result = check_text(text, facts, section, index, declared=declared, sheet=sheet, mentions=mentions)
        verdict.figures_checked += result.checked
        verdict.supports.extend(result.supports)
        numbers.extend(result.issues)
    claims = check_claims(facts, [(section, index, text) for section, index, text, _ in paragraphs], read)
    verdict.claims_checked = claims.checked
    verdict.claims_supported = claims.supported
    verdict.remaining, covered = merge_issues(numbers, claims)
    verdict.supports.extend(Support(section=n.section, paragraph=n.paragraph, figure=n.figure,
                                    source="按表格核实的陈述（合称类别之和、占比、较上年变化）") for n in covered)
    verdict.figures_supported = len(verdict.supports)
    return verdict


def _assemble(facts: Facts, chosen: list[tuple[Planned, str]], wanted: list[str]) -> Report:
    base = facts.tables
    ed = facts.edition_decl
    report = base.model_copy(deep=True)
    report.agency = facts.agency
    report.year = facts.year
    report.level = facts.level
    report.edition = facts.edition
    if facts.year is not None:
        report.title = f"{facts.agency or ''}{facts.year}年政府信息公开工作年度报告"
    by_section: dict[str, list[str]] = {}
    for p, text in chosen:
        by_section.setdefault(p.section, []).append(text)
    if "preamble" in wanted:
        report.preamble = [Paragraph(text=t) for t in by_section.get("preamble", [])]
    sections = []
    for decl in ed.sections:
        existing = base.section(decl.key)
        if decl.key in wanted:
            paragraphs = [Paragraph(text=t) for t in by_section.get(decl.key, [])]
        else:
            paragraphs = list(existing.paragraphs) if existing is not None else []
        sections.append(Section(key=decl.key, heading=decl.heading, raw_heading=decl.heading, paragraphs=paragraphs))
    report.sections = sections
    # Positions and numbers read from an input document describe that document, not this draft.
    report.narrative_numbers = []
    report.labels = []
    report.problems = []
    report.file = None
    report.format = None
    return report


__all__ = ["DraftError", "DraftResult", "Plan", "draft_report", "normalise_sections"]
