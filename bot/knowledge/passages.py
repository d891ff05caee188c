"""Passage retrieval: the lines of the standards that answer a detail question.

"apakah untuk izin reklame perlu surat domisili?", "siapa yang menandatangani izinnya?",
"formulirnya diisi online atau di loket?" are answered by one line of a component, not by a whole
component. Every item of every component (nested items on their own, a component without items by
its sentences) is a passage; `PassageIndex.search` ranks them with BM25 over normalized, stemmed
words, optionally within some standards or components.

Words are normalized as messages are (bot.nlu.normalize), then reduced to a stem: the lookup lemma
("menandatangani" -> "tanda tangan", written together as one term) or, for forms the lemma table
lacks, the word without its prefix and suffix when that leaves a known word ("ditandatangani" ->
"tandatangan", "diterbitkan" -> "terbit"). Function and question words are not terms.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from bot import lexicon
from bot.knowledge.views import Item, Standard
from bot.nlu.normalize import lemma, normalize, tables

K1 = 1.2
B = 0.75
_SENTENCE = re.compile(r"(?<=[.;:])\s+|\n+")
_PREFIXES = (
    "di",
    "ter",
    "ber",
    "ke",
    "se",
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "pe",
)
_SUFFIXES = ("kan", "an", "i", "nya")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Passage:
    standard_id: str
    komponen: str
    marker: str  # "3.", "3.a.", "" (the position as the answers number it)
    text: str


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # BM25
    coverage: float  # share of the query's weight found in the passage, 0..1
    matched: frozenset[str]


@functools.lru_cache(maxsize=1)
def _not_terms() -> frozenset[str]:
    listed = (
        lexicon.words("umum", "fungsi")
        | lexicon.words("pertanyaan", "tanya")
        | lexicon.words("pertanyaan", "bukan_isi")
    )
    return listed | frozenset(t.norm for word in listed for t in normalize(word))


@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The retrieval term of one normalized word (see the module docstring)."""
    base = lemma(word)
    if base != word:
        return base.replace(" ", "")
    vocabulary = _stems()
    if len(word) < 6:
        return word
    candidates = [candidate for candidate in _affixes_off(word) if candidate in vocabulary]
    # A root word found by stripping ("diberikan": beri) before a derived word's table lemma
    # ("berikan", which the lookup table takes for ber- + ikan).
    for candidate in candidates:
        if vocabulary[candidate] == candidate:
            return candidate
    return vocabulary[candidates[0]] if candidates else word


def _affixes_off(word: str) -> list[str]:
    """`word` without a prefix, a suffix or both (of at least 4 letters), prefixes in the order
    of _PREFIXES: the forms a stem may have."""
    found = []
    for prefix in ("",) + _PREFIXES:
        if not word.startswith(prefix) or len(word) - len(prefix) < 4:
            continue
        rest = word[len(prefix) :]
        for suffix in ("",) + _SUFFIXES:
            if suffix and (not rest.endswith(suffix) or len(rest) - len(suffix) < 4):
                continue
            candidate = rest[: len(rest) - len(suffix)] if suffix else rest
            if candidate != word:
                found.append(candidate)
    return found


@functools.lru_cache(maxsize=1)
def _stems() -> dict[str, str]:
    """Known words (written together, as "tandatangan") -> their stem."""
    known: dict[str, str] = {}
    for word, base in tables().lemmas.items():
        known.setdefault(word, base.replace(" ", ""))
        known.setdefault(base.replace(" ", ""), base.replace(" ", ""))
    for word in tables().vocabulary:
        known.setdefault(word, word)
    return known


@functools.lru_cache(maxsize=50_000)
def _terms(text: str) -> tuple[str, ...]:
    stop = _not_terms()
    tokens = normalize(text)
    found = [stem(t.norm) for t in tokens if t.norm not in stop and len(t.norm) > 1]
    # A document written in full counts as its abbreviation too ("Nomor Induk Berusaha": nib).
    joined = " " + " ".join(t.norm for t in tokens) + " "
    for short, phrases in _synonyms().items():
        if any(f" {phrase} " in joined for phrase in phrases) and len(short.split()) == 1:
            found.append(short)
    return tuple(found)


def terms(text: str) -> list[str]:
    """Retrieval terms of `text`: normalized, function words dropped, stemmed. (Standards repeat
    the same lines many times: each distinct line is analysed once.)"""
    return list(_terms(text))


def _marker(path: Sequence[int]) -> str:
    parts = []
    for depth, index in enumerate(path):
        parts.append(str(index) if depth == 0 else (_LETTERS[index - 1] if index <= 26 else str(index)))
    return ".".join(parts) + "."


