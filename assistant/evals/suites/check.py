"""Check suite: the findings against the expected findings, matched by rule code and references.

Precision = matched findings / findings reported; recall = matched / expected.
A finding matches an expected one with the same identity (rule code and the
cells, quotes or area it points at, ``Finding.identity``) when its
severity and figures agree with what the file states, and it is listed where
the file lists it: on its own, or under the same cause (``consequences``).
"False errors" are error-level findings nobody expected: the number a
reviewer cares most about.

Cases come in sets: the project's reference reports ("reference") and each
data folder ("real" for ../shared/realdata). For every set the suite gives a
precision/recall table by severity (metrics ``<set>.<severity>_precision`` and
``<set>.<severity>_recall``), and it counts the known non-findings that fired:
claims read right that a checker gets wrong, consistent parts, scope traps
(``not_expected``), each one a false alarm a reviewer would have to dismiss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ...check import Finding, Severity, run_checks
from ...parse import ReadError
from ...yamlfile import read_mapping
from ..cases import ReportCase, folder_cases, reference_cases
from ..context import Context, DataFolder, EvalConfigError
from ..expected import (
    Expected,
    ExpectedError,
    ExpectedFinding,
    NotExpected,
    expected_path,
    load_expected,
    parse_findings,
    parse_not_expected,
)
from ..results import Case, Metric, SuiteResult

SEVERITIES = ("error", "warning", "info")
_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
_SET_LABEL = {"real": "真实报告", "reference": "参考报告"}


@dataclass
class CheckCase:
    case: ReportCase
    set: str  # "reference", "real", or a data folder's name
    not_expected: list[NotExpected] = field(default_factory=list)


@dataclass
class CaseScore:
    expected: int = 0
    found: int = 0
    matched: int = 0
    false_errors: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)  # known non-findings that were reported
    error: str = ""
    # per severity: (expected, found, matched)
    by_severity: dict[str, list[int]] = field(default_factory=lambda: {s: [0, 0, 0] for s in SEVERITIES})


def _describe(code: str, severity: str | None, location: str, expected: Any = None, actual: Any = None) -> str:
    figures = f"（期望 {expected}，实际 {actual}）" if expected is not None or actual is not None else ""
    return f"{code} {severity or ''} {location}{figures}".replace("  ", " ")


def _flat(found: list[Finding]) -> list[tuple[Finding, Optional[str]]]:
    """Every finding with the identity of the one it is listed under (None at the top)."""
    out: list[tuple[Finding, Optional[str]]] = []

    def walk(f: Finding, parent: Optional[str]) -> None:
        out.append((f, parent))
        for c in f.consequences:
            walk(c, f.identity())

    for f in found:
        walk(f, None)
    return out


def match(expected: list[ExpectedFinding], found: list[Finding],
          not_expected: Optional[list[NotExpected]] = None) -> CaseScore:
    """One-to-one matching: a finding counts for at most one expected finding, listed in the same place."""
    wanted = [pair for e in expected for pair in e.all_expected()]
    left = _flat(found)
    score = CaseScore(expected=len(wanted), found=len(left))
    for want, parent in wanted:
        sev = want.severity or "info"
        score.by_severity[sev][0] += 1
        hit = next((fp for fp in left if fp[1] == parent and want.matches(fp[0])), None)
        if hit is None:
            score.missed.append(_describe(want.code, want.severity, want.location, want.expected, want.actual))
        else:
            left.remove(hit)
            score.matched += 1
            score.by_severity[hit[0].severity.value][2] += 1
    for f, _ in _flat(found):
        score.by_severity[f.severity.value][1] += 1
    for f, _ in left:
        score.extra.append(_describe(f.code, f.severity.value, f.location, f.expected, f.actual))
        score.false_errors += f.severity is Severity.error
    for rule in not_expected or []:
        if any(rule.fired_by(f) for f, _ in _flat(found)):
            score.fired.append(rule.describe())
    return score


def score_case(ctx: Context, c: CheckCase) -> CaseScore:
    case = c.case
    try:
        report = ctx.parse(case.path)
        previous = ctx.parse(case.previous) if case.previous else None
    except ReadError as exc:
        return CaseScore(expected=len(case.expected.findings or []), error=exc.message,
                         missed=[f"无法读取：{exc.message}"])
    return match(case.expected.findings or [], run_checks(report, previous), c.not_expected)


# ------------------------------------------------------------------ cases


def _findings_file(folder: DataFolder, path: Path, name: str) -> list[CheckCase]:
    """A data folder's findings file: report file name -> {previous, findings, not_expected}."""
    try:
        data = read_mapping(path, "期望问题文件", EvalConfigError)
    except ExpectedError as exc:
        raise EvalConfigError(exc.message) from None
    out = []
    for file, entry in data.items():
        entry = entry or {}
        report = folder.reports / str(file)
        if not report.is_file():
            raise EvalConfigError(f"{path.name} 列出的报告 {file} 不在 {folder.reports} 中。")
        exp_path = expected_path(report, folder.expected)
        edition = None
        if exp_path.is_file():
            described = load_expected(exp_path)
            if described.report in (None, str(file)):
                if described.findings is not None:
                    raise EvalConfigError(f"{file} 的期望问题在 {exp_path.name} 和 {path.name} 里都写了，只能写在一处。")
                edition = described.edition
        where = f"{path.name} {file}"
        try:
            findings = parse_findings(entry.get("findings") or [], f"{where} findings", edition)
            not_expected = parse_not_expected(entry.get("not_expected") or [], f"{where} not_expected")
        except ExpectedError as exc:
            raise EvalConfigError(exc.message) from None
        previous = folder.reports / entry["previous"] if entry.get("previous") else None
        out.append(CheckCase(ReportCase(str(file), report, Expected(findings=findings, edition=edition), previous),
                             name, not_expected))
    return out


