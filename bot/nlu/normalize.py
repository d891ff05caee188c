"""Chat Indonesian → standard Indonesian, token by token, keeping spans in the original text.

Applicants write "kak syarat2nya bikin SIP bidan gmn ya??"; the classifier and the linker should
see "syarat buat sip bidan bagaimana ya". **The message text is never rewritten**: normalization
produces tokens whose `norm` is the standard word and whose `start`/`end` point into what the user
typed, so every entity span is a span of the user's own text.

Steps per message (one pass): spaCy's `blank("id")` tokenizer; phrases of several words first
("how long" -> "berapa lama", "matur nuwun" -> "terima kasih"); then word by word: acronyms kept,
reduplication ("syarat2", "syarat-syarat"), slang, spelling variants, English and regional words,
repeated letters ("bangettt"), clitics ("biayanya", Javanese "syarate", Sundanese "carana").

Every word list is data in `knowledge/lexicon/` (normalisasi.yml, inggris.yml, daerah.yml), read
through `bot.lexicon`; spacy-lookups-data's Indonesian tables add the general norms (yg, gak, dgn)
and the vocabulary that decides whether a word is known.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot import lexicon

# Bounds for text of any length: the NLU reads at most this much (channels limit messages earlier).
MAX_TEXT_CHARS = 3000
MAX_TOKENS = 400

_REDUPLICATION_DIGIT = re.compile(r"^([a-z]{3,})2(nya|kah|lah)?$")
_LONG_RUN = re.compile(r"(\w)\1{2,}")
_BRACKETS = re.compile(r"[^()\[\]{}]+")
# Files and sections whose `ganti` mappings replace what people write by the standard form.
_REPLACEMENT_SECTIONS = (
    ("normalisasi", "ganti"),
    ("inggris", "ganti"),
    ("daerah", "banjar"),
    ("daerah", "jawa"),
    ("daerah", "sunda"),
)


@dataclass(frozen=True)
class NormalizedToken:
    """One normalized word and where it came from in the original text."""

    start: int
    end: int
    original: str
    norm: str
    lemma: str


@dataclass(frozen=True)
class Tables:
    replacements: dict[str, str]  # one written word -> its standard form (may be several words)
    phrases: dict[tuple[str, ...], str]  # several written words -> standard form
    longest_phrase: int
    particles: frozenset[str]
    acronyms: frozenset[str]
    dropped: frozenset[str]  # words that carry nothing (English function words)
    clitics: tuple[str, ...]
    norms: dict[str, str]  # spacy-lookups-data lexeme norms
    lemmas: dict[str, str]
    vocabulary: frozenset[str]


@functools.lru_cache(maxsize=1)
def tables() -> Tables:
    """All word lists, loaded once per process (`reset()` forgets them)."""
    from pathlib import Path

    import spacy_lookups_data
    import srsly

    merged: dict[str, str] = {}
    for name, key in _REPLACEMENT_SECTIONS:
        for written, standard in lexicon.mapping(name, key).items():
            if merged.get(written, standard) != standard:
                raise lexicon.LexiconError(
                    f"{written!r} means {merged[written]!r} in one lexicon list "
                    f"and {standard!r} in {name}.yml"
                )
            merged[written] = standard
    single = {w: s for w, s in merged.items() if " " not in w}
    phrases = {tuple(w.split()): s for w, s in merged.items() if " " in w}
    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    norms = {k.lower(): v for k, v in srsly.read_gzip_json(data_dir / "id_lexeme_norm.json.gz").items()}
    lemmas = dict(srsly.read_gzip_json(data_dir / "id_lemma_lookup.json.gz"))
    known_extra = lexicon.words("normalisasi", "kosakata")
    vocabulary = frozenset(lemmas) | frozenset(lemmas.values()) | frozenset(norms.values()) | known_extra
    return Tables(
        replacements=single,
        phrases=phrases,
        longest_phrase=max((len(p) for p in phrases), default=1),
        particles=lexicon.words("normalisasi", "partikel"),
        acronyms=lexicon.words("normalisasi", "akronim"),
        dropped=lexicon.words("inggris", "abaikan"),
        clitics=tuple(lexicon.section("normalisasi", "klitik")),
        norms=norms,
        lemmas=lemmas,
        vocabulary=vocabulary,
    )


def reset() -> None:
    """Forget the loaded word lists (tests; after editing knowledge/lexicon)."""
    lexicon.clear()
    tables.cache_clear()
    _spacy_tokenizer.cache_clear()


@functools.lru_cache(maxsize=1)
def _spacy_tokenizer() -> Any:
    import spacy

    return spacy.blank("id").tokenizer


def _known(word: str) -> bool:
    t = tables()
    return word in t.vocabulary or word in t.replacements or word in t.norms or word in t.acronyms


def is_known_word(word: str) -> bool:
    """True for an ordinary word (the lookup vocabulary, slang, English/regional, particles)."""
    t = tables()
    return _known(word) or word in t.particles or word in t.dropped


def lemma(word: str) -> str:
    """The lookup lemma of a normalized word ("menandatangani" -> "tanda tangan"), else the word."""
    t = tables()
    return word if word in t.acronyms else t.lemmas.get(word, word)


def _map_word(word: str) -> str:
    """Slang/variant → standard (may return several words, or "" for a dropped word)."""
    t = tables()
    if word in t.particles or word in t.dropped:
        return ""
    if word in t.replacements:
        return t.replacements[word]
    return t.norms.get(word, word)


def _squeeze_repeats(word: str) -> str:
    """`bangettt` → `banget`, `maaaf` → `maaf`, `tolongg` → `tolong`."""
    if _known(word) or any(ch.isdigit() for ch in word):
        return word
    if _LONG_RUN.search(word):
        single = _LONG_RUN.sub(r"\1", word)
        double = _LONG_RUN.sub(r"\1\1", word)
        if _known(double) and not _known(single):
            return double
        word = single
        if _known(word):
            return word
    # A doubled last letter ("pleasee", "syaratt").
    if len(word) > 3 and word[-1] == word[-2] and _known(word[:-1]):
        return word[:-1]
    return word


def _strip_clitic(word: str) -> str:
    """`biayanya` → `biaya`, `berapakah` → `berapa`, `syarate` → `syarat`; `masalah`, `tanya` stay."""
    if word.endswith("nya") and len(word) >= 7 and _known(word[:-3]):
        # The lemma table lists some -nya forms as words ("keamanannya"); the stem is the word.
        return word[:-3]
    if _known(word):
        return word
    for clitic in tables().clitics:
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and len(stem) >= 3:
            if _known(stem):
                return stem
            # "persyaratanya" (one n dropped before -nya)
            if clitic == "nya" and _known(stem + "n"):
                return stem + "n"
            squeezed = _squeeze_repeats(stem)
            if _known(squeezed):
                return squeezed
    # Domain words missing from the vocabulary ("keamanannya", "pelaksananya"): -nya off an unknown
    # word still leaves a word (real words ending so, like "tanya", are known). Not -kah/-lah: on an
    # unknown word they are more often a typo's letters ("lnagkah" is "langkah", not "lnag" + kah).
    if word.endswith("nya") and len(word) - 3 >= 4:
        return word[:-3]
    return word


def _fold(word: str) -> str:
    """Lower case without accents ("Pérmit" -> "permit")."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in word if not unicodedata.combining(ch))


