"""Adds the Telegram gateway to `make run` (bot/run.py) when TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

import os
import sys
from typing import Optional

from bot.run import Service, Settings, register_service


@register_service
def telegram_gateway(settings: Settings) -> Optional[Service]:
    """telegram gateway: off (set TELEGRAM_BOT_TOKEN to start it)"""
    token = (settings.env.get("TELEGRAM_BOT_TOKEN") or os.environ.get("TELEGRAM_BOT_TOKEN", "")).strip()
    if not token:
        return None  # no bot token: no Telegram (polling needs no public address, just the token)
    from bot.gangguan import pesan_gangguan

    return Service(
        name="telegram gateway",
        command=[sys.executable, "-m", "bot", "telegram", "--rasa-url", settings.rasa_url],
        # the shared secret of Rasa's Telegram input, and the apology with the office contacts
        env={
            "PANDU_GATEWAY_SECRET": settings.gateway_secret,
            "PANDU_PESAN_GANGGUAN": pesan_gangguan({**os.environ, **settings.env}),
        },
    )
