"""Adds the follow-up worker to `make run` (bot/run.py): `python -m bot tindak-lanjut jalan`."""

from __future__ import annotations

import sys

from bot.run import Service, Settings, register_service


@register_service
def follow_up_worker(settings: Settings) -> Service:
    return Service(name="follow-up worker", command=[sys.executable, "-m", "bot", "tindak-lanjut", "jalan"])
