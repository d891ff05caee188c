"""The SQL tracker store configured by one URL: TRACKER_DATABASE_URL, else DATABASE_URL."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import UrlSQLTrackerStore, tracker_database_url

DOMAIN = Domain.from_yaml("version: '3.1'\nslots:\n  layanan:\n    type: text\n    mappings: []\n")


def test_url_comes_from_tracker_variable_then_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///kb.db")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    assert tracker_database_url() == "sqlite:///kb.db"
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://u@h/db")
    assert tracker_database_url() == "postgresql://u@h/db"


async def test_conversations_are_kept_in_sqlite(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'pandu.db'}"  # the folder does not exist yet
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    store = UrlSQLTrackerStore(domain=DOMAIN)
    tracker = DialogueStateTracker.from_events(
        "user-1",
        [ActionExecuted("action_listen"), UserUttered("syarat sip bidan"), SlotSet("layanan", "balangan-x")],
        slots=DOMAIN.slots,
    )
    await store.save(tracker)
    again = await UrlSQLTrackerStore(domain=DOMAIN).retrieve("user-1")
    assert again is not None and again.get_slot("layanan") == "balangan-x"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@pytest.mark.postgres
async def test_conversations_are_kept_in_postgresql(monkeypatch, pg_url):
    # pg_url: a fresh database on the TEST_DATABASE_URL server (skipped when it is unset), dropped after.
    monkeypatch.setenv("TRACKER_DATABASE_URL", pg_url)
    store = UrlSQLTrackerStore(domain=DOMAIN)
    try:
        tracker = DialogueStateTracker.from_events("pg-user", [UserUttered("halo")], slots=DOMAIN.slots)
        await store.save(tracker)
        again = await UrlSQLTrackerStore(domain=DOMAIN).retrieve("pg-user")
        assert again is not None and again.latest_message.text == "halo"
    finally:
        store.engine.dispose()


async def test_sqlite_connections_are_kept_between_turns(monkeypatch, tmp_path):
    """A pool, not a connection per load/save (closing one checkpoints the WAL: an fsync a turn)."""
    from sqlalchemy.pool import QueuePool

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'pandu.db'}")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    store = UrlSQLTrackerStore(domain=DOMAIN)
    assert isinstance(store.engine.pool, QueuePool)
    opened = []
    from sqlalchemy import event

    event.listen(store.engine, "connect", lambda *args: opened.append(1))
    for turn in range(5):
        tracker = await store.retrieve("user-2") or DialogueStateTracker("user-2", DOMAIN.slots)
        tracker.update(UserUttered(f"pesan {turn}"))
        await store.save(tracker)
    assert len(opened) <= 1
    again = await store.retrieve("user-2")
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == [f"pesan {i}" for i in range(5)]
    store.engine.dispose()
