"""Queries over the staff tables. Callers own the transaction (commit / rollback).

Taking a conversation is one conditional UPDATE (`... WHERE status = 'menunggu'`): the database
decides, so two staff pressing "Saya ambil" at the same moment get one winner and one refusal on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.permohonan.models import utcnow
from bot.petugas import sandi as sandi_mod
from bot.petugas.models import (
    PERAN,
    TERBUKA,
    CatatanStafRow,
    PermintaanPetugasRow,
    PesanPetugasRow,
    SesiStafRow,
    StafRow,
)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAKS_GAGAL = 5  # failed logins in a row before the account is locked
LAMA_KUNCI = timedelta(minutes=15)
LAMA_SESI = timedelta(hours=12)  # one working day; the cookie expires with it
TEKS_MAKS = 4000  # a staff reply (WhatsApp and Telegram split longer texts; staff should not)


# --- accounts -----------------------------------------------------------------------------------
def normal_username(username: str) -> str:
    return (username or "").strip().lower()


def buat_staf(
    session: Session, username: str, nama: str, peran: str, sandi: str
) -> tuple[Optional[StafRow], list[str]]:
    username = normal_username(username)
    nama = " ".join((nama or "").split())
    errors = []
    if not USERNAME.match(username):
        errors.append("nama pengguna: 2-64 huruf kecil, angka, titik, garis bawah atau tanda hubung")
    if not nama or len(nama) > 120:
        errors.append("nama tampilan wajib diisi (maksimal 120 karakter)")
    if peran not in PERAN:
        errors.append(f"peran harus salah satu dari: {', '.join(PERAN)}")
    errors += sandi_mod.masalah_sandi(sandi)
    if not errors and get_staf(session, username) is not None:
        errors.append(f"nama pengguna {username} sudah dipakai")
    if errors:
        return None, errors
    staf = StafRow(username=username, nama=nama, peran=peran, hash_sandi=sandi_mod.hash_sandi(sandi))
    session.add(staf)
    session.flush()
    return staf, []


def get_staf(session: Session, username: str) -> Optional[StafRow]:
    return session.execute(
        select(StafRow).where(StafRow.username == normal_username(username))
    ).scalar_one_or_none()


def daftar_staf(session: Session) -> list[StafRow]:
    return list(session.execute(select(StafRow).order_by(StafRow.username)).scalars())


def ganti_sandi(session: Session, username: str, sandi: str) -> tuple[Optional[StafRow], list[str]]:
    staf = get_staf(session, username)
    if staf is None:
        return None, [f"akun {normal_username(username)} tidak ditemukan"]
    errors = sandi_mod.masalah_sandi(sandi)
    if errors:
        return staf, errors
    staf.hash_sandi = sandi_mod.hash_sandi(sandi)
    staf.gagal_masuk = 0
    staf.terkunci_sampai = None
    session.execute(delete(SesiStafRow).where(SesiStafRow.staf_id == staf.id))  # log out everywhere
    return staf, []


def set_aktif(session: Session, username: str, aktif: bool) -> tuple[Optional[StafRow], list[str]]:
    staf = get_staf(session, username)
    if staf is None:
        return None, [f"akun {normal_username(username)} tidak ditemukan"]
    staf.aktif = aktif
    if not aktif:
        session.execute(delete(SesiStafRow).where(SesiStafRow.staf_id == staf.id))
    else:
        staf.gagal_masuk = 0
        staf.terkunci_sampai = None
    return staf, []


@dataclass(frozen=True)
class HasilMasuk:
    staf: Optional[StafRow]
    terkunci_sampai: Optional[datetime] = None  # set when the account is (now) locked


def masuk(session: Session, username: str, sandi: str, now: Optional[datetime] = None) -> HasilMasuk:
    """Check a login. Failed attempts are counted per account; the 5th in a row locks it for 15
    minutes (a correct password does not open a locked account)."""
    now = now or utcnow()
    staf = get_staf(session, username)
    password_ok = sandi_mod.cocok(staf.hash_sandi if staf is not None else None, sandi)
    if staf is None or not staf.aktif:
        return HasilMasuk(None)
    if staf.terkunci_sampai is not None and staf.terkunci_sampai > now:
        return HasilMasuk(None, staf.terkunci_sampai)
    if not password_ok:
        staf.gagal_masuk = (staf.gagal_masuk or 0) + 1
        if staf.gagal_masuk >= MAKS_GAGAL:
            staf.terkunci_sampai = now + LAMA_KUNCI
            staf.gagal_masuk = 0
            return HasilMasuk(None, staf.terkunci_sampai)
        return HasilMasuk(None)
    staf.gagal_masuk = 0
    staf.terkunci_sampai = None
    if sandi_mod.perlu_hash_ulang(staf.hash_sandi):
        staf.hash_sandi = sandi_mod.hash_sandi(sandi)
    return HasilMasuk(staf)


# --- sessions ------------------------------------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def buat_sesi(session: Session, staf: StafRow, now: Optional[datetime] = None) -> tuple[str, SesiStafRow]:
    """A new login session; returns the token for the cookie (only its digest is stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = SesiStafRow(
        id=_digest(token), staf_id=staf.id, csrf=secrets.token_urlsafe(32), dibuat_pada=now,
        kedaluwarsa=now + LAMA_SESI,
    )  # fmt: skip
    session.add(row)
    session.execute(delete(SesiStafRow).where(SesiStafRow.kedaluwarsa < now))  # tidy expired ones
    return token, row


def sesi_aktif(
    session: Session, token: str, now: Optional[datetime] = None
) -> Optional[tuple[StafRow, SesiStafRow]]:
    if not token:
        return None
    now = now or utcnow()
    row = session.get(SesiStafRow, _digest(token))
    if row is None or row.kedaluwarsa <= now:
        return None
    staf = session.get(StafRow, row.staf_id)
    if staf is None or not staf.aktif:
        return None
    return staf, row


def hapus_sesi(session: Session, token: str) -> None:
    session.execute(delete(SesiStafRow).where(SesiStafRow.id == _digest(token)))


# --- audit trail ---------------------------------------------------------------------------------
def catat(
    session: Session,
    staf: Optional[StafRow],
    aksi: str,
    objek: Optional[str] = None,
    keterangan: Optional[str] = None,
    username: Optional[str] = None,
) -> None:
    """Record who did what. `objek`/`keterangan` hold ids, codes and statuses, never personal data."""
    session.add(
        CatatanStafRow(
            staf_id=staf.id if staf is not None else None,
            username=(staf.username if staf is not None else normal_username(username or "-"))[:64],
            aksi=aksi[:40],
            objek=(objek or None) and objek[:120],
            keterangan=(keterangan or None) and keterangan[:500],
        )
    )


def daftar_catatan(session: Session, limit: int = 200, objek: Optional[str] = None) -> list[CatatanStafRow]:
    query = select(CatatanStafRow).order_by(CatatanStafRow.id.desc()).limit(limit)
    if objek:
        query = query.where(CatatanStafRow.objek == objek)
    return list(session.execute(query).scalars())


# --- handoff requests ----------------------------------------------------------------------------
def permintaan_terbuka(session: Session, percakapan: str) -> Optional[PermintaanPetugasRow]:
    return session.execute(
        select(PermintaanPetugasRow)
        .where(PermintaanPetugasRow.percakapan == percakapan, PermintaanPetugasRow.status.in_(TERBUKA))
        .order_by(PermintaanPetugasRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def permintaan_terakhir(session: Session, percakapan: str) -> Optional[PermintaanPetugasRow]:
    return session.execute(
        select(PermintaanPetugasRow)
        .where(PermintaanPetugasRow.percakapan == percakapan)
        .order_by(PermintaanPetugasRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def buka_permintaan(
    session: Session, percakapan: str, kanal: str, wilayah: Optional[str], alasan: str = "diminta"
) -> PermintaanPetugasRow:
    """The open request of a conversation, or a new one (asking twice does not queue twice)."""
    found = permintaan_terbuka(session, percakapan)
    if found is not None:
        return found
    row = PermintaanPetugasRow(
        percakapan=percakapan, kanal=kanal[:32], wilayah=wilayah, alasan=alasan, status="menunggu",
        diminta_pada=utcnow(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def get_permintaan(session: Session, permintaan_id: int) -> Optional[PermintaanPetugasRow]:
    return session.get(PermintaanPetugasRow, permintaan_id)


def antrean(
    session: Session, wilayah: Optional[str] = None, status: tuple[str, ...] = TERBUKA
) -> list[PermintaanPetugasRow]:
    """Open requests, waiting ones first, each group oldest first."""
    query = select(PermintaanPetugasRow).where(PermintaanPetugasRow.status.in_(status))
    if wilayah:
        query = query.where(PermintaanPetugasRow.wilayah == wilayah)
    rows = list(
        session.execute(query.order_by(PermintaanPetugasRow.diminta_pada, PermintaanPetugasRow.id)).scalars()
    )
    order = {name: index for index, name in enumerate(("menunggu", "dilayani", "selesai", "dibatalkan"))}
    return sorted(rows, key=lambda r: order.get(r.status, 9))


def riwayat_permintaan(session: Session, limit: int = 50) -> list[PermintaanPetugasRow]:
    """Closed requests, newest first (the inbox's "selesai" list)."""
    return list(
        session.execute(
            select(PermintaanPetugasRow)
            .where(PermintaanPetugasRow.status.not_in(TERBUKA))
            .order_by(PermintaanPetugasRow.id.desc())
            .limit(limit)
        ).scalars()
    )


def ambil(session: Session, permintaan_id: int, staf: StafRow) -> tuple[bool, Optional[StafRow]]:
    """Take a waiting request. Returns (won, the staff member who has it)."""
    result = session.execute(
        update(PermintaanPetugasRow)
        .where(PermintaanPetugasRow.id == permintaan_id, PermintaanPetugasRow.status == "menunggu")
        .values(status="dilayani", staf_id=staf.id, diambil_pada=utcnow())
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1
    row = session.get(PermintaanPetugasRow, permintaan_id)
    if row is not None:
        session.refresh(row)
    holder = session.get(StafRow, row.staf_id) if row is not None and row.staf_id else None
    return won, holder


def tutup_permintaan(session: Session, permintaan_id: int, status: str) -> bool:
    """Close an open request ("selesai": handed back by staff, "dibatalkan": by the applicant)."""
    result = session.execute(
        update(PermintaanPetugasRow)
        .where(PermintaanPetugasRow.id == permintaan_id, PermintaanPetugasRow.status.in_(TERBUKA))
        .values(status=status, selesai_pada=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def batalkan_oleh_pemohon(session: Session, percakapan: str) -> Optional[PermintaanPetugasRow]:
    row = permintaan_terbuka(session, percakapan)
    if row is not None:
        tutup_permintaan(session, row.id, "dibatalkan")
        session.refresh(row)
    return row


def jumlah_menunggu(session: Session) -> int:
    return session.execute(
        select(func.count())
        .select_from(PermintaanPetugasRow)
        .where(PermintaanPetugasRow.status == "menunggu")
    ).scalar_one()


# --- staff messages ------------------------------------------------------------------------------
def tambah_pesan(
    session: Session,
    permintaan: PermintaanPetugasRow,
    teks: str,
    staf: Optional[StafRow],
    jenis: str = "balasan",
) -> PesanPetugasRow:
    row = PesanPetugasRow(
        permintaan_id=permintaan.id, percakapan=permintaan.percakapan, kanal=permintaan.kanal,
        staf_id=staf.id if staf is not None else None, nama_petugas=staf.nama if staf is not None else None,
        jenis=jenis, teks=teks, status="baru", tercatat=False, dibuat_pada=utcnow(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def pesan_permintaan(session: Session, permintaan_id: int) -> list[PesanPetugasRow]:
    return list(
        session.execute(
            select(PesanPetugasRow)
            .where(PesanPetugasRow.permintaan_id == permintaan_id)
            .order_by(PesanPetugasRow.id)
        ).scalars()
    )


def pesan_widget(
    session: Session, percakapan: str, setelah: int = 0, limit: int = 50
) -> list[PesanPetugasRow]:
    """Staff messages of a web-widget conversation after id `setelah`; marked delivered."""
    rows = list(
        session.execute(
            select(PesanPetugasRow)
            .where(
                PesanPetugasRow.percakapan == percakapan,
                PesanPetugasRow.kanal == "webchat",
                PesanPetugasRow.id > setelah,
                PesanPetugasRow.status.in_(("menunggu", "terkirim")),
            )
            .order_by(PesanPetugasRow.id)
            .limit(limit)
        ).scalars()
    )
    now = utcnow()
    for row in rows:
        if row.status == "menunggu":
            row.status = "terkirim"
            row.dikirim_pada = now
    return rows


def ada_pesan_dalam_perjalanan(session: Session, percakapan: str) -> bool:
    """Whether a staff message of this widget conversation is saved but not yet released to it
    (status "baru": the bridge to the assistant is still running). The hand-back closes the request
    in the same commit that saves its notice, so the widget must keep asking until it is released."""
    return (
        session.execute(
            select(PesanPetugasRow.id)
            .where(
                PesanPetugasRow.percakapan == percakapan,
                PesanPetugasRow.kanal == "webchat",
                PesanPetugasRow.status == "baru",
            )
            .limit(1)
        ).first()
        is not None
    )
