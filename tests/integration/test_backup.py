"""`python -m bot backup` / `restore`: a round trip keeps applications, complaints and conversations,
on SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore), and with the conversations in a
database of their own (TRACKER_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from bot.__main__ import main
from bot.db import dispose, session_factory
from tests.permohonan_support import BACKENDS, permohonan_record, prepare_database, write_csv

NOMOR = "503/0451/IZ/2026"
SENDER = "backup-test-user"


def save_conversation(url: str, texts: list[str]) -> None:
    """A real conversation written by Rasa's SQL tracker store (the `events` table)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = []
    for message in texts:
        events += [
            UserUttered(message),
            BotUttered(f"jawaban untuk {message}"),
            ActionExecuted("action_listen"),
        ]
    store = SQLTrackerStore(Domain.empty(), host=url)
    asyncio.run(store.save(DialogueStateTracker.from_events(SENDER, events)))
    store.engine.dispose()


def user_texts(url: str) -> list[str]:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": SENDER},
            ).scalars()
            return [json.loads(row)["text"] for row in rows]
    finally:
        engine.dispose()


def office_data(url: str) -> dict:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return {
                "permohonan": connection.execute(
                    text("SELECT nomor, status FROM permohonan ORDER BY nomor")
                ).all(),
                "pengaduan": connection.execute(
                    text("SELECT kode_tiket, uraian, status FROM pengaduan ORDER BY kode_tiket")
                ).all(),
            }
    finally:
        engine.dispose()


def fill(url: str, tmp_path) -> None:
    from bot.pengaduan.repository import DataPengaduan, buat_pengaduan

    prepare_database(url)
    csv = write_csv(tmp_path / "permohonan.csv", [permohonan_record()])
    assert main(["permohonan", "import", str(csv)]) == 0  # into DATABASE_URL
    buat_pengaduan(
        session_factory(url),
        DataPengaduan(
            kategori="pelaksanaan_pelayanan",
            uraian="Berkas saya sudah lengkap sejak bulan lalu tetapi belum ada kabar dari petugas.",
            kanal="rest",
            wilayah="balangan",
            pengirim="backup-test",
        ),
    )
    dispose(url)


def change_everything(url: str, tracker_url: str) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("UPDATE permohonan SET status = 'ditolak'"))
        connection.execute(text("DELETE FROM pengaduan_riwayat"))
        connection.execute(text("DELETE FROM pengaduan"))
    engine.dispose()
    save_conversation(tracker_url, ["pesan setelah backup"])


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pandu.db'}"
        yield url
        dispose(url)
        return
    yield request.getfixturevalue("pg_url")


def test_round_trip_keeps_applications_complaints_and_conversations(database, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    fill(database, tmp_path)
    save_conversation(database, ["syarat sip bidan", "biayanya?"])
    before = office_data(database)
    assert len(before["permohonan"]) == 1 and len(before["pengaduan"]) == 1

    folder = tmp_path / "backup"
    assert main(["backup", str(folder)]) == 0
    assert f"backup written to {folder}" in capsys.readouterr().out
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["alembic_revision"] and "database" in manifest["files"]
    assert "password" not in json.dumps(manifest)

    change_everything(database, database)
    assert office_data(database) != before
    assert main(["restore", str(folder), "--yes"]) == 0
    assert office_data(database) == before
    assert user_texts(database) == ["syarat sip bidan", "biayanya?"]


def test_conversations_in_their_own_database_are_backed_up_too(tmp_path, monkeypatch):
    url, tracker = f"sqlite:///{tmp_path / 'pandu.db'}", f"sqlite:///{tmp_path / 'percakapan.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", tracker)
    fill(url, tmp_path)
    save_conversation(tracker, ["halo"])
    before = office_data(url)
    folder = tmp_path / "backup"
    assert main(["backup", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "conversations.sqlite",
        "database.sqlite",
        "manifest.json",
    ]
    change_everything(url, tracker)
    assert main(["restore", str(folder), "--yes"]) == 0
    assert office_data(url) == before and user_texts(tracker) == ["halo"]
    dispose(url)  # only this test's engines: session-wide test databases stay open
    dispose(tracker)


def test_restore_refuses_what_does_not_fit(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'pandu.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    prepare_database(url)
    dispose(url)
    assert main(["restore", str(tmp_path), "--yes"]) == 1
    assert "is not a backup (no manifest.json)" in capsys.readouterr().err
    folder = tmp_path / "backup"
    assert main(["backup", str(folder)]) == 0
    assert main(["backup", str(folder)]) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    assert main(["restore", str(folder), "--yes"]) == 1
    assert "set TRACKER_DATABASE_URL as it was" in capsys.readouterr().err


def test_restore_without_a_terminal_asks_for_yes(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "restore", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "add --yes to confirm" in result.stderr
