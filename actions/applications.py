"""Application status check ("sudah sampai mana permohonan saya?"), for the application's owner only.

The form `cek_permohonan_form` asks the number, then the last 4 digits of the phone number on file
(and the receipt code, when the office imports receipt codes); `action_cek_status_permohonan` checks
them in one step. An unknown number and wrong answers give the same answer (nobody learns which
numbers exist). Failures count per application number across all senders, per sender and per
client address (bot.security.percobaan): a few lock the check, in the database, so it holds across
restarts and instances; a success resets nothing. In a chat several people read (a Telegram group)
the check is declined: the person is asked to write privately.

Numbers are found however they are written: "SIP/0117/BLG/2026" by the regex, "sip 0117 blg 2026"
inline in a sentence by looking the candidates up in the applications table (normalized: case,
spaces, separators), and a number-shaped answer to "what is your number?" as it is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.formatting import document_name
from actions.jawaban import BATAL, jawaban
from actions.penyimpanan import AksiBasisData
from bot.channel_metadata import client_of, is_shared_chat
from bot.knowledge.views import Standard
from bot.permohonan.kalender import KalenderKerja, hitung_tenggat
from bot.permohonan.models import STATUS_AKHIR
from bot.permohonan.repository import (
    Permohonan,
    hash_pengirim,
    kode_tanda_terima_dipakai,
    mask_nama,
    nomor_dikenal,
    nomor_kunci,
    prosedur_langkah,
    terkunci_sampai,
    verifikasi_pemilik,
)

logger = logging.getLogger(__name__)

# Application numbers as offices write them: 503/IZ/2026, SIP/0117/BLG/2026,
# 503/0451/IAP/DPMPTSP/2026 (>= 2 slashes; letters or digits first).
NOMOR_DI_TEKS_RE = re.compile(r"(?<![\w/])[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){2,6}(?![\w/])")
# Loosely written numbers ("sip 0117 blg 2026"): windows of short code-like words with digits.
_KATA_KODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./\-]{0,19}$")
MAKS_KANDIDAT = 400
TERKUNCI = "terkunci"  # kode_verifikasi placeholder: the sender is locked out, do not ask
DIBATALKAN = "batal"  # both slots: the person cancelled the check

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

SessionFactory = Callable[[], Any]


def tanggal_id(day: date) -> str:
    """12 Mei 2026."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def hari_ini(wilayah: Optional[str] = None) -> date:
    """Today in the time zone of the office of `wilayah` (its region data; PANDU_TZ overrides)."""
    from bot.db import session_factory
    from bot.knowledge import operasional
    from bot.knowledge.repository import get_region

    region = None
    if wilayah:
        try:
            with session_factory()() as session:
                region = get_region(session, wilayah)
        except Exception:  # noqa: BLE001 - the date then falls back to the default zone
            logger.warning("region %s unreadable; today in the default time zone", wilayah)
    return operasional.hari_ini(region)


def cari_nomor(text: str) -> Optional[str]:
    """A number written with slashes anywhere in the text."""
    match = NOMOR_DI_TEKS_RE.search(text or "")
    return match.group(0).upper() if match else None


def _words(text: str) -> list[str]:
    return [w.strip(",;:!?()\"'") for w in (text or "").split()]


def kandidat_nomor(text: str) -> list[str]:
    """Runs of 1 to 8 code-like words containing a digit: the places a loosely typed number may be."""
    words = _words(text)
    found: list[str] = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + 8) + 1):
            window = words[start:end]
            if not _KATA_KODE.match(window[-1]):
                break
            if any(ch.isdigit() for word in window for ch in word):
                found.append(" ".join(window))
                if len(found) >= MAKS_KANDIDAT:
                    return found
    return found


def nomor_berbentuk(text: str) -> Optional[str]:
    """A number-shaped run at the start of the text or after "permohonan"/"nomor"/"no": at least three
    words, two of them with digits, the others short codes ("sip 0117 blg 2026"). Taken whether or not
    it exists, so that asking for the digits next tells nothing about which numbers exist."""
    from bot import lexicon

    pengantar = lexicon.words("umum", "pengantar_nomor")
    words = _words(text)
    for start in range(len(words)):
        if start and words[start - 1].casefold() not in pengantar:
            continue
        run: list[str] = []
        for word in words[start:]:
            has_digit = any(ch.isdigit() for ch in word)
            if not _KATA_KODE.match(word) or not (has_digit or len(word) <= 5):
                break
            run.append(word)
        while run and not any(ch.isdigit() for ch in run[-1]):
            run.pop()
        if len(run) >= 3 and sum(any(ch.isdigit() for ch in w) for w in run) >= 2:
            return " ".join(run).upper()
    return None


def temukan_nomor(text: str, session_factory: Optional[SessionFactory]) -> Optional[str]:
    """The application number in a message: written with slashes; else a run of words that is a
    number of the applications table once case, spaces and separators are ignored (the longest);
    else a number-shaped run (`nomor_berbentuk`). Spaces around separators are ignored first
    ("SIP / 0117 / BLG / 2026")."""
    text = re.sub(r"\s*([/\-])\s*", r"\1", text or "")
    found = cari_nomor(text)
    if found:
        return found
    candidates = kandidat_nomor(text)
    if candidates and session_factory is not None:
        keys = {nomor_kunci(c): c for c in candidates}
        try:
            with session_factory() as session:
                known = nomor_dikenal(session, keys)
        except SQLAlchemyError:
            logger.exception("number lookup failed")
            known = set()
        if known:
            return max((keys[k] for k in known), key=len).upper()
    return nomor_berbentuk(text)


def pengirim_dan_klien(tracker: Tracker) -> tuple[str, Optional[str]]:
    """The keyed hash of the conversation, and of the client's address when the channel has one."""
    return hash_pengirim(tracker.sender_id), client_of(tracker.latest_message.get("metadata"))


