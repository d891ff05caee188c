"""Knowledge answers: which kind of answer a question gets, and the answers about one standard.

`answer_question` decides, in this order: a filtered list for staff ("layanan kesehatan yang
gratis", actions/reference.py); an honest "not among our standards" for a permit no office here
has; a side-by-side comparison across regions (reference.py); an office-level answer when no service
is named or the office is asked about (actions/office.py); a choice when the service is unclear (with
the threshold lines when the question gives one, actions/detail.py); the lines that answer a detail
question (detail.py); otherwise the component(s) asked, or the overview card when nothing specific
is asked. Which standard a turn is about comes from `base.resolve_standard`; the wording from
`formatting`. Every factual answer ends with its citation; when the standard leaves a component
empty, the answer says so and gives the office's contact instead of anything else.
"""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import (
    Knowledge,
    KnowledgeAction,
    Resolution,
    Turn,
    chosen_id,
    context_events,
    known_region,
    named_in_lines,
    relative_named,
    resolve_standard,
    send,
    slot_before_message,
)
from actions.contact import asks_contacts, send_office_contacts
from bot.knowledge.schema import INTENT_KOMPONEN, KOMPONEN, KOMPONEN_LAYANAN
from bot.knowledge.views import Standard

KOMPONEN_INTENT: dict[str, str] = {key: intent for intent, key in INTENT_KOMPONEN.items()}
# Components offered as buttons on the overview card (what an applicant asks about).
KOMPONEN_KARTU = KOMPONEN_LAYANAN


def requested_components(turn: Turn, tracker: Tracker) -> list[str]:
    """Components this turn asks for: the intent's, then any named ("syarat dan biayanya"), else
    the one asked last (a bare "kalau di OKI?" after "biayanya?")."""
    keys: list[str] = []
    named = [key for key in turn.values("komponen") if key in KOMPONEN]
    last = tracker.get_slot("komponen")
    if not named and isinstance(last, str) and last in KOMPONEN:
        if turn.values("peralihan") or switches_region(turn, tracker):
            # "bagaimana dengan X?", "untuk X gimana?", "saya orang OKI, berlaku juga?": the same
            # question about another service or region (an intent guessed from other words loses).
            return [last]
    intent_key = INTENT_KOMPONEN.get(turn.intent or "")
    if intent_key is None and len(named) > 1:
        # "kalau berkas lengkap, keluar berapa hari?" with an unsure intent: the component said with
        # a question word is the one asked, the other is its condition.
        asked = _said_with_a_question_word(turn)
        named.sort(key=lambda key: key not in asked)
    if intent_key is not None:
        # When the intent names a component the words do not ("sarana prasarananya" taken for a
        # legal-basis question), the words come first: they are what the user typed.
        if not named or intent_key in named:
            keys.append(intent_key)
        else:
            named.append(intent_key)
    for key in named:
        if key not in keys:
            keys.append(key)
    if not keys:
        last = tracker.get_slot("komponen")
        if isinstance(last, str) and last in KOMPONEN:
            keys.append(last)
    return keys


def _said_with_a_question_word(turn: Turn) -> set[str]:
    """The components whose words include a question word ("berapa hari", "syaratnya apa")."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    question = lexicon.words("pertanyaan", "tanya")
    asked = set()
    for e in turn.entities:
        start, end = e.get("start"), e.get("end")
        if e.get("entity") != "komponen" or not isinstance(start, int) or not isinstance(end, int):
            continue
        if any(t.norm in question for t in normalize(turn.text[start:end])):
            asked.add(e.get("value"))
    return asked


def component_button(standard: Standard, key: str) -> dict[str, str]:
    title = formatting.KOMPONEN_SINGKAT[key]
    if key in KOMPONEN_INTENT:
        return formatting.button(title, KOMPONEN_INTENT[key], layanan=standard.id)
    return formatting.button(title, "ask_komponen_internal", layanan=standard.id, komponen=key)


def send_components(
    dispatcher: CollectingDispatcher,
    standard: Standard,
    keys: list[str],
    knowledge: Knowledge,
    extra: Optional[list[dict[str, str]]] = None,
) -> None:
    region = knowledge.region(standard.wilayah)
    send(dispatcher, formatting.component_answer(standard, keys, region), extra or [])


def related_buttons(resolution: Resolution, knowledge: Knowledge) -> list[dict[str, str]]:
    """ "Lihat juga" buttons for the standards whose names contain what was said."""
    return [
        formatting.button(f"Lihat juga: {s.nama}", "pilih_layanan", layanan=s.id)
        for s in knowledge.standards_by_id(resolution.related[:3])
    ]


def send_overview(
    dispatcher: CollectingDispatcher, standard: Standard, extra: Optional[list[dict[str, str]]] = None
) -> None:
    buttons = [
        component_button(standard, key)
        for key in KOMPONEN_KARTU
        if key in standard.komponen and not standard.komponen[key].is_empty
    ]
    send(dispatcher, formatting.overview_card(standard), buttons + (extra or []))


def send_outside(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, turn: Turn, thing: str
) -> list[EventType]:
    """A permit or document no office here handles: say so plainly, with the office's contacts."""
    count = len(knowledge.standards())
    dispatcher.utter_message(response="utter_bukan_layanan_kami", hal=thing, jumlah=count)
    return send_office_contacts(dispatcher, tracker, knowledge, turn)


