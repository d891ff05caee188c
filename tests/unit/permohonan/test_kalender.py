"""Working-day deadlines: weekends, national holidays, cuti bersama, year boundaries, unknown years."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.permohonan.kalender import KalenderKerja, hitung_tenggat, kalender


@pytest.fixture(scope="module")
def cal() -> KalenderKerja:
    return KalenderKerja.from_yaml()


def test_table_covers_2025_to_2027(cal):
    assert {2025, 2026, 2027} <= set(cal.years)


def test_weekend_is_not_a_working_day(cal):
    assert not cal.is_hari_kerja(date(2026, 11, 21))  # Saturday
    assert not cal.is_hari_kerja(date(2026, 11, 22))  # Sunday
    assert cal.is_hari_kerja(date(2026, 11, 23))  # Monday


def test_plain_week_deadline_skips_the_weekend(cal):
    # Received Thursday 5 Nov 2026; 3 working days: Fri 6, Mon 9, Tue 10.
    assert cal.tambah_hari_kerja(date(2026, 11, 5), 3) == date(2026, 11, 10)


def test_idul_fitri_and_cuti_bersama_2026_are_skipped(cal):
    # 2026: Nyepi 19 Mar (+cuti 18 Mar), Idul Fitri 21-22 Mar (+cuti 20, 23, 24 Mar).
    for day in (
        date(2026, 3, 18),
        date(2026, 3, 19),
        date(2026, 3, 20),
        date(2026, 3, 23),
        date(2026, 3, 24),
    ):
        assert not cal.is_hari_kerja(day), day
    assert cal.libur(date(2026, 3, 23)).jenis == "cuti_bersama"
    # Received Tue 17 Mar; 3 working days: Wed 25, Thu 26, Fri 27 (18-24 are all off).
    assert cal.tambah_hari_kerja(date(2026, 3, 17), 3) == date(2026, 3, 27)


def test_idul_fitri_2025_week_long_leave(cal):
    # 2025: 31 Mar-1 Apr Idul Fitri, 2-4 and 7 Apr cuti bersama; 28 Mar cuti Nyepi.
    assert cal.tambah_hari_kerja(date(2025, 3, 27), 1) == date(2025, 4, 8)


def test_deadline_crosses_the_year_boundary(cal):
    # Received Wed 23 Dec 2026: 24 Dec cuti bersama, 25 Dec Natal, weekend, 1 Jan 2027 holiday.
    # Working days: Mon 28, Tue 29, Wed 30, Thu 31 Dec, Mon 4 Jan 2027.
    assert cal.tambah_hari_kerja(date(2026, 12, 23), 5) == date(2027, 1, 4)


def test_unknown_year_falls_back_to_weekends_with_a_warning(caplog):
    cal = KalenderKerja.from_yaml()
    with caplog.at_level(logging.WARNING, logger="bot.permohonan.kalender"):
        # 1 Jan 2031 is a Wednesday: with no table for 2031 it counts as a working day.
        assert cal.tambah_hari_kerja(date(2030, 12, 31), 1) == date(2031, 1, 1)
    assert any("2031" in r.getMessage() and "weekends only" in r.getMessage() for r in caplog.records)


def test_working_days_between_is_inverse_of_adding(cal):
    start = date(2026, 5, 11)
    for n in (1, 5, 12, 30):
        assert cal.hari_kerja_antara(start, cal.tambah_hari_kerja(start, n)) == n


def test_tenggat_days_left_and_overdue(cal):
    # Received 2 Mar 2026, 12 working days: 3-6, 9-13, 16, 17 Mar (11), then 18-24 Mar are off -> 25 Mar.
    tenggat = hitung_tenggat(date(2026, 3, 2), 12, today=date(2026, 3, 2), cal=cal)
    assert tenggat.batas == date(2026, 3, 25)
    assert tenggat.sisa_hari_kerja == 12 and not tenggat.terlambat
    on_day = hitung_tenggat(date(2026, 3, 2), 12, today=date(2026, 3, 25), cal=cal)
    assert on_day.sisa_hari_kerja == 0 and not on_day.terlambat
    late = hitung_tenggat(date(2026, 3, 2), 12, today=date(2026, 3, 30), cal=cal)
    assert late.terlambat and late.terlambat_hari_kerja == 3  # 26, 27, 30 March


def test_bad_table_is_rejected(tmp_path):
    path = tmp_path / "libur.yaml"
    path.write_text(
        "'2026':\n  status: ditetapkan\n  hari:\n"
        "    - {tanggal: 2025-01-01, jenis: libur_nasional, nama: x}\n"
    )
    with pytest.raises(ValueError):
        KalenderKerja.from_yaml(path)


def test_default_calendar_is_cached():
    assert kalender() is kalender()
