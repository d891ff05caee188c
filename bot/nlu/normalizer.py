"""Chat Indonesian → standard Indonesian, token by token, keeping spans in the original text.

Applicants write "kak syarat2nya bikin SIP bidan gmn ya??", the featurizers should see
"syarat buat sip bidan bagaimana ya". The design decision: **the message text is never
rewritten.** Normalization produces tokens whose `text` is the normalized word and whose
`start`/`end` point into the original message. So:

- the featurizers (CountVectors, LexicalSyntactic, DIET) learn from normalized words;
- the RegexEntityExtractor and the ServiceLinker see the original text, and every entity span
  they set is a span of what the user typed (application numbers keep their case);
- `/model/parse` still returns the user's text, plus `text_normalized` for debugging.

Two components share the work: `TextNormalizer` (placed first in the pipeline) stores the
normalized tokens on the message; `IndonesianTokenizer` turns them into Rasa tokens (and
normalizes by itself when the normalizer is absent, e.g. for bot utterances in end-to-end
training). Tokenization is spaCy `blank("id")`; the word lists are spacy-lookups-data's
Indonesian norm table plus the chat slang below.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

# Tokens that stand for a linked service / region (see mask_knowledge).
PLACEHOLDER_LAYANAN = "__layanan__"
PLACEHOLDER_WILAYAH = "__wilayah__"

# Message keys the normalizer sets (the tokenizer reads them).
NORMALIZED_TEXT = "text_normalized"
NORMALIZED_TOKENS = "normalized_tokens"

# Acronyms of permits and documents: lowercased, never de-slanged, de-duplicated or stripped.
ACRONYMS = frozenset(
    """
    siup nib oss slf pbg imb sip sipb sipa sipttk sipf sik atlm iumk tdup iujk sppl ukl upl amdal
    pirt irt spp dam lksa stpw kbli npwp ktp kk skck str pkrt prt bokar sir stpp tdg utd dpmptsp
    ptsp sk rs cv pt umkm nik spt pns asn ktas tdp iui iup lpk b3 ipal andalalin kkpr pkkpr rpl
    """.split()
)

# Address particles that carry no meaning for the question ("kak", "gan", "min", ...): dropped.
PARTICLES = frozenset("kak kaka kakak kk ka gan agan min mimin admin sis sist bang bro mas mba mbak".split())

# Chat slang, abbreviations and spelling variants → standard form (may be several words).
# spacy-lookups-data's `id_lexeme_norm` covers more (yg, gak, dgn, tdk, udh, ijin, praktek...).
SLANG: dict[str, str] = {
    # question words
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "bgmn": "bagaimana",
    "gimna": "bagaimana",
    "bagaimanakah": "bagaimana",
    "brp": "berapa",
    "brapa": "berapa",
    "brpa": "berapa",
    "berapakah": "berapa",
    "dmn": "di mana",
    "dimana": "di mana",
    "kemana": "ke mana",
    "kmn": "ke mana",
    "kmana": "ke mana",
    "knp": "kenapa",
    "napa": "kenapa",
    "ap": "apa",
    "apaan": "apa",
    "apakah": "apa",
    "kpn": "kapan",
    "sapa": "siapa",
    "spa": "siapa",
    # negation / affirmation
    "ga": "tidak",
    "gak": "tidak",
    "gk": "tidak",
    "g": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "kagak": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "gakk": "tidak",
    "blm": "belum",
    "blum": "belum",
    "bkn": "bukan",
    "iy": "iya",
    "yoi": "iya",
    "yup": "iya",
    "yap": "iya",
    "y": "ya",
    "yaa": "ya",
    "ok": "oke",
    "okay": "oke",
    "okey": "oke",
    "okee": "oke",
    "okeh": "oke",
    "sip": "sip",
    # pronouns and function words
    "sy": "saya",
    "aq": "aku",
    "ak": "aku",
    "gw": "saya",
    "gue": "saya",
    "gua": "saya",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "u": "untuk",
    "buat": "buat",
    "dr": "dari",
    "dri": "dari",
    "krn": "karena",
    "karna": "karena",
    "tp": "tapi",
    "tpi": "tapi",
    "trs": "terus",
    "trus": "terus",
    "lg": "lagi",
    "jg": "juga",
    "sm": "sama",
    "sma": "sama",
    "aja": "saja",
    "aj": "saja",
    "ajah": "saja",
    "doang": "saja",
    "kalo": "kalau",
    "klo": "kalau",
    "klu": "kalau",
    "kl": "kalau",
    "bs": "bisa",
    "bsa": "bisa",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "tlg": "tolong",
    "mhn": "mohon",
    "pengen": "ingin",
    "pgn": "ingin",
    "pingin": "ingin",
    "mo": "mau",
    "mw": "mau",
    "bgt": "banget",
    "bngt": "banget",
    "dlm": "dalam",
    "pd": "pada",
    "tsb": "tersebut",
    "sbg": "sebagai",
    "hrs": "harus",
    "msh": "masih",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "dunk": "dong",
    "donk": "dong",
    "bener": "benar",
    "emg": "memang",
    "emang": "memang",
    "gitu": "begitu",
    "gt": "begitu",
    "ni": "ini",
    "nih": "nih",
    "tu": "itu",
    "td": "tadi",
    "sblm": "sebelum",
    "stlh": "setelah",
    "abis": "habis",
    "ama": "sama",
    "kyk": "seperti",
    "kayak": "seperti",
    "kaya": "seperti",
    # verbs people type informally
    "bikin": "buat",
    "ngurus": "mengurus",
    "ngurusin": "mengurus",
    "urus": "urus",
    "ngajuin": "mengajukan",
    "ajuin": "ajukan",
    "daftar": "daftar",
    "daptar": "daftar",
    "nanya": "tanya",
    "nyari": "cari",
    "dapet": "dapat",
    "dpt": "dapat",
    "tau": "tahu",
    "taw": "tahu",
    "kasi": "kasih",
    "ksh": "kasih",
    "liat": "lihat",
    "bayar": "bayar",
    # thanks / greetings
    "makasih": "terima kasih",
    "makasi": "terima kasih",
    "mksh": "terima kasih",
    "mksih": "terima kasih",
    "makasii": "terima kasih",
    "trims": "terima kasih",
    "trimakasih": "terima kasih",
    "terimakasih": "terima kasih",
    "thx": "thanks",
    "tq": "thanks",
    "ty": "thanks",
    "thanks": "thanks",
    "hai": "halo",
    "hi": "halo",
    "hallo": "halo",
    "helo": "halo",
    "hello": "halo",
    "hay": "halo",
    "ass": "assalamualaikum",
    "askum": "assalamualaikum",
    "assalamu'alaikum": "assalamualaikum",
    "assalamualaikum": "assalamualaikum",
    "slmt": "selamat",
    "met": "selamat",
    "pagii": "pagi",
    # domain words, their short forms and variants
    "ijin": "izin",
    "perijinan": "perizinan",
    "perijinannya": "perizinan",
    "praktek": "praktik",
    "apotik": "apotek",
    "fotocopy": "fotokopi",
    "fotocopi": "fotokopi",
    "fotokopy": "fotokopi",
    "photocopy": "fotokopi",
    "fc": "fotokopi",
    "copy": "salinan",
    "syrt": "syarat",
    "srt": "surat",
    "persyaratannya": "persyaratan",
    "prsyaratan": "persyaratan",
    "persyratan": "persyaratan",
    "sertipikat": "sertifikat",
    "sertfikat": "sertifikat",
    "srtifikat": "sertifikat",
    "dok": "dokumen",
    "dokumen2": "dokumen",
    "brkas": "berkas",
    "hr": "hari",
    "hri": "hari",
    "bln": "bulan",
    "mgg": "minggu",
    "rb": "ribu",
    "jt": "juta",
    "gratiss": "gratis",
    "biya": "biaya",
    "biyaya": "biaya",
    "baiya": "biaya",
    "byr": "bayar",
    "onlen": "online",
    "resiko": "risiko",
    "analisa": "analisis",
    "standart": "standar",
    "sistim": "sistem",
    "propinsi": "provinsi",
    "kab": "kabupaten",
    "kabupatn": "kabupaten",
    "kec": "kecamatan",
    "info": "informasi",
    "infonya": "informasi",
    "prosedure": "prosedur",
    "prosedurnya": "prosedur",
    "alur": "alur",
    "alurnya": "alur",
    "wa": "whatsapp",
    "whatsap": "whatsapp",
    "hp": "hp",
    "no": "nomor",
    "nmr": "nomor",
    "nomer": "nomor",
    "telp": "telepon",
    "tlp": "telepon",
    "telpon": "telepon",
    "komplen": "komplain",
    "complain": "komplain",
    # a little English
    "requirement": "syarat",
    "requirements": "syarat",
    "fee": "biaya",
    "cost": "biaya",
    "price": "biaya",
    "permit": "izin",
    "license": "izin",
    "licence": "izin",
    "how": "bagaimana",
    "procedure": "prosedur",
    "steps": "langkah",
    "duration": "lama",
    "long": "lama",
}

# Common words missing from the lemma table; treated as known so clitics are not cut off them.
EXTRA_WORDS = frozenset(
    """
    adalah hanya sekarang apakah dimana mana kapan halo oke iya ya nya sih dong deh nih kok loh
    klinik walet reklame online offline admin whatsapp email website sms hp ktp npwp jasa boga
    bokar siteplan optikal radiologi okupasi wicara ortotis prostetis puskesmas hortikultura
    koperasi gudang waralaba terapis optisien refraksionis optometris sanitarian fisioterapis
    radiografer apoteker kefarmasian gizi anestesi perekam medis higiene depot karet sarang burung
    makasih thanks please tolong mohon bidan perawat dokter apotek izin praktik syarat biaya
    besok kemarin lusa saja ini situ sana kenapa berapa dan atau tapi tetapi namun jika agar supaya
    ke di anda kami mereka bu bos sapi rumahan disampaikan via sebulan seminggu ribet staf
    hubungkan nanti tadi
    """.split()
)

# Clitics cut off a word when the word itself is unknown and its stem is known.
CLITICS = ("nya", "kah", "lah", "pun", "ku", "mu")

_REDUPLICATION_DIGIT = re.compile(r"^([a-z]{3,})2(nya|kah|lah)?$")
_LONG_RUN = re.compile(r"(\w)\1{2,}")


@dataclass(frozen=True)
class NormalizedToken:
    """One normalized word and where it came from in the original text."""

    start: int
    end: int
    original: str
    norm: str
    lemma: str


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(norm table, lemma table, known words) from spacy-lookups-data, loaded once."""
    # Read the JSON files directly: spaCy's Table API only keeps hashed keys, and we need words.
    from pathlib import Path

    import spacy_lookups_data
    import srsly

    data_dir = Path(spacy_lookups_data.__file__).parent / "data"
    norms = {k.lower(): v for k, v in srsly.read_gzip_json(data_dir / "id_lexeme_norm.json.gz").items()}
    lemmas = dict(srsly.read_gzip_json(data_dir / "id_lemma_lookup.json.gz"))
    vocabulary = frozenset(lemmas) | frozenset(lemmas.values()) | frozenset(norms.values()) | EXTRA_WORDS
    return norms, lemmas, vocabulary


