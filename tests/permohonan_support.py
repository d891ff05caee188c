"""Shared setup of the application/complaint tests (issue 4): a migrated database per test, loaded
with the small knowledge base in tests/fixtures/permohonan_kb, on SQLite and (when
TEST_DATABASE_URL is set) on PostgreSQL."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete

FIXTURE_KB = Path(__file__).resolve().parent / "fixtures" / "permohonan_kb"
APOTEK = "balangan-izin-apotek"
SUSU = "purwakarta-sertifikat-standar-kbli-10510"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def clear_pengaduan_permohonan_tables(factory) -> None:
    from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
    from bot.permohonan.models import PermohonanRiwayatRow, PermohonanRow, VerifikasiGagalRow
    from bot.security.percobaan import VerifikasiPercobaanRow

    with factory.begin() as session:
        for model in (
            PengaduanRiwayatRow,
            PengaduanRow,
            PermohonanRiwayatRow,
            PermohonanRow,
            VerifikasiGagalRow,
            VerifikasiPercobaanRow,
        ):
            session.execute(delete(model))


def prepare_database(url: str, knowledge: Path = FIXTURE_KB):
    """Migrate `url` to head, load the fixture knowledge base, empty the issue-4 tables."""
    from bot.db import migrate, session_factory
    from bot.knowledge.loader import load_knowledge, read_knowledge

    migrate(url)
    factory = session_factory(url)
    load_knowledge(factory, read_knowledge(knowledge))
    clear_pengaduan_permohonan_tables(factory)
    return factory


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pandu.db'}"
        yield url
        from bot.db import dispose

        dispose(url)
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL not set")
    yield request.getfixturevalue("pg_url")


@pytest.fixture
def factory(db_url):
    return prepare_database(db_url)


def permohonan_record(**overrides) -> dict:
    record = {
        "nomor_permohonan": "503/0451/IZ/2026",
        "layanan": APOTEK,
        "wilayah": "balangan",
        "nama_pemohon": "Siti Rahmawati",
        "telepon": "0812-5544-7788",
        "tanggal_masuk": "2026-03-02",
        "status": "diproses",
        "tahap": "6",
        "catatan": "",
        "nomor_izin": "",
        "tanggal_selesai": "",
    }
    record.update(overrides)
    return record


def write_csv(path: Path, records: list[dict]) -> Path:
    import csv

    from bot.permohonan.importer import HEADER, OPTIONAL_COLUMNS

    header = HEADER + [c for c in OPTIONAL_COLUMNS if any(c in r for r in records)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for record in records:
            writer.writerow(record)
    return path


TODAY = date(2026, 11, 23)
