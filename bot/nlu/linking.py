"""One pass from a message to what it names in the knowledge base.

`link(index, text)` normalizes the message once (bot.nlu.normalize) and returns every entity of the
NLU contract (docs/ARCHITECTURE.md) with spans in the user's own text:

1. **region** (`wilayah`): the first region named ("di OKI", "kab balangan");
2. **services**: the words that can name a service (name words of the knowledge base, and unknown
   words the search matches by edit distance) are searched together, then as **mentions** (runs of
   such words split at punctuation and other words), each on its own. The search ranks exact titles
   and exact aliases first, then partial and fuzzy fits (bot.knowledge.search). The decision:
   one standard (`layanan`, plus `layanan_terkait` for related standards offered as "lihat juga"),
   several listed together or an ambiguous name (`layanan_kandidat`), or nothing. Words that name
   the kind of service ("daftar", "mendirikan", "operasional", "perluasan", "cabang") break ties in a
   family;
3. **keywords**: component (`komponen`), sector (`sektor`), outside a service name;
4. **typed choice** (`pilihan`): "nomor 2", "yang kedua", "3", "yang terakhir" (a short message);
   **short reply** (`jawaban`: ya, tidak, batal, lewati) for the forms: "ya kirim", "gak jadi kak";
5. **question cues** for the answer actions: office-level (`kantor`), comparison across regions
   (`perbandingan`), list filters (`saringan`: gratis, berbayar, terlama, tercepat), a thing no
   office here handles (`luar_layanan`), and the content words of the question part (`rincian`),
   which the answers use to find the line of a standard that answers a detail question.

Everything the linker knows about language is in knowledge/lexicon/ (bot.lexicon); everything about
services comes from the knowledge base. The TextNormalizer masks the linked names from this result
and stores it on the message, so a message is normalized once and linked once.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from bot import lexicon
from bot.nlu.normalize import NormalizedToken, normalize

logger = logging.getLogger(__name__)

ENTITY_LAYANAN = "layanan"
ENTITY_KANDIDAT = "layanan_kandidat"
ENTITY_TERKAIT = "layanan_terkait"
ENTITY_WILAYAH = "wilayah"
ENTITY_KOMPONEN = "komponen"
ENTITY_SEKTOR = "sektor"
ENTITY_PILIHAN = "pilihan"
ENTITY_KANTOR = "kantor"
ENTITY_PERBANDINGAN = "perbandingan"
ENTITY_SARINGAN = "saringan"
TIME_FILTERS = ("terlama", "tercepat")
ENTITY_LUAR = "luar_layanan"
ENTITY_RINCIAN = "rincian"
ENTITY_JENIS_TANYA = "jenis_tanya"
ENTITY_AMBANG = "ambang"
ENTITY_PERALIHAN = "peralihan"
ENTITY_SEBAGIAN = "sebagian"
ENTITY_JAWABAN = "jawaban"

MAX_CANDIDATES = 12  # candidates kept for the dialogue (it shows at most five buttons)
# An ambiguous mention counts only when it says one name (nearly) whole: "klinik", not "sip".
SEGMENT_AMBIGUOUS_MIN = 90.0
MAX_SEGMENTS = 12  # a pasted essay is not searched mention by mention beyond this
MAX_CHOICE_WORDS = 6  # "pilih yang kedua aja kak" is a choice; a longer message is a question
MAX_REPLY_WORDS = 6  # "ya kirim saja kak" is a reply; a longer message says something
_CLAUSE_BREAK = re.compile(r"[.,;:!?&]")
_SENTENCE_END = re.compile(r"[.!?:\n]+")
# A service found by one shared word only ("anak" of the children's welfare institutions), with
# less than this confidence, gives way to a thing no office handles named in the same message.
WEAK_NAME_CONFIDENCE = 0.75
TYPO_MIN_LENGTH = 5  # shorter unknown words are not corrected to question words ("lana" is not "lama")
TYPO_MIN_SIMILARITY = 0.79  # one edit in five letters (0.8, minus float noise)
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Keys beside each key on a QWERTY keyboard (same row and the rows above and below).
_KEY_NEIGHBOURS = {
    key: "".join(
        other
        for r, line in enumerate(_KEYBOARD_ROWS)
        for c, other in enumerate(line)
        if other != key and abs(r - row) <= 1 and abs(c - col) <= 1
    )
    for row, keys in enumerate(_KEYBOARD_ROWS)
    for col, key in enumerate(keys)
}
# Application numbers and ticket codes ("SIP/0117/BLG/2026", "503/0451/IZ/2026", "ADU-7KQ2-9XFD",
# "sip 0117 blg 2026") are not service names: their words are never searched.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")  # "8", "2,5", "1.5"
_CODE_PATTERNS = (
    # "503/0612/SIPB/2026", also typed with spaces around the slashes ("TDG / 0012 / BLG / 2026")
    re.compile(r"[A-Za-z0-9]+(?:\s*[/\-]\s*[A-Za-z0-9]+|\.[A-Za-z0-9]+){2,}"),
    re.compile(r"\b(?:[A-Za-z]{1,6}\s+)?\d{3,5}\s+[A-Za-z]{1,6}\s+\d{4}\b"),
)


# --- word lists (knowledge/lexicon) --------------------------------------------------------------
@dataclass(frozen=True)
class Words:
    komponen: dict[str, str]  # phrase -> component key ("" = looks like one, is not)
    sektor: dict[str, str]
    sector_markers: dict[str, str]  # words announcing a sector ("bidang", "sektor")
    generic: frozenset[str]
    function: frozenset[str]
    generic_phrases: dict[str, str]
    conjunctions: frozenset[str]
    ordinals: dict[str, int]
    choice_words: frozenset[str]
    kinds: dict[str, str]  # word -> kind of service ("daftar" -> "daftar")
    office: dict[str, str]  # office-level cues
    office_before: frozenset[str]  # "kantor" before a region or an office word: the office
    compare: dict[str, str]
    filters: dict[str, str]
    amount_questions: frozenset[str]  # "berapa": a time filter with it asks the amount, not which
    outside: dict[str, str]  # phrase -> what it is (a permit or document no office here handles)
    not_content: frozenset[str]  # words that are not the content of a detail question
    question: frozenset[str]
    question_kinds: dict[str, str]  # phrase -> ya_tidak, siapa, di_mana, kapan
    threshold: dict[str, str]  # threshold words (hektar, tenaga kerja, modal) -> what they measure
    heads: frozenset[str]  # words that start a permit's name (izin, sertifikat, ...)
    vague: frozenset[str]  # words of names that never name a service alone ("online", "baru")
    acknowledgements: frozenset[str]  # "sip, ..." opening a message: no name
    name_ends: frozenset[str]  # "izin X yang ...": the name ends before them
    means: frozenset[str]  # "lewat surat ...": the way something is sent, not a permit
    abbreviations: frozenset[str]  # documents' abbreviations (padanan.yml): "pt", "kk" are content
    filler: frozenset[str]  # words after a head word that name nothing ("izin ini", "izin apa")
    verbs: frozenset[str]  # verbs of getting a permit (bikin, urus, ...)
    serving: frozenset[str]  # verbs of the office serving something (dilayani, diterbitkan, ...)
    purpose: frozenset[str]  # words that introduce the service asked about ("untuk", "buat")
    units: dict[str, str]  # a number followed by one is a threshold ("8 orang") -> what it measures
    openers: dict[str, str]  # words that introduce the question after a preamble ("mau tanya")
    switches: dict[str, str]  # a follow-up moving to another service ("bagaimana dengan", "terus")
    switches_last: dict[str, str]  # the same at the end ("... juga sekalian")
    switches_alone: dict[str, str]  # a service named with nothing but these ("SPPL gimana?")
    replies: dict[str, str]  # short replies in a form: phrase -> ya, tidak, batal, lewati
    reply_fillers: dict[str, str]  # words around a reply that do not change it


def _normalized_table(table: dict[str, str], where: str) -> dict[str, str]:
    """Lexicon phrases as the normalizer writes them ("persyaratannya" -> "persyaratan"), so authors
    may write natural forms; two phrases that become one must mean the same."""
    out: dict[str, str] = {}
    for phrase, value in table.items():
        key = " ".join(t.norm for t in normalize(phrase)) or phrase
        if out.get(key, value) != value:
            raise lexicon.LexiconError(
                f"{where}: {phrase!r} normalizes to {key!r}, which already means {out[key]!r}"
            )
        out[key] = value
    return out


def _normalized_words(values: frozenset[str]) -> frozenset[str]:
    return frozenset(t.norm for value in values for t in normalize(value)) | values


@functools.lru_cache(maxsize=1)
def words() -> Words:
    komponen = _normalized_table(lexicon.mapping("komponen", "komponen"), "komponen.yml")
    komponen.update(
        {" ".join(t.norm for t in normalize(p)): "" for p in lexicon.words("komponen", "abaikan")}
    )
    ordinals = {w: int(v) for w, v in lexicon.mapping("pilihan", "urutan").items()}
    return Words(
        komponen=komponen,
        sektor=_normalized_table(lexicon.mapping("sektor", "sektor"), "sektor.yml"),
        sector_markers=_normalized_table({x: "" for x in lexicon.words("sektor", "penanda")}, "sektor.yml"),
        generic=_normalized_words(lexicon.words("umum", "generik")),
        function=_normalized_words(lexicon.words("umum", "fungsi")),
        generic_phrases=_normalized_table(
            {p: "" for p in lexicon.words("umum", "frasa_generik")}, "umum.yml"
        ),
        conjunctions=_normalized_words(lexicon.words("umum", "sambung")),
        ordinals=ordinals,
        choice_words=_normalized_words(lexicon.words("pilihan", "kata_pilihan")),
        kinds=_normalized_table(lexicon.mapping("umum", "jenis_layanan"), "umum.yml"),
        office=_normalized_table(lexicon.mapping("pertanyaan", "kantor"), "pertanyaan.yml"),
        office_before=_normalized_words(lexicon.words("pertanyaan", "kantor_sebelum")),
        compare=_normalized_table(lexicon.mapping("pertanyaan", "perbandingan"), "pertanyaan.yml"),
        filters=_normalized_table(lexicon.mapping("pertanyaan", "saringan"), "pertanyaan.yml"),
        amount_questions=_normalized_words(lexicon.words("pertanyaan", "tanya_besaran")),
        outside=_normalized_table(lexicon.mapping("luar_layanan", "luar_layanan"), "luar_layanan.yml"),
        # Address particles ("min", "bang", "sis") are never what a detail question is about.
        not_content=_normalized_words(
            lexicon.words("pertanyaan", "bukan_isi")
            | lexicon.words("umum", "kata_kerja_urus")
            | lexicon.words("normalisasi", "partikel")
        ),
        question=_normalized_words(lexicon.words("pertanyaan", "tanya")),
        question_kinds=_normalized_table(lexicon.mapping("pertanyaan", "jenis"), "pertanyaan.yml"),
        threshold=_normalized_table(lexicon.mapping("pertanyaan", "ambang"), "pertanyaan.yml"),
        heads=_normalized_words(lexicon.words("umum", "kepala_nama")),
        vague=_normalized_words(lexicon.words("umum", "samar")),
        acknowledgements=_normalized_words(lexicon.words("umum", "seruan")),
        name_ends=_normalized_words(lexicon.words("umum", "akhir_nama")),
        means=_normalized_words(lexicon.words("umum", "cara_kirim")),
        abbreviations=frozenset(lexicon.mapping("padanan", "padanan").values()),
        filler=_normalized_words(lexicon.words("umum", "pengisi")),
        verbs=_normalized_words(lexicon.words("umum", "kata_kerja_urus")),
        serving=_normalized_words(lexicon.words("umum", "kata_kerja_layani")),
        purpose=_normalized_words(lexicon.words("umum", "tujuan")),
        units=_normalized_table(lexicon.mapping("pertanyaan", "satuan"), "pertanyaan.yml"),
        openers={
            p: ""
            for p in _normalized_table(
                {x: "" for x in lexicon.words("pertanyaan", "pembuka_tanya")}, "pertanyaan.yml"
            )
        },
        switches=_normalized_table(
            {x: "ya" for x in lexicon.words("pertanyaan", "peralihan")}, "pertanyaan.yml"
        ),
        switches_last=_normalized_table(
            {x: "ya" for x in lexicon.words("pertanyaan", "peralihan_akhir")}, "pertanyaan.yml"
        ),
        switches_alone=_normalized_table(
            {x: "ya" for x in lexicon.words("pertanyaan", "peralihan_saja")}, "pertanyaan.yml"
        ),
        replies=_normalized_table(lexicon.mapping("jawaban", "jawaban"), "jawaban.yml"),
        reply_fillers=_normalized_table(
            {x: "" for x in lexicon.words("jawaban", "kata_sela")}, "jawaban.yml"
        ),
    )


def reset() -> None:
    """Forget the word lists (tests; after editing knowledge/lexicon)."""
    words.cache_clear()
    _question_vocabulary.cache_clear()


@functools.lru_cache(maxsize=1)
def _question_vocabulary() -> dict[str, str]:
    """The words of questions (components, question kinds and cues, what offices do not handle) and
    the written forms the normalizer knows ("pendaftaran" for "daftar"), each with its normalized
    form: an unknown word close to one of them is a typo of it ("prosedjr", "faslitas",
    "penaftaran")."""
    from bot.nlu.normalize import tables

    w = words()
    phrases = [*w.komponen, *w.sektor, *w.outside, *w.question_kinds, *w.threshold, *w.office, *w.compare]
    phrases += [*w.switches, *w.switches_last]  # "sednagkan di OKI?"
    vocabulary = {word: word for phrase in phrases for word in phrase.split()}
    vocabulary.update({word: word for word in w.question | w.not_content})
    for written, standard in tables().replacements.items():
        if len(written) >= TYPO_MIN_LENGTH and " " not in standard:
            vocabulary.setdefault(written, standard)
    return {word: norm for word, norm in vocabulary.items() if len(word) >= TYPO_MIN_LENGTH - 1}


def _corrected(index: KnowledgeIndex, tokens: Sequence[NormalizedToken]) -> list[NormalizedToken]:
    """Unknown words corrected to the question word they are a typo of, unless they are closer to a
    word of a service's name (the search corrects those itself)."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    from bot.knowledge.search import Token
    from bot.nlu.normalize import is_known_word

    out = []
    for token in tokens:
        norm = token.norm
        if len(norm) < TYPO_MIN_LENGTH or norm.isdigit() or is_known_word(norm) or norm in index.name_words:
            out.append(token)
            continue
        vocabulary = _question_vocabulary()
        hits = process.extract(
            norm,
            list(vocabulary),
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=TYPO_MIN_SIMILARITY,
            limit=5,
        )
        hit = _likeliest_slip(norm, hits)
        name = _safe(lambda norm=norm: index.search._known(Token(norm, 0, 0)))
        # A word of both lists ("kantr": "kantor" of the office and of "Kantor Cabang KSP") is that
        # word either way; correcting it lets the office cues see it.
        same = hit and name and name[0] == vocabulary[hit[0]]
        if hit and (same or not (name and name[0] and name[1] >= hit[1])):
            meant = vocabulary[hit[0]]
            out.append(NormalizedToken(token.start, token.end, token.original, meant, meant))
        else:
            out.append(token)
    return out


