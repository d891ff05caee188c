"""Office-level questions: a region's standards answer for the office as a whole.

"di kantor DPMPTSP Balangan ada tempat parkir?", "seberapa sering pelayanannya dinilai?",
"petugasnya harus punya keahlian apa?", "bagian apa yang mengurus keluhan?" name no service. A
component identical in all of a region's standards is the office's answer ("berlaku untuk semua 83
layanan"); one that differs gives the content most standards share, how many it covers and which
differ (bot.knowledge.aggregate). A region with one or two standards answers from them directly.
Lines that answer a detail ("parkir") come first.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import Knowledge, Turn, default_region, send
from actions.detail import find_lines, names_literally
from bot.knowledge.aggregate import component_variants
from bot.knowledge.passages import Hit
from bot.knowledge.schema import KOMPONEN_INTERNAL
from bot.knowledge.views import Region

# Components that are the office's business whatever the service: answered office-wide even when
# the standards differ (the most common content, with the others named).
OFFICE_WIDE = (*KOMPONEN_INTERNAL, "pengaduan")


def office_regions(tracker: Tracker, turn: Turn, knowledge: Knowledge) -> list[Region]:
    """The regions named in the message, else the conversation's, else the deployment's default,
    else every office."""
    named = [knowledge.region(w) for w in turn.values("wilayah")]
    named = [r for r in named if r is not None]
    if named:
        return named
    for wilayah in (tracker.get_slot("wilayah"), default_region(knowledge)):
        region = knowledge.region(wilayah) if isinstance(wilayah, str) else None
        if region is not None:
            return [region]
    return list(knowledge.regions().values())


def named_in_office_lines(knowledge: Knowledge, regions: list[Region], turn: Turn) -> bool:
    """Whether a line of the office's own business (facilities, staff, complaints) names a detail
    word of the question as written ("ada ATM?": "ATM" in the facilities), not only its stem
    ("buka jam berapa": "pembukaan", "jaminan"): such a question is about the office, not its
    contacts."""
    query = turn.first("rincian")
    if not query:
        return False
    snapshot = knowledge.snapshot()
    ids = [s.id for region in regions for s in snapshot.of_region(region.id)]
    hits = find_lines(knowledge, ids, query)
    named = [h for h in hits if any(names_literally(h.passage, word) for word in query.split())]
    return any(hit.passage.komponen in OFFICE_WIDE for hit in named)


def answerable(
    knowledge: Knowledge, regions: list[Region], keys: list[str], asked_for_office: bool = False
) -> list[str]:
    """The components asked that make sense for a whole office: the office's own business; a
    service component only when the office itself is asked about ("apakah semua layanan di
    DPMPTSP gratis?") and most of the region's standards share it."""
    snapshot = knowledge.snapshot()
    keep = []
    for key in keys:
        if key in OFFICE_WIDE:
            keep.append(key)
            continue
        if not asked_for_office:
            continue
        for region in regions:
            regional = component_variants(snapshot.of_region(region.id), key)
            if regional.common is not None and 2 * len(regional.common.standards) >= regional.total:
                keep.append(key)
                break
    return keep


def components_about(knowledge: Knowledge, regions: list[Region], turn: Turn) -> list[str]:
    """The components whose lines answer the question's words in the regions' standards."""
    query = turn.first("rincian")
    if not query:
        return []
    snapshot = knowledge.snapshot()
    ids = [s.id for region in regions for s in snapshot.of_region(region.id)]
    hits = [h for h in find_lines(knowledge, ids, query) if _names_half_of(h, query)]
    return list(dict.fromkeys(h.passage.komponen for h in hits))[:1]


def _names_half_of(hit: Hit, query: str) -> bool:
    """Whether a line found over many standards has half the question's words, known to the lines
    or not: one common word finds some line anywhere ("negeri" of "SMP negeri")."""
    return 2 * len(hit.matched) >= len(query.split())


def answer_office(
    dispatcher: CollectingDispatcher,
    knowledge: Knowledge,
    regions: list[Region],
    keys: list[str],
    turn: Turn,
) -> bool:
    """One block per region and component; False when nothing could be answered office-wide."""
    snapshot = knowledge.snapshot()
    query: Optional[str] = turn.first("rincian")
    sent = False
    for region in regions:
        standards = snapshot.of_region(region.id)
        if not standards:
            continue
        for key in keys:
            regional = component_variants(standards, key)
            parts = []
            if query and regional.common is not None:
                ids = [s.id for s in regional.common.standards[:1]]
                hits = find_lines(knowledge, ids, query, [key])
                if hits:
                    parts.append(
                        "Yang relevan: " + "; ".join(formatting.passage_line(h.passage) for h in hits)
                    )
                else:
                    # The line asked about is in a standard whose text differs: that one, named.
                    hits = find_lines(knowledge, [s.id for s in standards], query, [key])
                    for hit in [h for h in hits if _names_half_of(h, query)][:1]:
                        owner = knowledge.standard(hit.passage.standard_id)
                        name = owner.nama if owner is not None else hit.passage.standard_id
                        parts.append(f"Yang relevan ({name}): {formatting.passage_line(hit.passage)}")
            parts.append(formatting.office_component(region, regional, standards))
            send(dispatcher, "\n".join(parts))
            sent = True
    return sent
