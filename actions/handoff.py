"""Handing a conversation to a person (the staff console, docs/konsol.md).

- `action_minta_petugas` ("mau bicara dengan petugas", the "Hubungi petugas" button, the offer
  below): queues the conversation in the staff inbox, tells the applicant when staff are in (the
  office hours of the region's data, in its time zone; outside them, the next opening), and pauses
  the conversation for the assistant (Rasa's ConversationPaused) so it stays silent while staff talk.
- `action_kembali_ke_asisten` ("batal, saya tanya bot saja"): the applicant leaves the queue or the
  staff member; the assistant answers again (ConversationResumed). A paused conversation reaches it
  because `bot/channels/petugas.py` lets these intents through Rasa's pause.
- `action_tawarkan_petugas` (after a fallback): when this turn and the one before both ended in "I
  did not understand", offer a person.

Staff replies and the hand-back come from the console through the Rasa server's staff bridge.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable, ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, ConversationResumed, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.base import Knowledge, KnowledgeAction, Turn, known_region, send
from actions.contact import office_block
from actions.formatting import button
from bot.knowledge import operasional
from bot.tak_terjawab.pencatat import GAGAL as RESPON_GAGAL

logger = logging.getLogger(__name__)

SLOT = "menunggu_petugas"
# Replies that mean "this turn failed": the assistant did not understand or found nothing (the
# unanswered-question log's list, without the honest "not a service of ours").
GAGAL = frozenset(name for name, jenis in RESPON_GAGAL.items() if jenis != "di_luar_layanan")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def kanal(tracker: Tracker) -> str:
    """The channel of the latest user message: the widget and the Telegram gateway say so in the
    message metadata (they reach Rasa through the REST channel); WhatsApp is its own channel."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            named = metadata.get("channel") if isinstance(metadata, dict) else None
            return str(named or event.get("input_channel") or tracker.get_latest_input_channel() or "rest")
    return str(tracker.get_latest_input_channel() or "rest")


def giliran_gagal(tracker: Tracker, jumlah: int = 2) -> bool:
    """True when each of the last `jumlah` user turns was answered with a failure reply (and no
    person was offered in them already)."""
    turns: list[set[str]] = [set()]
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "bot":
            action = (event.get("metadata") or {}).get("utter_action")
            if action:
                turns[-1].add(action)
        elif kind == "user":
            if len(turns) == jumlah:
                break
            turns.append(set())
    turns = turns[:jumlah]
    if len(turns) < jumlah:
        return False
    return all(t & GAGAL and "utter_tawarkan_petugas" not in t for t in turns)


def ditawarkan_sebelumnya(tracker: Tracker) -> bool:
    """True when the assistant offered a person in its reply to the previous user message."""
    users_seen = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return False
        elif users_seen == 1 and event.get("event") == "bot":
            if (event.get("metadata") or {}).get("utter_action") == "utter_tawarkan_petugas":
                return True
    return False


def _asks_about_a_service(turn: Turn) -> bool:
    """A named service and a question about what it contains: a detail asked in a question of a
    known kind ("... perlu X?", "siapa ..."), or "the same for it" ("sama toko obat sekalian")."""
    if not turn.values("layanan"):
        return False
    return bool((turn.values("rincian") and turn.values("jenis_tanya")) or turn.values("peralihan"))


