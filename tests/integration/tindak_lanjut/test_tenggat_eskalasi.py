"""Complaint due dates (working days of the project calendar, in the office's time zone), the
overdue/due-soon order, escalation after the stated days, and the SP4N-LAPOR! notice after the due
date. Every expected date below is counted by hand from bot/permohonan/libur_nasional.yaml (2026).
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from sqlalchemy import select

from bot.notifikasi.langganan import langganan
from bot.notifikasi.models import KabarRow
from bot.petugas.models import CatatanStafRow
from bot.tindak_lanjut.eskalasi import eskalasi_jatuh_tempo, langkah_pengaduan
from bot.tindak_lanjut.models import EskalasiPengaduanRow
from bot.tindak_lanjut.pekerja import satu_putaran
from bot.tindak_lanjut.pemohon import keterangan_tenggat
from bot.tindak_lanjut.tenggat import baris_pengaduan, posisi_semua, row_by_kode
from tests.tindak_lanjut_support import SUSU, ajukan


def _posisi(factory, kode, now):
    with factory() as session:
        found = posisi_semua(session, [row_by_kode(session, kode)], now)[kode]
        session.commit()
        return found


def test_purwakarta_wib_14_working_days_across_nyepi_idul_fitri_cuti_bersama_and_good_friday(tl_factory):
    # Tuesday 10 March 2026, 10:00 WIB. Working days after it: 11, 12, 13, 16, 17 (5); 18 cuti bersama
    # Nyepi, 19 Nyepi, 20 cuti bersama Idul Fitri, 21-22 Idul Fitri (weekend), 23-24 cuti bersama;
    # 25, 26, 27, 30, 31 (10), 1 and 2 April (12); 3 April Good Friday; 6 (13), 7 April (14).
    kode = ajukan(tl_factory, datetime(2026, 3, 10, 3, 0), wilayah="purwakarta", standard_id=SUSU)
    where = _posisi(tl_factory, kode, datetime(2026, 3, 10, 4, 0))
    assert (where.tenggat, where.hari_kerja, where.dasar, where.zona) == (
        date(2026, 4, 7),
        14,
        "standar",
        "Asia/Jakarta",
    )
    assert where.keadaan == "berjalan" and where.sisa_hari_kerja == 14
    assert _posisi(tl_factory, kode, datetime(2026, 4, 6, 3, 0)).keadaan == "segera"  # 1 working day left
    last_day = _posisi(tl_factory, kode, datetime(2026, 4, 7, 9, 0))  # 16:00 WIB on the due date
    assert last_day.keadaan == "segera" and last_day.sisa_hari_kerja == 0
    late = _posisi(tl_factory, kode, datetime(2026, 4, 8, 1, 0))
    assert late.keadaan == "terlambat" and late.terlambat_hari_kerja == 1


def test_balangan_wita_office_date_decides_the_first_day(tl_factory):
    # The same evening in UTC is Thursday 5 March in WIB but already Friday 6 March 00:30 in WITA.
    thursday = ajukan(tl_factory, datetime(2026, 3, 5, 15, 30))  # 23:30 WITA Thursday
    friday = ajukan(tl_factory, datetime(2026, 3, 5, 16, 30))  # 00:30 WITA Friday
    # Office default of the test data: 5 working days. Thursday -> 6, 9, 10, 11, 12 March.
    assert _posisi(tl_factory, thursday, datetime(2026, 3, 6, 0, 0)).tenggat == date(2026, 3, 12)
    # Friday -> 9, 10, 11, 12, 13 March.
    where = _posisi(tl_factory, friday, datetime(2026, 3, 6, 0, 0))
    assert (where.tenggat, where.dasar, where.zona) == (date(2026, 3, 13), "kantor", "Asia/Makassar")


def test_balangan_wita_across_cuti_bersama(tl_factory):
    # Monday 16 March 2026, 09:00 WITA: 17 (1); 18-24 holidays and cuti bersama; 25, 26, 27, 30 (5).
    kode = ajukan(tl_factory, datetime(2026, 3, 16, 1, 0))
    assert _posisi(tl_factory, kode, datetime(2026, 3, 16, 2, 0)).tenggat == date(2026, 3, 30)


def test_suggestions_and_regions_without_rules_get_no_due_date(tl_factory):
    saran = ajukan(tl_factory, datetime(2026, 3, 10, 3, 0), jenis="saran")
    assert _posisi(tl_factory, saran, datetime(2026, 3, 10, 4, 0)).keadaan == "tanpa_tenggat"


def test_due_date_is_fixed_when_filed(tl_factory):
    from bot.tindak_lanjut.models import TenggatPengaduanRow

    kode = ajukan(tl_factory, datetime(2026, 3, 16, 1, 0))
    _posisi(tl_factory, kode, datetime(2026, 3, 16, 2, 0))
    with tl_factory() as session:  # the office changes its rule afterwards: promised dates stay
        stored = session.execute(select(TenggatPengaduanRow)).scalar_one()
        assert stored.tenggat == date(2026, 3, 30)
    assert _posisi(tl_factory, kode, datetime(2026, 3, 17, 2, 0)).tenggat == date(2026, 3, 30)


def test_overdue_then_due_soon_first(tl_factory):
    now = datetime(2026, 3, 11, 2, 0)  # Wednesday 11 March, 10:00 WITA
    late = ajukan(tl_factory, datetime(2026, 3, 2, 1, 0))  # due 9 March: 2 working days late
    later = ajukan(tl_factory, datetime(2026, 2, 23, 1, 0))  # due 2 March: 7 working days late
    soon = ajukan(tl_factory, datetime(2026, 3, 5, 1, 0))  # due 12 March: 1 left
    running = ajukan(tl_factory, datetime(2026, 3, 11, 1, 0))  # due 18 -> 25 March
    answered = ajukan(tl_factory, datetime(2026, 2, 20, 1, 0))
    from bot.pengaduan.repository import tanggapi

    with tl_factory.begin() as session:
        tanggapi(session, answered, "Sudah kami periksa.", "cli")
    with tl_factory() as session:
        rows = baris_pengaduan(session)
        where = posisi_semua(session, rows, now)
        order = [r.kode_tiket for r in sorted(rows, key=lambda r: where[r.kode_tiket].urutan)]
        session.commit()
    assert order == [later, late, soon, running, answered]
    assert where[answered].keadaan == "dijawab_terlambat"  # answered today (real clock), long after


def test_escalation_after_the_stated_days_recorded_once(tl_factory):
    kode = ajukan(tl_factory, datetime(2026, 3, 5, 15, 30))  # due Thursday 12 March (WITA)
    with tl_factory() as session:  # on the due date itself (15:00 WITA) nothing is escalated yet
        assert eskalasi_jatuh_tempo(session, datetime(2026, 3, 12, 7, 0)) == []
        session.commit()
    with tl_factory() as session:
        done = eskalasi_jatuh_tempo(session, datetime(2026, 3, 13, 0, 0))  # Friday 08:00 WITA
        session.commit()
    assert done == [(kode, "Kepala DPMPTSP Kabupaten Balangan")]
    with tl_factory() as session:
        assert eskalasi_jatuh_tempo(session, datetime(2026, 3, 16, 0, 0)) == []  # once
        session.commit()
        row = row_by_kode(session, kode)
        steps = langkah_pengaduan(session, row)
        assert [(s.kepada, s.jatuh_tempo, s.oleh) for s in steps] == [
            ("Kepala DPMPTSP Kabupaten Balangan", date(2026, 3, 12), "sistem"),
            ("Inspektorat Kabupaten Balangan", None, None),  # no day count: a person decides
        ]
        history = [r.catatan or "" for r in row.riwayat]
        assert any(h.startswith("Eskalasi ke Kepala DPMPTSP Kabupaten Balangan") for h in history)
        audit = (
            session.execute(select(CatatanStafRow).where(CatatanStafRow.aksi == "eskalasi")).scalars().all()
        )
        assert [(a.username, a.objek) for a in audit] == [("sistem", kode)]


def test_an_answered_complaint_is_not_escalated(tl_factory):
    from bot.pengaduan.repository import tanggapi

    kode = ajukan(tl_factory, datetime(2026, 3, 5, 15, 30))
    with tl_factory.begin() as session:
        tanggapi(session, kode, "Sedang kami periksa.", "cli")
    with tl_factory() as session:
        assert eskalasi_jatuh_tempo(session, datetime(2026, 3, 20, 0, 0)) == []
        assert session.execute(select(EskalasiPengaduanRow)).first() is None


def test_complainant_told_of_lapor_after_the_due_date_once(tl_factory):
    kode = ajukan(tl_factory, datetime(2026, 3, 5, 15, 30))  # due Thursday 12 March (WITA)
    with tl_factory.begin() as session:
        _, outcome = langganan(
            session, "pengaduan", kode, "web-aduan-1", "webchat", datetime(2026, 3, 6, 0, 0)
        )
    assert outcome == "baru"

    def run(now):
        return asyncio.run(satu_putaran(tl_factory, lambda address: None, now, tracker_factory=tl_factory))

    assert run(datetime(2026, 3, 12, 7, 0)).kabar_baru == 0
    first = run(datetime(2026, 3, 13, 0, 0))
    assert first.eskalasi == [(kode, "Kepala DPMPTSP Kabupaten Balangan")] and first.kabar_baru == 1
    assert run(datetime(2026, 3, 16, 0, 0)).kabar_baru == 0  # told once
    with tl_factory() as session:
        [kabar] = session.execute(select(KabarRow)).scalars().all()
    assert kabar.jenis == "lewat_tenggat" and kabar.status == "menunggu_widget"
    assert "12 Maret 2026 (5 hari kerja menurut data tindak lanjut kantor)" in kabar.teks
    assert "Kepala DPMPTSP Kabupaten Balangan" in kabar.teks
    assert "SP4N-LAPOR!: situs https://www.lapor.go.id, SMS ke 1708" in kabar.teks and kode in kabar.teks
    # The same in the chat ("cek pengaduan").
    lines = keterangan_tenggat(tl_factory, kode, datetime(2026, 3, 16, 0, 0))
    assert "sudah lewat 2 hari kerja" in lines[0] and "SP4N-LAPOR!" in lines[1]
    assert keterangan_tenggat(tl_factory, kode, datetime(2026, 3, 10, 0, 0)) == [
        "Batas waktu tanggapan: 12 Maret 2026 (5 hari kerja menurut data tindak lanjut kantor)."
    ]
