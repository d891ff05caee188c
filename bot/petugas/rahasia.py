"""Secrets the staff console shares with other processes, from the environment or generated once.

A deployment sets them in the environment. Without that (a laptop, `make run`), each is generated
on first use into a file readable only by its owner under the data directory, so the console and
the Rasa server of one machine agree, and sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def rahasia(env_name: str, file_name: str) -> str:
    value = os.environ.get(env_name, "").strip()
    if value:
        return value
    from bot.db import data_dir

    path = Path(data_dir()) / file_name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as file:
        value = secrets.token_urlsafe(32)
        file.write(value)
    return value


def rahasia_jembatan() -> str:
    """The bearer token between the console and the Rasa server's staff bridge."""
    return rahasia("PANDU_HANDOFF_SECRET", "handoff_secret")


def kunci_sesi() -> str:
    """The key that signs the console's session cookies."""
    return rahasia("PANDU_KONSOL_SECRET", "konsol_secret")