def _likeliest_slip(typed: str, hits: Sequence[tuple[str, float, int]]) -> Optional[tuple[str, float, int]]:
    """Of the equally close words, the one a slip of a neighbouring key makes ("harua": "harus",
    s beside a; not "harga"); else the first."""
    if not hits:
        return None
    best = [h for h in hits if h[1] >= hits[0][1] - 1e-9]
    for hit in best:
        word = hit[0]
        if len(word) == len(typed):
            changed = [(a, b) for a, b in zip(typed, word, strict=True) if a != b]
            if len(changed) == 1 and changed[0][1] in _KEY_NEIGHBOURS.get(changed[0][0], ""):
                return hit
    return best[0]


# --- the knowledge the linker needs ------------------------------------------------------------
@dataclass(frozen=True)
class KnowledgeIndex:
    """The search index, the regions, and the (normalized) words of every standard's and region's
    names and aliases."""

    search: Any  # bot.knowledge.search.SearchIndex
    regions: tuple[Any, ...]  # bot.knowledge.views.Region
    name_words: frozenset[str] = frozenset()

    @classmethod
    def build(cls, standards: Sequence[Any], regions: Sequence[Any]) -> KnowledgeIndex:
        """From StandardSummary and Region read models (what the repository returns)."""
        from bot.knowledge.search import SearchIndex, stopwords

        names = [s.nama for s in standards] + [a for s in standards for a in s.alias]
        names += [r.nama for r in regions] + [r.id.replace("-", " ") for r in regions]
        names += [a for r in regions for a in r.alias]
        # Function words inside names ("... Yang Diselenggarakan Oleh ...") identify nothing.
        name_words = {t.norm for name in names for t in normalize(name)}
        name_words -= stopwords() | words().function
        return cls(SearchIndex(standards, regions), tuple(regions), frozenset(name_words))


