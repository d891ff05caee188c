"""Human handoff: the office's contacts, exactly as the knowledge base has them."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting, office
from actions.base import MAX_PILIHAN, Knowledge, KnowledgeAction, Turn, known_region, send
from bot.knowledge.views import Region


def office_block(knowledge: Knowledge, region: Region) -> str:
    """The office's contacts and where they come from (the region's standards document)."""
    lines = formatting.office_lines(region)
    summaries = knowledge.standards(wilayah=region.id)
    standard = knowledge.standard(summaries[0].id) if summaries else None
    if standard is not None:
        lines.append(f"Sumber: {region.kantor}, {region.nama}, {formatting.document_name(standard)}")
    return "\n".join(lines)


def send_office_contacts(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, turn: Turn
) -> list[EventType]:
    """Contacts of the office of the region in context; without one, every office (or a choice
    of region when there are more than MAX_PILIHAN)."""
    wilayah: Optional[str] = known_region(tracker, turn, knowledge)
    if wilayah is None:
        regions = list(knowledge.regions().values())
        if len(regions) == 1:
            wilayah = regions[0].id
        elif len(regions) > MAX_PILIHAN:
            dispatcher.utter_message(
                response="utter_ask_wilayah",
                buttons=[formatting.button(r.nama, "human_handoff", wilayah=r.id) for r in regions],
            )
            return []
        else:
            # Few offices: give all of them rather than one more question.
            dispatcher.utter_message(text="Untuk bantuan langsung, hubungi petugas DPMPTSP:")
            for other in regions:
                send(dispatcher, office_block(knowledge, other))
            return []
    region = knowledge.region(wilayah)
    assert region is not None  # known_region only returns regions of the knowledge base
    send(dispatcher, "Untuk bantuan langsung, hubungi petugas:\n" + office_block(knowledge, region))
    return [SlotSet("wilayah", wilayah)]


def asks_contacts(turn: Turn) -> bool:
    """Whether the message has a word of contacting (knowledge/lexicon/pertanyaan.yml `kontak`)."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    words = lexicon.words("pertanyaan", "kontak")
    return any(t.norm in words for t in normalize(turn.text))


class ActionKontakKantor(KnowledgeAction):
    """human_handoff: contacts of the office of the region in context (or ask which region)."""

    def name(self) -> str:
        return "action_kontak_kantor"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        asks_office = (
            bool(turn.values("kantor"))
            and not asks_contacts(turn)
            and office.named_in_office_lines(knowledge, office.office_regions(tracker, turn, knowledge), turn)
        )
        if set(turn.values("komponen")) - {"prosedur"} or asks_office:
            # "hal apa saja yang bisa diadukan ke kantor ...?", "janji pelayanan kantor untuk izin X?",
            # "berapa petugas di kantor OKI?": the words ask a component; the office's answer (with
            # its contacts when it is about complaints). Not the "cara" of "cara menghubungi".
            # "ada ATM di kantor Purwakarta?": a facility the office's lines name.
            from actions.answers import answer_question

            return answer_question(dispatcher, tracker, knowledge, turn)
        return send_office_contacts(dispatcher, tracker, knowledge, turn)
