"""The review database's schema, as Alembic migrations shipped inside the package.

``upgrade(connection)`` brings a database to the newest schema; ``Store``
calls it every time it opens one, inside a writing transaction (and, on
PostgreSQL, under an advisory lock), so two processes opening a new database
at once make the tables once. Nothing is read from an ``alembic.ini``: the
configuration is built here and points at this folder.

To change the schema: change the tables in ``store.py``, add a script to
``versions/`` whose ``down_revision`` is the newest one (write it by hand or
with ``alembic revision`` against a scratch ``alembic.ini``) and add its
revision to ``REVISIONS``; keep the scripts portable between SQLite and
PostgreSQL (``op.batch_alter_table`` for SQLite).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect, text

from ...errors import ReviewError
from ...resources import package_path

HERE = package_path("review", "migrations")
# The revisions in versions/, oldest first (a test checks they are the scripts'): a database already at
# the newest is recognised without loading Alembic, which every command would otherwise pay for.
REVISIONS = ("0001", "0002")
HEAD = REVISIONS[-1]
_LOCK_KEY = 0x6E69616E62616F  # "nianbao": the advisory lock taken while PostgreSQL is migrated


def config(connection: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def current(connection: Connection) -> str | None:
    """The database's schema revision (None: a new database)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection) -> None:
    """Bring the database on ``connection`` (inside a transaction) to the newest schema."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    now = current(connection)
    if now == HEAD:
        return
    if now is not None and now not in REVISIONS:
        raise ReviewError(f"审核数据库的结构版本（{now}）比这个版本的年报助手更新，请升级年报助手后再打开。")
    from alembic import command

    command.upgrade(config(connection), "head")
