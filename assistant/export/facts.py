"""Facts files are read in ``assistant.parse.facts``; kept here for existing callers.

Reading a facts file is document → model, so it belongs to ``parse``, where
the drafter (which may not import ``export``) can use it too.
"""

from ..parse.facts import LEVELS, FactsError, cell_from_value, load_facts, report_from_data, report_from_yaml

__all__ = ["LEVELS", "FactsError", "cell_from_value", "load_facts", "report_from_data", "report_from_yaml"]
