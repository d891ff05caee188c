"""Database access shared by every part of Pandu Izin.

One `DATABASE_URL` decides where data lives. Nothing here touches a database at import time: the
action server imports every module at start-up, and tests pick their own URL. Code that needs the
database receives a session factory from `session_factory(url)`.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import Optional

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

# Named constraints, so Alembic revisions can refer to (and drop) them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The declarative base of every model (knowledge, applications, complaints).
Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker] = {}
_lock = threading.Lock()


def data_dir() -> Path:
    """`$PANDU_DATA_DIR` (default `./var`), created on demand."""
    path = Path(os.environ.get("PANDU_DATA_DIR") or "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """`$DATABASE_URL`, or a SQLite file under the data directory."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{(data_dir() / 'pandu_izin.db').resolve()}"


def tracker_database_url() -> str:
    """Where Rasa keeps conversations: `$TRACKER_DATABASE_URL`, else `database_url()`."""
    return os.environ.get("TRACKER_DATABASE_URL", "").strip() or database_url()


def is_memory_sqlite(url: str) -> bool:
    """`sqlite://`, `sqlite:///:memory:` or a named in-memory database (see `memory_sqlite_url`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    return parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"


def memory_sqlite_url(name: Optional[str] = None) -> str:
    """A private in-memory SQLite database (unique name by default): one per test, no files."""
    name = name or f"pandu_{uuid.uuid4().hex}"
    return f"sqlite:///file:{name}?mode=memory&cache=shared&uri=true"


def _on_sqlite_connect(dbapi_connection, _record, *, wal: bool) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked, per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    if wal:
        # Readers (action server) do not block the writer (kb load, imports).
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def timeout_seconds() -> float:
    """`PANDU_DB_TIMEOUT` (default 5 s): the longest wait for a connection, a pooled connection, a
    statement or a lock, so a hung database gives an error (and the person an apology) in seconds."""
    try:
        return max(0.5, float(os.environ.get("PANDU_DB_TIMEOUT") or 5))
    except ValueError:
        return 5.0


def engine_options(url: str) -> dict:
    """`create_engine` keyword arguments every engine of the project uses (the tracker store's too):
    bounded waits everywhere, and SQL parameters (names, phone numbers) never in error messages."""
    seconds = timeout_seconds()
    options: dict = {"future": True, "hide_parameters": True}
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        milliseconds = int(seconds * 1000)
        options.update(
            pool_pre_ping=True,
            pool_timeout=seconds,
            connect_args={
                "connect_timeout": max(1, int(seconds)),
                # statement and lock waits end on the server; keepalives notice a vanished peer
                "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 2,
            },
        )
    elif backend == "sqlite":
        options["connect_args"] = {"check_same_thread": False, "timeout": seconds}
    else:
        options.update(pool_pre_ping=True, pool_timeout=seconds)
    return options


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, **engine_options(url))
    memory = is_memory_sqlite(url)
    kwargs: dict = engine_options(url)
    if memory:
        # One shared connection: otherwise every connection would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        # Kept connections (SQLAlchemy 1.4 opens and closes one per session for a file, and closing
        # the last connection of a WAL database checkpoints it: milliseconds per action call).
        kwargs["poolclass"] = QueuePool
    engine = create_engine(url, **kwargs)

    def on_connect(dbapi_connection, record):
        _on_sqlite_connect(dbapi_connection, record, wal=not memory)

    event.listen(engine, "connect", on_connect)
    return engine


def get_engine(url: Optional[str] = None) -> Engine:
    """The engine for `url` (default: `database_url()`), created on first use and cached."""
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create_engine(url)
        return engine


def session_factory(url: Optional[str] = None) -> sessionmaker:
    """A cached `sessionmaker` for `url` (default: `database_url()`), built lazily.

    Sessions do not expire objects on commit: read models are copied out inside the session anyway,
    and callers that keep an ORM object after commit should not trigger a surprise query.
    """
    url = url or database_url()
    with _lock:
        factory = _factories.get(url)
    if factory is None:
        engine = get_engine(url)
        with _lock:
            factory = _factories.setdefault(
                url, sessionmaker(bind=engine, future=True, expire_on_commit=False)
            )
    return factory


def dispose(url: Optional[str] = None) -> None:
    """Close and forget the engine for `url` (all engines when None); used by tests and shutdown."""
    with _lock:
        urls = [url] if url else list(_engines)
        for key in urls:
            engine = _engines.pop(key, None)
            _factories.pop(key, None)
            if engine is not None:
                engine.dispose()


def alembic_config():
    """The Alembic configuration of `bot/migrations` (import kept local: Alembic is not needed to read)."""
    from alembic.config import Config

    return Config(str(MIGRATIONS_DIR / "alembic.ini"))


def migrate(url: Optional[str] = None, revision: str = "head") -> None:
    """Upgrade the database at `url` (default: `database_url()`) to `revision` with Alembic.

    Runs on the cached engine's connection, so an in-memory SQLite database is migrated in place.
    """
    from alembic import command

    engine = get_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(url: Optional[str] = None) -> Optional[str]:
    """The Alembic revision the database is at (None when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
