"""Tables of complaint follow-up: the due date fixed when a complaint is filed, and the escalation
steps recorded when they fell due (or when staff recorded one by hand)."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint

from bot.db import Base
from bot.permohonan.models import utcnow

# Where a complaint's response time came from.
DASAR = {
    "standar": "standar pelayanan",
    "kantor": "data tindak lanjut kantor",
}


class TenggatPengaduanRow(Base):
    """A complaint's response deadline, computed once from the rules in force when it was filed
    (a later change of the office data does not move a deadline already promised)."""

    __tablename__ = "tenggat_pengaduan"

    pengaduan_id = Column(Integer, ForeignKey("pengaduan.id", ondelete="CASCADE"), primary_key=True)
    hari_kerja = Column(Integer, nullable=True)  # None: neither the standard nor the office states one
    dasar = Column(String(16), nullable=True)  # key of DASAR
    tenggat = Column(Date, nullable=True)  # last working day to answer, at the office
    zona = Column(String(64), nullable=False)  # the office's IANA zone the dates were computed in
    dihitung_pada = Column(DateTime, nullable=False, default=utcnow)


class EskalasiPengaduanRow(Base):
    """One escalation step of a complaint, recorded when it became due with no answer (oleh
    'sistem') or by staff (oleh 'konsol:<username>'). Ids and names of offices only."""

    __tablename__ = "eskalasi_pengaduan"
    __table_args__ = (UniqueConstraint("pengaduan_id", "langkah"),)

    id = Column(Integer, primary_key=True)
    pengaduan_id = Column(Integer, ForeignKey("pengaduan.id", ondelete="CASCADE"), nullable=False, index=True)
    langkah = Column(Integer, nullable=False)  # index in the region's pengaduan.eskalasi
    kepada = Column(String(300), nullable=False)
    setelah_hari_kerja = Column(Integer, nullable=True)
    jatuh_tempo = Column(Date, nullable=True)
    oleh = Column(String(64), nullable=False)
    dicatat_pada = Column(DateTime, nullable=False, default=utcnow)
