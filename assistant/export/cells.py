"""Text put into a spreadsheet cell (CSV or XLSX) that no spreadsheet runs as a formula.

Excel, WPS and LibreOffice treat a cell typed or imported as ``=…``, ``+…``,
``-…`` or ``@…`` as a formula, and some also after a leading tab or carriage
return. Agency names, file names, quotes from a report and reviewers' notes
are written by other people, so every text cell goes through
:func:`safe_cell`: such text gets a leading apostrophe and stays text.
:func:`unsafe_cell` takes the apostrophe off again when a sheet is read back.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MARK = "'"


def safe_cell(value: object) -> object:
    """``value`` unchanged unless it is text a spreadsheet could read as a formula; then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return _MARK + value
    return value


def unsafe_cell(value: object) -> object:
    """The text :func:`safe_cell` was given, from what it returned (other values unchanged)."""
    if isinstance(value, str) and value.startswith(_MARK) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