@functools.lru_cache(maxsize=1)
def _spacy_tokenizer() -> Any:
    import spacy

    return spacy.blank("id").tokenizer


def _known(word: str) -> bool:
    norms, _, vocabulary = _tables()
    return word in vocabulary or word in SLANG or word in norms or word in ACRONYMS


def is_known_word(word: str) -> bool:
    """True for an ordinary Indonesian (or chat) word: the lookup vocabulary, slang, particles."""
    return _known(word) or word in PARTICLES


def _map_word(word: str) -> str:
    """Slang/variant → standard (may return several words, or "" for a dropped particle)."""
    if word in PARTICLES:
        return ""
    if word in SLANG:
        return SLANG[word]
    norms, _, _ = _tables()
    return norms.get(word, word)


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
    """`biayanya` → `biaya`, `berapakah` → `berapa`; `masalah`, `tanya` stay (known words)."""
    if word.endswith("nya") and len(word) >= 7 and _known(word[:-3]):
        # The lemma table lists some -nya forms as words ("keamanannya"); the stem is the word.
        return word[:-3]
    if _known(word):
        return word
    for clitic in CLITICS:
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
    # Domain words missing from the vocabulary ("keamanannya", "pelaksananya"): -nya/-kah/-lah
    # off an unknown word still leaves a word (real words ending so, like "tanya", are known).
    for clitic in ("nya", "kah", "lah"):
        if word.endswith(clitic) and len(word) - len(clitic) >= 4:
            return word[: -len(clitic)]
    return word


