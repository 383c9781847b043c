"""Report model → findings. Rules are a catalogue (``catalogue.all_rules``)."""

from .catalogue import CheckContext, Rule, all_rules, get_rule, run_checks
from .findings import Finding, Severity, sort_findings

__all__ = [
    "CheckContext",
    "Finding",
    "Rule",
    "Severity",
    "all_rules",
    "get_rule",
    "run_checks",
    "sort_findings",
]
