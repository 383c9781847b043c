"""One call from a register file to the year's tables and narrative figures."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional, Union

from ..errors import EditionError
from ..model import Edition, edition_for_year, get_edition
from .compute import LedgerResult, compute
from .dates import load_calendar
from .errors import LedgerError
from .narrative import narrative
from .records import read_register
from .vocabulary import load_vocabulary, parse_column_map

PathLike = Union[str, Path]


def resolve_edition(year: int, edition: Optional[str]) -> Edition:
    if not 2008 <= year <= 2099:
        raise LedgerError(f"年度应在2008年至2099年之间（实为{year}）")
    if edition in (None, "", "auto"):
        return edition_for_year(year)
    try:
        return get_edition(str(edition))
    except EditionError as exc:
        raise LedgerError(str(exc)) from None


def compute_register(path: PathLike, year: int, edition: Optional[str] = None, *,
                     mapping: Optional[PathLike] = None, columns: Iterable[str] = (),
                     assignments: Optional[dict[str, dict[str, str]]] = None,
                     holidays: Optional[PathLike] = None, cases: Optional[PathLike] = None,
                     max_rows: Optional[int] = None) -> LedgerResult:
    """Tables 三 (and 四) of ``year`` from a register; ``result.blocked`` when rows cannot be placed.

    ``columns`` are ``表头=字段`` pairs; ``assignments`` maps a value field
    (申请人类型、办理结果、申请渠道 …) to ``{本地写法: 目标}``.
    """
    ed = resolve_edition(year, edition)
    vocab = load_vocabulary(mapping, ed)
    if columns:
        vocab = vocab.with_columns(parse_column_map(list(columns)))
    if assignments:
        vocab = vocab.with_assignments(assignments, ed)
    calendar = load_calendar(holidays)
    register = read_register(path, vocab, cases_file=cases, max_rows=max_rows)
    result = compute(register, year, ed, vocab, calendar)
    result.narrative = narrative(result)
    return result
