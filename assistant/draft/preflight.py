"""Before drafting: the figures a complete report needs and the facts lack, and the errors in its tables.

``nianbao draft`` and the workspace's draft tab ask this one function and
show its lines the same way; each then says in its own words how to go on
anyway (a command-line option, a tick box), which is why the refusals here
name no option.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .facts import Facts, input_errors, missing_figures

REFUSE_MISSING = "请补齐上述数字后再起草"
REFUSE_ERRORS = "表格数字有误，起草已停止；请先改正"


@dataclass
class Preflight:
    missing: list[str] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)  # error-level findings of the input tables

    @property
    def clear(self) -> bool:
        return not self.missing and not self.errors

    @property
    def missing_heading(self) -> str:
        return f"缺少以下数字（{len(self.missing)}项）："

    @property
    def errors_heading(self) -> str:
        return f"输入表格中有{len(self.errors)}处错误："

    def error_lines(self) -> list[tuple[str, Optional[str]]]:
        """(the error, its computation) for each error, as both callers print them."""
        return [(f"{f.code} {f.location}：{f.message}", f.computation or None) for f in self.errors]

    @property
    def refusal(self) -> str:
        """Why drafting stops, the first reason first (missing figures, then table errors)."""
        if self.missing:
            return REFUSE_MISSING
        if self.errors:
            return REFUSE_ERRORS
        return ""


def preflight(facts: Facts, sections: Optional[list[str]] = None) -> Preflight:
    return Preflight(missing=missing_figures(facts, sections), errors=input_errors(facts))
