"""What the router hands back: Markdown for people, structure for scripts."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field

from ..check import Finding


class SourceRef(BaseModel):
    """A passage an answer rests on."""

    title: str
    snippet: str
    kind: str  # "regulation", "report", or "workspace" for the user's own report
    score: Optional[float] = None
    article: Optional[str] = None  # "第五十条" for a regulation
    source: Optional[str] = None  # file or corpus name


class Answer(BaseModel):
    # check, explain, fix, lookup, compare, yoy, rules, draft, source, help, model, unknown, error
    intent: str
    text: str  # Markdown
    sources: list[SourceRef] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    # The guard's verdict on a draft: figures_checked, figures_supported, unsupported, replaced.
    verdict: Optional[dict[str, Any]] = None
    report: Optional[str] = None  # the workspace report the answer is about
    data: dict[str, Any] = Field(default_factory=dict)  # intent-specific figures (yoy rows, …)
    # Questions the user can ask next with one click (a question not understood gets its three closest).
    suggestions: list[str] = Field(default_factory=list)
