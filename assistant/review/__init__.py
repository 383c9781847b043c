"""Reviewing many reports: audits that remember decisions, pair years and hand back a workbook.

``run_audit`` reads and checks a set of reports (only what changed since the
last run), pairs each report with the same agency's report for the year
before and runs the cross-year rules; ``decide`` records a reviewer's
decision on a finding; ``workbook.export`` writes the audit workbook and
``workbook_import.import_workbook`` reads the decisions filled into it back.
Everything is kept in a database (``store``): SQLite in the data directory,
or PostgreSQL when ``NIANBAO_DATABASE_URL`` says so.
"""

from .audit import RunResult, run_audit
from .decisions import decide
from .listing import audits, document_report, issue_rows, report_rows
from .store import Store, open_store

__all__ = ["RunResult", "Store", "audits", "decide", "document_report", "issue_rows", "open_store", "report_rows",
           "run_audit"]
