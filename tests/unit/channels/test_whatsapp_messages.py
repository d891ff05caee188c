"""WhatsApp webhook JSON -> user messages and Rasa replies -> Graph API JSON (pure)."""

from __future__ import annotations

import hashlib
import hmac
import os

import pytest

from bot.channels.payload_keys import PayloadKeys
from bot.channels.whatsapp_messages import (
    CHOOSE_TEXT,
    LIST_BUTTON_LABEL,
    NUMBERED_INTRO,
    PAYLOAD,
    ROW_ID_LIMIT,
    TEXT,
    UNSUPPORTED,
    Incoming,
    InvalidWebhook,
    NumberedChoices,
    address,
    button_messages,
    message_body,
    parse_webhook,
    text_messages,
)


def webhook(*messages: dict, contacts: list | None = None, statuses: list | None = None) -> dict:
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1098765"},
    }
    if contacts is not None:
        value["contacts"] = contacts
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def text_message(body: str, message_id: str = "wamid.1", sender: str = "6281234567890", **extra) -> dict:
    return {
        "from": sender,
        "id": message_id,
        "timestamp": "1700000000",
        "type": "text",
        "text": {"body": body},
        **extra,
    }


KEYS = PayloadKeys(ROW_ID_LIMIT)


def test_text_message_uses_the_phone_number_without_a_business_scoped_id():
    [incoming] = parse_webhook(
        webhook(text_message("syarat izin apotek"), contacts=[{"wa_id": "6281234567890"}]), KEYS
    )
    assert incoming == Incoming(
        message_id="wamid.1",
        sender="6281234567890",
        kind=TEXT,
        text="syarat izin apotek",
        phone="6281234567890",
        message_type="text",
    )


def test_business_scoped_user_id_is_preferred_when_present():
    contacts = [{"wa_id": "6281234567890", "user_id": "ID.1648738043044942", "profile": {"name": "Siti"}}]
    [incoming] = parse_webhook(webhook(text_message("halo"), contacts=contacts), KEYS)
    assert incoming.sender == "ID.1648738043044942"
    [on_message] = parse_webhook(webhook(text_message("halo", from_user_id="ID.777")), KEYS)
    assert on_message.sender == "ID.777"
    # A username-only user: no phone number at all.
    no_phone = {"id": "wamid.9", "type": "text", "text": {"body": "halo"}, "from_user_id": "ID.555"}
    assert parse_webhook(webhook(no_phone), KEYS)[0].sender == "ID.555"


def test_button_and_list_replies_map_back_to_payloads():
    long_payload = '/pilih_layanan{"layanan":"' + "x" * 250 + '"}'
    keys = PayloadKeys(ROW_ID_LIMIT)
    short_id, long_id = keys.encode("/affirm"), keys.encode(long_payload)
    button = {
        "id": "wamid.b",
        "from": "628",
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": short_id, "title": "Ya"}},
    }
    row = {
        "id": "wamid.l",
        "from": "628",
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": long_id, "title": "X"}},
    }
    forgotten = {
        "id": "wamid.f",
        "from": "628",
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": "k:unknown", "title": "X"}},
    }
    parsed = parse_webhook(webhook(button, row, forgotten), keys)
    assert [(m.kind, m.text) for m in parsed] == [
        (PAYLOAD, "/affirm"),
        (PAYLOAD, long_payload),
        (PAYLOAD, ""),
    ]


def test_template_quick_reply_button_is_read_as_text():
    message = {
        "id": "wamid.t",
        "from": "628",
        "type": "button",
        "button": {"payload": "STATUS", "text": "Cek status"},
    }
    assert parse_webhook(webhook(message), KEYS)[0].text == "STATUS"


@pytest.mark.parametrize(
    "kind", ["image", "sticker", "location", "audio", "video", "document", "contacts", "unknown"]
)
def test_non_text_messages_are_marked_unsupported(kind):
    message = {"id": f"wamid.{kind}", "from": "628", "type": kind, kind: {"id": "media-1"}}
    [incoming] = parse_webhook(webhook(message), KEYS)
    assert incoming.kind == UNSUPPORTED and incoming.sender == "628" and incoming.message_type == kind