# --- the result --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    entity: str
    value: str
    start: int
    end: int
    confidence: float = 1.0

    def as_entity(self, text: str) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
            "confidence_entity": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class LinkResult:
    text: str
    tokens: tuple[NormalizedToken, ...]
    links: tuple[Link, ...]

    def entities(self) -> list[dict[str, Any]]:
        return [link.as_entity(self.text) for link in self.links]

    def values(self, entity: str) -> list[str]:
        return [link.value for link in self.links if link.entity == entity]


# --- helpers ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Keyword:
    value: str
    start: int
    end: int
    token_start: int
    token_end: int


def _keyword_matches(tokens: Sequence[NormalizedToken], table: dict[str, str]) -> list[_Keyword]:
    """Longest-first phrase matches of `table` on the normalized words, non-overlapping."""
    norms = [t.norm for t in tokens]
    longest = max((len(k.split()) for k in table), default=1)
    found: list[_Keyword] = []
    i = 0
    while i < len(norms):
        for size in range(min(longest, len(norms) - i), 0, -1):
            phrase = " ".join(norms[i : i + size])
            if phrase in table:
                found.append(_Keyword(table[phrase], tokens[i].start, tokens[i + size - 1].end, i, i + size))
                i += size
                break
        else:
            i += 1
    return found


def _asks_amount_of_a_service(links: Sequence[Link], tokens: Sequence[NormalizedToken]) -> bool:
    """A time filter beside a question of an amount, about a service (or part of one) and no
    sector, asks how long at most ("paling lama sertifikat produksi selesai berapa hari?"), not
    which service is the longest ("layanan kesehatan paling lama berapa hari dan apa?")."""
    entities = {link.entity for link in links}
    return (
        any(link.entity == ENTITY_SARINGAN and link.value in TIME_FILTERS for link in links)
        and bool(entities & {ENTITY_LAYANAN, ENTITY_KANDIDAT, ENTITY_SEBAGIAN})
        and ENTITY_SEKTOR not in entities
        and any(t.norm in words().amount_questions for t in tokens)
    )


def _bridged_matches(
    tokens: Sequence[NormalizedToken], spans: Sequence[tuple[int, int]], table: dict[str, str]
) -> list[_Keyword]:
    """Phrases of `table` said around the office or region named inside them ("petugas [di kantor
    OKI] ada berapa"): matched with those words, and a function word before them, left out; each
    match spans its words before the gap."""
    function = words().function
    # "di kantor [perizinan] Ogan Komering Ilir": the words between two such mentions are theirs.
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        between = [t for t in tokens if merged and merged[-1][1] <= t.start and t.end <= start]
        if merged and len(between) <= 2:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    kept: list[NormalizedToken] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        before_gap = following is not None and _overlaps(following.start, following.end, merged)
        if _overlaps(token.start, token.end, merged) or (token.norm in function and before_gap):
            continue
        kept.append(token)
    position = {token.start: i for i, token in enumerate(tokens)}
    found = []
    for match in _keyword_matches(kept, table):
        run = kept[match.token_start : match.token_end]
        end = run[0]
        for before, after in zip(run, run[1:], strict=False):
            if position[after.start] != position[before.start] + 1:
                break
            end = after
        found.append(_Keyword(match.value, run[0].start, end.end, match.token_start, match.token_end))
    return found


