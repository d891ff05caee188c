"""Tables of staff accounts, their sessions and actions, handoff requests and staff messages."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base
from bot.permohonan.models import utcnow

PERAN: dict[str, str] = {"cs": "Customer service", "admin": "Administrator"}

# A handoff request: waiting for a person, with a person, or over (given back or cancelled).
STATUS_PERMINTAAN: dict[str, str] = {
    "menunggu": "Menunggu petugas",
    "dilayani": "Dilayani petugas",
    "selesai": "Dikembalikan ke asisten",
    "dibatalkan": "Dibatalkan pemohon",
}
TERBUKA = ("menunggu", "dilayani")

# Why the conversation came to the inbox.
ALASAN: dict[str, str] = {
    "diminta": "Pemohon meminta petugas",
    "gagal_beruntun": "Asisten dua kali tidak memahami",
}

# Delivery of a staff message to the applicant's channel.
STATUS_KIRIM: dict[str, str] = {
    "baru": "Sedang dikirim",
    "menunggu": "Menunggu diambil widget",
    "terkirim": "Terkirim",
    "gagal": "Gagal terkirim",
    "perlu_template": "Tidak terkirim: di luar 24 jam WhatsApp",
}

JENIS_PESAN = ("balasan", "pemberitahuan", "kembali")  # "kembali": the hand-back notice


class StafRow(Base):
    __tablename__ = "staf"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    nama = Column(String(120), nullable=False)
    peran = Column(String(16), nullable=False, default="cs")
    hash_sandi = Column(String(255), nullable=False)
    aktif = Column(Boolean, nullable=False, default=True)
    gagal_masuk = Column(Integer, nullable=False, default=0)
    terkunci_sampai = Column(DateTime, nullable=True)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    diubah_pada = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class SesiStafRow(Base):
    """A login. The cookie carries a random token; only its SHA-256 is stored here."""

    __tablename__ = "sesi_staf"

    id = Column(String(64), primary_key=True)  # sha256 hex of the session token
    staf_id = Column(Integer, ForeignKey("staf.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf = Column(String(64), nullable=False)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    kedaluwarsa = Column(DateTime, nullable=False)


class CatatanStafRow(Base):
    """The audit trail: who did what to which record. Never personal data (ids and codes only)."""

    __tablename__ = "catatan_staf"

    id = Column(Integer, primary_key=True)
    waktu = Column(DateTime, nullable=False, default=utcnow, index=True)
    staf_id = Column(Integer, ForeignKey("staf.id", ondelete="SET NULL"), nullable=True, index=True)
    username = Column(String(64), nullable=False)  # kept when the account is gone
    aksi = Column(String(40), nullable=False)
    objek = Column(String(120), nullable=True)
    keterangan = Column(String(500), nullable=True)


class PermintaanPetugasRow(Base):
    """A conversation handed to a person (one open request per conversation at a time)."""

    __tablename__ = "permintaan_petugas"

    id = Column(Integer, primary_key=True)
    percakapan = Column(String(255), nullable=False, index=True)  # Rasa sender id
    kanal = Column(String(32), nullable=False)  # webchat | telegram | whatsapp | rest | ...
    wilayah = Column(String(64), nullable=True, index=True)
    alasan = Column(String(32), nullable=False, default="diminta")
    status = Column(String(16), nullable=False, default="menunggu", index=True)
    diminta_pada = Column(DateTime, nullable=False, default=utcnow)
    staf_id = Column(Integer, ForeignKey("staf.id", ondelete="SET NULL"), nullable=True)
    diambil_pada = Column(DateTime, nullable=True)
    selesai_pada = Column(DateTime, nullable=True)


class PesanPetugasRow(Base):
    """A message from staff (or a notice about the handoff) and how its delivery went."""

    __tablename__ = "pesan_petugas"

    id = Column(Integer, primary_key=True)
    permintaan_id = Column(
        Integer, ForeignKey("permintaan_petugas.id", ondelete="CASCADE"), nullable=False, index=True
    )
    percakapan = Column(String(255), nullable=False, index=True)
    kanal = Column(String(32), nullable=False)
    staf_id = Column(Integer, ForeignKey("staf.id", ondelete="SET NULL"), nullable=True)
    nama_petugas = Column(String(120), nullable=True)  # shown to the applicant
    jenis = Column(String(16), nullable=False, default="balasan")
    teks = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="baru")
    tercatat = Column(Boolean, nullable=False, default=False)  # added to the conversation (tracker)
    keterangan = Column(String(500), nullable=True)  # why delivery failed (never the text itself)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    dikirim_pada = Column(DateTime, nullable=True)
