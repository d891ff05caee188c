"""The REST channel's body check: what gets a 400/413 instead of reaching Rasa (or crashing it)."""

from __future__ import annotations

import pytest

from bot.channel_metadata import CLIENT, SHARED_CHAT
from bot.channels.rest_input import MAX_METADATA_BYTES, BodyError, RestMessage, parse_body


def test_a_normal_body_is_accepted():
    assert parse_body({"sender": "u1", "message": "syarat sip bidan", "metadata": {"a": 1}}) == RestMessage(
        sender="u1", text="syarat sip bidan", metadata={"a": 1}
    )


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀", "ما هي شروط", "营业执照", "x" * 10_000, "'; DROP TABLE x; --"]
)
def test_any_string_message_is_accepted_even_odd_ones(text):
    assert isinstance(parse_body({"sender": "u", "message": text}), RestMessage)


def test_a_missing_sender_is_refused_and_a_numeric_sender_becomes_text():
    # never one shared "default" conversation for everybody who leaves the sender out
    assert parse_body({"message": "hai"}) == BodyError(400, parse_body({"message": "hai"}).reason)
    assert parse_body({"message": "hai", "sender": 628123}).sender == "628123"


def test_long_messages_are_parsed_the_channel_answers_them_with_a_notice():
    assert isinstance(parse_body({"sender": "u", "message": "x" * 20_000}), RestMessage)


def test_lone_surrogates_are_repaired_not_dropped():
    parsed = parse_body({"sender": "u\ud800", "message": "syarat \udfff izin", "metadata": {"k": "\ud83d"}})
    assert parsed == RestMessage(sender="u\ufffd", text="syarat \ufffd izin", metadata={"k": "\ufffd"})
    parsed.text.encode("utf-8")  # storable and loggable


def test_metadata_is_bounded_and_reserved_keys_are_the_channels_own():
    too_big = parse_body({"sender": "u", "message": "a", "metadata": {"x": "y" * MAX_METADATA_BYTES}})
    assert isinstance(too_big, BodyError) and too_big.status == 413
    claimed = parse_body(
        {"sender": "u", "message": "a", "metadata": {CLIENT: "x", SHARED_CHAT: True, "ok": 1}}
    )
    assert claimed.metadata == {"ok": 1}


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        ["message"],
        "message",
        42,
        {},
        {"sender": "u"},
        {"sender": "u", "message": None},
        {"sender": "u", "message": 5},
        {"sender": "u", "message": ["a"]},
        {"sender": "", "message": "a"},
        {"sender": True, "message": "a"},
        {"sender": "u" * 300, "message": "a"},
        {"sender": "u", "message": "a", "metadata": "x"},
        {"message": "a"},
        {"sender": None, "message": "a"},
    ],
)
def test_malformed_bodies_are_client_errors(body):
    result = parse_body(body)
    assert isinstance(result, BodyError) and result.status == 400 and result.reason
