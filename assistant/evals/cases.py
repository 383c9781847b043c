"""The reports the parse and check suites read, each with its expected results.

Two sources: the project's reference reports (``evals/reference/<slug>/``,
every rendering of one ``expected.json``) and data folders (a report file with
``<stem>.expected.yaml`` beside it or in the folder's expected-results folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .context import Context, DataFolder, EvalConfigError
from .expected import Expected, ExpectedError, expected_path, load_expected, parse_findings

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


@dataclass
class ReportCase:
    name: str  # "qinghe-city-2023/report.pdf", "linzi-district-office-2019.txt"
    path: Path
    expected: Expected
    previous: Optional[Path] = None


def reference_cases(ctx: Context, spec: dict[str, Any]) -> list[ReportCase]:
    """``reference: {folder, renderings, findings, previous}`` of a suite file."""
    ref = spec.get("reference")
    if not ref:
        return []
    folder = ctx.path(ref.get("folder", "evals/reference"))
    renderings = ref.get("renderings") or ["report.txt"]
    findings = ref.get("findings") or {}
    previous = ref.get("previous") or {}
    cases = []
    for case_dir in sorted(p.parent for p in folder.glob("*/expected.json")):
        expected = load_expected(case_dir / "expected.json")
        # The reference reports are consistent: nothing is expected unless the suite lists it.
        expected.findings = parse_findings(findings.get(case_dir.name) or [], f"{case_dir.name} findings",
                                           expected.edition)
        prev = previous.get(case_dir.name)
        for rendering in renderings:
            prev_path = folder / prev / rendering if prev else None
            cases.append(ReportCase(f"{case_dir.name}/{rendering}", case_dir / rendering, expected, prev_path))
    return cases


def folder_cases(folder: DataFolder) -> tuple[list[ReportCase], list[str]]:
    """Reports in a data folder that have expected results; and notes on those that do not."""
    if not folder.reports.is_dir():
        raise EvalConfigError(f"找不到数据文件夹 {folder.reports}。")
    cases, notes = [], []
    for path in sorted(folder.reports.iterdir()):
        # A folder's README describes the data; it is not a report.
        if path.suffix.lower() not in REPORT_SUFFIXES or not path.is_file() or path.stem.upper() == "README":
            continue
        exp_path = expected_path(path, folder.expected)
        if not exp_path.is_file():
            notes.append(f"{path.name} 没有期望结果文件 {exp_path.name}，未参加评测（可用 nianbao eval init 生成）。")
            continue
        try:
            expected = load_expected(exp_path)
        except ExpectedError as exc:
            raise EvalConfigError(exc.message) from None
        if expected.report and expected.report != path.name:
            # Two files of one report share a stem (pingtan-2023.html and .txt): the file names which.
            notes.append(f"{path.name} 的期望结果文件 {exp_path.name} 描述的是 {expected.report}，未参加评测。")
            continue
        previous = folder.reports / expected.previous if expected.previous else None
        cases.append(ReportCase(path.name, path, expected, previous))
    return cases, notes


def data_folders(ctx: Context, spec: dict[str, Any]) -> list[DataFolder]:
    """The suite file's ``data`` entries that are present, then the folders given with --data.

    A folder given both ways takes part once, with the suite file's expected-results folder.
    """
    out: list[DataFolder] = []
    for entry in spec.get("data") or []:
        reports = ctx.path(entry["reports"])
        if not reports.is_dir():
            if entry.get("optional"):
                continue
            raise EvalConfigError(f"找不到数据文件夹 {entry['reports']}。")
        expected = ctx.path(entry["expected"]) if entry.get("expected") else None
        out.append(DataFolder(reports, expected))
    seen = {f.reports.resolve() for f in out}
    for folder in ctx.data:
        if folder.reports.resolve() not in seen:
            out.append(folder)
            seen.add(folder.reports.resolve())
    return out


def all_cases(ctx: Context, spec: dict[str, Any]) -> tuple[list[ReportCase], list[str]]:
    cases = reference_cases(ctx, spec)
    notes: list[str] = []
    for folder in data_folders(ctx, spec):
        more, why = folder_cases(folder)
        cases += more
        notes += why
    return cases, notes
