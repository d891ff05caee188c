"""The real assistant (action server + Rasa with the project's credentials.yml: REST, widget, WhatsApp,
staff bridge) and the real staff console, sharing one database, for the handoff end-to-end tests.

`TEST_DATABASE_URL` set: a second set of servers on a fresh PostgreSQL database (knowledge base,
conversations and staff tables) runs the same tests; the SQLite set always runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.channels.conftest import WHATSAPP_ENV
from tests.e2e.channels.fakes import FakeGraph, FakeTelegram, ThreadedServer
from tests.konsol_support import BRIDGE_SECRET, add_staff, console

TELEGRAM_TOKEN = "777:uji-serah-terima"
PASSWORD = "sandi-rahasia-1"


@dataclass
class Handoff:
    """The assistant, the console and the platform fakes of one database."""

    kind: str  # sqlite | postgresql
    assistant: object
    console_url: str
    database_url: str
    graph: FakeGraph
    telegram: FakeTelegram
    telegram_thread: ThreadedServer
    workdir: Path


@pytest.fixture(scope="session")
def handoff_graph():
    with ThreadedServer(FakeGraph()) as server:
        yield server


@pytest.fixture(scope="session")
def handoff_telegram():
    threaded = ThreadedServer(FakeTelegram(TELEGRAM_TOKEN))
    with threaded as server:
        yield server, threaded


def _pg_database(tmp_path_factory) -> str | None:
    """A fresh PostgreSQL database with the knowledge base, or None without TEST_DATABASE_URL."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    name = f"pandu_e2e_konsol_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    from bot.db import dispose
    from bot.knowledge.loader import load

    load(url=url)
    dispose(url)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def handoff(request, start_assistant, handoff_graph, handoff_telegram, tmp_path_factory):
    env = {
        **WHATSAPP_ENV,
        "GRAPH_API_URL": handoff_graph.api_url,
        "PANDU_HANDOFF_SECRET": BRIDGE_SECRET,
        "PANDU_WILAYAH_DEFAULT": "balangan",  # one office: a request goes straight to its inbox
    }
    if request.param == "postgresql":
        url = _pg_database(tmp_path_factory)
        if url is None:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI: .ci/run)")
        env["DATABASE_URL"] = url
    assistant = start_assistant(env=env)
    database_url = assistant.database_url  # the assistant's own: SQLite file or the PostgreSQL one
    add_staff(database_url, "siti", "Siti Aminah", "admin", PASSWORD)
    add_staff(database_url, "budi", "Budi Santoso", "cs", PASSWORD)
    telegram, telegram_thread = handoff_telegram
    workdir = tmp_path_factory.mktemp("konsol")
    console_env = {
        key: env[key]
        for key in (
            "WHATSAPP_ACCESS_TOKEN",
            "WHATSAPP_PHONE_NUMBER_ID",
            "GRAPH_API_URL",
            "PANDU_WILAYAH_DEFAULT",
        )
    }
    console_env.update(TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, TELEGRAM_API_URL=telegram.base_url)
    with console(database_url, workdir, assistant.url, console_env) as console_url:
        yield Handoff(
            request.param,
            assistant,
            console_url,
            database_url,
            handoff_graph,
            telegram,
            telegram_thread,
            workdir,
        )
