"""Unanswered questions: record one (masked, grouped), list the groups, resolve or reopen one.
Callers own the transaction (commit / rollback)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.permohonan.models import utcnow
from bot.tak_terjawab import kelompok
from bot.tak_terjawab.models import JENIS, KelompokTakTerjawabRow, TakTerjawabRow
from bot.tak_terjawab.samaran import samarkan

TEKS_MAKS = 500  # characters of one question kept (a long message is cut)
KANDIDAT = 2000  # groups compared with a new question: the most recently seen


def kunci_pesan(percakapan: str, waktu: float) -> str:
    return hashlib.sha256(f"tak-terjawab|{percakapan}|{waktu!r}".encode()).hexdigest()


def catat(
    session: Session,
    teks: str,
    jenis: str,
    kanal: str,
    kunci: str,
    wilayah: Optional[str] = None,
    waktu: Optional[datetime] = None,
    nama_dikenal: tuple[str, ...] = (),
    kode_dikenal: tuple[str, ...] = (),
) -> Optional[TakTerjawabRow]:
    """Record one unanswered question (masked here) in its group (found or new). None when this
    message (`kunci`) was recorded before or has no words."""
    if jenis not in JENIS:
        raise ValueError(f"jenis {jenis!r} tidak dikenal")
    if session.execute(select(TakTerjawabRow.id).where(TakTerjawabRow.kunci == kunci)).first() is not None:
        return None
    masked = " ".join(samarkan(teks, nama_dikenal, kode_dikenal).split())[:TEKS_MAKS]
    if not masked:
        return None
    waktu = waktu or utcnow()
    key = kelompok.kunci(masked)
    candidates = session.execute(
        select(KelompokTakTerjawabRow.id, KelompokTakTerjawabRow.kunci)
        .order_by(KelompokTakTerjawabRow.terakhir_pada.desc())
        .limit(KANDIDAT)
    ).all()
    best = kelompok.paling_mirip(key, [(c.id, c.kunci) for c in candidates])
    if best is None:
        group = KelompokTakTerjawabRow(
            contoh=masked,
            kunci=key,
            jumlah=0,
            pertama_pada=waktu,
            terakhir_pada=waktu,
            status="terbuka",
            muncul_lagi=0,
        )
        session.add(group)
        session.flush()
    else:
        group = session.get(KelompokTakTerjawabRow, best[0])
    group.jumlah += 1
    group.terakhir_pada = max(group.terakhir_pada, waktu)
    if group.status == "selesai" and group.diselesaikan_pada is not None and waktu > group.diselesaikan_pada:
        # Asked again after staff fixed it: the fix did not cover this, so it is open again.
        group.muncul_lagi += 1
        group.status = "terbuka"
    row = TakTerjawabRow(
        kunci=kunci,
        kelompok_id=group.id,
        teks=masked,
        jenis=jenis,
        kanal=(kanal or "-")[:32],
        wilayah=wilayah,
        dicatat_pada=waktu,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # recorded meanwhile by another reader
        group.jumlah -= 1
        return None
    return row


@dataclass(frozen=True)
class Kelompok:
    id: int
    contoh: str
    jumlah: int
    jumlah_periode: int  # occurrences in the period asked about
    per_jenis: dict[str, int]
    per_kanal: dict[str, int]
    pertama_pada: datetime
    terakhir_pada: datetime
    status: str
    catatan: Optional[str]
    diselesaikan_oleh: Optional[str]
    diselesaikan_pada: Optional[datetime]
    muncul_lagi: int


def daftar_kelompok(
    session: Session,
    status: Optional[str] = None,
    dari: Optional[datetime] = None,
    sampai: Optional[datetime] = None,
    wilayah: Optional[str] = None,
    limit: int = 200,
) -> list[Kelompok]:
    """Groups with occurrences in [dari, sampai) (all time by default), most frequent first."""
    query = select(
        TakTerjawabRow.kelompok_id, TakTerjawabRow.jenis, TakTerjawabRow.kanal, func.count()
    ).group_by(TakTerjawabRow.kelompok_id, TakTerjawabRow.jenis, TakTerjawabRow.kanal)
    if dari:
        query = query.where(TakTerjawabRow.dicatat_pada >= dari)
    if sampai:
        query = query.where(TakTerjawabRow.dicatat_pada < sampai)
    if wilayah:
        query = query.where(TakTerjawabRow.wilayah == wilayah)
    counts: dict[int, dict[str, dict[str, int]]] = {}
    for group_id, jenis, kanal, n in session.execute(query).all():
        entry = counts.setdefault(group_id, {"jenis": {}, "kanal": {}})
        entry["jenis"][jenis] = entry["jenis"].get(jenis, 0) + n
        entry["kanal"][kanal] = entry["kanal"].get(kanal, 0) + n
    if not counts:
        return []
    groups = session.execute(
        select(KelompokTakTerjawabRow).where(KelompokTakTerjawabRow.id.in_(list(counts)))
    ).scalars()
    out = []
    for g in groups:
        if status and g.status != status:
            continue
        c = counts[g.id]
        out.append(
            Kelompok(
                g.id,
                g.contoh,
                g.jumlah,
                sum(c["jenis"].values()),
                c["jenis"],
                c["kanal"],
                g.pertama_pada,
                g.terakhir_pada,
                g.status,
                g.catatan,
                g.diselesaikan_oleh,
                g.diselesaikan_pada,
                g.muncul_lagi,
            )
        )
    out.sort(key=lambda k: (-k.jumlah_periode, -k.terakhir_pada.timestamp()))
    return out[:limit]


def contoh_kelompok(session: Session, kelompok_id: int, limit: int = 20) -> list[TakTerjawabRow]:
    return list(
        session.execute(
            select(TakTerjawabRow)
            .where(TakTerjawabRow.kelompok_id == kelompok_id)
            .order_by(TakTerjawabRow.id.desc())
            .limit(limit)
        ).scalars()
    )


def selesaikan(
    session: Session, kelompok_id: int, catatan: str, oleh: str, now: Optional[datetime] = None
) -> list[str]:
    """Mark a group resolved with what was done. Returns the problems (empty when done)."""
    catatan = " ".join((catatan or "").split())
    if not catatan:
        return ["tulis catatan apa yang dilakukan (misalnya alias yang ditambahkan)"]
    group = session.get(KelompokTakTerjawabRow, kelompok_id)
    if group is None:
        return ["kelompok tidak ditemukan"]
    group.status, group.catatan = "selesai", catatan[:2000]
    group.diselesaikan_oleh, group.diselesaikan_pada = oleh[:64], now or utcnow()
    session.flush()
    return []


def buka_lagi(session: Session, kelompok_id: int) -> list[str]:
    group = session.get(KelompokTakTerjawabRow, kelompok_id)
    if group is None:
        return ["kelompok tidak ditemukan"]
    group.status = "terbuka"
    session.flush()
    return []
