"""What the staff command groups (`python -m bot permohonan|pengaduan ...`) share: a migrated
database, one record printed or an honest "not found", one change saved or its errors shown."""

from __future__ import annotations

import sys
from typing import Any, Callable


def open_database() -> Callable[[], Any]:
    """The session factory of DATABASE_URL, with the schema migrated first (a fresh install works)."""
    from bot.db import migrate, session_factory

    migrate()
    return session_factory()


def print_record(record: Any, not_found: str, render: Callable[[Any], str]) -> int:
    """Print `render(record)` (exit code 0), or `not_found` on stderr (exit code 1)."""
    if record is None:
        print(not_found, file=sys.stderr)
        return 1
    print(render(record))
    return 0


def save_change(change: Callable[[Any], tuple[Any, list[str]]], render: Callable[[Any], str]) -> int:
    """Run `change(session)` -> (record, errors) in one transaction: committed and printed when there
    are no errors, rolled back with each error on stderr (exit code 1) otherwise."""
    with open_database()() as session:
        record, errors = change(session)
        if errors:
            session.rollback()
            for error in errors:
                print(f"error: {error}", file=sys.stderr)
            return 1
        session.commit()
    print(render(record))
    return 0
