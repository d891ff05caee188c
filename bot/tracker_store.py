"""Rasa's SQL tracker store, configured by one database URL, bounded in time, and without personal data.

`endpoints.yml` names this class; the URL is `TRACKER_DATABASE_URL`, else the knowledge base's own
`DATABASE_URL` (by default the embedded SQLite file under `$PANDU_DATA_DIR`), so a fresh clone keeps
conversations without any setup and a deployment moves them to PostgreSQL with one variable.
Rasa imports this module only when it builds the tracker store, never at the action server.

What it adds to Rasa's `SQLTrackerStore` (docs/security.md):

- **Bounded waits.** The engine has the project's timeouts (`bot.db.engine_options`: connect,
  pool, statement, lock; SQL parameters hidden from errors), and every read and write runs in a
  small thread pool under `asyncio.wait_for`: a hung database fails the turn within seconds (the
  channel apologises with the office contacts) while the server keeps answering others.
- **No silent fallback.** Rasa wraps tracker stores in `FailSafeTrackerStore`, which on an error
  answers "no tracker" and saves into memory: the conversation's context silently disappears. This
  store is used unwrapped, so the error reaches the channel. At start-up an unreachable database
  stops Rasa with a clear message after `STARTUP_ATTEMPTS` tries, instead of retrying forever.
- **Personal data redacted** before events are written (`bot.security.redaction`); secret slot
  values live in their own table and are put back when the tracker is read.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.security.hashing import mask_id
from bot.security.redaction import (
    REDACTED,
    SECRET_SLOT_TABLE,
    next_requested_slot,
    redact,
    secret_values,
)
from bot.security.redaction import metadata as secret_metadata

logger = logging.getLogger(__name__)

ENV_TRACKER_URL = "TRACKER_DATABASE_URL"
STARTUP_ATTEMPTS = 6  # about half a minute for a database that is still starting
_SCHEMA_LOCK_KEY = 0x50414E4455  # "PANDU": the advisory lock held while the tables are created
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="tracker-store")


class TrackerStoreUnavailable(RuntimeError):
    """The conversation database cannot be used (it stops Rasa at start-up, fails a turn later)."""


def tracker_database_url() -> str:
    """`TRACKER_DATABASE_URL`, else `bot.db.database_url()` (owned by bot.db: the staff console
    reads the same conversations without importing Rasa)."""
    from bot.db import tracker_database_url as url

    return url()


def _wait_for_database(engine: Any, url_for_log: str) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        try:
            with engine.connect():
                return
        except SQLAlchemyError as exc:
            logger.warning(
                "tracker store %s unreachable (attempt %d of %d): %s",
                url_for_log, attempt, STARTUP_ATTEMPTS, type(exc).__name__,
            )
            if attempt < STARTUP_ATTEMPTS:
                time.sleep(5)
    raise TrackerStoreUnavailable(
        f"the conversation database {url_for_log} cannot be reached: Rasa will not start with an "
        "in-memory tracker store (conversations would be lost). Check TRACKER_DATABASE_URL / DATABASE_URL."
    )


@contextmanager
def _schema_lock(engine: Any) -> Any:
    """One Rasa process at a time creates the tables: several processes starting together (the
    cluster) would otherwise race in PostgreSQL's catalogue and one would die on a duplicate type."""
    if engine.dialect.name != "postgresql":
        yield
        return
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK_KEY})


