"""Survey answers: start or resume one, store each answer as it comes, finish, and the IKM of the
finished ones per service, region or period. Callers own the transaction (commit / rollback)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any, Iterable, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.permohonan.models import utcnow
from bot.permohonan.repository import hash_pengirim
from bot.skm.ikm import HasilIkm, hitung
from bot.skm.models import UNSUR, SkmResponRow

# An answer set that reached the comment is counted, and closed after this long without one.
TUTUP_SETELAH = timedelta(days=1)
# An unfinished survey can be resumed this long; then it forgets who answered it.
LANJUT_SELAMA = timedelta(days=30)
PER = ("layanan", "wilayah", "bulan", "semua")


def kunci(percakapan: str, subjek: str) -> str:
    """One survey per conversation and subject (an application, a complaint, or an office day)."""
    return hash_pengirim(f"skm|{percakapan}|{subjek}")


def berjalan(session: Session, percakapan: str) -> Optional[SkmResponRow]:
    """The conversation's unfinished survey, newest first."""
    return session.execute(
        select(SkmResponRow)
        .where(SkmResponRow.pengirim == hash_pengirim(percakapan), SkmResponRow.selesai.is_(False))
        .order_by(SkmResponRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def mulai(
    session: Session,
    percakapan: str,
    subjek: str,
    subjek_kunci: str,
    wilayah: str,
    standard_id: Optional[str],
    kanal: str,
    tanggal: date,
) -> tuple[SkmResponRow, bool]:
    """A new survey, or the one already started for this subject. Returns (row, created)."""
    key = kunci(percakapan, subjek_kunci)
    found = session.execute(select(SkmResponRow).where(SkmResponRow.kunci == key)).scalar_one_or_none()
    if found is not None:
        return found, False
    row = SkmResponRow(
        kunci=key,
        pengirim=hash_pengirim(percakapan),
        subjek=subjek,
        wilayah=wilayah,
        standard_id=standard_id,
        kanal=kanal[:32],
        tanggal=tanggal,
        berikut=0,
        selesai=False,
        dimulai_pada=utcnow(),
        diubah_pada=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same button pressed twice at once
        return session.execute(select(SkmResponRow).where(SkmResponRow.kunci == key)).scalar_one(), False
    return row, True


def jawab(session: Session, row: SkmResponRow, nilai: Optional[int]) -> None:
    """Store the answer to the current question (None: skipped) and move to the next."""
    if row.berikut >= len(UNSUR) or row.selesai:
        return
    if nilai is not None and not 1 <= nilai <= 4:
        raise ValueError("nilai harus 1-4")
    setattr(row, UNSUR[row.berikut], nilai)
    row.berikut += 1
    row.diubah_pada = utcnow()
    session.flush()


def selesaikan(session: Session, row: SkmResponRow, komentar: Optional[str] = None) -> None:
    """Close the survey: the comment is kept with personal data masked, who answered is forgotten."""
    from bot.tak_terjawab.samaran import samarkan

    if komentar and komentar.strip():
        row.komentar = samarkan(" ".join(komentar.split()))[:2000]
    row.berikut = max(row.berikut, len(UNSUR))
    row.selesai = True
    row.pengirim = None
    row.selesai_pada = row.diubah_pada = utcnow()
    session.flush()


def rapikan_survei(session: Session, now: Optional[datetime] = None) -> int:
    """Close answer sets left at the comment for TUTUP_SETELAH, and forget who started the ones left
    unfinished for LANJUT_SELAMA. Returns how many were touched."""
    now = now or utcnow()
    touched = 0
    for row in session.execute(
        select(SkmResponRow).where(
            SkmResponRow.selesai.is_(False), SkmResponRow.diubah_pada < now - TUTUP_SETELAH
        )
    ).scalars():
        if row.berikut >= len(UNSUR):
            selesaikan(session, row)
            touched += 1
        elif row.diubah_pada < now - LANJUT_SELAMA and row.pengirim is not None:
            row.pengirim = None
            touched += 1
    session.flush()
    return touched


def terhitung(
    session: Session,
    dari: Optional[date] = None,
    sampai: Optional[date] = None,
    wilayah: Optional[str] = None,
    standard_id: Optional[str] = None,
) -> list[SkmResponRow]:
    """Answer sets that went through all nine questions (answered or skipped), in a date range."""
    query = select(SkmResponRow).where(SkmResponRow.berikut >= len(UNSUR))
    if dari:
        query = query.where(SkmResponRow.tanggal >= dari)
    if sampai:
        query = query.where(SkmResponRow.tanggal <= sampai)
    if wilayah:
        query = query.where(SkmResponRow.wilayah == wilayah)
    if standard_id:
        query = query.where(SkmResponRow.standard_id == standard_id)
    return list(session.execute(query.order_by(SkmResponRow.tanggal, SkmResponRow.id)).scalars())


def jawaban(row: SkmResponRow) -> dict[str, Optional[int]]:
    return {key: getattr(row, key) for key in UNSUR}


@dataclass(frozen=True)
class BarisIkm:
    kelompok: str  # the group's key: standard id, region id, YYYY-MM, or "semua"
    label: str  # what people read
    hasil: HasilIkm


def _labels(session: Session, per: str, keys: Iterable[str]) -> dict[str, str]:
    from bot.knowledge import repository as kb

    if per == "layanan":
        regions = {r.id: r.nama for r in kb.list_regions(session)}
        names = {s.id: f"{s.nama} ({regions.get(s.wilayah, s.wilayah)})" for s in kb.list_standards(session)}
        return {k: names.get(k, k) if k != "-" else "(tanpa layanan: survei umum kantor)" for k in keys}
    if per == "wilayah":
        names = {r.id: r.nama for r in kb.list_regions(session)}
        return {k: names.get(k, k) for k in keys}
    if per == "semua":
        return {k: "Semua responden" for k in keys}
    return {k: k for k in keys}


def ikm_per(
    session: Session,
    per: str = "layanan",
    dari: Optional[date] = None,
    sampai: Optional[date] = None,
    wilayah: Optional[str] = None,
    standard_id: Optional[str] = None,
) -> list[BarisIkm]:
    """IKM of each service / region / month (or of all) over the counted answer sets."""
    if per not in PER:
        raise ValueError(f"per harus salah satu dari: {', '.join(PER)}")
    groups: dict[str, list[dict[str, Optional[int]]]] = {}
    for row in terhitung(session, dari, sampai, wilayah, standard_id):
        key = {
            "layanan": row.standard_id or "-",
            "wilayah": row.wilayah,
            "bulan": f"{row.tanggal:%Y-%m}",
            "semua": "semua",
        }[per]
        groups.setdefault(key, []).append(jawaban(row))
    labels = _labels(session, per, groups)
    rows = [BarisIkm(key, labels[key], hitung(answers)) for key, answers in groups.items()]
    if per == "bulan":
        return sorted(rows, key=lambda r: r.kelompok)
    return sorted(rows, key=lambda r: (-r.hasil.responden, r.label))


CSV_HEADER = (
    "kelompok",
    "nama",
    "responden",
    *(f"nrr_{k}" for k in UNSUR),
    "unsur_terisi",
    "ikm",
    "mutu",
    "kinerja",
)


def tulis_csv(rows: Iterable[BarisIkm], stream: IO[str]) -> None:
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADER)
    for row in rows:
        h = row.hasil
        writer.writerow(
            [
                row.kelompok,
                row.label,
                h.responden,
                *("" if h.nrr[k] is None else f"{h.nrr[k]:.3f}" for k in UNSUR),
                h.unsur_terisi,
                "" if h.ikm is None else f"{h.ikm:.2f}",
                h.mutu.mutu if h.mutu else "",
                h.mutu.kinerja if h.mutu else "",
            ]
        )


def komentar(
    session: Session,
    dari: Optional[date] = None,
    sampai: Optional[date] = None,
    wilayah: Optional[str] = None,
    limit: int = 50,
) -> list[Any]:
    """The latest comments (masked when they were saved), newest first."""
    query = select(
        SkmResponRow.tanggal, SkmResponRow.wilayah, SkmResponRow.standard_id, SkmResponRow.komentar
    ).where(SkmResponRow.komentar.is_not(None))
    if dari:
        query = query.where(SkmResponRow.tanggal >= dari)
    if sampai:
        query = query.where(SkmResponRow.tanggal <= sampai)
    if wilayah:
        query = query.where(SkmResponRow.wilayah == wilayah)
    return list(session.execute(query.order_by(SkmResponRow.id.desc()).limit(limit)).all())
