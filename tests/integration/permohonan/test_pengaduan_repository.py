"""Complaints: saved and committed, idempotent per delivery, staff response/status, CSV export.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.pengaduan.cli import write_csv
from bot.pengaduan.repository import (
    DataPengaduan,
    buat_pengaduan,
    get_pengaduan,
    list_pengaduan,
    tanggapi,
    ubah_status,
)
from bot.pengaduan.tiket import KODE_RE
from tests.permohonan_support import APOTEK

URAIAN = "Berkas saya sudah lengkap sejak bulan lalu tetapi belum ada kabar sama sekali dari petugas."


def _data(**overrides) -> DataPengaduan:
    values = dict(
        kategori="pelaksanaan_pelayanan",
        uraian=URAIAN,
        kanal="rest",
        wilayah="balangan",
        standard_id=APOTEK,
        pengirim="sender-hash-1",
    )
    values.update(overrides)
    return DataPengaduan(**values)


def test_create_commits_and_returns_a_ticket(factory):
    pengaduan, created = buat_pengaduan(factory, _data(nama="Budi Santoso", kontak="081233334444"))
    assert created and KODE_RE.match(pengaduan.kode_tiket)
    with factory() as session:  # visible from a fresh session: committed
        saved = get_pengaduan(session, pengaduan.kode_tiket.lower())
    assert saved.status == "diterima" and saved.nama == "Budi Santoso"
    assert [r.status for r in saved.riwayat] == ["diterima"]


def test_the_same_delivery_twice_creates_one_complaint(factory):
    first, created1 = buat_pengaduan(factory, _data())
    second, created2 = buat_pengaduan(factory, _data(uraian="  " + URAIAN.upper() + "  "))
    assert created1 and not created2 and first.kode_tiket == second.kode_tiket
    # An explicit channel message id is honoured the same way.
    a, _ = buat_pengaduan(factory, _data(uraian=URAIAN + " (2)"), kunci="msg:abc")
    b, again = buat_pengaduan(factory, _data(uraian=URAIAN + " (2)"), kunci="msg:abc")
    assert a.kode_tiket == b.kode_tiket and not again
    with factory() as session:
        assert len(list_pengaduan(session)) == 2


def test_concurrent_retries_still_create_one(factory, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: buat_pengaduan(factory, _data()), range(4)))
    assert len({p.kode_tiket for p, _ in results}) == 1
    assert sum(created for _, created in results) == 1


def test_invalid_complaint_is_refused(factory):
    with pytest.raises(ValueError, match="uraian"):
        buat_pengaduan(factory, _data(uraian="terlalu pendek"))
    with pytest.raises(ValueError, match="kategori"):
        buat_pengaduan(factory, _data(kategori="gosip"))


def test_staff_list_respond_status_and_export(factory):
    a, _ = buat_pengaduan(factory, _data())
    b, _ = buat_pengaduan(factory, _data(wilayah="purwakarta", standard_id=None, jenis="saran", pengirim="2"))
    with factory() as session:
        assert [p.kode_tiket for p in list_pengaduan(session, wilayah="purwakarta")] == [b.kode_tiket]
        p, errors = tanggapi(
            session, a.kode_tiket, "Berkas Anda sedang diperiksa Kabid.", "cli", status="ditindaklanjuti"
        )
        assert errors == []
        _, errors = ubah_status(session, b.kode_tiket, "hilang", "cli")
        assert errors and "tidak dikenal" in errors[0]
        _, errors = tanggapi(session, "ADU-2222-2222", "x", "cli")
        assert errors and "tidak ditemukan" in errors[0]
        session.commit()
    with factory() as session:
        p = get_pengaduan(session, a.kode_tiket)
        assert p.status == "ditindaklanjuti" and p.tanggapan.startswith("Berkas Anda")
        assert [r.status for r in p.riwayat] == ["diterima", "ditindaklanjuti"]
        assert [x.kode_tiket for x in list_pengaduan(session, status="ditindaklanjuti")] == [a.kode_tiket]
        out = io.StringIO()
        write_csv(list_pengaduan(session), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["kode_tiket"] for r in rows} == {a.kode_tiket, b.kode_tiket}
    assert {r["jenis"] for r in rows} == {"pengaduan", "saran"}
