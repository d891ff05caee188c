"""Working days (hari kerja) for the deadlines of the standards.

A standard promises completion within N working days "sejak diterimanya berkas permohonan secara
lengkap". A working day is Monday to Friday that is neither a national holiday (libur nasional) nor a
collective leave day (cuti bersama) of the yearly joint ministerial decree (SKB 3 Menteri). The days
live in `libur_nasional.yaml`, a project-owned table; a year missing from it falls back to weekends
only, with a warning in the logs, so a deadline is still given but may be a few days early.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Optional

import yaml

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent / "libur_nasional.yaml"
JENIS = ("libur_nasional", "cuti_bersama")


@dataclass(frozen=True)
class HariLibur:
    tanggal: date
    jenis: str  # one of JENIS
    nama: str


class KalenderKerja:
    """Indonesian working-day arithmetic over a table of holidays per year."""

    def __init__(self, libur: dict[int, dict[date, HariLibur]], perkiraan: frozenset[int] = frozenset()):
        self._libur = libur
        self._perkiraan = perkiraan
        self._warned: set[int] = set()

    @classmethod
    def from_yaml(cls, path: Optional[Path] = None) -> KalenderKerja:
        data = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8")) or {}
        libur: dict[int, dict[date, HariLibur]] = {}
        perkiraan: set[int] = set()
        for key, entry in data.items():
            year = int(key)
            days: dict[date, HariLibur] = {}
            for item in entry.get("hari") or []:
                tanggal = item["tanggal"]
                if not isinstance(tanggal, date):
                    tanggal = date.fromisoformat(str(tanggal))
                if tanggal.year != year:
                    raise ValueError(f"{path or DEFAULT_PATH}: {tanggal} listed under {year}")
                if item["jenis"] not in JENIS:
                    raise ValueError(f"{path or DEFAULT_PATH}: {tanggal}: unknown jenis {item['jenis']!r}")
                days[tanggal] = HariLibur(tanggal, item["jenis"], str(item["nama"]))
            libur[year] = days
            if entry.get("status") != "ditetapkan":
                perkiraan.add(year)
        return cls(libur, frozenset(perkiraan))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._libur))

    def _year(self, year: int) -> dict[date, HariLibur]:
        days = self._libur.get(year)
        if year not in self._warned:
            if days is None:
                self._warned.add(year)
                logger.warning(
                    "No national holidays known for %s: counting weekends only (add the year to %s)",
                    year,
                    DEFAULT_PATH.name,
                )
            elif year in self._perkiraan:
                self._warned.add(year)
                logger.warning(
                    "Holidays for %s are provisional (not yet checked against the SKB 3 Menteri)", year
                )
        return days or {}

    def libur(self, day: date) -> Optional[HariLibur]:
        """The holiday on `day`, or None."""
        return self._year(day.year).get(day)

    def is_hari_kerja(self, day: date) -> bool:
        return day.weekday() < 5 and self.libur(day) is None

    def tambah_hari_kerja(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself is not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_hari_kerja(current):
                remaining -= 1
        return current

    def hari_kerja_antara(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.hari_kerja_antara(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_hari_kerja(current):
                count += 1
        return count


_default: Optional[KalenderKerja] = None


def kalender() -> KalenderKerja:
    """The project calendar, read once from `libur_nasional.yaml`."""
    global _default
    if _default is None:
        _default = KalenderKerja.from_yaml()
    return _default


@dataclass(frozen=True)
class Tenggat:
    """The deadline of an application and where today stands against it."""

    batas: date  # last working day of the promised period
    hari_kerja_maks: int
    sisa_hari_kerja: int  # working days left after today (0 on the last day)
    terlambat_hari_kerja: int  # working days past the deadline (0 when not late)

    @property
    def terlambat(self) -> bool:
        return self.terlambat_hari_kerja > 0


def hitung_tenggat(
    tanggal_masuk: date, hari_kerja_maks: int, today: date, cal: Optional[KalenderKerja] = None
) -> Tenggat:
    """Deadline = date received + `hari_kerja_maks` working days; days left/overdue as of `today`."""
    cal = cal or kalender()
    batas = cal.tambah_hari_kerja(tanggal_masuk, hari_kerja_maks)
    if today <= batas:
        return Tenggat(batas, hari_kerja_maks, cal.hari_kerja_antara(today, batas), 0)
    return Tenggat(batas, hari_kerja_maks, 0, cal.hari_kerja_antara(batas, today))
