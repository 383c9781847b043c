"""What a rule reports: one located, explained problem with its figures."""

from __future__ import annotations

from enum import Enum
from typing import Optional, Union

from pydantic import BaseModel, Field, computed_field

from ..model.refs import AreaRef, CellRef, SpanRef, identity
from .locations import render

Figure = Union[int, float, str, None]


class Severity(str, Enum):
    error = "error"  # arithmetic or logic that cannot be right
    warning = "warning"  # likely wrong or not compliant
    info = "info"  # worth a look

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Finding(BaseModel):
    """One problem. Where it is, is data: ``cells``, ``spans`` and ``area``.

    ``cells`` are the table cells it is about; ``spans`` the quotes in the
    narrative, the first being where it is and any others what it is compared
    with; ``area`` a larger part (a column, a table, the report's structure).
    ``location`` is rendered from them for people; code matches on
    ``identity()``.
    """

    code: str
    severity: Severity
    message: str  # one Chinese sentence
    cells: list[CellRef] = Field(default_factory=list)
    spans: list[SpanRef] = Field(default_factory=list)
    area: Optional[AreaRef] = None
    edition: Optional[str] = None  # the edition the references are read in (short row names, headings)
    # Numbers when the finding is arithmetic, so audit sheets can sort and sum them.
    expected: Figure = None
    actual: Figure = None
    computation: Optional[str] = None  # "4 + 0 + 26 + 5 = 35 ≠ 33"
    basis: str = ""  # the template note or the 条例 article
    # Set on the one "无法核验" finding a rule gives when a cell it needs was not read for sure
    # (uncertain or unreadable): ``cells`` are those cells, ``message`` says why.
    unchecked: bool = False
    # Cells the finding's figures rest on whose values the reader inferred (``Cell.how`` says how);
    # the message or computation says so in words.
    inferred: list[CellRef] = Field(default_factory=list)
    # The findings this one's cause also explains: at a root cause (one mistyped cell, a blank
    # 总计 column), every identity it breaks, each a finding of its own rule. They are not
    # repeated in the report's list; they are shown under the cause.
    consequences: list["Finding"] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def location(self) -> str:
        """As a person reads it: "表三 （七）总计 × 自然人"."""
        return render(self.cells, [s.key() for s in self.spans], self.area, self.edition)

    def identity(self) -> str:
        """Rule code and references: the same on every run, whatever the wording or order."""
        return identity(self.code, self.cells, [s.key() for s in self.spans], self.area)

    def all_findings(self) -> list["Finding"]:
        """This finding and, after it, its consequences (and theirs)."""
        out = [self]
        for c in self.consequences:
            out.extend(c.all_findings())
        return out

    def sort_key(self) -> tuple[int, tuple[int, int, str], str]:
        return (self.severity.rank, _code_order(self.code), self.location)


def _code_order(code: str) -> tuple[int, int, str]:
    # R (root causes of table arithmetic) sorts with the table identities it groups.
    family = {"P": 0, "R": 1, "I": 2, "N": 3, "X": 4}.get(code[:1], 9)
    digits = "".join(ch for ch in code[1:] if ch.isdigit())
    return (family, int(digits) if digits else 0, code)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


Finding.model_rebuild()  # consequences are Findings
