"""The Telegram gateway against a local fake Bot API server and a local fake Rasa REST server."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import ClientSession

from bot.channels.telegram import gateway as gateway_module
from bot.channels.telegram.convert import HELP_TEXT, START_TEXT
from bot.channels.telegram.gateway import build_application
from bot.channels.telegram.webhook import SECRET_HEADER, webhook_app
from bot.channels.text import (
    EXPIRED_BUTTON_REPLY,
    MAX_MESSAGE_CHARS,
    NON_TEXT_REPLY,
    too_long_reply,
    trouble_reply,
)
from tests.e2e.channels.fakes import FakeRasa, FakeTelegram, LocalServer

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST-token"
GATEWAY_SECRET = "gateway-test-secret"
CHAT = 4242
LONG_PAYLOAD = '/pilih_layanan{"layanan":"kabupaten-ogan-komering-ilir/izin-praktik-bidan-mandiri"}'


def scripted_rasa(sender: str, message: str) -> list[dict]:
    """Stands in for the assistant: a few fixed conversations keyed by the message."""
    if message == "layanan kesehatan":
        return [
            {
                "text": "Ada dua layanan yang cocok:",
                "buttons": [
                    {"title": "Izin Praktik Bidan", "payload": LONG_PAYLOAD},
                    {"title": "Izin Apotek", "payload": '/pilih_layanan{"layanan":"apotek"}'},
                ],
            }
        ]
    if message == "panjang":
        lines = [f"{n}. persyaratan nomor {n} " + "x" * 80 for n in range(1, 101)]
        return [{"text": "\n".join(lines)}]
    if message == LONG_PAYLOAD:
        return [{"text": "Izin Praktik Bidan: syaratnya STR dan surat sehat."}]
    return [{"text": f"Anda menulis: {message}"}, {"text": "Ada lagi?"}]


@pytest.fixture
async def rasa():
    async with FakeRasa(scripted_rasa) as server:
        yield server


@pytest.fixture
async def telegram():
    async with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
async def running_bot(rasa, telegram):
    application = build_application(
        TOKEN, rasa.url, base_url=telegram.base_url, rasa_timeout=5, secret=GATEWAY_SECRET
    )
    gateway = application.bot_data["gateway"]
    async with application:
        await gateway.post_init(application)
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        yield application
        await application.updater.stop()
        await application.stop()
        await gateway.post_shutdown(application)


def sent_texts(telegram: FakeTelegram) -> list[str]:
    return [params["text"] for _, params in telegram.calls_to("sendMessage")]


async def test_text_is_forwarded_and_every_reply_relayed(running_bot, rasa, telegram):
    telegram.push_message(CHAT, "syarat izin apotek")
    messages = await telegram.wait_for("sendMessage", 2)

    assert rasa.received == [
        {
            "sender": str(CHAT),
            "message": "syarat izin apotek",
            "metadata": {"channel": "telegram", "telegram_message_id": 1, "chat_type": "private"},
        }
    ]
    # Rasa's Telegram input, with the shared secret: never the public REST channel
    assert rasa.headers == [
        {"path": "/webhooks/telegram/webhook", "authorization": f"Bearer {GATEWAY_SECRET}"}
    ]
    assert [(m["chat_id"], m["text"]) for m in messages] == [
        (CHAT, "Anda menulis: syarat izin apotek"),
        (CHAT, "Ada lagi?"),
    ]
    assert all("parse_mode" not in m for m in messages)  # replies are plain text, never HTML
    typing = telegram.calls_to("sendChatAction")
    assert typing and typing[0][1] == {"chat_id": CHAT, "action": "typing"}
    # The typing indicator comes before the answer.
    methods = [method for method, _ in telegram.calls]
    assert methods.index("sendChatAction") < methods.index("sendMessage")


async def test_buttons_become_an_inline_keyboard_and_presses_are_forwarded(running_bot, rasa, telegram):
    telegram.push_message(CHAT, "layanan kesehatan")
    [message] = await telegram.wait_for("sendMessage", 1)
    assert message["text"] == "Ada dua layanan yang cocok:"
    rows = message["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == ["Izin Praktik Bidan", "Izin Apotek"]
    long_data, short_data = rows[0][0]["callback_data"], rows[1][0]["callback_data"]
    assert len(long_data.encode()) <= 64 and len(short_data.encode()) <= 64
    assert short_data == 'p:/pilih_layanan{"layanan":"apotek"}'
    assert long_data.startswith("k:")  # the long payload travels as a short key

    telegram.push_button_press(CHAT, long_data, query_id="press-1")
    await telegram.wait_for("sendMessage", 2)

    assert telegram.calls_to("answerCallbackQuery") == [
        ("answerCallbackQuery", {"callback_query_id": "press-1"})
    ]
    assert rasa.received[-1]["message"] == LONG_PAYLOAD
    assert rasa.received[-1]["sender"] == str(CHAT)
    assert sent_texts(telegram)[-1] == "Izin Praktik Bidan: syaratnya STR dan surat sehat."


async def test_a_press_is_acted_on_even_if_answering_it_fails(running_bot, rasa, telegram):
    telegram.fail_next(
        "answerCallbackQuery",
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: query is too old and response timeout expired",
        },
    )
    telegram.push_button_press(CHAT, 'p:/pilih_layanan{"layanan":"apotek"}', query_id="old-press")
    await telegram.wait_for("sendMessage", 2)
    assert rasa.received[0]["message"] == '/pilih_layanan{"layanan":"apotek"}'


async def test_forgotten_button_key_gets_a_clear_answer(running_bot, rasa, telegram):
    telegram.push_button_press(CHAT, "k:unknownkey", query_id="press-2")
    await telegram.wait_for("sendMessage", 1)
    assert telegram.calls_to("answerCallbackQuery") == [
        ("answerCallbackQuery", {"callback_query_id": "press-2"})
    ]
    assert sent_texts(telegram) == [EXPIRED_BUTTON_REPLY]
    assert rasa.received == []


async def test_long_reply_is_split_at_line_boundaries(running_bot, telegram):
    telegram.push_message(CHAT, "panjang")
    await asyncio.sleep(0)
    expected = scripted_rasa("s", "panjang")[0]["text"]
    messages = await telegram.wait_for("sendMessage", 3)
    await asyncio.sleep(0.3)  # nothing more should follow
    texts = sent_texts(telegram)
    assert len(texts) == 3
    assert all(len(text) <= 4096 for text in texts)
    assert "\n".join(texts) == expected  # cut only between lines: nothing lost or broken
    assert texts[1].startswith(f"{texts[0].count(chr(10)) + 2}. persyaratan")
    assert all(m["chat_id"] == CHAT for m in messages)


async def test_assistant_down_gives_an_apology(running_bot, rasa, telegram):
    rasa.status = 500
    telegram.push_message(CHAT, "halo")
    assert sent_texts_after(await telegram.wait_for("sendMessage", 1)) == [trouble_reply()]


async def test_assistant_unreachable_gives_an_apology(rasa, telegram):
    port = rasa.port
    await rasa.stop()  # nothing listens there any more
    application = build_application(
        TOKEN, f"http://127.0.0.1:{port}", base_url=telegram.base_url, rasa_timeout=2
    )
    async with application:
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        telegram.push_message(CHAT, "halo")
        messages = await telegram.wait_for("sendMessage", 1)
        await application.updater.stop()
        await application.stop()
        await application.bot_data["gateway"].post_shutdown(application)
    assert sent_texts_after(messages) == [trouble_reply()]


async def test_an_overlong_message_gets_the_length_notice_and_never_reaches_rasa(running_bot, rasa, telegram):
    telegram.push_message(CHAT, "syarat " * 500)  # 3,500 characters: Telegram allows 4,096
    assert sent_texts_after(await telegram.wait_for("sendMessage", 1)) == [too_long_reply(3500)]
    assert rasa.received == [] and len("syarat " * 500) > MAX_MESSAGE_CHARS


def sent_texts_after(messages: list[dict]) -> list[str]:
    return [m["text"] for m in messages]


async def test_edited_messages_and_typed_intents_do_not_reach_rasa(running_bot, rasa, telegram):
    telegram.push(
        {
            "edited_message": {
                "message_id": 1, "date": 1700000000, "edit_date": 1700000005, "text": "syarat apotek",
                "chat": {"id": CHAT, "type": "private"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "S"},
            }
        }
    )  # fmt: skip
    telegram.push_message(CHAT, '/pilih_layanan{"layanan":"x"}')
    assert sent_texts_after(await telegram.wait_for("sendMessage", 1)) == [HELP_TEXT]
    await asyncio.sleep(0.3)
    assert rasa.received == [] and len(telegram.calls_to("sendMessage")) == 1


async def test_start_and_help_explain_without_asking_rasa(running_bot, rasa, telegram):
    telegram.push_message(CHAT, "/start")
    await telegram.wait_for("sendMessage", 1)
    telegram.push_message(CHAT, "/help")
    await telegram.wait_for("sendMessage", 2)
    assert sent_texts(telegram) == [START_TEXT, HELP_TEXT]
    assert rasa.received == []


@pytest.mark.parametrize(
    "content",
    [
        {"photo": [{"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 90}]},
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "su1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"location": {"latitude": -3.32, "longitude": 105.74}},
        {"voice": {"file_id": "v1", "file_unique_id": "vu1", "duration": 3}},
    ],
    ids=["photo", "sticker", "location", "voice"],
)
async def test_non_text_messages_get_a_friendly_reply(running_bot, rasa, telegram, content):
    telegram.push_message(CHAT, None, **content)
    assert sent_texts_after(await telegram.wait_for("sendMessage", 1)) == [NON_TEXT_REPLY]
    assert rasa.received == []


async def test_rate_limit_is_retried_after_the_advised_delay(running_bot, telegram, monkeypatch):
    telegram.fail_next(
        "sendMessage",
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    waited: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float, *args, **kwargs):
        if delay == 1.0:
            waited.append(delay)
        return await real_sleep(min(delay, 0.05), *args, **kwargs)

    monkeypatch.setattr(gateway_module.asyncio, "sleep", recording_sleep)
    telegram.push_message(CHAT, "halo")
    await telegram.wait_for("sendMessage", 3)  # the refused call, its retry, the second reply
    texts = sent_texts(telegram)
    assert texts == ["Anda menulis: halo", "Anda menulis: halo", "Ada lagi?"]
    assert waited == [1.0]


# --- webhook mode ---------------------------------------------------------------------------
@pytest.fixture
async def webhook(rasa, telegram):
    application = build_application(TOKEN, rasa.url, base_url=telegram.base_url, rasa_timeout=5)
    server = LocalServer()
    server.app = webhook_app(application, "s3cret-token", "/telegram")
    async with application:
        await application.start()
        async with server:
            yield server
        await application.stop()
        await application.bot_data["gateway"].post_shutdown(application)


def update_json(text: str) -> dict:
    return {
        "update_id": 77,
        "message": {
            "message_id": 5,
            "date": 1700000000,
            "text": text,
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Siti"},
        },
    }


async def test_webhook_refuses_a_missing_or_wrong_secret(webhook, rasa, telegram):
    async with ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            response = await http.post(f"{webhook.url}/telegram", json=update_json("halo"), headers=headers)
            assert response.status == 403
    await asyncio.sleep(0.3)
    assert rasa.received == [] and telegram.calls_to("sendMessage") == []


async def test_webhook_rejects_malformed_updates_with_400(webhook, rasa):
    async with ClientSession() as http:
        nested = b"[" * 100_000 + b"]" * 100_000
        for body in (b"{not json", b"[1, 2]", json.dumps({"update_id": "x", "message": 5}).encode(), nested):
            response = await http.post(
                f"{webhook.url}/telegram", data=body, headers={SECRET_HEADER: "s3cret-token"}
            )
            assert response.status == 400, body
    assert rasa.received == []


async def test_webhook_with_the_secret_is_answered(webhook, rasa, telegram):
    async with ClientSession() as http:
        response = await http.post(
            f"{webhook.url}/telegram", json=update_json("halo"), headers={SECRET_HEADER: "s3cret-token"}
        )
        assert response.status == 200
    messages = await telegram.wait_for("sendMessage", 2)
    assert [m["text"] for m in messages] == ["Anda menulis: halo", "Ada lagi?"]
