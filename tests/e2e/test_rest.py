"""The assistant over its REST channel: real questions, sourced answers, context, bad input.

Expected facts are read from the same knowledge base the servers use, never written here.
"""

from __future__ import annotations

import uuid

import pytest

from actions.formatting import NOT_LISTED
from bot.knowledge import repository
from bot.knowledge.views import Standard

pytestmark = pytest.mark.e2e

BIDAN = "balangan-surat-izin-praktik-bidan"
TOKO_OBAT = "balangan-izin-toko-obat"
KANTOR_KAS = "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam"


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons_of(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or ()]


@pytest.fixture(scope="module")
def kb(assistant):
    """Read the assistant's knowledge base: kb(standard_id) -> Standard."""
    from bot.db import session_factory

    factory = session_factory(assistant.database_url)

    def get(standard_id: str) -> Standard:
        with factory() as session:
            standard = repository.get_standard(session, standard_id)
        assert standard is not None, standard_id
        return standard

    return get


def top_level_items(standard: Standard, key: str) -> list[str]:
    return [item if isinstance(item, str) else item["teks"] for item in standard.komponen[key].butir]


def assert_sourced(replies: list[dict], standard: Standard) -> None:
    last_line = text_of(replies).strip().splitlines()[-1]
    assert last_line.startswith(f"Sumber: {standard.nama}, {standard.wilayah_nama}, "), last_line


def test_requirements_then_follow_ups_about_the_same_standard(assistant, kb):
    user, bidan = sender(), kb(BIDAN)

    replies = assistant.send(user, "kak syarat bikin SIP bidan apa aja?")
    text = text_of(replies)
    items = top_level_items(bidan, "persyaratan")
    assert len(items) >= 10
    for item in items:
        assert item.strip() in text, item
    assert_sourced(replies, bidan)

    replies = assistant.send(user, "biayanya?")
    assert bidan.komponen["biaya"].teks.strip() in text_of(replies)
    assert_sourced(replies, bidan)

    replies = assistant.send(user, "berapa lama prosesnya?")
    assert bidan.komponen["jangka_waktu"].teks.strip() in text_of(replies)
    assert_sourced(replies, bidan)

    # switching standard keeps the question: the duration of the new one
    toko_obat = kb(TOKO_OBAT)
    replies = assistant.send(user, "terus izin toko obat?")
    assert toko_obat.komponen["jangka_waktu"].teks.strip() in text_of(replies)
    assert_sourced(replies, toko_obat)


def test_ambiguous_service_is_asked_with_buttons_then_answered(assistant, kb):
    user = sender()
    replies = assistant.send(user, "syarat pirt apa aja ya")
    buttons = buttons_of(replies)
    assert 2 <= len(buttons) <= 5
    assert all(b["payload"].startswith('/pilih_layanan{"layanan":"') for b in buttons)
    assert "Sumber:" not in text_of(replies)  # nothing answered before the user chose

    chosen = buttons[-1]["payload"]
    standard = kb(chosen.split('"layanan":"')[1].split('"')[0])
    replies = assistant.send(user, chosen)
    for item in top_level_items(standard, "persyaratan"):
        assert item.strip() in text_of(replies)
    assert_sourced(replies, standard)


def test_ambiguous_service_answered_by_typing_the_number(assistant, kb):
    user = sender()
    buttons = buttons_of(assistant.send(user, "biaya pirt berapa"))
    assert len(buttons) >= 2
    second = kb(buttons[1]["payload"].split('"layanan":"')[1].split('"')[0])
    replies = assistant.send(user, "nomor 2")
    assert f"Biaya/Tarif - {second.nama} ({second.wilayah_nama})" in text_of(replies)
    assert_sourced(replies, second)


def test_region_with_few_standards_is_listed_and_chosen_by_number(assistant, kb):
    user = sender()
    replies = assistant.send(user, "di OKI ada layanan apa saja?")
    buttons = buttons_of(replies)
    assert buttons and all(b["payload"].startswith("/pilih_layanan") for b in buttons)
    first = kb(buttons[0]["payload"].split('"layanan":"')[1].split('"')[0])
    assert first.wilayah == "ogan-komering-ilir" and f"1. {first.nama}" in text_of(replies)
    assert_sourced(assistant.send(user, "yang pertama"), first)