def test_status_receipts_reactions_and_broken_entries_produce_nothing():
    statuses = [{"id": "wamid.s", "status": "delivered", "recipient_id": "628"}]
    assert parse_webhook(webhook(statuses=statuses), KEYS) == []
    reaction = {"id": "wamid.r", "from": "628", "type": "reaction", "reaction": {"emoji": "👍"}}
    no_id = {"from": "628", "type": "text", "text": {"body": "halo"}}
    no_sender = {"id": "wamid.x", "type": "text", "text": {"body": "halo"}}
    empty = text_message("   ", message_id="wamid.e")
    good = text_message("halo", message_id="wamid.g")
    body = webhook(reaction, no_id, no_sender, empty, "junk", good)
    body["entry"].extend(["junk", {"changes": "junk"}, {"changes": [{"value": "junk"}]}])
    assert [m.message_id for m in parse_webhook(body, KEYS)] == ["wamid.g"]


@pytest.mark.parametrize(
    "body", [[], "x", None, {"object": "page", "entry": []}, {"object": "whatsapp_business_account"}]
)
def test_bodies_that_are_not_webhooks_are_refused(body):
    with pytest.raises(InvalidWebhook):
        parse_webhook(body, KEYS)


def test_address_uses_to_for_phone_numbers_and_recipient_for_business_scoped_ids():
    assert address("6281234567890") == {"to": "6281234567890"}
    assert address("ID.1648738043044942") == {"recipient": "ID.1648738043044942"}
    assert message_body("628", {"type": "text", "text": {"body": "x"}}) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "628",
        "type": "text",
        "text": {"body": "x"},
    }


def test_long_text_is_split_at_4096():
    text = "\n".join(f"{n}. " + "syarat " * 50 for n in range(30))
    messages = text_messages(text)
    bodies = [m["text"]["body"] for m in messages]
    assert len(bodies) == 3 and all(len(b) <= 4096 for b in bodies)

    def lines(value: str) -> list[str]:
        return [line.rstrip() for line in value.split("\n")]

    assert lines("\n".join(bodies)) == lines(text)  # cut between lines only
    assert all(
        m == {"type": "text", "text": {"body": m["text"]["body"], "preview_url": False}} for m in messages
    )


def buttons(*titles: str) -> list[dict]:
    return [{"title": title, "payload": f'/pilih{{"n":{n}}}'} for n, title in enumerate(titles)]


def test_up_to_three_buttons_are_reply_buttons_with_titles_of_20():
    keys = PayloadKeys(ROW_ID_LIMIT)
    out = button_messages(
        "Pilih layanan:", buttons("Izin Apotek", "Izin Praktik Bidan Mandiri", "Lainnya"), keys
    )
    assert out.numbered == ()
    [message] = out.messages
    interactive = message["interactive"]
    assert message["type"] == "interactive" and interactive["type"] == "button"
    assert interactive["body"] == {"text": "Pilih layanan:"}
    reply_buttons = interactive["action"]["buttons"]
    assert [b["reply"]["title"] for b in reply_buttons] == ["Izin Apotek", "Izin Praktik Bidan…", "Lainnya"]
    assert all(len(b["reply"]["title"]) <= 20 and b["type"] == "reply" for b in reply_buttons)
    assert [keys.decode(b["reply"]["id"]) for b in reply_buttons] == [
        '/pilih{"n":0}',
        '/pilih{"n":1}',
        '/pilih{"n":2}',
    ]


