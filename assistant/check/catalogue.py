"""The rule catalogue: every rule registered once, with its documentation.

Rules live in ``table_rules``, ``narrative_rules`` and ``cross_year``; each
registers itself with :func:`rule`. ``run_checks`` runs the ones that apply to
a report's edition (and the cross-year ones when last year's report is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Union

from ..model import Cell, Certainty, Edition, Report, editions, get_edition
from ..model.refs import AreaKind, AreaRef, CellRef, SpanRef
from . import reads
from .example_files import read_example_file
from .findings import Figure, Finding, Severity, sort_findings
from .locations import cells_text
from .reads import Key, ReadLog, RuleReads, ref_of
from .tables import Sum

if TYPE_CHECKING:
    from .narrative import NarrativeAnalysis

CheckFn = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Chinese, one line
    severity: Severity  # the usual severity; a finding may say otherwise
    explanation: str  # Chinese paragraph, with an example
    basis: str  # template note or 条例 article
    check: Callable[["CheckContext"], Iterable[Finding]] = field(repr=False)
    needs_previous: bool = False
    # Runs after every other rule and reads their findings (``CheckContext.found``): the
    # root-cause rule, which gathers the findings one cause explains under it.
    groups: bool = False
    # Judges how cells are written (blank, units, labels), not what figures add up to: its
    # findings are never the consequence of a wrong figure.
    form: bool = False

    def applies_to(self, edition: str) -> bool:
        """Every rule applies unless the edition's YAML leaves it out (``rules_left_out``)."""
        return self.code not in get_edition(edition).rules_left_out

    @property
    def editions(self) -> tuple[str, ...]:
        return tuple(e for e in editions() if self.applies_to(e))

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
    needs_previous: bool = False,
    groups: bool = False,
    form: bool = False,
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function ``(ctx) -> Iterable[Finding]`` under ``code``."""

    def register(fn: CheckFn) -> CheckFn:
        if code in _REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        _REGISTRY[code] = Rule(
            code=code,
            title=title,
            severity=severity,
            explanation=explanation,
            basis=basis,
            check=fn,
            needs_previous=needs_previous,
            groups=groups,
            form=form,
        )
        return fn

    return register


# The rule modules register their rules when imported; the package (check/__init__.py)
# imports them, so the catalogue is complete whenever any part of the checker is loaded,
# and the catalogue itself imports none of them.


def all_rules() -> list[Rule]:
    from .findings import _code_order

    return sorted(_REGISTRY.values(), key=lambda r: _code_order(r.code))


def get_rule(code: str) -> Optional[Rule]:
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
        # For the rules that run last (``Rule.groups``): the other rules' findings and what they read.
        self.found: list[Finding] = []
        self.reads: Optional[ReadLog] = None
        self.selected: list[Rule] = []  # the rules this run runs
        self._used: set[int] = set()  # findings whose rule named the cells it used

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
        used: Iterable[Union[Sum, Cell]] = (),
        consequences: Iterable[Finding] = (),
    ) -> Finding:
        """A finding of the running rule. ``used``: the sums and cells its figures come from,
        so that it can say which of them were inferred (without it, the cells the rule read
        since its last finding are taken)."""
        assert self.rule is not None
        f = Finding(
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
            consequences=list(consequences),
        )
        used = list(used)
        if used and self.reads is not None:
            self._used.add(id(f))
            note_inferred(f, _inferred_in(used, self.reads), self.edition)
        return f

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


def _inferred_in(used: list[Union[Sum, Cell]], log: ReadLog) -> dict[Key, Cell]:
    cells: list[Cell] = []
    for u in used:
        cells.extend(u.cells if isinstance(u, Sum) else [u])
    wanted = {id(c) for c in cells if c.certainty is Certainty.inferred}
    if not wanted or log.current is None:
        return {}
    return {k: c for k, c in log.current.inferred.items() if id(c) in wanted}


def note_inferred(f: Finding, cells: dict[Key, Cell], edition: Edition) -> None:
    """Say on ``f`` that the figures in ``cells`` were inferred by the reader, and how."""
    if not cells:
        return
    refs = [ref_of(k) for k in cells]
    f.inferred = refs
    by_how: dict[str, list[CellRef]] = {}
    for ref, c in zip(refs, cells.values()):
        by_how.setdefault(c.how or "由读取规则推断", []).append(ref)
    parts = []
    for how, where in list(by_how.items())[:2]:
        more = f"等{len(where)}格" if len(where) > 3 else ""
        parts.append(f"{cells_text(where[:3], edition)}{more}（{how}）")
    if len(by_how) > 2:
        parts.append(f"另有{sum(len(w) for w in list(by_how.values())[2:])}格")
    note = "所用数值含推断值：" + "；".join(parts)
    f.computation = f"{f.computation}。{note}" if f.computation else note


def _unchecked(ctx: CheckContext, rule: Rule, reads: RuleReads) -> Finding:
    """The one "无法核验" finding of a rule that needed cells the reader did not read for sure."""
    rep = ctx.report
    reasons: list[str] = []
    for key, cell in [*reads.unread.items(), *reads.unread_previous.items()]:
        why = rep.unreadable_tables.get(key[0]) if key in reads.unread else None
        why = why or cell.how or {Certainty.uncertain: "读取时无法确定该格的数值属于哪一格"}.get(
            cell.certainty, "未能读出该格的数值")
        if why not in reasons:
            reasons.append(why)
    refs = [ref_of(k) for k in reads.unread]
    parts = []
    if refs:
        more = f"等{len(refs)}格" if len(refs) > 3 else ""
        parts.append(f"{cells_text(refs[:3], ctx.edition)}{more}")
    if reads.unread_previous:
        parts.append(f"上年报告中的{len(reads.unread_previous)}格")
    shown = "；".join(reasons[:2]) + (f"；另有{len(reasons) - 2}种原因" if len(reasons) > 2 else "")
    f = Finding(
        code=rule.code,
        severity=Severity.info,
        message=f"无法核验：本规则需要的{'、'.join(parts)}未能可靠读出，没有据此计算，请人工核对。",
        cells=refs,
        area=None if refs else AreaRef(kind=AreaKind.previous),
        edition=ctx.edition.id,
        computation=f"未能读出的原因：{shown}",
        basis=rule.basis,
        unchecked=True,
    )
    return f


@dataclass
class CheckRun:
    """One report's check: the findings, and which rules ran and which could not check everything."""

    findings: list[Finding]
    rules_run: list[str]
    unchecked: list[str]  # codes of the rules that gave a "无法核验" finding

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def run(
    report: Report,
    previous: Optional[Report] = None,
    *,
    codes: Optional[Iterable[str]] = None,
    strict: bool = False,
    exclude: Iterable[str] = (),
    narrative: Optional[NarrativeAnalysis] = None,
) -> CheckRun:
    """Every finding for ``report``, errors first, with what ran. The report is never modified.

    ``strict`` lets a failing rule raise (for tests); otherwise the failure is
    reported as a finding so that one broken rule does not hide the others.
    ``exclude`` and ``narrative`` are for the root-cause analysis, which re-runs
    some rules on a corrected copy of the report with the same narrative.
    """
    ctx = CheckContext(report, previous)
    if narrative is not None:
        ctx.__dict__["narrative"] = narrative  # the cached_property's slot
    wanted = {c.upper() for c in codes} if codes else None
    skip = {c.upper() for c in exclude}
    ctx.selected = [
        r for r in all_rules()
        if (wanted is None or r.code in wanted) and r.code not in skip and r.applies_to(report.edition)
        and not (r.needs_previous and previous is None)
    ]
    log = ReadLog(report, previous)
    ctx.reads = log
    token = reads.start(log)
    unchecked: list[str] = []
    try:
        for r in [r for r in ctx.selected if not r.groups] + [r for r in ctx.selected if r.groups]:
            ctx.rule = r
            rule_reads = log.begin(r.code)
            new: list[Finding] = []
            try:
                for f in r.check(ctx):
                    window = log.take_window()
                    if id(f) not in ctx._used and not f.inferred:
                        note_inferred(f, window, ctx.edition)
                    new.append(f)
            except Exception as exc:  # noqa: BLE001 - reported, not swallowed
                if strict:
                    raise
                new.append(
                    ctx.finding(
                        f"规则 {r.code} 未能完成检查（{type(exc).__name__}: {exc}），请人工核对。",
                        area=AreaRef(kind=AreaKind.report),
                        severity=Severity.info,
                    )
                )
            finally:
                log.end()
            if any(f.unchecked for f in new):
                unchecked.append(r.code)  # the rule said itself what it could not check
            elif rule_reads.unread or rule_reads.unread_previous:
                new.append(_unchecked(ctx, r, rule_reads))
                unchecked.append(r.code)
            if r.groups:
                gathered = {id(c) for f in new for c in f.consequences}
                ctx.found = [f for f in ctx.found if id(f) not in gathered]
            ctx.found.extend(new)
    finally:
        reads.stop(token)
        ctx.rule = None
    return CheckRun(sort_findings(ctx.found), [r.code for r in ctx.selected], unchecked)


def run_checks(
    report: Report,
    previous: Optional[Report] = None,
    *,
    codes: Optional[Iterable[str]] = None,
    strict: bool = False,
) -> list[Finding]:
    """Every finding for ``report``, errors first. The report is never modified."""
    return run(report, previous, codes=codes, strict=strict).findings
