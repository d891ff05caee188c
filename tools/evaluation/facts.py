"""Expected answers, read from the knowledge base at evaluation time.

An evaluation turn names only ids, component keys, regular expressions that locate a line of a
standard, and literals copied from knowledge/standards/**. This module turns that into checks:
(description, predicate over the folded reply). Checks look for facts, never for the assistant's
wording, except the few marks the answer contract fixes ("tidak tercantum", "4 angka").
The contract is in docs/evaluation.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any, Optional

from tools.evaluation.model import INTENT_KOMPONEN, Turn
from tools.evaluation.text import component_lines, flat_items, fold, item_text, normalized, snippet

Check = tuple[str, Callable[[str], bool]]

NOT_LISTED_MARK = "tidak tercantum"
ASK_DIGITS_MARK = "4 angka"
FREE_WORDS = ("gratis", "tidak dipungut")
# Staff sector filters (answer key `sektor_filter.filter`).
FILTERS = ("gratis", "terlama", "tercepat", "dokumen")


class MissingFact(LookupError):
    """The evaluation database lacks what a turn needs (e.g. the sample applications): the turn is
    not scored, and the report says how many were skipped."""


def _days_check(days: int) -> Check:
    pattern = re.compile(rf"\b{int(days)}\b")
    return (f"duration {days}", lambda reply: pattern.search(reply) is not None)


def _contains_check(name: str, expected: str) -> Check:
    folded = fold(expected)
    return (f"{name}: {folded[:50]!r}", lambda reply: folded in reply)


def _absent_check(name: str, unexpected: str) -> Check:
    folded = fold(unexpected)
    return (f"{name}: {folded[:50]!r}", lambda reply: folded not in reply)


def _any_check(name: str, options: list[str]) -> Check:
    return (f"{name} (one of {len(options)})", lambda reply: any(o in reply for o in options))


def _word_pattern(text: str) -> re.Pattern:
    return re.compile(r"(?<![0-9a-z])" + re.escape(fold(text)) + r"(?![0-9a-z])")


class KnowledgeFacts:
    """Reads standards, regions and applications once; builds the checks a reply must pass."""

    def __init__(self, session_factory: Callable[[], Any]):
        self._session_factory = session_factory
        self._standards: dict[str, Any] = {}
        self._regions: dict[str, Any] = {}
        self._order: Optional[list[str]] = None
        self._region_order: Optional[list[str]] = None
        self._texts: dict[str, str] = {}

    @classmethod
    def from_views(cls, standards: list[Any], regions: list[Any]) -> KnowledgeFacts:
        """Facts over given read models (tests, tools that already hold them): no database."""

        def no_database() -> Any:
            raise LookupError("these facts were built without a database")

        facts = cls(no_database)
        facts._standards = {s.id: s for s in standards}
        facts._order = [s.id for s in standards]
        facts._regions = {r.id: r for r in regions}
        facts._region_order = [r.id for r in regions]
        return facts

    # --- reading ------------------------------------------------------------------------------
    def standard(self, standard_id: str) -> Any:
        if standard_id not in self._standards:
            from bot.knowledge.repository import get_standard

            with self._session_factory() as session:
                self._standards[standard_id] = get_standard(session, standard_id)
        found = self._standards[standard_id]
        if found is None:
            raise KeyError(f"evaluation: standard {standard_id!r} is not in the knowledge base")
        return found

    def region(self, slug: str) -> Any:
        if slug not in self._regions:
            from bot.knowledge.repository import get_region

            with self._session_factory() as session:
                self._regions[slug] = get_region(session, slug)
        found = self._regions[slug]
        if found is None:
            raise KeyError(f"evaluation: region {slug!r} is not in the knowledge base")
        return found

    def standards(self) -> list[Any]:
        """Every standard, in the knowledge base's order (region, number in its document, name)."""
        if self._order is None:
            from bot.knowledge.repository import list_standards

            with self._session_factory() as session:
                self._order = [s.id for s in list_standards(session)]
        return [self.standard(sid) for sid in self._order]

    def regions(self) -> list[Any]:
        if self._region_order is None:
            from bot.knowledge.repository import list_regions

            with self._session_factory() as session:
                found = list_regions(session)
            self._regions.update({r.id: r for r in found})
            self._region_order = [r.id for r in found]
        return [self._regions[slug] for slug in self._region_order]

    def standards_of(self, region: str) -> list[Any]:
        return [s for s in self.standards() if s.wilayah == region]

    def contacts(self, slug: str) -> list[str]:
        region = self.region(slug)
        return [fold(v) for v in (*region.telepon, *region.whatsapp, *region.email) if v.strip()]

    def all_contacts(self) -> list[str]:
        return [c for region in self.regions() for c in self.contacts(region.id)]

    def application(self, nomor: str) -> Any:
        from bot.permohonan.repository import get_permohonan

        with self._session_factory() as session:
            found = get_permohonan(session, nomor)
        if found is None:
            raise MissingFact(f"application {nomor} is not in the evaluation database")
        return found

    # --- one standard ----------------------------------------------------------------------------
    def component_checks(self, standard_id: str, key: str) -> list[Check]:
        """The citation and the facts of one component of one standard: first and last items (or
        its text), the duration in days, a complaint channel; for an empty component the honest
        "not listed" line and an office contact."""
        standard = self.standard(standard_id)
        component = standard.komponen[key]
        checks: list[Check] = [_contains_check("citation", standard.nama)]
        if component.is_empty:
            checks.append(_contains_check("honest 'not listed'", NOT_LISTED_MARK))
            contacts = self.contacts(standard.wilayah)
            if contacts:
                checks.append(_any_check("office contact", contacts))
            return checks
        if key == "jangka_waktu" and component.extra.get("hari_kerja_maks") is not None:
            checks.append(_days_check(component.extra["hari_kerja_maks"]))
        elif key == "pengaduan" and any(component.extra.get("kanal", {}).values()):
            channels = [fold(v) for values in component.extra["kanal"].values() for v in values if v.strip()]
            checks.append(_any_check("complaint channel", channels))
        items = [i for i in component.butir if item_text(i).strip()]
        if items:
            checks.append(_contains_check("first item", snippet(item_text(items[0]))))
            if len(items) > 1:
                checks.append(_contains_check("last item", snippet(item_text(items[-1]))))
        elif component.teks.strip():
            checks.append(_contains_check("text", snippet(component.teks)))
        return checks

    def overview_checks(self, standard_id: str) -> list[Check]:
        standard = self.standard(standard_id)
        checks = [_contains_check("name", standard.nama)]
        duration = standard.komponen["jangka_waktu"]
        if duration.extra.get("hari_kerja_maks") is not None:
            checks.append(_days_check(duration.extra["hari_kerja_maks"]))
        return checks

    def matching_lines(self, standard_id: str, key: str, pattern: str) -> list[str]:
        regex = re.compile(pattern, re.IGNORECASE)
        return [
            line for line in component_lines(self.standard(standard_id).komponen[key]) if regex.search(line)
        ]

    def detail_line(self, standard_id: str, key: str, pattern: str) -> str:
        """The one line of a component that answers a detail question (located by `pattern`)."""
        lines = self.matching_lines(standard_id, key, pattern)
        if len(lines) != 1:
            found = len(lines)
            raise ValueError(
                f"evaluation: {standard_id} {key}: /{pattern}/ matches {found} lines, not exactly one"
            )
        return lines[0]

    def detail_checks(self, standard_id: str, key: str, pattern: str) -> list[Check]:
        standard = self.standard(standard_id)
        line = self.detail_line(standard_id, key, pattern)
        return [_contains_check("citation", standard.nama), _contains_check("line", snippet(line))]

    def standard_text(self, standard_id: str) -> str:
        """Everything a standard says (names, every component's text and lines), folded."""
        if standard_id not in self._texts:
            standard = self.standard(standard_id)
            parts = [standard.nama, *standard.alias]
            for component in standard.komponen.values():
                parts.append(component.teks)
                parts.extend(flat_items(component.butir))
            self._texts[standard_id] = fold(" \n ".join(parts))
        return self._texts[standard_id]

    def mentions(self, standard_id: str, pattern: str) -> bool:
        return re.search(pattern, self.standard_text(standard_id), re.IGNORECASE) is not None

    def absent_checks(self, standard_id: str, pattern: str) -> list[Check]:
        """A yes/no question about something the standard does not mention at all."""
        if self.mentions(standard_id, pattern):
            raise ValueError(f"evaluation: {standard_id} does mention /{pattern}/, it is not absent")
        standard = self.standard(standard_id)
        return [
            _contains_check("citation", standard.nama),
            _contains_check("honest 'not listed'", NOT_LISTED_MARK),
        ]

    def printable_checks(self, standard_id: str, key: str) -> list[Check]:
        """A whole component laid out for printing: the name, the first and the last line."""
        standard = self.standard(standard_id)
        component = standard.komponen[key]
        checks = [_contains_check("name", standard.nama)]
        items = [i for i in component.butir if item_text(i).strip()]
        if items:
            checks.append(_contains_check("first item", snippet(item_text(items[0]))))
            checks.append(_contains_check("last item", snippet(item_text(items[-1]))))
        elif component.teks.strip():
            checks.append(_contains_check("text", snippet(component.teks)))
        return checks

    # --- a region's office ------------------------------------------------------------------------
    def office_source(self, region: str, key: str) -> Any:
        """The standard whose component `key` speaks for the region's office: in a region with one
        or two standards the first one with that component; otherwise one holding the most common
        (normalized) text of the component among the region's standards."""
        standards = [s for s in self.standards_of(region) if not s.komponen[key].is_empty]
        if not standards:
            raise ValueError(f"evaluation: no standard of {region} has {key}")
        if len(self.standards_of(region)) <= 2:
            return standards[0]
        counts = Counter(normalized(s.komponen[key].teks) for s in standards)
        best = max(counts.values())
        return next(s for s in standards if counts[normalized(s.komponen[key].teks)] == best)

    def office_line(self, region: str, key: str, pattern: Optional[str] = None) -> str:
        source = self.office_source(region, key)
        component = source.komponen[key]
        if pattern:
            return self.detail_line(source.id, key, pattern)
        items = [i for i in component.butir if item_text(i).strip()]
        return item_text(items[0]) if items else component.teks

    def office_checks(self, region: str, key: str, pattern: Optional[str] = None) -> list[Check]:
        line = self.office_line(region, key, pattern)
        return [
            _contains_check("region", self.region(region).nama),
            _contains_check("office line", snippet(line)),
        ]

    # --- no service of this office -------------------------------------------------------------------
    def out_of_scope_checks(self, region: Optional[str] = None) -> list[Check]:
        """Nothing from another service: no standard cited ("Sumber: <standard name>"), and a way to
        reach the office (phone, WhatsApp or e-mail of the named region, else of any region)."""
        names = sorted({fold(s.nama) for s in self.standards()})

        def cites_none(reply: str) -> bool:
            return not any(f"sumber: {name}" in reply for name in names)

        contacts = self.contacts(region) if region else self.all_contacts()
        return [("cites no standard", cites_none), _any_check("office contact", contacts)]

    # --- staff quick reference --------------------------------------------------------------------
    def compare_checks(self, standard_ids: list[str], key: str) -> list[Check]:
        checks: list[Check] = []
        for sid in standard_ids:
            checks += [(f"{sid}: {name}", ok) for name, ok in self.component_checks(sid, key)]
        return checks

    def is_free(self, standard: Any) -> bool:
        biaya = standard.komponen["biaya"]
        return biaya.extra.get("rupiah") == 0 or any(w in fold(biaya.teks) for w in FREE_WORDS)

    def sector_split(
        self, sektor: str, filter_: str, wilayah: Optional[str] = None, pattern: Optional[str] = None
    ) -> tuple[list[Any], list[Any]]:
        """(matching, not matching) standards of a sector (in one region, if given) for a filter."""
        if filter_ not in FILTERS:
            raise ValueError(f"evaluation: unknown sector filter {filter_!r}")
        pool = [
            s for s in self.standards() if s.sektor == sektor and (wilayah is None or s.wilayah == wilayah)
        ]
        if filter_ == "gratis":
            matching = [s for s in pool if self.is_free(s)]
        elif filter_ == "dokumen":
            if not pattern:
                raise ValueError("evaluation: the 'dokumen' filter needs a pattern")
            regex = re.compile(pattern, re.IGNORECASE)
            matching = [
                s
                for s in pool
                if any(regex.search(line) for line in component_lines(s.komponen["persyaratan"]))
            ]
        else:
            days = {s.id: s.komponen["jangka_waktu"].extra.get("hari_kerja_maks") for s in pool}
            known = [d for d in days.values() if d is not None]
            target = (max if filter_ == "terlama" else min)(known) if known else None
            matching = [s for s in pool if target is not None and days[s.id] == target]
        matching_ids = {s.id for s in matching}
        return matching, [s for s in pool if s.id not in matching_ids]

    def sector_filter_checks(
        self, sektor: str, filter_: str, wilayah: Optional[str] = None, pattern: Optional[str] = None
    ) -> list[Check]:
        """Every matching standard is named, and no other standard of the sector is (a name that is
        part of a matching name cannot be told apart and is not checked)."""
        matching, others = self.sector_split(sektor, filter_, wilayah, pattern)
        if not matching:
            raise ValueError(f"evaluation: no standard of sector {sektor} matches {filter_}")
        checks: list[Check] = [_contains_check("match", s.nama) for s in matching]
        matching_names = [fold(s.nama) for s in matching]
        for other in others:
            name = fold(other.nama)
            if any(name in m for m in matching_names):
                continue
            pattern_ = _word_pattern(name)
            checks.append((f"not listed: {name[:50]!r}", lambda reply, p=pattern_: p.search(reply) is None))
        return checks

    # --- applications -------------------------------------------------------------------------------
    def status_checks(self, nomor: str) -> list[Check]:
        """The status of an application, once the owner is verified: its service and status."""
        from bot.permohonan.models import STATUS

        application = self.application(nomor)
        standard = self.standard(application.standard_id)
        return [
            _contains_check("service", standard.nama),
            _contains_check("status", STATUS.get(application.status, application.status)),
        ]


