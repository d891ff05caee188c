"""Revision 0004_wilayah_operasional: adds the offices' operating data to a database that already
holds regions (SQLite batch mode, PostgreSQL ALTER), keeps them, and downgrades again."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from bot.db import alembic_config, current_revision, get_engine, migrate, session_factory
from tests.conftest import FIXTURE_KNOWLEDGE_DIR

REVISION = "0004_wilayah_operasional"
COLUMNS = {"zona_waktu", "jam_layanan", "jam_layanan_terverifikasi", "pengaduan"}


def _downgrade(url: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _columns(url: str) -> set[str]:
    return {c["name"] for c in inspect(get_engine(url)).get_columns("wilayah")}


def _round_trip(url: str) -> None:
    from bot.knowledge.loader import load_knowledge, read_knowledge
    from bot.knowledge.repository import get_region, list_standards

    # A database loaded before the revision: its regions have no operating data.
    migrate(url, "0003_pengaduan")
    assert not COLUMNS & _columns(url)
    with get_engine(url).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO wilayah (id, nama, kantor, alias, alamat, telepon, whatsapp, email, website, "
                "sumber, berkas, checksum) VALUES ('lama', 'Kabupaten Lama', 'DPMPTSP Lama', '[]', '[]', "
                "'[]', '[]', '[]', '[]', '[]', 'wilayah/lama.yaml', 'x')"
            )
        )

    migrate(url, REVISION)
    assert current_revision(url) == REVISION
    assert COLUMNS <= _columns(url)
    factory = session_factory(url)
    with factory() as session:
        old = get_region(session, "lama")
    assert old.nama == "Kabupaten Lama" and old.zona_waktu is None and old.jam_layanan == ()
    assert old.jam_layanan_terverifikasi is False

    migrate(url)
    load_knowledge(factory, read_knowledge(FIXTURE_KNOWLEDGE_DIR))
    with factory() as session:
        balangan = get_region(session, "balangan")
        assert balangan.zona_waktu == "Asia/Makassar"
        assert len(list_standards(session)) == 7

    _downgrade(url, "0003_pengaduan")
    assert not COLUMNS & _columns(url)
    with get_engine(url).connect() as connection:
        names = set(connection.execute(text("SELECT id FROM wilayah")).scalars())
    assert names == {"balangan", "ogan-komering-ilir"}  # the load removed 'lama'; the rest survives
    migrate(url)
    assert COLUMNS <= _columns(url)


def test_sqlite(db_url):
    # db_url is migrated to head: start again from nothing in the same in-memory database.
    _downgrade(db_url, "base")
    _round_trip(db_url)


@pytest.mark.postgres
def test_postgres(pg_url):
    _round_trip(pg_url)
