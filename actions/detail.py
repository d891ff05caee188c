"""Detail questions: the line of a standard that answers, not the whole component.

"apakah untuk izin reklame perlu surat domisili?", "siapa yang menandatangani izinnya?": the NLU
gives the content words of the question (`rincian`) and its kind (`jenis_tanya`); passage retrieval
(bot.knowledge.passages) finds the lines of the standard that contain them. The answer shows those
lines first, labelled with their component, then the component asked about in full (or a button for
it). A yes/no question about something the standard does not list gets an honest "tidak tercantum"
with what it does list. A question that chooses between related services by a threshold ("kebun
saya 30 hektar, cukup daftar atau harus IUP?") gets the lines that state each one's threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import Knowledge, Turn, named_in_lines, related_to, send
from bot.knowledge.passages import Hit, Passage
from bot.knowledge.search import normalized_name
from bot.knowledge.views import Standard

MIN_COVERAGE = 0.5  # share of the question's words a line must contain
MIN_WEIGHT = 2.5  # IDF of the question's words: a word in fewer than about 1 line in 12
MAX_LINES = 3
# Where a standard states who may use it (the conditions), in order; the numbers of the other
# components are no threshold ("Nomor 25 Tahun 2009", "14 hari kerja", "Petugas 2 orang").
THRESHOLD_COMPONENTS = ("persyaratan", "produk", "prosedur")


def line_words(text: str) -> str:
    """The normalized words of `text`, space-padded for finding whole phrases in it."""
    from bot.nlu.normalize import normalize

    return f" {' '.join(t.norm for t in normalize(text))} "


def threshold_marks() -> list[tuple[str, str]]:
    """(phrase as `line_words` writes it, what it measures) of `ambang_baris`."""
    from bot import lexicon

    return [
        (line_words(word), measure) for word, measure in lexicon.mapping("pertanyaan", "ambang_baris").items()
    ]


def threshold_lines(
    knowledge: Knowledge, standard: Standard, asked: set[str], measures: Sequence[str] = ()
) -> list[Passage]:
    """The lines of `standard` that state a threshold: a number and a threshold word
    (knowledge/lexicon/pertanyaan.yml `ambang_baris`: luas, hektar, tenaga kerja, tahun ...) in the
    components of THRESHOLD_COMPONENTS; those that measure what the question measures first
    (`measures`: "waktu" for "KSP kami baru jalan 3 tahun"), then those with the question's own
    words ("modal"), then by component, then those with more threshold words. Words, not
    retrieval terms: "tahun", "orang" and "kurang" say nothing in a search but do here."""
    marks = threshold_marks()
    wanted = set(measures) - {"ya"}
    scored = []
    for order, passage in enumerate(knowledge.snapshot().passages.of_standard(standard.id)):
        if passage.komponen not in THRESHOLD_COMPONENTS or not any(ch.isdigit() for ch in passage.text):
            continue
        text = line_words(passage.text)
        words = text.split()
        stated = [measure for mark, measure in marks if mark in text]
        if stated:
            rank = THRESHOLD_COMPONENTS.index(passage.komponen)
            measured = len(wanted & set(stated))
            scored.append((-measured, -len(asked & set(words)), rank, -len(stated), order, passage))
    scored.sort(key=lambda item: item[:5])
    return [item[5] for item in scored]


def _mention_text(turn: Turn, entity: str) -> Optional[str]:
    for e in turn.entities:
        if e.get("entity") == entity:
            start, end = e.get("start"), e.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(turn.text):
                return turn.text[start:end]
            return str(e.get("value") or "") or None
    return None


def document_words(words: str) -> str:
    """The words of a question that name a document ("surat kuasa", "fotokopi" of "fotokopi ktp
    terbaru"): words of knowledge/lexicon/umum.yml `dokumen`."""
    from bot import lexicon

    kinds = lexicon.words("umum", "dokumen")
    return " ".join(word for word in words.split() if word in kinds)


def says_handing_in(turn: Turn) -> bool:
    """Whether the message has a verb of handing a document in (pertanyaan.yml `dilampirkan`)."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    return any(t.norm in lexicon.words("pertanyaan", "dilampirkan") for t in normalize(turn.text))


def hands_in_a_thing(turn: Turn) -> bool:
    """Whether the message asks about handing a thing in ("buku uji KIR mobil dilampirkan?")
    without an open question word ("apa yang dilampirkan?")."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    said = {t.norm for t in normalize(turn.text)}
    yes_no = {phrase for phrase, kind in lexicon.mapping("pertanyaan", "jenis").items() if kind == "ya_tidak"}
    open_words = lexicon.words("pertanyaan", "tanya") - yes_no
    return says_handing_in(turn) and not said & open_words


def is_document(words: str) -> bool:
    """Whether the words of a question name a document ("surat kuasa", "rekening bank")."""
    return bool(document_words(words))


def names_literally(passage: Passage, words: str) -> bool:
    """Whether every word of `words` is a word of the line as written (normalized, not stemmed)."""
    from bot.nlu.normalize import normalize

    line = {t.norm for t in normalize(passage.text)}
    asked = [t.norm for t in normalize(words)]
    return bool(asked) and all(word in line for word in asked)


def find_lines(
    knowledge: Knowledge, standard_ids: Sequence[str], query: str, keys: Sequence[str] = ()
) -> list[Hit]:
    """The lines that answer `query` among `standard_ids`: within the components asked about
    first, then anywhere in the standards; only lines with most of the question's words."""
    passages = knowledge.snapshot().passages
    if passages.weight(query) < MIN_WEIGHT:
        return []  # only words most lines have ("jadi", "izin"): no line answers in particular
    hits: list[Hit] = []
    if keys:
        hits = passages.search(query, standard_ids=standard_ids, komponen=keys, limit=MAX_LINES * 3)
    if not hits or hits[0].coverage < MIN_COVERAGE:
        hits = passages.search(query, standard_ids=standard_ids, limit=MAX_LINES * 3)
    if not hits or hits[0].coverage < MIN_COVERAGE:
        return []
    floor = max(MIN_COVERAGE, hits[0].coverage - 0.25)
    kept, seen = [], set()
    for hit in hits:
        key = (hit.passage.standard_id, hit.passage.komponen, hit.passage.text)
        if hit.coverage >= floor and key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept[:MAX_LINES]


def _without_own_name(query: Optional[str], standard: Standard) -> Optional[str]:
    """The question's words without those of the standard's own name left beside its mention
    ("izin lingkungan ... untuk Izin Pengumpulan Uang dan Barang": "barang" finds only the line
    naming the product); a document word ("izin", "surat") stays, and all stay when nothing else
    would."""
    from bot import lexicon

    if not query:
        return query
    own = set(line_words(standard.nama).split()) - lexicon.words("umum", "dokumen")
    kept = [word for word in query.split() if word not in own]
    return " ".join(kept) if kept else query


def answer_detail(
    dispatcher: CollectingDispatcher, knowledge: Knowledge, standard: Standard, turn: Turn, keys: list[str]
) -> bool:
    """Answer a detail question about `standard`; False when the question is not one (the caller
    then answers the whole component)."""
    from actions.answers import component_button

    query = _without_own_name(turn.first("rincian"), standard)
    if not query:
        return False
    kind = turn.first("jenis_tanya")
    if (
        kind is None
        and set(turn.values("komponen")) == {"persyaratan"}
        and (is_document(query) or hands_in_a_thing(turn))
    ):
        # "apa dalam pengajuan X diminta copy NPWP??", "buku uji KIR mobil dilampirkan?": a
        # document beside the requirements, or a thing handed in, asks whether it is one of them.
        kind = "ya_tidak"
    if turn.values("komponen") and kind in (None, "daftar"):
        # "berapa hari jadinya?": the component itself was asked, not one of its lines.
        return False
    if not keys and is_document(query):
        keys = ["persyaratan"]  # "apakah perlu surat kuasa?": a document is looked for in the requirements
    hits = find_lines(knowledge, [standard.id], query, keys)
    if turn.intent == "ask_ringkasan" and kind in (None, "daftar") and not hits:
        # "bisa dijelaskan secara umum?": the whole standard; "pas fotonya latar merah atau biru?"
        # taken for an overview still gets the line that answers it.
        return False
    if hits and is_document(query) and all(h.passage.komponen != "persyaratan" for h in hits):
        # A document outside the requirements only where a line names it in the question's own
        # words ("dengan Rekomendasi" in the procedure): "surat kuasa" is not "menguasai".
        hits = [h for h in hits if names_literally(h.passage, document_words(query))]
    if hits and kind == "ya_tidak" and is_document(query):
        # "surat keterangan sehat perlu dibawa?": a requirement "Surat Keterangan" of something else
        # does not list it; its most telling word must be there, as in the staff filter (a line
        # outside the requirements was kept above only where it names the document as written).
        telling = knowledge.snapshot().passages.most_telling(query)
        hits = [
            h
            for h in hits
            if h.passage.komponen != "persyaratan"
            or (telling is not None and telling in h.matched)
            or h.coverage >= 0.9
        ]
    region = knowledge.region(standard.wilayah)
    if hits:
        parts = [formatting.detail_answer(standard, [h.passage for h in hits])]
        hit_keys = list(dict.fromkeys(h.passage.komponen for h in hits))
        asked = [k for k in keys if k in standard.komponen]
        if asked:
            parts.append("Selengkapnya:")
            parts.append(formatting.component_answer(standard, asked, region))
        else:
            parts.append(formatting.citation(standard))
        buttons = [] if asked else [component_button(standard, k) for k in hit_keys]
        send(dispatcher, "\n".join(parts), buttons)
        return True
    if kind == "ya_tidak" or (is_document(query) and "persyaratan" in (keys or ["persyaratan"])):
        key = keys[0] if keys else "persyaratan"
        asked_words = _mention_text(turn, "rincian") or query
        text = formatting.not_listed_answer(standard, asked_words, key)
        send(dispatcher, "\n".join([text, formatting.citation(standard)]))
        return True
    return False


def family(knowledge: Knowledge, standard: Standard) -> list[Standard]:
    """The standards of `standard`'s region that share its most telling name word ("perkebunan":
    Izin Usaha Perkebunan and Pendaftaran Usaha Perkebunan), itself first."""
    search = knowledge.snapshot().search
    words = normalized_name(standard.nama)
    telling = max(words, key=lambda w: search.idf.get(w, 0.0), default=None)
    region = knowledge.snapshot().of_region(standard.wilayah)
    members = [s for s in region if s.id != standard.id and telling in normalized_name(s.nama)]
    if telling is None or not members:
        # The telling word is its own ("pembantu"): its closest relatives ("kantor cabang KSP").
        members = related_to(standard, list(region), knowledge, "")
    return [standard, *members]


def sector_threshold(knowledge: Knowledge, turn: Turn, wilayah: Optional[str]) -> list[Standard]:
    """The standards of the sector named ("anggota kami 35 orang, sudah bisa buka jaringan
    pelayanan koperasi?") whose lines state a threshold of what the question measures, those whose
    line shares more of the question's words first. No service named: the sector says which."""
    sektor = turn.first("sektor")
    measures = set(turn.values("ambang")) - {"ya"}
    if not sektor or not measures:
        return []
    asked = set((turn.first("rincian") or "").split())
    marks = threshold_marks()
    ranked = []
    for order, summary in enumerate(knowledge.standards(wilayah=wilayah, sektor=sektor)):
        standard = knowledge.standard(summary.id)
        if standard is None:
            continue
        lines = threshold_lines(knowledge, standard, asked, sorted(measures))
        words = line_words(lines[0].text) if lines else ""
        if measures & {measure for mark, measure in marks if mark in words}:
            ranked.append((-len(asked & set(words.split())), order, standard))
    ranked.sort(key=lambda item: item[:2])
    return [item[2] for item in ranked]


def answer_threshold(
    dispatcher: CollectingDispatcher, knowledge: Knowledge, standards: Sequence[Standard], turn: Turn
) -> bool:
    """The lines stating each candidate's threshold (land area, workforce, capital, scale)."""
    if not turn.first("ambang") or not standards:
        return False
    candidates = list(standards)
    if len(candidates) == 1:
        candidates = family(knowledge, candidates[0])
    if len(candidates) < 2:
        return False
    asked = set((turn.first("rincian") or "").split())
    measures = turn.values("ambang")
    blocks, found_any = [], False
    for standard in candidates[:4]:
        hits = threshold_lines(knowledge, standard, asked, measures)[:2]
        if hits:
            found_any = True
            blocks.append(
                "\n".join([f"{formatting.heading(standard)}:", *(formatting.passage_line(p) for p in hits)])
            )
        else:
            blocks.append(
                f"{formatting.heading(standard)}: batas (luas, skala, tenaga kerja) {formatting.NOT_LISTED}."
            )
    if not found_any:
        return False
    lines = [
        "Batas yang disebut dalam standar pelayanan:",
        *blocks,
        *(formatting.citation(s) for s in candidates[:4]),
    ]
    buttons = [formatting.button(s.nama, "pilih_layanan", layanan=s.id) for s in candidates[:4]]
    send(dispatcher, "\n".join(lines), buttons)
    return True


def as_document_question(turn: Turn, standard: Standard, knowledge: Knowledge) -> Optional[Turn]:
    """ "surat domisilinya dari kelurahan atau camat?", "sertifikat tanahnya cukup salinan kan?"
    after a service: what the linker took for a thing no office handles (it knows no conversation)
    is a document of the service being discussed when it names a document and the question is a
    yes/no one or about the requirements, or a line of the standard names it. The turn asking about
    it, else None."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    mentions = [e for e in turn.entities if e.get("entity") == "luar_layanan"]
    spoken = turn.span_text("luar_layanan")
    if not mentions or not spoken:
        return None
    words = " ".join(t.norm for t in normalize(spoken))
    if not named_in_lines(knowledge, standard, words):
        # "identitasnya boleh SIM aja?" where a line lists "KTP/SIM" is about it whatever SIM is
        if not set(document_words(words).split()) - lexicon.words("umum", "kata_izin"):
            return None  # "izin tambang": a permit wanted, not a document to bring
        if turn.first("jenis_tanya") != "ya_tidak" and "persyaratan" not in turn.values("komponen"):
            return None
    detail = " ".join(filter(None, [words, turn.first("rincian")]))
    first = mentions[0]
    kept = [e for e in turn.entities if e.get("entity") not in ("luar_layanan", "rincian")]
    asked = {"entity": "rincian", "value": detail, "start": first.get("start"), "end": first.get("end")}
    return Turn(text=turn.text, intent=turn.intent, entities=[*kept, asked])


def service_as_document(turn: Turn, current: Standard, knowledge: Knowledge) -> Optional[Turn]:
    """ "IMB atau PBG gedung kliniknya dilampirkan juga?" about the clinic permit: another service
    named before a verb of attaching (knowledge/lexicon/pertanyaan.yml `dilampirkan`), or in a
    yes/no question when a line of the current standard names it, with no list asked and no move
    announced, is a document of the current service, not a move to it. The turn asking about it,
    else None."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    mentions = [e for e in turn.entities if e.get("entity") == "layanan"]
    if not mentions or turn.first("layanan") == current.id or turn.values("peralihan"):
        return None
    if turn.first("jenis_tanya") == "daftar" or set(turn.values("komponen")) - {"persyaratan"}:
        return None
    attaching = lexicon.words("pertanyaan", "dilampirkan")
    named_end = max(int(e.get("end") or 0) for e in mentions)
    verbs = [t for t in normalize(turn.text) if t.norm in attaching and t.start >= named_end]
    spoken = " ".join(t.norm for t in normalize(turn.span_text("layanan") or ""))
    yes_no = turn.first("jenis_tanya") == "ya_tidak"
    if not verbs and not (yes_no and named_in_lines(knowledge, current, spoken)):
        # "SIP dokter penanggung jawabnya perlu difotokopi?" about the clinic permit, whose
        # requirements name that permit: a yes/no question about one of its documents.
        return None
    component_spans = [e for e in turn.entities if e.get("entity") == "komponen"]
    if any(not any(v.start <= int(e.get("start") or 0) < v.end for v in verbs) for e in component_spans):
        return None  # "syarat IMB yang dilampirkan": the requirements of the service named
    detail = " ".join(filter(None, [spoken, turn.first("rincian")]))
    first = mentions[0]
    kept = [e for e in turn.entities if e.get("entity") not in ("layanan", "layanan_terkait", "rincian")]
    asked = {"entity": "rincian", "value": detail, "start": first.get("start"), "end": first.get("end")}
    if turn.first("jenis_tanya") is None:
        kept.append({"entity": "jenis_tanya", "value": "ya_tidak"})
    return Turn(text=turn.text, intent=turn.intent, entities=[*kept, asked])
