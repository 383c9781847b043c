"""Alembic's environment: migrate the connection ``migrations.upgrade`` hands over."""

from __future__ import annotations

from alembic import context

from assistant.review.store import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only ever run through migrations.upgrade
    raise RuntimeError("the review migrations run through assistant.review.migrations.upgrade")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
