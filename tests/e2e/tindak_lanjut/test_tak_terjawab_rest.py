"""Unanswered questions from real conversations (REST, the running assistant): what the assistant
could not answer is logged by the follow-up worker from the tracker store, masked and grouped;
"berhenti" is understood in one word; the offer is not made on a channel that cannot be notified."""

from __future__ import annotations

import asyncio
import uuid

import pytest

pytestmark = pytest.mark.e2e


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def test_unanswered_questions_are_logged_masked_and_grouped(assistant):
    from bot.db import session_factory
    from bot.tak_terjawab.repository import daftar_kelompok
    from bot.tindak_lanjut.pekerja import satu_putaran

    questions = [
        "bisa bikin paspor di sini kak?",
        "mau bikin paspor buat umroh, bisa di dinas ini?",
        "xqzv plmk wrtz",
    ]
    for text in questions:
        assistant.send(f"e2e-tt-{uuid.uuid4().hex[:8]}", text)
    factory = session_factory(assistant.database_url)
    # The worker reads events older than a minute as settled; newer ones are read again next pass.
    asyncio.run(satu_putaran(factory, lambda a: None, tracker_factory=factory))
    with factory() as session:
        groups = daftar_kelompok(session)
    examples = {g.contoh: g for g in groups}
    paspor = [g for g in groups if "paspor" in g.contoh]
    assert len(paspor) == 1 and paspor[0].jumlah == 2, [(g.contoh, g.jumlah, g.per_jenis) for g in groups]
    assert "xqzv plmk wrtz" in examples


def test_berhenti_is_one_word_and_rest_gets_no_offer(assistant):
    who = f"e2e-stop-{uuid.uuid4().hex[:8]}"
    reply = text_of(assistant.send(who, "berhenti"))
    assert "tidak sedang menerima kabar" in reply
    reply = text_of(assistant.send(who, "kabari saya kalau statusnya berubah"))
    assert "cek status permohonan" in reply


def test_widget_mailbox_answers_only_a_widget_conversation(assistant):
    import httpx

    url = assistant.url + "/webhooks/webchat/kabar"
    assert httpx.post(url, json={"sender": "6281234567890"}, timeout=30).status_code == 400  # not a widget id
    assert httpx.post(url, content=b"{bukan json", timeout=30).status_code == 400
    response = httpx.post(url, json={"sender": f"web-{uuid.uuid4().hex}"}, timeout=30)
    assert response.status_code == 200 and response.json() == {"kabar": []}
    assert response.headers["cache-control"] == "no-store"
