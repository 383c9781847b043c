"""Checking files and folders: parse, check, and keep unreadable inputs apart.

A process pool spreads files over ``jobs`` workers; results come back in the
order the files were given, so output is the same whatever ``jobs`` is.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel, Field

from ..model import Report
from ..parse import ReadError, parse_file
from .catalogue import run_checks
from .findings import Finding, Severity

REPORT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"}


class FileResult(BaseModel):
    file: str
    edition: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    findings: list[Finding] = Field(default_factory=list)
    error: Optional[str] = None  # the Chinese message when the file could not be read

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expand to every report file inside, recursively, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out


def check_report(report: Report, file: str, previous: Optional[Report] = None) -> FileResult:
    return FileResult(
        file=file,
        edition=report.edition,
        agency=report.agency,
        year=report.year,
        findings=run_checks(report, previous),
    )


def check_path(path: str | Path, previous: Optional[Report] = None) -> FileResult:
    try:
        if not Path(path).exists():
            raise ReadError(f"找不到文件：{path}", "not_found")
        report = parse_file(path)
    except ReadError as exc:
        return FileResult(file=str(path), error=exc.message)
    except OSError as exc:
        return FileResult(file=str(path), error=f"无法打开文件：{exc.strerror or exc}")
    return check_report(report, str(path), previous)


def _check_one(args: tuple[Path, Optional[Report]]) -> FileResult:
    path, previous = args
    return check_path(path, previous)


def check_files(paths: list[Path], previous: Optional[Report] = None, jobs: int = 1) -> list[FileResult]:
    if jobs <= 1 or len(paths) <= 1:
        return [check_path(p, previous) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(paths) // (jobs * 8))
        return list(pool.map(_check_one, [(p, previous) for p in paths], chunksize=chunk))