def test_four_to_ten_buttons_are_a_list_with_row_titles_of_24():
    titles = [f"Izin Usaha Nomor {n} Bidang Kesehatan" for n in range(10)]
    out = button_messages("Ada sepuluh layanan:", buttons(*titles), KEYS)
    [message] = out.messages
    interactive = message["interactive"]
    assert interactive["type"] == "list" and interactive["body"] == {"text": "Ada sepuluh layanan:"}
    assert interactive["action"]["button"] == LIST_BUTTON_LABEL and len(LIST_BUTTON_LABEL) <= 20
    rows = interactive["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert all(len(r["title"]) <= 24 and len(r["description"]) <= 72 for r in rows)
    assert rows[0]["description"] == titles[0]  # the cut title is shown in full below
    assert all(len(r["id"]) <= 200 for r in rows)
    assert (
        len(
            button_messages("x", buttons("A", "B", "C", "D"), KEYS).messages[0]["interactive"]["action"][
                "sections"
            ][0]["rows"]
        )
        == 4
    )


def test_more_than_ten_buttons_become_numbered_text_and_a_number_picks_one():
    options = buttons(*(f"Layanan {n}" for n in range(1, 13)))
    out = button_messages("Pilih:", options, KEYS)
    [message] = out.messages
    body = message["text"]["body"]
    assert body.startswith(f"Pilih:\n\n{NUMBERED_INTRO}\n1. Layanan 1\n2. Layanan 2\n")
    assert body.endswith("12. Layanan 12")
    assert out.numbered == tuple(b["payload"] for b in options)

    choices = NumberedChoices()
    choices.offer("628", out.numbered)
    assert choices.resolve("628", "halo") == "halo"
    assert choices.resolve("999", "2") == "2"  # someone else's number means nothing
    assert choices.resolve("628", " 12. ") == options[11]["payload"]
    assert choices.resolve("628", "3") == "3"  # used up: a later "3" is ordinary text


def test_duplicate_titles_after_cutting_fall_back_to_a_list():
    out = button_messages("x", buttons("Izin Praktik Dokter Umum", "Izin Praktik Dokter Gigi"), KEYS)
    assert out.messages[0]["interactive"]["type"] == "list"


def test_interactive_body_longer_than_1024_is_sent_first_as_text():
    text = "Penjelasan " * 150  # about 1650 characters
    out = button_messages(text, buttons("Ya", "Tidak"), KEYS)
    first, second = out.messages
    assert first["type"] == "text" and first["text"]["body"] == text.strip()
    assert second["interactive"]["body"] == {"text": CHOOSE_TEXT}
    short = button_messages("a\n" * 10, buttons("Ya"), KEYS)
    assert len(short.messages) == 1


def test_bodies_never_exceed_limits_on_huge_input():
    text = ("baris panjang sekali " * 30 + "\n") * 40
    for count in (2, 7, 15):
        for message in button_messages(
            text, buttons(*(f"Pilihan {n} " * 5 for n in range(count))), KEYS
        ).messages:
            if message["type"] == "text":
                assert len(message["text"]["body"]) <= 4096
            else:
                assert len(message["interactive"]["body"]["text"]) <= 1024


def test_signature_check_is_hmac_sha256_of_the_raw_body():
    from bot.channels.whatsapp import signature_is_valid

    body = b'{"object":"whatsapp_business_account","entry":[]}'
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert signature_is_valid("app-secret", body, good)
    assert not signature_is_valid("app-secret", body + b" ", good)
    assert not signature_is_valid("other-secret", body, good)
    assert not signature_is_valid("app-secret", body, good.replace("sha256=", "sha1="))
    assert not signature_is_valid("app-secret", body, None)
    assert not signature_is_valid("", body, good)  # no secret configured: nothing is trusted


async def test_deduplicator_remembers_a_bounded_number_of_ids():
    from bot.channels.whatsapp import Deduplicator

    dedup = Deduplicator(capacity=2)
    assert await dedup.first_time("a") and await dedup.first_time("b")
    assert not await dedup.first_time("a")
    assert await dedup.first_time("c")  # evicts "b", the least recently seen
    assert await dedup.first_time("b")


async def test_deduplicator_shares_ids_through_redis():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL not set (e.g. redis://127.0.0.1:6379/15)")
    import uuid

    from bot.channels.whatsapp import Deduplicator

    message_id = f"wamid.test-{uuid.uuid4()}"
    first, second = Deduplicator(redis_url=url), Deduplicator(redis_url=url)  # two Rasa processes
    assert await first.first_time(message_id)
    assert not await second.first_time(message_id)


async def test_deduplicator_falls_back_to_memory_when_redis_is_down():
    from bot.channels.whatsapp import Deduplicator

    dedup = Deduplicator(redis_url="redis://127.0.0.1:1/0")
    assert await dedup.first_time("wamid.z")
    assert not await dedup.first_time("wamid.z")
