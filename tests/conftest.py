"""Fixtures and helpers shared by all tests. Each part of the project appends its own section."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest


# --- dialogue: rasa-sdk trackers built in code (actions tests) ---------------------------------
def make_tracker(text: str = "", intent: str | None = None, entities=(), slots: dict | None = None):
    """The rasa-sdk `Tracker` an action receives for one user message.

    `entities`: (entity, value) or (entity, value, words-in-text) tuples; the words give start/end.
    Slots are filled from the entities the way Rasa's `from_entity` mappings in domain.yml do.
    """
    from rasa_sdk import Tracker

    parsed = []
    for entity, value, *words in entities:
        item = {"entity": entity, "value": value}
        if words and words[0] in text:
            item["start"] = text.index(words[0])
            item["end"] = item["start"] + len(words[0])
        parsed.append(item)
    filled = dict(slots or {})
    for slot, (entity, is_list) in _entity_slots().items():
        values = [e["value"] for e in parsed if e["entity"] == entity]
        if values:
            filled[slot] = values if is_list else values[0]
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": parsed}
    return Tracker("test-user", filled, latest, [], False, None, {}, "action_listen")


def _entity_slots() -> dict:
    """slot -> (entity, is a list slot) for the from_entity mappings of domain.yml."""
    import yaml

    domain = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text(encoding="utf-8"))
    found = {}
    for slot, spec in (domain.get("slots") or {}).items():
        for mapping in spec.get("mappings") or ():
            if mapping.get("type") == "from_entity":
                found[slot] = (mapping["entity"], spec.get("type") == "list")
    return found


# --- knowledge base: databases and the curated YAML (bot.db, bot.knowledge) --------------------
REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
FIXTURE_KNOWLEDGE_DIR = Path(__file__).resolve().parent / "fixtures" / "knowledge"


@pytest.fixture
def db_url():
    """A private in-memory SQLite database migrated to head; forgotten after the test."""
    from bot import db

    url = db.memory_sqlite_url()
    db.migrate(url)
    yield url
    db.dispose(url)


@pytest.fixture
def db_session_factory(db_url):
    """Session factory of `db_url` (schema applied, no data)."""
    from bot.db import session_factory

    return session_factory(db_url)


@pytest.fixture
def knowledge_dir(tmp_path) -> Path:
    """A writable copy of the small fixture knowledge base (tests may corrupt it)."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE_DIR, target)
    return target


@pytest.fixture
def loaded_factory(db_url, knowledge_dir):
    """Session factory of a database holding the fixture knowledge base."""
    from bot.knowledge.loader import load

    load(knowledge_dir, db_url)
    from bot.db import session_factory

    return session_factory(db_url)


@pytest.fixture(scope="session")
def real_knowledge_factory():
    """Session factory of an in-memory database holding the real knowledge/ files (loaded once)."""
    from bot import db
    from bot.knowledge.loader import load

    url = db.memory_sqlite_url()
    load(KNOWLEDGE_DIR, url)
    yield db.session_factory(url)
    db.dispose(url)


@pytest.fixture(scope="session")
def search_index(real_knowledge_factory):
    """The search index over the real 86 standards."""
    from bot.knowledge.repository import load_index

    with real_knowledge_factory() as session:
        return load_index(session)


def _server_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture
def pg_url():
    """A fresh, uniquely named PostgreSQL database on the TEST_DATABASE_URL server; dropped after.

    Skipped (with the reason) when TEST_DATABASE_URL is unset.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI: .ci/run)")
    from sqlalchemy import create_engine, text

    from bot import db

    name = f"pandu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_server_url(base, "postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = _server_url(base, name)
        yield url
        db.dispose(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