def test_other_region_follow_up(assistant, kb):
    user = sender()
    replies = assistant.send(user, "biaya pirt di balangan berapa?")
    balangan = kb("balangan-sertifikat-produksi-pangan-industri-rumah-tangga")
    assert_sourced(replies, balangan)

    replies = assistant.send(user, "kalau di OKI?")
    oki = kb("ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga")
    assert oki.komponen["biaya"].teks.strip() in text_of(replies)
    assert_sourced(replies, oki)


def test_empty_component_is_reported_honestly_with_the_office_contact(assistant, kb):
    standard = kb(KANTOR_KAS)
    assert standard.komponen["persyaratan"].is_empty  # the source leaves it empty
    replies = assistant.send(sender(), "apa syarat izin pembukaan kantor kas koperasi simpan pinjam?")
    text = text_of(replies)
    assert NOT_LISTED in text
    from bot.db import session_factory

    with session_factory(assistant.database_url)() as session:
        region = repository.get_region(session, standard.wilayah)
    contacts = [*region.telepon, *region.whatsapp, *region.email]
    assert contacts and all(contact in text for contact in contacts)
    assert_sourced(replies, standard)


def test_a_permit_no_office_here_has_is_said_plainly(assistant):
    # Not another service's facts because one word matched: "not among our standards", and where to ask.
    replies = assistant.send(sender(), "syarat izin tambang emas apa saja?")
    text = text_of(replies)
    assert "tidak termasuk dalam" in text and "standar pelayanan" in text
    # The only source named is the office's contact card, never a service's standard.
    sources = [line for line in text.splitlines() if line.startswith("Sumber:")]
    assert sources and all("Dinas Penanaman Modal" in line for line in sources)
    assert "Persyaratan" not in text


def test_human_handoff_gives_the_office_contacts(assistant, kb):
    user = sender()
    assistant.send(user, "syarat sip bidan")
    replies = assistant.send(user, "saya mau bicara dengan petugas")
    from bot.db import session_factory

    with session_factory(assistant.database_url)() as session:
        region = repository.get_region(session, "balangan")
    text = text_of(replies)
    assert region.kantor in text
    assert all(phone in text for phone in region.telepon)


BAD_MESSAGES = {
    "empty": "",
    "spaces": "   \n\t ",
    "10k characters": ("syarat izin apotek " * 600)[:10_000],
    "emoji only": "😀🙏🔥🔥",
    "arabic": "ما هي شروط الحصول على ترخيص؟",
    "chinese": "办理营业执照需要什么材料？",
    "sql": "'; DROP TABLE events; -- syarat",
    "html": "<script>alert('x')</script><b>izin</b> <img src=x onerror=alert(1)>",
    "control characters": "syarat\x00\x07 izin\u202e apotek",
    # answers to form questions with no form open (the policy must not fall silent)
    "form category outside a form": "Sarana dan prasarana",
    "name outside a form": "Budi Santoso",
    "date outside a form": "kemarin siang",
}


@pytest.mark.parametrize("text", BAD_MESSAGES.values(), ids=BAD_MESSAGES.keys())
def test_odd_messages_are_answered_not_crashed_on(assistant, text):
    response = assistant.post({"sender": sender(), "message": text})
    assert response.status_code == 200, response.text[:300]
    replies = response.json()
    assert isinstance(replies, list) and replies, "the assistant must answer"
    assert all("<script" not in (r.get("text") or "") for r in replies)


BAD_BODIES = {
    "no message": {"sender": "x"},
    "message null": {"sender": "x", "message": None},
    "message number": {"sender": "x", "message": 123},
    "json list": ["message", "halo"],
    "json string": "halo",
    "metadata not object": {"sender": "x", "message": "halo", "metadata": [1]},
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_malformed_bodies_get_a_client_error(assistant, body):
    response = assistant.post(body)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


@pytest.mark.parametrize(
    "content", [b"", b"{not json", b"\xff\xfe\x00garbage"], ids=["empty", "broken", "binary"]
)
def test_unparseable_bodies_get_a_client_error(assistant, content):
    response = assistant.post(content=content)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


def test_server_is_still_up_and_answering_after_bad_input(assistant, kb):
    replies = assistant.send(sender(), "syarat sip bidan")
    assert_sourced(replies, kb(BIDAN))
    assert all(process.poll() is None for _, process in assistant.supervisor.running)
