"""What every knowledge action shares: a session on the knowledge base and "which standard now?".

`KnowledgeAction` opens one session per turn from an injected session factory (a class attribute,
or a constructor argument in tests; by default `bot.db.session_factory()`, built on first use: the
action server imports this module at start-up and must not touch the database then).

`resolve_standard` decides which standard a turn is about, from the entities of the latest message
(set by the knowledge-base linker in bot/nlu) and the context slots, in this order:

1. a standard named in this message (`layanan`): that one; if the message also names another
   region, the standard of the same name in that region;
2. candidates of an ambiguous search (`layanan_kandidat`): the only one in the known region, else
   the user chooses (buttons, at most five);
   with a current standard, the candidate related to it (same family: "terus izin operasionalnya?"
   after "izin mendirikan rumah sakit" is the hospital's operating permit);
3. a typed choice among the standards offered last ("nomor 2", "yang kedua": the `pilihan` entity);
4. a service the knowledge base does not have (`luar_layanan`): nothing (never the previous one);
5. only a region named ("kalau di OKI?"): the current standard's namesake in that region;
6. nothing named: the current standard from the `layanan` slot (follow-ups such as "biayanya?");
   without one, the choices still pending are offered again.

The known region is the one named in this message, else the `wilayah` slot, else the deployment's
default (`PANDU_WILAYAH_DEFAULT`; unset, empty or "semua" = all regions).
"""

from __future__ import annotations

import logging
import os
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.views import Region, Standard, StandardSummary

logger = logging.getLogger(__name__)

MAX_PILIHAN = 5  # disambiguation buttons at most
RELATED_MIN = 2.0  # name-word weight two standards must share to be one family ("kawasan industri")
ENV_DEFAULT_REGION = "PANDU_WILAYAH_DEFAULT"
ALL_REGIONS = {"", "semua", "all", "*"}


class Knowledge:
    """The knowledge base as the actions see it during one turn: the current snapshot
    (bot.knowledge.snapshot: every standard and region in memory, checked against the database's
    version once per turn), so a turn costs one small query instead of loading standards row by row
    and rebuilding the name index for every "same service elsewhere"."""

    def __init__(self, session: Any):
        self.session = session
        self._snapshot: Any = None

    def snapshot(self) -> Any:
        if self._snapshot is None:
            from bot.knowledge.snapshot import current_snapshot

            self._snapshot = current_snapshot(self.session)
        return self._snapshot

    def standard(self, standard_id: Optional[str]) -> Optional[Standard]:
        if not standard_id or not isinstance(standard_id, str):
            return None
        return self.snapshot().standards.get(standard_id)

    def standards_by_id(self, standard_ids: Iterable[Any]) -> list[Standard]:
        """The standards of `standard_ids` that exist, in that order (slot values may be stale)."""
        return [s for s in map(self.standard, standard_ids) if s is not None]

    def regions(self) -> dict[str, Region]:
        return self.snapshot().regions

    def region(self, wilayah: Optional[str]) -> Optional[Region]:
        return self.regions().get(wilayah) if isinstance(wilayah, str) else None

    def standards(self, wilayah: Optional[str] = None, sektor: Optional[str] = None) -> list[StandardSummary]:
        """Summaries in the repository's order (region, number, name), filtered."""
        return [
            s
            for s in self.snapshot().search.summaries
            if (not wilayah or s.wilayah == wilayah) and (not sektor or s.sektor == sektor)
        ]

    def sectors(self, wilayah: Optional[str] = None) -> list[tuple[str, int]]:
        """(sektor, number of standards), most populated first."""
        counts = Counter(s.sektor for s in self.standards(wilayah))
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

    def namesakes(self, standard_id: str) -> list[StandardSummary]:
        """The same service in other regions, best match first."""
        return self.snapshot().search.same_service(standard_id)