def send_unresolved(dispatcher: CollectingDispatcher, resolution: Resolution, knowledge: Knowledge) -> None:
    """Everything but "found": ask which one, or say honestly that there is nothing to answer with."""
    if resolution.status == "ambiguous":
        ask_choice(dispatcher, resolution, knowledge)
    elif resolution.status == "not_in_region":
        region = knowledge.region(resolution.region)
        standard = resolution.standard
        assert standard is not None and region is not None
        dispatcher.utter_message(
            response="utter_layanan_tidak_ada_di_wilayah",
            nama=standard.nama,
            wilayah_nama=region.nama,
            asal_wilayah=standard.wilayah_nama,
            buttons=[
                formatting.button(f"Layanan di {region.nama}", "browse_layanan", wilayah=region.id),
                formatting.button(
                    f"{standard.nama} ({standard.wilayah_nama})", "pilih_layanan", layanan=standard.id
                ),
                formatting.button("Hubungi petugas", "human_handoff", wilayah=region.id),
            ],
        )
    elif resolution.status == "not_found":
        dispatcher.utter_message(response="utter_layanan_tidak_ditemukan")
    elif resolution.region is not None and knowledge.region(resolution.region) is not None:
        region = knowledge.region(resolution.region)
        dispatcher.utter_message(
            response="utter_wilayah_dipilih",
            wilayah_nama=region.nama,
            buttons=[formatting.button(f"Layanan di {region.nama}", "browse_layanan", wilayah=region.id)],
        )
    else:
        dispatcher.utter_message(response="utter_ask_layanan")


def ask_choice(dispatcher: CollectingDispatcher, resolution: Resolution, knowledge: Knowledge) -> None:
    """Buttons for at most five candidates; one service in several regions asks for the region."""
    choices = resolution.choices
    if resolution.same_service:
        dispatcher.utter_message(
            response="utter_pilih_layanan_wilayah",
            nama=choices[0].nama,
            buttons=[formatting.button(s.wilayah_nama, "pilih_layanan", layanan=s.id) for s in choices],
        )
        return
    several_regions = len({s.wilayah for s in choices}) > 1
    buttons = [
        formatting.button(title, "pilih_layanan", layanan=s.id)
        for s, title in ((s, f"{s.nama} ({s.wilayah_nama})" if several_regions else s.nama) for s in choices)
    ]
    keyword = (resolution.keyword or "pertanyaan Anda").strip()
    dispatcher.utter_message(response="utter_pilih_layanan", kata_kunci=keyword, buttons=buttons)


# --- the router ---------------------------------------------------------------------------------
def _names_a_service(turn: Turn) -> bool:
    return bool(turn.values("layanan") or turn.values("layanan_kandidat"))


