"""Knowledge-base-backed entity extractor: which standard, region, component and sector a message names.

DIET never learns the 86 service names: they change when staff edit the knowledge base, and
examples could never cover every alias and typo. Instead this component asks the knowledge
base's own search (`bot.knowledge.search.SearchIndex`) on every message and sets the entities of
the NLU contract (docs/ARCHITECTURE.md):

- `layanan`: the standard id, when exactly one standard fits (filtered by a region named in the
  same message);
- `layanan_kandidat`: one entity per candidate (at most `max_candidates`) when the search is
  ambiguous; the dialogue asks with buttons, it never guesses;
- `wilayah`: the region slug when a region is named;
- `komponen` / `sektor`: keyword matches on the normalized words (`bot.nlu.normalizer`), skipped
  inside a service name ("Izin Usaha Jasa Konstruksi" is a service, not the sector).

Spans always refer to the original text (the normalizer never rewrites it). The index is loaded
lazily, once per process and database URL, through `bot.db.session_factory()`. When the database
is missing the component logs one clear error, returns no entities and retries later: the
assistant keeps answering the non-knowledge intents. Training never touches the database (an
untrained entity extractor has no training step).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import lexicon
from bot.nlu.normalizer import NormalizedToken, normalize

logger = logging.getLogger(__name__)

ENTITY_LAYANAN = "layanan"
ENTITY_KANDIDAT = "layanan_kandidat"
ENTITY_WILAYAH = "wilayah"
ENTITY_KOMPONEN = "komponen"
ENTITY_SEKTOR = "sektor"

# Words (normalized, space-separated) → component key (schema.KOMPONEN). Longest phrases win, so
# "jaminan keamanan" beats "jaminan". Vocabulary of questions, not facts about any permit.
KOMPONEN_KEYWORDS: dict[str, str] = {
    "syarat": "persyaratan",
    "persyaratan": "persyaratan",
    "berkas": "persyaratan",
    "dokumen": "persyaratan",
    "kelengkapan": "persyaratan",
    "dokumen apa": "persyaratan",
    "prosedur": "prosedur",
    "alur": "prosedur",
    "mekanisme": "prosedur",
    "tahapan": "prosedur",
    "langkah": "prosedur",
    "tata cara": "prosedur",
    "cara": "prosedur",
    "proses pengajuan": "prosedur",
    # "gimana prosesnya" asks how; "berapa lama prosesnya" asks how long ("proses" alone says neither)
    "bagaimana proses": "prosedur",
    "proses bagaimana": "prosedur",
    "proses seperti apa": "prosedur",
    "berapa lama": "jangka_waktu",
    "jangka waktu": "jangka_waktu",
    "lama": "jangka_waktu",
    "durasi": "jangka_waktu",
    "berapa hari": "jangka_waktu",
    "waktu penyelesaian": "jangka_waktu",
    "kapan selesai": "jangka_waktu",
    "kapan jadi": "jangka_waktu",
    "hari kerja": "jangka_waktu",
    "berapa hari kerja": "jangka_waktu",
    "biaya": "biaya",
    "tarif": "biaya",
    "bayar": "biaya",
    "harga": "biaya",
    "ongkos": "biaya",
    "gratis": "biaya",
    "retribusi": "biaya",
    "berbayar": "biaya",
    "pungutan": "biaya",
    "produk": "produk",
    "produk layanan": "produk",
    "hasil": "produk",
    "hasil akhir": "produk",
    "keluaran": "produk",
    "output": "produk",
    "hasil layanan": "produk",
    "dapat apa": "produk",
    "pengaduan": "pengaduan",
    "aduan": "pengaduan",
    "mengadu": "pengaduan",
    "komplain": "pengaduan",
    "keluhan": "pengaduan",
    "saran": "pengaduan",
    "masukan": "pengaduan",
    "lapor": "pengaduan",
    "dasar hukum": "dasar_hukum",
    "landasan hukum": "dasar_hukum",
    "regulasi": "dasar_hukum",
    "peraturan": "dasar_hukum",
    "aturan": "dasar_hukum",
    "undang undang": "dasar_hukum",
    "perda": "dasar_hukum",
    "perbup": "dasar_hukum",
    "payung hukum": "dasar_hukum",
    "sarana": "sarana",
    "prasarana": "sarana",
    "fasilitas": "sarana",
    "kompetensi": "kompetensi",
    "kualifikasi": "kompetensi",
    "keahlian": "kompetensi",
    "pengawasan": "pengawasan",
    "pengawasan internal": "pengawasan",
    "pengawas": "pengawasan",
    "mengawasi": "pengawasan",
    "supervisi": "pengawasan",
    "jumlah pelaksana": "jumlah_pelaksana",
    "pelaksana": "jumlah_pelaksana",
    "jumlah petugas": "jumlah_pelaksana",
    "jumlah pegawai": "jumlah_pelaksana",
    "berapa petugas": "jumlah_pelaksana",
    "berapa pegawai": "jumlah_pelaksana",
    "berapa orang": "jumlah_pelaksana",
    "jumlah staf": "jumlah_pelaksana",
    "jaminan": "jaminan",
    "jaminan pelayanan": "jaminan",
    "maklumat": "jaminan",
    "jaminan keamanan": "jaminan_keamanan",
    "keamanan": "jaminan_keamanan",
    "keselamatan": "jaminan_keamanan",
    "evaluasi": "evaluasi",
    "evaluasi kinerja": "evaluasi",
    "kinerja": "evaluasi",
}
# "kompetensi pelaksana" is about competence, not the staff count.
KOMPONEN_KEYWORDS["kompetensi pelaksana"] = "kompetensi"

# Words that name no service by themselves ("layanan koperasi" is the sector, not a service).
GENERIC_WORDS = frozenset("layanan pelayanan sektor bidang list jenis semua".split())
FUNCTION_WORDS = frozenset("yang dan atau untuk oleh dalam di ke dari dengan pada bagi serta".split())
# Phrases that never help to find a service ("cek standar pelayanan izin klinik").
GENERIC_PHRASES = {"standar pelayanan": "", "informasi lengkap": "", "perizinan": ""}

# Words → sector slug (schema.SEKTOR), from knowledge/lexicon/sektor.yml.
SEKTOR_KEYWORDS: dict[str, str] = lexicon.mapping("sektor", "sektor")


@dataclass(frozen=True)
class KnowledgeIndex:
    """What the linker needs from the knowledge base: the search index, the regions, and the
    (normalized) words of every standard's and region's names and aliases."""

    search: Any  # bot.knowledge.search.SearchIndex
    regions: tuple[Any, ...]  # bot.knowledge.views.Region
    name_words: frozenset[str] = frozenset()

    @classmethod
    def build(cls, standards: Sequence[Any], regions: Sequence[Any]) -> KnowledgeIndex:
        """From StandardSummary and Region read models (what the repository returns)."""
        from bot.knowledge.search import STOPWORDS, SearchIndex

        names = [s.nama for s in standards] + [a for s in standards for a in s.alias]
        names += [r.nama for r in regions] + [r.id.replace("-", " ") for r in regions]
        names += [a for r in regions for a in r.alias]
        # Function words inside names ("... Yang Diselenggarakan Oleh ...") identify nothing.
        words = {t.norm for name in names for t in normalize(name)}
        words -= set(STOPWORDS) | FUNCTION_WORDS
        return cls(SearchIndex(standards, regions), tuple(regions), frozenset(words))


IndexProvider = Callable[[], Optional[KnowledgeIndex]]
# (start, end) of each word in a normalized search query, and (start, end) in the original text.
SpanMap = list[tuple[int, int, int, int]]


def load_knowledge_index(database_url: Optional[str] = None) -> KnowledgeIndex:
    """Read the standards and regions from the database at `database_url` (default: DATABASE_URL)."""
    from bot.db import session_factory
    from bot.knowledge.repository import list_regions, list_standards

    with session_factory(database_url)() as session:
        standards = list_standards(session)
        regions = list_regions(session)
    if not standards:
        logger.warning("ServiceLinker: the knowledge base is empty: run `python -m bot kb load`.")
    return KnowledgeIndex.build(standards, regions)


def cached_index(database_url: Optional[str] = None, retry_seconds: float = 30.0) -> Optional[KnowledgeIndex]:
    """The process-wide index for `database_url` (None when the database cannot be read)."""
    return _CACHE.get(database_url, retry_seconds)


class _CachedIndex:
    """One index per process and URL; after a failure, retried at most every `retry_seconds`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[str, KnowledgeIndex] = {}
        self._failed_at: dict[str, float] = {}

    def get(self, database_url: Optional[str], retry_seconds: float) -> Optional[KnowledgeIndex]:
        from bot.db import database_url as default_url

        url = database_url or default_url()
        with self._lock:
            if url in self._indexes:
                return self._indexes[url]
            failed_at = self._failed_at.get(url)
            if failed_at is not None and time.monotonic() - failed_at < retry_seconds:
                return None
            try:
                index = load_knowledge_index(url)
            except Exception as error:  # any database problem: the assistant must keep running
                self._failed_at[url] = time.monotonic()
                logger.error(
                    "ServiceLinker: the knowledge base at %s cannot be read (%s: %s). Services and "
                    "regions will not be recognised until it is built: run `python -m bot kb load`.",
                    url,
                    type(error).__name__,
                    error,
                )
                return None
            self._indexes[url] = index
            self._failed_at.pop(url, None)
            return index

    def clear(self) -> None:
        with self._lock:
            self._indexes.clear()
            self._failed_at.clear()


