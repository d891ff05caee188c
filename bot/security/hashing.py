"""HMACs with a server secret, so ids stored or logged cannot be reversed by enumeration.

A sender id is often a phone number (WhatsApp): an unsalted hash of it is found by trying every
number. With the secret (`PANDU_HASH_SECRET`, else a random one created once in the data directory
with mode 0600) a stolen database alone reveals nothing. Every process of one deployment (Rasa,
action server, staff CLI) must see the same secret: the same environment, or the same data dir.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from functools import lru_cache
from pathlib import Path

ENV_SECRET = "PANDU_HASH_SECRET"
SECRET_FILE = "hash_secret"

_lock = threading.Lock()


def _secret_file() -> Path:
    from bot.db import data_dir

    return data_dir() / SECRET_FILE


def _read_or_create(path: Path) -> bytes:
    """The secret in `path`, created atomically (O_EXCL) by the first process that needs it."""
    with _lock:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    for _ in range(50):  # another process may be between creating and writing the file
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value.encode("ascii")
        threading.Event().wait(0.02)
    raise RuntimeError(f"{path} is empty: delete it, or set {ENV_SECRET}")


@lru_cache(maxsize=4)
def _secret_for(env_value: str, data_dir_value: str) -> bytes:
    if env_value:
        return env_value.encode("utf-8")
    return _read_or_create(_secret_file())


def server_secret() -> bytes:
    """`PANDU_HASH_SECRET`, else the secret kept in `$PANDU_DATA_DIR/hash_secret`."""
    return _secret_for(os.environ.get(ENV_SECRET, "").strip(), os.environ.get("PANDU_DATA_DIR", ""))


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 (hex, 64 characters) of `value`; `kind` separates uses (sender, address, ...)."""
    message = f"{kind}\x1f{value}".encode("utf-8", "surrogatepass")
    return hmac.new(server_secret(), message, hashlib.sha256).hexdigest()


def mask_id(value: object) -> str:
    """An id as it may appear in logs: its channel prefix and a short keyed hash ("whatsapp:#3fa1c2d4e5").

    The same id gives the same mask, so one conversation can be followed through the logs.
    """
    text = str(value)
    prefix, sep, _ = text.partition(":")
    label = f"{prefix}:" if sep and prefix.isalpha() and len(prefix) <= 12 else ""
    return f"{label}#{keyed_hash('log', text)[:10]}"
