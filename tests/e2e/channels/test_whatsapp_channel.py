"""The WhatsApp channel inside a real Rasa server, against a local fake Graph API.

Webhooks are signed like Meta signs them (HMAC-SHA256 of the raw body with the app secret).
Assertions hold for any model: they compare what the channel does, not what the assistant says.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import hmac
import json
import time
import uuid

import httpx
import pytest

from bot.channels.payload_keys import PayloadKeys
from bot.channels.text import NON_TEXT_REPLY
from bot.channels.whatsapp import GraphClient, WhatsAppOutput
from bot.channels.whatsapp_messages import ROW_ID_LIMIT, NumberedChoices
from tests.e2e.channels.conftest import WHATSAPP_ENV
from tests.e2e.channels.fakes import FakeGraph

pytestmark = pytest.mark.e2e

SECRET = WHATSAPP_ENV["WHATSAPP_APP_SECRET"]
QUIET_S = 2.0  # how long we watch for a reply that must not come


def new_phone() -> str:
    return "62812" + str(uuid.uuid4().int)[:8]


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(message: dict, phone: str, user_id: str | None = None) -> bytes:
    contact = {"profile": {"name": "Siti"}, "wa_id": phone}
    if user_id:
        contact["user_id"] = user_id
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1098765"},
        "contacts": [contact],
        "messages": [
            {"from": phone, "id": f"wamid.{uuid.uuid4().hex}", "timestamp": "1700000000", **message}
        ],
    }
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": value}]}]}).encode()  # fmt: skip


def post(whatsapp_assistant, body: bytes, signature: str | None = "sign") -> httpx.Response:  # noqa: ANN001
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = sign(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(
        f"{whatsapp_assistant.url}/webhooks/whatsapp/webhook", content=body, headers=headers, timeout=10
    )


def texts(messages: list[dict]) -> list[str]:
    return [m["text"]["body"] for m in messages if m.get("type") == "text"]


# --- verification -----------------------------------------------------------------------------
def test_verification_echoes_the_challenge_only_for_the_right_token(whatsapp_assistant):
    url = f"{whatsapp_assistant.url}/webhooks/whatsapp/webhook"
    good = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    answer = httpx.get(url, params=good)
    assert answer.status_code == 200 and answer.text == "1158201444"
    for bad in (
        {**good, "hub.verify_token": "wrong"},
        {**good, "hub.mode": "unsubscribe"},
        {"hub.challenge": "1"},
        {},
    ):
        assert httpx.get(url, params=bad).status_code == 403, bad


# --- signatures before anything else ------------------------------------------------------------
def test_unsigned_or_wrongly_signed_posts_are_refused_and_not_processed(whatsapp_assistant, graph):
    phone = new_phone()
    body = webhook_body({"type": "text", "text": {"body": "halo"}}, phone)
    assert post(whatsapp_assistant, body, signature=None).status_code == 401
    assert post(whatsapp_assistant, body, signature="sha256=" + "0" * 64).status_code == 403
    assert post(whatsapp_assistant, body, signature=sign(body, "another-secret")).status_code == 403
    assert post(whatsapp_assistant, body + b" ", signature=sign(body)).status_code == 403  # body changed
    time.sleep(QUIET_S)
    assert graph.to(phone) == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account"}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["broken-json", "empty", "list", "other-object", "no-entry", "deeply-nested"],
)
def test_signed_garbage_gets_a_400_never_a_5xx(whatsapp_assistant, body):
    assert post(whatsapp_assistant, body).status_code == 400


# --- messages ---------------------------------------------------------------------------------
def test_text_is_answered_through_the_graph_api(whatsapp_assistant, graph):
    phone = new_phone()
    started = time.monotonic()
    assert (
        post(
            whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, phone)
        ).status_code
        == 200
    )
    replies = graph.wait_for(phone, 1)
    assert time.monotonic() - started < 30
    assert texts(replies) and all(t.strip() for t in texts(replies))
    first = replies[0]
    assert first["messaging_product"] == "whatsapp" and first["to"] == phone
    with graph._lock:
        sent = [e for e in graph.sent if e["body"].get("to") == phone]
    assert {(e["phone_number_id"], e["authorization"]) for e in sent} == {
        ("1098765", "Bearer test-access-token")
    }


def test_business_scoped_user_id_is_the_sender_and_the_recipient(whatsapp_assistant, graph):
    phone, user_id = new_phone(), f"ID.{uuid.uuid4().int % 10**16}"
    post(
        whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, phone, user_id=user_id)
    )
    replies = graph.wait_for(user_id, 1)
    assert all(r["recipient"] == user_id and "to" not in r for r in replies)


def test_a_redelivery_never_gets_a_second_reply(whatsapp_assistant, graph):
    phone = new_phone()
    body = webhook_body({"type": "text", "text": {"body": "/greet"}}, phone)
    assert post(whatsapp_assistant, body).status_code == 200
    first = graph.wait_for(phone, 1)
    time.sleep(QUIET_S)
    settled = len(graph.to(phone))
    assert settled >= len(first)
    # Meta re-delivers the same message id, sometimes several at once.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: post(whatsapp_assistant, body).status_code, range(4)))
    assert statuses == [200] * 4
    time.sleep(QUIET_S)
    assert len(graph.to(phone)) == settled


def test_simultaneous_first_deliveries_are_answered_once(whatsapp_assistant, graph):
    phone = new_phone()
    body = webhook_body({"type": "text", "text": {"body": "/greet"}}, phone)
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        assert list(pool.map(lambda _: post(whatsapp_assistant, body).status_code, range(3))) == [200] * 3
    reference = new_phone()  # the same question asked once by someone else
    post(whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, reference))
    graph.wait_for(reference, 1)
    time.sleep(QUIET_S)
    assert texts(graph.to(phone)) == texts(graph.to(reference))


@pytest.mark.parametrize(
    "message",
    [
        {"type": "image", "image": {"id": "m1", "mime_type": "image/jpeg"}},
        {"type": "sticker", "sticker": {"id": "m2", "animated": False}},
        {"type": "location", "location": {"latitude": -3.3, "longitude": 104.8}},
        {"type": "audio", "audio": {"id": "m3", "voice": True}},
        {"type": "unsupported", "errors": [{"code": 131051}]},
    ],
    ids=["image", "sticker", "location", "voice", "unknown"],
)
def test_non_text_messages_get_the_friendly_reply(whatsapp_assistant, graph, message):
    phone = new_phone()
    assert post(whatsapp_assistant, webhook_body(message, phone)).status_code == 200
    assert texts(graph.wait_for(phone, 1)) == [NON_TEXT_REPLY]
    time.sleep(0.5)
    assert len(graph.to(phone)) == 1


def test_status_receipts_are_acknowledged_and_ignored(whatsapp_assistant, graph):
    phone = new_phone()
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": "1098765"},
        "statuses": [{"id": "wamid.x", "status": "read", "timestamp": "1700000000", "recipient_id": phone}],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()
    assert post(whatsapp_assistant, body).status_code == 200
    time.sleep(QUIET_S)
    assert graph.to(phone) == []


def test_a_pressed_button_is_forwarded_as_its_payload(whatsapp_assistant, graph):
    by_text, by_button = new_phone(), new_phone()
    post(whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, by_text))
    expected = texts(graph.wait_for(by_text, 1))
    button_id = PayloadKeys(ROW_ID_LIMIT).encode("/greet")  # as the channel issued it
    reply = {
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": button_id, "title": "Halo"}},
    }
    post(whatsapp_assistant, webhook_body(reply, by_button))
    graph.wait_for(by_button, len(expected))
    time.sleep(0.5)
    assert texts(graph.to(by_button)) == expected


def test_the_webhook_answers_at_once_even_when_sending_is_slow(whatsapp_assistant, graph):
    phone = new_phone()
    graph.delay_s = 3.0
    try:
        started = time.monotonic()
        assert (
            post(
                whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, phone)
            ).status_code
            == 200
        )
        assert time.monotonic() - started < 2.0  # processing happens after the 200
        graph.wait_for(phone, 1, timeout=30)
    finally:
        graph.delay_s = 0.0


def test_graph_api_failures_are_logged_not_raised(whatsapp_assistant, graph):
    phone = new_phone()
    graph.status = 500
    try:
        assert (
            post(
                whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, phone)
            ).status_code
            == 200
        )
        graph.wait_for(phone, 1)
    finally:
        graph.status = 200
    time.sleep(0.5)
    assert all(process.poll() is None for _, process in whatsapp_assistant.supervisor.running)
    later = new_phone()  # the channel carries on
    post(whatsapp_assistant, webhook_body({"type": "text", "text": {"body": "/greet"}}, later))
    graph.wait_for(later, 1)
    rasa_log = whatsapp_assistant.supervisor.log_file("rasa server")
    assert "WhatsApp send to" in rasa_log.read_text(errors="replace")


# --- output channel against the fake Graph API (no Rasa needed) ---------------------------------
async def test_output_channel_sends_buttons_lists_and_numbered_text():
    async with FakeGraph() as fake:
        output = WhatsAppOutput(
            GraphClient("token", "555", api_url=fake.api_url), PayloadKeys(ROW_ID_LIMIT), NumberedChoices()
        )
        three = [{"title": f"Pilihan {n}", "payload": f"/p{n}"} for n in range(3)]
        await output.send_text_with_buttons("628", "Pilih:", three)
        await output.send_text_with_buttons(
            "628", "Pilih:", three + [{"title": "Y", "payload": "/y"}, {"title": "X", "payload": "/x"}]
        )
        many = [{"title": f"Layanan {n}", "payload": f"/l{n}"} for n in range(12)]
        await output.send_text_with_buttons("628", "Banyak:", many)
        await output.send_text_message("628", "a" * 5000)
        kinds = [(m["type"], m.get("interactive", {}).get("type")) for m in (e["body"] for e in fake.sent)]
        assert kinds == [("interactive", "button"), ("interactive", "list")] + [("text", None)] * 3
        assert output.choices.resolve("628", "12") == "/l11"
        assert [len(e["body"]["text"]["body"]) for e in fake.sent[3:]] == [4096, 904]


async def test_channel_apologises_when_the_assistant_fails_and_resolves_numbers():
    from bot.channels.text import EXPIRED_BUTTON_REPLY, trouble_reply
    from bot.channels.whatsapp import WhatsAppInput
    from bot.channels.whatsapp_messages import PAYLOAD, TEXT, Incoming

    received: list[tuple[str, str]] = []

    async def failing_assistant(message):  # noqa: ANN001
        received.append((message.sender_id, message.text))
        raise RuntimeError("the assistant crashed")

    async def silent_assistant(message):  # noqa: ANN001 - e.g. the action server is down
        received.append((message.sender_id, message.text))

    async with FakeGraph() as fake:
        channel = WhatsAppInput("v", "s", "token", "555", graph_api_url=fake.api_url)
        channel.choices.offer("628", ("/pilih_satu", "/pilih_dua"))
        await channel._handle(Incoming("wamid.1", "628", TEXT, "2"), failing_assistant)
        await channel._handle(Incoming("wamid.2", "628", PAYLOAD, ""), failing_assistant)
        await channel._handle(Incoming("wamid.3", "628", TEXT, "halo"), silent_assistant)
        # "2" meant the second numbered choice; the conversation is kept apart as whatsapp:<id>
        assert received == [("whatsapp:628", "/pilih_dua"), ("whatsapp:628", "halo")]
        assert [e["body"]["text"]["body"] for e in fake.sent] == [
            trouble_reply(),
            EXPIRED_BUTTON_REPLY,
            trouble_reply(),
        ]
        assert all(e["body"]["to"] == "628" for e in fake.sent)