_CACHE = _CachedIndex()


def clear_index_cache() -> None:
    """Forget loaded indexes (tests; a reloaded knowledge base needs a restart otherwise)."""
    _CACHE.clear()


@dataclass(frozen=True)
class _Keyword:
    value: str
    start: int
    end: int
    token_start: int
    token_end: int


def _keyword_matches(tokens: Sequence[NormalizedToken], table: dict[str, str]) -> list[_Keyword]:
    """Longest-first phrase matches of `table` on the normalized words, non-overlapping."""
    words = [t.norm for t in tokens]
    longest = max((len(k.split()) for k in table), default=1)
    found: list[_Keyword] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in table:
                found.append(_Keyword(table[phrase], tokens[i].start, tokens[i + size - 1].end, i, i + size))
                i += size
                break
        else:
            i += 1
    return found


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ServiceLinker(GraphComponent, EntityExtractorMixin):
    """Sets `layanan`, `layanan_kandidat`, `wilayah`, `komponen`, `sektor` from the knowledge base."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Most candidates offered when the search is ambiguous (buttons in the dialogue).
            "max_candidates": 5,
            # None: DATABASE_URL (bot.db.database_url()). A URL here only for experiments.
            "database_url": None,
            # After a failed load, wait this long before trying the database again.
            "retry_seconds": 30.0,
        }

    def __init__(self, config: Dict[str, Any], index_provider: Optional[IndexProvider] = None) -> None:
        self._max_candidates = int(config.get("max_candidates", 5))
        database_url = config.get("database_url")
        retry_seconds = float(config.get("retry_seconds", 30.0))
        self._index_provider: IndexProvider = index_provider or (
            lambda: _CACHE.get(database_url, retry_seconds)
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ServiceLinker:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            entities = self.link(_mask_entities(text, message.get(ENTITIES, [])))
            for entity in entities:
                entity["text"] = text[entity["start"] : entity["end"]]
            if entities:
                message.set(
                    ENTITIES,
                    message.get(ENTITIES, []) + self.add_extractor_name(entities),
                    add_to_output=True,
                )
        return messages

    def link(self, text: str) -> list[dict[str, Any]]:
        """The contract's entities for `text`, spans in `text`."""
        return link_entities(self._index_provider(), text, self._max_candidates)


