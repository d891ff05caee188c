"""`python -m bot data retensi|hapus` on a database with conversations, counters and complaints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from sqlalchemy import create_engine, text

from bot.run import ROOT
from bot.security.redaction import metadata as secret_metadata


def run_cli(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), "PANDU_HASH_SECRET": "retensi-uji"}
    env.pop("TRACKER_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "data", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def seeded(tmp_path):  # noqa: ANN001
    from bot.db import migrate

    url = f"sqlite:///{tmp_path / 'p.db'}"
    migrate(url)
    engine = create_engine(url)
    secret_metadata.create_all(engine)
    now = time.time()
    with engine.begin() as connection:
        connection.execute(
            text(
                "create table events (id integer primary key, sender_id varchar(255), "
                "type_name varchar(255), timestamp float, intent_name varchar(255), "
                "action_name varchar(255), data text)"
            )
        )
        for sender, age_days in (("old-1", 100), ("old-1", 95), ("new-1", 1), ("whatsapp:628111", 2)):
            connection.execute(
                text(
                    "insert into events (sender_id, type_name, timestamp, data) values (:s, 'user', :t, :d)"
                ),
                {"s": sender, "t": now - age_days * 86400, "d": json.dumps({"text": "x"})},
            )
        for sender in ("old-1", "whatsapp:628111"):
            connection.execute(
                text(
                    "insert into percakapan_rahasia values (:s, 'pengaduan_nama', '\"Budi\"', '2026-01-01')"
                ),
                {"s": sender},
            )
    return url, engine


def test_retention_deletes_idle_conversations_whole(tmp_path):
    url, engine = seeded(tmp_path)
    out = run_cli(url, "retensi", "--hari", "90")
    assert out.startswith("1 percakapan dihapus (2 peristiwa, 1 isian rahasia)")
    with engine.connect() as connection:
        senders = {r[0] for r in connection.execute(text("select distinct sender_id from events"))}
        secrets = {r[0] for r in connection.execute(text("select sender_id from percakapan_rahasia"))}
    assert senders == {"new-1", "whatsapp:628111"} and secrets == {"whatsapp:628111"}


def test_deletion_on_request_removes_one_conversation_and_unlinks_its_complaints(tmp_path):
    url, engine = seeded(tmp_path)
    os.environ["PANDU_HASH_SECRET"] = "retensi-uji"  # the same secret the CLI uses
    try:
        from bot.db import session_factory
        from bot.pengaduan.repository import DataPengaduan, buat_pengaduan
        from bot.permohonan.repository import hash_pengirim

        data = DataPengaduan(
            kategori="lainnya",
            uraian="Pelayanan di loket sangat lambat sekali.",
            kanal="whatsapp",
            nama="Budi",
            kontak="0812",
            pengirim=hash_pengirim("whatsapp:628111"),
        )
        pengaduan, _ = buat_pengaduan(session_factory(url), data)
    finally:
        del os.environ["PANDU_HASH_SECRET"]
    out = run_cli(url, "hapus", "--pengirim", "whatsapp:628111", "--identitas-pengaduan")
    assert "1 peristiwa, 1 isian rahasia" in out and "1 pengaduan dilepas" in out
    with engine.connect() as connection:
        assert (
            connection.execute(text("select count(*) from events where sender_id='whatsapp:628111'")).scalar()
            == 0
        )
        row = connection.execute(
            text("select pengirim, nama, kontak, uraian from pengaduan where kode_tiket=:k"),
            {"k": pengaduan.kode_tiket},
        ).one()
    assert row[:3] == (None, None, None) and row[3].startswith("Pelayanan")  # the record stays, anonymous
