"""Failed attempts and lock-outs: guessing an application's phone digits or a ticket code.

Failures are counted per *key*, several keys per attempt: the application number (across all
senders), the sender (a keyed hash of the conversation id), and the client's address where the
channel has one (a keyed hash, set by the channel). A key that reaches its limit within its window
is locked for a while; a success never resets anything (the owner checking their own application
must not wipe an attacker's count). A locked application number is an alert for staff: logged at
WARNING as `SECURITY ALERT` and listed by `python -m bot permohonan terkunci`; staff unlock it with
`python -m bot permohonan buka-kunci NOMOR` (or it unlocks by itself after its lock time).

Unknown numbers are counted like known ones, so neither the answers nor the locks tell which
numbers exist. Rows live in the main database (table `verifikasi_percobaan`, migration
0005_keamanan), so limits hold across restarts and across processes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import Column, DateTime, Integer, String, select
from sqlalchemy.orm import Session

from bot.db import Base
from bot.permohonan.models import utcnow

logger = logging.getLogger(__name__)

# kinds of key
NOMOR = "nomor"  # normalized application number (office data, kept readable for staff)
PENGIRIM = "pengirim"  # keyed hash of the conversation id
KLIEN = "klien"  # keyed hash of the client's address
TIKET_PENGIRIM = "tiket_pengirim"  # ticket look-ups that found nothing, per sender
TIKET_KLIEN = "tiket_klien"  # ... per client address


@dataclass(frozen=True)
class Batas:
    """`maks` failures within `jendela` lock the key for `lama`."""

    maks: int
    jendela: timedelta
    lama: timedelta


BATAS: dict[str, Batas] = {
    # 5 guesses a day per application: 10,000 combinations take years, whoever asks.
    NOMOR: Batas(5, timedelta(hours=24), timedelta(hours=24)),
    PENGIRIM: Batas(3, timedelta(hours=1), timedelta(minutes=15)),
    # A shared address (an office network, a mobile carrier's NAT) serves many honest people.
    KLIEN: Batas(10, timedelta(hours=1), timedelta(hours=1)),
    TIKET_PENGIRIM: Batas(10, timedelta(hours=1), timedelta(minutes=15)),
    TIKET_KLIEN: Batas(30, timedelta(hours=1), timedelta(hours=1)),
}


class VerifikasiPercobaanRow(Base):
    __tablename__ = "verifikasi_percobaan"

    jenis = Column(String(16), primary_key=True)
    kunci = Column(String(64), primary_key=True)
    gagal = Column(Integer, nullable=False, default=0)
    jendela_mulai = Column(DateTime, nullable=False)
    gagal_terakhir = Column(DateTime, nullable=False)
    terkunci_sampai = Column(DateTime, nullable=True)


Kunci = tuple[str, str]  # (jenis, kunci)


def _keys(keys: Iterable[tuple[str, Optional[str]]]) -> list[Kunci]:
    return [(jenis, kunci[:64]) for jenis, kunci in keys if kunci]


def terkunci_sampai(
    session: Session, keys: Iterable[tuple[str, Optional[str]]], now: Optional[datetime] = None
) -> Optional[datetime]:
    """The latest lock among `keys` that is still running, or None."""
    now = now or utcnow()
    until: Optional[datetime] = None
    for jenis, kunci in _keys(keys):
        row = session.get(VerifikasiPercobaanRow, (jenis, kunci))
        if row is not None and row.terkunci_sampai and row.terkunci_sampai > now:
            until = max(until, row.terkunci_sampai) if until else row.terkunci_sampai
    return until


def catat_gagal(
    session: Session, keys: Iterable[tuple[str, Optional[str]]], now: Optional[datetime] = None
) -> Optional[datetime]:
    """Count one failure for each key; returns the latest lock this failure started (or None).
    The caller commits."""
    now = now or utcnow()
    until: Optional[datetime] = None
    for jenis, kunci in _keys(keys):
        batas = BATAS[jenis]
        row = session.get(VerifikasiPercobaanRow, (jenis, kunci))
        if row is None:
            row = VerifikasiPercobaanRow(
                jenis=jenis, kunci=kunci, gagal=0, jendela_mulai=now, gagal_terakhir=now
            )
            session.add(row)
        if now - row.jendela_mulai > batas.jendela:
            row.gagal, row.jendela_mulai = 0, now
        row.gagal += 1
        row.gagal_terakhir = now
        if row.gagal >= batas.maks and not (row.terkunci_sampai and row.terkunci_sampai > now):
            row.terkunci_sampai = now + batas.lama
            row.gagal, row.jendela_mulai = 0, now
            until = max(until, row.terkunci_sampai) if until else row.terkunci_sampai
            if jenis == NOMOR:
                logger.warning(
                    "SECURITY ALERT: application %s locked until %s UTC after %d failed ownership checks "
                    "(python -m bot permohonan buka-kunci %s)",
                    kunci,
                    f"{row.terkunci_sampai:%Y-%m-%d %H:%M}",
                    batas.maks,
                    kunci,
                )
            else:
                logger.info("%s locked for %s after %d failures", jenis, batas.lama, batas.maks)
    session.flush()
    return until


def buka_kunci(session: Session, jenis: str, kunci: str) -> bool:
    """Staff unlock: the key's lock and failures are cleared. True when there was something to clear."""
    row = session.get(VerifikasiPercobaanRow, (jenis, kunci))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


@dataclass(frozen=True)
class KunciAktif:
    jenis: str
    kunci: str
    terkunci_sampai: datetime
    gagal_terakhir: datetime


def daftar_terkunci(
    session: Session, jenis: Optional[str] = None, now: Optional[datetime] = None
) -> list[KunciAktif]:
    """Keys locked right now, latest lock first."""
    now = now or utcnow()
    query = select(VerifikasiPercobaanRow).where(VerifikasiPercobaanRow.terkunci_sampai > now)
    if jenis:
        query = query.where(VerifikasiPercobaanRow.jenis == jenis)
    rows = session.execute(query.order_by(VerifikasiPercobaanRow.terkunci_sampai.desc())).scalars()
    return [KunciAktif(r.jenis, r.kunci, r.terkunci_sampai, r.gagal_terakhir) for r in rows]


def hapus_kedaluwarsa(session: Session, now: Optional[datetime] = None) -> int:
    """Forget rows whose window and lock are over (retention); returns how many."""
    from sqlalchemy import delete, or_

    now = now or utcnow()
    longest = max(b.jendela for b in BATAS.values())
    result = session.execute(
        delete(VerifikasiPercobaanRow).where(
            VerifikasiPercobaanRow.gagal_terakhir < now - longest,
            or_(
                VerifikasiPercobaanRow.terkunci_sampai.is_(None), VerifikasiPercobaanRow.terkunci_sampai < now
            ),
        )
    )
    return result.rowcount or 0
