"""Eval suites over reference reports, and the scoreboard they fill.

``run_suites(["parse", "check"], Context(...))`` returns a ``Scoreboard``;
each suite's cases and thresholds are data in ``evals/suites/<name>.yaml``;
``nianbao eval`` is the one entry point.
"""

from .compare import Change, compare, render_changes
from .context import SUITES, Context, DataFolder, EvalConfigError, default_evals_dir, project_root
from .expected import Expected, ExpectedError, expected_path, load_expected, starting_expected
from .render import FORMATS, render
from .results import Case, Metric, Scoreboard, SuiteResult
from .runner import run_suites

__all__ = [
    "FORMATS",
    "SUITES",
    "Case",
    "Change",
    "Context",
    "DataFolder",
    "EvalConfigError",
    "Expected",
    "ExpectedError",
    "Metric",
    "Scoreboard",
    "SuiteResult",
    "compare",
    "default_evals_dir",
    "expected_path",
    "load_expected",
    "project_root",
    "render",
    "render_changes",
    "run_suites",
    "starting_expected",
]
