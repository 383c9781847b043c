"""The review database: made by the packaged migrations wherever the command runs, SQLite set up for
several users, PostgreSQL chosen by NIANBAO_DATABASE_URL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from assistant.errors import ReviewError
from assistant.review import migrations
from assistant.review.store import Base, Store, database_url, open_store


def test_the_migrations_make_exactly_the_tables_of_the_models(review_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no alembic.ini anywhere near
    with review_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert migrations.current(conn) == migrations.HEAD


def test_the_known_revisions_are_the_scripts():
    scripts = ScriptDirectory(str(migrations.HERE))
    assert list(migrations.REVISIONS) == [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert migrations.HEAD == scripts.get_current_head()


def test_opening_again_changes_nothing_and_a_newer_schema_is_refused(review_store):
    url = review_store.url.render_as_string(hide_password=False)
    again = Store(url)
    again.close()
    with review_store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ReviewError, match="比这个版本的年报助手更新"):
        Store(url)


def test_sqlite_is_set_up_for_several_users(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_the_database_is_chosen_by_the_setting(monkeypatch, tmp_path):
    assert database_url().database == str(tmp_path / "nianbao-data" / "review.sqlite3")
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql://审核:secret@db.example:5432/nianbao")
    url = database_url()
    assert url.drivername == "postgresql+psycopg" and url.host == "db.example"
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "mysql://x@y/z")
    with pytest.raises(ReviewError, match="不支持的数据库类型“mysql”"):
        database_url()
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql://nianbao:secret@127.0.0.1:1/none")
    with pytest.raises(ReviewError) as refused:
        open_store()
    assert "无法打开审核数据库" in refused.value.message and "secret" not in refused.value.message


def test_the_default_database_lives_in_the_data_directory(tmp_path):
    store = open_store()
    assert store.kind == "sqlite" and (tmp_path / "nianbao-data" / "review.sqlite3").exists()
    assert open_store() is store  # one engine per database and process


def test_a_database_of_the_first_schema_is_upgraded_and_keeps_its_decisions(review_store, tmp_path, monkeypatch):
    """A database made by an earlier version (schema 0001, no ``cause`` column) is brought up to date when
    opened, and what it held is still there."""
    from alembic import command
    from sqlalchemy import inspect

    monkeypatch.chdir(tmp_path)
    with review_store.engine.begin() as conn:
        command.downgrade(migrations.config(conn), "0001")
    with review_store.engine.begin() as conn:
        assert migrations.current(conn) == "0001"
        assert "cause" not in {c["name"] for c in inspect(conn).get_columns("issues")}
        conn.execute(text("INSERT INTO audits (name, created_at, updated_at, revision) "
                          "VALUES ('旧审核', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 3)"))
        audit_id = conn.execute(text("SELECT id FROM audits WHERE name = '旧审核'")).scalar()
        conn.execute(text(
            "INSERT INTO issues (audit_id, fingerprint, report_key, status, first_seen, last_seen, revision, code, "
            "severity, location, message, basis, refs, decision, reason) VALUES (:a, 'abc123', '青禾市人民政府|2022', "
            "'open', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 'I2', 'error', '表三', '不等', '', '{}', '排除', '原表如此')"),
            {"a": audit_id})
    url = review_store.url.render_as_string(hide_password=False)
    again = Store(url)
    try:
        with again.engine.connect() as conn:
            assert migrations.current(conn) == migrations.HEAD
            assert "cause" in {c["name"] for c in inspect(conn).get_columns("issues")}
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            row = conn.execute(text("SELECT decision, reason, cause FROM issues WHERE fingerprint = 'abc123'")).one()
        assert tuple(row) == ("排除", "原表如此", None)
    finally:
        again.close()
