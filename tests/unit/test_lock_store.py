"""bot/lock_store.py: Rasa's lock store from PANDU_REDIS_URL; tickets taken atomically in Redis."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from rasa.core.lock_store import InMemoryLockStore

from bot.lock_store import AtomicRedisLockStore, UrlLockStore, redis_kwargs

REDIS_DB = 11  # this suite's own Redis database


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15; .ci/run sets it)")
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


def test_redis_urls_become_rasa_arguments():
    assert redis_kwargs("redis://127.0.0.1:6380/3") == {
        "host": "127.0.0.1",
        "port": 6380,
        "db": 3,
        "username": None,
        "password": None,
        "use_ssl": False,
        "key_prefix": "pandu",
    }
    secure = redis_kwargs("rediss://pandu:p%40ss@redis.internal")
    assert (secure["password"], secure["port"], secure["db"], secure["use_ssl"]) == ("p@ss", 6379, 0, True)
    with pytest.raises(ValueError, match="must start with redis://"):
        redis_kwargs("http://127.0.0.1:6379/0")
    with pytest.raises(ValueError, match="must be a number"):
        redis_kwargs("redis://127.0.0.1:6379/locks")


def test_without_a_url_the_lock_is_in_memory(monkeypatch):
    monkeypatch.delenv("PANDU_REDIS_URL", raising=False)
    assert isinstance(UrlLockStore().backend, InMemoryLockStore)


def test_endpoints_name_the_lock_store():
    import yaml

    from bot.run import ROOT

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert endpoints["lock_store"]["type"] == "bot.lock_store.UrlLockStore"


def test_tickets_taken_at_the_same_time_by_two_processes_are_all_different(redis_url):
    conversation = f"lock-test-{uuid.uuid4().hex}"
    stores = [AtomicRedisLockStore(**redis_kwargs(redis_url)) for _ in range(2)]  # two Rasa processes
    tickets: list[int] = []
    start = threading.Barrier(4)

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(50):
            tickets.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(stores[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(200))
    stores[0].delete_lock(conversation)


async def test_one_message_at_a_time_across_processes(redis_url, monkeypatch):
    monkeypatch.setenv("PANDU_REDIS_URL", redis_url)
    conversation = f"lock-test-{uuid.uuid4().hex}"
    first, second = UrlLockStore(), UrlLockStore()  # as two Rasa processes build them
    assert isinstance(first.backend, AtomicRedisLockStore)
    inside: list[str] = []
    overlaps = []

    async def handle(store: UrlLockStore, name: str) -> None:
        async with store.lock(conversation):
            overlaps.append(bool(inside))
            inside.append(name)
            await asyncio.sleep(0.3)
            inside.remove(name)

    await asyncio.gather(handle(first, "a"), handle(second, "b"), handle(first, "c"))
    assert overlaps == [False, False, False]
    assert first.get_lock(conversation) is None  # the last one out removed the lock


async def test_a_lock_left_by_a_killed_process_expires(redis_url, monkeypatch):
    monkeypatch.setenv("PANDU_REDIS_URL", redis_url)
    conversation = f"lock-test-{uuid.uuid4().hex}"
    dead, alive = UrlLockStore(), UrlLockStore()
    dead.backend.issue_ticket(conversation, 0.5)  # taken, never released (the process died)
    started = asyncio.get_running_loop().time()
    async with alive.lock(conversation, lock_lifetime=60):
        waited = asyncio.get_running_loop().time() - started
    assert 0.4 <= waited < 3
