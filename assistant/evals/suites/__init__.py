"""One module per suite; each has ``run(context, spec) -> SuiteResult``.

Modules are imported when their suite runs: the retrieval and chat suites
pull in Chroma and the embedding model, which a parse-only run should not pay for.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from ..context import SUITES, Context
from ..results import SuiteResult


def runner(name: str) -> Callable[[Context, dict[str, Any]], SuiteResult]:
    if name not in SUITES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}").run
