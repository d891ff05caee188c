"""Tables of notification consent (langganan_kabar) and of each notification (kabar).

A subscription holds the conversation's address (the channel's sender id: a phone number on
WhatsApp) only while it is active: opting out ("berhenti"), or the application reaching its final
status, erases it. Notifications hold the text sent (application number, status, the office's
note) and how its delivery went; never a name or a phone number.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint

from bot.db import Base
from bot.permohonan.models import utcnow

# What a subscription follows.
JENIS_LANGGANAN = ("permohonan", "pengaduan")

# Kinds of notification.
JENIS_KABAR: dict[str, str] = {
    "status": "Status berubah",
    "tanggapan": "Tanggapan petugas",
    "lewat_tenggat": "Lewat batas waktu (SP4N-LAPOR!)",
}

# Delivery of one notification.
STATUS_KABAR: dict[str, str] = {
    "antre": "Menunggu dikirim",
    "mengirim": "Sedang dikirim",
    "terkirim": "Terkirim",
    "menunggu_widget": "Menunggu widget dibuka",
    "gagal": "Gagal, akan dicoba lagi",
    "perlu_template": "Di luar 24 jam WhatsApp, akan dicoba lagi",
    "gagal_akhir": "Gagal terkirim (perlu tindakan petugas)",
    "dibatalkan": "Dibatalkan (pemohon berhenti berlangganan)",
}
# Statuses the sender picks up (when their time has come).
SIAP_KIRIM = ("antre", "gagal", "perlu_template")
# Statuses staff must look at.
PERLU_PERHATIAN = ("gagal_akhir",)


class LanggananKabarRow(Base):
    __tablename__ = "langganan_kabar"
    __table_args__ = (UniqueConstraint("jenis", "rujukan", "pengirim"),)

    id = Column(Integer, primary_key=True)
    jenis = Column(String(16), nullable=False)  # JENIS_LANGGANAN
    rujukan = Column(String(64), nullable=False, index=True)  # application number or ticket code
    pengirim = Column(String(64), nullable=False, index=True)  # hashed sender id (opt-out lookup)
    percakapan = Column(String(255), nullable=True)  # the address; None once the subscription ended
    kanal = Column(String(32), nullable=False)  # webchat | telegram | whatsapp | ...
    wilayah = Column(String(64), nullable=True)
    aktif = Column(Boolean, nullable=False, default=True, index=True)
    riwayat_terakhir = Column(Integer, nullable=False, default=0)  # last history row id looked at
    status_terakhir = Column(String(32), nullable=True)  # the status the person last knew
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow)
    berhenti_pada = Column(DateTime, nullable=True)
    alasan_berhenti = Column(String(32), nullable=True)  # berhenti | selesai


class KabarRow(Base):
    __tablename__ = "kabar"

    id = Column(Integer, primary_key=True)
    # One notification per subscription and event: a second pass of the sender cannot repeat it.
    kunci = Column(String(120), nullable=False, unique=True)
    langganan_id = Column(
        Integer, ForeignKey("langganan_kabar.id", ondelete="CASCADE"), nullable=False, index=True
    )
    jenis = Column(String(24), nullable=False)  # JENIS_KABAR
    rujukan = Column(String(64), nullable=False, index=True)
    kanal = Column(String(32), nullable=False)
    teks = Column(Text, nullable=False)
    status = Column(String(24), nullable=False, default="antre", index=True)
    percobaan = Column(Integer, nullable=False, default=0)
    coba_lagi_pada = Column(DateTime, nullable=True)
    diklaim_pada = Column(DateTime, nullable=True)  # when a sender took it (a stuck claim expires)
    keterangan = Column(String(500), nullable=True)  # why delivery failed (never the text)
    dibuat_pada = Column(DateTime, nullable=False, default=utcnow, index=True)
    dikirim_pada = Column(DateTime, nullable=True)