class ActionMintaPetugas(KnowledgeAction):
    """human_handoff: queue the conversation for staff, say when they are in, pause the assistant."""

    clock: ClassVar[Callable[[], datetime]] = staticmethod(utc_now)

    def name(self) -> str:
        return "action_minta_petugas"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        outside = turn.values("luar_layanan")
        if outside and not turn.values("layanan"):
            # "paspor sama visanya bisa dibantu dari sini?": help with something no office here
            # handles is the honest "not among our standards" with the office's contacts.
            from actions.answers import send_outside

            return [SlotSet("layanan", None), *send_outside(dispatcher, tracker, knowledge, turn, outside[0])]
        if _asks_about_a_service(turn):
            # "nanti petugas minta IMB juga untuk izin walet?", "sama toko obat sekalian ya": a
            # question about a named service that the classifier took for a request for staff
            # (the entities say more than the intent). Answered; a person stays one tap away.
            from actions.answers import answer_question

            events = answer_question(dispatcher, tracker, knowledge, turn)
            dispatcher.utter_message(response="utter_petugas_bila_perlu")
            return events
        wilayah = known_region(tracker, turn, knowledge)
        regions = knowledge.regions()
        if wilayah is None and len(regions) == 1:
            wilayah = next(iter(regions))
        if wilayah is None:  # several offices and none known: the request must reach the right one
            dispatcher.utter_message(
                response="utter_ask_wilayah_petugas",
                buttons=[button(r.nama, "human_handoff", wilayah=r.id) for r in regions.values()],
            )
            return []
        region = knowledge.region(wilayah)
        assert region is not None  # known_region only returns regions of the knowledge base
        alasan = "gagal_beruntun" if ditawarkan_sebelumnya(tracker) else "diminta"
        try:
            from bot.petugas.repository import buka_permintaan

            request = buka_permintaan(knowledge.session, tracker.sender_id, kanal(tracker), wilayah, alasan)
            knowledge.session.commit()
            logger.info("handoff request %s queued (%s)", request.id, request.kanal)
        except SQLAlchemyError:
            knowledge.session.rollback()
            logger.exception("handoff request could not be saved")
            dispatcher.utter_message(response="utter_petugas_gagal_dicatat")
            send(dispatcher, office_block(knowledge, region))
            return [SlotSet("wilayah", wilayah)]

        status = operasional.status_kantor(region, self.clock())
        jadwal = operasional.ringkas_jam_layanan(region) or "hari dan jam kerja kantor"
        if status.buka:
            dispatcher.utter_message(response="utter_petugas_diteruskan", kantor=region.kantor, jadwal=jadwal)
        else:
            nanti = (
                operasional.waktu_teks(region, status.buka_berikutnya)
                if status.buka_berikutnya
                else "hari kerja berikutnya"
            )
            dispatcher.utter_message(
                response="utter_petugas_di_luar_jam", kantor=region.kantor, jadwal=jadwal, buka=nanti
            )
        contacts = office_block(knowledge, region)
        dispatcher.utter_message(response="utter_petugas_kontak_kantor", kontak=contacts)
        # The assistant is silent from here. action_listen is logged because Rasa stops predicting at
        # the pause, and the rules for leaving the queue start, like every rule, from a listening bot.
        return [
            SlotSet("wilayah", wilayah),
            SlotSet(SLOT, True),
            ConversationPaused(),
            ActionExecuted("action_listen"),
        ]


class ActionKembaliKeAsisten(Action):
    """kembali_ke_asisten (and "batal" while waiting): leave the staff queue, resume the assistant."""

    def __init__(self, session_factory: Optional[Callable[[], Any]] = None) -> None:
        self._session_factory = session_factory

    def name(self) -> str:
        return "action_kembali_ke_asisten"

    def _factory(self) -> Callable[[], Any]:
        if self._session_factory is None:
            from bot.db import session_factory

            self._session_factory = session_factory()
        return self._session_factory

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        closed = None
        try:
            from bot.petugas.repository import batalkan_oleh_pemohon

            with self._factory()() as session:
                closed = batalkan_oleh_pemohon(session, tracker.sender_id)
                session.commit()
        except SQLAlchemyError:
            logger.exception("handoff request could not be closed")
        if closed is None and not tracker.get_slot(SLOT) and not tracker.is_paused():
            dispatcher.utter_message(response="utter_sudah_dengan_asisten")
            return []
        dispatcher.utter_message(response="utter_kembali_ke_asisten")
        return [SlotSet(SLOT, False), ConversationResumed()]


class ActionTawarkanPetugas(Action):
    """After a fallback: offer a person when this turn and the one before both failed."""

    def name(self) -> str:
        return "action_tawarkan_petugas"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if giliran_gagal(tracker):
            dispatcher.utter_message(response="utter_tawarkan_petugas")
        return []