def _normalize_word(original: str) -> list[str]:
    """One surface word → zero or more normalized words."""
    lower = original.lower()
    if lower in ACRONYMS or (original.isupper() and len(original) <= 6 and not _known(lower)):
        return [lower]
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        if len(parts) == 2 and parts[0] == parts[1]:  # syarat-syarat → syarat
            return _normalize_word(parts[0])
        if any(p in ACRONYMS for p in parts):  # SIP-ATLM, UKL-UPL, P-IRT
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
    return _map_word(word).split()


def normalize(text: str, lemmatize: bool = False) -> list[NormalizedToken]:
    """Normalized tokens of `text`; punctuation and emoji are dropped. Any input is accepted."""
    if not text or not text.strip():
        return []
    _, lemmas, _ = _tables()
    tokens: list[NormalizedToken] = []
    for spacy_token in _spacy_tokenizer()(text):
        surface = spacy_token.text
        if not any(ch.isalnum() for ch in surface):
            continue  # punctuation, emoji, symbols
        start = spacy_token.idx
        end = start + len(surface)
        for word in _normalize_word(surface):
            lemma = lemmas.get(word, word) if lemmatize and word not in ACRONYMS else word
            tokens.append(NormalizedToken(start, end, surface, word, lemma))
    return tokens


def normalized_text(text: str) -> str:
    """The normalized words joined by spaces (what the featurizers see)."""
    return " ".join(token.norm for token in normalize(text))


