"""Guarding a model's chat answer about a loaded report: ``guard_answer``.

The same guard as a draft's: every number in the answer must be supported by
the report — its tables, or what its own text states — and every claim about
the tables (a count, a share and its base, "未收到申请", "均获维持" …) must be
what the checker's narrative rules find true. Numbers that come from the
regulations (article numbers, "20个工作日", the fee measures' 10件 and 30页,
1月31日) are recognised as such (``regulation_figures.yaml``), as are figures
quoted from the regulation passages the model was given.

What is not supported is taken out, a sentence at a time, and a note the
user sees says what was taken out and what the tables say instead. A
sentence that reports what the report's text says ("叙述中写的是办结33件") is
a quotation, not a claim about the tables: its figures need only be in the
report's text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from pydantic import BaseModel, Field

from ..model import NumberKind, Report
from ..parse.numbers import read_numbers
from ..parse.sentences import sentence_bounds
from ..resources import package_path
from .facts import facts_from_report
from .guard import GuardIssue, check_claims, check_text, merge_issues
from .sheet import normal_date, normal_doc

NOTE_MARK = "核验说明"  # the note's heading: what follows it is the guard's, not the model's
_SENTENCE_END = "。！？!?；;\n"
# Words that make a sentence a report of what the report's text says, not a claim about the tables.
_QUOTING = re.compile(r"叙述中|叙述里|报告(中|里)?(写|称|说|提到|提及)|文中|原文|写的是|写作|写成|所写|不符|不一致|对不上|≠|有误|应为")
_REGULATION_FILE = package_path("draft", "regulation_figures.yaml")


class GuardedAnswer(BaseModel):
    """A model's answer after the guard: what the user may see, and what was taken out and why."""

    text: str  # the answer to show: the supported sentences, then the note when anything was taken out
    body: str  # the supported sentences only
    note: str = ""  # Chinese, Markdown; empty when nothing was taken out
    removed: list[str] = Field(default_factory=list)  # the sentences taken out, as the model wrote them
    issues: list[GuardIssue] = Field(default_factory=list)
    figures_checked: int = 0
    claims_checked: int = 0

    @property
    def clean(self) -> bool:
        return not self.removed


class _Regulations(BaseModel):
    figures: list[dict] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    docs: list[str] = Field(default_factory=list)


@lru_cache(maxsize=1)
def _regulations() -> _Regulations:
    import yaml

    return _Regulations(**(yaml.safe_load(_REGULATION_FILE.read_text(encoding="utf-8")) or {}))


def _regulation_figure(text: str, issue: GuardIssue, sentence: str, sources: list[str]) -> bool:
    """Is this number one the regulations state (or a passage the model was given quotes)?"""
    reg = _regulations()
    if issue.kind == NumberKind.date.value:
        return normal_date(issue.figure) in {normal_date(d) for d in reg.dates}
    if issue.kind == NumberKind.year.value:
        return issue.value is not None and int(issue.value) in reg.years
    if issue.kind == NumberKind.doc_number.value:
        return normal_doc(issue.figure) in {normal_doc(d) for d in reg.docs}
    if issue.kind not in (NumberKind.figure.value, NumberKind.percent.value) or issue.value is None:
        return False
    after = re.sub(r"\s+", "", text[issue.end:issue.end + 6])
    for f in reg.figures:
        if float(f["value"]) != float(issue.value):
            continue
        if f.get("after") and re.match(f["after"], after):
            return True
        if f.get("sentence") and re.search(f["sentence"], sentence):
            return True
    for src in sources:
        for m in read_numbers(src):
            if m.value is not None and float(m.value) == float(issue.value) and m.unit == _unit_of(issue, text):
                return True
    return False


def _unit_of(issue: GuardIssue, text: str) -> Optional[str]:
    found = [m for m in read_numbers(text[issue.start:issue.end])]
    return found[0].unit if found else None


def _report_texts(report: Report) -> list[str]:
    texts = [p.text for p in report.preamble]
    for s in report.sections:
        texts.extend(p.text for p in s.paragraphs)
    return [t for t in texts if t.strip()]


def guard_answer(answer: str, report: Report, previous: Optional[Report] = None,
                 sources: Iterable[str] = ()) -> GuardedAnswer:
    """``answer`` (a model's reply about ``report``) with every unsupported number or claim taken out.

    ``previous`` is last year's report when one is loaded (changes from last
    year are checked against it); ``sources`` are the texts of the regulation
    passages the model was given, whose figures it may quote. The result's
    ``text`` is what the user may see: the supported sentences, and when
    anything was taken out a note (headed "核验说明") saying what and why.
    """
    sources = list(sources)
    facts = facts_from_report(report, previous, notes=_report_texts(report))
    sheet = facts.sheet()
    sheet.years |= set(_regulations().years)
    checked = check_text(answer, facts, section="一", paragraph=1)
    claims = check_claims(facts, [("一", 1, answer)])
    issues, _ = merge_issues(checked.issues, claims)

    spans = sentence_bounds(answer, _SENTENCE_END)
    doomed: dict[int, list[GuardIssue]] = {}
    kept_issues = []
    for issue in issues:
        k = next((i for i, (a, b) in enumerate(spans) if a <= issue.start < b), None)
        if k is None:
            continue
        a, b = spans[k]
        sentence = answer[a:b]
        if not issue.is_claim and _regulation_figure(answer, issue, sentence, sources):
            continue
        if issue.is_claim and _QUOTING.search(sentence):
            continue  # what the report says, reported: its figures are the report's own
        doomed.setdefault(k, []).append(issue)
        kept_issues.append(issue)

    body_parts = []
    removed = []
    for k, (a, b) in enumerate(spans):
        piece = answer[a:b]
        if k in doomed:
            removed.append(piece.strip())
            if piece.endswith("\n"):
                body_parts.append("\n")
        else:
            body_parts.append(piece)
    body = re.sub(r"\n{3,}", "\n\n", "".join(body_parts)).strip()
    note = _note(removed, doomed, spans, answer) if removed else ""
    text = f"{body}\n\n{note}".strip() if note else body
    return GuardedAnswer(text=text, body=body, note=note, removed=removed, issues=kept_issues,
                         figures_checked=checked.checked, claims_checked=claims.checked)


def _note(removed: list[str], doomed: dict[int, list[GuardIssue]], spans, answer: str) -> str:
    lines = [f"**{NOTE_MARK}**：回答中有{len(removed)}句话的数字或说法无法由本报告核实或与报告表格不符，已删去："]
    for k in sorted(doomed):
        reasons = "；".join(dict.fromkeys(_reason(i) for i in doomed[k]))
        lines.append(f"- {reasons}")
    return "\n".join(lines)


def _reason(issue: GuardIssue) -> str:
    # The reason, never the removed words themselves: the note must not repeat a wrong figure as if it stood.
    if issue.is_claim:
        reason = re.sub(r"“[^”]*”", "这一说法", issue.reason, count=1)
        return reason.replace("叙述称", "回答称", 1).replace("叙述中", "回答中", 1)
    return issue.reason


__all__ = ["GuardedAnswer", "NOTE_MARK", "guard_answer"]
