"""Two Rasa processes and two action servers behind nginx, on the machine's PostgreSQL and Redis
(the `PANDU_RASA_PROCESSES=2` setup of bot/cluster.py, on free ports).

- a conversation whose turns land on different Rasa processes keeps its context;
- two messages of one conversation sent at once (one to each process) are handled one after the
  other: in the stored conversation each user message is followed by its whole answer before the
  next one starts (Redis lock store);
- a WhatsApp message delivered twice, once to each process, is answered once (Redis de-duplication);
- the balancer routes around a Rasa process that is down.

Needs TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL (set by .ci/run) and nginx (`make nginx`).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from bot.run import Supervisor, core_services, free_layout, isolated_settings
from tests.e2e.channels.fakes import FakeGraph, ThreadedServer
from tests.e2e.channels.test_whatsapp_channel import sign, texts, webhook_body
from tests.e2e.conftest import REST_PATH, find_model

pytestmark = pytest.mark.e2e

REDIS_DB = 11  # this suite's own Redis database (keys are unique per run as well)
WHATSAPP = {
    "WHATSAPP_VERIFY_TOKEN": "verify-cluster",
    "WHATSAPP_APP_SECRET": "test-app-secret",
    "WHATSAPP_ACCESS_TOKEN": "test-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": "1098765",
    "WHATSAPP_DEDUP_REDIS_URL": "",  # falls back to PANDU_REDIS_URL, as in a deployment
}


def own_redis_db(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


@pytest.fixture(scope="module")
def pg_database():
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI: .ci/run)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"pandu_production_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from bot.db import dispose

        dispose(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def graph():
    with ThreadedServer(FakeGraph()) as server:
        yield server


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_database, graph):
    redis = os.environ.get("TEST_REDIS_URL")
    if not redis:
        pytest.skip("TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15; .ci/run sets it)")
    from bot.cluster import nginx_bin

    if nginx_bin() is None:
        pytest.fail("nginx is missing: `make nginx` installs it (make e2e does)")
    env = {**WHATSAPP, "GRAPH_API_URL": graph.api_url, "PANDU_REDIS_URL": own_redis_db(redis)}
    settings = isolated_settings(
        tmp_path_factory.mktemp("cluster"), find_model(), env=env, database_url=pg_database, rasa_processes=2
    )
    layout = free_layout(settings)
    supervisor = Supervisor(settings, core_services(settings, layout))
    try:
        supervisor.start()
    except RuntimeError as exc:
        supervisor.stop()
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in settings.log_dir.glob("*.log"))
        pytest.fail(f"cluster did not start: {exc}\n{logs}")
    yield settings, layout, supervisor, pg_database
    supervisor.stop()


def say(url: str, sender: str, text: str) -> list[dict]:
    response = httpx.post(url + REST_PATH, json={"sender": sender, "message": text}, timeout=120)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


def joined(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def stored_events(database_url: str, sender: str) -> list[dict]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).scalars()
            return [json.loads(row) for row in rows]
    finally:
        engine.dispose()


def test_turns_on_different_processes_keep_the_context(cluster):
    settings, layout, _, _ = cluster
    first, second = layout.rasa_backend_urls
    sender = f"cluster-{uuid.uuid4().hex[:8]}"
    assert "Surat Izin Praktik Bidan" in joined(say(first, sender, "syarat sip bidan apa aja?"))
    # "biayanya?" names no service: only the conversation (stored by the other process) knows it.
    answer = joined(say(second, sender, "biayanya berapa?"))
    assert "Biaya" in answer and "Surat Izin Praktik Bidan" in answer, answer
    answer = joined(say(settings.rasa_url, sender, "berapa lama prosesnya?"))  # through nginx
    assert "Surat Izin Praktik Bidan" in answer, answer


def test_two_messages_of_one_conversation_at_once_are_handled_one_after_the_other(cluster):
    _, layout, _, database_url = cluster
    first, second = layout.rasa_backend_urls
    sender = f"cluster-{uuid.uuid4().hex[:8]}"
    say(first, sender, "halo kak")

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=120) as client:
            return await asyncio.gather(
                client.post(first + REST_PATH, json={"sender": sender, "message": "syarat izin apotek"}),
                client.post(second + REST_PATH, json={"sender": sender, "message": "biaya sip bidan"}),
            )

    responses = asyncio.run(both())
    assert [r.status_code for r in responses] == [200, 200]
    assert all(r.json() for r in responses)

    events = stored_events(database_url, sender)
    users = [e.get("text") for e in events if e["event"] == "user"]
    assert users[0] == "halo kak" and sorted(users[1:]) == ["biaya sip bidan", "syarat izin apotek"], users
    # Each user message is followed by its whole answer (ending in action_listen) before the next.
    awaiting_answer = False
    for event in events:
        if event["event"] == "user":
            assert not awaiting_answer, "a second message was processed before the first was answered"
            awaiting_answer = True
        elif event["event"] == "action" and event.get("name") == "action_listen":
            awaiting_answer = False
    assert not awaiting_answer


def test_a_whatsapp_redelivery_to_two_processes_is_answered_once(cluster, graph):
    _, layout, _, _ = cluster
    once, twice = "62812" + uuid.uuid4().hex[:8], "62813" + uuid.uuid4().hex[:8]
    single = webhook_body({"type": "text", "text": {"body": "syarat sip bidan"}}, once)
    repeated = webhook_body({"type": "text", "text": {"body": "syarat sip bidan"}}, twice)
    headers = {"Content-Type": "application/json"}

    def deliver(url: str, body: bytes) -> int:
        return httpx.post(
            f"{url}/webhooks/whatsapp/webhook",
            content=body,
            headers={**headers, "X-Hub-Signature-256": sign(body)},
            timeout=10,
        ).status_code

    first, second = layout.rasa_backend_urls
    assert deliver(first, single) == 200
    assert deliver(first, repeated) == 200
    assert deliver(second, repeated) == 200  # Meta re-delivers; this time the other process gets it
    reference = graph.wait_for(once, 1, timeout=60)
    graph.wait_for(twice, 1, timeout=60)
    time.sleep(3)  # long enough for a second answer to arrive, if there were one
    reference = graph.to(once)
    assert len(graph.to(twice)) == len(reference)
    assert texts(graph.to(twice)) == texts(reference)
    assert any("Bidan" in t for t in texts(reference))


def test_the_balancer_routes_around_a_killed_process(cluster):
    """Runs last: it kills one of the module's Rasa processes (no restart policy here)."""
    settings, _, supervisor, _ = cluster
    sender = f"cluster-{uuid.uuid4().hex[:8]}"
    say(settings.rasa_url, sender, "syarat sip bidan apa aja?")
    victim = next(p.process for p in supervisor.processes if p.service.name == "rasa server 2")
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)  # dead, not dying: a request sent while it dies is in flight and fails
    for _ in range(3):  # whichever process nginx picks first, every turn is answered, in context
        answer = joined(say(settings.rasa_url, sender, "biayanya berapa?"))
        assert "Surat Izin Praktik Bidan" in answer, answer
