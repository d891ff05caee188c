"""Rasa's SQL tracker store, configured by one database URL instead of host/port/db fields.

`endpoints.yml` names this class; the URL is `TRACKER_DATABASE_URL`, else the knowledge base's own
`DATABASE_URL` (by default the embedded SQLite file under `$PANDU_DATA_DIR`), so a fresh clone keeps
conversations without any setup and a deployment moves them to PostgreSQL with one variable.
Rasa imports this module only when it builds the tracker store, never at the action server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore

ENV_TRACKER_URL = "TRACKER_DATABASE_URL"


def tracker_database_url() -> str:
    """`TRACKER_DATABASE_URL`, else `bot.db.database_url()`."""
    url = os.environ.get(ENV_TRACKER_URL, "").strip()
    if url:
        return url
    from bot.db import database_url

    return database_url()


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose connection comes from `tracker_database_url()`."""

    def __init__(
        self, domain: Any = None, host: Optional[str] = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        # Rasa passes `url:` of the endpoint config as `host`; SQLTrackerStore takes a full URL there.
        url = host if host and "://" in host else tracker_database_url()
        if url.startswith("sqlite:///"):
            # A fresh clone has no data directory yet.
            Path(url[len("sqlite:///") :]).expanduser().parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        # This runs in every Rasa server of the project at start-up: the place for its one speed-up
        # (PANDU_RASA_SPEEDUPS=0 leaves Rasa as it is, to measure the difference).
        if os.environ.get("PANDU_RASA_SPEEDUPS", "1") != "0":
            from bot import rasa_speedups

            rasa_speedups.install()
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self)


def _tune_sqlite(store: SQLTrackerStore) -> None:
    """Kept connections, WAL and synchronous=NORMAL for the embedded SQLite file.

    SQLAlchemy 1.4 gives a file database no connection pool: Rasa opened and closed a connection
    for every load and save, and closing the last connection of a WAL database checkpoints it (an
    fsync). Profiled: 10-15 ms per close and commit, two to three times a turn. A pool keeps them
    open. WAL lets the action server read the knowledge base while Rasa writes; NORMAL is safe with
    WAL (one fsync per checkpoint instead of per turn).
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import QueuePool

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    engine = create_engine(
        store.engine.url, poolclass=QueuePool, pool_size=2, connect_args={"check_same_thread": False}
    )
    event.listen(engine, "connect", on_connect)
    store.engine.dispose()  # the connection Rasa opened to create the table
    store.engine = engine
    store.sessionmaker = sessionmaker(bind=engine)
