"""Office hours: is the office open now, and when does it next open (in the office's time zone)?

Reads the shapes of the region data: `Region.zona_waktu` (an IANA name such as "Asia/Makassar")
and `Region.jam_layanan`, a tuple of entries with `hari` (a tuple of "senin".."minggu"), `buka` and
`tutup` ("HH:MM"). Entries may be objects or dicts. A region without them gets the documented
fallback: Asia/Jakarta, Monday to Friday 08:00-16:00. National holidays and collective leave days
(`bot/permohonan/libur_nasional.yaml`, via `bot.permohonan.kalender`) close the office all day.
Pure functions: the caller passes the time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.permohonan.kalender import KalenderKerja

logger = logging.getLogger(__name__)

HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")  # date.weekday() order
HARI_LABEL = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
ZONA_BAKU = "Asia/Jakarta"
CARI_HARI = 21  # how far ahead to look for the next opening (long holidays included)


@dataclass(frozen=True)
class Jam:
    """One line of a schedule: these days, from `buka` to `tutup` (local time)."""

    hari: tuple[str, ...]
    buka: time
    tutup: time


JADWAL_BAKU = (Jam(HARI[:5], time(8, 0), time(16, 0)),)


@dataclass(frozen=True)
class StatusLayanan:
    buka: bool
    sekarang: datetime  # local time of the office
    zona: str  # IANA name
    jadwal: tuple[Jam, ...]
    tutup_pada: Optional[datetime] = None  # when open: today's closing time
    buka_berikutnya: Optional[datetime] = None  # when closed: the next opening
    libur: Optional[str] = None  # today's holiday name, when that is why it is closed


def _time(value: Any) -> time:
    text = str(value).strip().replace(".", ":")
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def _field(entry: Any, name: str) -> Any:
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


def jadwal(region: Any) -> tuple[ZoneInfo, tuple[Jam, ...]]:
    """The time zone and schedule of a region (object or None), with the fallback for what is
    missing or unreadable (logged once per call, never raised: a reply must still be given)."""
    name = (getattr(region, "zona_waktu", None) or ZONA_BAKU) if region is not None else ZONA_BAKU
    try:
        zone = ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r, using %s", name, ZONA_BAKU)
        zone = ZoneInfo(ZONA_BAKU)
    entries: list[Jam] = []
    for entry in (getattr(region, "jam_layanan", None) or ()) if region is not None else ():
        try:
            days = tuple(str(d).strip().lower() for d in (_field(entry, "hari") or ()))
            unknown = [d for d in days if d not in HARI]
            if unknown or not days:
                raise ValueError(f"unknown days {unknown or days}")
            opening, closing = _time(_field(entry, "buka")), _time(_field(entry, "tutup"))
            if closing <= opening:
                raise ValueError("closing before opening")
            entries.append(Jam(days, opening, closing))
        except (TypeError, ValueError) as exc:
            logger.warning("office hours entry of %s skipped: %s", getattr(region, "id", "?"), exc)
    return zone, tuple(entries) or JADWAL_BAKU


def _hours_on(day: date, schedule: tuple[Jam, ...]) -> list[tuple[time, time]]:
    name = HARI[day.weekday()]
    return sorted((j.buka, j.tutup) for j in schedule if name in j.hari)


def status_layanan(
    region: Any, now: datetime, kalender: Optional[KalenderKerja] = None
) -> StatusLayanan:
    """Whether the office of `region` is open at `now` (aware, or naive UTC) and, when closed, when
    it next opens. Holidays from `kalender` close the office all day."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    zone, schedule = jadwal(region)
    local = now.astimezone(zone)

    def holiday(day: date) -> Optional[str]:
        if kalender is None:
            return None
        found = kalender.libur(day)
        return found.nama if found is not None else None

    today_holiday = holiday(local.date())
    if today_holiday is None:
        for opening, closing in _hours_on(local.date(), schedule):
            if opening <= local.time() < closing:
                closes = datetime.combine(local.date(), closing, tzinfo=zone)
                return StatusLayanan(True, local, str(zone.key), schedule, tutup_pada=closes)
    for offset in range(CARI_HARI + 1):
        day = local.date() + timedelta(days=offset)
        if holiday(day) is not None:
            continue
        for opening, _closing in _hours_on(day, schedule):
            start = datetime.combine(day, opening, tzinfo=zone)
            if start > local:
                return StatusLayanan(
                    False, local, str(zone.key), schedule, buka_berikutnya=start, libur=today_holiday
                )
    return StatusLayanan(False, local, str(zone.key), schedule, libur=today_holiday)


def zona_singkat(moment: datetime) -> str:
    """WIB / WITA / WIT (the zone's own abbreviation), or the UTC offset."""
    name = moment.tzname() or ""
    return name if name.isalpha() else moment.strftime("UTC%z")


def waktu_teks(moment: datetime) -> str:
    """'Senin, 7 Desember 2026 pukul 08.00 WITA'."""
    return (
        f"{HARI_LABEL[moment.weekday()]}, {moment.day} {BULAN[moment.month - 1]} {moment.year} "
        f"pukul {moment:%H.%M} {zona_singkat(moment)}"
    )


def jadwal_teks(status: StatusLayanan) -> str:
    """'Senin-Jumat 08.00-16.00 WIB' (one group per line of the schedule, joined by '; ')."""
    abbreviation = zona_singkat(status.sekarang)
    parts = []
    for jam in status.jadwal:
        indexes = sorted(HARI.index(d) for d in jam.hari)
        consecutive = indexes == list(range(indexes[0], indexes[-1] + 1))
        if consecutive and len(indexes) > 2:
            days = f"{HARI_LABEL[indexes[0]]}-{HARI_LABEL[indexes[-1]]}"
        else:
            days = ", ".join(HARI_LABEL[i] for i in indexes)
        parts.append(f"{days} {jam.buka:%H.%M}-{jam.tutup:%H.%M}")
    return "; ".join(parts) + f" {abbreviation}"
