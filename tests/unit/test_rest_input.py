"""The REST channel's body check: what gets a 400/413 instead of reaching Rasa (or crashing it)."""

from __future__ import annotations

import pytest

from bot.channels.rest_input import MAX_MESSAGE_CHARS, BodyError, RestMessage, parse_body


def test_a_normal_body_is_accepted():
    assert parse_body({"sender": "u1", "message": "syarat sip bidan", "metadata": {"a": 1}}) == RestMessage(
        sender="u1", text="syarat sip bidan", metadata={"a": 1}
    )


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀", "ما هي شروط", "营业执照", "x" * 10_000, "'; DROP TABLE x; --"]
)
def test_any_string_message_is_accepted_even_odd_ones(text):
    assert isinstance(parse_body({"sender": "u", "message": text}), RestMessage)


def test_sender_defaults_and_numeric_sender_becomes_text():
    assert parse_body({"message": "hai"}).sender == "default"
    assert parse_body({"message": "hai", "sender": 628123}).sender == "628123"


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
    ],
)
def test_malformed_bodies_are_client_errors(body):
    result = parse_body(body)
    assert isinstance(result, BodyError) and result.status == 400 and result.reason


def test_overlong_message_is_413():
    result = parse_body({"sender": "u", "message": "x" * (MAX_MESSAGE_CHARS + 1)})
    assert isinstance(result, BodyError) and result.status == 413
