"""Application status check ("sudah sampai mana permohonan saya?"), for the application's owner only.

The form `cek_permohonan_form` asks the number, then the last 4 digits of the phone number on file;
`action_cek_status_permohonan` checks both in one step. An unknown number and wrong digits give the
same answer (nobody learns which numbers exist), every failure counts, and the third locks the
sender out for 15 minutes (in the database: it holds across restarts and instances).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.formatting import document_name
from bot.knowledge.views import Standard
from bot.permohonan.kalender import KalenderKerja, hitung_tenggat
from bot.permohonan.models import STATUS_AKHIR
from bot.permohonan.repository import (
    Permohonan,
    hash_pengirim,
    mask_nama,
    prosedur_langkah,
    terkunci_sampai,
    verifikasi_pemilik,
)

logger = logging.getLogger(__name__)

# Application numbers as offices write them: 503/IZ/2026, 503/0451/IAP/DPMPTSP/2026 (>= 2 slashes).
NOMOR_DI_TEKS_RE = re.compile(r"(?<![\w/])[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){2,6}(?![\w/])")
TERKUNCI = "terkunci"  # kode_verifikasi placeholder: the sender is locked out, do not ask
DIBATALKAN = "batal"  # both slots: the person cancelled the check
KATA_BATAL = {
    "batal",
    "batalkan",
    "cancel",
    "stop",
    "tidak jadi",
    "gak jadi",
    "ga jadi",
    "nggak jadi",
    "/batal",
}

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

SessionFactory = Callable[[], Any]


def tanggal_id(day: date) -> str:
    """12 Mei 2026."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def hari_ini() -> date:
    """Today in the offices' time zone (WIB by default; PANDU_TZ for WITA/WIT offices)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(os.environ.get("PANDU_TZ", "Asia/Jakarta"))).date()


def cari_nomor(text: str) -> Optional[str]:
    match = NOMOR_DI_TEKS_RE.search(text or "")
    return match.group(0).upper() if match else None


class _DatabaseAction:
    """Session factory injected (tests) or `bot.db.session_factory()` built on first use."""

    session_factory: ClassVar[Optional[SessionFactory]] = None
    clock: ClassVar[Callable[[], date]] = staticmethod(hari_ini)

    def __init__(
        self, session_factory: Optional[SessionFactory] = None, clock: Optional[Callable[[], date]] = None
    ):
        self._factory = session_factory
        if clock is not None:
            self.clock = clock

    def factory(self) -> SessionFactory:
        if self._factory is None:
            if type(self).session_factory is not None:
                self._factory = type(self).session_factory
            else:
                from bot.db import session_factory

                self._factory = session_factory()
        return self._factory


# --- the answer -------------------------------------------------------------------------------
def langkah_teks(p: Permohonan, standard: Optional[Standard]) -> Optional[str]:
    """'langkah 6 dari 9: Kasi memverifikasi ...' from the standard's own procedure."""
    if p.tahap_nomor:
        steps = prosedur_langkah(standard)
        if 1 <= p.tahap_nomor <= len(steps):
            return f"langkah {p.tahap_nomor} dari {len(steps)}: {steps[p.tahap_nomor - 1]}"
        return f"langkah {p.tahap_nomor}"
    return p.tahap_teks


def jawaban_status(
    p: Permohonan,
    standard: Optional[Standard],
    wilayah_nama: Optional[str],
    today: date,
    cal: Optional[KalenderKerja] = None,
) -> tuple[str, bool]:
    """The status message and whether the application is overdue. Names are masked; the phone
    number is never repeated."""
    nama_layanan = standard.nama if standard is not None else p.standard_id
    where = f" ({wilayah_nama})" if wilayah_nama else ""
    lines = [
        f"Permohonan {p.nomor} atas nama {mask_nama(p.nama_pemohon)}",
        f"Layanan: {nama_layanan}{where}",
        f"Status: {p.status_label}",
    ]
    langkah = langkah_teks(p, standard)
    if langkah and p.status not in STATUS_AKHIR:
        lines.append(f"Tahap sekarang: {langkah}")
    lines.append(f"Berkas lengkap diterima: {tanggal_id(p.tanggal_masuk)}")
    terlambat = False
    jangka = standard.komponen.get("jangka_waktu") if standard is not None else None
    hari_maks = jangka.extra.get("hari_kerja_maks") if jangka is not None else None
    if p.status == "selesai":
        if p.nomor_izin:
            lines.append(f"Nomor izin: {p.nomor_izin}")
        if p.tanggal_selesai:
            lines.append(f"Selesai pada: {tanggal_id(p.tanggal_selesai)}")
    elif p.status == "dikembalikan":
        lines.append(
            "Jangka waktu penyelesaian dihitung lagi sejak berkas yang lengkap dan benar diterima kembali."
        )
    elif p.status != "ditolak":
        if hari_maks:
            tenggat = hitung_tenggat(p.tanggal_masuk, int(hari_maks), today, cal)
            lines.append(
                f"Batas waktu menurut standar pelayanan ({hari_maks} hari kerja): {tanggal_id(tenggat.batas)}"
            )
            if tenggat.terlambat:
                terlambat = True
                lines.append(
                    f"Permohonan ini TERLAMBAT {tenggat.terlambat_hari_kerja} hari kerja dari batas waktu "
                    "standar pelayanan."
                )
            elif tenggat.sisa_hari_kerja == 0:
                lines.append("Hari ini adalah hari terakhir batas waktunya.")
            else:
                lines.append(f"Sisa waktu: {tenggat.sisa_hari_kerja} hari kerja.")
        else:
            lines.append("Standar pelayanan layanan ini tidak mencantumkan jangka waktu dalam hari kerja.")
    if p.catatan:
        label = "Yang perlu dilengkapi" if p.status == "dikembalikan" else "Catatan petugas"
        lines.append(f"{label}: {p.catatan}")
    if standard is not None:
        lines.append(
            f"Sumber tahap dan jangka waktu: {standard.nama}, {standard.wilayah_nama}, "
            f"{document_name(standard)}"
        )
    return "\n".join(lines), terlambat