@dataclass(frozen=True)
class Resolution:
    """The outcome of `resolve_standard`.

    status: "found" (standard), "ambiguous" (choices), "not_in_region" (`standard` is the one asked
    about, `region` the region where it does not exist), "not_found" (a service was named, nothing
    matches), "unspecified" (no service named and none in context).
    """

    status: str
    standard: Optional[Standard] = None
    choices: tuple[Standard, ...] = ()
    region: Optional[str] = None
    keyword: Optional[str] = None
    # The choices are one service offered in several regions: ask for the region.
    same_service: bool = False
    # Standards whose names contain what was said ("lihat juga"), beside the one found.
    related: tuple[str, ...] = ()
    # "not_found" because the message names something no office here has (`luar_layanan`).
    outside: bool = False


@dataclass
class Turn:
    """The parts of the latest user message the actions look at."""

    text: str
    intent: Optional[str]
    entities: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, tracker: Tracker) -> Turn:
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        return cls(text=latest.get("text") or "", intent=intent, entities=list(latest.get("entities") or []))

    def values(self, entity: str) -> list[str]:
        """Values of one entity type in this message, in order, without duplicates."""
        seen: list[str] = []
        for e in self.entities:
            value = e.get("value")
            if e.get("entity") == entity and isinstance(value, str) and value not in seen:
                seen.append(value)
        return seen

    def first(self, entity: str) -> Optional[str]:
        values = self.values(entity)
        return values[0] if values else None

    def span_text(self, entity: str) -> Optional[str]:
        """The words of the `entity` mentions as the user wrote them ("sip bidan, izin apotek" when
        two services were named together), or None."""
        spans: list[str] = []
        for e in self.entities:
            start, end = e.get("start"), e.get("end")
            if e.get("entity") == entity and isinstance(start, int) and isinstance(end, int) and end > start:
                if self.text[start:end] not in spans:
                    spans.append(self.text[start:end])
        return ", ".join(spans) if spans else None


def default_region(knowledge: Knowledge) -> Optional[str]:
    """The deployment's default region (env `PANDU_WILAYAH_DEFAULT`), when it names a known one."""
    value = os.environ.get(ENV_DEFAULT_REGION, "").strip().lower()
    if value in ALL_REGIONS:
        return None
    if knowledge.region(value) is None:
        logger.warning("%s=%r is not a known region; serving all regions", ENV_DEFAULT_REGION, value)
        return None
    return value


def known_region(tracker: Tracker, turn: Turn, knowledge: Knowledge) -> Optional[str]:
    """Region named in this message, else the conversation's region, else the default."""
    for wilayah in (turn.first("wilayah"), tracker.get_slot("wilayah")):
        if knowledge.region(wilayah) is not None:
            return wilayah
    return default_region(knowledge)


# --- "nomor 2": a typed answer to numbered choices ---------------------------------------------
def chosen_id(turn: Turn, offered: Any) -> Optional[str]:
    """The id picked by a typed choice ("nomor 2", "yang kedua", "yang terakhir": the NLU's
    `pilihan` entity, a position, -1 for the last) among `offered`, the ids offered last."""
    positions = turn.values("pilihan")
    if not positions or not isinstance(offered, list) or not offered:
        return None
    try:
        position = int(positions[0])
    except ValueError:
        return None
    if position == -1:
        chosen = offered[-1]
    elif 1 <= position <= len(offered):
        chosen = offered[position - 1]
    else:
        return None
    return chosen if isinstance(chosen, str) else None


# --- resolution -----------------------------------------------------------------------------
def _fold(name: str) -> str:
    return " ".join(name.lower().split())


def _choose(
    standards: list[Standard], region: Optional[str], keyword: Optional[str], knowledge: Knowledge
) -> Resolution:
    """One standard if the known region leaves exactly one, else the choices (at most five)."""
    if not standards:
        return Resolution("not_found", keyword=keyword)
    if region is not None:
        in_region = [s for s in standards if s.wilayah == region]
        if len(in_region) == 1:
            return Resolution("found", standard=in_region[0], region=region)
        if in_region:
            standards = in_region
    if len(standards) == 1:
        return Resolution("found", standard=standards[0], region=standards[0].wilayah)
    choices = tuple(standards[:MAX_PILIHAN])
    return Resolution(
        "ambiguous",
        choices=choices,
        region=region,
        keyword=keyword,
        same_service=_one_service(choices, knowledge),
    )