def _use_unwrapped() -> None:
    """Let Rasa's Agent use this store as it is, not inside FailSafeTrackerStore."""
    from rasa.core.agent import Agent

    original = Agent.__dict__["_create_tracker_store"].__func__
    if getattr(original, "_pandu_unwrapped", False):
        return

    def create_tracker_store(store: Any, domain: Any) -> Any:
        if isinstance(store, UrlSQLTrackerStore):
            store.domain = domain
            return store
        return original(store, domain)

    create_tracker_store._pandu_unwrapped = True  # type: ignore[attr-defined]
    Agent._create_tracker_store = staticmethod(create_tracker_store)


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose connection comes from `tracker_database_url()`."""

    def __init__(
        self, domain: Any = None, host: Optional[str] = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.orm import sessionmaker

        from bot.db import engine_options, timeout_seconds

        # Rasa passes `url:` of the endpoint config as `host`; SQLTrackerStore takes a full URL there.
        url = host if host and "://" in host else tracker_database_url()
        if url.startswith("sqlite:///"):
            # A fresh clone has no data directory yet.
            Path(url[len("sqlite:///") :]).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **engine_options(url))
        shown = make_url(url).render_as_string(hide_password=True)
        _wait_for_database(engine, shown)
        with _schema_lock(engine):
            # Rasa's constructor creates its events table.
            super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
            # Rasa built its own engine (no timeouts, parameters in errors): ours replaces it.
            self.engine.dispose()
            self.engine = engine
            secret_metadata.create_all(engine)
        self.sessionmaker = sessionmaker(bind=engine)
        self.timeout_s = timeout_seconds() + 2.0
        _use_unwrapped()
        # This runs in every Rasa server of the project at start-up: the place for its one speed-up
        # (PANDU_RASA_SPEEDUPS=0 leaves Rasa as it is, to measure the difference).
        if os.environ.get("PANDU_RASA_SPEEDUPS", "1") != "0":
            from bot import rasa_speedups

            rasa_speedups.install()
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self)

    # --- every database call in a worker thread, bounded in time ---------------------------------
    async def _bounded(self, work: Callable[[], Any], what: str, sender_id: str = "") -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(_POOL, work), self.timeout_s)
        except asyncio.TimeoutError:
            logger.error("tracker store: %s %s took over %.0f s", what, mask_id(sender_id), self.timeout_s)
            raise TrackerStoreUnavailable(f"{what} timed out") from None
        except Exception as exc:
            logger.error("tracker store: %s %s failed: %s", what, mask_id(sender_id), type(exc).__name__)
            raise

    async def keys(self) -> Any:
        return await self._bounded(lambda: asyncio.run(SQLTrackerStore.keys(self)), "keys")

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        work = partial(self._retrieve_sync, sender_id, False)
        return await self._bounded(work, "retrieve", sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        work = partial(self._retrieve_sync, conversation_id, True)
        return await self._bounded(work, "retrieve", conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        await self._bounded(partial(self._save_sync, tracker), "save", tracker.sender_id)

    # --- the synchronous work ------------------------------------------------------------------------
    def _retrieve_sync(self, sender_id: str, all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's `_retrieve`, with the redacted values of secret slots put back into the events:
        Rasa rebuilds trackers from events (forms validate on such a copy), not from slot values."""
        from sqlalchemy import select

        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=all_sessions).all()
            events = [json.loads(row.data) for row in rows]
            redacted = {
                e.get("name") for e in events if e.get("event") == "slot" and e.get("value") == REDACTED
            }
            kept: dict[str, Any] = {}
            if redacted:
                table = SECRET_SLOT_TABLE
                found = session.execute(
                    select(table.c.slot, table.c.nilai).where(table.c.sender_id == sender_id)
                ).all()
                kept = {slot: json.loads(value) for slot, value in found}
        if not self.domain or not events:
            return None
        for event in events:
            is_slot = event.get("event") == "slot" and event.get("name") in redacted
            if is_slot and event.get("value") == REDACTED:
                event["value"] = kept.get(event["name"])
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _save_sync(self, tracker: DialogueStateTracker) -> None:
        from sqlalchemy import delete

        from bot.permohonan.models import utcnow

        events = list(tracker.events)
        with self.session_scope() as session:
            query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
            stored = query.count()
            requested = None  # the slot a form was asking for when the new events began
            for event in events[:stored]:
                requested = next_requested_slot(
                    requested, event.type_name, getattr(event, "key", None) or getattr(event, "name", None),
                    getattr(event, "value", None),
                )
            for data in redact([event.as_dict() for event in events[stored:]], requested):
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=data.get("event"),
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            values = secret_values((name, tracker.get_slot(name)) for name in tracker.slots)
            table = SECRET_SLOT_TABLE
            for name, value in values.items():
                row = (table.c.sender_id == tracker.sender_id) & (table.c.slot == name)
                session.execute(delete(table).where(row))
                if value is not None:
                    session.execute(
                        table.insert().values(
                            sender_id=tracker.sender_id,
                            slot=name,
                            nilai=json.dumps(value),
                            diubah_pada=utcnow(),
                        )
                    )
            session.commit()


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

    from bot.db import engine_options, is_memory_sqlite

    url = store.engine.url.render_as_string(hide_password=False)
    if is_memory_sqlite(url):
        return  # one in-memory database per connection: nothing to pool
    # The project's bounded waits and hidden parameters (bot.db.engine_options), with a pool.
    engine = create_engine(url, **{**engine_options(url), "poolclass": QueuePool, "pool_size": 2})
    event.listen(engine, "connect", on_connect)
    store.engine.dispose()  # the connection Rasa opened to create the table
    store.engine = engine
    store.sessionmaker = sessionmaker(bind=engine)
