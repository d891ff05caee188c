"""`python -m bot permohonan|pengaduan ...` end to end on a fresh SQLite file: import, show, change,
and the not-found and invalid-change paths (exit codes and messages staff see)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.db import session_factory
from bot.pengaduan.repository import DataPengaduan, buat_pengaduan

CONTOH = Path(__file__).resolve().parents[2] / "knowledge" / "contoh" / "permohonan_contoh.csv"
NOMOR = "503/0612/SIPB/2026"


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["kb", "load"]) == 0
    return url


def test_application_import_show_and_change(database, capsys):
    assert main(["permohonan", "import", str(CONTOH)]) == 0
    assert main(["permohonan", "show", NOMOR]) == 0
    assert "Status:          diproses" in capsys.readouterr().out

    assert main(["permohonan", "set", NOMOR, "--status", "selesai", "--nomor-izin", "SIPB/77/2026"]) == 0
    shown = capsys.readouterr().out
    assert "Status:          selesai" in shown and "SIPB/77/2026" in shown


def test_application_not_found_and_invalid_change(database, capsys):
    assert main(["permohonan", "show", "999/X/2026"]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
    assert main(["permohonan", "import", str(CONTOH)]) == 0
    assert main(["permohonan", "set", NOMOR, "--status", "entah"]) == 1
    assert "error:" in capsys.readouterr().err
    assert main(["permohonan", "show", NOMOR]) == 0
    assert "Status:          diproses" in capsys.readouterr().out  # nothing saved


def test_complaint_response_and_status(database, capsys):
    pengaduan, _ = buat_pengaduan(
        session_factory(database),
        DataPengaduan(
            kategori="pelaksanaan_pelayanan",
            uraian="Berkas saya sudah lengkap sejak bulan lalu tetapi belum ada kabar dari petugas.",
            kanal="rest",
            wilayah="balangan",
            pengirim="cli-test",
        ),
    )
    kode = pengaduan.kode_tiket
    assert main(["pengaduan", "respond", kode, "Berkas sedang diverifikasi."]) == 0
    assert "Tanggapan:  Berkas sedang diverifikasi." in capsys.readouterr().out
    assert main(["pengaduan", "status", kode, "selesai", "--catatan", "ditutup"]) == 0
    assert main(["pengaduan", "show", kode]) == 0
    assert "ditutup" in capsys.readouterr().out

    assert main(["pengaduan", "show", "ADU-0000-0000"]) == 1
    assert main(["pengaduan", "respond", "ADU-0000-0000", "halo"]) == 1
    assert "error: pengaduan ADU-0000-0000 tidak ditemukan" in capsys.readouterr().err