def _answer_as_document(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, turn: Turn
) -> Optional[list[EventType]]:
    """A thing "no office handles" (actions.detail.as_document_question) or another service
    (actions.detail.service_as_document) asked about as a document of the service being discussed:
    that standard's lines, or an honest "tidak tercantum"; None when it is not one."""
    from actions import detail

    if turn.values("luar_layanan"):
        if not tracker.get_slot("layanan"):
            return None
        plain = Turn(turn.text, turn.intent, [e for e in turn.entities if e.get("entity") != "luar_layanan"])
        resolution = resolve_standard(tracker, knowledge, plain)
        if resolution.status != "found" or resolution.standard is None:
            return None
        asked = detail.as_document_question(turn, resolution.standard, knowledge)
    else:
        current = knowledge.standard(slot_before_message(tracker, "layanan"))
        if current is None:
            return None
        resolution = Resolution("found", standard=current, region=current.wilayah)
        asked = detail.service_as_document(turn, current, knowledge)
    if asked is None:
        return None
    keys = [k for k in turn.values("komponen") if k in KOMPONEN] or ["persyaratan"]
    if not detail.answer_detail(dispatcher, knowledge, resolution.standard, asked, keys):
        return None
    return context_events(resolution)


def _detail_of_current(tracker: Tracker, knowledge: Knowledge, turn: Turn) -> bool:
    """ "STRTKT saya berlaku sampai tahun depan, itu memenuhi kan?" after a service: words a line of
    its standard names, or a document in a yes/no question, are a question about it."""
    from actions import detail

    current = knowledge.standard(tracker.get_slot("layanan"))
    words = turn.first("rincian")
    if current is None or not words:
        return False
    if turn.first("jenis_tanya") == "ya_tidak" and detail.is_document(words):
        return True
    return named_in_lines(knowledge, current, words)


def _as_office_words(tracker: Tracker, knowledge: Knowledge, turn: Turn) -> Optional[Turn]:
    """ "kalau kurang fotokopian KTP bisa fotokopi di dalam?", "ada tempat main anak gak?" with a
    region in context and no service: a thing no office handles or one word some names share
    ("anak", "kantor") is, with the other detail words, a question about the office when a line of
    its own names them. The turn asking that, else None."""
    from actions import office
    from bot.nlu.normalize import normalize

    if tracker.get_slot("layanan") or turn.values("layanan"):
        return None
    if not (turn.first("wilayah") or tracker.get_slot("wilayah")):
        return None
    loose = [e for e in turn.entities if e.get("entity") in ("luar_layanan", "layanan_kandidat")]
    spoken = turn.span_text("luar_layanan") or turn.span_text("layanan_kandidat") or ""
    if not loose or not spoken or (turn.values("layanan_kandidat") and " " in spoken.strip()):
        return None
    if any(key in office.OFFICE_WIDE for key in turn.values("komponen")):
        # "kantor punya kursi roda yang bisa dipinjam?": one of the office's own components asked
        return Turn(turn.text, turn.intent, [e for e in turn.entities if e not in loose])
    said = " ".join(t.norm for t in normalize(spoken))
    words = " ".join(filter(None, [said, turn.first("rincian")]))
    kept = [
        e for e in turn.entities if e.get("entity") not in ("luar_layanan", "layanan_kandidat", "rincian")
    ]
    asked = Turn(turn.text, turn.intent, [*kept, {"entity": "rincian", "value": words}])
    regions = office.office_regions(tracker, asked, knowledge)
    return asked if office.named_in_office_lines(knowledge, regions, asked) else None


def _office_asked_in_context(tracker: Tracker, knowledge: Knowledge, turn: Turn) -> bool:
    """ "ada pojok baca buat nunggu gitu", "ada colokan buat ngecas disana?" with a region in
    context and no service: one of the office's own components asked, or words its lines name
    (facilities, staff, complaints), ask about the office though it is not named."""
    from actions import office

    if _names_a_service(turn) or tracker.get_slot("layanan"):
        return False
    if not (turn.first("wilayah") or tracker.get_slot("wilayah")):
        return False
    if any(key in office.OFFICE_WIDE for key in turn.values("komponen")):
        return True
    regions = office.office_regions(tracker, turn, knowledge)
    if turn.first("rincian") and office.named_in_office_lines(knowledge, regions, turn):
        return True
    # "petugas di sana harus bisa komunikasi yang baik sama pemohon?": a line of its own says it
    return office.line_of_the_office(knowledge, regions, office.asked_of_the_office(turn)) is not None


