"""Status notifications in the conversation: the offer, consent, and opting out.

- `action_tawarkan_kabar` runs after a status check, a saved complaint and a complaint check
  (data/rules): for an application or complaint still in progress it asks "Mau saya kabari kalau
  statusnya berubah?" (unless this conversation already follows it, or its channel cannot receive
  notifications); for a finished one it invites the satisfaction survey instead.
- `action_daftar_kabar`: "Ya, kabari saya" (or "ya" to the offer, or "kabari saya kalau ..." after a
  verified status check or a ticket): the conversation is subscribed (bot/notifikasi/langganan.py).
- `action_berhenti_kabar`: "berhenti" ends every subscription of the conversation and erases its
  address.

Only the record a person proved to be theirs in this conversation can be followed: an application
after the phone-digit check (slot `permohonan_terverifikasi`), a complaint by its ticket. Logs carry
references only, never the sender id.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.handoff import kanal
from actions.penyimpanan import AksiBasisData

logger = logging.getLogger(__name__)

SLOT = "tawaran_kabar"
SKM = "skm"  # the slot's value after a survey invitation
TIDAK_BISA_KANAL = (
    "Maaf, kabar otomatis hanya dapat dikirim lewat WhatsApp, Telegram, atau widget obrolan di situs "
    "kantor. Anda tetap dapat mengecek kapan saja di sini."
)
GANGGUAN = (
    "Maaf, permintaan Anda belum dapat disimpan karena gangguan sistem. Silakan coba lagi sebentar lagi."
)
AJAK_SKM = (
    "{apa} sudah selesai. Bersediakah Anda mengisi Survei Kepuasan Masyarakat tentang pelayanan kami? "
    "9 pertanyaan singkat, dijawab dengan tombol, anonim."
)


def _subjek_giliran_ini(tracker: Tracker) -> Optional[tuple[str, str]]:
    """The application verified, or the complaint saved or checked, in this turn (the slot events
    since the latest user message)."""
    found: Optional[tuple[str, str]] = None
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            break
        if event.get("event") != "slot" or not event.get("value"):
            continue
        if event.get("name") == "permohonan_terverifikasi":
            return "permohonan", str(event["value"])
        if event.get("name") == "kode_tiket" and found is None:
            found = ("pengaduan", str(event["value"]))
    return found


def _label(jenis: str, rujukan: str) -> str:
    return f"permohonan {rujukan}" if jenis == "permohonan" else f"pengaduan {rujukan}"


class ActionTawarkanKabar(AksiBasisData, Action):
    def name(self) -> str:
        return "action_tawarkan_kabar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        subject = _subjek_giliran_ini(tracker)
        if subject is None:
            return [SlotSet(SLOT, None)]
        jenis, rujukan = subject
        try:
            from bot.notifikasi.langganan import KANAL_KABAR, aktif_untuk, keadaan

            with self.factory()() as session:
                state = keadaan(session, jenis, rujukan)
                following = any(
                    s.jenis == jenis and s.rujukan == rujukan for s in aktif_untuk(session, tracker.sender_id)
                )
        except SQLAlchemyError:
            logger.exception("notification offer: database unavailable")
            return [SlotSet(SLOT, None)]
        if state is None:
            return [SlotSet(SLOT, None)]
        if state.status == "selesai":
            apa = "Permohonan Anda" if jenis == "permohonan" else "Pengaduan Anda"
            dispatcher.utter_message(
                text=AJAK_SKM.format(apa=apa),
                buttons=[
                    {"title": "Isi survei", "payload": "/isi_skm"},
                    {"title": "Nanti saja", "payload": "/deny"},
                ],
            )
            return [SlotSet(SLOT, SKM)]
        if state.status == "ditolak" or following or kanal(tracker) not in KANAL_KABAR:
            return [SlotSet(SLOT, None)]
        if jenis == "permohonan":
            text = f"Mau saya kabari di sini kalau status permohonan {rujukan} berubah?"
        else:
            text = (
                f"Mau saya kabari di sini kalau pengaduan {rujukan} ditanggapi atau statusnya berubah? "
                "Bila sampai batas waktunya belum ditanggapi, saya juga memberi tahu Anda."
            )
        buttons = [
            {"title": "Ya, kabari saya", "payload": "/minta_kabar"},
            {"title": "Tidak usah", "payload": "/deny"},
        ]
        if jenis == "permohonan" and tracker.get_slot("permohonan_terlambat"):
            # The status reply's own complaint button is no longer the latest: offer it again here.
            buttons.insert(1, {"title": "Ajukan pengaduan", "payload": "/ajukan_pengaduan"})
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(SLOT, f"{jenis}:{rujukan}")]


class ActionDaftarKabar(AksiBasisData, Action):
    def name(self) -> str:
        return "action_daftar_kabar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        offer = tracker.get_slot(SLOT)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        subject: Optional[tuple[str, str]] = None
        if offer == SKM:  # "ya" to the survey invitation
            return [SlotSet(SLOT, None), FollowupAction("action_skm_mulai")]
        if offer and ":" in str(offer):
            jenis, _, rujukan = str(offer).partition(":")
            subject = (jenis, rujukan)
        elif intent != "affirm":
            if tracker.get_slot("permohonan_terverifikasi"):
                subject = ("permohonan", str(tracker.get_slot("permohonan_terverifikasi")))
            elif tracker.get_slot("kode_tiket"):
                subject = ("pengaduan", str(tracker.get_slot("kode_tiket")))
        if subject is None:
            if intent == "affirm":  # a "ya" to something else: the ordinary answer
                dispatcher.utter_message(response="utter_affirm")
            else:
                dispatcher.utter_message(
                    text="Supaya bisa saya kabari, cek dulu status permohonan Anda di sini (ketik "
                    '"cek status permohonan"), atau pengaduan Anda dengan nomor tiketnya '
                    '("cek pengaduan ADU-XXXX-XXXX").'
                )
            return [SlotSet(SLOT, None)]
        jenis, rujukan = subject
        try:
            from bot.notifikasi.langganan import langganan

            with self.factory()() as session:
                row, outcome = langganan(session, jenis, rujukan, tracker.sender_id, kanal(tracker))
                session.commit()
        except SQLAlchemyError:
            logger.exception("subscription not saved (database)")
            dispatcher.utter_message(text=GANGGUAN)
            return [SlotSet(SLOT, None)]
        logger.info("notifications: %s %s (%s)", jenis, rujukan, outcome)
        if outcome == "kanal":
            dispatcher.utter_message(text=TIDAK_BISA_KANAL)
        elif outcome == "tidak_ada":
            dispatcher.utter_message(text=f"Maaf, {_label(jenis, rujukan)} tidak ditemukan lagi.")
        elif outcome == "sudah":
            dispatcher.utter_message(
                text=f"Anda sudah terdaftar untuk menerima kabar {_label(jenis, rujukan)} di sini."
            )
        else:
            what = "statusnya berubah" if jenis == "permohonan" else "ditanggapi atau statusnya berubah"
            dispatcher.utter_message(
                text=f"Baik, saya akan mengabari Anda di sini setiap kali {_label(jenis, rujukan)} {what}. "
                'Ketik "berhenti" kapan saja bila tidak ingin menerima kabar lagi.'
            )
        return [SlotSet(SLOT, None)]


class ActionBerhentiKabar(AksiBasisData, Action):
    def name(self) -> str:
        return "action_berhenti_kabar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            from bot.notifikasi.langganan import berhenti

            with self.factory()() as session:
                stopped = berhenti(session, tracker.sender_id)
                session.commit()
        except SQLAlchemyError:
            logger.exception("opt-out not saved (database)")
            dispatcher.utter_message(
                text="Maaf, permintaan berhenti belum tersimpan karena gangguan sistem. "
                'Mohon ketik "berhenti" lagi sebentar lagi.'
            )
            return [SlotSet(SLOT, None)]
        if stopped:
            logger.info("notifications stopped: %d", len(stopped))
            dispatcher.utter_message(
                text="Baik, Anda tidak akan menerima kabar lagi untuk: " + ", ".join(stopped) + ". "
                'Bila nanti ingin dikabari lagi, cek statusnya lalu pilih "Ya, kabari saya".'
            )
        else:
            dispatcher.utter_message(text="Anda tidak sedang menerima kabar otomatis dari kami.")
        return [SlotSet(SLOT, None)]
