"""Report model → findings. Rules are a catalogue (``catalogue.all_rules``)."""

# Importing a rule module registers its rules in the catalogue.
from . import causes, cross_year, narrative_rules, table_rules  # noqa: F401
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