def _normalize_word(original: str) -> list[str]:
    """One surface word → zero or more normalized words."""
    t = tables()
    lower = _fold(original)
    if lower in t.acronyms or (original.isupper() and len(original) <= 6 and not _known(lower)):
        return [lower]
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        if len(parts) == 2 and parts[0] == parts[1]:  # syarat-syarat → syarat
            return _normalize_word(parts[0])
        if any(p in t.acronyms for p in parts):  # SIP-ATLM, UKL-UPL, P-IRT
            return parts
        return [w for p in parts for w in _normalize_word(p)]
    match = _REDUPLICATION_DIGIT.match(lower)
    if match:  # syarat2, syarat2nya
        lower = match.group(1)
    mapped = _map_word(lower)
    if mapped != lower:
        return mapped.split()
    word = _squeeze_repeats(lower)
    word = _strip_clitic(word)
    word = _colloquial_verb(word)
    return _map_word(word).split()


# Jakarta-style verbs: a nasal prefix and -in for the standard meN- and -i/-kan ("ngawasin" is
# "mengawasi", "nanyain" is "menanyakan", "ngecekin" is "mengecek"). Tried in this order.
_COLLOQUIAL_PREFIXES = (
    ("nge", ("menge", "meng", "me")), ("ng", ("meng",)), ("ny", ("menc", "meny")), ("n", ("men",)),
    ("m", ("mem",)), ("di", ("di",)),
)  # fmt: skip
_COLLOQUIAL_ENDINGS = ("i", "kan", "")


def _colloquial_verb(word: str) -> str:
    """An unknown colloquial verb ("ngawasin") as the standard one the vocabulary knows, else the word."""
    if len(word) < 6 or _known(word) or not word.endswith("in"):
        return word
    stem_end = word[:-2]
    for short, standard_prefixes in _COLLOQUIAL_PREFIXES:
        if not stem_end.startswith(short):
            continue
        stem = stem_end[len(short) :]
        for prefix in standard_prefixes:
            for ending in _COLLOQUIAL_ENDINGS:
                candidate = prefix + stem + ending
                if len(stem) >= 2 and candidate in tables().vocabulary:
                    return candidate
        break
    return word


def _surface_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the words of `text`; punctuation, emoji and symbols dropped. A bracket
    inside a token parts it ("Berusaha(NIB)", "(KIA)secepatnya"): spaCy leaves those joined."""
    words = []
    for spacy_token in _spacy_tokenizer()(text):
        for part in _BRACKETS.finditer(spacy_token.text):
            surface = part.group()
            if any(ch.isalnum() for ch in surface):
                start = spacy_token.idx + part.start()
                words.append((start, start + len(surface), surface))
    return words


def normalize(text: str, lemmatize: bool = False) -> list[NormalizedToken]:
    """Normalized tokens of `text` (at most MAX_TOKENS, from its first MAX_TEXT_CHARS characters);
    any input is accepted."""
    if not isinstance(text, str) or not text.strip():
        return []
    t = tables()
    surface = _surface_words(text[:MAX_TEXT_CHARS])
    folded = [_fold(word) for _, _, word in surface]
    tokens: list[NormalizedToken] = []
    i = 0
    while i < len(surface) and len(tokens) < MAX_TOKENS:
        for size in range(min(t.longest_phrase, len(surface) - i), 1, -1):
            standard = t.phrases.get(tuple(folded[i : i + size]))
            if standard is not None:
                start, end = surface[i][0], surface[i + size - 1][1]
                original = text[start:end]
                tokens.extend(NormalizedToken(start, end, original, w, w) for w in standard.split())
                i += size
                break
        else:
            start, end, word = surface[i]
            for norm in _normalize_word(word):
                form = lemma(norm) if lemmatize else norm
                tokens.append(NormalizedToken(start, end, word, norm, form))
            i += 1
    return tokens[:MAX_TOKENS]


def normalized_text(text: str) -> str:
    """The normalized words joined by spaces (what the featurizers see)."""
    return " ".join(token.norm for token in normalize(text))
