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


@pytest.mark.postgres
def test_rasa_processes_starting_together_on_a_new_database_all_start(monkeypatch, pg_url):
    # The cluster starts its Rasa processes at once; creating the tables must not race in PostgreSQL.
    import multiprocessing

    monkeypatch.setenv("TRACKER_DATABASE_URL", pg_url)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(8) as pool:
        together = manager.Barrier(8)  # all imported, then all create at the same moment
        assert pool.map(_start_store, [together] * 8) == [True] * 8


def _start_store(together) -> bool:  # noqa: ANN001
    together.wait(timeout=120)
    store = UrlSQLTrackerStore(domain=DOMAIN)
    store.engine.dispose()
    return True


SECRET_DOMAIN = Domain.from_yaml(
    "version: '3.1'\nslots:\n  pengaduan_uraian:\n    type: text\n    mappings: []\n"
    "  layanan:\n    type: text\n    mappings: []\n"
)


async def test_secret_answers_never_reach_the_events_but_come_back_when_the_tracker_is_read(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PANDU_HASH_SECRET", "uji")
    store = UrlSQLTrackerStore(domain=SECRET_DOMAIN, host=f"sqlite:///{tmp_path / 't.db'}")
    events = [
        ActionExecuted("action_listen"),
        SlotSet("requested_slot", "pengaduan_uraian"),
        UserUttered("Petugas meminta uang Rp 250.000"),
        SlotSet("pengaduan_uraian", "Petugas meminta uang Rp 250.000"),
        SlotSet("layanan", "balangan-izin-apotek"),
    ]
    await store.save(DialogueStateTracker.from_events("u", events, slots=SECRET_DOMAIN.slots))
    with store.engine.connect() as connection:
        stored = " ".join(r[0] for r in connection.exec_driver_sql("select data from events"))
    assert "250.000" not in stored and "balangan-izin-apotek" in stored
    again = await store.retrieve("u")
    assert again.get_slot("pengaduan_uraian") == "Petugas meminta uang Rp 250.000"
    # Rasa's forms rebuild trackers from the events: the events in memory carry the value too
    replayed = DialogueStateTracker.from_events("u", list(again.events), slots=SECRET_DOMAIN.slots)
    assert replayed.get_slot("pengaduan_uraian") == "Petugas meminta uang Rp 250.000"
    # Cleared (complaint saved or cancelled): the kept value is deleted with it
    again.update(SlotSet("pengaduan_uraian", None))
    await store.save(again)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("select count(*) from percakapan_rahasia").scalar() == 0


def test_rasa_uses_this_store_unwrapped_so_its_errors_are_never_hidden(tmp_path):
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    store = UrlSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 't.db'}")
    assert Agent._create_tracker_store(store, DOMAIN) is store
    # other stores keep Rasa's behaviour
    assert isinstance(Agent._create_tracker_store(InMemoryTrackerStore(DOMAIN), DOMAIN), FailSafeTrackerStore)


def test_an_unreachable_database_stops_the_start_instead_of_a_memory_fallback(monkeypatch):
    import bot.tracker_store as module

    monkeypatch.setattr(module, "STARTUP_ATTEMPTS", 2)
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    with pytest.raises(module.TrackerStoreUnavailable, match="in-memory"):
        UrlSQLTrackerStore(domain=DOMAIN, host="postgresql://nobody@127.0.0.1:9/none")


async def test_a_hung_database_fails_the_call_within_the_timeout(monkeypatch, tmp_path):
    import threading

    store = UrlSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 't.db'}")
    store.timeout_s = 0.5
    release = threading.Event()
    monkeypatch.setattr(store, "_retrieve_sync", lambda *args: release.wait(10))
    from bot.tracker_store import TrackerStoreUnavailable

    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("u")
    release.set()


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
