"""Adds the staff API to `make run` (bot/run.py) when PANDU_API_TOKEN is set; port PANDU_API_PORT
(default 5056) on PANDU_HOST."""

from __future__ import annotations

import os
import sys
from typing import Optional

from bot.run import Service, Settings, register_service


@register_service
def staff_api(settings: Settings) -> Optional[Service]:
    """staff api: off (set PANDU_API_TOKEN to start it)"""
    token = (settings.env.get("PANDU_API_TOKEN") or os.environ.get("PANDU_API_TOKEN", "")).strip()
    if not token:
        return None  # no token, no API: an unauthenticated staff API must never run
    port = settings.env.get("PANDU_API_PORT") or os.environ.get("PANDU_API_PORT", "5056")
    return Service(
        name="staff api",
        command=[sys.executable, "-m", "bot", "api", "serve", "--host", settings.host, "--port", str(port)],
        ready_url=f"http://127.0.0.1:{port}/api/v1/health",
        listens=((settings.host, int(port)),),
    )
