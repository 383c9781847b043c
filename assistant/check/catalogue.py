"""The rule catalogue: every rule registered once, with its documentation.

Rules live in ``table_rules``, ``narrative_rules`` and ``cross_year``; each
registers itself with :func:`rule`. ``run_checks`` runs the ones that apply to
a report's edition (and the cross-year ones when last year's report is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from ..model import Edition, Report, get_edition
from ..model.refs import AreaKind, AreaRef, CellRef, SpanRef
from .example_files import read_example_file
from .findings import Figure, Finding, Severity, sort_findings

if TYPE_CHECKING:
    from .narrative import NarrativeAnalysis

BOTH = ("2019", "2021")
CheckFn = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Chinese, one line
    severity: Severity  # the usual severity; a finding may say otherwise
    editions: tuple[str, ...]
    explanation: str  # Chinese paragraph, with an example
    basis: str  # template note or 条例 article
    check: Callable[["CheckContext"], Iterable[Finding]] = field(repr=False)
    needs_previous: bool = False

    def applies_to(self, edition: str) -> bool:
        return edition in self.editions

    @property
    def failing(self) -> str:
        """The failing example in words; the example itself is data (``examples/<code>.yaml``)."""
        return example_words(self.code, "failing")

    @property
    def passing(self) -> str:
        return example_words(self.code, "passing")


def example_words(code: str, kind: str) -> str:
    """What a rule's failing or passing example shows, in Chinese ("" when it has none)."""
    spec = read_example_file(code.upper()).get(kind)
    return str(spec.get("says") or "") if isinstance(spec, dict) else ""


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    title: str,
    severity: Severity,
    *,
    explanation: str,
    basis: str,
    editions: tuple[str, ...] = BOTH,
    needs_previous: bool = False,
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function ``(ctx) -> Iterable[Finding]`` under ``code``."""

    def register(fn: CheckFn) -> CheckFn:
        if code in _REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        _REGISTRY[code] = Rule(
            code=code,
            title=title,
            severity=severity,
            editions=editions,
            explanation=explanation,
            basis=basis,
            check=fn,
            needs_previous=needs_previous,
        )
        return fn

    return register


def _load() -> None:
    # Importing the rule modules registers them; done lazily so that the
    # catalogue module itself stays importable from the rule modules.
    from . import cross_year, narrative_rules, table_rules  # noqa: F401


def all_rules() -> list[Rule]:
    _load()
    from .findings import _code_order

    return sorted(_REGISTRY.values(), key=lambda r: _code_order(r.code))


def get_rule(code: str) -> Optional[Rule]:
    _load()
    return _REGISTRY.get(code.upper())


class CheckContext:
    """What a rule sees: the report, its edition, last year's report, shared analyses."""

    def __init__(self, report: Report, previous: Optional[Report] = None):
        self.report = report
        self.edition: Edition = get_edition(report.edition)
        self.previous = previous
        self.previous_edition: Optional[Edition] = (
            get_edition(previous.edition) if previous is not None else None
        )
        self.rule: Optional[Rule] = None  # the rule now running

    def finding(
        self,
        message: str,
        *,
        cells: Iterable[CellRef] = (),
        spans: Iterable[SpanRef] = (),
        area: Optional[AreaRef] = None,
        expected: Figure = None,
        actual: Figure = None,
        computation: Optional[str] = None,
        severity: Optional[Severity] = None,
        basis: Optional[str] = None,
    ) -> Finding:
        assert self.rule is not None
        return Finding(
            code=self.rule.code,
            severity=severity or self.rule.severity,
            message=message,
            cells=list(cells),
            spans=list(spans),
            area=area,
            edition=self.edition.id,
            expected=expected,
            actual=actual,
            computation=computation,
            basis=basis or self.rule.basis,
        )

    @property
    def last(self) -> Report:
        """Last year's report, for the rules that need one (``needs_previous``: never run without it)."""
        if self.previous is None:
            raise ValueError("no report for the year before")
        return self.previous

    @property
    def last_edition(self) -> Edition:
        if self.previous_edition is None:
            raise ValueError("no report for the year before")
        return self.previous_edition

    @cached_property
    def narrative(self) -> NarrativeAnalysis:
        # Shared by every narrative rule: sentences, claims and quantities are
        # read once per report.
        from .narrative import NarrativeAnalysis

        return NarrativeAnalysis(self.report, self.edition)


def run_checks(
    report: Report,
    previous: Optional[Report] = None,
    *,
    codes: Optional[Iterable[str]] = None,
    strict: bool = False,
) -> list[Finding]:
    """Every finding for ``report``, errors first. The report is never modified.

    ``strict`` lets a failing rule raise (for tests); otherwise the failure is
    reported as a finding so that one broken rule does not hide the others.
    """
    ctx = CheckContext(report, previous)
    wanted = {c.upper() for c in codes} if codes else None
    findings: list[Finding] = []
    for r in all_rules():
        if wanted is not None and r.code not in wanted:
            continue
        if not r.applies_to(report.edition):
            continue
        if r.needs_previous and previous is None:
            continue
        ctx.rule = r
        try:
            findings.extend(r.check(ctx))
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            if strict:
                raise
            findings.append(
                ctx.finding(
                    f"规则 {r.code} 未能完成检查（{type(exc).__name__}: {exc}），请人工核对。",
                    area=AreaRef(kind=AreaKind.report),
                    severity=Severity.info,
                )
            )
    ctx.rule = None
    return sort_findings(findings)
