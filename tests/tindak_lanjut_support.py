"""Shared setup of the follow-through tests: a migrated database per test (SQLite file, and
PostgreSQL with TEST_DATABASE_URL) loaded with tests/fixtures/tindak_lanjut_kb, and helpers that
file complaints and applications at a chosen moment."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy import select, update

FIXTURE_KB = Path(__file__).resolve().parent / "fixtures" / "tindak_lanjut_kb"
APOTEK = "balangan-izin-apotek"  # Balangan, WITA; office default 5 working days (test data)
SUSU = "purwakarta-sertifikat-standar-kbli-10510"  # Purwakarta, WIB; its standard: 14 working days


def prepare_database(url: str):
    """Migrated, with the follow-through test knowledge base loaded."""
    from tests import permohonan_support

    return permohonan_support.prepare_database(url, FIXTURE_KB)


@pytest.fixture
def tl_url(db_url) -> str:
    """A database per test: SQLite, and PostgreSQL with TEST_DATABASE_URL (permohonan_support.db_url)."""
    return db_url


@pytest.fixture
def tl_factory(tl_url):
    return prepare_database(tl_url)


def ajukan(
    factory,
    dibuat_pada: datetime,
    wilayah: str = "balangan",
    standard_id: Optional[str] = APOTEK,
    jenis: str = "pengaduan",
    uraian: str = "Petugas loket meminta uang tambahan di luar tarif resmi.",
) -> str:
    """File a complaint as the chat does, then set its filing moment (naive UTC). Returns the ticket."""
    from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
    from bot.pengaduan.repository import DataPengaduan, buat_pengaduan

    data = DataPengaduan(
        kategori="pelaksanaan_pelayanan",
        uraian=uraian + f" ({dibuat_pada.isoformat()})",
        kanal="webchat",
        jenis=jenis,
        wilayah=wilayah,
        standard_id=standard_id,
        nama="Siti Aminah",
        kontak="081234567890",
    )
    pengaduan, _ = buat_pengaduan(factory, data)
    with factory.begin() as session:
        row = session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket == pengaduan.kode_tiket)
        ).scalar_one()
        row.dibuat_pada = dibuat_pada
        session.execute(
            update(PengaduanRiwayatRow)
            .where(PengaduanRiwayatRow.pengaduan_id == row.id)
            .values(dicatat_pada=dibuat_pada)
        )
    return pengaduan.kode_tiket


def permohonan(
    factory,
    nomor: str = "503/0451/IZ/2026",
    status: str = "diproses",
    tanggal_masuk: str = "2026-11-02",
    telepon: str = "0812-5544-7788",
    layanan: str = APOTEK,
    wilayah: str = "balangan",
) -> str:
    from bot.permohonan.repository import StandarResolver, upsert_permohonan, validate_record

    record = {
        "nomor_permohonan": nomor,
        "layanan": layanan,
        "wilayah": wilayah,
        "nama_pemohon": "Siti Rahmawati",
        "telepon": telepon,
        "tanggal_masuk": tanggal_masuk,
        "status": status,
        "tahap": "",
        "catatan": "",
        "nomor_izin": "",
        "tanggal_selesai": "",
    }
    with factory() as session:
        data, errors = validate_record(record, StandarResolver(session), today=date(2026, 12, 31))
        assert not errors, errors
        upsert_permohonan(session, data, "import")
        session.commit()
    return data.nomor
