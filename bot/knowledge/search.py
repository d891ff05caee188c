"""Find the service standard (and region) a chat message talks about.

Works on whole sentences ("kak syarat bikin sip bidan apa aja?"), not only on names:

1. Normalize: case, accents, punctuation; spelling variants (ijin -> izin, praktek -> praktik,
   apotik -> apotek); suffixes (-nya, -kah, ...); typos are mapped to the nearest known word
   (Damerau-Levenshtein, rapidfuzz) when the word is unknown and long enough.
2. A region named in the text ("di oki", "kab. balangan") is detected, its words removed, and it
   filters the standards (it wins over the `wilayah` argument: it is what the user just said).
3. Question, component and filler words (syarat, biaya, berapa, gimana, kak, bikin, ...) are dropped.
4. Every standard has phrases: its name, the name without "(...)", the abbreviation in "(...)", and
   its aliases; hyphenated abbreviations also get a joined form (P-IRT -> pirt). Words are weighted
   by rarity (IDF over standards), so "bidan" counts much more than "izin".
5. For each phrase: `query coverage` (weight of the message's words the phrase contains / weight of
   all the message's words) and `phrase coverage` (weight of the phrase's words the message contains
   / weight of the phrase). Score = 100 * query coverage * (0.6 + 0.4 * phrase coverage); a standard
   takes its best phrase.
6. Status: "none" when no standard scores enough (or the message carries too little information,
   like "izin" alone); "ambiguous" when several standards explain every known word of the message
   (the message fits each of them: "izin usaha industri" fits Usaha Industri, Perluasan Usaha
   Industri, Usaha Kawasan Industri) or the two best are close; otherwise "found".

Everything is in memory; a query takes well under a millisecond for the 86 standards.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot import lexicon
from bot.knowledge.views import Region, StandardSummary
from bot.nlu.normalize import NormalizedToken, normalize


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words that never identify a service: questions, components, chat filler, pronouns, region
    words (knowledge/lexicon/umum.yml, normalized as messages and names are: bot.nlu.normalize)."""
    listed = lexicon.words("umum", "bukan_nama")
    return listed | frozenset(t.norm for word in listed for t in normalize(word))

SUFFIXES = ("nya", "kah", "lah", "pun")
PAREN_RE = re.compile(r"\(([^)]*)\)")

FOUND_MIN = 70.0  # best score needed for "found"
CANDIDATE_MIN = 55.0  # score needed to be a candidate at all
CLEAR_GAP = 10.0  # "found" needs the runner-up this far behind
MIN_INFORMATION = 1.0  # IDF weight of the known words: "izin" alone is too little to link anything
MIN_PHRASE_COVERAGE = 0.5  # "found" needs at least half of a phrase said (by weight)
SPREAD_FACTOR = 0.9  # words matched across several phrases of one standard
UNKNOWN_WEIGHT = 1.5  # an unknown word weighs like a fairly common one: it dilutes, it does not veto
FUZZY_MIN_LENGTH = 4
FUZZY_MIN_SIMILARITY = 0.79  # one edit in five letters (0.8, minus float noise)
SURE_TYPO_LENGTH = 7
SURE_TYPO_SIMILARITY = 0.85
REGION_FUZZY_MIN_LENGTH = 6
TYPO_CACHE_SIZE = 10_000  # unknown words already looked up (chat vocabulary repeats a lot)
MENTION_GAP = 12  # characters between two matched words of one mention ("izin ... praktik bidan")


@dataclass(frozen=True)
class Token:
    text: str  # normalized form
    start: int  # span in the original text
    end: int


@dataclass(frozen=True)
class Candidate:
    standard_id: str
    nama: str
    wilayah: str
    score: float  # 0..100
    matched: str  # the name or alias that matched best, as written in the knowledge base
    start: Optional[int] = None  # span of the mention in the original text
    end: Optional[int] = None


