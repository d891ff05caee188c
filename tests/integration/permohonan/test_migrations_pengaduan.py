"""Revisions 0002_permohonan and 0003_pengaduan upgrade an empty database and a knowledge-only
database (revision 0001_knowledge with data) without touching the knowledge, and downgrade again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.db import current_revision, get_engine, migrate, session_factory
from tests.permohonan_support import FIXTURE_KB


def head() -> str:
    """The newest revision (later revisions of other parts come after 0003_pengaduan)."""
    from alembic.script import ScriptDirectory

    from bot.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


ISSUE4_TABLES = {"permohonan", "permohonan_riwayat", "verifikasi_gagal", "pengaduan", "pengaduan_riwayat"}


def test_empty_database_upgrades_to_head(db_url):
    migrate(db_url)
    assert current_revision(db_url) == head()
    assert ISSUE4_TABLES <= set(inspect(get_engine(db_url)).get_table_names())


def test_knowledge_only_database_upgrades_and_keeps_its_data(db_url):
    from bot.knowledge.loader import load_knowledge, read_knowledge
    from bot.knowledge.repository import list_standards

    # The loader writes the newest schema: load, then go back to the knowledge-only revision.
    migrate(db_url)
    load_knowledge(session_factory(db_url), read_knowledge(FIXTURE_KB))
    _downgrade(db_url, "0001_knowledge")
    assert current_revision(db_url) == "0001_knowledge"
    assert not ISSUE4_TABLES & set(inspect(get_engine(db_url)).get_table_names())

    migrate(db_url)
    assert current_revision(db_url) == head()
    with session_factory(db_url)() as session:
        assert len(list_standards(session)) == 2
        assert session.execute(text("select count(*) from permohonan")).scalar() == 0


def _downgrade(url: str, revision: str) -> None:
    from alembic import command

    from bot.db import alembic_config

    config = alembic_config()
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_downgrade_back_to_knowledge_only(db_url):
    migrate(db_url)
    _downgrade(db_url, "0001_knowledge")
    assert current_revision(db_url) == "0001_knowledge"
    assert not ISSUE4_TABLES & set(inspect(get_engine(db_url)).get_table_names())