def link_entities(
    index: Optional[KnowledgeIndex], text: str, max_candidates: int = 5
) -> list[dict[str, Any]]:
    """The contract's entities for `text` (spans in `text`); keywords only when `index` is None."""
    tokens = normalize(text)
    entities: list[dict[str, Any]] = []
    service_spans: list[tuple[int, int]] = []
    if index is not None and tokens:
        region = _region_entity(index, text, tokens)
        if region is not None:
            entities.append(region)
        wilayah = region["value"] if region else None
        service_entities = _service_entities(index, text, tokens, wilayah, max_candidates)
        entities.extend(service_entities)
        service_spans = [(e["start"], e["end"]) for e in service_entities]
        if region is not None:
            service_spans.append((region["start"], region["end"]))
    for key, table in ((ENTITY_KOMPONEN, KOMPONEN_KEYWORDS), (ENTITY_SEKTOR, SEKTOR_KEYWORDS)):
        seen: set[str] = set()
        for match in _keyword_matches(tokens, table):
            if match.value in seen or _overlaps(match.start, match.end, service_spans):
                continue
            seen.add(match.value)
            entities.append(_entity(key, match.value, match.start, match.end, text, 1.0))
    return entities


# --- knowledge-base lookups -------------------------------------------------------------------
def _region_entity(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken]
) -> Optional[dict[str, Any]]:
    if hasattr(index.search, "find_region_span"):
        found = _safe(lambda: index.search.find_region_span(text))
        if found:
            slug, start, end = found
            return _entity(ENTITY_WILAYAH, slug, start, end, text, 1.0)
    slug = _safe(lambda: index.search.find_region(text))
    if slug is None:
        slug = _safe(lambda: index.search.find_region(" ".join(t.norm for t in tokens)))
    if not slug:
        return None
    start, end = _region_span(text, slug, index.regions)
    return _entity(ENTITY_WILAYAH, slug, start, end, text, 1.0)


