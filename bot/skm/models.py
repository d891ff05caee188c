"""One survey answer set (skm_respon): nine elements scored 1-4, each may be skipped, and a comment.

Anonymous once finished: `pengirim` (the hashed sender, used only to resume an unfinished survey) is
erased when the survey ends; `kunci` is a hash of sender and subject that only prevents answering
twice for the same application, complaint or office day.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, SmallInteger, String, Text

from bot.db import Base
from bot.permohonan.models import utcnow

# The nine elements of Permenpan RB 14/2017 in the regulation's order (columns of skm_respon).
UNSUR = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
SUBJEK = ("permohonan", "pengaduan", "umum")


class SkmResponRow(Base):
    __tablename__ = "skm_respon"

    id = Column(Integer, primary_key=True)
    kunci = Column(String(64), nullable=False, unique=True)
    pengirim = Column(String(64), nullable=True, index=True)  # only while unfinished
    subjek = Column(String(16), nullable=False)  # SUBJEK
    wilayah = Column(String(64), nullable=False, index=True)
    standard_id = Column(String(200), nullable=True, index=True)
    kanal = Column(String(32), nullable=False)
    tanggal = Column(Date, nullable=False, index=True)  # the office's date when it was started
    persyaratan = Column(SmallInteger, nullable=True)
    prosedur = Column(SmallInteger, nullable=True)
    waktu = Column(SmallInteger, nullable=True)
    biaya = Column(SmallInteger, nullable=True)
    produk = Column(SmallInteger, nullable=True)
    kompetensi = Column(SmallInteger, nullable=True)
    perilaku = Column(SmallInteger, nullable=True)
    pengaduan = Column(SmallInteger, nullable=True)
    sarana = Column(SmallInteger, nullable=True)
    berikut = Column(Integer, nullable=False, default=0)  # index in UNSUR of the next question
    komentar = Column(Text, nullable=True)  # personal data masked
    selesai = Column(Boolean, nullable=False, default=False, index=True)
    dimulai_pada = Column(DateTime, nullable=False, default=utcnow)
    diubah_pada = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    selesai_pada = Column(DateTime, nullable=True)
