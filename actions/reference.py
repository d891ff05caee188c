"""The staff's quick reference: answers across standards, each fact with its source.

- one service side by side in the regions that have it ("bandingkan persyaratan PIRT di Balangan
  dan OKI"): requirements, duration, fee and legal basis, or the components asked;
- the services of a sector (or region) filtered: the free ones, the longest or shortest duration,
  those whose requirements name a document ("layanan apa saja yang butuh NPWP?").
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import Knowledge, Resolution, Turn, send
from actions.office import office_regions
from bot.knowledge.aggregate import duration_days, filter_standards, requiring
from bot.knowledge.schema import SEKTOR
from bot.knowledge.views import Standard

COMPARE_DEFAULT = ("persyaratan", "jangka_waktu", "biaya", "dasar_hukum")
MAX_COMPARED = 4  # services named one by one and compared side by side
FILTER_TITLES = {
    "gratis": "yang tidak dipungut biaya",
    "berbayar": "yang dipungut biaya",
    "terlama": "dengan jangka waktu terlama",
    "tercepat": "dengan jangka waktu tercepat",
}


def answer_comparison(
    dispatcher: CollectingDispatcher,
    knowledge: Knowledge,
    resolution: Resolution,
    turn: Turn,
    keys: list[str],
) -> bool:
    """The service side by side in every region that has it (or the regions named); the services
    named one by one ("bandingkan persyaratan izin pendirian LKSA dengan izin operasional LKSA"),
    not the candidates of one loose name."""
    choices = list(resolution.choices) if resolution.standard is None else []
    if 2 <= len(choices) <= MAX_COMPARED and _mentions(turn) >= len(choices):
        send(dispatcher, formatting.comparison(choices, keys or list(COMPARE_DEFAULT)))
        return True
    base: list[Standard] = [resolution.standard] if resolution.standard is not None else choices
    if not base:
        return False
    group: dict[str, Standard] = {s.id: s for s in base}
    for namesake in knowledge.namesakes(base[0].id):
        standard = knowledge.standard(namesake.id)
        if standard is not None:
            group.setdefault(standard.id, standard)
    named = set(turn.values("wilayah"))
    standards = [s for s in group.values() if len(named) < 2 or s.wilayah in named]
    if len({s.wilayah for s in standards}) < 2:
        return False
    send(dispatcher, formatting.comparison(standards, keys or list(COMPARE_DEFAULT)))
    return True


def _mentions(turn: Turn) -> int:
    """How many separate service mentions the message has."""
    spans = {
        (e.get("start"), e.get("end"))
        for e in turn.entities
        if e.get("entity") in ("layanan", "layanan_kandidat")
    }
    return len(spans)


def _fact(standard: Standard, saringan: str) -> str:
    if saringan in ("terlama", "tercepat"):
        return f"{duration_days(standard)} hari kerja"
    return formatting.short_value(standard.komponen.get("biaya"))


def answer_filtered(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, turn: Turn
) -> Optional[list[EventType]]:
    """A filtered list of standards; None when the message asks for no filter this can apply."""
    saringan = turn.first("saringan")
    if saringan is None:
        return None
    sektor = turn.first("sektor")
    sektor = sektor if sektor in SEKTOR else None
    regions = office_regions(tracker, turn, knowledge)
    snapshot = knowledge.snapshot()
    pool = [
        s for region in regions for s in snapshot.of_region(region.id) if sektor is None or s.sektor == sektor
    ]
    if saringan == "dokumen":
        document = turn.first("rincian")
        if not document:
            return None
        rows = [(s, line) for s, line in requiring(pool, document, snapshot.passages)]
        what = f'yang persyaratannya menyebut "{document}"'
    elif saringan in FILTER_TITLES:
        rows = [(s, _fact(s, saringan)) for s in filter_standards(pool, saringan)]
        what = FILTER_TITLES[saringan]
    else:
        return None
    where = " di " + ", ".join(r.nama for r in regions) if regions else ""
    sector = f" sektor {sektor.replace('_', ' ')}" if sektor else ""
    title = f"Layanan{sector}{where} {what}"
    if not rows:
        dispatcher.utter_message(text=f"Tidak ada layanan{sector}{where} {what} dalam standar pelayanan.")
        return [SlotSet("layanan_kandidat", None)]
    buttons = [formatting.button(s.nama, "pilih_layanan", layanan=s.id) for s, _ in rows[:10]]
    send(dispatcher, formatting.filtered_list(title, rows), buttons)
    return [SlotSet("layanan_kandidat", [s.id for s, _ in rows]), SlotSet("layanan", None)]