@dataclass(frozen=True)
class SearchResult:
    status: str  # "found" | "ambiguous" | "none"
    candidates: tuple[Candidate, ...] = ()
    wilayah: Optional[str] = None  # the region filter applied (named in the text, else the argument)
    wilayah_span: Optional[tuple[int, int]] = None  # where the text named the region
    # When the region filter left nothing: what fits in other regions ("not in OKI, but in Balangan").
    elsewhere: tuple[Candidate, ...] = field(default=())
    # "found" by an exact title or alias: the standards whose names also contain every word said
    # ("Izin Perluasan Usaha Industri" beside "Izin Usaha Industri"), offered as "lihat juga".
    related: tuple[Candidate, ...] = field(default=())

    @property
    def best(self) -> Optional[Candidate]:
        """The top candidate (the answer when status is "found"; the first choice otherwise)."""
        return self.candidates[0] if self.candidates else None


def tokenize(text: str) -> list[Token]:
    """Normalized words of `text` (bot.nlu.normalize: case, accents, slang, spelling variants,
    English and regional words, clitics) with their spans in `text`."""
    return [Token(t.norm, t.start, t.end) for t in normalize(text)]


def tokens_of(normalized: Sequence[NormalizedToken]) -> list[Token]:
    """The search's tokens for words already normalized (the linker normalizes once per message)."""
    return [Token(t.norm, t.start, t.end) for t in normalized]


def _phrase_words(text: str) -> list[str]:
    return [
        t.text for t in tokenize(text) if t.text not in stopwords() and (len(t.text) > 1 or t.text.isdigit())
    ]


def _squeeze(form: str) -> str:
    """Join the pieces of abbreviations: "P-IRT" -> "PIRT", "UKL UPL" -> "UKLUPL" (a "/" means "or": kept)."""
    if re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]*", form.strip()):
        return re.sub(r"[- ]", "", form.strip())
    chunks = []
    for chunk in form.split():
        pieces = chunk.split("-")
        short = len(pieces) > 1 and all(p and (len(p) <= 5 or p.isupper()) for p in pieces)
        chunks.append("".join(pieces) if short else chunk)
    return " ".join(chunks)


def _variants(text: str, is_name: bool) -> list[tuple[str, bool]]:
    """Ways people write a name or alias, each with whether it is an abbreviation/alias form:
    as is, without "(...)", the abbreviation in "(...)" alone, and abbreviations joined."""
    forms = [(text, not is_name)]
    for part in PAREN_RE.findall(text):
        forms.append((PAREN_RE.sub(" ", text), not is_name))
        forms.extend((p, True) for p in re.split(r"[/,]", part) if p.strip())
    forms += [(_squeeze(form), alias) for form, alias in forms]
    return list(dict.fromkeys(forms))


@dataclass
class _Phrase:
    standard: int  # index into the summaries
    text: str  # as written
    words: frozenset[str]
    # Aliases and the abbreviation in a name's "(...)" are curated to point at one service; the
    # formal name may be part of longer formal names ("Izin Usaha Industri" in "... Kawasan Industri").
    is_alias: bool
    weight: float = 0.0


