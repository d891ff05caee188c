"""Complaints (pengaduan): the form, the summary and confirmation, saving, and "cek pengaduan".

The rules that differ per region (response time, filing deadline, "no identity = suggestion", the
other channels) are read from the region's standard in the knowledge base (`bot.pengaduan.aturan`),
never written here. The complaint is committed before the ticket is shown; when the database fails
the person is told it was NOT saved and given the other channels. Logs carry ticket codes only:
never names, contacts or the complaint's text; the summary that repeats them is marked so the
tracker store does not keep it (bot.security.redaction). In a chat several people read (a Telegram
group) complaints are neither taken nor shown: the person is asked to write privately. Ticket
look-ups that find nothing are limited per sender and client address (bot.security.percobaan).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.applications import _DatabaseAction, pengirim_dan_klien, percakapan_bersama, tanggal_id
from actions.formatting import KANAL_LABEL, document_name, office_contacts
from actions.jawaban import BATAL, LEWATI, TIDAK, YA, jawaban
from bot.pengaduan.aturan import AturanPengaduan, aturan_dari_standar, standar_acuan
from bot.pengaduan.models import KATEGORI
from bot.pengaduan.repository import URAIAN_MAX, URAIAN_MIN, DataPengaduan, buat_pengaduan, get_pengaduan
from bot.pengaduan.tiket import normalize_kode
from bot.permohonan.repository import hash_pengirim, mask_nama, mask_telepon
from bot.security import percobaan
from bot.security.redaction import PERSONAL_MARK
from bot.tindak_lanjut.pemohon import keterangan_tenggat

logger = logging.getLogger(__name__)

# A ticket inside a sentence, however it is written: "ADU-7KQ2-9XFD", "adu 7kq2 9xfd", "ADU.7KQ2.9XFD".
KODE_DI_TEKS_RE = re.compile(r"ADU[\s\-_./]*\w{4}[\s\-_./]*\w{4}", re.I)

FORM_SLOTS = (
    "pengaduan_wilayah",
    "pengaduan_kategori",
    "pengaduan_uraian",
    "pengaduan_waktu",
    "pengaduan_nama",
    "pengaduan_kontak",
    "pengaduan_konfirmasi",
)
CONTEXT_SLOTS = ("pengaduan_layanan", "pengaduan_permohonan", "pengaduan_kanal")
KOSONG = "-"  # an optional answer the person skipped ("lewati")
UBAH = {
    "kategori": ("pengaduan_kategori",),
    "uraian": ("pengaduan_uraian",),
    "isi": ("pengaduan_uraian",),
    "waktu": ("pengaduan_waktu",),
    "identitas": ("pengaduan_nama", "pengaduan_kontak"),
    "nama": ("pengaduan_nama",),
    "kontak": ("pengaduan_kontak",),
    "wilayah": ("pengaduan_wilayah",),
}


def _clean(text: Any) -> str:
    return " ".join(str(text or "").split())


def _key(text: Any) -> str:
    return _clean(text).casefold().strip(" .!")


def _value(slot: Any) -> Optional[str]:
    return None if slot in (None, KOSONG) else str(slot)


def mask_kontak(kontak: Optional[str]) -> str:
    """Phone -> last 4 digits; e-mail -> first letter and domain; anything else -> first letter."""
    if not kontak:
        return "-"
    if "@" in kontak:
        user, _, domain = kontak.partition("@")
        return f"{user[:1]}***@{domain}"
    if len(re.sub(r"\D", "", kontak)) >= 8:
        return mask_telepon(kontak)
    return kontak[:1] + "***"


def kategori_dari_teks(text: str) -> Optional[str]:
    key = _key(text)
    if key in KATEGORI:
        return key
    for kode, label in KATEGORI.items():
        if key == label.casefold() or key == kode.replace("_", " "):
            return kode
    if key.isdigit() and 1 <= int(key) <= len(KATEGORI):
        return list(KATEGORI)[int(key) - 1]
    return None


def kanal_lines(aturan: AturanPengaduan, region: Any) -> list[str]:
    """The other complaint channels: the standard's own list, else the office's contacts."""
    lines = []
    for name, values in aturan.kanal.items():
        lines.append(f"- {KANAL_LABEL.get(name, name)}: {', '.join(values)}")
    if not lines and region is not None:
        lines.extend(f"- {label}: {', '.join(values)}" for label, values in office_contacts(region))
    return lines


def aturan_lines(aturan: AturanPengaduan, anonim: bool) -> list[str]:
    """What the standard itself promises or requires, only where it says so."""
    lines = []
    if aturan.waktu_tanggapan_hari_kerja:
        lines.append(
            f"Menurut standar pelayanan, pengaduan ditanggapi paling lambat "
            f"{aturan.waktu_tanggapan_hari_kerja} hari kerja sejak diterima."
        )
    if aturan.batas_pengajuan_hari:
        lines.append(
            f"Pengaduan disampaikan paling lambat {aturan.batas_pengajuan_hari} hari sejak menerima "
            "pelayanan; "
            "yang lebih lama dapat diperlakukan sebagai saran/masukan."
        )
    if anonim and aturan.tanpa_identitas_jadi_saran:
        lines.append(
            "Perhatian: menurut standar pelayanan wilayah ini, pengaduan tanpa identitas pelapor "
            "diperlakukan sebagai SARAN atau masukan. Tanpa nama/kontak, laporan ini dicatat sebagai saran."
        )
    return lines


class _Konteks:
    """Knowledge around one complaint: its standard, region and the region's complaint rules."""

    def __init__(self, session: Any, tracker: Tracker):
        from bot.knowledge import repository as kb

        self.wilayah = _value(tracker.get_slot("pengaduan_wilayah"))
        self.standard_id = _value(tracker.get_slot("pengaduan_layanan"))
        self.nomor_permohonan = _value(tracker.get_slot("pengaduan_permohonan"))
        self.standard = standar_acuan(session, self.wilayah, self.standard_id)
        self.related = (
            self.standard if self.standard is not None and self.standard.id == self.standard_id else None
        )
        self.region = kb.get_region(session, self.wilayah) if self.wilayah else None
        self.aturan = aturan_dari_standar(self.standard)


