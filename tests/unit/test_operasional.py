"""Region operating data: the office's time zone, whether it is open and when it next opens (weekends
and the project's holiday table), complaint deadlines; read from the served office files."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge import operasional as ops
from bot.knowledge import repository
from bot.knowledge.views import Eskalasi, JamLayanan, PengaduanWilayah, Region
from bot.permohonan.kalender import KalenderKerja

WITA, WIB = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta")
USUAL_HOURS = (
    JamLayanan(("senin", "selasa", "rabu", "kamis"), time(7, 30), time(16, 0)),
    JamLayanan(("jumat",), time(7, 30), time(16, 30)),
)


@pytest.fixture(autouse=True)
def no_tz_override(monkeypatch):
    monkeypatch.delenv(ops.ENV_ZONA, raising=False)


@pytest.fixture(scope="module")
def cal() -> KalenderKerja:
    return KalenderKerja.from_yaml()  # the project's table (2025 is from the published SKB)


@pytest.fixture(scope="module")
def regions(real_knowledge_factory) -> dict[str, Region]:
    with real_knowledge_factory() as session:
        return {r.id: r for r in repository.list_regions(session)}


def office(zone: str = "Asia/Makassar", hours=USUAL_HOURS, **kw) -> Region:
    return Region("x", "Kabupaten X", "DPMPTSP X", zona_waktu=zone, jam_layanan=hours, **kw)


# --- what the served office files hold -------------------------------------------------------


def test_regions_carry_their_operating_data(regions):
    balangan, oki, purwakarta = regions["balangan"], regions["ogan-komering-ilir"], regions["purwakarta"]
    assert (balangan.zona_waktu, oki.zona_waktu, purwakarta.zona_waktu) == (
        "Asia/Makassar",
        "Asia/Jakarta",
        "Asia/Jakarta",
    )
    for region in regions.values():
        assert region.jam_layanan == USUAL_HOURS
        assert region.jam_layanan_terverifikasi is False
        assert region.pengaduan.kanal_nasional.nama == "SP4N-LAPOR!"
        assert (region.pengaduan.kanal_nasional.website, region.pengaduan.kanal_nasional.sms) == (
            "https://www.lapor.go.id",
            "1708",
        )
    assert purwakarta.pengaduan.waktu_tanggapan_hari_kerja == 14
    assert [s.setelah_hari_kerja for s in purwakarta.pengaduan.eskalasi] == [14, None]
    assert "14 (empat belas) hari kerja" in purwakarta.pengaduan.dasar
    assert balangan.pengaduan.waktu_tanggapan_hari_kerja is None and balangan.pengaduan.eskalasi == ()


def test_a_region_built_without_the_new_fields_still_works():
    region = Region("a", "Kabupaten A", "Kantor A", telepon=("0526-1",))
    assert region.zona_waktu is None and region.jam_layanan == () and region.pengaduan == PengaduanWilayah()
    assert ops.nama_zona(region) == "Asia/Jakarta"
    status = ops.status_kantor(region, datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc))
    assert not status.buka and status.buka_berikutnya is None and not status.ada_jam_layanan
    assert ops.tenggat_tanggapan(region, datetime(2026, 11, 23)) is None


# --- time zones -------------------------------------------------------------------------------


def test_dates_are_the_office_dates(regions):
    # 16:30 UTC on 23 Nov 2026 is already 24 Nov 00:30 in Balangan (WITA), still 23:30 on the 23rd in WIB.
    evening = datetime(2026, 11, 23, 16, 30)  # naive = UTC
    assert ops.hari_ini(regions["balangan"], evening) == date(2026, 11, 24)
    assert ops.hari_ini(regions["purwakarta"], evening) == date(2026, 11, 23)
    assert ops.waktu_lokal(regions["balangan"], evening).tzinfo == WITA
    assert ops.label_zona(regions["balangan"]) == "WITA" and ops.label_zona(regions["purwakarta"]) == "WIB"


def test_pandu_tz_overrides_every_region(regions, monkeypatch):
    monkeypatch.setenv(ops.ENV_ZONA, "Asia/Jayapura")
    assert ops.nama_zona(regions["purwakarta"]) == "Asia/Jayapura"
    assert ops.hari_ini(regions["purwakarta"], datetime(2026, 11, 23, 15, 30)) == date(2026, 11, 24)


def test_today_reads_the_clock_once_in_the_office_zone(monkeypatch, regions):
    monkeypatch.setattr(ops, "_utcnow", lambda: datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc))
    assert ops.hari_ini(regions["balangan"]) == date(2026, 11, 24)
    assert ops.hari_ini(None) == date(2026, 11, 23)  # no region: WIB


# --- open or closed, and when it opens next ------------------------------------------------------


def test_open_during_hours_with_its_closing_time(cal):
    status = ops.status_kantor(office(), datetime(2026, 11, 23, 10, 0, tzinfo=WITA), cal)  # Monday
    assert status.buka and status.tutup_pada == datetime(2026, 11, 23, 16, 0, tzinfo=WITA)
    assert status.buka_berikutnya is None and status.zona == "Asia/Makassar"
    assert status.terverifikasi is False


def test_the_time_is_read_in_the_office_zone(cal):
    # 06:45 WIB is 07:45 WITA: an office in WITA is open, one in WIB opens at 07:30 WIB.
    moment = datetime(2026, 11, 23, 6, 45, tzinfo=WIB)
    assert ops.status_kantor(office("Asia/Makassar"), moment, cal).buka
    closed = ops.status_kantor(office("Asia/Jakarta"), moment, cal)
    assert not closed.buka and closed.buka_berikutnya == datetime(2026, 11, 23, 7, 30, tzinfo=WIB)


def test_friday_evening_opens_on_monday(cal):
    status = ops.status_kantor(office(), datetime(2026, 11, 27, 16, 30, tzinfo=WITA), cal)  # Fri, closing
    assert not status.buka
    assert status.buka_berikutnya == datetime(2026, 11, 30, 7, 30, tzinfo=WITA)
    saturday = ops.status_kantor(office(), datetime(2026, 11, 28, 9, 0, tzinfo=WITA), cal)
    assert not saturday.buka and saturday.buka_berikutnya == datetime(2026, 11, 30, 7, 30, tzinfo=WITA)


def test_idul_fitri_and_cuti_bersama_are_skipped(cal):
    # 2025: cuti bersama Fri 28 Mar, Nyepi Sat 29, Idul Fitri Mon 31 Mar + Tue 1 Apr, cuti bersama
    # 2-4 and 7 Apr (SKB 3 Menteri): after Thursday 27 March the office opens on Tuesday 8 April.
    after_work = datetime(2025, 3, 27, 17, 0, tzinfo=WIB)
    assert ops.buka_berikutnya(office("Asia/Jakarta"), after_work, cal) == datetime(
        2025, 4, 8, 7, 30, tzinfo=WIB
    )
    holiday = ops.status_kantor(office("Asia/Jakarta"), datetime(2025, 3, 31, 10, 0, tzinfo=WIB), cal)
    assert not holiday.buka and holiday.libur is not None and "Idul Fitri" in holiday.libur.nama


def test_an_office_open_on_saturday_and_with_a_lunch_break(cal):
    hours = (
        JamLayanan(("senin", "selasa", "rabu", "kamis", "jumat"), time(8, 0), time(12, 0)),
        JamLayanan(("senin", "selasa", "rabu", "kamis", "jumat"), time(13, 0), time(16, 0)),
        JamLayanan(("sabtu",), time(8, 0), time(12, 0)),
    )
    region = office("Asia/Jakarta", hours)
    lunch = ops.status_kantor(region, datetime(2026, 11, 23, 12, 30, tzinfo=WIB), cal)
    assert not lunch.buka and lunch.buka_berikutnya == datetime(2026, 11, 23, 13, 0, tzinfo=WIB)
    assert ops.status_kantor(region, datetime(2026, 11, 28, 9, 0, tzinfo=WIB), cal).buka  # Saturday
    assert ops.ringkas_jam_layanan(region) == (
        "Senin-Jumat 08.00-12.00 WIB; Senin-Jumat 13.00-16.00 WIB; Sabtu 08.00-12.00 WIB"
    )


def test_usual_hours_summary(regions):
    assert ops.ringkas_jam_layanan(regions["balangan"]) == (
        "Senin-Kamis 07.30-16.00 WITA; Jumat 07.30-16.30 WITA"
    )


# --- complaint deadlines ---------------------------------------------------------------------------


def test_purwakarta_answers_complaints_in_14_working_days(regions, cal):
    # Received Thursday 20 Mar 2025, 10:00 WIB. Working days: 21, 24-27 Mar (5); 28 Mar cuti
    # bersama, 31 Mar-1 Apr Idul Fitri, 2-4 and 7 Apr cuti bersama; 8-11 Apr (9), 14-17 Apr (13);
    # 18 Apr Wafat Yesus Kristus; Mon 21 April 2025 is the 14th.
    received = datetime(2025, 3, 20, 3, 0)  # UTC
    assert ops.tenggat_tanggapan(regions["purwakarta"], received, cal=cal) == date(2025, 4, 21)
    steps = ops.jadwal_eskalasi(regions["purwakarta"], received, cal)
    assert [(s.setelah_hari_kerja, due) for s, due in steps] == [(14, date(2025, 4, 21)), (None, None)]


def test_the_standards_own_rule_wins_and_no_rule_means_no_deadline(regions, cal):
    received = datetime(2026, 11, 23, 2, 0)
    assert ops.tenggat_tanggapan(regions["balangan"], received, cal=cal) is None  # nothing stated
    assert ops.tenggat_tanggapan(regions["balangan"], received, hari_kerja_standar=3, cal=cal) == date(
        2026, 11, 26
    )


def test_the_received_date_is_the_office_date(cal):
    region = office("Asia/Makassar", pengaduan=PengaduanWilayah(5, eskalasi=(Eskalasi("Kepala Dinas", 5),)))
    # Thursday 26 Nov 2026 17:00 UTC is already Friday 27 Nov 01:00 in WITA: the 5 working days are
    # 30 Nov-4 Dec (counted from the UTC date it would end on 3 Dec).
    received = datetime(2026, 11, 26, 17, 0, tzinfo=timezone.utc)
    assert ops.tenggat_tanggapan(region, received, cal=cal) == date(2026, 12, 4)
    assert ops.jadwal_eskalasi(region, received, cal)[0][1] == date(2026, 12, 4)


def test_a_moment_is_written_in_the_offices_zone():
    from datetime import datetime, timezone

    from bot.knowledge.operasional import waktu_teks
    from bot.knowledge.views import Region

    balangan = Region("balangan", "Kabupaten Balangan", "DPMPTSP", zona_waktu="Asia/Makassar")
    moment = datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)  # 08.00 WITA
    assert waktu_teks(balangan, moment) == "Senin, 7 Desember 2026 pukul 08.00 WITA"
