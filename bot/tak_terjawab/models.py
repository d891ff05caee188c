"""Tables of unanswered questions: each occurrence (masked text, kind, channel, time) and the groups
of similar ones staff work through."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base
from bot.permohonan.models import utcnow

JENIS: dict[str, str] = {
    "fallback": "Tidak dipahami",
    "tidak_ditemukan": "Layanan tidak ditemukan",
    "di_luar_layanan": "Di luar layanan",
    "petugas": "Diteruskan ke petugas",
}
STATUS_KELOMPOK: dict[str, str] = {"terbuka": "Belum ditangani", "selesai": "Sudah ditangani"}


class KelompokTakTerjawabRow(Base):
    __tablename__ = "tak_terjawab_kelompok"

    id = Column(Integer, primary_key=True)
    contoh = Column(Text, nullable=False)  # the first question of the group (masked)
    kunci = Column(Text, nullable=False)  # its normalized words, for the similarity of new ones
    jumlah = Column(Integer, nullable=False, default=0)
    pertama_pada = Column(DateTime, nullable=False, default=utcnow)
    terakhir_pada = Column(DateTime, nullable=False, default=utcnow, index=True)
    status = Column(String(16), nullable=False, default="terbuka", index=True)
    catatan = Column(Text, nullable=True)  # what staff did (e.g. "alias ditambahkan ke ...")
    diselesaikan_oleh = Column(String(64), nullable=True)
    diselesaikan_pada = Column(DateTime, nullable=True)
    muncul_lagi = Column(Integer, nullable=False, default=0)  # occurrences after it was resolved


class TakTerjawabRow(Base):
    __tablename__ = "tak_terjawab"

    id = Column(Integer, primary_key=True)
    # One entry per user message: a hash of the conversation and the message's time (re-reading the
    # tracker store after a restart adds nothing twice).
    kunci = Column(String(64), nullable=False, unique=True)
    kelompok_id = Column(
        Integer, ForeignKey("tak_terjawab_kelompok.id", ondelete="CASCADE"), nullable=False, index=True
    )
    teks = Column(Text, nullable=False)  # masked
    jenis = Column(String(16), nullable=False)  # JENIS
    kanal = Column(String(32), nullable=False)
    wilayah = Column(String(64), nullable=True)
    dicatat_pada = Column(DateTime, nullable=False, default=utcnow, index=True)


class PenandaRow(Base):
    """How far a reader of the tracker store has come (the id of the last event it finished)."""

    __tablename__ = "penanda_baca"

    nama = Column(String(64), primary_key=True)
    nilai = Column(Integer, nullable=False, default=0)
    diubah_pada = Column(DateTime, nullable=False, default=utcnow)
