"""Delivery of staff messages: Telegram sendMessage and the WhatsApp 24-hour rule, against local fakes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.channels import whatsapp_delivery
from bot.channels.telegram import delivery as telegram_delivery
from bot.channels.webchat.channel import parse_fetch
from tests.e2e.channels.fakes import FakeGraph, FakeTelegram, ThreadedServer

TOKEN = "42:uji"
NOW = datetime(2026, 12, 1, 3, 0)


async def test_telegram_message_is_sent_as_plain_text_and_split():
    async with FakeTelegram(TOKEN) as telegram:
        long_text = "\n".join(f"baris {i} " + "x" * 90 for i in range(60))  # > 4096 characters
        result = await telegram_delivery.kirim("telegram:555", long_text, TOKEN, telegram.base_url)
        assert result.status == "terkirim"
        sent = [p for m, p in telegram.calls if m == "sendMessage"]
        assert len(sent) == 2 and all(p["chat_id"] == 555 and "parse_mode" not in p for p in sent)
        assert "\n".join(p["text"] for p in sent) == long_text


async def test_telegram_failures_are_reported_not_raised():
    async with FakeTelegram(TOKEN) as telegram:
        telegram.fail_next(
            "sendMessage", 403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"}
        )
        result = await telegram_delivery.kirim("telegram:1", "halo", TOKEN, telegram.base_url)
        assert result.status == "gagal" and "Forbidden: blocked" in result.keterangan
        telegram.fail_next(
            "sendMessage", 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 0}}
        )
        assert (
            await telegram_delivery.kirim("telegram:1", "halo", TOKEN, telegram.base_url)
        ).status == "terkirim"
    assert (
        await telegram_delivery.kirim("web-abc", "halo", TOKEN, "http://127.0.0.1:9/bot")
    ).status == "gagal"
    assert "TELEGRAM_BOT_TOKEN" in (await telegram_delivery.kirim("telegram:1", "halo", "")).keterangan
    unreachable = await telegram_delivery.kirim("telegram:1", "halo", TOKEN, "http://127.0.0.1:9/bot")
    assert unreachable.status == "gagal" and "tidak dapat dihubungi" in unreachable.keterangan


@pytest.fixture
def graph(monkeypatch):
    with ThreadedServer(FakeGraph()) as server:
        monkeypatch.setenv("GRAPH_API_URL", server.api_url)
        monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "tok")
        monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", "1098765")
        monkeypatch.delenv("WHATSAPP_TEMPLATE_PETUGAS", raising=False)
        yield server


async def test_whatsapp_inside_24_hours_sends_text(graph):
    result = await whatsapp_delivery.kirim(
        "6281234567890", "Halo Bu, berkasnya sudah kami cek.", NOW - timedelta(hours=23), NOW
    )
    assert result.status == "terkirim"
    [body] = graph.to("6281234567890")
    assert body["type"] == "text" and body["text"]["body"] == "Halo Bu, berkasnya sudah kami cek."


async def test_whatsapp_outside_24_hours_without_template_is_not_sent(graph):
    result = await whatsapp_delivery.kirim("6281234567890", "Halo", NOW - timedelta(hours=25), NOW)
    assert result.status == "perlu_template" and "24 jam" in result.keterangan
    assert graph.to("6281234567890") == []
    assert (await whatsapp_delivery.kirim("6281234567890", "Halo", None, NOW)).status == "perlu_template"


async def test_whatsapp_outside_24_hours_sends_the_configured_template(graph, monkeypatch):
    monkeypatch.setenv("WHATSAPP_TEMPLATE_PETUGAS", "balasan_petugas")
    result = await whatsapp_delivery.kirim("ID.77", "Baris satu\nbaris dua", NOW - timedelta(days=3), NOW)
    assert result.status == "terkirim" and result.keterangan == "dikirim sebagai template"
    [body] = graph.to("ID.77")
    assert body["recipient"] == "ID.77" and body["type"] == "template"
    assert body["template"] == {
        "name": "balasan_petugas",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Baris satu baris dua"}]}],
    }


async def test_whatsapp_graph_failure_is_reported(graph):
    graph.status = 500
    result = await whatsapp_delivery.kirim("6281234567890", "Halo", NOW - timedelta(hours=1), NOW)
    assert result.status == "gagal" and "Graph API menolak (500)" in result.keterangan


def test_widget_fetch_body_is_checked():
    widget = "web-" + "0a" * 16  # the widget's random id: 128 bits as hex
    conversation = "webchat:" + "0a" * 16
    assert parse_fetch({"sender": widget, "setelah": 5}) == (conversation, 5)
    assert parse_fetch({"sender": widget}) == (conversation, 0)
    bad_bodies = (
        None, [], {"sender": "telegram:1"}, {"sender": "web-1234"}, {"sender": "web-1", "setelah": -1},
        {"sender": "web-1", "setelah": "3"}, {"sender": "web-" + "x" * 300},
        {"sender": "web-1", "setelah": True},
    )  # fmt: skip
    for bad in bad_bodies:
        assert parse_fetch(bad) is None
