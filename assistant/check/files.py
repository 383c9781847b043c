"""Checking files and folders: parse, check, and keep unreadable inputs apart.

A process pool spreads files over ``jobs`` workers; results come back in the
order the files were given, so output is the same whatever ``jobs`` is.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel, Field

from ..errors import os_reason
from ..model import Report
from ..parse import ReadError, parse_file
from ..parse.files import REPORT_SUFFIXES, find_reports
from .catalogue import run_checks
from .findings import Finding, Severity

__all__ = ["REPORT_SUFFIXES", "FileResult", "check_files", "check_path", "check_report", "collect"]


class FileResult(BaseModel):
    file: str
    edition: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    findings: list[Finding] = Field(default_factory=list)
    error: Optional[str] = None  # the Chinese message when the file could not be read
    skipped: Optional[str] = None  # why a file found in a folder was not checked: it is not a report

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expand to the reports inside, recursively, sorted."""
    return find_reports(paths).reports


def check_report(report: Report, file: str, previous: Optional[Report] = None) -> FileResult:
    return FileResult(
        file=file,
        edition=report.edition,
        agency=report.agency,
        year=report.year,
        findings=run_checks(report, previous),
    )


def check_path(path: str | Path, previous: Optional[Report] = None, optional: bool = False) -> FileResult:
    """``optional``: the file was found in a folder, so one that is not a report is skipped, not an error."""
    try:
        report = parse_file(path)  # says in Chinese why a file cannot be opened: missing, a loop, no permission …
    except ReadError as exc:
        if optional and exc.code == "not_a_report":
            return FileResult(file=str(path), skipped=exc.message)
        return FileResult(file=str(path), error=exc.message)
    except OSError as exc:
        return FileResult(file=str(path), error=f"无法打开文件：{os_reason(exc)}")
    return check_report(report, str(path), previous)


def _check_one(args: tuple[Path, Optional[Report], bool]) -> FileResult:
    path, previous, optional = args
    return check_path(path, previous, optional)


def check_files(paths: list[Path], previous: Optional[Report] = None, jobs: int = 1,
                optional: Iterable[Path] = ()) -> list[FileResult]:
    """``optional``: files found in folders; those that are not reports come back skipped."""
    loose = set(optional)
    if jobs <= 1 or len(paths) <= 1:
        return [check_path(p, previous, p in loose) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(paths) // (jobs * 8))
        return list(pool.map(_check_one, [(p, previous, p in loose) for p in paths], chunksize=chunk))
