"""Where audits live: the tables (SQLAlchemy 2) and how a database is opened.

SQLite in the data directory by default; PostgreSQL when
``NIANBAO_DATABASE_URL`` says so. The schema is made and upgraded by the
packaged Alembic migrations each time a database is opened
(``migrations.upgrade``), so no ``alembic.ini`` is needed anywhere.

SQLite is opened for several users of one UI at once: write-ahead logging
(readers never wait for a writer), a busy timeout (a writer waits its turn
instead of failing), and every writing transaction starts with
``BEGIN IMMEDIATE``, so two writers queue at their first statement rather
than fail when one of them tries to turn a read into a write.

The tables:

- ``audits``: a named set of reports under review;
- ``documents``: one file of an audit (its name, content hash, what was read,
  the parsed report itself as compressed JSON, the report it was paired with);
- ``findings``: what the checker reported on a document at its last check;
- ``issues``: one row per finding fingerprint in an audit, across runs: the
  finding as last seen, whether it is still there (or fixed), and the
  reviewer's decision with its revision (for conflicts on import);
- ``decision_events``: every decision ever made, who made it, from where.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..errors import ReviewError
from ..settings import get_settings

SQLITE_FILE = "review.sqlite3"
BUSY_TIMEOUT_S = 30  # how long a writer waits for another one before giving up


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so both databases store the same thing."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Audit(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Bumped by every run: a run that finds it changed since it looked knows another run wrote meanwhile.
    revision: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("audit_id", "name", name="uq_documents_audit_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(32))  # stable across renames and new versions of the file
    name: Mapped[str] = mapped_column(String(500))  # as shown: the path given, or "x.zip/member"
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the bytes read; "" when they could not be
    checker: Mapped[str] = mapped_column(String(64), default="")  # the reader and rules that checked it (worker.CHECKER)
    size: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))  # "ok" or "unreadable"
    error: Mapped[Optional[str]] = mapped_column(Text)
    format: Mapped[Optional[str]] = mapped_column(String(16))
    agency: Mapped[Optional[str]] = mapped_column(Text)
    agency_key: Mapped[Optional[str]] = mapped_column(Text)
    year: Mapped[Optional[int]] = mapped_column(Integer)
    edition: Mapped[Optional[str]] = mapped_column(String(16))
    report_key: Mapped[str] = mapped_column(String(400), index=True)  # agency and year, or the document's uid
    canonical: Mapped[bool] = mapped_column(Boolean, default=True)  # the copy used when its report is paired
    unread_cells: Mapped[int] = mapped_column(Integer, default=0)
    uncertain_cells: Mapped[int] = mapped_column(Integer, default=0)
    unreadable_tables: Mapped[Optional[str]] = mapped_column(Text)  # JSON {table: reason}
    report_blob: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # zlib-compressed Report JSON
    previous_id: Mapped[Optional[int]] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    previous_hash: Mapped[Optional[str]] = mapped_column(String(64))  # the previous's content when paired
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FindingContent:
    """What a finding says: a document's findings and the audit's issues (as last seen) both hold it."""

    code: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    computation: Mapped[Optional[str]] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[Optional[str]] = mapped_column(Text)  # JSON
    actual: Mapped[Optional[str]] = mapped_column(Text)  # JSON
    refs: Mapped[str] = mapped_column(Text, default="{}")  # JSON {cells, spans, area}
    # A consequence of a root cause (one wrong cell breaking several identities): the cause's fingerprint.
    # None: a finding of its own. Consequences are listed and decided, but not counted in a report's totals.
    cause: Mapped[Optional[str]] = mapped_column(String(32))


class FindingRow(FindingContent, Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    cross_year: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Issue(FindingContent, Base):
    __tablename__ = "issues"
    __table_args__ = (UniqueConstraint("audit_id", "fingerprint", name="uq_issues_audit_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    report_key: Mapped[str] = mapped_column(String(400))
    agency: Mapped[Optional[str]] = mapped_column(Text)
    year: Mapped[Optional[int]] = mapped_column(Integer)
    # "open": found at the last run; "fixed": its report is there and no longer has it;
    # "unverifiable": gone, but what it was about could not be read (so not called fixed);
    # "gone": its report is no longer in the audit.
    status: Mapped[str] = mapped_column(String(16), default="open")
    status_note: Mapped[Optional[str]] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    fixed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    decision: Mapped[Optional[str]] = mapped_column(String(8))  # 确认 / 排除 / 待定, None: not decided
    reason: Mapped[Optional[str]] = mapped_column(Text)  # why 排除
    note: Mapped[Optional[str]] = mapped_column(Text)
    decided_by: Mapped[Optional[str]] = mapped_column(String(200))
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # +1 at each decision change


class DecisionEvent(Base):
    __tablename__ = "decision_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    decision: Mapped[Optional[str]] = mapped_column(String(8))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    note: Mapped[Optional[str]] = mapped_column(Text)
    decided_by: Mapped[Optional[str]] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))  # 命令行 / 界面 / 工作簿
    revision: Mapped[int] = mapped_column(Integer)


Index("ix_findings_fingerprint_document", FindingRow.fingerprint, FindingRow.document_id)


# ------------------------------------------------------------------ opening


def database_url(url: Optional[str] = None) -> URL:
    """The database to use: ``url``, else ``NIANBAO_DATABASE_URL``, else SQLite in the data directory."""
    text = url if url is not None else get_settings().database
    if not text:
        folder = get_settings().data_dir
        return URL.create("sqlite", database=str(folder / SQLITE_FILE))
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise ReviewError("NIANBAO_DATABASE_URL 不是有效的数据库地址，应形如 postgresql://用户:密码@主机:5432/库名。") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        # psycopg 3 is the driver installed with the project (psycopg2 is not).
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed
    raise ReviewError(f"不支持的数据库类型“{backend}”：请使用 PostgreSQL（postgresql://…）或 SQLite（sqlite:///文件路径）。")


def describe(url: URL) -> str:
    """Where the database is, for messages: never the password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite 文件 {url.database}"
    return f"PostgreSQL {url.render_as_string(hide_password=True)}"


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReviewError(f"无法创建审核数据库所在的文件夹（{exc.strerror or exc}）：{url.database}") from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off: transactions begin
        # in the "begin" hook below, deferred for reading and IMMEDIATE for writing.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("nianbao_write") else "BEGIN")

    return engine


