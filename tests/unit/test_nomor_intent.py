"""A message with an office-format application number asks for its status (bot/nlu/nomor.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.nomor import ApplicationNumberIntent, application_number_in


@pytest.mark.parametrize(
    "text, expected",
    [
        ("posisi berkas no 503/0099/ss/2026 di mana sekarang?", True),
        ("berkas 503 / 0612 / SIPB / 2026 kok belum ada kabar", True),
        ("nomor permohonan IPUI / 0005 / OKI / 2026, statusnya apa?", True),
        ("cek sip 0117 blg 2026", True),
        ("503/IZ/2026", True),
        ("saya datang tanggal 01/12/2026", False),  # a date
        ("biayanya Rp 1.500.000 ya?", False),  # an amount
        ("buka jam 08.00 - 16.00", False),
        ("izin apotek/toko obat/klinik", False),  # no digits
        ("syarat SIP bidan apa aja?", False),
    ],
)
def test_the_shapes_of_an_application_number(text, expected):
    assert application_number_in(text) is expected


def _message(text: str, intent: str, confidence: float, entities=()) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    message.set(ENTITIES, list(entities))
    return message


def _component() -> ApplicationNumberIntent:
    return ApplicationNumberIntent(ApplicationNumberIntent.get_default_config())


def test_a_number_taken_for_a_form_answer_outside_a_form_asks_for_its_status():
    message = _message("posisi berkas no 503/0451/IZ/2026 di mana sekarang?", "inform", 0.65)
    _component().process([message])
    assert message.get(INTENT)["name"] == "cek_status_permohonan"


def test_a_number_in_an_unseen_frame_asks_for_its_status():
    message = _message("posisi berkas no 503/0099/ss/2026 di mana sekarang?", "ask_prosedur", 0.3)
    _component().process([message])
    assert message.get(INTENT) == {"name": "cek_status_permohonan", "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["cek_status_permohonan", "ask_prosedur"]


def test_a_decided_number_is_never_an_ambiguous_prediction():
    """The fallback's ambiguity check compares the first two of the ranking: a close second guess of
    the classifier must not turn the decided status question into a fallback."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    message = _message("gimana kabar permohonan 510 0198 IUPI 2026 pak?", "ask_jangka_waktu", 0.97)
    _component().process([message])
    fallback = FallbackClassifier(
        {**FallbackClassifier.get_default_config(), "threshold": 0.5, "ambiguity_threshold": 0.05}
    )
    fallback.process([message])
    assert message.get(INTENT)["name"] == "cek_status_permohonan"


def test_an_unsure_status_question_with_a_number_is_decided():
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    message = _message("kabarnya gimana ya utk 503 0451 IZ 2026?", "cek_status_permohonan", 0.4)
    _component().process([message])
    assert message.get(INTENT) == {"name": "cek_status_permohonan", "confidence": 1.0}
    fallback = FallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.7})
    fallback.process([message])
    assert message.get(INTENT)["name"] == "cek_status_permohonan"


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        # a form's answer that is only the number; a complaint that mentions its application
        ("503/0451/IZ/2026", "inform", []),
        ("SIP / 0117 / BLG / 2026.", "inform", []),
        ("mau mengadu, permohonan 503/0451/IZ/2026 lama sekali", "ajukan_pengaduan", []),
        # a complaint ticket is not an application
        ("cek tiket ADU-7K3M-9P2Q", "ask_prosedur", [{"entity": "kode_tiket", "value": "ADU-7K3M-9P2Q"}]),
        # no number
        ("syarat SIP bidan apa aja?", "ask_persyaratan", []),
    ],
)
def test_the_intent_stays_when_the_number_is_something_else(text, intent, entities):
    message = _message(text, intent, 0.9, entities)
    _component().process([message])
    assert message.get(INTENT)["name"] == intent


def test_a_status_question_about_a_permit_no_office_here_issues_is_out_of_scope():
    outside = [{"entity": "luar_layanan", "value": "izin senjata"}]
    message = _message("tolong bantu saya buat izin senjata api kak", "cek_status_permohonan", 0.8, outside)
    _component().process([message])
    assert message.get(INTENT)["name"] == "out_of_scope"
    # with a number it is still the application's status
    numbered = _message("status izin senjata 503/0451/IZ/2026?", "cek_status_permohonan", 0.8, outside)
    _component().process([numbered])
    assert numbered.get(INTENT)["name"] == "cek_status_permohonan"
