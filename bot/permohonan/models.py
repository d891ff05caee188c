"""Tables of applications, their status history and the verification lock-out.

`standard_id` and `wilayah` are plain strings, not foreign keys: the knowledge base is reloaded
from YAML as a whole (`kb load`), and an application must survive a reload. The importer and the
API check them against the knowledge base when data comes in.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base

# Status key -> label in plain Indonesian (what the applicant reads).
STATUS: dict[str, str] = {
    "diterima": "Berkas diterima",
    "diverifikasi": "Berkas sedang diverifikasi",
    "diproses": "Sedang diproses",
    "menunggu_tanda_tangan": "Menunggu tanda tangan pejabat",
    "selesai": "Selesai, izin sudah terbit",
    "dikembalikan": "Dikembalikan: berkas belum lengkap",
    "ditolak": "Ditolak",
}
# Statuses after which the deadline no longer runs.
STATUS_AKHIR = ("selesai", "ditolak")


def utcnow() -> datetime:
    """Naive UTC (SQLite keeps no time zone; every timestamp here is UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class PermohonanRow(Base):
    __tablename__ = "permohonan"

    id = Column(Integer, primary_key=True)
    nomor = Column(String(64), nullable=False, unique=True)
    # The number without case, spaces or separators: how a loosely typed number is found.
    nomor_kunci = Column(String(64), nullable=True, index=True)
    standard_id = Column(String(200), nullable=False, index=True)
    wilayah = Column(String(64), nullable=False, index=True)
    nama_pemohon = Column(String(200), nullable=False)
    telepon = Column(String(32), nullable=False)  # digits only
    tanggal_masuk = Column(Date, nullable=False)
    status = Column(String(32), nullable=False)
    tahap_nomor = Column(Integer, nullable=True)  # step number in the standard's prosedur
    tahap_teks = Column(Text, nullable=True)  # free-text step when there is no number
    catatan = Column(Text, nullable=True)
    nomor_izin = Column(String(200), nullable=True)
    tanggal_selesai = Column(Date, nullable=True)
    # Optional code printed on the receipt: when an office imports it, the chat asks for it too.
    kode_tanda_terima = Column(String(64), nullable=True)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    diubah_pada = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    riwayat = relationship(
        "PermohonanRiwayatRow",
        back_populates="permohonan",
        cascade="all, delete-orphan",
        order_by="PermohonanRiwayatRow.id",
    )


class PermohonanRiwayatRow(Base):
    """One change of status or step, appended (never updated)."""

    __tablename__ = "permohonan_riwayat"

    id = Column(Integer, primary_key=True)
    permohonan_id = Column(
        Integer, ForeignKey("permohonan.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(32), nullable=False)
    tahap_nomor = Column(Integer, nullable=True)
    tahap_teks = Column(Text, nullable=True)
    catatan = Column(Text, nullable=True)
    sumber = Column(String(32), nullable=False)  # import | cli | api
    dicatat_pada = Column(DateTime, nullable=False, default=utcnow)

    permohonan = relationship("PermohonanRow", back_populates="riwayat")


class VerifikasiGagalRow(Base):
    """Superseded by bot.security.percobaan (table verifikasi_percobaan); kept for migration 0002."""

    __tablename__ = "verifikasi_gagal"

    pengirim = Column(String(64), primary_key=True)  # sha256 of the channel's sender id
    gagal = Column(Integer, nullable=False, default=0)
    gagal_terakhir = Column(DateTime, nullable=True)
    terkunci_sampai = Column(DateTime, nullable=True)
