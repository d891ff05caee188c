"""A region's operating data as answers: its local time, whether the office is open, when it next
opens, and the complaint deadlines that follow from its defaults.

Pure functions of a `views.Region`, a datetime and the working-day calendar
(`bot.permohonan.kalender`, the project's holiday table): no database, and no clock unless `when` is
left out (then the clock is read once). A naive datetime is taken as UTC, which is how the project
stores times (`utcnow()`); results are aware datetimes in the region's zone.

The time zone is the office file's `zona_waktu`; the environment variable `PANDU_TZ`, when set,
overrides it for every region (a deployment that must pin one zone); a Region without one (built in
code) gets Asia/Jakarta (WIB).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo

from bot.knowledge.schema import HARI
from bot.knowledge.views import Eskalasi, JamLayanan, Region
from bot.permohonan.kalender import HariLibur, KalenderKerja, kalender

ENV_ZONA = "PANDU_TZ"
ZONA_BAKU = "Asia/Jakarta"
# How the zones are called in Indonesia (what a reply says after a time).
LABEL_ZONA = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
# Looking further ahead than this for an opening means the hours table is empty or all holidays.
_HARI_CARI = 60


def nama_zona(region: Optional[Region]) -> str:
    """The IANA name of the zone dates of `region` are computed in (PANDU_TZ overrides)."""
    override = os.environ.get(ENV_ZONA, "").strip()
    if override:
        return override
    if region is not None and region.zona_waktu:
        return region.zona_waktu
    return ZONA_BAKU


def zona(region: Optional[Region]) -> ZoneInfo:
    return ZoneInfo(nama_zona(region))


def label_zona(region: Optional[Region]) -> str:
    """'WITA' for Asia/Makassar; the IANA name for zones outside Indonesia."""
    name = nama_zona(region)
    return LABEL_ZONA.get(name, name)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def waktu_lokal(region: Optional[Region], when: Optional[datetime] = None) -> datetime:
    """`when` (default: now) in the region's zone; a naive `when` is UTC."""
    if when is None:
        when = _utcnow()
    elif when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(zona(region))


def hari_ini(region: Optional[Region], now: Optional[datetime] = None) -> date:
    """Today's date at the office (a WITA office is a day ahead of UTC from 16:00 UTC)."""
    return waktu_lokal(region, now).date()


def _intervals(hours: tuple[JamLayanan, ...], day: date) -> list[tuple[time, time]]:
    name = HARI[day.weekday()]
    return sorted((h.buka, h.tutup) for h in hours if name in h.hari)


@dataclass(frozen=True)
class StatusKantor:
    """Whether an office is open at `waktu`, and the times around it (all in the office's zone)."""

    buka: bool
    waktu: datetime  # the moment asked about, in the office's zone
    tutup_pada: Optional[datetime]  # when open: when this opening ends
    buka_berikutnya: Optional[datetime]  # when closed: the next opening (None: no hours known)
    libur: Optional[HariLibur]  # the holiday or collective leave day of that date, if any
    terverifikasi: bool  # the hours were confirmed by the office (jam_layanan_terverifikasi)
    zona: str  # IANA name

    @property
    def ada_jam_layanan(self) -> bool:
        return self.buka or self.buka_berikutnya is not None


def status_kantor(
    region: Region, when: Optional[datetime] = None, cal: Optional[KalenderKerja] = None
) -> StatusKantor:
    """Is the office of `region` open at `when` (default: now)? If not, when does it next open?

    Closed on days without hours in `jam_layanan` (weekends, for the usual hours) and on the national
    holidays and collective leave days of the project's holiday table.
    """
    cal = cal or kalender()
    local = waktu_lokal(region, when)
    tz = local.tzinfo
    today = local.date()
    libur = cal.libur(today)
    if libur is None:
        for buka, tutup in _intervals(region.jam_layanan, today):
            if buka <= local.time() < tutup:
                closes = datetime.combine(today, tutup, tzinfo=tz)
                return StatusKantor(
                    True, local, closes, None, None, region.jam_layanan_terverifikasi, nama_zona(region)
                )
    upcoming = _next_opening(region, local, cal)
    return StatusKantor(
        False, local, None, upcoming, libur, region.jam_layanan_terverifikasi, nama_zona(region)
    )


def _next_opening(region: Region, local: datetime, cal: KalenderKerja) -> Optional[datetime]:
    if not region.jam_layanan:
        return None
    for offset in range(_HARI_CARI + 1):
        day = local.date() + timedelta(days=offset)
        if cal.libur(day) is not None:
            continue
        for buka, _ in _intervals(region.jam_layanan, day):
            start = datetime.combine(day, buka, tzinfo=local.tzinfo)
            if start > local:
                return start
    return None


def buka_berikutnya(
    region: Region, when: Optional[datetime] = None, cal: Optional[KalenderKerja] = None
) -> Optional[datetime]:
    """The next time the office opens after `when` (None when the region has no office hours)."""
    return _next_opening(region, waktu_lokal(region, when), cal or kalender())


_HARI_LABEL = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # date.weekday() order
_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def waktu_teks(region: Optional[Region], moment: datetime) -> str:
    """'Senin, 7 Desember 2026 pukul 08.00 WITA' (the moment in the office's zone)."""
    local = waktu_lokal(region, moment)
    return (
        f"{_HARI_LABEL[local.weekday()]}, {local.day} {_BULAN[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} {label_zona(region)}"
    )


def ringkas_jam_layanan(region: Region) -> str:
    """'Senin-Kamis 07.30-16.00 WITA; Jumat 07.30-16.30 WITA' ('' when no hours are known)."""
    parts = []
    for hours in region.jam_layanan:
        days = [d for d in HARI if d in hours.hari]
        indexes = [HARI.index(d) for d in days]
        if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
            label = f"{days[0].capitalize()}-{days[-1].capitalize()}"
        else:
            label = ", ".join(d.capitalize() for d in days)
        parts.append(
            f"{label} {hours.buka.strftime('%H.%M')}-{hours.tutup.strftime('%H.%M')} {label_zona(region)}"
        )
    return "; ".join(parts)


def waktu_tanggapan(region: Optional[Region], hari_kerja_standar: Optional[int] = None) -> Optional[int]:
    """Working days an office has to answer a complaint: the standard's own rule when it states one
    (`bot.pengaduan.aturan`), else the office default; None when neither says."""
    if hari_kerja_standar:
        return hari_kerja_standar
    if region is not None:
        return region.pengaduan.waktu_tanggapan_hari_kerja
    return None


def tenggat_tanggapan(
    region: Optional[Region],
    diterima: datetime,
    hari_kerja_standar: Optional[int] = None,
    cal: Optional[KalenderKerja] = None,
) -> Optional[date]:
    """The last day to answer a complaint received at `diterima`: that date at the office plus the
    response time in working days (see `waktu_tanggapan`); None when no response time is known."""
    days = waktu_tanggapan(region, hari_kerja_standar)
    if not days:
        return None
    return (cal or kalender()).tambah_hari_kerja(hari_ini(region, diterima), days)


def jadwal_eskalasi(
    region: Region, diterima: datetime, cal: Optional[KalenderKerja] = None
) -> tuple[tuple[Eskalasi, Optional[date]], ...]:
    """Each escalation step of the office with the date it becomes due for a complaint received at
    `diterima` (None for a step the standard gives no day count: a person decides)."""
    cal = cal or kalender()
    start = hari_ini(region, diterima)
    return tuple(
        (step, cal.tambah_hari_kerja(start, step.setelah_hari_kerja) if step.setelah_hari_kerja else None)
        for step in region.pengaduan.eskalasi
    )