def answer_checks(
    turn: Turn, facts: KnowledgeFacts, current: Optional[str]
) -> tuple[list[Check], Optional[str], list[str]]:
    """The checks for this turn's reply, the standard the conversation is about after it, and the
    button payload ids that must be offered. Raises ValueError/KeyError on an expectation that
    does not fit the knowledge base, MissingFact when the evaluation database lacks data."""
    answer = turn.answer
    standard = answer.get("standard") or (
        turn.layanan if isinstance(turn.layanan, str) and turn.layanan != "none" else current
    )
    checks: list[Check] = []
    komponen = answer.get("komponen") or INTENT_KOMPONEN.get(turn.intent or "")
    # An ambiguous message must be answered with the candidates as buttons, unless the turn says
    # otherwise (e.g. the region is already known from an earlier turn).
    implied = turn.layanan if isinstance(turn.layanan, list) and not answer else []
    pilihan = list(answer.get("pilihan") or implied)
    after = standard
    if pilihan:
        after = current  # the disambiguation is checked on the buttons
    elif "office" in answer:
        office = answer["office"]
        checks += facts.office_checks(office["wilayah"], office["komponen"], office.get("match"))
        after = current
    elif "detail" in answer:
        detail = answer["detail"]
        checks += facts.detail_checks(standard, detail["komponen"], detail["match"])
    elif "absent" in answer:
        checks += facts.absent_checks(standard, answer["absent"])
    elif answer.get("out_of_scope"):
        checks += facts.out_of_scope_checks(turn.wilayah)
        after = current
    elif "compare" in answer:
        compare = answer["compare"]
        checks += facts.compare_checks(list(compare["standards"]), compare["komponen"])
        after = current
    elif "sektor_filter" in answer:
        sf = answer["sektor_filter"]
        checks += facts.sector_filter_checks(sf["sektor"], sf["filter"], sf.get("wilayah"), sf.get("match"))
        after = current
    elif "printable" in answer:
        checks += facts.printable_checks(standard, answer["printable"])
    elif "status" in answer:
        checks += facts.status_checks(str(answer["status"]))
        after = current
    elif answer.get("ask_digits"):
        checks.append(_contains_check("asks the phone digits", ASK_DIGITS_MARK))
        after = current
    elif answer.get("ringkasan") and standard:
        checks += facts.overview_checks(standard)
    elif komponen and standard and not answer.get("reply"):
        checks += facts.component_checks(standard, komponen)
        if answer.get("kosong") and not facts.standard(standard).komponen[komponen].is_empty:
            raise ValueError(f"evaluation: {standard} {komponen} is expected empty but has content")
    elif turn.intent == "inform_layanan" and standard and not answer.get("reply"):
        checks.append(_contains_check("name", facts.standard(standard).nama))
    if answer.get("kontak"):
        checks.append(_any_check("office contact", facts.contacts(answer["kontak"])))
    for literal in answer.get("contains") or ():
        checks.append(_contains_check("contains", literal))
    for literal in answer.get("not_contains") or ():
        checks.append(_absent_check("must not contain", literal))
    if answer.get("cites_none"):
        checks.append(facts.out_of_scope_checks()[0])
    if answer.get("reply") or (not checks and not pilihan and turn.answer):
        checks.append(("a reply", lambda reply: bool(reply.strip())))
    return checks, (after if not pilihan else current), pilihan
