"""Databases for the staff console tests: a SQLite file and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def konsol_db(request, tmp_path):
    """A migrated database URL of each kind (PostgreSQL skipped without TEST_DATABASE_URL)."""
    from bot import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'konsol.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    db.migrate(url)
    yield url
    db.dispose(url)