def ringkasan(tracker: Tracker, konteks: _Konteks) -> str:
    nama = _value(tracker.get_slot("pengaduan_nama"))
    kontak = _value(tracker.get_slot("pengaduan_kontak"))
    anonim = not nama and not kontak
    lines = ["Ringkasan pengaduan Anda:"]
    if konteks.region is not None:
        lines.append(f"Wilayah: {konteks.region.nama}")
    if konteks.related is not None:
        lines.append(f"Layanan: {konteks.related.nama}")
    if konteks.nomor_permohonan:
        lines.append(f"Nomor permohonan: {konteks.nomor_permohonan}")
    kategori = tracker.get_slot("pengaduan_kategori")
    lines.append(f"Kategori: {KATEGORI.get(kategori, kategori)}")
    lines.append(f"Uraian: {_clean(tracker.get_slot('pengaduan_uraian'))}")
    lines.append(f"Waktu kejadian: {_value(tracker.get_slot('pengaduan_waktu')) or '-'}")
    if anonim:
        lines.append("Identitas: tidak disertakan")
    else:
        lines.append(
            f"Identitas (dirahasiakan): {mask_nama(nama) if nama else '-'}, kontak {mask_kontak(kontak)}"
        )
    rules = aturan_lines(konteks.aturan, anonim)
    lines.extend(rules)
    if rules and konteks.standard is not None:
        lines.append(
            f"(Sumber: {konteks.standard.nama}, {konteks.standard.wilayah_nama}, "
            f"{document_name(konteks.standard)})"
        )
    lines.append("Kirim sekarang? Pilih 'Ya, kirim', ubah salah satu isian, atau 'Batal'.")
    return "\n".join(lines)


# --- starting the form ------------------------------------------------------------------------
class ActionMulaiPengaduan(_DatabaseAction, Action):
    """Pre-fills the complaint from the conversation: the current standard and region, and an
    application whose owner was verified in this conversation."""

    def name(self) -> str:
        return "action_mulai_pengaduan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if percakapan_bersama(tracker):
            return []  # the form asks nothing in a group; the save action declines
        events: list[EventType] = [SlotSet("pengaduan_konfirmasi", None)]
        layanan = tracker.get_slot("pengaduan_layanan") or tracker.get_slot("layanan")
        wilayah = tracker.get_slot("pengaduan_wilayah") or tracker.get_slot("wilayah")
        permohonan = tracker.get_slot("pengaduan_permohonan") or tracker.get_slot("permohonan_terverifikasi")
        try:
            with self.factory()() as session:
                from bot.knowledge import repository as kb

                if layanan:
                    standard = kb.get_standard(session, layanan)
                    if standard is None:
                        layanan = None
                    else:
                        wilayah = standard.wilayah
                if wilayah and kb.get_region(session, wilayah) is None:
                    wilayah = None
        except SQLAlchemyError:
            logger.exception("complaint pre-fill failed (database)")
        events += [
            SlotSet("pengaduan_layanan", layanan),
            SlotSet("pengaduan_wilayah", wilayah),
            SlotSet("pengaduan_permohonan", permohonan),
        ]
        dispatcher.utter_message(response="utter_pengaduan_mulai")
        return events