def _tokens_as_data(tokens: list[NormalizedToken]) -> list[list[Any]]:
    # Plain lists: message data must stay fingerprintable and serialisable.
    return [[t.start, t.end, t.norm, t.lemma] for t in tokens]


def mask_knowledge(text: str, tokens: list[NormalizedToken], index: Any) -> list[NormalizedToken]:
    """Replace the words of a linked service by one `__layanan__` token and of a region by
    `__wilayah__` (same spans), so the intent classifier learns "syarat __layanan__" once instead
    of 86 names it could never all see in examples."""
    from bot.nlu.linker import (
        ENTITY_KANDIDAT,
        ENTITY_LAYANAN,
        ENTITY_WILAYAH,
        KOMPONEN_KEYWORDS,
        link_entities,
    )

    placeholders = {
        ENTITY_LAYANAN: PLACEHOLDER_LAYANAN,
        ENTITY_KANDIDAT: PLACEHOLDER_LAYANAN,
        ENTITY_WILAYAH: PLACEHOLDER_WILAYAH,
    }
    spans = sorted(
        {
            (e["start"], e["end"], placeholders[e["entity"]])
            for e in link_entities(index, text)
            if e["entity"] in placeholders and e["start"] < e["end"]
        }
    )
    if not spans:
        return tokens
    masked: list[NormalizedToken] = []
    used: set[tuple[int, int, str]] = set()
    for token in tokens:
        span = next((sp for sp in spans if token.start < sp[1] and sp[0] < token.end), None)
        if span is None or (token.norm in KOMPONEN_KEYWORDS and token.norm not in index.name_words):
            # Component words stay even inside a mention ("syarat" in a whole-text match): they
            # carry the question. Not when they belong to names ("Pengolahan Hasil Perikanan").
            masked.append(token)
        elif span not in used:
            used.add(span)
            masked.append(NormalizedToken(span[0], span[1], text[span[0] : span[1]], span[2], span[2]))
    return masked


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormalizer(GraphComponent):
    """First pipeline step: stores the normalized tokens of the user's text on the message."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Replace words by spacy-lookups-data lemmas (persyaratan → syarat). Off: it over-stems
            # (ketentuan → tentu, pelayanan → layan); see docs/nlu.md.
            "lemmatize": False,
            # Replace linked service and region names by placeholders (needs the knowledge base;
            # without it, training and parsing go on unmasked).
            "mask_knowledge": True,
            # None: DATABASE_URL.
            "database_url": None,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._lemmatize = bool(config.get("lemmatize", False))
        self._mask = bool(config.get("mask_knowledge", True))
        self._database_url = config.get("database_url")
        self._warned = False

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextNormalizer:
        return cls(config)

    def _index(self) -> Any:
        from bot.nlu.linker import cached_index

        index = cached_index(self._database_url)
        if index is None and not self._warned:
            self._warned = True
            logger.warning(
                "TextNormalizer: no knowledge base, so service and region names are not masked. "
                "Load it (python -m bot kb load) before training for the accuracy in docs/nlu.md."
            )
        return index

    def _annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        tokens = normalize(text, lemmatize=self._lemmatize)
        if self._mask and tokens:
            index = self._index()
            if index is not None:
                tokens = mask_knowledge(text, tokens, index)
        message.set(NORMALIZED_TOKENS, _tokens_as_data(tokens))
        message.set(NORMALIZED_TEXT, " ".join(t.norm for t in tokens), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._annotate(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._annotate(message)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class IndonesianTokenizer(Tokenizer):
    """Tokens = normalized words with spans in the original text (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "lemmatize": False,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._lemmatize = bool(config.get("lemmatize", False))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IndonesianTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        stored: Optional[list] = message.get(NORMALIZED_TOKENS) if attribute == TEXT else None
        if stored is None:
            stored = _tokens_as_data(normalize(text, lemmatize=self._lemmatize))
        tokens = [Token(norm, start, end=end, lemma=lemma) for start, end, norm, lemma in stored]
        if not tokens:
            # Emoji only, punctuation only, empty: one token so featurizers still have input.
            tokens = [Token(text, 0, end=len(text))]
        return self._apply_token_pattern(tokens)