def _service_query(
    index: KnowledgeIndex, tokens: Sequence[NormalizedToken], keep_unknown: bool = True
) -> list[NormalizedToken]:
    """The words of the message that can name a service.

    Dropped: component phrases ("berapa hari kerja", "hasil layanan"), generic phrases ("standar
    pelayanan"), and ordinary Indonesian words (the spaCy lookup vocabulary and the chat slang)
    that occur in no standard's or region's name or alias ("sawit", "pegang", "nanti"). Kept: name
    words and, with `keep_unknown`, unknown words (typos such as "dpot", "bidann", which the search
    matches by edit distance; English words, which it cannot)."""
    return [tokens[i] for i in _service_word_indices(index, tokens, keep_unknown)]


def _service_word_indices(
    index: KnowledgeIndex, tokens: Sequence[NormalizedToken], keep_unknown: bool = True
) -> list[int]:
    """Positions of the words `_service_query` keeps."""
    from bot.nlu.normalizer import is_known_word

    dropped: set[int] = set()
    for match in _keyword_matches(tokens, KOMPONEN_KEYWORDS):
        size = match.token_end - match.token_start
        for i in range(match.token_start, match.token_end):
            if size > 1 or tokens[i].norm not in index.name_words:
                dropped.add(i)
    for match in _keyword_matches(tokens, GENERIC_PHRASES):
        dropped.update(range(match.token_start, match.token_end))
    return [
        i
        for i, token in enumerate(tokens)
        if i not in dropped
        and (token.norm in index.name_words or (keep_unknown and not is_known_word(token.norm)))
    ]


def _names_nothing(text: str, start: int, end: int) -> bool:
    """A mention made only of sector, component or generic words ("list layanan koperasi",
    "hasilnya apa", "di bidang kesehatan") is not a service name."""
    words = [t.norm for t in normalize(text[start:end])]
    return all(w in SEKTOR_KEYWORDS or w in KOMPONEN_KEYWORDS or w in GENERIC_WORDS for w in words)


def _search(index: KnowledgeIndex, text: str, wilayah: Optional[str], limit: int) -> Any:
    return _safe(lambda: index.search.find(text, wilayah=wilayah, limit=limit))


