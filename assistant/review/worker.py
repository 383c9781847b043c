"""One report's work, as a worker process does it: read, parse, check what needs no other report.

Cross-year rules need last year's report, which is known only once every
report of the audit has been read and paired; ``cross_year`` runs just those
rules afterwards, on the parsed reports. Everything a worker sends back is
plain data (strings, numbers, the report as compressed JSON).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from ..check import Finding, all_rules, run_checks
from ..errors import ReadError
from ..model import Report
from ..model.report import Certainty
from ..parse import parse_bytes
from ..resources import package_path
from .keys import agency_key
from .sources import Source, SourceUnreadable, content_hash


@dataclass
class Parsed:
    name: str
    content_hash: str  # "" when the bytes could not be read
    size: int = 0
    status: str = "ok"  # "ok", "unreadable", or "skipped" (found in a folder, not a report)
    error: Optional[str] = None
    format: Optional[str] = None
    agency: Optional[str] = None
    agency_key: Optional[str] = None
    year: Optional[int] = None
    edition: Optional[str] = None
    unread: int = 0
    uncertain: int = 0
    unreadable_tables: dict[str, str] = field(default_factory=dict)
    blob: Optional[bytes] = None
    findings: list[dict[str, Any]] = field(default_factory=list)  # findings_data(), in the checker's order


@lru_cache(maxsize=1)
def checker_version() -> str:
    """A hash of the reader and the rules (their code and data): a report checked by other ones is checked again."""
    root = package_path()
    h = hashlib.sha256()
    for stage in ("model", "parse", "check"):
        for f in sorted((root / stage).rglob("*")):
            if f.suffix in (".py", ".yaml") and f.is_file():
                h.update(str(f.relative_to(root)).encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def cross_year_codes() -> frozenset[str]:
    """The rules that compare a report with last year's (they run only when a pair is found)."""
    return frozenset(r.code for r in all_rules() if r.needs_previous)


def _clean(text: Optional[str]) -> Optional[str]:
    """Text as a database keeps it: PostgreSQL refuses NUL characters, which no report means anyway."""
    return text.replace("\x00", "") if text else text


def finding_data(f: Finding) -> dict[str, Any]:
    refs = f.model_dump(mode="json", include={"cells", "spans", "area"})
    data = {
        "identity": f.identity(),
        "code": f.code,
        "severity": f.severity.value,
        "location": f.location,
        "message": f.message,
        "computation": f.computation,
        "basis": f.basis,
        "expected": None if f.expected is None else json.dumps(f.expected, ensure_ascii=False),
        "actual": None if f.actual is None else json.dumps(f.actual, ensure_ascii=False),
        "refs": json.dumps(refs, ensure_ascii=False, sort_keys=True),
    }
    return {k: _clean(v) for k, v in data.items()}


def findings_data(findings: list[Finding]) -> list[dict[str, Any]]:
    """Every finding as plain data, in the checker's order; a root cause's consequences (and theirs) follow it,
    each with ``cause``: the identity of the finding at the top that it follows from (None for that one)."""
    out = []
    for top in findings:
        out.append({**finding_data(top), "cause": None})
        stack = list(reversed(getattr(top, "consequences", None) or []))
        while stack:
            f = stack.pop()
            out.append({**finding_data(f), "cause": top.identity()})
            stack.extend(reversed(getattr(f, "consequences", None) or []))
    return out


def pack(report: Report) -> bytes:
    return zlib.compress(report.model_dump_json().encode("utf-8"), 6)


def unpack(blob: bytes) -> Report:
    return Report.model_validate_json(zlib.decompress(blob))


def cell_counts(report: Report) -> tuple[int, int]:
    """Cells of tables 二, 三 and 四 not read (unreadable) and read with doubt (uncertain)."""
    unread = uncertain = 0
    rows = [row for block in report.table2.values() for row in block.values()]
    rows += list(report.table3.values()) + list(report.table4.values())
    for row in rows:
        for cell in row.values():
            if cell.certainty is Certainty.unreadable:
                unread += 1
            elif cell.certainty is Certainty.uncertain:
                uncertain += 1
    return unread, uncertain


def read_and_check(source: Source) -> Parsed:
    """Read ``source``, parse it and run every rule that needs no other report. Never raises."""
    try:
        data = source.read()
    except SourceUnreadable as exc:
        return Parsed(source.name, "", status="unreadable", error=str(exc))
    out = Parsed(source.name, content_hash(data), size=len(data))
    try:
        report = parse_bytes(data, source.name.rsplit("/", 1)[-1])
        findings = run_checks(report)
    except ReadError as exc:
        out.status = "skipped" if source.optional and exc.code == "not_a_report" else "unreadable"
        out.error = _clean(exc.message)
        return out
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop an audit of hundreds
        out.status = "unreadable"
        out.error = f"读取时程序出错（{type(exc).__name__}），请把这个文件交给维护者。"
        return out
    out.format = report.format
    out.agency = _clean(report.agency)
    out.agency_key = _clean(agency_key(report.agency))
    out.year = report.year
    out.edition = report.edition
    out.unread, out.uncertain = cell_counts(report)
    out.unreadable_tables = dict(report.unreadable_tables)
    out.blob = pack(report)
    out.findings = findings_data(findings)
    return out


def cross_year(report: Report, previous: Report) -> list[dict[str, Any]]:
    return findings_data(run_checks(report, previous, codes=cross_year_codes()))