class SearchIndex:
    """In-memory index over standard summaries and regions. Build once, query many times."""

    def __init__(self, summaries: Sequence[StandardSummary], regions: Sequence[Region] = ()):
        self.summaries = list(summaries)
        self.regions = list(regions)
        self._phrases: list[_Phrase] = []
        seen: set[tuple[int, frozenset[str]]] = set()
        for i, s in enumerate(self.summaries):
            for text, is_name in [(s.nama, True), *((a, False) for a in s.alias)]:
                for form, is_alias in _variants(text, is_name):
                    words = frozenset(_phrase_words(form))
                    if words and (i, words) not in seen:
                        seen.add((i, words))
                        self._phrases.append(_Phrase(i, text, words, is_alias))
        # Rarity over standards: a word in every name ("izin") weighs almost nothing.
        document_frequency: dict[str, int] = defaultdict(int)
        for i in range(len(self.summaries)):
            for word in set().union(*(p.words for p in self._phrases if p.standard == i) or [set()]):
                document_frequency[word] += 1
        n = len(self.summaries)
        self.idf = {w: math.log((n + 1) / (df + 0.5)) for w, df in document_frequency.items()}
        self._by_word: dict[str, list[int]] = defaultdict(list)
        for k, phrase in enumerate(self._phrases):
            phrase.weight = sum(self.idf[w] for w in phrase.words)
            for word in phrase.words:
                self._by_word[word].append(k)
        self._standards_by_word = {
            w: {self._phrases[k].standard for k in ks} for w, ks in self._by_word.items()
        }
        self._vocabulary = sorted(self.idf)
        self._typo_cache: dict[str, Optional[tuple[str, float]]] = {}
        self._alias_words = {
            s.id: {frozenset(_phrase_words(a)) for a in s.alias} - {frozenset()} for s in self.summaries
        }
        self._region_forms = self._build_region_forms()

    # --- regions -----------------------------------------------------------------------------

    def _build_region_forms(self) -> list[tuple[tuple[str, ...], str]]:
        forms: dict[tuple[str, ...], str] = {}
        for region in self.regions:
            names = [region.id.replace("-", " "), region.nama, *region.alias]
            for name in names:
                words = tuple(t.text for t in tokenize(name) if t.text not in ("kab", "kabupaten", "kota"))
                if words:
                    forms.setdefault(words, region.id)
                    if len(words) > 1:  # "ogan komering ilir" -> "oki"
                        forms.setdefault(("".join(w[0] for w in words),), region.id)
        # Longest first, so "ogan komering ilir" wins over a one-word form.
        return sorted(forms.items(), key=lambda item: -len(item[0]))

    def find_region_span(self, text: str) -> Optional[tuple[str, int, int]]:
        """(region slug, start, end) of the first region named in `text`, or None."""
        return self._region_in(tokenize(text))

    def region_in(self, tokens: list[Token]) -> Optional[tuple[str, int, int]]:
        """(region slug, start, end) of the first region named by normalized `tokens`, or None."""
        return self._region_in(tokens)

    def find_region(self, text: str) -> Optional[str]:
        """The region named in `text` ("di oki", "Kab. Balangan", "purwakarta"), or None."""
        found = self.find_region_span(text)
        return found[0] if found else None

    def _region_in(self, tokens: list[Token]) -> Optional[tuple[str, int, int]]:
        words = [t.text for t in tokens]
        best: Optional[tuple[int, str, int, int]] = None  # (token index, slug, start, end)
        for form, slug in self._region_forms:
            size = len(form)
            for i in range(len(words) - size + 1):
                if tuple(words[i : i + size]) == form and (best is None or i < best[0]):
                    best = (i, slug, tokens[i].start, tokens[i + size - 1].end)
                    break
        if best is None:
            best = self._region_with_a_typo(words, tokens)
        if best is None:
            # A typo in a long one-word region name ("purwakrta").
            singles = {form[0]: slug for form, slug in self._region_forms if len(form) == 1}
            long_names = [w for w in singles if len(w) >= REGION_FUZZY_MIN_LENGTH]
            for token in tokens:
                if len(token.text) < REGION_FUZZY_MIN_LENGTH or token.text in self.idf:
                    continue
                hit = process.extractOne(
                    token.text,
                    long_names,
                    scorer=DamerauLevenshtein.normalized_similarity,
                    score_cutoff=FUZZY_MIN_SIMILARITY,
                )
                if hit:
                    return singles[hit[0]], token.start, token.end
            return None
        return best[1], best[2], best[3]

    def _region_with_a_typo(
        self, words: list[str], tokens: list[Token]
    ) -> Optional[tuple[int, str, int, int]]:
        """A region name of several words with a typo in some of them ("Ogan Komeringg Ilir",
        "Ogan Kmering Ilir"): at least one word as written, the others one slip away and unknown."""
        for form, slug in self._region_forms:
            size = len(form)
            if size < 2:
                continue
            for i in range(len(words) - size + 1):
                pairs = list(zip(words[i : i + size], form, strict=True))
                exact = sum(typed == word for typed, word in pairs)
                if exact == 0 or exact == size:
                    continue
                if all(
                    typed == word
                    or (
                        len(word) >= REGION_FUZZY_MIN_LENGTH
                        and typed not in self.idf
                        and DamerauLevenshtein.normalized_similarity(typed, word) >= FUZZY_MIN_SIMILARITY
                    )
                    for typed, word in pairs
                ):
                    return (i, slug, tokens[i].start, tokens[i + size - 1].end)
        return None

    # --- standards ---------------------------------------------------------------------------

    def _known(self, token: Token) -> Optional[tuple[str, float]]:
        """The vocabulary word for `token` and how sure we are (1.0 exact, less for a typo)."""
        word = token.text
        if word in self.idf:
            return word, 1.0
        if word in self._typo_cache:
            return self._typo_cache[word]
        found = self._closest(word)
        if len(self._typo_cache) < TYPO_CACHE_SIZE:
            self._typo_cache[word] = found
        return found

    def _closest(self, word: str) -> Optional[tuple[str, float]]:
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)]
                if stem in self.idf:
                    return stem, 1.0
                if stem in stopwords():
                    return "", 0.0
        if len(word) >= FUZZY_MIN_LENGTH and not word.isdigit():
            hit = process.extractOne(
                word,
                self._vocabulary,
                scorer=DamerauLevenshtein.normalized_similarity,
                score_cutoff=FUZZY_MIN_SIMILARITY,
            )
            if hit:
                # One slip in a long word ("indstri", "kawasann") is that word; in a short one it
                # may be another word, so it counts for less.
                sure = len(word) >= SURE_TYPO_LENGTH and float(hit[1]) >= SURE_TYPO_SIMILARITY
                return hit[0], 1.0 if sure else float(hit[1])
        return None

    def find(self, text: str, wilayah: Optional[str] = None, limit: int = 5) -> SearchResult:
        """The standard(s) `text` talks about, best first (see the module docstring)."""
        return self.rank_tokens(tokenize(text), wilayah, limit)

    def rank_tokens(self, tokens: list[Token], wilayah: Optional[str] = None, limit: int = 5) -> SearchResult:
        """`find` for words already normalized (the linker normalizes each message once)."""
        region = self._region_in(tokens)
        region_span = None
        if region is not None:
            wilayah, start, end = region
            region_span = (start, end)
            tokens = [t for t in tokens if t.end <= start or t.start >= end]
        allowed = (
            None if wilayah is None else {i for i, s in enumerate(self.summaries) if s.wilayah == wilayah}
        )
        candidates, status, related = self._rank(tokens, allowed, limit)
        elsewhere: tuple[Candidate, ...] = ()
        if allowed is not None and (status != "found" or candidates[0].score < 100.0):
            # Nothing (or only a partial fit) here: say what fits better in other regions. A
            # partial fit is then no longer certain ("izin usaha industri di oki": OKI only has
            # the expansion permit, Balangan has the permit itself).
            others, other_status, _ = self._rank(tokens, None, limit)
            local = {c.standard_id for c in candidates}
            better = [c for c in others if c.standard_id not in local]
            if other_status != "none" and better:
                top_here = candidates[0].score if candidates else 0.0
                if not candidates or better[0].score > top_here:
                    elsewhere = tuple(better)
                    # The same service under a regional name (PIRT) is no reason for doubt.
                    if status == "found" and not self._twins(
                        candidates[0].standard_id, better[0].standard_id
                    ):
                        status = "ambiguous"
        return SearchResult(status, candidates, wilayah, region_span, elsewhere, related)

    def same_service(self, standard_id: str) -> list[StandardSummary]:
        """The same service in other regions (see the module function `same_service`)."""
        target = next((s for s in self.summaries if s.id == standard_id), None)
        return same_service(target, self.summaries, self) if target is not None else []

    def _twins(self, first: str, second: str) -> bool:
        """Whether two standards share an alias (the curators' mark of one service in two regions)."""
        return bool(self._alias_words.get(first, set()) & self._alias_words.get(second, set()))

    def _rank(
        self, tokens: list[Token], allowed: Optional[set[int]], limit: int
    ) -> tuple[tuple[Candidate, ...], str, tuple[Candidate, ...]]:
        # The message's words: known ones with weight and spans, unknown ones as dilution.
        weights: dict[str, float] = {}
        spans: dict[str, list[Token]] = defaultdict(list)
        unknown = 0
        for token in tokens:
            if token.text in stopwords() or (len(token.text) < 2 and not token.text.isdigit()):
                continue
            known = self._known(token)
            if known is None:
                unknown += 1
                continue
            word, certainty = known
            if not word:
                continue
            weights[word] = max(weights.get(word, 0.0), self.idf[word] * certainty)
            spans[word].append(token)
        known_weight = sum(weights.values())
        if known_weight < MIN_INFORMATION:
            return (), "none", ()
        total_weight = known_weight + unknown * UNKNOWN_WEIGHT

        # Best phrase per standard: (score, full, phrase coverage, phrase, matched words).
        best: dict[int, tuple[float, bool, float, _Phrase, frozenset[str]]] = {}
        # A standard whose words together explain too little of the message cannot become a
        # candidate (score <= 100 * query coverage): skip its phrases ("izin" is in most names).
        said_by_standard: dict[int, float] = defaultdict(float)
        for word, weight in weights.items():
            for standard in self._standards_by_word.get(word, ()):
                said_by_standard[standard] += weight
        floor = CANDIDATE_MIN / 100.0 * total_weight
        relevant = {i for i, said in said_by_standard.items() if said >= floor - 1e-9}
        touched = {
            k
            for word in weights
            for k in self._by_word.get(word, ())
            if self._phrases[k].standard in relevant
        }
        spread: dict[int, set[str]] = defaultdict(set)  # words matched by any phrase of a standard
        widest: dict[int, tuple[float, _Phrase]] = {}  # the phrase the message covers most
        for k in touched:
            phrase = self._phrases[k]
            if allowed is not None and phrase.standard not in allowed:
                continue
            matched = phrase.words.intersection(weights)
            said = sum(weights[w] for w in matched)
            query_coverage = said / total_weight
            phrase_coverage = min(1.0, said / phrase.weight) if phrase.weight else 0.0
            score = 100.0 * query_coverage * (0.6 + 0.4 * phrase_coverage)
            full = said >= known_weight - 1e-9
            current = best.get(phrase.standard)
            if current is None or (score, phrase_coverage) > (current[0], current[2]):
                best[phrase.standard] = (score, full, phrase_coverage, phrase, frozenset(matched))
            spread[phrase.standard].update(matched)
            if phrase.standard not in widest or phrase_coverage > widest[phrase.standard][0]:
                widest[phrase.standard] = (phrase_coverage, phrase)
        # Words spread over two aliases of one standard ("izin trayek angkot"): counted together,
        # a little below a single phrase, and never as "fitting fully" (that needs one phrase).
        for standard, words in spread.items():
            said = sum(weights[w] for w in words)
            coverage, phrase = widest[standard]
            score = SPREAD_FACTOR * 100.0 * (said / total_weight) * (0.6 + 0.4 * coverage)
            if score > best[standard][0]:
                best[standard] = (score, False, coverage, phrase, frozenset(words))

        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][2], self.summaries[item[0]].id))
        ranked = [item for item in ranked if item[1][0] >= CANDIDATE_MIN]
        if not ranked:
            return (), "none", ()

        top_score, top_full, top_coverage, top_phrase, _ = ranked[0][1]
        full_rivals = [item for item in ranked[1:] if item[1][1]] if top_full else []
        close_rivals = [item for item in ranked[1:] if item[1][0] > top_score - CLEAR_GAP]
        # A whole title or alias said, and no rival's phrase said whole: that name decides ("izin
        # usaha industri", "izin klinik", "TDUP"); the standards whose names merely contain the words
        # said are related ("lihat juga"). One name shared by two regions (PIRT) stays ambiguous.
        exact = 1.0 - 1e-9
        if top_full and top_coverage >= exact:
            # Every word explained and the whole phrase said: only rivals that fit as fully count
            # ("izin usaha tanaman pangan" is not "Pendaftaran Usaha Tanaman Pangan").
            close_rivals = []
        top_id = self.summaries[ranked[0][0]].id
        named = (
            top_full
            and top_coverage >= exact
            and not any(item[1][2] >= exact for item in full_rivals + close_rivals)
            and not any(self._twins(top_id, self.summaries[item[0]].id) for item in full_rivals)
        )
        if (
            top_score >= FOUND_MIN
            and top_coverage >= MIN_PHRASE_COVERAGE
            and (named or not (full_rivals or close_rivals))
        ):
            related = tuple(self._candidate(item, spans) for item in full_rivals[:limit])
            return (self._candidate(ranked[0], spans),), "found", related
        # Ambiguous: the best, those that fit the message as fully, and those close behind.
        keep = {ranked[0][0]} | {i for i, _ in full_rivals} | {i for i, _ in close_rivals}
        chosen = [item for item in ranked if item[0] in keep][:limit]
        return tuple(self._candidate(item, spans) for item in chosen), "ambiguous", ()

    def _candidate(self, item, spans: dict[str, list[Token]]) -> Candidate:
        index, (score, _full, _coverage, phrase, matched) = item
        summary = self.summaries[index]
        hits = sorted((t for word in matched for t in spans.get(word, ())), key=lambda t: t.start)
        # The mention is the largest run of matched words close together: words matched far apart
        # ("usaha kebun ... 30 hektar, cukup daftar atau IUP") do not make one span of the sentence.
        runs: list[list[Token]] = []
        for token in hits:
            if runs and token.start - runs[-1][-1].end <= MENTION_GAP:
                runs[-1].append(token)
            else:
                runs.append([token])
        run = max(runs, key=len, default=[])
        start = run[0].start if run else None
        end = run[-1].end if run else None
        return Candidate(summary.id, summary.nama, summary.wilayah, round(score, 1), phrase.text, start, end)


