"""Complaint due dates and where each complaint stands against its own.

The response time is the working-day rule of the complaint's standard (its `pengaduan` component,
read by `bot.pengaduan.aturan`), else the office's default (`pengaduan.waktu_tanggapan_hari_kerja` in
knowledge/wilayah/<slug>.yaml); the due date is the filing date at the office plus that many
working days of the project calendar (weekends, national holidays, cuti bersama), in the office's
time zone (`bot.knowledge.operasional`). It is fixed once, the first time a complaint is seen, and
stored (`tenggat_pengaduan`), so a later change of the office data never moves a promised date.

Suggestions (`jenis = saran`) and complaints of a region whose standard and office data state no
response time get no due date: nothing is promised that the office did not promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge import operasional
from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
from bot.permohonan.kalender import KalenderKerja, kalender
from bot.permohonan.models import utcnow
from bot.tindak_lanjut.models import DASAR, TenggatPengaduanRow

# Unanswered complaints with this many working days or fewer left are "due soon".
SEGERA_HARI_KERJA = 2
# Statuses that close a complaint: the complainant has the office's answer.
STATUS_AKHIR = ("selesai", "ditolak")
# A staff response is recorded in the complaint's history with this prefix (bot/pengaduan/repository.py).
AWALAN_TANGGAPAN = "tanggapan: "

KEADAAN: dict[str, str] = {
    "terlambat": "Lewat batas waktu",
    "segera": "Segera jatuh tempo",
    "berjalan": "Dalam batas waktu",
    "tanpa_tenggat": "Tanpa batas waktu",
    "dijawab": "Ditanggapi tepat waktu",
    "dijawab_terlambat": "Ditanggapi terlambat",
}
_URUTAN = {k: i for i, k in enumerate(KEADAAN)}


@dataclass(frozen=True)
class AturanTenggat:
    hari_kerja: Optional[int]
    dasar: Optional[str]  # key of DASAR
    tenggat: Optional[date]
    zona: str


def aturan_tenggat(session: Session, row: PengaduanRow, cal: Optional[KalenderKerja] = None) -> AturanTenggat:
    """The response time and due date of one complaint under today's rules."""
    from bot.knowledge import repository as kb
    from bot.pengaduan.aturan import aturan_dari_standar, standar_acuan

    region = kb.get_region(session, row.wilayah) if row.wilayah else None
    zona = operasional.nama_zona(region)
    if row.jenis == "saran":
        return AturanTenggat(None, None, None, zona)
    standar_hari = aturan_dari_standar(
        standar_acuan(session, row.wilayah, row.standard_id)
    ).waktu_tanggapan_hari_kerja
    hari = operasional.waktu_tanggapan(region, standar_hari)
    if not hari:
        return AturanTenggat(None, None, None, zona)
    dasar = "standar" if standar_hari else "kantor"
    tenggat = operasional.tenggat_tanggapan(region, row.dibuat_pada, standar_hari, cal or kalender())
    return AturanTenggat(hari, dasar, tenggat, zona)


def pastikan_tenggat(
    session: Session, rows: Iterable[PengaduanRow], cal: Optional[KalenderKerja] = None
) -> dict[int, TenggatPengaduanRow]:
    """The stored due date of each complaint, computing (and adding) the missing ones. The caller
    commits."""
    rows = list(rows)
    ids = [r.id for r in rows]
    found: dict[int, TenggatPengaduanRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            (t.pengaduan_id, t)
            for t in session.execute(
                select(TenggatPengaduanRow).where(TenggatPengaduanRow.pengaduan_id.in_(chunk))
            ).scalars()
        )
    for row in rows:
        if row.id not in found:
            rule = aturan_tenggat(session, row, cal)
            stored = TenggatPengaduanRow(
                pengaduan_id=row.id,
                hari_kerja=rule.hari_kerja,
                dasar=rule.dasar,
                tenggat=rule.tenggat,
                zona=rule.zona,
                dihitung_pada=utcnow(),
            )
            session.add(stored)
            found[row.id] = stored
    session.flush()
    return found


def dijawab_pada(row: PengaduanRow) -> Optional[datetime]:
    """When the complainant first had an answer: the first staff response, or the complaint closed
    (selesai / ditolak); None while neither happened."""
    for entry in row.riwayat:
        if (entry.catatan or "").startswith(AWALAN_TANGGAPAN) or entry.status in STATUS_AKHIR:
            return entry.dicatat_pada
    if row.ditanggapi_pada is not None:
        return row.ditanggapi_pada
    if row.status in STATUS_AKHIR:
        return row.diubah_pada
    return None


