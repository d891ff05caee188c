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
from actions.detail import MIN_COVERAGE, find_lines, names_literally
from bot.knowledge.aggregate import component_variants
from bot.knowledge.passages import Hit
from bot.knowledge.schema import KOMPONEN, KOMPONEN_INTERNAL
from bot.knowledge.views import Region

# Components that are the office's business whatever the service: answered office-wide even when
# the standards differ (the most common content, with the others named).
OFFICE_WIDE = (*KOMPONEN_INTERNAL, "pengaduan")
# share of a message's words one line of the office's components must have to be what it asks
OFFICE_LINE_COVERAGE = 0.6


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


def _standard_ids(knowledge: Knowledge, regions: list[Region]) -> list[str]:
    """The ids of the regions' standards (the office's answers are made of them)."""
    snapshot = knowledge.snapshot()
    return [s.id for region in regions for s in snapshot.of_region(region.id)]


def named_in_office_lines(knowledge: Knowledge, regions: list[Region], turn: Turn) -> bool:
    """Whether a line of the office's own business (facilities, staff, complaints) names a detail
    word of the question as written ("ada ATM?": "ATM" in the facilities), not only its stem
    ("buka jam berapa": "pembukaan", "jaminan"): such a question is about the office, not its
    contacts."""
    query = turn.first("rincian")
    if not query:
        return False
    hits = find_lines(knowledge, _standard_ids(knowledge, regions), query)
    named = [h for h in hits if any(names_literally(h.passage, word) for word in query.split())]
    return any(hit.passage.komponen in OFFICE_WIDE for hit in named)


def asked_of_the_office(turn: Turn) -> str:
    """The message without the words naming the region or the office ("DPMPTSP Kabupaten
    Purwakarta"): the complaint lines' addresses name them too and would answer every question."""
    text = turn.text
    spans = sorted(
        (int(e["start"]), int(e["end"]))
        for e in turn.entities
        if e.get("entity") in ("wilayah", "kantor")
        and isinstance(e.get("start"), int)
        and isinstance(e.get("end"), int)
    )
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return text


def line_of_the_office(knowledge: Knowledge, regions: list[Region], text: str) -> Optional[Hit]:
    """The line of the office's own business that the whole message asks about ("petugas di sana
    harus bisa komunikasi yang baik?": "Mampu berkomunikasi ... dengan baik"), with the words a
    component cue took ("aturan perundang-undangan") too: most of the message's words in one line
    of those components, and no line of a service's own components saying as many of them. None
    when there is none."""
    passages = knowledge.snapshot().passages
    ids = _standard_ids(knowledge, regions)
    if not ids:
        return None
    # (no weight floor: a line every standard of a region repeats has a low IDF by construction)
    office = passages.search(text, standard_ids=ids, komponen=OFFICE_WIDE, limit=1)
    if not office or office[0].coverage < OFFICE_LINE_COVERAGE:
        return None
    services = [key for key in KOMPONEN if key not in OFFICE_WIDE]
    service = passages.search(text, standard_ids=ids, komponen=services, limit=1)
    if service and service[0].coverage >= office[0].coverage:
        return None  # "siapa yang tanda tangan izinnya?": a service's procedure says it as well
    return office[0]


def line_beside_the_asked(
    knowledge: Knowledge, regions: list[Region], text: str, keys: list[str]
) -> Optional[Hit]:
    """The line of the office's own business the whole message asks about when it is in another
    component than the cue words named, and no line of those has half the message's words
    ("mereka juga harus paham aturan perundang-undangan?": the staff's competence, not the legal
    basis "aturan" names). None when the components asked stand."""
    line = line_of_the_office(knowledge, regions, text)
    if line is None or line.passage.komponen in keys:
        return None
    ids = _standard_ids(knowledge, regions)
    asked = knowledge.snapshot().passages.search(text, standard_ids=ids, komponen=keys, limit=1)
    # the components the cue words named stand while a line of theirs has half the message
    return None if asked and asked[0].coverage >= min(line.coverage, MIN_COVERAGE) else line


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
    hits = [
        h for h in find_lines(knowledge, _standard_ids(knowledge, regions), query) if _names_half_of(h, query)
    ]
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
    query: Optional[str] = None,
) -> bool:
    """One block per region and component; False when nothing could be answered office-wide. The
    lines shown first answer `query`, by default the question's detail words."""
    snapshot = knowledge.snapshot()
    query = query or turn.first("rincian")
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