# --- asking with buttons built from data --------------------------------------------------------
class ActionAskPengaduanWilayah(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_ask_pengaduan_wilayah"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        buttons = []
        try:
            with self.factory()() as session:
                from bot.knowledge import repository as kb

                buttons = [{"title": r.nama, "payload": r.nama} for r in kb.list_regions(session)]
        except SQLAlchemyError:
            logger.exception("listing regions failed")
        dispatcher.utter_message(response="utter_ask_pengaduan_wilayah", buttons=buttons)
        return []


class ActionAskPengaduanKategori(Action):
    def name(self) -> str:
        return "action_ask_pengaduan_kategori"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        buttons = [{"title": label, "payload": label} for label in KATEGORI.values()]
        dispatcher.utter_message(response="utter_ask_pengaduan_kategori", buttons=buttons)
        return []


class ActionAskPengaduanKonfirmasi(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_ask_pengaduan_konfirmasi"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        try:
            with self.factory()() as session:
                konteks = _Konteks(session, tracker)
                text = ringkasan(tracker, konteks)
            # Kept for the moment of saving: if the database fails then, these still reach the person.
            events.append(SlotSet("pengaduan_kanal", "\n".join(kanal_lines(konteks.aturan, konteks.region))))
        except SQLAlchemyError:
            logger.exception("complaint summary: knowledge base unavailable")
            text = "Ringkasan pengaduan Anda sudah lengkap. Kirim sekarang?"
        buttons = [
            {"title": "Ya, kirim", "payload": "ya"},
            {"title": "Ubah kategori", "payload": "ubah kategori"},
            {"title": "Ubah uraian", "payload": "ubah uraian"},
            {"title": "Ubah waktu", "payload": "ubah waktu"},
            {"title": "Ubah identitas", "payload": "ubah identitas"},
            {"title": "Batal", "payload": "batal"},
        ]
        # The summary repeats what happened and who complains: never kept in the tracker's events.
        dispatcher.utter_message(text=text, buttons=buttons, **{PERSONAL_MARK: True})
        return events


# --- validation -----------------------------------------------------------------------------
class ValidatePengaduanForm(_DatabaseAction, FormValidationAction):
    def __init__(self, session_factory=None, clock=None):
        _DatabaseAction.__init__(self, session_factory, clock)

    def name(self) -> str:
        return "validate_pengaduan_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # "batal" at any question ends the form at once; the submit action says it was cancelled.
        # In a group nothing is asked; the submit action asks the person to write privately.
        if tracker.get_slot("pengaduan_konfirmasi") == "batal" or percakapan_bersama(tracker):
            return []
        return list(FORM_SLOTS)

    @staticmethod
    def _batal(slot: str, tracker: Tracker) -> Optional[dict[str, Any]]:
        if jawaban(tracker) == BATAL:
            return {slot: KOSONG, "pengaduan_konfirmasi": "batal"}
        return None

    def validate_pengaduan_wilayah(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if (cancel := self._batal("pengaduan_wilayah", tracker)) is not None:
            return cancel
        key = _key(value)
        # A region the linker recognised in the message ("kab balangan", "di OKI") comes first.
        named = [
            e.get("value")
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == "wilayah" and isinstance(e.get("value"), str)
        ]
        try:
            with self.factory()() as session:
                from bot.knowledge import repository as kb

                for region in kb.list_regions(session):
                    if region.id in named:
                        return {"pengaduan_wilayah": region.id}
                for region in kb.list_regions(session):
                    names = {region.id, region.nama.casefold(), *(a.casefold() for a in region.alias)}
                    if key in names or key.replace("kabupaten ", "").replace("kab ", "") in names:
                        return {"pengaduan_wilayah": region.id}
        except SQLAlchemyError:
            logger.exception("region lookup failed")
        dispatcher.utter_message(response="utter_pengaduan_wilayah_tidak_dikenal")
        return {"pengaduan_wilayah": None}

    def validate_pengaduan_kategori(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if (cancel := self._batal("pengaduan_kategori", tracker)) is not None:
            return cancel
        kategori = kategori_dari_teks(value)
        if kategori is None:
            dispatcher.utter_message(response="utter_pengaduan_kategori_tidak_dikenal")
            return {"pengaduan_kategori": None}
        return {"pengaduan_kategori": kategori}

    def validate_pengaduan_uraian(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if (cancel := self._batal("pengaduan_uraian", tracker)) is not None:
            return cancel
        text = str(value or "").strip()
        if len(text) < URAIAN_MIN:
            dispatcher.utter_message(response="utter_pengaduan_uraian_pendek", minimal=URAIAN_MIN)
            return {"pengaduan_uraian": None}
        if len(text) > URAIAN_MAX:
            dispatcher.utter_message(
                response="utter_pengaduan_uraian_panjang", maksimal=URAIAN_MAX, panjang=len(text)
            )
            return {"pengaduan_uraian": None}
        return {"pengaduan_uraian": text}

    def _optional(self, slot: str, value: Any, limit: int, dispatcher, tracker: Tracker) -> dict[str, Any]:
        if (cancel := self._batal(slot, tracker)) is not None:
            return cancel
        text = _clean(value)
        # "lewati", "tidak ada", "-": skipped (an answer without a letter or digit says nothing).
        if jawaban(tracker) in (LEWATI, TIDAK) or not any(ch.isalnum() for ch in text):
            return {slot: KOSONG}
        if len(text) > limit:
            dispatcher.utter_message(response="utter_pengaduan_isian_panjang", maksimal=limit)
            return {slot: None}
        return {slot: text}

    def validate_pengaduan_waktu(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._optional("pengaduan_waktu", value, 200, dispatcher, tracker)

    def validate_pengaduan_nama(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._optional("pengaduan_nama", value, 200, dispatcher, tracker)

    def validate_pengaduan_kontak(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._optional("pengaduan_kontak", value, 200, dispatcher, tracker)

    def validate_pengaduan_konfirmasi(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        reply = jawaban(tracker)
        if reply == YA:
            return {"pengaduan_konfirmasi": "ya"}
        if reply in (BATAL, TIDAK):
            return {"pengaduan_konfirmasi": "batal"}
        key = _key(value)
        field = key.removeprefix("ubah").removeprefix("ganti").removeprefix("koreksi").strip()
        if field in UBAH:
            # Clear the field(s): the form asks them again, then shows the summary again.
            return {**{slot: None for slot in UBAH[field]}, "pengaduan_konfirmasi": None}
        dispatcher.utter_message(response="utter_pengaduan_konfirmasi_tidak_jelas")
        return {"pengaduan_konfirmasi": None}


# --- saving -----------------------------------------------------------------------------------
def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, *CONTEXT_SLOTS)]


class ActionSimpanPengaduan(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_simpan_pengaduan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if percakapan_bersama(tracker):
            dispatcher.utter_message(response="utter_percakapan_bersama")
            return _reset()
        if tracker.get_slot("pengaduan_konfirmasi") != "ya":
            dispatcher.utter_message(response="utter_pengaduan_dibatalkan")
            return _reset()
        konteks: Optional[_Konteks] = None
        try:
            with self.factory()() as session:
                konteks = _Konteks(session, tracker)
            nama = _value(tracker.get_slot("pengaduan_nama"))
            kontak = _value(tracker.get_slot("pengaduan_kontak"))
            jenis = (
                "saran"
                if (not nama and not kontak and konteks.aturan.tanpa_identitas_jadi_saran)
                else "pengaduan"
            )
            data = DataPengaduan(
                kategori=tracker.get_slot("pengaduan_kategori"),
                uraian=str(tracker.get_slot("pengaduan_uraian") or ""),
                kanal=(tracker.get_latest_input_channel() or "lainnya")[:32],
                jenis=jenis,
                wilayah=konteks.wilayah,
                standard_id=konteks.related.id if konteks.related is not None else None,
                nomor_permohonan=konteks.nomor_permohonan,
                waktu_kejadian=_value(tracker.get_slot("pengaduan_waktu")),
                nama=nama,
                kontak=kontak,
                pengirim=hash_pengirim(tracker.sender_id),
            )
            pengaduan, created = buat_pengaduan(self.factory(), data)
        except (SQLAlchemyError, OSError, RuntimeError, ValueError):
            # Never a ticket that was not saved. The answers stay in the slots: "kirim lagi" retries.
            logger.exception("complaint NOT saved (database)")
            lines = ["Maaf, pengaduan Anda BELUM tersimpan karena gangguan sistem. Tidak ada nomor tiket."]
            channels = (
                kanal_lines(konteks.aturan, konteks.region)
                if konteks is not None
                else [line for line in (tracker.get_slot("pengaduan_kanal") or "").splitlines() if line]
            )
            if channels:
                lines.append("Silakan sampaikan lewat saluran pengaduan kantor:")
                lines.extend(channels)
            lines.append("Atau coba lagi beberapa saat lagi dengan mengetik: kirim lagi pengaduan")
            dispatcher.utter_message(text="\n".join(lines))
            return [SlotSet("pengaduan_konfirmasi", None)]
        logger.info("complaint saved: %s (%s, new=%s)", pengaduan.kode_tiket, pengaduan.jenis, created)
        jenis_label = "Saran" if pengaduan.jenis == "saran" else "Pengaduan"
        lines = [
            f"{jenis_label} Anda sudah tersimpan.",
            f"Nomor tiket: {pengaduan.kode_tiket}",
            "Simpan nomor ini. Identitas Anda dirahasiakan.",
            "",
            "Selanjutnya: petugas pengaduan memverifikasi laporan Anda, lalu menindaklanjuti dan "
            "menjelaskan hasilnya.",
        ]
        if konteks.aturan.waktu_tanggapan_hari_kerja:
            lines.append(
                f"Standar pelayanan menjanjikan tanggapan paling lambat "
                f"{konteks.aturan.waktu_tanggapan_hari_kerja} hari kerja sejak pengaduan diterima."
            )
        lines.extend(keterangan_tenggat(self.factory(), pengaduan.kode_tiket))  # follow-through: the due date
        lines.append(f'Cek perkembangannya kapan saja: ketik "cek pengaduan {pengaduan.kode_tiket}".')
        channels = kanal_lines(konteks.aturan, konteks.region)
        if channels:
            lines += ["", "Saluran pengaduan lain kantor ini:", *channels]
        if konteks.standard is not None:
            lines.append(
                f"Sumber: {konteks.standard.nama}, {konteks.standard.wilayah_nama}, "
                f"{document_name(konteks.standard)} (Penanganan Pengaduan)"
            )
        dispatcher.utter_message(text="\n".join(lines))
        return [*_reset(), SlotSet("kode_tiket", pengaduan.kode_tiket)]


# --- checking by ticket ------------------------------------------------------------------------
class ActionCekPengaduan(_DatabaseAction, Action):
    def name(self) -> str:
        return "action_cek_pengaduan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if percakapan_bersama(tracker):
            dispatcher.utter_message(response="utter_percakapan_bersama")
            return []
        kode = None
        for entity in tracker.latest_message.get("entities") or []:
            if entity.get("entity") == "kode_tiket":
                kode = normalize_kode(str(entity.get("value")))
        if kode is None:
            match = KODE_DI_TEKS_RE.search(tracker.latest_message.get("text") or "")
            kode = normalize_kode(match.group(0)) if match else None
        if kode is None:
            kode = normalize_kode(tracker.get_slot("kode_tiket") or "")
        if kode is None:
            dispatcher.utter_message(response="utter_ask_kode_tiket")
            return []
        pengirim, klien = pengirim_dan_klien(tracker)
        keys = [(percobaan.TIKET_PENGIRIM, pengirim), (percobaan.TIKET_KLIEN, klien)]
        try:
            with self.factory()() as session:
                if percobaan.terkunci_sampai(session, keys):
                    dispatcher.utter_message(response="utter_pengaduan_cek_terkunci")
                    return [SlotSet("kode_tiket", None)]
                pengaduan = get_pengaduan(session, kode)
                if pengaduan is None:
                    percobaan.catat_gagal(session, keys)
                    session.commit()
        except SQLAlchemyError:
            logger.exception("complaint lookup failed (database)")
            dispatcher.utter_message(response="utter_pengaduan_gangguan_baca")
            return []
        if pengaduan is None:
            dispatcher.utter_message(response="utter_pengaduan_tidak_ditemukan", kode_tiket=kode)
            return [SlotSet("kode_tiket", None)]
        lines = [
            f"{'Saran' if pengaduan.jenis == 'saran' else 'Pengaduan'} {pengaduan.kode_tiket}",
            f"Kategori: {pengaduan.kategori_label}",
            f"Diterima: {tanggal_id(pengaduan.dibuat_pada.date())}",
            f"Status: {pengaduan.status_label}",
        ]
        if pengaduan.tanggapan:
            when = f" ({tanggal_id(pengaduan.ditanggapi_pada.date())})" if pengaduan.ditanggapi_pada else ""
            lines.append(f"Tanggapan petugas{when}: {pengaduan.tanggapan}")
        else:
            lines.append("Belum ada tanggapan petugas.")
        # follow-through: the due date, and past it the national channel (bot/tindak_lanjut/pemohon.py)
        lines.extend(keterangan_tenggat(self.factory(), pengaduan.kode_tiket))
        dispatcher.utter_message(text="\n".join(lines))
        return [SlotSet("kode_tiket", pengaduan.kode_tiket)]
