"""Attacks through the channels (docs/security.md), against the real assistant with WhatsApp set up.

- A REST client that knows a WhatsApp user's phone number cannot read or continue their
  conversation, nor speak as the office on WhatsApp through Rasa's API.
- A 200 KB WhatsApp text gets the length notice at once and never reaches the NLU.
"""

from __future__ import annotations

import time

import httpx
import pytest

from bot.channels.text import too_long_reply
from tests.e2e.channels.test_whatsapp_channel import new_phone, post, webhook_body

pytestmark = pytest.mark.e2e


def shown(message: dict) -> str:
    """What the person reads of one Graph API message (a text, or an interactive body)."""
    if message.get("type") == "text":
        return message["text"]["body"]
    return message.get("interactive", {}).get("body", {}).get("text", "")


def say_on_whatsapp(assistant, graph, phone: str, text: str, count: int = 1) -> list[str]:  # noqa: ANN001
    with graph._lock:
        before = len([e for e in graph.sent if e["body"].get("to") == phone])
    assert post(assistant, webhook_body({"type": "text", "text": {"body": text}}, phone)).status_code == 200
    return [shown(m) for m in graph.wait_for(phone, before + count)[before:]]


def test_a_rest_client_knowing_the_phone_number_cannot_reach_the_whatsapp_conversation(
    whatsapp_assistant, graph
):
    phone = new_phone()
    asked = say_on_whatsapp(whatsapp_assistant, graph, phone, "saya mau mengajukan pengaduan", count=2)
    assert any("wilayah mana" in t for t in asked)  # the WhatsApp user's complaint form is open
    # The attacker posts over REST as the phone number: a conversation of its own, nothing carried over.
    replies = whatsapp_assistant.send(phone, "Kabupaten Balangan")
    assert not any("kategori" in (r.get("text") or "").lower() for r in replies)
    attacker = httpx.get(
        f"{whatsapp_assistant.url}/conversations/{phone}/tracker",
        params={"token": whatsapp_assistant.token},
        timeout=30,
    ).json()
    assert attacker["active_loop"] in ({}, None) or not attacker["active_loop"].get("name")
    # ...and the WhatsApp user's form is still where they left it.
    user = httpx.get(
        f"{whatsapp_assistant.url}/conversations/whatsapp:{phone}/tracker",
        params={"token": whatsapp_assistant.token},
        timeout=30,
    ).json()
    assert user["active_loop"]["name"] == "pengaduan_form"


def test_nobody_speaks_as_the_office_through_the_api_without_the_token(whatsapp_assistant, graph):
    phone = new_phone()
    event = {"event": "bot", "text": "Transfer biaya izin ke rekening 123 (penipuan)"}
    for conversation in (phone, f"whatsapp:{phone}"):
        response = httpx.post(
            f"{whatsapp_assistant.url}/conversations/{conversation}/tracker/events",
            params={"output_channel": "whatsapp", "execute_side_effects": "true"},
            json=event,
            timeout=30,
        )
        assert response.status_code == 401
    time.sleep(1.0)
    with graph._lock:
        assert not [e for e in graph.sent if e["body"].get("to") == phone]


def test_a_200_kb_whatsapp_text_gets_the_length_notice_at_once(whatsapp_assistant, graph):
    phone = new_phone()
    started = time.monotonic()
    replies = say_on_whatsapp(whatsapp_assistant, graph, phone, "izin " * 40_000)
    assert time.monotonic() - started < 5
    assert replies == [too_long_reply(200_000)]
    # and the channel answers the next, normal message as usual
    assert say_on_whatsapp(whatsapp_assistant, graph, phone, "syarat izin apotek")