def _item_passages(standard_id: str, key: str, items: Sequence[Item], path: tuple[int, ...]) -> list[Passage]:
    found = []
    for position, item in enumerate(items, start=1):
        here = (*path, position)
        if isinstance(item, dict):
            text = str(item.get("teks", "")).strip()
            children = item.get("butir") or ()
        else:
            text, children = str(item).strip(), ()
        if text:
            found.append(Passage(standard_id, key, _marker(here), text))
        if children:
            found.extend(_item_passages(standard_id, key, children, here))
    return found


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[str]]:
    """abbreviation (as a term) -> the full names it stands for, normalized (lexicon padanan.yml)."""
    out: dict[str, list[str]] = {}
    for phrase, short in lexicon.mapping("padanan", "padanan").items():
        key = " ".join(stem(t.norm) for t in normalize(short))
        out.setdefault(key, []).append(" ".join(t.norm for t in normalize(phrase)))
    return {k: sorted(v, key=len, reverse=True) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    return lexicon.words("normalisasi", "akronim") | frozenset(_synonyms())


def passages_of(standard: Standard) -> list[Passage]:
    """Every item of every component; a component without items by its sentences."""
    found: list[Passage] = []
    for key, component in standard.komponen.items():
        if component.butir:
            found.extend(_item_passages(standard.id, key, component.butir, ()))
        elif component.teks.strip():
            for sentence in _SENTENCE.split(component.teks.strip()):
                if sentence.strip():
                    found.append(Passage(standard.id, key, "", sentence.strip()))
    return found


class PassageIndex:
    """BM25 over the passages of some standards. Build once, search many times."""

    def __init__(self, standards: Iterable[Standard]):
        self.passages: list[Passage] = [p for s in standards for p in passages_of(s)]
        self._terms: list[Counter[str]] = [Counter(terms(p.text)) for p in self.passages]
        self._length = [sum(c.values()) for c in self._terms]
        self._average = (sum(self._length) / len(self._length)) if self._length else 1.0
        frequency: Counter[str] = Counter()
        for counted in self._terms:
            frequency.update(counted.keys())
        n = len(self.passages)
        self.idf = {t: math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
        self._by_term: dict[str, list[int]] = defaultdict(list)
        for position, counted in enumerate(self._terms):
            for term in counted:
                self._by_term[term].append(position)
        # the forms of one word in the lines, by their shortest form ("verifikasi": memverifikasi)
        self._forms: dict[str, list[str]] = defaultdict(list)
        for term in sorted(self.idf):
            self._forms[self._root(term)].append(term)
        self._by_standard: dict[str, list[Passage]] = defaultdict(list)
        for passage in self.passages:
            self._by_standard[passage.standard_id].append(passage)

    def of_standard(self, standard_id: str) -> list[Passage]:
        """Every passage of one standard, in the order of its components and items."""
        return list(self._by_standard.get(standard_id, ()))

    def _expanded(self, query: str) -> list[list[str]]:
        """The query's terms, each with the terms that count as it: a document written in full is
        also its abbreviation ("surat tanda registrasi": str), and an abbreviation also the longer
        abbreviations that start with it ("str": strb, strtgm)."""
        text = " " + " ".join(t.norm for t in normalize(query)) + " "
        groups: list[list[str]] = []
        for short, phrases in _synonyms().items():
            if any(f" {phrase} " in text for phrase in phrases):
                text = text.replace(f" {phrases[0]} ", " ")
                for phrase in phrases:
                    text = text.replace(f" {phrase} ", " ")
                groups.extend([[word] for word in short.split()])
        for term in dict.fromkeys(terms(text)):
            if [term] in groups:
                continue
            forms = self._forms.get(self._root(term), [])
            groups.append([term, *(f for f in forms if f != term)])
        for group in groups:
            term = group[0]
            if term in _acronyms() or (term.isalpha() and 2 <= len(term) <= 4 and term not in self.idf):
                group.extend(v for v in self._vocabulary_with_prefix(term) if v != term)
        return groups

    def _root(self, term: str) -> str:
        """The shortest word of the lines that `term` is with a prefix or a suffix
        ("memverifikasi": verifikasi), else `term`: the stemmer knows the general vocabulary only,
        and the lines use words of their own in several forms."""
        if len(term) < 6 or not term.isalpha():
            return term
        return min((c for c in _affixes_off(term) if c in self.idf), key=len, default=term)

    def _vocabulary_with_prefix(self, prefix: str) -> list[str]:
        return [v for v in self.idf if v.startswith(prefix) and len(v) <= len(prefix) + 4]

    def search(
        self,
        query: str,
        standard_ids: Iterable[str] | None = None,
        komponen: Iterable[str] | None = None,
        limit: int = 3,
    ) -> list[Hit]:
        """The best passages for `query` (words of a question), best first."""
        groups = self._expanded(query)
        # Each query term stands for its group; its weight is the best of the group's.
        term_of = {alt: group[0] for group in groups for alt in group}
        wanted = list(term_of)
        weights = {g[0]: max(self.idf.get(t, 0.0) for t in g) for g in groups}
        total = sum(weights.values()) or 1.0
        allowed_standards = set(standard_ids) if standard_ids is not None else None
        allowed_components = set(komponen) if komponen is not None else None
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        for term in wanted:
            for position in self._by_term.get(term, ()):
                passage = self.passages[position]
                if allowed_standards is not None and passage.standard_id not in allowed_standards:
                    continue
                if allowed_components is not None and passage.komponen not in allowed_components:
                    continue
                tf = self._terms[position][term]
                norm = K1 * (1 - B + B * self._length[position] / self._average)
                head = term_of[term]
                if head in matched[position]:
                    continue
                scores[position] += weights[head] * tf * (K1 + 1) / (tf + norm)
                matched[position].add(head)
        hits = [
            Hit(
                self.passages[p],
                score,
                sum(weights[t] for t in matched[p]) / total,
                frozenset(matched[p]),
            )
            for p, score in scores.items()
        ]
        hits.sort(key=lambda h: (-h.coverage, -h.score, h.passage.standard_id, h.passage.marker))
        return hits[:limit]

    def most_telling(self, query: str) -> Optional[str]:
        """The query's term that says most (highest IDF), as `Hit.matched` names it; of equals the
        later one, as a modifier follows its head ("surat keterangan sehat")."""
        groups = self._expanded(query)
        if not groups:
            return None
        return max(reversed(groups), key=lambda g: max(self.idf.get(t, 0.0) for t in g))[0]

    def weight(self, query: str) -> float:
        """How specific `query` is: the IDF of its terms found in any passage, summed."""
        return sum(max(self.idf.get(t, 0.0) for t in group) for group in self._expanded(query))

    def known(self, word: str) -> bool:
        """Whether any passage contains the (stemmed) word."""
        return stem(word) in self.idf
