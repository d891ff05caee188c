"""Faults are visible and contained (docs/security.md): each test breaks one part of a running assistant.

- The action server dies: the person gets the apology with the office contacts, not `200 []`.
- The conversation database hangs (a PostgreSQL that stops answering, simulated by a proxy on
  127.0.0.1 that holds every byte): the apology comes within seconds, the server keeps answering
  other requests, nothing falls back to an in-memory tracker, and once the database answers again
  the conversation continues with its context.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import uuid

import httpx
import pytest

pytestmark = pytest.mark.e2e


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def office_phones(assistant) -> list[str]:  # noqa: ANN001
    from bot.db import session_factory
    from bot.knowledge.repository import list_regions

    with session_factory(assistant.database_url)() as session:
        return [phone for region in list_regions(session) for phone in region.telepon]


def test_without_the_action_server_the_person_gets_the_apology_with_the_office_contacts(start_assistant):
    assistant = start_assistant(env={"PANDU_TEST_PURPOSE": "action-server-down"})
    assert "Sumber:" in text_of(assistant.send("fault-1", "syarat izin apotek"))
    service, process = next((s, p) for s, p in assistant.supervisor.running if s.name == "action server")
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)
    started = time.monotonic()
    replies = assistant.send("fault-2", "syarat izin apotek")
    assert time.monotonic() - started < 10
    text = text_of(replies)
    assert "gangguan" in text and replies != []
    phones = office_phones(assistant)
    assert phones and all(phone in text for phone in phones)


class FreezableProxy:
    """TCP proxy on 127.0.0.1 to a real server; `freeze()` holds every byte (a hung database)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.frozen = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                while self.frozen.is_set():
                    await asyncio.sleep(0.05)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    def __enter__(self) -> FreezableProxy:
        self.thread.start()

        async def start() -> int:
            self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
            return self.server.sockets[0].getsockname()[1]

        self.port = asyncio.run_coroutine_threadsafe(start(), self.loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.frozen.clear()
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture
def frozen_database_assistant(start_assistant, pg_url):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    with FreezableProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        tracker_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        assistant = start_assistant(env={"TRACKER_DATABASE_URL": tracker_url})
        yield assistant, proxy
        proxy.frozen.clear()


def test_a_hung_conversation_database_gives_an_apology_within_seconds(frozen_database_assistant):
    assistant, proxy = frozen_database_assistant
    who = f"fault-{uuid.uuid4().hex[:8]}"
    assert "Bidan" in text_of(assistant.send(who, "syarat sip bidan"))

    proxy.frozen.set()
    result: dict = {}

    def ask() -> None:
        started = time.monotonic()
        result["replies"] = assistant.send(who, "biayanya?")
        result["seconds"] = time.monotonic() - started

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(1.0)
    version = httpx.get(assistant.url + "/version", timeout=5)  # the server itself is not frozen
    assert version.status_code == 200
    asking.join(timeout=60)
    assert result["seconds"] < 15, result
    text = text_of(result["replies"])
    assert "gangguan" in text and all(phone in text for phone in office_phones(assistant))

    proxy.frozen.clear()
    time.sleep(0.5)
    # No in-memory fallback took the conversation away: its context (the standard) is still there.
    answer = text_of(assistant.send(who, "biayanya?"))
    assert "Biaya" in answer and "Bidan" in answer, answer