class Store:
    """An open review database: ``read()`` and ``write()`` give sessions in a transaction."""

    def __init__(self, url: Optional[str] = None) -> None:
        from . import migrations

        self.url = database_url(url)
        self.where = describe(self.url)
        self.kind = "sqlite" if self.url.get_backend_name() == "sqlite" else "postgresql"
        try:
            if self.kind == "sqlite":
                self.engine = _sqlite_engine(self.url)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True)
            writer = self.engine.execution_options(nianbao_write=True)
            self._read = sessionmaker(self.engine, expire_on_commit=False)
            self._write = sessionmaker(writer, expire_on_commit=False)
            with writer.begin() as conn:
                migrations.upgrade(conn)
        except ReviewError:
            raise
        except ModuleNotFoundError as exc:
            raise ReviewError(f"缺少数据库驱动（{exc.name}），请重新安装年报助手（make install）。") from None
        except SQLAlchemyError as exc:
            raise ReviewError(f"无法打开审核数据库（{self.where}）：{_reason(exc)}") from None

    def read(self) -> AbstractContextManager[Session]:
        """A reading transaction."""
        return self._session(self._read)

    def write(self) -> AbstractContextManager[Session]:
        """A writing transaction: committed when the block ends, rolled back if it raises."""
        return self._session(self._write)

    @contextmanager
    def _session(self, maker: sessionmaker[Session]) -> Iterator[Session]:
        try:
            with maker() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise ReviewError(f"审核数据库暂时无法使用（{self.where}）：{_reason(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def open_store(url: Optional[str] = None) -> Store:
    """The store for ``url`` (or the configured database), opened once per process."""
    key = database_url(url).render_as_string(hide_password=False)
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = Store(url)
        return store


def close_stores() -> None:
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