@dataclass(frozen=True)
class PosisiTenggat:
    """One complaint against its due date, as of one day at its office."""

    kode_tiket: str
    hari_kerja: Optional[int]
    dasar: Optional[str]
    tenggat: Optional[date]
    zona: str
    keadaan: str  # key of KEADAAN
    hari_ini: date
    sisa_hari_kerja: int = 0  # unanswered, not late: working days left after today
    terlambat_hari_kerja: int = 0  # unanswered and late, or answered late: working days past the due date
    dijawab_pada: Optional[datetime] = None

    @property
    def label(self) -> str:
        if self.keadaan == "dijawab" and self.tenggat is None:
            return "Ditanggapi"
        return KEADAAN[self.keadaan]

    @property
    def dasar_label(self) -> str:
        return DASAR.get(self.dasar or "", "-")

    @property
    def terbuka(self) -> bool:
        """Unanswered: the office still owes an answer."""
        return self.keadaan in ("terlambat", "segera", "berjalan", "tanpa_tenggat")

    @property
    def urutan(self) -> tuple:
        """Sort key: late first (most late first), then due soon, running, no due date, answered."""
        if self.keadaan == "terlambat":
            return (_URUTAN[self.keadaan], -self.terlambat_hari_kerja, self.tenggat)
        if self.keadaan in ("segera", "berjalan"):
            return (_URUTAN[self.keadaan], self.sisa_hari_kerja, self.tenggat)
        return (_URUTAN[self.keadaan], 0, date.max)


def posisi(
    row: PengaduanRow,
    tenggat: TenggatPengaduanRow,
    now: Optional[datetime] = None,
    cal: Optional[KalenderKerja] = None,
) -> PosisiTenggat:
    """Where `row` stands on the office's date at `now` (naive UTC; default: now)."""
    cal = cal or kalender()
    zone = ZoneInfo(tenggat.zona)
    moment = (now or utcnow()).replace(tzinfo=timezone.utc)
    today = moment.astimezone(zone).date()
    base = dict(
        kode_tiket=row.kode_tiket,
        hari_kerja=tenggat.hari_kerja,
        dasar=tenggat.dasar,
        tenggat=tenggat.tenggat,
        zona=tenggat.zona,
        hari_ini=today,
    )
    answered = dijawab_pada(row)
    if answered is not None:
        answered_day = answered.replace(tzinfo=timezone.utc).astimezone(zone).date()
        if tenggat.tenggat is not None and answered_day > tenggat.tenggat:
            late = cal.hari_kerja_antara(tenggat.tenggat, answered_day)
            return PosisiTenggat(
                **base, keadaan="dijawab_terlambat", terlambat_hari_kerja=late, dijawab_pada=answered
            )
        return PosisiTenggat(**base, keadaan="dijawab", dijawab_pada=answered)
    if tenggat.tenggat is None:
        return PosisiTenggat(**base, keadaan="tanpa_tenggat")
    if today > tenggat.tenggat:
        return PosisiTenggat(
            **base, keadaan="terlambat", terlambat_hari_kerja=cal.hari_kerja_antara(tenggat.tenggat, today)
        )
    left = cal.hari_kerja_antara(today, tenggat.tenggat)
    return PosisiTenggat(
        **base, keadaan="segera" if left <= SEGERA_HARI_KERJA else "berjalan", sisa_hari_kerja=left
    )


def baris_pengaduan(
    session: Session, status: Optional[str] = None, wilayah: Optional[str] = None, limit: int = 5000
) -> list[PengaduanRow]:
    query = select(PengaduanRow).order_by(PengaduanRow.dibuat_pada.desc(), PengaduanRow.id.desc())
    if status:
        query = query.where(PengaduanRow.status == status)
    if wilayah:
        query = query.where(PengaduanRow.wilayah == wilayah)
    return list(session.execute(query.limit(limit)).scalars())


def posisi_semua(
    session: Session,
    rows: Iterable[PengaduanRow],
    now: Optional[datetime] = None,
    cal: Optional[KalenderKerja] = None,
) -> dict[str, PosisiTenggat]:
    """Ticket -> position for each complaint (due dates computed where missing; the caller commits)."""
    rows = list(rows)
    stored = pastikan_tenggat(session, rows, cal)
    return {r.kode_tiket: posisi(r, stored[r.id], now, cal) for r in rows}


def urutkan_mendesak(kodes_posisi: dict[str, PosisiTenggat], items: Iterable[Any]) -> list[Any]:
    """`items` (anything with `kode_tiket`) with the late and due-soon ones first."""
    return sorted(items, key=lambda p: kodes_posisi[p.kode_tiket].urutan)


def row_by_kode(session: Session, kode: str) -> Optional[PengaduanRow]:
    from bot.pengaduan.tiket import normalize_kode

    kode = normalize_kode(kode)
    if kode is None:
        return None
    return session.execute(select(PengaduanRow).where(PengaduanRow.kode_tiket == kode)).scalar_one_or_none()


def riwayat_sistem(row: PengaduanRow, catatan: str) -> None:
    """A line in the complaint's own history written by the follow-up (status unchanged)."""
    row.riwayat.append(
        PengaduanRiwayatRow(status=row.status, catatan=catatan, oleh="sistem", dicatat_pada=utcnow())
    )


def posisi_kode(
    session: Session, kodes: Iterable[str], now: Optional[datetime] = None
) -> dict[str, PosisiTenggat]:
    """Ticket -> position for the given tickets (the console's list; the caller commits)."""
    kodes = list(kodes)
    rows: list[PengaduanRow] = []
    for start in range(0, len(kodes), 500):
        rows += session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket.in_(kodes[start : start + 500]))
        ).scalars()
    return posisi_semua(session, rows, now)
