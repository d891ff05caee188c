"""Office hours over the region data's shapes (zona_waktu, jam_layanan), holidays included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot.permohonan.kalender import KalenderKerja
from bot.petugas.jam_layanan import jadwal, jadwal_teks, status_layanan, waktu_teks


@dataclass(frozen=True)
class Jam:
    hari: tuple[str, ...]
    buka: str
    tutup: str


@dataclass(frozen=True)
class Region:
    id: str
    zona_waktu: str | None = None
    jam_layanan: tuple = ()


BALANGAN = Region(  # WITA, Monday-Thursday 08:00-16:00, Friday 08:00-11:00
    "balangan",
    "Asia/Makassar",
    (Jam(("senin", "selasa", "rabu", "kamis"), "08:00", "16:00"), Jam(("jumat",), "08:00", "11:00")),
)
CAL = KalenderKerja.from_yaml()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_open_inside_hours_in_the_office_time_zone():
    # Tuesday 2026-12-01 01:30 UTC = 09:30 WITA
    status = status_layanan(BALANGAN, utc(2026, 12, 1, 1, 30), CAL)
    assert status.buka and status.zona == "Asia/Makassar"
    assert status.tutup_pada.strftime("%H:%M %Z") == "16:00 WITA"


def test_after_closing_gives_the_next_morning_in_wita():
    # Tuesday 2026-12-01 08:30 UTC = 16:30 WITA: closed; opens Wednesday 08:00 WITA
    status = status_layanan(BALANGAN, utc(2026, 12, 1, 8, 30), CAL)
    assert not status.buka
    assert waktu_teks(status.buka_berikutnya) == "Rabu, 2 Desember 2026 pukul 08.00 WITA"


def test_friday_afternoon_waits_for_monday():
    # Friday 2026-12-04 04:00 UTC = 12:00 WITA, after Friday's 11:00 closing
    status = status_layanan(BALANGAN, utc(2026, 12, 4, 4, 0), CAL)
    assert not status.buka
    assert waktu_teks(status.buka_berikutnya) == "Senin, 7 Desember 2026 pukul 08.00 WITA"


def test_holidays_and_collective_leave_are_skipped():
    # Thursday 2025-03-27 10:00 UTC = 17:00 WIB; 28 March cuti bersama, Nyepi, Idul Fitri and the
    # cuti bersama after it: the office reopens Tuesday 8 April 2025.
    region = Region(
        "x", "Asia/Jakarta", (Jam(("senin", "selasa", "rabu", "kamis", "jumat"), "08:00", "16:00"),)
    )
    status = status_layanan(region, utc(2025, 3, 27, 10, 0), CAL)
    assert waktu_teks(status.buka_berikutnya) == "Selasa, 8 April 2025 pukul 08.00 WIB"
    during = status_layanan(region, utc(2025, 4, 1, 3, 0), CAL)  # Tuesday 10:00 WIB, Idul Fitri
    assert not during.buka and during.libur == "Idul Fitri 1446 Hijriah"


def test_region_without_hours_uses_the_documented_fallback():
    status = status_layanan(Region("y"), utc(2026, 12, 5, 3, 0), CAL)  # Saturday 10:00 WIB
    assert status.zona == "Asia/Jakarta" and not status.buka
    assert waktu_teks(status.buka_berikutnya) == "Senin, 7 Desember 2026 pukul 08.00 WIB"
    assert jadwal_teks(status) == "Senin-Jumat 08.00-16.00 WIB"
    assert status_layanan(None, utc(2026, 12, 7, 2, 0)).buka  # Monday 09:00 WIB, no region at all


def test_entries_as_dicts_and_bad_entries_are_tolerated():
    region = Region(
        "z",
        "Asia/Jayapura",
        (
            {"hari": ["sabtu"], "buka": "09.00", "tutup": "12:00"},
            {"hari": ["libur"], "buka": "x", "tutup": "y"},
        ),
    )
    zone, schedule = jadwal(region)
    assert zone.key == "Asia/Jayapura" and len(schedule) == 1
    status = status_layanan(region, utc(2026, 12, 5, 1, 0), CAL)  # Saturday 10:00 WIT
    assert status.buka
    assert jadwal_teks(status) == "Sabtu 09.00-12.00 WIT"


def test_unknown_time_zone_falls_back_to_jakarta():
    zone, _ = jadwal(Region("w", "Mars/Olympus"))
    assert zone.key == "Asia/Jakarta"


def test_schedule_text_groups_days():
    status = status_layanan(BALANGAN, utc(2026, 12, 1, 1, 30), CAL)
    assert jadwal_teks(status) == "Senin-Kamis 08.00-16.00; Jumat 08.00-11.00 WITA"
