"""Adds the staff console to `make run` (bot/run.py): port PANDU_KONSOL_PORT (5057) on PANDU_HOST.

The console talks to the Rasa server's staff bridge with a shared secret (PANDU_HANDOFF_SECRET;
without it both read the same generated file under the data directory, bot/petugas/rahasia.py).
"""

from __future__ import annotations

import os
import sys

from bot.run import Service, Settings, register_service


@register_service
def staff_console(settings: Settings) -> Service:
    port = settings.env.get("PANDU_KONSOL_PORT") or os.environ.get("PANDU_KONSOL_PORT", "5057")
    return Service(
        name="staff console",
        command=[
            sys.executable, "-m", "bot", "konsol", "serve",
            "--host", settings.host, "--port", str(port), "--rasa-url", settings.rasa_url,
        ],  # fmt: skip
        ready_url=f"http://127.0.0.1:{port}/konsol/sehat",
        url=f"http://127.0.0.1:{port}/konsol/",
        listens=((settings.host, int(port)),),
    )