def _asks_if_served_here(turn: Turn) -> bool:
    """Whether the message asks if this office handles something ("bisa di sini?", "ke kantor
    ini?": knowledge/lexicon/pertanyaan.yml `di_sini`)."""
    from bot import lexicon
    from bot.nlu.normalize import normalize

    said = " ".join(t.norm for t in normalize(turn.text))
    return any(f" {phrase} " in f" {said} " for phrase in lexicon.words("pertanyaan", "di_sini"))


def _not_served_here(tracker: Tracker, knowledge: Knowledge, turn: Turn) -> Optional[str]:
    """ "mau tambah daya listrik rumah, ngajuinnya ke kantor ini?": whether this office handles a
    thing, with no service of ours named or being discussed and no line of the office naming it:
    the thing asked (for the honest "not among our standards"), else None."""
    from actions import office

    thing = turn.span_text("rincian")
    if not thing or _names_a_service(turn) or tracker.get_slot("layanan") or turn.values("sebagian"):
        return None
    if not _asks_if_served_here(turn):
        return None
    if office.named_in_office_lines(knowledge, office.office_regions(tracker, turn, knowledge), turn):
        return None  # "ada pojok baca di sini?": the office's own (any word of it in its lines)
    return thing


def _threshold_asked(knowledge: Knowledge, standard: Standard, turn: Turn) -> bool:
    """Whether a threshold is asked: a word of what one measures, unless the question hands a
    document in without a number or a word of limits and a line answers its detail words ("nama
    calon karyawannya harus disetor?" asks for the list of names, not the workforce)."""
    from actions import detail

    measured = turn.values("ambang")
    if not measured:
        return False
    if "ya" in measured or any(ch.isdigit() for ch in turn.text) or not turn.first("rincian"):
        return True
    if not detail.says_handing_in(turn):
        return True  # "berapa hektar maksimal ...", "baru beroperasi setahun ...": a threshold
    return not detail.find_lines(knowledge, [standard.id], turn.first("rincian") or "", [])


def _switched_service(resolution: Resolution, keys: list[str], tracker: Tracker) -> bool:
    """ "kantor Balangan gimana ketentuannya?" after a service of another region: the same service
    there (its namesake), when what is asked belongs to a service rather than to an office."""
    current = tracker.get_slot("layanan")
    return bool(
        current
        and resolution.status == "found"
        and resolution.standard is not None
        and resolution.standard.id != current
        and keys
        and all(key in KOMPONEN_LAYANAN for key in keys)
    )


