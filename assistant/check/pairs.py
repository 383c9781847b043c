"""Pairing reports of one folder by agency and year, for the cross-year rules.

Each report is paired with the same agency's report for the year before, when
the folder has one. Names are compared with ``agency.same_agency``: the same
agency written two ways ("淮安市洪泽区人民政府" / "洪泽区人民政府") is one
agency, and the pairing says so. When the year before is there in several
files (the same report as .txt and .pdf), the one of the same format is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..model import Report
from .agency import SameAgency, normalise_agency, same_agency


@dataclass(frozen=True)
class Pairing:
    file: str  # this year's report
    previous: str  # the same agency's report for the year before
    how: str  # Chinese: how the agency was found to be the same
    exact: bool  # the names are the same (not only once normalised)


def _closeness(a: str, b: str) -> int:
    """How alike two file names are: the length of their common beginning."""
    n = 0
    for x, y in zip(Path(a).name, Path(b).name):
        if x != y:
            break
        n += 1
    return n


def pair_reports(reports: Sequence[tuple[str, Report]]) -> dict[str, Pairing]:
    """This year's file -> its pairing, for every report whose agency has a report for the year before here."""
    # Only names with the same last place and body can be one agency's: compare within those.
    by_key: dict[tuple[str, int], list[tuple[str, Report]]] = {}
    for file, rep in reports:
        if rep.agency and rep.year:
            by_key.setdefault((normalise_agency(rep.agency).key, rep.year), []).append((file, rep))
    out: dict[str, Pairing] = {}
    for file, rep in reports:
        if not rep.agency or not rep.year:
            continue
        best: Optional[tuple[tuple[int, int, int], str, SameAgency]] = None
        for other, prev in by_key.get((normalise_agency(rep.agency).key, rep.year - 1), []):
            same = same_agency(rep.agency, prev.agency)
            if same is None:
                continue
            rank = (int(same.exact), int(Path(other).suffix.lower() == Path(file).suffix.lower()),
                    _closeness(str(Path(other).parent), str(Path(file).parent)))
            if best is None or rank > best[0]:
                best = (rank, other, same)
        if best is not None:
            _, other, same = best
            out[file] = Pairing(file, other, same.how, same.exact)
    return out
