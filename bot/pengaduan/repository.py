"""Complaints: create (idempotent), read, list, respond, change status.

`buat_pengaduan` commits before it returns: a ticket handed to the assistant is a saved ticket.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.pengaduan.models import JENIS, KATEGORI, STATUS, PengaduanRiwayatRow, PengaduanRow
from bot.pengaduan.tiket import buat_kode, normalize_kode
from bot.permohonan.models import utcnow

URAIAN_MIN = 20
URAIAN_MAX = 2000


@dataclass(frozen=True)
class RiwayatPengaduan:
    status: str
    catatan: Optional[str]
    oleh: str
    dicatat_pada: datetime


@dataclass(frozen=True)
class Pengaduan:
    kode_tiket: str
    jenis: str
    kategori: str
    wilayah: Optional[str]
    standard_id: Optional[str]
    nomor_permohonan: Optional[str]
    uraian: str
    waktu_kejadian: Optional[str]
    nama: Optional[str]
    kontak: Optional[str]
    kanal: str
    status: str
    tanggapan: Optional[str]
    ditanggapi_pada: Optional[datetime]
    dibuat_pada: datetime
    riwayat: tuple[RiwayatPengaduan, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return STATUS.get(self.status, self.status)

    @property
    def kategori_label(self) -> str:
        return KATEGORI.get(self.kategori, self.kategori)


@dataclass(frozen=True)
class DataPengaduan:
    """A complaint as it comes in, before saving."""

    kategori: str
    uraian: str
    kanal: str
    jenis: str = "pengaduan"
    wilayah: Optional[str] = None
    standard_id: Optional[str] = None
    nomor_permohonan: Optional[str] = None
    waktu_kejadian: Optional[str] = None
    nama: Optional[str] = None
    kontak: Optional[str] = None
    pengirim: Optional[str] = None  # hashed sender id


def validate(data: DataPengaduan) -> list[str]:
    errors = []
    if data.kategori not in KATEGORI:
        errors.append(f"kategori {data.kategori!r} tidak dikenal (salah satu dari: {', '.join(KATEGORI)})")
    if data.jenis not in JENIS:
        errors.append(f"jenis {data.jenis!r} tidak dikenal ({', '.join(JENIS)})")
    length = len((data.uraian or "").strip())
    if not URAIAN_MIN <= length <= URAIAN_MAX:
        errors.append(f"uraian harus {URAIAN_MIN}..{URAIAN_MAX} karakter (sekarang {length})")
    return errors


def sidik_jari(data: DataPengaduan) -> str:
    """Same sender + same content = same complaint: the key of a retried delivery."""
    parts = [
        data.pengirim or "",
        data.kanal,
        data.kategori,
        re.sub(r"\s+", " ", data.uraian.strip().casefold()),
        data.standard_id or "",
        data.nomor_permohonan or "",
    ]
    return "fp:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _to_view(row: PengaduanRow) -> Pengaduan:
    return Pengaduan(
        kode_tiket=row.kode_tiket,
        jenis=row.jenis,
        kategori=row.kategori,
        wilayah=row.wilayah,
        standard_id=row.standard_id,
        nomor_permohonan=row.nomor_permohonan,
        uraian=row.uraian,
        waktu_kejadian=row.waktu_kejadian,
        nama=row.nama,
        kontak=row.kontak,
        kanal=row.kanal,
        status=row.status,
        tanggapan=row.tanggapan,
        ditanggapi_pada=row.ditanggapi_pada,
        dibuat_pada=row.dibuat_pada,
        riwayat=tuple(RiwayatPengaduan(r.status, r.catatan, r.oleh, r.dicatat_pada) for r in row.riwayat),
    )


def _by_key(session: Session, kunci: str) -> Optional[PengaduanRow]:
    return session.execute(
        select(PengaduanRow).where(PengaduanRow.kunci_idempotensi == kunci)
    ).scalar_one_or_none()


def buat_pengaduan(
    factory: sessionmaker, data: DataPengaduan, kunci: Optional[str] = None
) -> tuple[Pengaduan, bool]:
    """Save a complaint and commit. Returns (complaint, created); a repeat of `kunci` (default: the
    content fingerprint) returns the complaint saved the first time, with created=False.

    Raises ValueError on invalid data, and lets database errors through: the caller must then tell
    the person it was NOT saved.
    """
    errors = validate(data)
    if errors:
        raise ValueError("; ".join(errors))
    kunci = kunci or sidik_jari(data)
    for _attempt in range(5):
        with factory() as session:
            existing = _by_key(session, kunci)
            if existing is not None:
                return _to_view(existing), False
            row = PengaduanRow(
                kode_tiket=buat_kode(),
                kunci_idempotensi=kunci,
                status="diterima",
                jenis=data.jenis,
                kategori=data.kategori,
                wilayah=data.wilayah,
                standard_id=data.standard_id,
                nomor_permohonan=data.nomor_permohonan,
                uraian=data.uraian.strip(),
                waktu_kejadian=data.waktu_kejadian,
                nama=data.nama,
                kontak=data.kontak,
                kanal=data.kanal,
                pengirim=data.pengirim,
                dibuat_pada=utcnow(),
            )
            row.riwayat.append(PengaduanRiwayatRow(status="diterima", oleh="sistem", dicatat_pada=utcnow()))
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                # Either the same delivery raced us (the key exists now) or, very rarely, the random
                # code collided: look again, or draw a new code.
                session.rollback()
                existing = _by_key(session, kunci)
                if existing is not None:
                    return _to_view(existing), False
                continue
            return _to_view(row), True
    raise RuntimeError("could not draw a free ticket code")


def get_pengaduan(session: Session, kode: str) -> Optional[Pengaduan]:
    kode = normalize_kode(kode)
    if kode is None:
        return None
    row = session.execute(select(PengaduanRow).where(PengaduanRow.kode_tiket == kode)).scalar_one_or_none()
    return _to_view(row) if row is not None else None


def list_pengaduan(
    session: Session, status: Optional[str] = None, wilayah: Optional[str] = None, limit: int = 500
) -> list[Pengaduan]:
    query = select(PengaduanRow).order_by(PengaduanRow.dibuat_pada.desc(), PengaduanRow.id.desc())
    if status:
        query = query.where(PengaduanRow.status == status)
    if wilayah:
        query = query.where(PengaduanRow.wilayah == wilayah)
    return [_to_view(r) for r in session.execute(query.limit(limit)).scalars()]


def _row(session: Session, kode: str) -> Optional[PengaduanRow]:
    kode = normalize_kode(kode)
    if kode is None:
        return None
    return session.execute(select(PengaduanRow).where(PengaduanRow.kode_tiket == kode)).scalar_one_or_none()


def tanggapi(
    session: Session, kode: str, tanggapan: str, oleh: str, status: Optional[str] = None
) -> tuple[Optional[Pengaduan], list[str]]:
    """Staff response (shown to the complainant on "cek pengaduan"), optionally with a new status."""
    if not (tanggapan or "").strip():
        return None, ["tanggapan kosong"]
    if status is not None and status not in STATUS:
        return None, [f"status {status!r} tidak dikenal (salah satu dari: {', '.join(STATUS)})"]
    row = _row(session, kode)
    if row is None:
        return None, [f"pengaduan {kode} tidak ditemukan"]
    row.tanggapan = tanggapan.strip()
    row.ditanggapi_pada = utcnow()
    if status is not None:
        row.status = status
    row.riwayat.append(
        PengaduanRiwayatRow(
            status=row.status, catatan="tanggapan: " + row.tanggapan, oleh=oleh, dicatat_pada=utcnow()
        )
    )
    session.flush()
    return _to_view(row), []


def ubah_status(
    session: Session, kode: str, status: str, oleh: str, catatan: Optional[str] = None
) -> tuple[Optional[Pengaduan], list[str]]:
    if status not in STATUS:
        return None, [f"status {status!r} tidak dikenal (salah satu dari: {', '.join(STATUS)})"]
    row = _row(session, kode)
    if row is None:
        return None, [f"pengaduan {kode} tidak ditemukan"]
    if row.status != status:
        row.status = status
        row.riwayat.append(
            PengaduanRiwayatRow(status=status, catatan=catatan, oleh=oleh, dicatat_pada=utcnow())
        )
        session.flush()
    return _to_view(row), []


CSV_FIELDS = (
    "kode_tiket",
    "jenis",
    "kategori",
    "status",
    "wilayah",
    "standard_id",
    "nomor_permohonan",
    "uraian",
    "waktu_kejadian",
    "nama",
    "kontak",
    "kanal",
    "tanggapan",
    "dibuat_pada",
    "ditanggapi_pada",
)


def as_row(p: Pengaduan) -> dict[str, str]:
    """One complaint as export/API fields (staff side: full content)."""
    out = {}
    for key in CSV_FIELDS:
        value = getattr(p, key)
        out[key] = value.isoformat(timespec="seconds") if isinstance(value, datetime) else (value or "")
    return out
