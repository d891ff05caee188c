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
    return Service(
        name="telegram gateway",
        command=[sys.executable, "-m", "bot", "telegram", "--rasa-url", settings.rasa_url],
    )
