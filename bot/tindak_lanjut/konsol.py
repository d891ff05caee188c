"""What the staff console shows of a complaint's follow-up (bot/konsol/halaman/pengaduan.py): where it
stands against its due date, its escalation steps, and the notifications sent about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from sqlalchemy.orm import Session

from bot.tindak_lanjut.eskalasi import LangkahEskalasi, catat_eskalasi, langkah_pengaduan
from bot.tindak_lanjut.tenggat import PosisiTenggat, pastikan_tenggat, posisi, row_by_kode


@dataclass(frozen=True)
class TindakLanjut:
    posisi: PosisiTenggat
    eskalasi: list[LangkahEskalasi]
    kabar: list[tuple[Any, Any]]  # (KabarRow, LanggananKabarRow), newest first
    pelanggan: int  # conversations following this complaint now


def tindak_lanjut(session: Session, kode: str, now: Optional[datetime] = None) -> Optional[TindakLanjut]:
    from bot.notifikasi.langganan import jumlah_langganan, kabar_untuk

    row = row_by_kode(session, kode)
    if row is None:
        return None
    where = posisi(row, pastikan_tenggat(session, [row])[row.id], now)
    kabar = kabar_untuk(session, "pengaduan", row.kode_tiket)
    for k, s in kabar:
        session.expunge(k)
        session.expunge(s)
    return TindakLanjut(
        where, langkah_pengaduan(session, row), kabar, jumlah_langganan(session, "pengaduan", row.kode_tiket)
    )


def catat_eskalasi_manual(session: Session, kode: str, langkah: int, staf: Any) -> list[str]:
    """Staff record a step a person decides (or one that fell due before the worker ran)."""
    row = row_by_kode(session, kode)
    if row is None:
        return ["pengaduan tidak ditemukan"]
    steps = {s.langkah: s for s in langkah_pengaduan(session, row)}
    step = steps.get(langkah)
    if step is None:
        return ["langkah eskalasi tidak dikenal"]
    if step.dicatat_pada is not None:
        return [f"eskalasi ke {step.kepada} sudah tercatat"]
    catat_eskalasi(session, row, step, f"konsol:{staf.username}"[:64], f"dicatat oleh {staf.nama}", staf=staf)
    return []


@dataclass(frozen=True)
class KabarRujukan:
    kabar: list[tuple[Any, Any]]  # (KabarRow, LanggananKabarRow), newest first
    pelanggan: int


def kabar_permohonan(session: Session, nomor: str) -> KabarRujukan:
    """The notifications about one application (its console page)."""
    from bot.notifikasi.langganan import jumlah_langganan, kabar_untuk

    kabar = kabar_untuk(session, "permohonan", nomor)
    for k, s in kabar:
        session.expunge(k)
        session.expunge(s)
    return KabarRujukan(kabar, jumlah_langganan(session, "permohonan", nomor))
