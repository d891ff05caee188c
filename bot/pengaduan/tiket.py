"""Ticket codes: random (from `secrets`), short enough to type, without look-alike characters."""

from __future__ import annotations

import re
import secrets
from typing import Optional

# No 0/O, 1/I/L: a code read aloud or copied from a photo stays unambiguous.
ALFABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "ADU"
KODE_RE = re.compile(rf"^{PREFIX}-[{ALFABET}]{{4}}-[{ALFABET}]{{4}}$")
# 31^8 ≈ 8.5e11 codes: guessing one that exists is hopeless.


def buat_kode() -> str:
    part = lambda: "".join(secrets.choice(ALFABET) for _ in range(4))  # noqa: E731
    return f"{PREFIX}-{part()}-{part()}"


def normalize_kode(text: str) -> Optional[str]:
    """'adu 7kq2 9xfd', 'ADU7KQ29XFD', 'adu/7kq2/9xfd' -> 'ADU-7KQ2-9XFD'; None when it cannot be a
    ticket code."""
    compact = re.sub(r"[\s\-_./]", "", (text or "").upper())
    if not compact.startswith(PREFIX):
        return None
    body = compact[len(PREFIX) :]
    if len(body) != 8:
        return None
    kode = f"{PREFIX}-{body[:4]}-{body[4:]}"
    return kode if KODE_RE.match(kode) else None