def _one_service(choices: tuple[Standard, ...], knowledge: Knowledge) -> bool:
    """True when the choices are the same service in different regions (one each)."""
    if len({s.wilayah for s in choices}) != len(choices):
        return False
    if len({_fold(s.nama) for s in choices}) == 1:
        return True
    namesakes = {s.id for s in knowledge.namesakes(choices[0].id)}
    return all(s.id in namesakes for s in choices[1:])


def _namesake(standard: Standard, wilayah: str, knowledge: Knowledge) -> Resolution:
    """The same service in another region ("kalau di OKI?"), or an honest "not there"."""
    if standard.wilayah == wilayah:
        return Resolution("found", standard=standard, region=wilayah)
    there = [s for s in knowledge.namesakes(standard.id) if s.wilayah == wilayah]
    standards = knowledge.standards_by_id(x.id for x in there)
    if len(standards) == 1:
        return Resolution("found", standard=standards[0], region=wilayah)
    if standards:
        choices = tuple(standards[:MAX_PILIHAN])
        return Resolution("ambiguous", choices=choices, region=wilayah, keyword=standard.nama)

    return Resolution("not_in_region", standard=standard, region=wilayah)


def related_to(
    current: Standard, candidates: list[Standard], knowledge: Knowledge, words: str
) -> list[Standard]:
    """The candidates of the current standard's family, closest first: those that share the most
    informative name words with it (by the search's word weights; the `words` the person said do
    not count), ties going to the one with the fewest words of its own ("kantor cabang" before
    "kantor cabang pembantu"). Empty when none shares a word that says something ("izin" says
    little)."""
    from bot import lexicon
    from bot.knowledge.search import normalized_name

    idf = knowledge.snapshot().search.idf
    heads = lexicon.words("umum", "kepala_nama")
    mine = normalized_name(current.nama)
    said = set(normalized_name(words)) | set(words.casefold().split())
    scored = []
    for candidate in candidates:
        if candidate.id == current.id or candidate.wilayah != current.wilayah:
            continue
        theirs = normalized_name(candidate.nama)
        shared = sum(idf.get(w, 0.0) for w in (theirs & mine) - said - heads)
        own = sum(idf.get(w, 0.0) for w in theirs - mine - said)
        if shared >= RELATED_MIN:
            scored.append((-shared, own, candidate.id, candidate))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored if item[:2] == scored[0][:2]]


def slot_before_message(tracker: Tracker, name: str) -> Any:
    """A slot's value before the latest user message: domain.yml fills `layanan` from the entity
    as the message arrives, so the service being discussed until then is only in the events."""
    seen_message = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            seen_message = True
        elif seen_message and kind == "slot" and event.get("name") == name:
            return event.get("value")
        elif seen_message and kind == "restart":
            return None
    return None


def named_in_lines(knowledge: Knowledge, standard: Standard, words: str) -> bool:
    """Whether a line of `standard` has the most telling word of `words` ("STRTKT saya berlaku
    sampai tahun depan": "STRTKT yang masih berlaku")."""
    passages = knowledge.snapshot().passages
    telling = passages.most_telling(words)
    if telling is None:
        return False
    return any(telling in h.matched for h in passages.search(telling, standard_ids=[standard.id]))


def relative_named(turn: Turn, current: Optional[Standard], knowledge: Knowledge) -> Optional[Resolution]:
    """A follow-up that moves on with words only a relative's name has ("terus kalau penyimpanannya?"
    after the permit for managing hazardous waste: the one for storing it). None when the words are
    in the current service's own name or in no relative's: they are then a detail question about it."""
    from bot.knowledge.search import normalized_name

    words = turn.first("rincian")
    if current is None or not words or not turn.values("peralihan"):
        return None
    said = set(normalized_name(words))
    if not said or said <= set(normalized_name(current.nama)):
        return None
    family = [
        s
        for s in knowledge.snapshot().of_region(current.wilayah)
        if s.id != current.id and said <= set(normalized_name(s.nama))
    ]
    related = related_to(current, family, knowledge, words)
    if len(related) == 1:
        return Resolution("found", standard=related[0], region=related[0].wilayah)
    if related:
        return _choose(related, current.wilayah, words, knowledge)
    return None


