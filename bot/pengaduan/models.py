"""Tables of complaints and their history."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base
from bot.permohonan.models import utcnow

# Categories: the scope of complaint handling in the standards ("Ruang lingkup penanganan pengaduan
# ... meliputi: a. pelaksanaan kegiatan pelayanan; b. sarana dan prasarana ...; c. penyalahgunaan
# wewenang ...; d. hambatan dalam pelayanan; e. korupsi, kolusi dan nepotisme, termasuk ...
# gratifikasi"), plus "lainnya" for what fits none.
KATEGORI: dict[str, str] = {
    "pelaksanaan_pelayanan": "Pelaksanaan pelayanan",
    "sarana_prasarana": "Sarana dan prasarana",
    "penyalahgunaan_wewenang": "Penyalahgunaan wewenang",
    "hambatan_pelayanan": "Hambatan dalam pelayanan",
    "kkn_gratifikasi": "KKN/gratifikasi",
    "lainnya": "Lainnya",
}

# Status key -> label (follows the standards' procedure: verifikasi, tindak lanjut, penjelasan).
STATUS: dict[str, str] = {
    "diterima": "Diterima, menunggu verifikasi",
    "diverifikasi": "Sudah diverifikasi",
    "ditindaklanjuti": "Sedang ditindaklanjuti",
    "selesai": "Selesai",
    "ditolak": "Tidak dapat ditindaklanjuti",
}

JENIS = ("pengaduan", "saran")


class PengaduanRow(Base):
    __tablename__ = "pengaduan"

    id = Column(Integer, primary_key=True)
    kode_tiket = Column(String(16), nullable=False, unique=True)
    jenis = Column(String(16), nullable=False, default="pengaduan")  # pengaduan | saran
    kategori = Column(String(40), nullable=False)
    wilayah = Column(String(64), nullable=True, index=True)
    standard_id = Column(String(200), nullable=True)
    nomor_permohonan = Column(String(64), nullable=True)
    uraian = Column(Text, nullable=False)
    waktu_kejadian = Column(String(200), nullable=True)
    nama = Column(String(200), nullable=True)
    kontak = Column(String(200), nullable=True)
    kanal = Column(String(32), nullable=False)  # rest, telegram, whatsapp, api, ...
    pengirim = Column(String(64), nullable=True)  # sha256 of the sender id
    # A retried delivery carries the same key: a unique index makes the second insert impossible.
    kunci_idempotensi = Column(String(128), nullable=False, unique=True)
    status = Column(String(32), nullable=False, default="diterima", index=True)
    tanggapan = Column(Text, nullable=True)
    ditanggapi_pada = Column(DateTime, nullable=True)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    diubah_pada = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    riwayat = relationship(
        "PengaduanRiwayatRow",
        back_populates="pengaduan",
        cascade="all, delete-orphan",
        order_by="PengaduanRiwayatRow.id",
    )


class PengaduanRiwayatRow(Base):
    __tablename__ = "pengaduan_riwayat"

    id = Column(Integer, primary_key=True)
    pengaduan_id = Column(Integer, ForeignKey("pengaduan.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(32), nullable=False)
    catatan = Column(Text, nullable=True)
    oleh = Column(String(64), nullable=False)  # sistem | cli | api
    dicatat_pada = Column(DateTime, nullable=False, default=utcnow)

    pengaduan = relationship("PengaduanRow", back_populates="riwayat")
