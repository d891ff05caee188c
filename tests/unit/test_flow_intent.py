"""A component question about a named service taken for the start of a form is that question
(bot/nlu/flow_intent.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.flow_intent import QuestionNotFlow

SERVICE = {"entity": "layanan", "value": "balangan-izin-apotek"}


def _message(intent: str, entities: list[dict]) -> Message:
    message = Message(data={TEXT: "..."})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(
        INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}, {"name": "ask_biaya", "confidence": 0.08}]
    )
    message.set(ENTITIES, entities)
    return message


def _run(message: Message) -> str:
    QuestionNotFlow(QuestionNotFlow.get_default_config()).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    "komponen, expected",
    [("biaya", "ask_biaya"), ("persyaratan", "ask_persyaratan"), ("sarana", "ask_komponen_internal")],
)
def test_a_component_of_a_named_service_is_asked_not_complained_about(komponen, expected):
    # "perlu keluar uang gak buat bikin izin apotek?" taken for the start of a complaint
    message = _message("ajukan_pengaduan", [SERVICE, {"entity": "komponen", "value": komponen}])
    assert _run(message) == expected
    assert message.get(INTENT)["confidence"] == 1.0


@pytest.mark.parametrize(
    "intent, entities",
    [
        # a complaint about a service, in complaint words: still a complaint
        ("ajukan_pengaduan", [SERVICE, {"entity": "komponen", "value": "pengaduan"}]),
        (
            "ajukan_pengaduan",
            [SERVICE, {"entity": "komponen", "value": "biaya"}, {"entity": "komponen", "value": "pengaduan"}],
        ),
        # no service named, or no component: nothing says it is a question
        ("ajukan_pengaduan", [{"entity": "komponen", "value": "biaya"}]),
        ("ajukan_pengaduan", [SERVICE]),
        # not a flow-starting intent
        ("ask_produk", [SERVICE, {"entity": "komponen", "value": "biaya"}]),
    ],
)
def test_everything_else_keeps_its_intent(intent, entities):
    assert _run(_message(intent, entities)) == intent


def test_the_candidates_of_an_ambiguous_name_count_as_a_service_named():
    # "perlu keluar uang gak buat bikin izin pangan rumahan": two regions' PIRT, the fee asked
    candidates = [
        {"entity": "layanan_kandidat", "value": "balangan-sertifikat-produksi-pangan-industri-rumah-tangga"},
        {"entity": "layanan_kandidat", "value": "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga"},
    ]
    message = _message("ajukan_pengaduan", [*candidates, {"entity": "komponen", "value": "biaya"}])
    assert _run(message) == "ask_biaya"


def test_back_to_the_assistant_with_a_service_named_is_about_that_service():
    # "MIN, TANYA IZIN RUMAH SAKIT DONG" read like "ga jadi minta admin"
    assert _run(_message("kembali_ke_asisten", [SERVICE])) == "inform_layanan"
    asked = _message("kembali_ke_asisten", [SERVICE, {"entity": "komponen", "value": "biaya"}])
    assert _run(asked) == "ask_biaya"
    # "kembali ke bot" names nothing: still the way back
    assert _run(_message("kembali_ke_asisten", [])) == "kembali_ke_asisten"
