"""Shared channel helpers: splitting, truncation, payload keys, the Rasa REST reply parser."""

from __future__ import annotations

import pytest

from bot.channels.payload_keys import PayloadKeys
from bot.channels.rasa_rest import AssistantUnavailable, Button, Reply, parse_replies
from bot.channels.text import split_text, truncate, utf16_length


def test_short_text_is_one_chunk_and_blank_text_none():
    assert split_text("halo\ndunia", 100) == ["halo\ndunia"]
    assert split_text("  \n ", 100) == []


def test_split_prefers_line_boundaries():
    text = "\n".join(f"baris {n:02d}" for n in range(10))  # 8 characters per line
    chunks = split_text(text, 20)
    assert chunks == [
        "baris 00\nbaris 01",
        "baris 02\nbaris 03",
        "baris 04\nbaris 05",
        "baris 06\nbaris 07",
        "baris 08\nbaris 09",
    ]
    assert "\n".join(chunks) == text


def test_a_long_line_is_cut_at_spaces_then_mid_word():
    assert split_text("satu dua tiga empat", 9) == ["satu dua", "tiga", "empat"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_every_chunk_respects_the_limit_on_mixed_input():
    text = ("kalimat panjang " * 40 + "\n") * 30 + "y" * 500
    for limit in (50, 333, 1000):
        chunks = split_text(text, limit)
        assert all(0 < len(chunk) <= limit for chunk in chunks)
        assert "".join(chunks).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_split_can_measure_like_telegram():
    emoji_line = "😀" * 3  # 3 code points, 6 UTF-16 units
    assert utf16_length(emoji_line) == 6
    assert split_text(emoji_line, 4, measure=utf16_length) == ["😀😀", "😀"]


def test_truncate_marks_a_cut():
    assert truncate("Izin Praktik Bidan", 20) == "Izin Praktik Bidan"
    assert truncate("Izin Praktik Bidan Mandiri", 20) == "Izin Praktik Bidan…"
    assert truncate("Izin Praktik Bidan Mandiri Sehat", 24) == "Izin Praktik Bidan Mand…"
    assert len(truncate("Izin Praktik Bidan Mandiri Sehat", 24)) == 24


def test_payload_keys_carry_short_payloads_and_key_long_ones():
    keys = PayloadKeys(64)
    short = '/pilih_layanan{"layanan":"apotek"}'
    long = '/pilih_layanan{"layanan":"' + "kabupaten-ogan-komering-ilir/izin-praktik-bidan" + '"}'
    assert keys.encode(short) == "p:" + short
    encoded = keys.encode(long)
    assert encoded.startswith("k:") and len(encoded.encode()) <= 64
    assert keys.encode(long) == encoded  # stable
    assert keys.decode(encoded) == long
    assert keys.decode("p:" + short) == short
    assert keys.decode("k:never-issued") is None
    assert keys.decode(None) is None and keys.decode("") is None


def test_payload_keys_are_bounded():
    keys = PayloadKeys(10, capacity=2)
    first, second, third = (keys.encode(f"/payload-number-{n}") for n in range(3))
    assert keys.decode(first) is None  # forgotten: the oldest
    assert keys.decode(second) == "/payload-number-1"
    assert keys.decode(third) == "/payload-number-2"


def test_parse_replies_reads_text_and_buttons_and_skips_junk():
    body = [
        {"recipient_id": "u", "text": "Halo"},
        {
            "recipient_id": "u",
            "text": "Pilih:",
            "buttons": [{"title": "A", "payload": "/a"}, {"title": "B"}, "x"],
        },
        {"recipient_id": "u", "image": "https://example.org/x.png"},
        "nonsense",
    ]
    assert parse_replies(body) == [
        Reply("Halo"),
        Reply("Pilih:", (Button("A", "/a"), Button("B", "B"))),
    ]


def test_parse_replies_refuses_a_non_list():
    with pytest.raises(AssistantUnavailable):
        parse_replies({"error": "boom"})