def check_cases(ctx: Context, spec: dict[str, Any]) -> tuple[list[CheckCase], list[str]]:
    """The reference reports, then each data folder: by its findings file, or by its expected files."""
    cases = [CheckCase(c, "reference") for c in reference_cases(ctx, spec)]
    banned = (spec.get("reference") or {}).get("not_expected") or {}
    for c in cases:
        slug = c.case.name.split("/", 1)[0]
        try:
            c.not_expected = parse_not_expected(banned.get(slug) or [], f"reference not_expected {slug}")
        except ExpectedError as exc:
            raise EvalConfigError(exc.message) from None
    notes: list[str] = []
    seen: set[Path] = set()
    entries = [e for e in spec.get("data") or []]
    folders: list[tuple[DataFolder, dict[str, Any]]] = []
    for entry in entries:
        reports = ctx.path(entry["reports"])
        if not reports.is_dir():
            if entry.get("optional"):
                continue
            raise EvalConfigError(f"找不到数据文件夹 {entry['reports']}。")
        folders.append((DataFolder(reports, ctx.path(entry["expected"]) if entry.get("expected") else None), entry))
    folders += [(f, {}) for f in ctx.data]
    for folder, entry in folders:
        if folder.reports.resolve() in seen:
            continue
        seen.add(folder.reports.resolve())
        name = str(entry.get("name") or folder.reports.name)
        if entry.get("findings"):
            cases += _findings_file(folder, ctx.path(entry["findings"]), name)
            continue
        more, why = folder_cases(folder)
        notes += why
        cases += [CheckCase(c, name) for c in more if c.expected.findings is not None]
    return cases, notes


# ------------------------------------------------------------------ the suite


def _share(part: int, whole: int) -> float:
    # Nothing expected and nothing reported is a perfect score, not a division by zero.
    return part / whole if whole else 1.0


def _table(scores: list[tuple[CheckCase, CaseScore]], th: dict[str, Any]) -> list[Metric]:
    """Per set and severity: precision (matched / reported) and recall (matched / expected)."""
    metrics: list[Metric] = []
    for name in dict.fromkeys(c.set for c, _ in scores):
        mine = [s for c, s in scores if c.set == name]
        label = _SET_LABEL.get(name, name)
        for sev in SEVERITIES:
            want = sum(s.by_severity[sev][0] for s in mine)
            got = sum(s.by_severity[sev][1] for s in mine)
            hit = sum(s.by_severity[sev][2] for s in mine)
            for kind, value, detail, what in (("precision", _share(hit, got), f"{hit}/{got}", "精确率"),
                                              ("recall", _share(hit, want), f"{hit}/{want}", "召回率")):
                key = f"{name}.{sev}_{kind}"
                metrics.append(Metric(name=key, label=f"{label}·{_LABEL[sev]}{what}", value=value,
                                      threshold=th.get(key), detail=detail))
        fired = sum(len(s.fired) for s in mine)
        listed = sum(len(c.not_expected) for c, _ in scores if c.set == name)
        key = f"{name}.not_expected"
        metrics.append(Metric(name=key, label=f"{label}·不应报出却报出的问题", value=fired, better="lower",
                              percent=False, threshold=th.get(key), detail=f"{fired}/{listed} 条"))
    return metrics


def run(ctx: Context, spec: dict[str, Any]) -> SuiteResult:
    cases, notes = check_cases(ctx, spec)
    th = spec.get("thresholds") or {}
    scores = [(c, score_case(ctx, c)) for c in cases]
    expected = sum(s.expected for _, s in scores)
    found = sum(s.found for _, s in scores)
    matched = sum(s.matched for _, s in scores)
    false_errors = sum(s.false_errors for _, s in scores)
    exact = sum(1 for _, s in scores if not s.missed and not s.extra and not s.fired)

    def case_score(s: CaseScore) -> float:
        return _share(s.matched, s.expected + len(s.extra) + len(s.fired))

    worst = sorted(((c, s) for c, s in scores if s.missed or s.extra or s.fired),
                   key=lambda cs: (case_score(cs[1]), cs[0].case.name))
    return SuiteResult(
        name="check",
        title=spec.get("title", "检查"),
        cases=len(cases),
        notes=notes,
        metrics=[
            Metric(name="recall", label="召回率（应发现的问题）", value=_share(matched, expected),
                   threshold=th.get("recall"), detail=f"{matched}/{expected}"),
            Metric(name="precision", label="精确率（报告的问题）", value=_share(matched, found),
                   threshold=th.get("precision"), detail=f"{matched}/{found}"),
            Metric(name="false_errors", label="错误级误报", value=false_errors, better="lower", percent=False,
                   threshold=th.get("false_errors"), detail=f"{false_errors} 项"),
            Metric(name="exact_reports", label="问题清单完全一致的报告", value=_share(exact, len(cases)),
                   threshold=th.get("exact_reports"), detail=f"{exact}/{len(cases)}"),
            *_table(scores, th),
        ],
        worst=[
            Case(name=c.case.name, link=ctx.link(c.case.path), score=case_score(s),
                 note="；".join([f"漏报 {m}" for m in s.missed[:3]] + [f"多报 {x}" for x in s.extra[:3]]
                               + [f"不应报出 {x}" for x in s.fired[:3]]))
            for c, s in worst[: ctx.worst]
        ],
    )
