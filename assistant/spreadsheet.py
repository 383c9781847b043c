"""Cells for spreadsheets: what every CSV or XLSX the project writes passes each value through.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab or carriage return) as a formula: an agency name or
a quoted paragraph such as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` from a
report someone else wrote would run on the reviewer's machine. ``safe_cell``
puts an apostrophe before such text, so it shows as written and is never
evaluated; plain numbers ("-3", "+1.5") stay numbers. For XLSX,
``put_cell`` writes the text as a string cell with Excel's quote prefix, so
no apostrophe shows at all.

Any new export (the audit workbook, a ledger sheet) uses these two; a test
checks the project's writers do.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*)(?:\.\d+)?%?")


def needs_escape(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (also after leading blanks, which some programs drop)."""
    if not text.startswith(TRIGGERS) and not text.lstrip().startswith(TRIGGERS):
        return False
    return not _NUMBER.fullmatch(text.strip())


def safe_cell(value: Any) -> Any:
    """``value`` for a CSV cell: text that could start a formula gets a leading apostrophe; the rest unchanged."""
    if isinstance(value, str) and needs_escape(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """A ``csv.writer`` whose every row passes through ``safe_row``."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self.writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def put_cell(cell: Any, value: Any) -> None:
    """Set an openpyxl ``cell`` to ``value``; text that could start a formula is stored as text, never a formula.

    openpyxl itself turns any string starting with "=" into a formula, so the
    type is set after the value, and Excel's quote prefix keeps it text when
    someone edits the cell.
    """
    cell.value = value
    if isinstance(value, str) and needs_escape(value):
        cell.data_type = "s"
        cell.quotePrefix = True