def _partial(
    words: str, current: Optional[Standard], region: Optional[str], knowledge: Knowledge
) -> Resolution:
    from bot.knowledge.search import normalized_name

    said = set(normalized_name(words)) or set(words.split())
    pool = knowledge.snapshot().standards.values()
    having = [s for s in pool if said <= set(normalized_name(s.nama))]
    if current is not None:
        family = [s for s in having if s.wilayah == current.wilayah and s.id != current.id]
        related = related_to(current, family, knowledge, words)
        if len(related) == 1:
            return Resolution("found", standard=related[0], region=related[0].wilayah)
        if related:
            return _choose(related, current.wilayah, words, knowledge)
    if 0 < len(having) <= MAX_PILIHAN:
        return _choose(list(having), region, words, knowledge)
    return Resolution("unspecified", region=region)


def _detail_of(current: Standard, turn: Turn, knowledge: Knowledge, moving: bool) -> bool:
    """Whether the detail the turn asks about belongs to the current service: asked as a yes/no
    question without moving on, or named by a line of its standard (a weak candidate elsewhere
    does not outweigh that)."""
    words = turn.first("rincian")
    if not words:
        return False
    if not moving and turn.first("jenis_tanya") == "ya_tidak":
        return True
    return named_in_lines(knowledge, current, words)


def _asked_of(current: Standard, turn: Turn, knowledge: Knowledge) -> bool:
    """ "kantor koperasinya harus ada dulu?" about the savings-and-loan permit, whose requirements
    name an office: a yes/no question with no detail words but the candidates' own, which a line
    of the current standard names, is about that line, not about the services named "kantor"."""
    spoken = turn.span_text("layanan_kandidat")
    if turn.first("rincian") or turn.first("jenis_tanya") != "ya_tidak" or not spoken:
        return False
    return named_in_lines(knowledge, current, spoken)


def resolve_standard(tracker: Tracker, knowledge: Knowledge, turn: Optional[Turn] = None) -> Resolution:
    """Which standard this turn is about (see the module docstring for the rules)."""
    turn = turn or Turn.of(tracker)
    named_region = turn.first("wilayah") if knowledge.region(turn.first("wilayah")) else None
    region = known_region(tracker, turn, knowledge)

    current = knowledge.standard(tracker.get_slot("layanan"))
    named = turn.values("layanan")
    if named:
        standard = knowledge.standard(named[0])
        if standard is None:
            logger.info("unknown standard id %r in message", named[0])
            return Resolution("not_found", keyword=turn.span_text("layanan"))
        if named_region is not None and standard.wilayah != named_region:
            return _namesake(standard, named_region, knowledge)
        related = tuple(i for i in turn.values("layanan_terkait") if i != standard.id)
        return Resolution("found", standard=standard, region=standard.wilayah, related=related)

    kandidat = turn.values("layanan_kandidat")
    if kandidat:
        standards = knowledge.standards_by_id(kandidat)
        if current is not None and named_region is None:
            from bot.knowledge.search import normalized_name

            moving = bool(turn.values("peralihan"))
            spoken = set(normalized_name(turn.span_text("layanan_kandidat") or ""))
            own = bool(spoken) and spoken <= set(normalized_name(current.nama))
            if (current.id in kandidat or own or _asked_of(current, turn, knowledge)) and not moving:
                # "klinik kami cuma rawat jalan, tetap wajib berbadan hukum?" about the clinic
                # permit, "dokumen AMDAL rumah sakitnya" about the hospital's founding permit:
                # words of its own name, not a move to the other names that have them.
                return Resolution("found", standard=current, region=current.wilayah)
            # "terus izin operasionalnya?" after the hospital permit: the hospital's, not a list.
            related = related_to(current, standards, knowledge, turn.span_text("layanan_kandidat") or "")
            if len(related) == 1:
                return Resolution("found", standard=related[0], region=related[0].wilayah)
            if related:
                standards = related
            elif _detail_of(current, turn, knowledge, moving):
                # "bukti kalibrasi alat kesehatan juga harus dilampirkan?" about the hospital
                # permit, "terus penanggung jawab teknisnya harus apoteker?" about the herbal
                # medicine one: names of no relative inside a question about a detail of this one.
                return Resolution("found", standard=current, region=current.wilayah)
        return _choose(standards, region, turn.span_text("layanan_kandidat"), knowledge)

    partial = turn.first("sebagian")
    if partial:
        # "terus perluasannya?", "kalau yang pendaftarannya?": the family member of the current
        # service that has these words; without a current service, every standard that has them.
        return _partial(partial, current, region, knowledge)

    moved = relative_named(turn, current, knowledge)
    if moved is not None:
        return moved

    pending = tracker.get_slot("layanan_kandidat") or []
    chosen = knowledge.standard(chosen_id(turn, pending))
    if chosen is not None:
        return Resolution("found", standard=chosen, region=chosen.wilayah)

    outside = turn.values("luar_layanan")
    if outside:
        return Resolution("not_found", keyword=outside[0], outside=True)

    if named_region is not None:
        if current is not None:
            return _namesake(current, named_region, knowledge)
        # "yang di OKI" answering an earlier choice between regions
        standards = knowledge.standards_by_id(pending)
        if standards:
            return _choose(standards, named_region, None, knowledge)
        return Resolution("unspecified", region=named_region)
    if current is not None:
        return Resolution("found", standard=current, region=current.wilayah)
    if 0 < len(pending) <= MAX_PILIHAN:
        # A question before choosing ("syaratnya apa?" after the buttons): the same choice again.
        standards = knowledge.standards_by_id(pending)
        if standards:
            return _choose(standards, region, None, knowledge)
    return Resolution("unspecified")


