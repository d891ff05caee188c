"""Text helpers and user-facing wording shared by all channels (pure code)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

# Shown when someone sends a photo, sticker, location, voice note, ...
NON_TEXT_REPLY = "Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pertanyaan Anda."
# Shown when the assistant (Rasa) cannot be reached or answers with an error.
ASSISTANT_DOWN_REPLY = (
    "Maaf, layanan Pandu Izin sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi "
    "atau hubungi kantor DPMPTSP secara langsung."
)
# Said when a message is empty of replies because the assistant failed inside (action server down,
# database unreachable). `make run` passes the office contacts in PANDU_PESAN_GANGGUAN (bot.gangguan);
# channels only read the text.
ENV_TROUBLE_REPLY = "PANDU_PESAN_GANGGUAN"
TROUBLE_REPLY_DEFAULT = (
    "Maaf, asisten Pandu Izin sedang mengalami gangguan dan belum bisa menjawab. Silakan coba lagi "
    "beberapa saat lagi atau hubungi kantor DPMPTSP secara langsung."
)

# One limit for every channel: longer messages are answered with a notice, never sent to the NLU
# (20,000 characters of short tokens cost Rasa seconds; the complaint form takes 20-2,000).
MAX_MESSAGE_CHARS = 1500
# Shown when a button is pressed whose payload we no longer remember (e.g. after a restart).
EXPIRED_BUTTON_REPLY = "Maaf, tombol ini sudah kedaluwarsa. Silakan ketik pertanyaan Anda."


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Split `text` into chunks of at most `limit` (by `measure`), preferring line boundaries.

    A line longer than the limit is cut at its last space before the limit, and only cut
    mid-word when it has no space at all. Empty chunks are dropped; joining the chunks with
    newlines gives back the text up to the whitespace at the cut points.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if measure(text) <= limit:
        return [text.rstrip()] if text.strip() else []

    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = line if not current else current + "\n" + line
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current.rstrip())
        current = ""
        # The line alone may still be too long: cut it into pieces that fit.
        while measure(line) > limit:
            piece = _longest_prefix(line, limit, measure)
            space = piece.rfind(" ")
            if space > 0:
                piece = piece[:space]
            chunks.append(piece.rstrip())
            line = line[len(piece) :].lstrip(" ")
        current = line
    if current.strip():
        chunks.append(current.rstrip())
    return chunks


def _longest_prefix(text: str, limit: int, measure: Callable[[str], int]) -> str:
    """The longest prefix of `text` whose measure is at most `limit` (at least one character)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with an ellipsis when it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def trouble_reply() -> str:
    """The apology for a turn that produced no reply (with the office contacts when configured)."""
    return os.environ.get(ENV_TROUBLE_REPLY, "").strip() or TROUBLE_REPLY_DEFAULT


def too_long_reply(length: int) -> str:
    def dotted(n: int) -> str:  # 1.500, as Indonesian writes thousands
        return f"{n:,}".replace(",", ".")

    return (
        f"Maaf, pesan Anda terlalu panjang ({dotted(length)} karakter; paling banyak "
        f"{dotted(MAX_MESSAGE_CHARS)}). Mohon ringkas pertanyaan Anda, atau kirim dalam beberapa pesan "
        "yang lebih pendek."
    )


def is_too_long(text: str) -> bool:
    return len(text) > MAX_MESSAGE_CHARS


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Lone UTF-16 surrogates (valid JSON escapes, invalid text) become U+FFFD, so the message can be
    stored, logged and answered instead of failing somewhere downstream."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def clean_json(value: Any, depth: int = 0) -> Any:
    """`clean_text` over every string (and key) of decoded JSON."""
    if isinstance(value, str):
        return clean_text(value)
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v, depth + 1) for v in value]
    return value