def _office_heads(tokens: Sequence[NormalizedToken], starts: Sequence[int]) -> list[NormalizedToken]:
    """The words of `kantor_sebelum` ("kantor") right before a span starting at one of `starts`."""
    heads = words().office_before
    openings = set(lexicon.mapping("wilayah", "awalan_wilayah").values())  # "kantor kabupaten balangan"
    position = {t.start: i for i, t in enumerate(tokens)}
    found = []
    for start in starts:
        i = position.get(start)
        if i and tokens[i - 1].norm in openings:
            i -= 1
        if i and tokens[i - 1].norm in heads:
            found.append(tokens[i - 1])
    return found


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of application numbers and ticket codes (with at least one digit)."""
    spans = []
    for pattern in _CODE_PATTERNS:
        for match in pattern.finditer(text):
            if any(ch.isdigit() for ch in match.group()):
                spans.append(match.span())
    return spans


def _safe(call: Callable[[], Any]) -> Any:
    """A search failure must never take the NLU down: log it, link nothing."""
    try:
        return call()
    except Exception:
        logger.exception("linker: knowledge-base search failed")
        return None


def _joined(tokens: Sequence[NormalizedToken]) -> str:
    return " ".join(t.norm for t in tokens)


# --- services ---------------------------------------------------------------------------------
def _service_word_indices(
    index: KnowledgeIndex, tokens: Sequence[NormalizedToken], keep_unknown: bool = True
) -> list[int]:
    """Positions of the words that can name a service.

    Dropped: component phrases ("berapa hari kerja", "hasil layanan"), generic phrases ("standar
    pelayanan"), and ordinary words (the lookup vocabulary, slang, English and regional words) that
    occur in no standard's or region's name or alias ("sawit", "pegang", "nanti"). Kept: name words
    and, with `keep_unknown`, unknown words the search reads as a typo of a name word ("dpot",
    "bidann"); other unknown words ("diberkian") would only dilute the search."""
    from bot.nlu.normalize import is_known_word

    w = words()
    dropped: set[int] = set()
    for match in _keyword_matches(tokens, w.komponen):
        size = match.token_end - match.token_start
        for i in range(match.token_start, match.token_end):
            if size > 1 or tokens[i].norm not in index.name_words:
                dropped.add(i)
    for match in _keyword_matches(tokens, w.generic_phrases):
        dropped.update(range(match.token_start, match.token_end))
    return [
        i
        for i, token in enumerate(tokens)
        if i not in dropped
        and not token.norm.isdigit()
        and (
            token.norm in index.name_words
            or (keep_unknown and not is_known_word(token.norm) and _fuzzy_name(index, token.norm))
        )
    ]


def _fuzzy_name(index: KnowledgeIndex, word: str) -> bool:
    """Whether the search reads `word` as a (possibly misspelled) word of a name."""
    from bot.knowledge.search import Token

    found = _safe(lambda: index.search._known(Token(word, 0, 0)))
    return bool(found and found[0] and found[0] in index.name_words)


def _names_nothing(tokens: Sequence[NormalizedToken], start: int, end: int) -> bool:
    """A mention made only of sector, component or generic words ("list layanan koperasi",
    "hasilnya apa", "di bidang kesehatan") is not a service name."""
    w = words()
    inside = [t for t in tokens if start <= t.start and t.end <= end]
    covered: set[int] = set()
    for table in (w.sektor, w.komponen):
        for match in _keyword_matches(inside, table):
            covered.update(range(match.token_start, match.token_end))
    return all(i in covered or t.norm in w.generic for i, t in enumerate(inside))


@dataclass(frozen=True)
class _Choice:
    candidates: tuple[Any, ...]  # bot.knowledge.search.Candidate
    status: str  # "found" | "ambiguous" | "several" | "none"
    related: tuple[Any, ...] = ()
    # Words of other services named as what is needed for the one asked about ("SPPL dipakai buat
    # IMB?": SPPL): the content of a detail question, not a second service.
    documents: tuple[NormalizedToken, ...] = ()


def _rank(index: KnowledgeIndex, query: Sequence[NormalizedToken], wilayah: Optional[str]) -> Any:
    from bot.knowledge.search import tokens_of

    return _safe(lambda: index.search.rank_tokens(tokens_of(query), wilayah=wilayah, limit=MAX_CANDIDATES))


def _whole_message(
    index: KnowledgeIndex, tokens: Sequence[NormalizedToken], wilayah: Optional[str]
) -> Optional[Any]:
    """The search over every word that can name a service; when that is not one standard, over the
    name words alone (chatter and English words the search cannot match dilute less)."""
    result = None
    for keep_unknown in (True, False):
        query = [tokens[i] for i in _service_word_indices(index, tokens, keep_unknown)]
        if not query:
            continue
        found = _rank(index, query, wilayah)
        if found is None or found.status == "none":
            continue
        if result is None or found.status == "found" or result.status == "ambiguous":
            result = found
        if result.status == "found":
            break
    return result


def _segments(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken]
) -> list[tuple[list[NormalizedToken], str]]:
    """Runs of consecutive words that can name a service, split at punctuation and at other words;
    each with how it joins the run before: "dan" (a conjunction: "dan", "sama", "&"), "koma" (only a
    comma), or "" (other words or a sentence break)."""
    conjunctions = words().conjunctions
    runs: list[tuple[list[NormalizedToken], str]] = []
    current: list[NormalizedToken] = []
    joined = ""
    previous = -2
    for i in _service_word_indices(index, tokens):
        token = tokens[i]
        if current:
            between = text[current[-1].end : token.start]
            gap = [t.norm for t in tokens[previous + 1 : i]]
            if i != previous + 1 or _CLAUSE_BREAK.search(between):
                runs.append((current, joined))
                current = []
                # "sip bidan dan izin apotek", "sip bidan, izin apotek": a list of services;
                # "saya dokter, rencana buka klinik": context, then the service asked about.
                if "&" in between or any(w in conjunctions for w in gap):
                    joined = "dan"
                else:
                    joined = "koma" if not gap and "," in between else ""
        current.append(token)
        previous = i
    if current:
        runs.append((current, joined))
    return runs[:MAX_SEGMENTS]


def _introduced(text: str, tokens: Sequence[NormalizedToken], run: Sequence[NormalizedToken]) -> bool:
    """A purpose word or a verb of getting a permit within two words before the mention, in the
    same clause ("untuk izin peternakan", "kalau ngurus STPP-BOKAR"; in "ngurus SIPA, SPPL" only
    SIPA)."""
    w = words()
    position = next((i for i, t in enumerate(tokens) if t.start == run[0].start), 0)
    for token in reversed(tokens[max(0, position - 2) : position]):
        if _CLAUSE_BREAK.search(text[token.end : run[0].start]):
            return False
        if token.norm in w.purpose or token.norm in w.verbs:
            return True
    return False


def _by_mention(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken], wilayah: Optional[str]
) -> _Choice:
    """Each mention of a long message searched on its own. The mention introduced as the purpose
    ("... dibutuhkan untuk izin peternakan?") is what is asked about, the other services named are
    then documents; otherwise the last mention is asked about and the earlier ones are context ("saya
    dokter, rencana buka klinik pratama": the clinic). Services listed together ("sip bidan sama
    izin apotek") are all offered ("several"). Vague mentions ("sip", "izin usaha": no name fits them
    well) count for nothing here."""
    mentions: list[tuple[str, Any, bool, list[NormalizedToken]]] = []
    vague = words().vague
    for run, joined in _segments(index, text, tokens):
        if all(t.norm in vague for t in run):
            continue  # "online", "izin usaha": part of many names, the name of none
        result = _rank(index, run, wilayah)
        if result is None or not result.candidates:
            continue
        if result.status == "found":
            mentions.append(("found", result, joined, run))
        elif result.status == "ambiguous" and result.candidates[0].score >= SEGMENT_AMBIGUOUS_MIN:
            mentions.append(("ambiguous", result, joined, run))
    if not mentions:
        return _Choice((), "none")
    found = {r.candidates[0].standard_id: r.candidates[0] for kind, r, _, _ in mentions if kind == "found"}
    # "bandingkan persyaratan izin pendirian LKSA dengan izin operasional LKSA": all are compared
    comparing = bool(_keyword_matches(tokens, words().compare))
    if len(found) > 1 and (comparing or any(joined == "dan" for _, _, joined, _ in mentions[1:])):
        return _Choice(tuple(found.values()), "several")
    if len(found) > 1:
        introduced = [m for m in mentions if m[0] == "found" and _introduced(text, tokens, m[3])]
        if len(introduced) == 1:
            chosen = introduced[0]
            others = [t for m in mentions if m is not chosen and m[0] == "found" for t in m[3]]
            return _Choice((chosen[1].candidates[0],), "found", (), tuple(others))
        if any(joined == "koma" for _, _, joined, _ in mentions[1:]):
            return _Choice(tuple(found.values()), "several")  # "sip bidan, izin apotek"
        # "SIP radiografer: surat sehatnya harus dari dokter yang punya SIP?": a name written out
        # in full outweighs one word found loosely after it (the doctor is who signs the letter).
        last = mentions[-1]
        exact = [
            m
            for m in mentions[:-1]
            if m[0] == "found" and len(m[3]) > 1 and m[1].candidates[0].score >= 100.0
        ]
        if last[0] == "found" and len(last[3]) == 1 and last[1].candidates[0].score < 100.0 and exact:
            chosen = exact[-1]
            return _Choice((chosen[1].candidates[0],), "found", (), tuple(last[3]))
    status, result, _, _ = mentions[-1]
    return _Choice(tuple(result.candidates), status, tuple(getattr(result, "related", ())))


def _prefer_kind(index: KnowledgeIndex, tokens: Sequence[NormalizedToken], choice: _Choice) -> _Choice:
    """Words that name the kind of service ("daftar", "mendirikan", "operasional", "perluasan",
    "cabang") break a tie in a family: keep the candidates whose name says every kind the message
    says, and of those the ones that say no other kind."""
    if choice.status != "ambiguous" or len(choice.candidates) < 2:
        return choice
    kinds_table = words().kinds
    asked = {kinds_table[t.norm] for t in tokens if t.norm in kinds_table}
    if not asked:
        return choice

    def kinds_of(candidate: Any) -> set[str]:
        return {kinds_table[t.norm] for t in normalize(candidate.nama) if t.norm in kinds_table}

    fitting = [c for c in choice.candidates if asked <= kinds_of(c)]
    if fitting:
        exact = [c for c in fitting if kinds_of(c) == asked]
        fitting = exact or fitting
    if len(fitting) == 1:
        others = tuple(c for c in choice.candidates if c is not fitting[0])
        return _Choice((fitting[0],), "found", others)
    if fitting and len(fitting) < len(choice.candidates):
        return _Choice(tuple(fitting), "ambiguous")
    return choice


def _decide_service(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken], wilayah: Optional[str]
) -> _Choice:
    by_mention = _by_mention(index, text, tokens, wilayah)
    if by_mention.documents:
        return by_mention  # one service asked about, the others named as what it needs
    whole = _whole_message(index, tokens, wilayah)
    if whole is not None and whole.status == "found":
        return _Choice(tuple(whole.candidates[:1]), "found", tuple(getattr(whole, "related", ())))
    # A long message: the sentence that asks decides ("Assalamualaikum bu, saya perawat di
    # puskesmas. Untuk surat izin praktik perawat, berkas apa saja?"); the story before it is
    # context, searched only when the question names nothing.
    asking = question_part(text, tokens)
    if len(asking) < len(tokens):
        in_question = _by_mention(index, text, asking, wilayah)
        if in_question.status in ("found", "several"):
            return _prefer_kind(index, tokens, in_question)
    if by_mention.status in ("found", "several") or (by_mention.status != "none" and whole is None):
        return _prefer_kind(index, tokens, by_mention)
    if whole is None or not whole.candidates:
        return _Choice((), "none")
    # A vague word in chatter ("oke sip": SIP is the start of 13 names) names nothing; the same word
    # in a question ("syarat sip"), after a head word ("izin operasional") or beside a word that
    # names something ("klinik") asks which one.
    w = words()
    asks = any(m.value for m in _keyword_matches(tokens, w.komponen))
    query = [tokens[i].norm for i in _service_word_indices(index, tokens)]
    names = [word for word in query if word in index.name_words]
    specific = [word for word in names if word not in w.vague]
    named = any(word in w.heads for word in names) or bool(specific)
    if whole.candidates[0].score < SEGMENT_AMBIGUOUS_MIN and not (asks or named):
        return _Choice((), "none")
    if not named and len(whole.candidates) < 2:
        return _Choice((), "none")  # one name that merely contains a common word ("uang")
    return _prefer_kind(index, tokens, _Choice(tuple(whole.candidates), "ambiguous"))


def _candidate_span(text: str, candidate: Any) -> tuple[int, int]:
    start, end = getattr(candidate, "start", None), getattr(candidate, "end", None)
    if start is not None and end is not None and start < end:
        return max(0, start), min(len(text), end)
    matched = (getattr(candidate, "matched", None) or "").lower()
    position = text.lower().find(matched) if matched else -1
    if position >= 0:
        return position, position + len(matched)
    return 0, len(text)


def _service_links(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken], wilayah: Optional[str]
) -> tuple[list[Link], list[NormalizedToken]]:
    """The service links, and the words of services named as documents of the one asked about."""
    choice = _decide_service(index, text, tokens, wilayah)
    if choice.status == "none" and wilayah is not None:
        # "izin apotek di OKI" where only Balangan has one: the service, so the answer can say it
        # is not listed for OKI (and where it is), rather than not knowing the name.
        elsewhere = _decide_service(index, text, tokens, None)
        if elsewhere.status == "found":
            choice = elsewhere
    if choice.status == "none":
        return [], []
    entity = ENTITY_LAYANAN if choice.status == "found" else ENTITY_KANDIDAT
    links = []
    for candidate in choice.candidates[:MAX_CANDIDATES]:
        start, end = _candidate_span(text, candidate)
        if _names_nothing(tokens, start, end):
            continue
        confidence = max(0.0, min(1.0, float(getattr(candidate, "score", 100)) / 100.0))
        links.append(Link(entity, candidate.standard_id, start, end, confidence))
    if links and entity == ENTITY_LAYANAN:
        chosen = links[0].value
        for related in choice.related[: MAX_CANDIDATES - 1]:
            if related.standard_id != chosen:
                links.append(Link(ENTITY_TERKAIT, related.standard_id, links[0].start, links[0].end, 0.5))
    spans = [(link.start, link.end) for link in links]
    documents = [t for t in choice.documents if not _overlaps(t.start, t.end, spans)]
    return links, documents


# --- the pass ---------------------------------------------------------------------------------
def _region_links(index: KnowledgeIndex, tokens: Sequence[NormalizedToken]) -> list[Link]:
    """Every region named, in order ("bandingkan PIRT di Balangan dan OKI": both)."""
    from bot.knowledge.search import tokens_of

    links: list[Link] = []
    rest = list(tokens)
    while rest and len(links) < 5:
        remaining = tokens_of(rest)
        found = _safe(lambda remaining=remaining: index.search.region_in(remaining))
        if not found:
            break
        slug, start, end = found
        if slug not in {link.value for link in links}:
            links.append(Link(ENTITY_WILAYAH, slug, start, end))
        rest = [t for t in rest if t.end <= start or t.start >= end]
    return sorted(links, key=lambda link: link.start)


def _typed_choice(tokens: Sequence[NormalizedToken]) -> Optional[Link]:
    """ "nomor 2", "yang kedua", "3", "pilih yang terakhir aja": the position chosen."""
    w = words()
    if not tokens or len(tokens) > MAX_CHOICE_WORDS:
        return None
    rest = [t for t in tokens if t.norm not in w.choice_words]
    if len(rest) != 1:
        return None
    token = rest[0]
    position = (
        int(token.norm) if token.norm.isdigit() and len(token.norm) <= 2 else w.ordinals.get(token.norm)
    )
    if position is None or position == 0:
        return None
    return Link(ENTITY_PILIHAN, str(position), token.start, token.end)


def _short_reply(tokens: Sequence[NormalizedToken]) -> Optional[Link]:
    """A message that is only a form reply ("ya kirim", "gak jadi kak", "tidak ada", "skip aja").
    Batal outweighs ya ("ya batal aja"); other mixtures ("ya tidak") are no reply."""
    w = words()
    if not tokens or len(tokens) > MAX_REPLY_WORDS:
        return None
    fillers = _keyword_matches(tokens, w.reply_fillers)
    filler_indices = {i for m in fillers for i in range(m.token_start, m.token_end)}
    rest = [t for i, t in enumerate(tokens) if i not in filler_indices]
    matches = _keyword_matches(rest, w.replies)
    if not rest or sum(m.token_end - m.token_start for m in matches) != len(rest):
        return None
    values = {m.value for m in matches}
    if values == {"ya", "batal"}:
        values = {"batal"}
    if len(values) != 1:
        return None
    return Link(ENTITY_JAWABAN, values.pop(), matches[0].start, matches[-1].end)


def question_part(text: str, tokens: Sequence[NormalizedToken]) -> list[NormalizedToken]:
    """The tokens of the sentence that asks: the last sentence with a question word or mark, else
    the last sentence. A greeting, a self-introduction or a story before it is context."""
    w = words()
    for opener in reversed(_keyword_matches(tokens, w.openers)):
        # "..., jadi mau tanya: <the question>"; not a closing ("Mohon penjelasannya.
        # Wassalamu'alaikum.") with nothing asked after it
        after = [t for t in tokens if t.start >= opener.end]
        end = _SENTENCE_END.search(text, opener.end)
        # "kami mohon informasi persyaratan izin X. Atas bantuannya kami ucapkan terima kasih.":
        # the request's own sentence when it says something, not the closing after it
        own = [t for t in after if end is None or t.start < end.end()]
        for part in (own, after):
            if any(t.norm not in w.not_content and t.norm not in w.function for t in part):
                return part
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text) + 1]
    sentences: list[list[NormalizedToken]] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        part = [t for t in tokens if start <= t.start < end]
        if part:
            sentences.append(part)
    if not sentences:
        return []
    for sentence in reversed(sentences):
        ends_with_mark = "?" in text[sentence[-1].end : sentence[-1].end + 3]
        if ends_with_mark or any(t.norm in w.question or t.norm in w.komponen for t in sentence):
            return sentence
    return sentences[-1]


def link(
    index: Optional[KnowledgeIndex], text: str, tokens: Optional[Sequence[NormalizedToken]] = None
) -> LinkResult:
    """Every entity `text` names (see the module docstring); keywords only when `index` is None.
    `tokens`: `normalize(text)` when the caller already has it."""
    w = words()
    all_tokens = list(tokens) if tokens is not None else normalize(text)
    excluded = code_spans(text) + _acknowledgement(text, all_tokens)
    usable = [t for t in all_tokens if not _overlaps(t.start, t.end, excluded)]
    if index is not None:
        usable = _corrected(index, usable)
    links: list[Link] = []
    taken: list[tuple[int, int]] = []
    # Words that ask about the office ("di kantor DPMPTSP") are not a service's name ("kantor kas").
    for entity, table in (
        (ENTITY_KANTOR, w.office),
        (ENTITY_PERBANDINGAN, w.compare),
        (ENTITY_SARINGAN, w.filters),
    ):
        for match in _keyword_matches(usable, table)[:1]:
            links.append(Link(entity, match.value, match.start, match.end))
            if entity == ENTITY_KANTOR:
                excluded.append((match.start, match.end))
    # "izin bidang perdagangan", "sektor lingkungan mana": the sector asked about, not a name (SIUP).
    markers = {m.end for m in _keyword_matches(usable, w.sector_markers)}
    for match in _keyword_matches(usable, w.sektor):
        if match.token_start > 0 and usable[match.token_start - 1].end in markers:
            excluded.append((match.start, match.end))
    document_words: list[NormalizedToken] = []
    for link in links:
        if link.entity == ENTITY_SARINGAN and link.value == "dokumen":
            # "layanan apa saja yang mensyaratkan nomor induk berusaha": what follows the filter is
            # the document asked about, even when it is also a service's name (NIB).
            document_words = [t for t in usable if t.start >= link.end]
            excluded.extend((t.start, t.end) for t in document_words)
    # "25 orang", "30 ha": a quantity, never part of a service's name ("Angkutan Orang").
    quantities = [(n.start, u.end) for n, u in _quantities(usable)]
    searchable = [t for t in usable if not _overlaps(t.start, t.end, excluded + quantities)]
    found_spans: list[tuple[int, int]] = []
    region_spans: list[tuple[int, int]] = []
    documents: list[NormalizedToken] = []
    if index is not None and searchable:
        regions = _region_links(index, searchable)
        links.extend(regions)
        region_spans = [(r.start, r.end) for r in regions]
        taken.extend(region_spans)
        office_starts = [m.start for m in _keyword_matches(usable, w.office)] + [r.start for r in regions]
        for head in _office_heads(usable, office_starts):
            # "ruang tunggu kantor Paringin": that region's office, not a "Kantor Cabang" service.
            if not any(link.entity == ENTITY_KANTOR for link in links):
                links.append(Link(ENTITY_KANTOR, "ya", head.start, head.end))
            taken.append((head.start, head.end))
        rest = [t for t in searchable if not _overlaps(t.start, t.end, taken)]
        # One region named filters the search; several ("Balangan dan OKI") do not.
        filter_region = regions[0].value if len(regions) == 1 else None
        services, documents = _service_links(index, text, rest, filter_region)
        if services and all(s.entity == ENTITY_KANDIDAT for s in services):
            # Only words shared by many names ("izin usaha") beside words of none ("warung makan"):
            # a service we do not have, not a choice among twelve; or alone ("terus izin
            # usahanya?"): part of a family name, resolved against the current service.
            specific = [t for t in rest if _name_word(index, t.norm) and t.norm not in w.vague]
            if not specific and (
                _unknown_service(text, rest, taken, index) is not None or _partial_name(index, rest)
            ):
                services = []
        links.extend(services)
        taken.extend((s.start, s.end) for s in services if s.entity != ENTITY_TERKAIT)
        found_spans = [(s.start, s.end) for s in services if s.entity == ENTITY_LAYANAN]
        # "urus pendaftaran haji": the kind word belongs to a thing no office here handles.
        outside_named = bool(_keyword_matches(rest, w.outside))
        if not services and not outside_named and _unknown_service(text, rest, taken, index) is None:
            partial = _partial_name(index, rest)
            if partial is not None:
                links.append(partial)
                taken.append((partial.start, partial.end))
    office_spans = region_spans + [(link.start, link.end) for link in links if link.entity == ENTITY_KANTOR]
    for entity, table in ((ENTITY_KOMPONEN, w.komponen), (ENTITY_SEKTOR, w.sektor)):
        # Sector words inside a found name ("Izin Usaha Jasa Konstruksi") are the name; inside an
        # ambiguous mention ("izin pertanian mana yang paling lama") they may be the sector asked.
        blocked = taken if entity == ENTITY_KOMPONEN else found_spans + region_spans
        seen: set[str] = set()
        matches = _keyword_matches(usable, table)
        if entity == ENTITY_KOMPONEN and not matches and office_spans:
            matches = _bridged_matches(usable, office_spans, table)
        for match in matches:
            if not match.value or match.value in seen or _overlaps(match.start, match.end, blocked):
                continue
            if entity == ENTITY_SEKTOR and found_spans and _after_head(usable, match.token_start):
                continue  # "SIUP wajib melampirkan izin lingkungan?": a document, not the sector
            seen.add(match.value)
            links.append(Link(entity, match.value, match.start, match.end))
    if _asks_amount_of_a_service(links, usable):
        links = [link for link in links if link.entity != ENTITY_SARINGAN or link.value not in TIME_FILTERS]
    choice = _typed_choice(all_tokens)
    if choice is not None:
        links.append(choice)
    reply = _short_reply(all_tokens)
    if reply is not None:
        links.append(reply)
    # The cues below never overlap an entity found above (one span, one meaning).
    claimed = [(link.start, link.end) for link in links if link.entity != ENTITY_TERKAIT]
    whole = question_part(text, usable)
    asking = [t for t in whole if not _overlaps(t.start, t.end, claimed)]
    kinds = _keyword_matches(asking, w.question_kinds)
    # A list question ("apa saja yang harus dibawa") is never a yes/no one.
    kinds = [k for k in kinds if k.value == "daftar"] or kinds
    for match in kinds[:1]:
        links.append(Link(ENTITY_JENIS_TANYA, match.value, match.start, match.end))
    free_all = [t for t in usable if not _overlaps(t.start, t.end, claimed)]
    threshold = _threshold(free_all)
    if threshold is not None:
        links.append(threshold)
    switch = _switch(whole, claimed) or _bare_switch(whole, links)
    if switch is not None:
        links.append(switch)
    # "bentuknya surat izin apa?": words every permit's name has pick none of them (the current
    # service, or a list, is the dialogue's business).
    links = [link for link in links if link.entity != ENTITY_KANDIDAT or not _only_kind_words(usable, link)]
    if _office_asked_about_itself(links, text):
        # "di DPMPTSP Balangan, siapa yang mengawasi kerja petugas loket?": one word shared with
        # some names ("kerja") is no service asked about.
        loose = (ENTITY_KANDIDAT, ENTITY_TERKAIT, ENTITY_LAYANAN)
        links = [link for link in links if link.entity not in loose]
        # their words are the question's again ("papan" of "papan informasi elektronik")
        spans = [(link.start, link.end) for link in links if link.entity != ENTITY_TERKAIT]
        asking = [t for t in whole if not _overlaps(t.start, t.end, spans)]
    claimed = [(link.start, link.end) for link in links if link.entity != ENTITY_TERKAIT]
    named = [link for link in links if link.entity == ENTITY_LAYANAN]
    weak = bool(named) and all(
        link.confidence < WEAK_NAME_CONFIDENCE and _one_word(text, link) for link in named
    )
    if (not named and any(link.entity == ENTITY_KANDIDAT for link in links)) or weak:
        # A thing no office here handles, named as such ("akta lahir anak saya", "anak baru lahir,
        # mau dimasukkan ke kartu keluarga"), outweighs a name that merely shares a word with it
        # ("anak": the children's welfare institutions), even the words the candidates were found
        # by ("surat keterangan ahli waris").
        loose = (ENTITY_TERKAIT, ENTITY_KANDIDAT, ENTITY_LAYANAN)
        firm = [(link.start, link.end) for link in links if link.entity not in loose]
        free = [t for t in usable if not _overlaps(t.start, t.end, firm)]
        if _outside(free, links, kinds) is not None:
            links = [link for link in links if link.entity not in loose]
            claimed = [(link.start, link.end) for link in links]
    if not any(link.entity in (ENTITY_LAYANAN, ENTITY_KANDIDAT) for link in links):
        free = [t for t in usable if not _overlaps(t.start, t.end, claimed)]
        yes_no = any(k.value == "ya_tidak" for k in kinds)
        outside = _outside(free, links, kinds) or _unknown_service(text, free, claimed, index, yes_no)
        if outside is not None:
            links.append(outside)
            claimed.append((outside.start, outside.end))
    # Content words only of a question (a "?", a question word or kind, a component asked): a
    # name typed into a form or a complaint's story is not a detail question. Other services named
    # beside the one asked about are documents here ("SPPL dipakai buat IMB?").
    question = "?" in text or any(t.norm in w.question for t in asking) or kinds
    cues = (ENTITY_KOMPONEN, ENTITY_SARINGAN)
    question = question or any(link.entity in cues for link in links) or bool(documents)
    candidates = [t for t in asking if not _overlaps(t.start, t.end, claimed)]
    detail = _detail_words(candidates, claimed, index)
    extra = [t for t in document_words if t.norm not in w.not_content and t.norm not in w.function]
    detail = sorted({*detail, *documents, *extra}, key=lambda t: t.start)
    if detail and question:
        # The value is every content word; the span the first run of them (spans never overlap).
        run = [detail[0]]
        for token in detail[1:]:
            between = text[run[-1].end : token.start]
            if _overlaps(run[-1].end, token.start, claimed) or any(ch in between for ch in ".,;:!?"):
                break
            run.append(token)
        links.append(Link(ENTITY_RINCIAN, " ".join(t.norm for t in detail), run[0].start, run[-1].end))
    return LinkResult(text, tuple(all_tokens), tuple(links))


def _acknowledgement(text: str, tokens: Sequence[NormalizedToken]) -> list[tuple[int, int]]:
    """The span of a word acknowledging the last answer ("sip, brp hari kerja kelarnya": umum.yml
    `seruan` opening the message in lower case, then a comma or a stop), else none."""
    if not tokens or tokens[0].norm not in words().acknowledgements or tokens[0].original.isupper():
        return []
    rest = text[tokens[0].end :].lstrip()
    return [(tokens[0].start, tokens[0].end)] if rest[:1] in (",", ".", "!") else []


def _after_head(tokens: Sequence[NormalizedToken], index: int) -> bool:
    """Whether the word at `index` follows a word that starts a permit's name ("izin lingkungan")."""
    return index > 0 and tokens[index - 1].norm in words().heads


def _threshold(tokens: Sequence[NormalizedToken]) -> Optional[Link]:
    """A threshold in the question: a threshold word ("hektar", "tenaga kerja", "batasan") or a
    number followed by a unit ("8 orang", "5000 ekor"). The value is what it measures ("luas",
    "orang", "waktu" ...; "ya": nothing in particular): the first that measures something."""
    w = words()
    found = [Link(ENTITY_AMBANG, m.value, m.start, m.end) for m in _keyword_matches(tokens, w.threshold)]
    found += [Link(ENTITY_AMBANG, _measure(u.norm), n.start, u.end) for n, u in _quantities(tokens)]
    found.sort(key=lambda link: link.start)
    measured = [link for link in found if link.value != "ya"]
    return (measured or found or [None])[0]


def _measure(unit: str) -> str:
    """What a unit measures ("orang" -> "orang", "setahun" -> "waktu")."""
    units = words().units
    return units.get(unit) or units.get(unit[2:]) or "ya"


def _quantities(tokens: Sequence[NormalizedToken]) -> list[tuple[NormalizedToken, NormalizedToken]]:
    """A number and its unit ("8 orang", "2,5 tahun"), in order; "setahun", "sebulan" are one of a
    time unit (not "seorang": "saya seorang bidan" states no number)."""
    units = words().units
    found = [
        (number, unit)
        for number, unit in zip(tokens, tokens[1:], strict=False)
        if _NUMBER.fullmatch(number.norm) and unit.norm in units
    ]
    found += [(t, t) for t in tokens if t.norm.startswith("se") and units.get(t.norm[2:]) == "waktu"]
    return sorted(found, key=lambda pair: pair[0].start)


def _switch(asking: Sequence[NormalizedToken], claimed: Sequence[tuple[int, int]]) -> Optional[Link]:
    """A follow-up that moves to another service and keeps the question: the question part starts
    with "terus", "kalau", "untuk", "bagaimana dengan" ... ("untuk apotek bagaimana?")."""
    w = words()
    for match in _keyword_matches(asking[:3], w.switches)[:1]:
        if match.token_start == 0 and not _overlaps(match.start, match.end, claimed):
            return Link(ENTITY_PERALIHAN, "ya", match.start, match.end)
    tail = list(asking[-3:])
    for match in _keyword_matches(tail, w.switches_last)[-1:]:
        if not _overlaps(match.start, match.end, claimed):
            return Link(ENTITY_PERALIHAN, "ya", match.start, match.end)
    return None


def _bare_switch(asking: Sequence[NormalizedToken], links: Sequence[Link]) -> Optional[Link]:
    """A service named with nothing but "bagaimana" ("SPPL gimana?"): the same question about it."""
    w = words()
    named = [(link.start, link.end) for link in links if link.entity in (ENTITY_LAYANAN, ENTITY_WILAYAH)]
    if not any(link.entity == ENTITY_LAYANAN for link in links):
        return None
    rest = [t for t in asking if not _overlaps(t.start, t.end, named) and t.norm not in w.function]
    rest = [t for t in rest if t.norm not in w.reply_fillers]
    if rest and " ".join(t.norm for t in rest) in w.switches_alone:
        return Link(ENTITY_PERALIHAN, "ya", rest[0].start, rest[-1].end)
    return None


def _name_word(index: KnowledgeIndex, word: str) -> Optional[str]:
    """The name word `word` is, or is a typo of ("indstri": industri); None for other words."""
    if word in index.name_words:
        return word
    from bot.knowledge.search import Token

    found = _safe(lambda: index.search._known(Token(word, 0, 0)))
    return found[0] if found and found[0] in index.name_words and found[1] >= 1.0 else None


def _partial_name(index: KnowledgeIndex, tokens: Sequence[NormalizedToken]) -> Optional[Link]:
    """Words that only name part of a family ("perluasannya?", "pendaftarannya", "izin usahanya"):
    the dialogue resolves them among the current service's relatives."""
    w = words()
    capable = [tokens[i] for i in _service_word_indices(index, tokens)]
    named = [t for t in capable if _name_word(index, t.norm) and not t.norm.isdigit()]
    if not named or any(t.norm not in w.vague and t.norm not in w.kinds for t in named):
        return None
    # A kind of service ("perluasannya", "yang kantor cabangnya"), or a head word with more of a
    # name ("izin usahanya"); "izin", "kantor", "uang" alone name nothing.
    kinds = [t for t in named if t.norm in w.kinds]
    heads = [t for t in named if t.norm in w.heads]
    if not kinds and not (heads and len(named) > len(heads)):
        return None
    return Link(ENTITY_SEBAGIAN, " ".join(t.norm for t in named), named[0].start, named[-1].end)


def _outside(
    tokens: Sequence[NormalizedToken], links: Sequence[Link], kinds: Sequence[_Keyword]
) -> Optional[Link]:
    """A permit or document no office here handles, asked about as a service: right after a verb
    of getting or a head word ("syarat bikin paspor", "izin tambang"), or as the thing a component
    question is about ("paspor syaratnya apa?"), never as a document inside a yes/no question
    ("apakah perlu KTP?") or a filter ("layanan yang butuh NPWP").
    """
    w = words()
    if any(link.entity == ENTITY_SARINGAN for link in links):
        return None
    asks_component = any(link.entity == ENTITY_KOMPONEN for link in links)
    yes_no = any(k.value == "ya_tidak" for k in kinds)
    for match in _keyword_matches(tokens, w.outside):
        before = [t.norm for t in tokens[max(0, match.token_start - 3) : match.token_start]]
        after = [t.norm for t in tokens[match.token_end : match.token_end + 2]]
        # "syarat bikin paspor", "hak cipta lagu dilayani di sini?": the thing wanted, not a document
        introduced = any(word in w.verbs or word in w.heads for word in before) or any(
            word in w.serving for word in after
        )
        if (
            introduced
            or match.token_start < match.token_end
            and " ".join(t.norm for t in tokens[match.token_start : match.token_end]).startswith(
                tuple(w.heads)
            )
        ):
            return Link(ENTITY_LUAR, match.value, match.start, match.end)
        # a question kind ("di mana") is a question though its words are claimed by that cue
        asks = asks_component or bool(kinds) or any(t.norm in w.question for t in tokens)
        if asks and not yes_no:
            return Link(ENTITY_LUAR, match.value, match.start, match.end)
    return None


def _unknown_service(
    text: str,
    tokens: Sequence[NormalizedToken],
    taken: Sequence[tuple[int, int]],
    index: Optional[KnowledgeIndex],
    yes_no: bool = False,
) -> Optional[Link]:
    """A permit named with words no standard's name has ("izin karaoke", "surat pindah domisili"):
    after a head word, the first word that says something is in no name (nor a typo of one). In a
    yes/no question only after a verb of getting ("bisa bikin surat keterangan usaha?") or before a
    serving verb ("... dilayani di sini?"): otherwise it is a document asked about ("apakah perlu
    surat keterangan domisili?")."""
    if index is None:
        return None
    from bot.knowledge.search import Token
    from bot.nlu.normalize import is_known_word

    w = words()
    if not any(t.norm in w.heads for t in tokens):
        return None
    # "which regulation is this permit based on?": a component's words after a head word name none
    asked = [(m.start, m.end) for m in _keyword_matches(tokens, w.komponen)]
    for i, token in enumerate(tokens):
        if token.norm not in w.heads or _overlaps(token.start, token.end, taken):
            continue
        if i > 0 and tokens[i - 1].norm in w.means:
            continue  # "bisa ngadu lewat surat tertulis?": how it is sent
        getting = any(t.norm in w.verbs for t in tokens[max(0, i - 3) : i])
        # "apakah izin pendakian gunung dilayani di sini?": served, so wanted, not a document
        served = any(t.norm in w.serving for t in tokens[i + 1 : i + 6])
        if yes_no and not (getting or served):
            continue
        previous_end = token.end
        for follower in tokens[i + 1 : i + 5]:
            norm = follower.norm
            if _overlaps(previous_end, follower.end, taken) or norm.isdigit():
                break  # a region or the office in between ends the name ("izin dari kantor Balangan")
            if norm in w.name_ends:
                break  # "izin operasionalnya yang bermasalah": said of the permit, not its name
            previous_end = follower.end
            if norm in w.filler or norm in w.function or norm in w.question or norm in w.komponen:
                continue
            if _overlaps(follower.start, follower.end, asked):
                continue
            if norm in w.heads or (norm in w.not_content and norm not in index.name_words):
                continue
            if norm not in index.name_words and _passive_verb(norm):
                break  # "surat izinnya ditandatangani siapa?": what is done to a permit, not its name
            if norm in index.name_words and norm in w.vague:
                continue  # "izin usaha ...": words of many names, the rest decides
            if norm in index.name_words:
                break  # a head word before a name we know ("surat izin praktik bidan")
            fuzzy = _safe(lambda norm=norm: index.search._known(Token(norm, 0, 0)))
            # A typo of a name word ("izin apteker"), but not a word spelled right that only looks
            # like one ("izin pendakian" is no "pendidikan": no service was found by it either)
            if fuzzy and fuzzy[0] and (fuzzy[1] >= 1.0 or not is_known_word(norm)):
                break
            return Link(ENTITY_LUAR, text[token.start : follower.end], token.start, follower.end)
    return None


def _office_asked_about_itself(links: Sequence[Link], text: str) -> bool:
    """The office named, no service component asked, and services only as one word found loosely
    (the candidates of a name, or a name linked on one word: "papan" of "papan informasi")."""
    from bot.knowledge.schema import KOMPONEN_LAYANAN

    if not any(link.entity == ENTITY_KANTOR for link in links):
        return False
    asked = [link.value for link in links if link.entity == ENTITY_KOMPONEN]
    if any(key in KOMPONEN_LAYANAN for key in asked):
        return False
    services = [link for link in links if link.entity in (ENTITY_KANDIDAT, ENTITY_LAYANAN)]
    # not an exact name or alias ("SPP-IRT", "apotek": confidence 1.0)
    return bool(services) and all(_one_word(text, link) and link.confidence < 1.0 for link in services)


def _one_word(text: str, link: Link) -> bool:
    """Whether a mention is a single written word ("anak", "kerja", "SPP-IRT")."""
    return " " not in text[link.start : link.end].strip()


def _only_kind_words(tokens: Sequence[NormalizedToken], link: Link) -> bool:
    """Whether a mention is made of head words only ("surat izin", "izin")."""
    w = words()
    inside = [t.norm for t in tokens if t.start >= link.start and t.end <= link.end]
    return bool(inside) and all(word in w.heads or word in w.function for word in inside)


def _passive_verb(word: str) -> bool:
    """A serving verb or a di- passive of a known root ("diserahkan", "diambil"; not "dinas")."""
    from bot.nlu.normalize import is_known_word

    if word in words().serving:
        return True
    if not word.startswith("di"):
        return False
    root = word[2:]
    roots = [root] + [root[: -len(suffix)] for suffix in ("kan", "i") if root.endswith(suffix)]
    return any(len(r) >= 4 and is_known_word(r) for r in roots)


def _detail_words(
    sentence: Sequence[NormalizedToken], taken: Sequence[tuple[int, int]], index: Optional[KnowledgeIndex]
) -> list[NormalizedToken]:
    """Content words of the question part: not a service or region mention, not a component,
    sector, question, function or filler word ("apakah perlu surat domisili" -> surat domisili)."""
    w = words()
    skip: set[int] = set()
    for table in (w.komponen, w.sektor, w.office, w.compare, w.filters, w.generic_phrases, w.question_kinds):
        for match in _keyword_matches(sentence, table):
            if table is w.sektor and _after_head(sentence, match.token_start):
                continue  # "izin lingkungan" asked about as a document
            if table is w.komponen and not match.value:
                continue  # "berbadan hukum" is no component (komponen.yml `abaikan`), but is asked about
            skip.update(range(match.token_start, match.token_end))
    content = []
    for i, token in enumerate(sentence):
        if i in skip or _overlaps(token.start, token.end, taken):
            continue
        norm = token.norm
        if norm in w.not_content or norm in w.function or norm in w.generic or norm in w.question:
            continue
        if (len(norm) < 3 and norm not in w.abbreviations) or norm.isdigit() or norm.startswith("__"):
            continue  # "PT", "KK" are documents' abbreviations (padanan.yml), "di" or "2" nothing
        content.append(token)
    return content
