"""Escalation of unanswered complaints along the steps of the region data.

`knowledge/wilayah/<slug>.yaml: pengaduan.eskalasi` lists who a complaint goes to and after how many
working days (Purwakarta: the head of office after 14 working days; the internal auditor when the
head decides, no day count). A step with a day count is recorded by the follow-up pass on the first
office day after it fell due while the complaint still had no answer; a step without one is shown to
staff and recorded when they decide (the console's *Catat eskalasi*). Each record goes to the
escalation table, the complaint's own history and the audit trail (ids and office names only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.knowledge import operasional
from bot.pengaduan.models import PengaduanRow
from bot.permohonan.kalender import KalenderKerja, kalender
from bot.permohonan.models import utcnow
from bot.tindak_lanjut.models import EskalasiPengaduanRow
from bot.tindak_lanjut.tenggat import pastikan_tenggat, posisi, riwayat_sistem


@dataclass(frozen=True)
class LangkahEskalasi:
    """One step of a complaint's escalation: when it falls due and whether it was recorded."""

    langkah: int
    kepada: str
    setelah_hari_kerja: Optional[int]
    dasar: Optional[str]
    jatuh_tempo: Optional[date]  # None: a person decides when
    dicatat_pada: Optional[datetime] = None
    oleh: Optional[str] = None

    @property
    def otomatis(self) -> bool:
        return self.setelah_hari_kerja is not None


def _recorded(session: Session, pengaduan_id: int) -> dict[int, EskalasiPengaduanRow]:
    return {
        r.langkah: r
        for r in session.execute(
            select(EskalasiPengaduanRow).where(EskalasiPengaduanRow.pengaduan_id == pengaduan_id)
        ).scalars()
    }


def langkah_pengaduan(
    session: Session, row: PengaduanRow, cal: Optional[KalenderKerja] = None
) -> list[LangkahEskalasi]:
    """The escalation steps of one complaint (its region's), with due dates and what was recorded."""
    from bot.knowledge import repository as kb

    region = kb.get_region(session, row.wilayah) if row.wilayah else None
    if region is None or row.jenis == "saran":
        return []
    done = _recorded(session, row.id)
    steps = []
    for index, (step, due) in enumerate(
        operasional.jadwal_eskalasi(region, row.dibuat_pada, cal or kalender())
    ):
        record = done.get(index)
        steps.append(
            LangkahEskalasi(
                index,
                step.kepada,
                step.setelah_hari_kerja,
                step.dasar,
                due,
                record.dicatat_pada if record else None,
                record.oleh if record else None,
            )
        )
    return steps


def catat_eskalasi(
    session: Session, row: PengaduanRow, step: LangkahEskalasi, oleh: str, alasan: str, staf: Any = None
) -> bool:
    """Record one step (False when it was recorded already); `staf` (a StafRow) when a person did it.
    The caller commits."""
    try:
        with session.begin_nested():
            session.add(
                EskalasiPengaduanRow(
                    pengaduan_id=row.id,
                    langkah=step.langkah,
                    kepada=step.kepada[:300],
                    setelah_hari_kerja=step.setelah_hari_kerja,
                    jatuh_tempo=step.jatuh_tempo,
                    oleh=oleh[:64],
                    dicatat_pada=utcnow(),
                )
            )
    except IntegrityError:
        return False
    riwayat_sistem(row, f"Eskalasi ke {step.kepada}: {alasan}")
    from bot.petugas.repository import catat

    catat(
        session,
        staf,
        "eskalasi",
        row.kode_tiket,
        f"langkah {step.langkah + 1}: {step.kepada}",
        username="sistem",
    )
    session.flush()
    return True


def eskalasi_jatuh_tempo(
    session: Session, now: Optional[datetime] = None, cal: Optional[KalenderKerja] = None
) -> list[tuple[str, str]]:
    """Record every automatic step that fell due (the office's date is past it) for an unanswered
    complaint. Returns (ticket, to whom) of each new record. The caller commits."""
    cal = cal or kalender()
    now = now or utcnow()
    done: list[tuple[str, str]] = []
    rows = list(
        session.execute(
            select(PengaduanRow).where(
                PengaduanRow.status.not_in(("selesai", "ditolak")), PengaduanRow.jenis != "saran"
            )
        ).scalars()
    )
    stored = pastikan_tenggat(session, rows, cal)
    for row in rows:
        where = posisi(row, stored[row.id], now, cal)
        if not where.terbuka:
            continue
        for step in langkah_pengaduan(session, row, cal):
            if step.dicatat_pada is not None or not step.otomatis or step.jatuh_tempo is None:
                continue
            if where.hari_ini <= step.jatuh_tempo:
                continue
            alasan = (
                f"belum ditanggapi {step.setelah_hari_kerja} hari kerja sejak diterima "
                f"(jatuh tempo {step.jatuh_tempo.isoformat()})"
            )
            if catat_eskalasi(session, row, step, "sistem", alasan):
                done.append((row.kode_tiket, step.kepada))
    return done
