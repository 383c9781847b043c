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
from .catalogue import run
from .findings import Finding, Severity
from .pairs import Pairing, pair_reports

__all__ = ["REPORT_SUFFIXES", "FileResult", "check_files", "check_pairs", "check_path", "check_report", "collect"]


class FileResult(BaseModel):
    file: str
    edition: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    findings: list[Finding] = Field(default_factory=list)
    error: Optional[str] = None  # the Chinese message when the file could not be read
    skipped: Optional[str] = None  # why a file found in a folder was not checked: it is not a report
    rules_run: int = 0  # rules that ran on the report
    rules_unchecked: list[str] = Field(default_factory=list)  # codes that could not check every cell they needed
    previous: Optional[str] = None  # last year's report it was checked against, when there was one
    pairing: Optional[str] = None  # how that report was found to be the same agency's (Chinese)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expand to the reports inside, recursively, sorted."""
    return find_reports(paths).reports


def check_report(report: Report, file: str, previous: Optional[Report] = None) -> FileResult:
    done = run(report, previous)
    return FileResult(
        file=file,
        edition=report.edition,
        agency=report.agency,
        year=report.year,
        findings=done.findings,
        rules_run=len(done.rules_run),
        rules_unchecked=done.unchecked,
    )


def read_path(path: str | Path, optional: bool = False) -> Report | FileResult:
    """The report in a file, or the result that says why there is none.

    ``optional``: the file was found in a folder, so one that is not a report is skipped, not an error.
    """
    try:
        return parse_file(path)  # says in Chinese why a file cannot be opened: missing, a loop, no permission …
    except ReadError as exc:
        if optional and exc.code == "not_a_report":
            return FileResult(file=str(path), skipped=exc.message)
        return FileResult(file=str(path), error=exc.message)
    except OSError as exc:
        return FileResult(file=str(path), error=f"无法打开文件：{os_reason(exc)}")


def check_path(path: str | Path, previous: Optional[Report] = None, optional: bool = False) -> FileResult:
    """``optional``: the file was found in a folder, so one that is not a report is skipped, not an error."""
    read = read_path(path, optional)
    if isinstance(read, FileResult):
        return read
    return check_report(read, str(path), previous)


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


def _read_one(args: tuple[Path, bool]) -> Report | FileResult:
    return read_path(*args)


def _check_paired(args: tuple[Report, str, Optional[Report], Optional[Pairing]]) -> FileResult:
    report, file, previous, pairing = args
    result = check_report(report, file, previous)
    if pairing is not None:
        result.previous, result.pairing = pairing.previous, pairing.how
    return result


def check_pairs(paths: list[Path], jobs: int = 1,
                optional: Iterable[Path] = ()) -> tuple[list[FileResult], dict[str, Pairing]]:
    """Every report checked against the same agency's report for the year before, when ``paths`` hold one.

    All files are read first, then paired (``pairs.pair_reports``), then checked; results come back in
    the order of ``paths``, with the pairings made.
    """
    loose = set(optional)
    jobs_in = [(p, p in loose) for p in paths]
    if jobs <= 1 or len(paths) <= 1:
        read = [_read_one(a) for a in jobs_in]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            read = list(pool.map(_read_one, jobs_in, chunksize=max(1, len(paths) // (jobs * 8))))
    reports = [(str(p), r) for p, r in zip(paths, read) if isinstance(r, Report)]
    pairings = pair_reports(reports)
    by_file = dict(reports)
    work = [(r, f, by_file[pairings[f].previous] if f in pairings else None, pairings.get(f)) for f, r in reports]
    if jobs <= 1 or len(work) <= 1:
        checked = [_check_paired(w) for w in work]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            checked = list(pool.map(_check_paired, work, chunksize=max(1, len(work) // (jobs * 8))))
    done = {r.file: r for r in checked}
    results = [done[str(p)] if isinstance(r, Report) else r for p, r in zip(paths, read)]
    return results, pairings
