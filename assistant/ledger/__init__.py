"""Tables from the ledger: tables 三 and 四 counted from an application register (台账).

``compute_register`` reads an XLSX or CSV register, recognises its columns by
meaning, maps its wording to the edition's rows and columns, and counts the
year's tables with the register rows behind every cell; ``compare_report``
and ``compare_previous`` reconcile them with a report; ``facts_data`` gives
the drafter's facts file.
"""

from .compute import Blocker, LedgerResult, Unmapped, compute, result_row
from .errors import LedgerError
from .facts import facts_data, provenance, to_yaml, write_facts
from .narrative import Narrative, narrative
from .reconcile import CellDiff, compare_previous, compare_report
from .records import Application, Case, Register, RowRef, read_register
from .run import compute_register, resolve_edition

__all__ = [
    "Application",
    "Blocker",
    "Case",
    "CellDiff",
    "LedgerError",
    "LedgerResult",
    "Narrative",
    "Register",
    "RowRef",
    "Unmapped",
    "compare_previous",
    "compare_report",
    "compute",
    "compute_register",
    "facts_data",
    "narrative",
    "provenance",
    "read_register",
    "resolve_edition",
    "result_row",
    "to_yaml",
    "write_facts",
]