def _service_entities(
    index: KnowledgeIndex,
    text: str,
    tokens: Sequence[NormalizedToken],
    wilayah: Optional[str],
    max_candidates: int,
) -> list[dict[str, Any]]:
    result = _search(index, text, wilayah, max_candidates)
    if result is None:
        return []
    span_map: Optional[SpanMap] = None
    if result.status != "found":
        # Chat spelling and chatter dilute the search ("izin toko obat itu selesainya brp hari
        # kerja ya"): ask again with only the words that can name a service (normalized; spans
        # mapped back to the original text), then with the name words alone (English questions).
        # A retry may turn "ambiguous" into "found" or a purer "ambiguous", and "none" into
        # "found"; when no word of an ambiguous message can name a service, nothing is named.
        any_name_words = False
        for keep_unknown in (True, False):
            query_tokens = _service_query(index, tokens, keep_unknown)
            if not query_tokens:
                continue
            any_name_words = True
            query, query_map = _joined_with_spans(query_tokens)
            retry = _search(index, query, wilayah, max_candidates)
            if retry is None or retry.status == "none":
                continue
            if retry.status == "found" or result.status == "ambiguous":
                result, span_map = retry, query_map
                if retry.status == "found":
                    break
        if result.status == "ambiguous" and not any_name_words:
            return []
    chosen: list[tuple[Any, Optional[SpanMap]]] = []
    if result.status != "found":
        # Still no single standard: a long message may name its service among other things
        # ("saya dokter, rencana buka klinik pratama. syaratnya?"). Look at each mention alone.
        chosen, segment_status = _segment_choice(index, text, tokens, wilayah, max_candidates)
        if chosen and (segment_status in ("found", "several") or result.status == "none"):
            entity_name = ENTITY_LAYANAN if segment_status == "found" else ENTITY_KANDIDAT
        else:
            chosen = []
    if not chosen:
        if result.status == "none" or not result.candidates:
            return []
        if result.status == "found":
            chosen, entity_name = [(result.best or result.candidates[0], span_map)], ENTITY_LAYANAN
        else:
            chosen = [(c, span_map) for c in list(result.candidates)[:max_candidates]]
            entity_name = ENTITY_KANDIDAT
    entities = []
    for candidate, candidate_map in chosen:
        start, end = _candidate_span(text, candidate, candidate_map)
        if _names_nothing(text, start, end):
            continue
        confidence = max(0.0, min(1.0, float(getattr(candidate, "score", 100)) / 100.0))
        entities.append(_entity(entity_name, candidate.standard_id, start, end, text, confidence))
    return entities


# Words that join two services the user asks about together ("sip bidan sama izin apotek").
CONJUNCTIONS = frozenset("dan atau serta sama maupun vs versus".split())
_CLAUSE_BREAK = re.compile(r"[.,;:!?&]")
# An ambiguous mention counts only when it says one name (nearly) whole: "klinik", not "sip".
SEGMENT_AMBIGUOUS_MIN = 90.0
MAX_SEGMENTS = 12  # a pasted essay is not searched mention by mention beyond this


def _segments(
    index: KnowledgeIndex, text: str, tokens: Sequence[NormalizedToken]
) -> list[tuple[list[NormalizedToken], bool]]:
    """Runs of consecutive words that can name a service, split at punctuation and at other words;
    each with whether a conjunction ("dan", "sama", "&") separates it from the run before."""
    runs: list[tuple[list[NormalizedToken], bool]] = []
    current: list[NormalizedToken] = []
    joined = False
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
                joined = (
                    "&" in between
                    or any(word in CONJUNCTIONS for word in gap)
                    or (not gap and "," in between)
                )
        current.append(token)
        previous = i
    if current:
        runs.append((current, joined))
    return runs[:MAX_SEGMENTS]


