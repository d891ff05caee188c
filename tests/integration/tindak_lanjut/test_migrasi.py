"""Revision 0007_tindak_lanjut adds the follow-through tables to a database with data, and its
downgrade removes only them. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.db import alembic_config, current_revision, get_engine, migrate, session_factory

TABLES = {
    "tenggat_pengaduan",
    "eskalasi_pengaduan",
    "langganan_kabar",
    "kabar",
    "skm_respon",
    "tak_terjawab_kelompok",
    "tak_terjawab",
    "penanda_baca",
}


def test_upgrade_keeps_data_and_downgrade_removes_only_its_tables(tl_url):
    from alembic import command

    migrate(tl_url, "0006_konsol")
    assert not TABLES & set(inspect(get_engine(tl_url)).get_table_names())
    with session_factory(tl_url)() as session:
        session.execute(text("insert into verifikasi_gagal (pengirim, gagal) values ('x', 2)"))
        session.commit()
    migrate(tl_url)
    assert current_revision(tl_url) == "0007_tindak_lanjut"
    assert TABLES <= set(inspect(get_engine(tl_url)).get_table_names())
    config = alembic_config()
    with get_engine(tl_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006_konsol")
    names = set(inspect(get_engine(tl_url)).get_table_names())
    assert not TABLES & names and {"staf", "pengaduan", "permohonan"} <= names
    with session_factory(tl_url)() as session:
        assert session.execute(text("select count(*) from verifikasi_gagal")).scalar() == 1
