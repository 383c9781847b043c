"""What the review tests share: a database of each kind, and reports with chosen cells changed.

``review_store`` gives a fresh SQLite database in the test's data folder and,
when ``NIANBAO_TEST_DATABASE_URL`` names a PostgreSQL server (``.ci/run``
starts one), a fresh database on that server, made for the test and dropped
after it. Without the variable the PostgreSQL case is skipped, saying so.

Reports with errors are made from the reference reports: parsed, the given
cells changed, and written out again as Markdown by the project's exporter.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "evals" / "reference"
PG_MISSING = ("needs a PostgreSQL server named by NIANBAO_TEST_DATABASE_URL "
              "(.ci/run starts one; locally: initdb + pg_ctl on a loopback port)")


def reference(slug: str, suffix: str = "md") -> Path:
    return REFERENCE / slug / f"report.{suffix}"


def changed_report(slug: str, changes: dict[tuple[str, str, str], float]):
    """The reference report ``slug`` as read, with cells (table, row, column) set to new figures."""
    from assistant.parse import parse_file

    report = parse_file(reference(slug, "txt"))
    for (table, row, col), value in changes.items():
        grid = {"三": report.table3, "四": report.table4}[table]
        cell = grid[row][col]
        text = str(int(value)) if float(value).is_integer() else str(value)
        grid[row][col] = cell.model_copy(update={"value": value, "raw": text})
    return report


def with_cells(slug: str, changes: dict[tuple[str, str, str], float]) -> str:
    """The reference report ``slug`` as Markdown, with cells (table, row, column) set to new figures."""
    from assistant.export import to_markdown

    return to_markdown(changed_report(slug, changes))


def _admin(url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url).set(drivername="postgresql")
    conninfo = u.set(database="postgres").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True), u


@pytest.fixture(params=["sqlite", "postgresql"])
def review_store(request, tmp_path):
    """A new, empty review database: SQLite, then (when a server is given) PostgreSQL."""
    from assistant.review.store import Store

    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'review.sqlite3'}")
        yield store
        store.close()
        return
    url = os.environ.get("NIANBAO_TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_MISSING)
    admin, base = _admin(url)
    name = f"nianbao_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    store = Store(base.set(database=name).render_as_string(hide_password=False))
    assert store.kind == "postgresql"
    try:
        yield store
    finally:
        store.close()
        admin, _ = _admin(url)
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