def context_events(resolution: Resolution) -> list[EventType]:
    """Slots that keep the conversation's context after a resolution."""
    if resolution.status == "found" and resolution.standard is not None:
        return [
            SlotSet("layanan", resolution.standard.id),
            SlotSet("wilayah", resolution.standard.wilayah),
            SlotSet("layanan_kandidat", None),
        ]
    if resolution.status == "ambiguous":
        return [SlotSet("layanan", None), SlotSet("layanan_kandidat", [s.id for s in resolution.choices])]
    if resolution.status == "not_in_region":
        # The user moved to another region where this service does not exist: no current standard.
        return [
            SlotSet("layanan", None),
            SlotSet("wilayah", resolution.region),
            SlotSet("layanan_kandidat", None),
        ]
    if resolution.status == "not_found":
        return [SlotSet("layanan", None), SlotSet("layanan_kandidat", None)]
    return []


# --- sending ------------------------------------------------------------------------------------
def send(dispatcher: CollectingDispatcher, text: str, buttons: Optional[list[dict]] = None) -> None:
    """Send text in as many chat messages as it needs; buttons go with the last one. Blank lines
    are dropped: Rasa's output channels would turn each paragraph into a message of its own."""
    from actions.formatting import split_message

    parts = split_message(re.sub(r"\n\s*\n", "\n", text.strip()))
    for part in parts[:-1]:
        dispatcher.utter_message(text=part)
    dispatcher.utter_message(text=parts[-1], buttons=buttons or [])


# --- the base action ---------------------------------------------------------------------------
SessionFactory = Callable[[], Any]


class KnowledgeAction(Action, ABC):
    """A rasa-sdk action that reads the knowledge base. Subclasses implement `respond`."""

    session_factory: ClassVar[Optional[SessionFactory]] = None

    def __init__(self, session_factory: Optional[SessionFactory] = None):
        self._session_factory = session_factory

    def get_session_factory(self) -> SessionFactory:
        if self._session_factory is None:
            if type(self).session_factory is not None:
                self._session_factory = type(self).session_factory
            else:
                from bot.db import session_factory

                self._session_factory = session_factory()
        return self._session_factory

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        factory = self.get_session_factory()
        try:
            with factory() as session:
                knowledge = Knowledge(session)
                return self.respond(dispatcher, tracker, domain, knowledge)
        except Exception:
            # A broken database must not turn into a silent or half answer: say so, keep the context.
            logger.exception("action %s failed", self.name())
            dispatcher.utter_message(
                text="Maaf, data standar pelayanan sedang tidak bisa dibaca. Silakan coba lagi sebentar lagi."
            )
            return []

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        """Send the answer for this turn and return the events (slot changes)."""
