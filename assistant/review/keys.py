"""What ties a finding to a report across runs, and a report to last year's.

A report is known by its agency (its name normalised by the checker) and its
year; a finding by that report key and its identity (rule code and the cells,
quotes or area it is about — never its wording or its place in a list). The
fingerprint hashes the two, so the same finding on the same agency's report
for the same year keeps its fingerprint when the file is renamed, re-uploaded
or corrected elsewhere, and its decision with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Optional

from ..check.agency import normalise_agency, same_agency

FORMAT_RANK = {"docx": 0, "html": 1, "markdown": 2, "text": 3, "pdf": 4}


def agency_key(name: Optional[str]) -> Optional[str]:
    """The agency's name as the checker normalises it for pairing (``check.agency.normalise_agency``: spacing,
    brackets, short forms written out), with every place it names kept: two 鼓楼区 of two cities stay two."""
    if not name:
        return None
    n = normalise_agency(name)
    return "".join(n.places) + n.body or None


def report_key(agency: Optional[str], year: Optional[int], uid: str) -> str:
    """"agency|year" when both were read; otherwise the document's own uid (kept across renames)."""
    if agency and year:
        return f"{agency}|{year}"
    return f"doc:{uid}"


def fingerprint(key: str, identity: str) -> str:
    return hashlib.sha256(f"{key}\x1f{identity}".encode("utf-8")).hexdigest()[:16]


def fingerprints(key: str, identities: Iterable[str]) -> list[str]:
    """One fingerprint per finding; a second finding with the same identity in one report gets "#2"."""
    seen: dict[str, int] = {}
    out = []
    for ident in identities:
        n = seen[ident] = seen.get(ident, 0) + 1
        out.append(fingerprint(key, ident if n == 1 else f"{ident}#{n}"))
    return out


@dataclass
class Copy:
    """What pairing needs to know of one document."""

    id: int
    name: str
    report_key: str
    agency_key: Optional[str]
    year: Optional[int]
    readable: bool
    unread: int  # cells unreadable or uncertain
    format: Optional[str]


def _quality(c: Copy) -> tuple[int, int, int, str]:
    return (0 if c.readable else 1, c.unread, FORMAT_RANK.get(c.format or "", 9), c.name)


@dataclass
class Pairing:
    canonical: dict[str, int]  # report key -> the copy used for it
    previous: dict[int, int]  # document id -> last year's canonical copy
    copies: dict[str, list[int]]  # report key -> every document of it, best first


def pair(docs: Iterable[Copy]) -> Pairing:
    """Choose one copy per report (readable first, fewest cells not read, then format and name) and
    pair each document with the copy of the same agency's report for the year before."""
    by_key: dict[str, list[Copy]] = {}
    for d in docs:
        by_key.setdefault(d.report_key, []).append(d)
    canonical: dict[str, int] = {}
    copies: dict[str, list[int]] = {}
    best: dict[tuple[str, int], Copy] = {}
    for key, group in by_key.items():
        group.sort(key=_quality)
        canonical[key] = group[0].id
        copies[key] = [c.id for c in group]
        head = group[0]
        if head.readable and head.agency_key and head.year:
            best[(head.agency_key, head.year)] = head
    # A name that leaves out its parent places one year ("洪泽区人民政府" / "淮安市洪泽区人民政府") is the same
    # agency when the checker's ``same_agency`` says so, and only one report of the year before can be meant.
    short: dict[tuple[str, int], list[Copy]] = {}
    for (key, year), head in best.items():
        short.setdefault((normalise_agency(key).key, year), []).append(head)
    previous: dict[int, int] = {}
    for group in by_key.values():
        for d in group:
            if d.readable and d.agency_key and d.year:
                last = best.get((d.agency_key, d.year - 1))
                if last is None:
                    same = [c for c in short.get((normalise_agency(d.agency_key).key, d.year - 1), [])
                            if same_agency(d.agency_key, c.agency_key)]
                    last = same[0] if len(same) == 1 else None
                if last is not None:
                    previous[d.id] = last.id
    return Pairing(canonical, previous, copies)