def normalized_name(text: str) -> frozenset[str]:
    """The informative words of a name, for comparing services across regions."""
    return frozenset(_phrase_words(PAREN_RE.sub(" ", text)))


def same_service(
    target: StandardSummary, summaries: Iterable[StandardSummary], index: Optional[SearchIndex] = None
) -> list[StandardSummary]:
    """Standards of other regions that are the same service as `target`, best match first.

    Same service: they share an alias (aliases are shared only across regions, for the same
    service), or their name words overlap by at least 75% (weighted Jaccard, IDF over all names).
    Pass the `index` already built over the same summaries to reuse its word weights.
    """
    pool = list(summaries)
    index = index or SearchIndex(pool)
    target_words = normalized_name(target.nama)
    target_alias = {frozenset(_phrase_words(a)) for a in target.alias} - {frozenset()}
    scored = []
    for other in pool:
        if other.wilayah == target.wilayah or other.id == target.id:
            continue
        other_words = normalized_name(other.nama)
        union = target_words | other_words
        common = target_words & other_words
        weight = sum(index.idf.get(w, 0.0) for w in union)
        overlap = sum(index.idf.get(w, 0.0) for w in common) / weight if weight else 0.0
        shares_alias = bool(target_alias & {frozenset(_phrase_words(a)) for a in other.alias})
        if shares_alias or overlap >= 0.75:
            scored.append((1.0 if shares_alias else overlap, other))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [other for _, other in scored]