def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, turn: Turn
) -> list[EventType]:
    """Every knowledge question goes through here (see the module docstring for the order)."""
    from actions import detail, office, reference

    keys = requested_components(turn, tracker)
    if (
        turn.values("saringan")
        and not turn.values("layanan")
        and (turn.intent == "browse_layanan" or turn.values("sektor") or not tracker.get_slot("layanan"))
    ):
        filtered = reference.answer_filtered(dispatcher, tracker, knowledge, turn)
        if filtered is not None:
            return filtered
    resolution = resolve_standard(tracker, knowledge, turn)
    if resolution.outside or resolution.status == "ambiguous":
        about_office = _as_office_words(tracker, knowledge, turn)
        if about_office is not None:
            turn, resolution = about_office, Resolution("unspecified")
    events = context_events(resolution)
    if keys and (turn.values("komponen") or turn.intent in INTENT_KOMPONEN):
        # Remembered even when the standard is still unclear: the choice that follows answers it.
        events.append(SlotSet("komponen", keys[0]))
    if resolution.outside or turn.values("layanan"):
        answered = _answer_as_document(dispatcher, tracker, knowledge, turn)
        if answered is not None:
            return answered
    if resolution.outside:
        return events + send_outside(dispatcher, tracker, knowledge, turn, resolution.keyword or turn.text)
    if turn.values("perbandingan") and resolution.status in ("found", "ambiguous"):
        if reference.answer_comparison(dispatcher, knowledge, resolution, turn, keys):
            return events
    office_asked = (
        bool(
            turn.values("kantor")
            or (resolution.status == "unspecified" and _office_asked_in_context(tracker, knowledge, turn))
        )
        and not _names_a_service(turn)
        and not _switched_service(resolution, keys, tracker)
    )
    regions = office.office_regions(tracker, turn, knowledge)
    asked_of_office = office.asked_of_the_office(turn)
    office_query = None
    if office_asked and keys:
        # "mereka juga harus paham aturan perundang-undangan?": a line of the staff's competence,
        # not the legal basis its cue words name.
        line = office.line_beside_the_asked(knowledge, regions, asked_of_office, keys)
        if line is not None:
            keys, office_query = [line.passage.komponen], asked_of_office
    if office_asked and not keys and turn.first("rincian"):
        # "apakah di DPMPTSP ada pungli?": the component the office's lines about it are in.
        keys = office.components_about(knowledge, regions, turn)
    if office_asked and not keys:
        line = office.line_of_the_office(knowledge, regions, asked_of_office)
        if line is not None:
            keys, office_query = [line.passage.komponen], asked_of_office
    if keys and (resolution.status == "unspecified" or office_asked):
        wide = office.answerable(knowledge, regions, keys, asked_for_office=office_asked)
        if not wide and office_asked and turn.first("rincian"):
            # "surat dari DPMPTSP pakai cap basah?": not a component of a whole office, but its
            # standards' lines say it.
            wide = office.components_about(knowledge, regions, turn)
        if wide and office.answer_office(dispatcher, knowledge, regions, wide, turn, office_query):
            # The office was the subject: a name part said on the way ("kendaraan operasional")
            # leaves no candidates for the next question; the region answered becomes the context.
            events = [e for e in events if e.get("name") not in ("layanan_kandidat", "wilayah")]
            events.append(SlotSet("layanan_kandidat", None))
            if len(regions) == 1:
                events.append(SlotSet("wilayah", regions[0].id))
            if "pengaduan" in wide:
                events += send_office_contacts(dispatcher, tracker, knowledge, turn)
                offer_complaint_form(dispatcher)
            return events
    if resolution.status == "unspecified" and keys == ["pengaduan"]:
        # "mau komplain ke mana?" without a standard: the office handles complaints.
        events += send_office_contacts(dispatcher, tracker, knowledge, turn)
        offer_complaint_form(dispatcher)
        return events
    if resolution.status == "unspecified" and turn.values("ambang") and turn.values("sektor"):
        # "anggota kami 35 orang, sudah bisa buka jaringan pelayanan koperasi?": the sector's
        # services whose lines state that threshold.
        measured = detail.sector_threshold(knowledge, turn, known_region(tracker, turn, knowledge))
        if detail.answer_threshold(dispatcher, knowledge, measured, turn):
            return events
    if resolution.status != "found" or resolution.standard is None:
        if resolution.status == "ambiguous" and detail.answer_threshold(
            dispatcher, knowledge, list(resolution.choices), turn
        ):
            return events
        thing = _not_served_here(tracker, knowledge, turn) if resolution.status == "unspecified" else None
        if thing:
            # "mau daftar nikah, berkasnya diserahkan ke sini?": no service of ours is asked about
            return events + send_outside(dispatcher, tracker, knowledge, turn, thing)
        send_unresolved(dispatcher, resolution, knowledge)
        return events
    standard = resolution.standard
    extra = related_buttons(resolution, knowledge)
    if _threshold_asked(knowledge, standard, turn) and detail.answer_threshold(
        dispatcher, knowledge, [standard], turn
    ):
        if keys and turn.values("komponen"):
            # "cukup daftar usaha peternakan? syaratnya apa": the thresholds, then what was asked.
            send_components(dispatcher, standard, keys, knowledge, extra)
        return events
    if detail.answer_detail(dispatcher, knowledge, standard, turn, keys):
        return events
    if keys:
        send_components(dispatcher, standard, keys, knowledge, extra)
        if "pengaduan" in keys:
            offer_complaint_form(dispatcher)
    else:
        send_overview(dispatcher, standard, extra)
    return events


def offer_complaint_form(dispatcher: CollectingDispatcher) -> None:
    """Whoever asks where to complain may want to complain now: offer the form (issue 4) as a button."""
    dispatcher.utter_message(response="utter_tawarkan_form_pengaduan")


class ActionJawabKomponen(KnowledgeAction):
    """ask_persyaratan, ask_biaya, ... ask_komponen_internal: one or more components of a standard."""

    def name(self) -> str:
        return "action_jawab_komponen"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        return answer_question(dispatcher, tracker, knowledge, Turn.of(tracker))


