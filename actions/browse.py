"""Browsing: the sectors of a region, then the standards of a sector, each with buttons."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import Knowledge, KnowledgeAction, Turn, known_region, send
from bot.knowledge.schema import SEKTOR

# A region with at most this many standards is listed at once instead of by sector.
DAFTAR_LANGSUNG = 10


def sector_label(sektor: str) -> str:
    """'tenaga_kerja' -> 'Tenaga kerja'."""
    return sektor.replace("_", " ").capitalize()


def region_sources(knowledge: Knowledge, wilayah_ids: list[str]) -> list[str]:
    """One citation line per region listed: the document its standards come from."""
    lines = []
    for wilayah in wilayah_ids:
        region = knowledge.region(wilayah)
        summaries = knowledge.standards(wilayah=wilayah)
        standard = knowledge.standard(summaries[0].id) if summaries else None
        if region is not None and standard is not None:
            document = formatting.document_name(standard)
            lines.append(f"Sumber: daftar standar pelayanan, {region.nama}, {document}")
    return lines


class ActionDaftarLayanan(KnowledgeAction):
    """browse_layanan: without a sector, the sectors (with counts); with one, its standards."""

    def name(self) -> str:
        return "action_daftar_layanan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        named = turn.values("layanan") or turn.values("layanan_kandidat") or turn.values("sebagian")
        # "kantor perizinan Purwakarta ada ruang laktasi?": a question about the office, not a list.
        office = turn.values("kantor") and (turn.values("komponen") or turn.values("rincian"))
        if office or (
            named and not turn.values("saringan") and (turn.values("layanan") or not turn.values("sektor"))
        ):
            # A list was predicted, but a service is named: answer about it.
            from actions.answers import answer_question

            return answer_question(dispatcher, tracker, knowledge, turn)
        if turn.values("saringan"):
            # "layanan kesehatan yang gratis apa saja?": the staff's filtered list.
            from actions.reference import answer_filtered

            filtered = answer_filtered(dispatcher, tracker, knowledge, turn)
            if filtered is not None:
                return filtered
        wilayah = known_region(tracker, turn, knowledge)
        sektor = turn.first("sektor")
        if sektor not in SEKTOR:
            sektor = None
        events: list[EventType] = [SlotSet("sektor", sektor), SlotSet("komponen", None)]
        if wilayah is not None:
            events.append(SlotSet("wilayah", wilayah))
        if sektor is None and not self.is_small(knowledge, wilayah):
            self.list_sectors(dispatcher, knowledge, wilayah)
            listed = []
        else:
            # A sector, or a region with a handful of standards (no sector buttons to click through).
            listed = self.list_standards(dispatcher, knowledge, wilayah, sektor)
        # The numbered list can be answered by number ("nomor 2"): base.chosen_id.
        events.append(SlotSet("layanan_kandidat", listed or None))
        return events

    @staticmethod
    def is_small(knowledge: Knowledge, wilayah: Optional[str]) -> bool:
        return wilayah is not None and len(knowledge.standards(wilayah=wilayah)) <= DAFTAR_LANGSUNG

    @staticmethod
    def say_other_regions(
        dispatcher: CollectingDispatcher, knowledge: Knowledge, wilayah: Optional[str]
    ) -> None:
        """After one region's list: the other regions exist too."""
        others = [r.nama for r in knowledge.regions().values() if r.id != wilayah]
        if wilayah is not None and others:
            text = "Wilayah lain: " + ", ".join(others) + " (sebutkan nama wilayahnya)."
            dispatcher.utter_message(text=text)

    def list_sectors(
        self, dispatcher: CollectingDispatcher, knowledge: Knowledge, wilayah: Optional[str]
    ) -> None:
        region = knowledge.region(wilayah)
        sectors = [(s, n) for s, n in knowledge.sectors(wilayah) if n > 0]
        entities = {"wilayah": wilayah} if wilayah else {}
        buttons = [
            formatting.button(f"{sector_label(s)} ({n})", "browse_layanan", sektor=s, **entities)
            for s, n in sectors
        ]
        dispatcher.utter_message(
            response="utter_pilih_sektor",
            di_wilayah=f" di {region.nama}" if region else "",
            buttons=buttons,
        )
        self.say_other_regions(dispatcher, knowledge, wilayah)

    def list_standards(
        self,
        dispatcher: CollectingDispatcher,
        knowledge: Knowledge,
        wilayah: Optional[str],
        sektor: Optional[str],
    ) -> list[str]:
        """The standards of a sector (all of the region's when `sektor` is None); their ids."""
        region = knowledge.region(wilayah)
        standards = knowledge.standards(wilayah=wilayah, sektor=sektor)
        where = f" di {region.nama}" if region else ""
        what = f"Layanan sektor {sector_label(sektor).lower()}" if sektor else "Layanan"
        if not standards:
            dispatcher.utter_message(text=f"Tidak ada {what.lower()}{where}.")
            self.list_sectors(dispatcher, knowledge, wilayah)
            return []
        regions = knowledge.regions()
        several_regions = len({s.wilayah for s in standards}) > 1

        def title(summary: Any) -> str:
            if several_regions and summary.wilayah in regions:
                return f"{summary.nama} ({regions[summary.wilayah].nama})"
            return summary.nama

        lines = [f"{what}{where} ({len(standards)}):"]
        lines += [f"{i}. {title(s)}" for i, s in enumerate(standards, start=1)]
        lines += ["Pilih layanan atau ketik namanya."]
        lines += region_sources(knowledge, sorted({s.wilayah for s in standards}))
        buttons = [formatting.button(title(s), "pilih_layanan", layanan=s.id) for s in standards]
        send(dispatcher, "\n".join(lines), buttons)
        if sektor is None:
            self.say_other_regions(dispatcher, knowledge, wilayah)
        return [s.id for s in standards]
