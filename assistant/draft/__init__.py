"""Draft the narrative from the numbers, with every figure guarded.

``draft_report(facts)`` writes the preamble, 一、总体情况 (five parts), 五 and
六 around the tables of the facts, offline by default or with a model behind
an OpenAI-compatible endpoint; ``guard(text, facts)`` checks any text's
numbers against the facts and their declared derivations.
"""

from .compose import DraftError, DraftResult, draft_report, normalise_sections
from .facts import ExtraFigure, Facts, facts_from_report, input_errors, load_facts, missing_figures
from .guard import GuardIssue, GuardVerdict, Replacement, Support, check_text, guard
from .settings import LLMSettings, SettingsError

__all__ = [
    "DraftError",
    "DraftResult",
    "ExtraFigure",
    "Facts",
    "GuardIssue",
    "GuardVerdict",
    "LLMSettings",
    "Replacement",
    "SettingsError",
    "Support",
    "check_text",
    "draft_report",
    "facts_from_report",
    "guard",
    "input_errors",
    "load_facts",
    "missing_figures",
    "normalise_sections",
]
