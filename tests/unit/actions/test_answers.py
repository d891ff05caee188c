"""Knowledge answers: the right standard, its data only, context kept, choices asked, honesty."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import (
    ActionFallbackLayanan,
    ActionJawabKomponen,
    ActionJawabLayanan,
    ActionRingkasanLayanan,
)
from actions.base import KnowledgeAction
from tests.conftest import make_tracker

BIDAN = "balangan-surat-izin-praktik-bidan"
PIRT_BLG = "balangan-sertifikat-produksi-pangan-industri-rumah-tangga"
PIRT_OKI = "ogan-komering-ilir-sertifikat-produksi-pangan-industri-rumah-tangga"
KAS = "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam"
APOTEK = "balangan-izin-apotek"


def slots(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def payloads(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or ()]


async def test_requirements_of_the_named_standard_with_citation(run_action):
    tracker = make_tracker(
        "kak syarat bikin sip bidan apa aja?",
        "ask_persyaratan",
        [("layanan", BIDAN, "sip bidan"), ("komponen", "persyaratan", "syarat")],
    )
    events, messages = await run_action(ActionJawabKomponen, tracker)
    # one chat message, no blank line (Rasa's channels would cut it into one message per paragraph)
    assert len(messages) == 1 and "\n\n" not in messages[0]["text"]
    text = texts(messages)
    assert "Persyaratan - Surat Izin Praktik Bidan (Kabupaten Balangan):" in text
    for line in ("1. Surat permohonan", "   a. KTP", "   b. STR Bidan", "3. Pas foto 4x6 2 lembar"):
        assert line in text.splitlines()
    assert text.splitlines()[-1] == (
        "Sumber: Surat Izin Praktik Bidan, Kabupaten Balangan, "
        "Keputusan Kepala DPMPTSP Kabupaten Balangan Nomor 188.45/25/TAHUN 2021"
    )
    assert slots(events) == {
        "layanan": BIDAN,
        "wilayah": "balangan",
        "layanan_kandidat": None,
        "komponen": "persyaratan",
    }


@pytest.mark.parametrize(
    ("text", "intent", "komponen", "expected"),
    [
        ("biayanya?", "ask_biaya", "biaya", "Rp.0,00"),
        ("berapa lama?", "ask_jangka_waktu", None, "12 (dua belas) hari kerja"),
        ("prosedurnya gimana", "ask_prosedur", "prosedur", "2. Verifikasi berkas"),
    ],
)
async def test_follow_up_answers_the_standard_in_context(run_action, text, intent, komponen, expected):
    entities = [("komponen", komponen)] if komponen else []
    tracker = make_tracker(text, intent, entities, slots={"layanan": BIDAN, "wilayah": "balangan"})
    events, messages = await run_action(ActionJawabKomponen, tracker)
    assert expected in texts(messages)
    assert "Sumber: Surat Izin Praktik Bidan" in texts(messages)
    assert slots(events)["layanan"] == BIDAN


async def test_several_components_in_one_question(run_action):
    tracker = make_tracker(
        "syarat dan biaya sip bidan",
        "ask_persyaratan",
        [("layanan", BIDAN), ("komponen", "persyaratan"), ("komponen", "biaya")],
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    text = texts(messages)
    assert "1. Surat permohonan" in text and "Rp.0,00" in text
    assert text.count("Sumber:") == 1 and text.splitlines()[-1].startswith("Sumber:")


async def test_other_region_switches_to_the_namesake_there(run_action):
    tracker = make_tracker(
        "kalau di OKI?",
        "inform_layanan",
        [("wilayah", "ogan-komering-ilir", "OKI")],
        slots={"layanan": PIRT_BLG, "wilayah": "balangan", "komponen": "biaya"},
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    text = texts(messages)
    assert "Rp 100.000" in text and "Rp.0,00" not in text
    assert "Sumber: Sertifikat Produksi Pangan Industri Rumah Tangga, Kabupaten Ogan Komering Ilir" in text
    assert slots(events)["layanan"] == PIRT_OKI
    assert slots(events)["wilayah"] == "ogan-komering-ilir"


async def test_other_region_without_that_service_says_so(run_action):
    tracker = make_tracker(
        "kalau di OKI?",
        "inform_layanan",
        [("wilayah", "ogan-komering-ilir", "OKI")],
        slots={"layanan": BIDAN, "wilayah": "balangan", "komponen": "persyaratan"},
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    assert messages[0]["response"] == "utter_layanan_tidak_ada_di_wilayah"
    assert messages[0]["wilayah_nama"] == "Kabupaten Ogan Komering Ilir"
    assert "Surat permohonan" not in texts(messages)  # never the other region's data
    assert '/browse_layanan{"wilayah":"ogan-komering-ilir"}' in payloads(messages)
    assert slots(events) == {"layanan": None, "wilayah": "ogan-komering-ilir", "layanan_kandidat": None}


async def test_switching_standard_keeps_the_component_asked(run_action):
    tracker = make_tracker(
        "terus izin apotek?",
        "inform_layanan",
        [("layanan", APOTEK, "izin apotek")],
        slots={"layanan": BIDAN, "wilayah": "balangan", "komponen": "persyaratan"},
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    text = texts(messages)
    assert "Persyaratan - Izin Apotek (Kabupaten Balangan):" in text
    assert "Surat permohonan" not in text
    assert slots(events)["layanan"] == APOTEK


async def test_long_list_is_split_into_chat_sized_messages(run_action):
    tracker = make_tracker("syarat izin apotek", "ask_persyaratan", [("layanan", APOTEK)])
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert len(messages) > 1
    assert all(len(m["text"]) <= 4096 for m in messages)
    lines = texts(messages).splitlines()
    assert "1. Dokumen pendukung nomor 1 yang dilampirkan" in lines
    assert "200. Dokumen pendukung nomor 200 yang dilampirkan" in lines
    assert messages[-1]["text"].splitlines()[-1].startswith("Sumber: Izin Apotek")


async def test_ambiguous_service_in_two_regions_asks_for_the_region(run_action):
    tracker = make_tracker(
        "syarat pirt",
        "ask_persyaratan",
        [("layanan_kandidat", PIRT_BLG, "pirt"), ("layanan_kandidat", PIRT_OKI, "pirt")],
    )
    events, messages = await run_action(ActionJawabKomponen, tracker)
    assert len(messages) == 1
    assert messages[0]["response"] == "utter_pilih_layanan_wilayah"
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Kabupaten Balangan",
        "Kabupaten Ogan Komering Ilir",
    ]
    payload = messages[0]["buttons"][1]["payload"]
    assert payload.startswith("/pilih_layanan") and json.loads(payload[len("/pilih_layanan") :]) == {
        "layanan": PIRT_OKI
    }
    assert slots(events)["layanan_kandidat"] == [PIRT_BLG, PIRT_OKI]
    assert slots(events)["komponen"] == "persyaratan"  # answered after the choice


async def test_ambiguous_service_with_a_known_region_is_answered_for_that_region(run_action):
    tracker = make_tracker(
        "biaya pirt",
        "ask_biaya",
        [("layanan_kandidat", PIRT_BLG), ("layanan_kandidat", PIRT_OKI)],
        slots={"wilayah": "ogan-komering-ilir"},
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert "Rp 100.000" in texts(messages) and "Kabupaten Ogan Komering Ilir" in texts(messages)


async def test_default_region_from_the_environment(run_action, monkeypatch):
    monkeypatch.setenv("PANDU_WILAYAH_DEFAULT", "ogan-komering-ilir")
    tracker = make_tracker(
        "biaya pirt", "ask_biaya", [("layanan_kandidat", PIRT_BLG), ("layanan_kandidat", PIRT_OKI)]
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert "Rp 100.000" in texts(messages)


async def test_unknown_default_region_serves_all_regions(run_action, monkeypatch):
    monkeypatch.setenv("PANDU_WILAYAH_DEFAULT", "atlantis")
    tracker = make_tracker(
        "biaya pirt", "ask_biaya", [("layanan_kandidat", PIRT_BLG), ("layanan_kandidat", PIRT_OKI)]
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert messages[0]["response"] == "utter_pilih_layanan_wilayah"


async def test_choice_offers_at_most_five_buttons(run_action):
    ids = [BIDAN, PIRT_BLG, KAS, APOTEK, PIRT_OKI, "ogan-komering-ilir-izin-usaha-perluasan-industri"]
    tracker = make_tracker("izin usaha", "ask_persyaratan", [("layanan_kandidat", i, "izin") for i in ids])
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert messages[0]["response"] == "utter_pilih_layanan"
    assert messages[0]["kata_kunci"] == "izin"
    assert len(messages[0]["buttons"]) == 5
    assert all(p.startswith('/pilih_layanan{"layanan":') for p in payloads(messages))


async def test_button_choice_answers_the_pending_component(run_action):
    tracker = make_tracker(
        f'/pilih_layanan{{"layanan":"{PIRT_OKI}"}}',
        "pilih_layanan",
        [("layanan", PIRT_OKI)],
        slots={"komponen": "biaya", "layanan_kandidat": [PIRT_BLG, PIRT_OKI]},
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    assert "Rp 100.000" in texts(messages)
    assert slots(events)["layanan_kandidat"] is None


async def test_reply_naming_a_region_picks_among_the_offered_choices(run_action):
    tracker = make_tracker(
        "yang di oki",
        "inform_layanan",
        [("wilayah", "ogan-komering-ilir", "oki")],
        slots={"komponen": "biaya", "layanan_kandidat": [PIRT_BLG, PIRT_OKI]},
    )
    _, messages = await run_action(ActionJawabLayanan, tracker)
    assert "Rp 100.000" in texts(messages)


async def test_empty_component_is_not_listed_with_office_contact_and_no_other_data(run_action):
    tracker = make_tracker("syarat buka kantor kas koperasi", "ask_persyaratan", [("layanan", KAS)])
    _, messages = await run_action(ActionJawabKomponen, tracker)
    text = texts(messages)
    assert "Persyaratan untuk Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam (Kabupaten Balangan)" in text
    assert "tidak tercantum dalam standar pelayanan ini" in text
    assert "DPMPTSP Kabupaten Balangan" in text and "0526-000111" in text
    assert "Surat permohonan" not in text and "Dokumen pendukung" not in text
    assert text.splitlines()[-1].startswith("Sumber: Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam")


async def test_internal_component_for_staff(run_action):
    tracker = make_tracker(
        "kompetensi pelaksana sip bidan",
        "ask_komponen_internal",
        [("layanan", BIDAN), ("komponen", "kompetensi")],
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert "kompetensi Surat Izin Praktik Bidan" in texts(messages)


async def test_unknown_service_is_not_answered_with_the_previous_one(run_action):
    # The NLU marks a permit no office here handles (luar_layanan); never the previous standard.
    tracker = make_tracker(
        "syarat izin tambang emas",
        "ask_persyaratan",
        [("komponen", "persyaratan", "syarat"), ("luar_layanan", "izin tambang", "izin tambang")],
        slots={"layanan": BIDAN, "wilayah": "balangan"},
    )
    events, messages = await run_action(ActionJawabKomponen, tracker)
    assert messages[0]["response"] == "utter_bukan_layanan_kami" and messages[0]["hal"] == "izin tambang"
    assert "Surat permohonan" not in texts(messages) and "Sumber: Surat Izin" not in texts(messages)
    assert "0526-000111" in texts(messages)  # the office's contacts
    assert slots(events)["layanan"] is None


async def test_question_without_any_service_asks_which_one(run_action):
    _, messages = await run_action(ActionJawabKomponen, make_tracker("biayanya berapa?", "ask_biaya"))
    assert [m["response"] for m in messages] == ["utter_ask_layanan"]


async def test_forged_button_payload_with_unknown_id_is_not_found(run_action):
    tracker = make_tracker(
        '/pilih_layanan{"layanan":"x; DROP TABLE"}', "pilih_layanan", [("layanan", "x; DROP TABLE")]
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    assert [m["response"] for m in messages] == ["utter_layanan_tidak_ditemukan"]
    assert slots(events)["layanan"] is None


async def test_overview_card_with_buttons_for_each_component(run_action):
    tracker = make_tracker(
        "semua tentang sip bidan", "ask_ringkasan", [("layanan", BIDAN)], slots={"komponen": "biaya"}
    )
    events, messages = await run_action(ActionRingkasanLayanan, tracker)
    text = texts(messages)
    assert "Produk: Surat Izin Praktik Bidan (SIPB)" in text
    assert "Jangka waktu: 12 (dua belas) hari kerja" in text
    assert "Persyaratan: 3 butir" in text
    assert text.splitlines()[-1].startswith("Sumber: Surat Izin Praktik Bidan")
    assert f'/ask_persyaratan{{"layanan":"{BIDAN}"}}' in payloads(messages)
    assert f'/ask_biaya{{"layanan":"{BIDAN}"}}' in payloads(messages)
    assert slots(events)["komponen"] is None


async def test_service_named_alone_without_context_gets_the_overview(run_action):
    _, messages = await run_action(
        ActionJawabLayanan, make_tracker("sip bidan", "inform_layanan", [("layanan", BIDAN)])
    )
    assert "Persyaratan: 3 butir" in texts(messages)


async def test_region_named_alone_asks_for_the_service(run_action):
    tracker = make_tracker("saya di oki", "inform_layanan", [("wilayah", "ogan-komering-ilir", "oki")])
    _, messages = await run_action(ActionJawabLayanan, tracker)
    assert messages[0]["response"] == "utter_wilayah_dipilih"
    assert messages[0]["wilayah_nama"] == "Kabupaten Ogan Komering Ilir"


async def test_fallback_uses_recognised_entities(run_action):
    tracker = make_tracker("sip bidan biaya??", "nlu_fallback", [("layanan", BIDAN), ("komponen", "biaya")])
    _, messages = await run_action(ActionFallbackLayanan, tracker)
    assert "Rp.0,00" in texts(messages)


async def test_an_unsure_region_switch_is_answered_for_the_current_service(run_action):
    # "utnuk OKI bagaimaa?": typos leave the intent unsure, the switch and the region are clear.
    tracker = make_tracker(
        "utnuk OKI bagaimaa?",
        "nlu_fallback",
        [("peralihan", "ya", "utnuk"), ("wilayah", "ogan-komering-ilir", "OKI")],
        slots={"layanan": PIRT_BLG, "wilayah": "balangan", "komponen": "biaya"},
    )
    events, messages = await run_action(ActionFallbackLayanan, tracker)
    assert "Rp 100.000" in texts(messages)
    assert slots(events)["layanan"] == PIRT_OKI


async def test_a_component_taken_for_out_of_scope_is_answered_for_the_current_service(run_action):
    from actions.answers import ActionDiLuarLayanan

    # "caranya gimana tuh?" after a service: its procedure, not "outside what I do".
    tracker = make_tracker(
        "caranya gimana tuh?", "out_of_scope", [("komponen", "prosedur", "caranya")], slots={"layanan": BIDAN}
    )
    _, messages = await run_action(ActionDiLuarLayanan, tracker)
    assert all(m.get("response") != "utter_out_of_scope" for m in messages)
    assert "Prosedur" in texts(messages)
    # other words after a service stay out of scope
    words = [("rincian", "juara piala dunia")]
    other = make_tracker("siapa juara piala dunia", "out_of_scope", words, slots={"layanan": BIDAN})
    _, messages = await run_action(ActionDiLuarLayanan, other)
    assert messages[0]["response"] == "utter_out_of_scope"


async def test_fallback_without_entities_asks_to_rephrase(run_action):
    _, messages = await run_action(ActionFallbackLayanan, make_tracker("asdfgh", "nlu_fallback"))
    assert [m["response"] for m in messages] == ["utter_fallback"]


async def test_database_failure_gives_a_clear_message_not_a_crash():
    from rasa_sdk.executor import CollectingDispatcher

    def broken_factory():
        raise RuntimeError("database is down")

    dispatcher = CollectingDispatcher()
    action: KnowledgeAction = ActionJawabKomponen(session_factory=broken_factory)
    events = await action.run(
        dispatcher, make_tracker("syarat sip bidan", "ask_persyaratan", [("layanan", BIDAN)]), {}
    )
    assert events == []
    assert "tidak bisa dibaca" in dispatcher.messages[0]["text"]


def test_slot_events_are_rasa_events():
    assert SlotSet("layanan", BIDAN) == {
        "event": "slot",
        "timestamp": None,
        "name": "layanan",
        "value": BIDAN,
    }


async def test_service_message_without_a_recognised_service_is_not_found(run_action):
    tracker = make_tracker(
        "izin bikin kolam renang?", "inform_layanan", slots={"layanan": BIDAN, "komponen": "biaya"}
    )
    _, messages = await run_action(ActionJawabLayanan, tracker)
    assert [m["response"] for m in messages] == ["utter_layanan_tidak_ditemukan"]


async def test_complaint_question_without_a_standard_gives_the_office(run_action):
    tracker = make_tracker(
        "kalau mau komplain kemana?", "ask_pengaduan", [("komponen", "pengaduan")], {"wilayah": "balangan"}
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    text = texts(messages)
    assert "DPMPTSP Kabupaten Balangan" in text and "0526-000111" in text
    assert text.splitlines()[-1].startswith("Sumber: DPMPTSP Kabupaten Balangan, Kabupaten Balangan")
    assert messages[-1].get("response") == "utter_tawarkan_form_pengaduan"


async def test_complaint_channels_of_a_standard_offer_the_complaint_form(run_action):
    tracker = make_tracker(
        "pengaduannya kemana?", "ask_pengaduan", [("komponen", "pengaduan")], {"layanan": BIDAN}
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert "Sumber: " in texts(messages)
    assert [m.get("response") for m in messages][-1] == "utter_tawarkan_form_pengaduan"


async def test_known_region_but_no_service_asks_which_service(run_action):
    tracker = make_tracker("biayanya?", "ask_biaya", [("komponen", "biaya")], slots={"wilayah": "balangan"})
    _, messages = await run_action(ActionJawabKomponen, tracker)
    assert [m["response"] for m in messages] == ["utter_ask_layanan"]


# --- typed choices ("nomor 2") and questions asked before choosing -----------------------------
@pytest.mark.parametrize(
    "position, chosen",
    [("2", PIRT_OKI), ("1", PIRT_BLG), ("-1", PIRT_OKI), ("3", None), ("0", None), ("x", None)],
)
def test_typed_choice_among_the_offered(position, chosen):
    from actions.base import Turn, chosen_id

    turn = Turn("nomor " + position, "pilih_layanan", [{"entity": "pilihan", "value": position}])
    assert chosen_id(turn, [PIRT_BLG, PIRT_OKI]) == chosen
    assert chosen_id(turn, None) is None and chosen_id(turn, []) is None


async def test_typed_number_answers_the_pending_component(run_action):
    tracker = make_tracker(
        "no 2 kak",
        "pilih_layanan",
        [("pilihan", "2", "2")],
        slots={"komponen": "biaya", "layanan_kandidat": [PIRT_BLG, PIRT_OKI]},
    )
    events, messages = await run_action(ActionJawabLayanan, tracker)
    assert "Rp 100.000" in texts(messages)
    assert slots(events)["layanan"] == PIRT_OKI and slots(events)["layanan_kandidat"] is None


async def test_typed_number_understood_even_when_the_intent_is_unsure(run_action):
    pending = {"komponen": "biaya", "layanan_kandidat": [PIRT_BLG, PIRT_OKI]}
    tracker = make_tracker("2", "nlu_fallback", [("pilihan", "2", "2")], slots=pending)
    _, messages = await run_action(ActionFallbackLayanan, tracker)
    assert "Rp 100.000" in texts(messages)


async def test_question_before_choosing_offers_the_same_choices_again(run_action):
    pending = {"layanan_kandidat": [PIRT_BLG, PIRT_OKI]}
    tracker = make_tracker("syaratnya apa", "ask_persyaratan", slots=pending)
    events, messages = await run_action(ActionJawabKomponen, tracker)
    assert sorted(p for p in payloads(messages)) == sorted(
        f'/pilih_layanan{{"layanan":"{i}"}}' for i in (PIRT_BLG, PIRT_OKI)
    )
    assert slots(events)["komponen"] == "persyaratan"
    assert "Surat permohonan" not in texts(messages)


async def test_component_words_win_over_a_disagreeing_intent(run_action):
    tracker = make_tracker(
        "kompetensinya",
        "ask_dasar_hukum",
        [("komponen", "kompetensi", "kompetensi")],
        slots={"layanan": BIDAN},
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    text = texts(messages)
    # the component typed first, the intent's after it
    assert text.index("kompetensi Surat Izin") < text.index("dasar_hukum Surat Izin")


async def test_services_named_together_are_offered_under_both_names(run_action):
    tracker = make_tracker(
        "syarat sip bidan sama izin apotek",
        "ask_persyaratan",
        [("layanan_kandidat", BIDAN, "sip bidan"), ("layanan_kandidat", APOTEK, "izin apotek")],
    )
    events, messages = await run_action(ActionJawabKomponen, tracker)
    assert messages[0]["response"] == "utter_pilih_layanan"
    assert messages[0]["kata_kunci"] == "sip bidan, izin apotek"
    assert slots(events)["layanan_kandidat"] == [BIDAN, APOTEK]


@pytest.mark.parametrize(
    "action, intent, text",
    [
        # nothing but a region after a service: the question before, whatever the intent made of it
        (ActionFallbackLayanan, "nlu_fallback", "nah kalo di OKI"),
        (ActionJawabKomponen, "ask_persyaratan", "saya orang OKI"),
        (ActionRingkasanLayanan, "ask_ringkasan", "sementara itu untuk OKI?"),
        (ActionJawabLayanan, "inform_layanan", "bagaimana dengan OKI?"),
    ],
)
async def test_a_region_alone_asks_the_same_question_there(run_action, action, intent, text):
    tracker = make_tracker(
        text,
        intent,
        [("wilayah", "ogan-komering-ilir", "OKI")],
        slots={"layanan": PIRT_BLG, "wilayah": "balangan", "komponen": "biaya"},
    )
    events, messages = await run_action(action, tracker)
    answer = texts(messages)
    assert "Rp 100.000" in answer and "Rp.0,00" not in answer
    assert "Sumber: Sertifikat Produksi Pangan Industri Rumah Tangga, Kabupaten Ogan Komering Ilir" in answer
    assert slots(events)["layanan"] == PIRT_OKI


async def test_a_region_with_a_component_word_asks_that_component(run_action):
    tracker = make_tracker(
        "syaratnya di OKI?",
        "ask_persyaratan",
        [("wilayah", "ogan-komering-ilir", "OKI"), ("komponen", "persyaratan", "syaratnya")],
        slots={"layanan": PIRT_BLG, "wilayah": "balangan", "komponen": "biaya"},
    )
    _, messages = await run_action(ActionJawabKomponen, tracker)
    answer = texts(messages)
    title = "Persyaratan - Sertifikat Produksi Pangan Industri Rumah Tangga (Kabupaten Ogan Komering Ilir)"
    assert title in answer
    assert "Rp 100.000" not in answer