class ActionRingkasanLayanan(KnowledgeAction):
    """ask_ringkasan: the overview card with a button for each component."""

    def name(self) -> str:
        return "action_ringkasan_layanan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        specific = ("komponen", "rincian", "saringan", "perbandingan", "ambang", "peralihan")
        if any(turn.values(entity) for entity in specific) or switches_region(turn, tracker):
            # "Show the overview only when nothing specific is asked."
            return answer_question(dispatcher, tracker, knowledge, turn)
        resolution = resolve_standard(tracker, knowledge, turn)
        # No component pending: a choice that follows shows the card, not an older component.
        events = [*context_events(resolution), SlotSet("komponen", None)]
        if resolution.outside:
            thing = resolution.keyword or turn.text
            return events + send_outside(dispatcher, tracker, knowledge, turn, thing)
        if resolution.status == "found" and resolution.standard is not None:
            send_overview(dispatcher, resolution.standard, related_buttons(resolution, knowledge))
        else:
            send_unresolved(dispatcher, resolution, knowledge)
        return events


class ActionJawabLayanan(KnowledgeAction):
    """inform_layanan / pilih_layanan: "izin toko obat", "kalau di OKI?", a button choice."""

    def name(self) -> str:
        return "action_jawab_layanan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        named = _names_a_service(turn) or turn.values("wilayah") or turn.values("luar_layanan")
        named = named or turn.values("sebagian") or turn.values("komponen")
        # "terus kalau penyimpanannya?": words only a relative of the current service has.
        named = named or relative_named(turn, knowledge.standard(tracker.get_slot("layanan")), knowledge)
        if not (named or chosen_id(turn, tracker.get_slot("layanan_kandidat")) or turn.values("saringan")):
            # The user named something the linker did not recognise: not found, never the last one again.
            dispatcher.utter_message(response="utter_layanan_tidak_ditemukan")
            return [SlotSet("layanan_kandidat", None)]
        return answer_question(dispatcher, tracker, knowledge, turn)


class ActionFallbackLayanan(KnowledgeAction):
    """nlu_fallback: when the intent is unsure but the linker recognised a service, region or
    component, answer from those; otherwise ask the user to rephrase."""

    def name(self) -> str:
        return "action_fallback_layanan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        if (
            asks_contacts(turn)
            and not _names_a_service(turn)
            and not turn.first("rincian")  # "nomor sertifikatnya dikasih sama bagian apa?"
            and set(turn.values("komponen")) <= {"prosedur"}
        ):
            # "DPMPTSP Balangan bisa saya hubungi lewat apa saja?": how to reach it, not its procedure
            return send_office_contacts(dispatcher, tracker, knowledge, turn)
        if entities_ask(turn, tracker) or _office_asked_in_context(tracker, knowledge, turn):
            return answer_question(dispatcher, tracker, knowledge, turn)
        thing = _not_served_here(tracker, knowledge, turn)
        if thing:
            return send_outside(dispatcher, tracker, knowledge, turn, thing)
        if turn.values("kantor"):
            # "minta nomor yang bisa ditelpon di dpmptsp Balangan donk": the office named, nothing
            # else understood: where to ask.
            return send_office_contacts(dispatcher, tracker, knowledge, turn)
        dispatcher.utter_message(response="utter_fallback")
        return []


def entities_ask(turn: Turn, tracker: Tracker) -> bool:
    """Whether the entities alone make a knowledge question, whatever the intent: a service, a
    permit no office here has, a filter or a choice named; or a component, a detail or a switch with
    the conversation's service or region ("caranya gimana tuh?" after a service)."""
    current = tracker.get_slot("layanan")
    return bool(
        _names_a_service(turn)
        or turn.values("luar_layanan")
        or turn.values("sebagian")
        or turn.values("saringan")
        or chosen_id(turn, tracker.get_slot("layanan_kandidat"))
        # "saya tinggalnya di OKI" after a choice between regions' namesakes
        or (turn.values("wilayah") and tracker.get_slot("layanan_kandidat"))
        or (turn.values("komponen") and (current or turn.values("wilayah")))
        or (turn.values("komponen") and (turn.values("kantor") or tracker.get_slot("wilayah")))
        or (turn.values("kantor") and turn.values("rincian"))
        or (turn.values("ambang") and turn.values("sektor"))
        or (turn.values("rincian") and current)
        # "utnuk Balngan bagaimaa?": the same question about the current service, elsewhere.
        or (turn.values("peralihan") and turn.values("wilayah") and current)
        or switches_region(turn, tracker)
    )


