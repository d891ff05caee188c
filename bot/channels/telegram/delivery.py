"""Staff messages to a Telegram chat: `sendMessage` with the gateway's bot token.

Environment: TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL (another Bot API server, e.g. the tests' fake).
Plain text (no parse_mode), split at 4096 UTF-16 units like the gateway's replies; flood control
(429 with retry_after) is waited out once.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Optional

import httpx

from bot.channels.pengiriman import GAGAL, TERKIRIM, HasilKirim
from bot.channels.telegram.convert import MESSAGE_LIMIT
from bot.channels.text import split_text, utf16_length

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org/bot"
PREFIX = "telegram:"  # conversations the gateway starts (bot/channels/telegram/rasa_input.py)
MAX_RETRY_WAIT_S = 10.0


def chat_id(percakapan: str) -> Optional[int]:
    """The chat id of a conversation the gateway started (`telegram:<chat id>`)."""
    if not percakapan.startswith(PREFIX):
        return None
    try:
        return int(percakapan[len(PREFIX) :])
    except ValueError:
        return None


async def kirim(
    percakapan: str,
    teks: str,
    token: Optional[str] = None,
    api_url: Optional[str] = None,
    client: Optional[httpx.AsyncClient] = None,
) -> HasilKirim:
    token = (token if token is not None else os.environ.get("TELEGRAM_BOT_TOKEN", "")).strip()
    if not token:
        return HasilKirim(GAGAL, "TELEGRAM_BOT_TOKEN tidak diatur: pesan Telegram tidak dapat dikirim")
    chat = chat_id(percakapan)
    if chat is None:
        return HasilKirim(GAGAL, "percakapan ini bukan percakapan Telegram")
    base = (api_url or os.environ.get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
    url = f"{base}{token}/sendMessage"
    own = client is None
    client = client or httpx.AsyncClient(timeout=15.0)
    try:
        for part in split_text(teks, MESSAGE_LIMIT, utf16_length):
            result = await _send(client, url, {"chat_id": chat, "text": part})
            if result is not None:
                return result
        return HasilKirim(TERKIRIM)
    finally:
        if own:
            await client.aclose()


async def _send(client: httpx.AsyncClient, url: str, body: dict) -> Optional[HasilKirim]:
    """None when sent; the failure otherwise."""
    for attempt in (1, 2):
        try:
            response = await client.post(url, json=body)
        except httpx.HTTPError as exc:
            logger.warning("Telegram sendMessage failed: %s", type(exc).__name__)
            return HasilKirim(GAGAL, f"Telegram tidak dapat dihubungi ({type(exc).__name__})")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 200 and data.get("ok"):
            return None
        retry = (data.get("parameters") or {}).get("retry_after") if isinstance(data, dict) else None
        if response.status_code == 429 and attempt == 1 and retry is not None:
            await asyncio.sleep(min(float(retry), MAX_RETRY_WAIT_S))
            continue
        description = str(data.get("description") or "") if isinstance(data, dict) else ""
        logger.warning("Telegram sendMessage refused (%s)", response.status_code)
        return HasilKirim(GAGAL, f"Telegram menolak ({response.status_code}): {description[:200]}")
    return HasilKirim(GAGAL, "Telegram: batas kirim terlampaui")
