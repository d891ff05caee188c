"""What the knowledge base's names say about each other, for writing questions with them.

Every standard is named by its title and its aliases (knowledge/standards/**). For the corpus:

- a name of one standard only, whose words are not all inside another standard's name, is a plain
  name: a question with it must link that standard;
- a name of one standard whose words all occur in a longer name of another standard ("Izin Usaha
  Industri" / "Izin Usaha Kawasan Industri", "KSP" / "izin cabang KSP") is an exact title: it must
  still link its own standard (kind `exact_title`);
- a name shared by standards of different regions ("PIRT" in Balangan and Ogan Komering Ilir) names
  one standard only together with a region; those standards are the same service elsewhere;
- a phrase inside the names of several standards ("usaha perkebunan") is ambiguous: its candidates
  are every standard with a name containing it (kind `disambiguation`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

from tools.evaluation.text import contains_phrase, fold, words


class NameIndex:
    def __init__(self, standards: list[Any], regions: list[Any]):
        self.standards = list(standards)
        self.by_id = {s.id: s for s in self.standards}
        self.regions = {r.id: r for r in regions}
        self.names: dict[str, list[str]] = {}
        self.owners: dict[str, set[str]] = defaultdict(set)
        for s in self.standards:
            seen: list[str] = []
            for name in (s.nama, *s.alias):
                if name.strip() and fold(name) not in {fold(n) for n in seen}:
                    seen.append(name.strip())
                    self.owners[fold(name)].add(s.id)
            self.names[s.id] = seen
        self.word_sets = {sid: [frozenset(words(n)) for n in names] for sid, names in self.names.items()}
        # Answers depend only on the (fixed) knowledge base: computed once per standard.
        self.inside_other = lru_cache(maxsize=None)(self.inside_other)  # type: ignore[method-assign]
        self.same_service_elsewhere = lru_cache(maxsize=None)(self.same_service_elsewhere)  # type: ignore[method-assign]
        self.plain_names = lru_cache(maxsize=None)(self.plain_names)  # type: ignore[method-assign]
        self.exact_titles = lru_cache(maxsize=None)(self.exact_titles)  # type: ignore[method-assign]

    # --- relations between names ---------------------------------------------------------------
    def owners_of(self, name: str) -> set[str]:
        """Standards that have exactly this name or alias."""
        return set(self.owners.get(fold(name), set()))

    def candidates(self, phrase: str) -> list[str]:
        """Standards with a name or alias containing `phrase` as whole words, in KB order."""
        return [s.id for s in self.standards if any(contains_phrase(n, phrase) for n in self.names[s.id])]

    def inside_other(self, standard_id: str, name: str) -> tuple[str, ...]:
        """Other services with a name holding every word of `name` (the exact-title situation); the
        same service in another region does not count."""
        mine = frozenset(words(name))
        skip = {standard_id, *self.same_service_elsewhere(standard_id)}
        return tuple(
            s.id
            for s in self.standards
            if s.id not in skip and any(mine <= ws for ws in self.word_sets[s.id])
        )

    def same_service_elsewhere(self, standard_id: str) -> tuple[str, ...]:
        """Standards of other regions sharing a name or alias with this one."""
        region = self.by_id[standard_id].wilayah
        shared = {o for n in self.names[standard_id] for o in self.owners_of(n)}
        return tuple(s.id for s in self.standards if s.id in shared and s.wilayah != region)

    # --- names to write questions with ------------------------------------------------------------
    def plain_names(self, standard_id: str) -> tuple[tuple[str, bool], ...]:
        """(name, needs its region) pairs that name this standard and nothing longer."""
        region = self.by_id[standard_id].wilayah
        elsewhere = self.same_service_elsewhere(standard_id)
        found = []
        for name in self.names[standard_id]:
            if len(words(name)) == 0 or self.inside_other(standard_id, name):
                continue
            owners = self.owners_of(name) - {standard_id}
            if any(self.by_id[o].wilayah == region for o in owners):
                continue
            # Words that the same service elsewhere also uses need the region to name one of them.
            mine = set(words(name))
            needs_region = any(mine <= ws for o in elsewhere for ws in self.word_sets[o])
            found.append((name, needs_region))
        return tuple(found)

    def exact_titles(self, standard_id: str) -> tuple[str, ...]:
        """Names of this standard only whose words all occur in another standard's name."""
        return tuple(
            n
            for n in self.names[standard_id]
            if self.owners_of(n) == {standard_id} and self.inside_other(standard_id, n)
        )

    def region_names(self, region: str) -> list[str]:
        """How people name a region: its aliases (short ones in capitals) and its official name."""
        r = self.regions[region]
        forms = []
        for alias in (*r.alias, r.nama):
            form = alias.upper() if len(alias) <= 3 else alias
            if form.islower():
                form = " ".join(
                    w.upper() if len(w) <= 3 and w not in ("kab",) else w.capitalize() for w in form.split()
                )
            if form not in forms:
                forms.append(form)
        return forms