# Entities that make a message more than "the same, but in that region".
_MORE_THAN_A_REGION = (
    "layanan", "layanan_kandidat", "luar_layanan", "sebagian", "komponen", "rincian", "saringan",
    "kantor", "perbandingan", "ambang",
)  # fmt: skip


def switches_region(turn: Turn, tracker: Tracker) -> bool:
    """A region named and nothing else asked, with a service in context ("nah kalo di Balangan",
    "sementara itu untuk Kabupaten Balangan?", "saya orang OKI, berlaku juga?"): the question before,
    about that region's namesake, whatever the intent made of the other words."""
    return bool(
        turn.values("wilayah")
        and tracker.get_slot("layanan")
        and not any(turn.values(entity) for entity in _MORE_THAN_A_REGION)
    )


class ActionDiLuarLayanan(KnowledgeAction):
    """out_of_scope: a permit or document no office here handles gets an honest "not among our N
    standards" with the office's contacts; a service the linker did recognise is answered after
    all; anything else (weather, football) gets the polite out-of-scope reply."""

    def name(self) -> str:
        return "action_di_luar_layanan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        if turn.values("saringan") or (turn.values("ambang") and turn.values("sektor")):
            # a filter, or a threshold asked of a sector ("minimal umur koperasi untuk buka cabang?")
            return answer_question(dispatcher, tracker, knowledge, turn)
        outside = turn.values("luar_layanan")
        if outside:
            answered = _answer_as_document(dispatcher, tracker, knowledge, turn)
            if answered is not None:
                return answered
            return [SlotSet("layanan", None), *send_outside(dispatcher, tracker, knowledge, turn, outside[0])]
        if turn.values("layanan"):
            return answer_question(dispatcher, tracker, knowledge, turn)
        switched = (turn.values("peralihan") and turn.values("wilayah")) or switches_region(turn, tracker)
        asked = switched or turn.values("komponen") or turn.values("sebagian")
        if (tracker.get_slot("layanan") and (asked or _detail_of_current(tracker, knowledge, turn))) or (
            _office_asked_in_context(tracker, knowledge, turn)
        ):
            # "sedangkan di OKI?", "caranya gimana tuh?", "nah pendiriannya?", a line of it: about
            # the service just discussed or its relative (not any other words: "siapa juara piala
            # dunia" after a service is still out of scope).
            return answer_question(dispatcher, tracker, knowledge, turn)
        thing = _not_served_here(tracker, knowledge, turn)
        if thing:
            return send_outside(dispatcher, tracker, knowledge, turn, thing)
        dispatcher.utter_message(response="utter_out_of_scope")
        if any(turn.values(cue) for cue in ("rincian", "jenis_tanya", "komponen", "layanan_kandidat")):
            # A question about something else the office may know of: where to ask.
            return send_office_contacts(dispatcher, tracker, knowledge, turn)
        return []


class ActionKemampuan(KnowledgeAction):
    """bot_capabilities ("kamu bisa bantu apa?"): what the assistant does; a question about a named
    service that the classifier took for one ("perlu IUP tanaman pangan atau cukup daftar?") is
    answered after all: the entities say more than an unsure intent."""

    def name(self) -> str:
        return "action_kemampuan"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
    ) -> list[EventType]:
        turn = Turn.of(tracker)
        # "kalau SIUP bisa di sini?": whether this office serves a service, or a thing no office here has
        here = _asks_if_served_here(turn)
        asks = any(turn.values(cue) for cue in ("komponen", "ambang", "rincian", "saringan", "peralihan"))
        if (_names_a_service(turn) and (asks or here)) or turn.values("luar_layanan"):
            # ... or "perpanjang SIM A bisa di kantor ini?": a thing no office here handles
            return answer_question(dispatcher, tracker, knowledge, turn)
        thing = _not_served_here(tracker, knowledge, turn) if here else None
        if thing:
            return send_outside(dispatcher, tracker, knowledge, turn, thing)
        dispatcher.utter_message(response="utter_capabilities")
        return []