# --- form validation --------------------------------------------------------------------------
def _dibatalkan(value: Any) -> bool:
    return " ".join(str(value or "").casefold().split()).strip(" .!") in KATA_BATAL


class ValidateCekPermohonanForm(_DatabaseAction, FormValidationAction):
    def __init__(self, session_factory: Optional[SessionFactory] = None, clock=None):
        _DatabaseAction.__init__(self, session_factory, clock)

    def name(self) -> str:
        return "validate_cek_permohonan_form"

    def validate_nomor_permohonan(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _dibatalkan(value):
            return {"nomor_permohonan": DIBATALKAN, "kode_verifikasi": DIBATALKAN}
        nomor = cari_nomor(str(value or "")) or cari_nomor(tracker.latest_message.get("text") or "")
        if nomor is None:
            dispatcher.utter_message(response="utter_nomor_permohonan_format")
            return {"nomor_permohonan": None}
        try:
            with self.factory()() as session:
                locked = terkunci_sampai(session, hash_pengirim(tracker.sender_id))
        except SQLAlchemyError:
            logger.exception("lock-out check failed")
            locked = None  # the status action reports the outage
        if locked:
            # Do not ask for digits that cannot be checked now: the status action says why.
            return {"nomor_permohonan": nomor, "kode_verifikasi": TERKUNCI}
        return {"nomor_permohonan": nomor}

    def validate_kode_verifikasi(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if text == TERKUNCI:
            return {"kode_verifikasi": TERKUNCI}
        if _dibatalkan(text):
            return {"nomor_permohonan": DIBATALKAN, "kode_verifikasi": DIBATALKAN}
        digits = re.sub(r"\D", "", text)
        if len(digits) != 4:
            dispatcher.utter_message(response="utter_kode_verifikasi_format")
            return {"kode_verifikasi": None}
        return {"kode_verifikasi": digits}


# --- the status answer ------------------------------------------------------------------------
class ActionCekStatusPermohonan(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_cek_status_permohonan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        nomor = tracker.get_slot("nomor_permohonan")
        kode = tracker.get_slot("kode_verifikasi")
        events: list[EventType] = [SlotSet("nomor_permohonan", None), SlotSet("kode_verifikasi", None)]
        if kode == DIBATALKAN:
            dispatcher.utter_message(response="utter_cek_permohonan_batal")
            return events
        pengirim = hash_pengirim(tracker.sender_id)
        standard = None
        try:
            with self.factory()() as session:
                hasil = verifikasi_pemilik(
                    session, pengirim, nomor or "", "" if kode == TERKUNCI else kode or ""
                )
                session.commit()
                if hasil.berhasil:
                    from bot.knowledge import repository as kb

                    standard = kb.get_standard(session, hasil.permohonan.standard_id)
        except SQLAlchemyError:
            logger.exception("status check failed (database)")
            dispatcher.utter_message(response="utter_permohonan_gangguan")
            return events
        if hasil.terkunci_sampai is not None:
            logger.info("status check: sender locked out")
            dispatcher.utter_message(response="utter_permohonan_terkunci")
            return events
        if not hasil.berhasil:
            logger.info("status check: not verified")
            dispatcher.utter_message(response="utter_permohonan_tidak_cocok")
            return events
        p = hasil.permohonan
        text, terlambat = jawaban_status(
            p, standard, standard.wilayah_nama if standard else None, self.clock()
        )
        events += [
            SlotSet("permohonan_terverifikasi", p.nomor),
            SlotSet("layanan", p.standard_id if standard is not None else None),
            SlotSet("wilayah", p.wilayah),
        ]
        if terlambat:
            text += "\n\nAnda berhak menyampaikan pengaduan atas keterlambatan ini. Mau saya bantu ajukan?"
            dispatcher.utter_message(
                text=text,
                buttons=[
                    {"title": "Ya, ajukan pengaduan", "payload": "/ajukan_pengaduan"},
                    {"title": "Tidak", "payload": "/deny"},
                ],
            )
            events.append(SlotSet("permohonan_terlambat", True))
        else:
            dispatcher.utter_message(text=text)
            events.append(SlotSet("permohonan_terlambat", False))
        return events