def _segment_choice(
    index: KnowledgeIndex,
    text: str,
    tokens: Sequence[NormalizedToken],
    wilayah: Optional[str],
    max_candidates: int,
) -> tuple[list[tuple[Any, SpanMap]], str]:
    """Search each mention of a long message on its own (candidates with their span maps, status).

    The last mention is what is asked about, the earlier ones are context ("saya dokter, rencana
    buka klinik pratama": the clinic; "klinik saya mau buka layanan rontgen": radiology); an
    ambiguous last mention gives its candidates. Services listed together ("sip bidan sama izin
    apotek", "sip bidan, izin apotek") are all offered: status "several". Vague mentions ("sip",
    "izin usaha": no name fits them well) count for nothing here.
    """
    mentions: list[tuple[str, list[tuple[Any, SpanMap]], bool]] = []
    for run, joined in _segments(index, text, tokens):
        query, query_map = _joined_with_spans(run)
        result = _search(index, query, wilayah, max_candidates)
        if result is None or not result.candidates:
            continue
        if result.status == "found":
            mentions.append(("found", [(result.best or result.candidates[0], query_map)], joined))
        elif result.status == "ambiguous" and result.candidates[0].score >= SEGMENT_AMBIGUOUS_MIN:
            mentions.append(("ambiguous", [(c, query_map) for c in result.candidates], joined))
    if not mentions:
        return [], "none"
    found = {chosen[0][0].standard_id: chosen[0] for kind, chosen, _ in mentions if kind == "found"}
    if len(found) > 1 and any(joined for _, _, joined in mentions[1:]):
        return list(found.values())[:max_candidates], "several"
    status, chosen, _ = mentions[-1]
    return chosen[:max_candidates], status


def _mask_entities(text: str, entities: Sequence[dict[str, Any]]) -> str:
    """Blank out what other extractors already found (ticket codes, application numbers): they are
    not service names and would only dilute the search. Same length, so spans stay valid."""
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _safe(call: Callable[[], Any]) -> Any:
    """A search failure must never take the NLU down: log it, link nothing."""
    try:
        return call()
    except Exception:
        logger.exception("ServiceLinker: knowledge-base search failed")
        return None


def _entity(name: str, value: str, start: int, end: int, text: str, confidence: float) -> dict[str, Any]:
    return {
        "entity": name,
        "value": value,
        "start": start,
        "end": end,
        "text": text[start:end],
        "confidence_entity": round(confidence, 3),
    }


def _joined_with_spans(tokens: Sequence[NormalizedToken]) -> tuple[str, SpanMap]:
    """Normalized words joined by spaces, and (norm_start, norm_end, orig_start, orig_end) per word."""
    parts: list[str] = []
    spans: SpanMap = []
    position = 0
    for token in tokens:
        if parts:
            position += 1
        parts.append(token.norm)
        spans.append((position, position + len(token.norm), token.start, token.end))
        position += len(token.norm)
    return " ".join(parts), spans


def _candidate_span(text: str, candidate: Any, span_map: Optional[SpanMap]) -> tuple[int, int]:
    start, end = getattr(candidate, "start", None), getattr(candidate, "end", None)
    if start is not None and end is not None and start < end:
        if span_map is None:
            return max(0, start), min(len(text), end)
        covered = [
            (o_start, o_end) for n_start, n_end, o_start, o_end in span_map if n_start < end and start < n_end
        ]
        if covered:
            return min(s for s, _ in covered), max(e for _, e in covered)
    matched = (getattr(candidate, "matched", None) or "").lower()
    position = text.lower().find(matched) if matched else -1
    if position >= 0:
        return position, position + len(matched)
    return 0, len(text)  # the search linked the message as a whole


def _region_span(text: str, slug: str, regions: Sequence[Any]) -> tuple[int, int]:
    lowered = text.lower()
    for region in regions:
        if getattr(region, "id", None) != slug:
            continue
        names = [slug.replace("-", " "), getattr(region, "nama", "")] + list(getattr(region, "alias", ()))
        best: Optional[tuple[int, int]] = None
        for name in names:
            name = (name or "").lower().strip()
            position = lowered.find(name) if name else -1
            if position >= 0 and (best is None or len(name) > best[1] - best[0]):
                best = (position, position + len(name))
        if best is not None:
            return best
    return 0, len(text)