def percakapan_bersama(tracker: Tracker) -> bool:
    """Whether several people read this conversation (a group chat): no personal flows there."""
    return is_shared_chat(tracker.latest_message.get("metadata"))


class _DatabaseAction(AksiBasisData):
    """The database as every action gets it (actions/penyimpanan.py); the clock gives today's date in
    an office's time zone."""

    clock: ClassVar[Callable[[Optional[str]], date]] = staticmethod(hari_ini)  # type: ignore[assignment]

    def __init__(
        self,
        session_factory: Optional[SessionFactory] = None,
        clock: Optional[Callable[[Optional[str]], date]] = None,
    ):
        super().__init__(session_factory)
        if clock is not None:
            self.clock = clock


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
def _dibatalkan(tracker: Tracker) -> bool:
    return jawaban(tracker) == BATAL


class ValidateCekPermohonanForm(_DatabaseAction, FormValidationAction):
    def __init__(self, session_factory: Optional[SessionFactory] = None, clock=None):
        _DatabaseAction.__init__(self, session_factory, clock)

    def name(self) -> str:
        return "validate_cek_permohonan_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if percakapan_bersama(tracker):
            return []  # declined by the status action: nothing personal is asked in a group
        slots = [slot for slot in domain_slots if slot != "kode_tanda_terima"]
        if tracker.get_slot("kode_verifikasi") in (TERKUNCI, DIBATALKAN):
            return slots
        try:
            with self.factory()() as session:
                if kode_tanda_terima_dipakai(session):
                    slots.append("kode_tanda_terima")
        except SQLAlchemyError:
            logger.exception("receipt-code check failed")
        return slots

    async def extract_nomor_permohonan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A number given in the message that starts the check ("cek status sip 0117 blg 2026")."""
        if tracker.get_slot("nomor_permohonan") or tracker.get_slot("requested_slot"):
            return {}
        nomor = temukan_nomor(tracker.latest_message.get("text") or "", self.factory())
        return {"nomor_permohonan": nomor} if nomor else {}

    def validate_nomor_permohonan(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _dibatalkan(tracker):
            return {"nomor_permohonan": DIBATALKAN, "kode_verifikasi": DIBATALKAN}
        nomor = temukan_nomor(str(value or ""), self.factory())
        # The NLU's regex knows digits-first numbers only: in "SIP/0117/BLG/2026" it takes the tail.
        whole = cari_nomor(tracker.latest_message.get("text") or "")
        if whole and (nomor is None or nomor_kunci(nomor) in nomor_kunci(whole)):
            nomor = whole
        if nomor is None:
            dispatcher.utter_message(response="utter_nomor_permohonan_format")
            return {"nomor_permohonan": None}
        pengirim, klien = pengirim_dan_klien(tracker)
        try:
            with self.factory()() as session:
                locked = terkunci_sampai(session, pengirim, nomor=nomor, klien=klien)
        except SQLAlchemyError:
            logger.exception("lock-out check failed")
            locked = None  # the status action reports the outage
        if locked:
            # Do not ask for answers that cannot be checked now: the status action says why.
            return {"nomor_permohonan": nomor, "kode_verifikasi": TERKUNCI, "kode_tanda_terima": TERKUNCI}
        return {"nomor_permohonan": nomor}

    def validate_kode_verifikasi(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if text == TERKUNCI:
            return {"kode_verifikasi": TERKUNCI}
        if _dibatalkan(tracker):
            return {"nomor_permohonan": DIBATALKAN, "kode_verifikasi": DIBATALKAN}
        # "1177", "4 angka terakhir 1177", "akhirannya 88 41": the last group of four digits, else
        # all digits when they are four.
        groups = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
        digits = groups[-1] if groups else re.sub(r"\D", "", text)
        if len(digits) != 4:
            dispatcher.utter_message(response="utter_kode_verifikasi_format")
            return {"kode_verifikasi": None}
        return {"kode_verifikasi": digits}

    def validate_kode_tanda_terima(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if text == TERKUNCI:
            return {"kode_tanda_terima": TERKUNCI}
        if _dibatalkan(tracker):
            return dict.fromkeys(("nomor_permohonan", "kode_verifikasi", "kode_tanda_terima"), DIBATALKAN)
        if not text or len(text) > 64:
            dispatcher.utter_message(response="utter_kode_tanda_terima_format")
            return {"kode_tanda_terima": None}
        return {"kode_tanda_terima": text}


# --- the status answer ------------------------------------------------------------------------
class ActionCekStatusPermohonan(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_cek_status_permohonan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        nomor = tracker.get_slot("nomor_permohonan")
        kode = tracker.get_slot("kode_verifikasi")
        tanda_terima = tracker.get_slot("kode_tanda_terima")
        events: list[EventType] = [
            SlotSet("nomor_permohonan", None),
            SlotSet("kode_verifikasi", None),
            SlotSet("kode_tanda_terima", None),
        ]
        if percakapan_bersama(tracker):
            dispatcher.utter_message(response="utter_percakapan_bersama")
            return events
        if kode == DIBATALKAN:
            dispatcher.utter_message(response="utter_cek_permohonan_batal")
            return events
        pengirim, klien = pengirim_dan_klien(tracker)
        standard = None
        try:
            with self.factory()() as session:
                hasil = verifikasi_pemilik(
                    session,
                    pengirim,
                    nomor or "",
                    "" if kode == TERKUNCI else kode or "",
                    klien=klien,
                    kode_tanda_terima=None if tanda_terima == TERKUNCI else tanda_terima,
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
            p, standard, standard.wilayah_nama if standard else None, self.clock(p.wilayah)
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
