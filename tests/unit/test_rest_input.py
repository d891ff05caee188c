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


class _Tracker:
    def __init__(self, paused: bool) -> None:
        self.paused = paused

    def is_paused(self) -> bool:
        return self.paused


class _Store:
    def __init__(self, tracker) -> None:  # noqa: ANN001
        self.tracker = tracker

    async def retrieve(self, conversation_id: str):  # noqa: ANN201
        if isinstance(self.tracker, Exception):
            raise self.tracker
        return self.tracker


class _Agent:
    def __init__(self, tracker) -> None:  # noqa: ANN001
        self.tracker_store = _Store(tracker)


async def _silent(message) -> None:  # noqa: ANN001 - Rasa answered nothing
    return None


async def _crashing(message) -> None:  # noqa: ANN001
    raise RuntimeError("action server down")


def _turn(on_new_message, agent) -> list:  # noqa: ANN001
    import asyncio

    from bot.channels.rest_input import converse

    return asyncio.run(
        converse(on_new_message, text="halo", sender="u1", conversation_id="u1", channel="rest", agent=agent)
    )


def test_silence_in_a_conversation_staff_took_over_is_kept_any_other_silence_gets_an_apology():
    from bot.channels.text import trouble_reply

    assert _turn(_silent, _Agent(_Tracker(paused=True))) == []
    apology = [{"recipient_id": "u1", "text": trouble_reply()}]
    assert _turn(_silent, _Agent(_Tracker(paused=False))) == apology
    assert _turn(_silent, _Agent(None)) == apology  # no conversation stored
    assert _turn(_silent, _Agent(OSError("database down"))) == apology
    assert _turn(_silent, None) == apology
    assert _turn(_crashing, _Agent(_Tracker(paused=True))) == apology  # a failure is never silent
