"""Check suite: the findings against the expected findings, matched by rule code and references.

Precision = matched findings / findings reported; recall = matched / expected.
A finding matches an expected one with the same identity (rule code and the
cells, quotes or area it points at, ``Finding.identity``) when its
severity and figures agree with what the file states. "False errors" are
error-level findings nobody expected: the number a reviewer cares most about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...check import Finding, Severity, run_checks
from ...parse import ReadError
from ..cases import ReportCase, all_cases
from ..context import Context
from ..expected import ExpectedFinding
from ..results import Case, Metric, SuiteResult


@dataclass
class CaseScore:
    expected: int = 0
    found: int = 0
    matched: int = 0
    false_errors: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str = ""


def _describe(code: str, severity: str | None, location: str, expected: Any = None, actual: Any = None) -> str:
    figures = f"（期望 {expected}，实际 {actual}）" if expected is not None or actual is not None else ""
    return f"{code} {severity or ''} {location}{figures}".replace("  ", " ")


def match(expected: list[ExpectedFinding], found: list[Finding]) -> CaseScore:
    """One-to-one matching: a finding counts for at most one expected finding."""
    score = CaseScore(expected=len(expected), found=len(found))
    left = list(found)
    for want in expected:
        hit = next((f for f in left if want.matches(f)), None)
        if hit is None:
            score.missed.append(_describe(want.code, want.severity, want.location, want.expected, want.actual))
        else:
            left.remove(hit)
            score.matched += 1
    for f in left:
        score.extra.append(_describe(f.code, f.severity.value, f.location, f.expected, f.actual))
        score.false_errors += f.severity is Severity.error
    return score


def score_case(ctx: Context, case: ReportCase) -> CaseScore:
    try:
        report = ctx.parse(case.path)
        previous = ctx.parse(case.previous) if case.previous else None
    except ReadError as exc:
        return CaseScore(expected=len(case.expected.findings or []), error=exc.message,
                         missed=[f"无法读取：{exc.message}"])
    return match(case.expected.findings or [], run_checks(report, previous))


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    cases, notes = all_cases(ctx, spec)
    # A data report whose expected file states no findings is a parse case only.
    cases = [c for c in cases if c.expected.findings is not None]
    th = spec.get("thresholds") or {}
    scores = [(c, score_case(ctx, c)) for c in cases]
    expected = sum(s.expected for _, s in scores)
    found = sum(s.found for _, s in scores)
    matched = sum(s.matched for _, s in scores)
    false_errors = sum(s.false_errors for _, s in scores)
    exact = sum(1 for _, s in scores if not s.missed and not s.extra)

    def case_score(s: CaseScore) -> float:
        return matched_share(s.matched, s.expected + len(s.extra))

    worst = sorted(((c, s) for c, s in scores if s.missed or s.extra), key=lambda cs: (case_score(cs[1]), cs[0].name))
    return SuiteResult(
        name="check",
        title=spec.get("title", "检查"),
        cases=len(cases),
        notes=notes,
        metrics=[
            Metric(name="recall", label="召回率（应发现的问题）", value=matched_share(matched, expected),
                   threshold=th.get("recall"), detail=f"{matched}/{expected}"),
            Metric(name="precision", label="精确率（报告的问题）", value=matched_share(matched, found),
                   threshold=th.get("precision"), detail=f"{matched}/{found}"),
            Metric(name="false_errors", label="错误级误报", value=false_errors, better="lower", percent=False,
                   threshold=th.get("false_errors"), detail=f"{false_errors} 项"),
            Metric(name="exact_reports", label="问题清单完全一致的报告", value=matched_share(exact, len(cases)),
                   threshold=th.get("exact_reports"), detail=f"{exact}/{len(cases)}"),
        ],
        worst=[
            Case(name=c.name, link=ctx.link(c.path), score=case_score(s),
                 note="；".join([f"漏报 {m}" for m in s.missed[:3]] + [f"多报 {x}" for x in s.extra[:3]]))
            for c, s in worst[: ctx.worst]
        ],
    )


def matched_share(part: int, whole: int) -> float:
    # Nothing expected and nothing reported is a perfect score, not a division by zero.
    return part / whole if whole else 1.0
