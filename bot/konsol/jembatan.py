"""Client of the staff bridge in the Rasa server (bot/channels/petugas.py)."""

from __future__ import annotations

import logging
from typing import Optional

import httpx

logger = logging.getLogger(__name__)

PATH = "/webhooks/petugas/peristiwa"


async def kirim_peristiwa(
    rasa_url: str, secret: str, percakapan: str, aksi: str, teks: str, petugas: str
) -> Optional[str]:
    """Add a staff message ("pesan") or the hand-back ("kembalikan") to the conversation.
    Returns None on success, else a reason for staff."""
    try:
        async with httpx.AsyncClient(timeout=15.0) as client:
            response = await client.post(
                rasa_url.rstrip("/") + PATH,
                json={"percakapan": percakapan, "aksi": aksi, "teks": teks, "petugas": petugas},
                headers={"Authorization": f"Bearer {secret}"},
            )
    except httpx.HTTPError as exc:
        logger.warning("staff bridge unreachable: %s", type(exc).__name__)
        return f"asisten (server Rasa) tidak dapat dihubungi ({type(exc).__name__})"
    if response.status_code != 200:
        try:
            reason = str(response.json().get("error") or "")
        except (ValueError, AttributeError):
            reason = ""
        logger.warning("staff bridge refused (%s)", response.status_code)
        return f"asisten menolak ({response.status_code}) {reason}".strip()
    return None
