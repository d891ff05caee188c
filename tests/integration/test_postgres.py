"""The knowledge layer on PostgreSQL (TEST_DATABASE_URL): migrations, loader, queries, search.

Each test gets its own freshly created database (`pg_url` in tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest
import yaml
from sqlalchemy import inspect, select

from bot import db
from bot.knowledge import repository as repo
from bot.knowledge.loader import LoadError, load, load_knowledge, read_knowledge
from bot.knowledge.models import AliasRow, ButirRow, KomponenRow, StandarRow, WilayahRow
from bot.knowledge.schema import KnowledgeFileError
from tests.conftest import FIXTURE_KNOWLEDGE_DIR, KNOWLEDGE_DIR

pytestmark = pytest.mark.postgres

TABLES = (WilayahRow, StandarRow, KomponenRow, ButirRow, AliasRow)
QUERIES = [
    "kak syarat bikin sip bidan apa aja?",
    "pirt di oki",
    "pirt",
    "izin usaha industri",
    "izin apotik",
    "cara bikin paspor",
    "izin toko obat di purwakarta",
]


def snapshot(factory) -> dict:
    with factory() as session:
        return {
            m.__tablename__: sorted(
                tuple(map(repr, r)) for r in session.execute(select(*m.__table__.columns))
            )
            for m in TABLES
        }


def test_migrations_upgrade_an_empty_database_and_match_the_models(pg_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    assert db.current_revision(pg_url) is None
    db.migrate(pg_url)
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert db.current_revision(pg_url) == head
    tables = set(inspect(db.get_engine(pg_url)).get_table_names())
    assert {m.__tablename__ for m in TABLES} <= tables
    knowledge_tables = {m.__tablename__ for m in TABLES}

    def only_knowledge(obj, name, type_, reflected, compare_to) -> bool:
        return type_ != "table" or name in knowledge_tables

    with db.get_engine(pg_url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": only_knowledge}
        )
        assert compare_metadata(context, db.Base.metadata) == []
    # Down to nothing and back up: every revision's downgrade works too.
    config = db.alembic_config()
    with db.get_engine(pg_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert db.current_revision(pg_url) is None
    db.migrate(pg_url)
    assert db.current_revision(pg_url) == head


def test_real_knowledge_loads_idempotently_and_round_trips(pg_url):
    report = load(KNOWLEDGE_DIR, pg_url)
    assert len(report.added["standar"]) == 86 and len(report.added["wilayah"]) == 3
    factory = db.session_factory(pg_url)
    before = snapshot(factory)
    again = load(KNOWLEDGE_DIR, pg_url)
    assert not again.changed and again.unchanged["standar"] == 86
    assert snapshot(factory) == before
    with factory() as session:
        for path in sorted((KNOWLEDGE_DIR / "standards").rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            standard = repo.get_standard(session, data["id"])
            for key, written in data["komponen"].items():
                component = standard.komponen[key]
                assert (component.label, component.teks) == (written["label"], written["teks"]), (path, key)
                assert list(component.butir) == written["butir"], (path, key)
        assert len(repo.list_standards(session, wilayah="balangan")) == 83
        assert dict(repo.list_sectors(session))["kesehatan"] > 30


def test_queries_and_search_agree_with_sqlite(pg_url, real_knowledge_factory):
    load(KNOWLEDGE_DIR, pg_url)
    with db.session_factory(pg_url)() as session:
        pg = (repo.list_standards(session), repo.list_regions(session), repo.list_sectors(session))
        pg_index = repo.load_index(session)
    with real_knowledge_factory() as session:
        lite = (repo.list_standards(session), repo.list_regions(session), repo.list_sectors(session))
        lite_index = repo.load_index(session)
    assert pg == lite
    for query in QUERIES:
        assert pg_index.find(query) == lite_index.find(query), query


def test_bad_file_leaves_postgres_unchanged(pg_url, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE_DIR, knowledge)
    load(knowledge, pg_url)
    factory = db.session_factory(pg_url)
    before = snapshot(factory)
    broken = knowledge / "standards" / "balangan" / "izin-apotek.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("nomor: 6", "nomor: [6"), encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="izin-apotek.yaml: line 3: YAML syntax error"):
        load(knowledge, pg_url)
    assert snapshot(factory) == before


def test_database_error_rolls_back_on_postgres(pg_url, tmp_path):
    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(FIXTURE_KNOWLEDGE_DIR, knowledge_dir)
    load(knowledge_dir, pg_url)
    factory = db.session_factory(pg_url)
    before = snapshot(factory)
    knowledge = read_knowledge(knowledge_dir)
    first, *rest = knowledge.standards
    changed = dataclasses.replace(first, data={**first.data, "nama": "Nama Baru"}, checksum="changed-1")
    last = rest[-1]
    broken = dataclasses.replace(last, data={**last.data, "wilayah": "tidak-ada"}, checksum="changed-2")
    knowledge = dataclasses.replace(knowledge, standards=(changed, *rest[:-1], broken))
    with pytest.raises(LoadError, match="nothing was changed"):
        load_knowledge(factory, knowledge)
    assert snapshot(factory) == before
