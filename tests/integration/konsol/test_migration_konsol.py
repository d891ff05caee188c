"""Revision 0006_konsol adds the staff tables to a database with data and removes them again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.db import alembic_config, current_revision, get_engine, migrate, session_factory

KONSOL_TABLES = {"staf", "sesi_staf", "catatan_staf", "permintaan_petugas", "pesan_petugas"}


def test_upgrade_keeps_data_and_downgrade_removes_only_the_staff_tables(konsol_db):
    from alembic import command

    config = alembic_config()
    with get_engine(konsol_db).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_pengaduan")
    assert not KONSOL_TABLES & set(inspect(get_engine(konsol_db)).get_table_names())
    with session_factory(konsol_db)() as session:
        session.execute(text("insert into verifikasi_gagal (pengirim, gagal) values ('x', 2)"))
        session.commit()
    migrate(konsol_db, "0006_konsol")  # later revisions (0007_tindak_lanjut...) have their own tests
    assert current_revision(konsol_db) == "0006_konsol"
    assert KONSOL_TABLES <= set(inspect(get_engine(konsol_db)).get_table_names())
    with session_factory(konsol_db)() as session:
        assert session.execute(text("select count(*) from verifikasi_gagal")).scalar() == 1
