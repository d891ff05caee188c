"""Conversations as Rasa's tracker store keeps them (table `events`), read without importing Rasa.

The staff console shows a conversation's whole history from here: the applicant's messages, the
assistant's replies, staff messages (bot events carrying `metadata.petugas`, written by the bridge
in `bot/channels/petugas.py`) and the moments it was paused and resumed. The table belongs to Rasa
(created by its SQLTrackerStore); before Rasa has ever run it does not exist and every history is
empty.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import OperationalError, ProgrammingError

logger = logging.getLogger(__name__)

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
SHOWN = ("user", "bot", "pause", "resume")


@dataclass(frozen=True)
class Pesan:
    """One entry of a conversation as staff see it."""

    dari: str  # pemohon | asisten | petugas | sistem
    teks: str
    waktu: datetime  # naive UTC
    nama: Optional[str] = None  # the staff member's name for dari == "petugas"
    tombol: tuple[str, ...] = field(default_factory=tuple)  # titles of the buttons offered


def _utc(timestamp: Optional[float]) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, tz=timezone.utc).replace(tzinfo=None)


def _entry(type_name: str, timestamp: Optional[float], raw: str) -> Optional[Pesan]:
    try:
        data: dict[str, Any] = json.loads(raw or "{}")
    except ValueError:
        return None
    when = _utc(timestamp)
    if type_name == "pause":
        return Pesan("sistem", "Percakapan dialihkan ke petugas (asisten diam).", when)
    if type_name == "resume":
        return Pesan("sistem", "Percakapan kembali ke asisten.", when)
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    if type_name == "user":
        if text.startswith("/"):  # a button press: show what was chosen, not the raw payload
            intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name") or text[1:].split("{")[
                0
            ]
            text = f"(menekan tombol: {intent})"
        return Pesan("pemohon", text, when)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    payload = data.get("data") if isinstance(data.get("data"), dict) else {}
    buttons = tuple(
        str(b.get("title") or b.get("payload") or "")
        for b in payload.get("buttons") or ()
        if isinstance(b, dict)
    )
    if not text and not buttons:
        return None
    if metadata.get("petugas"):
        return Pesan("petugas", text, when, nama=str(metadata["petugas"]))
    return Pesan("asisten", text, when, tombol=buttons)


def riwayat(
    session: Any, percakapan: str, terakhir: Optional[int] = None, hanya_pemohon: bool = False
) -> list[Pesan]:
    """The conversation oldest first (all sessions); only the last `terakhir` entries when given,
    only the applicant's messages with `hanya_pemohon` (the inbox's preview)."""
    query = select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data).where(
        EVENTS.c.sender_id == percakapan, EVENTS.c.type_name.in_(("user",) if hanya_pemohon else SHOWN)
    )
    if terakhir:
        # Newest first, a few more than asked (some events show nothing), then put back in order.
        query = query.order_by(EVENTS.c.id.desc()).limit(terakhir * 3)
    else:
        query = query.order_by(EVENTS.c.id)
    try:
        rows = session.execute(query).all()
    except (OperationalError, ProgrammingError):  # no events table yet: Rasa never ran here
        session.rollback()
        return []
    if terakhir:
        rows = list(reversed(rows))
    entries = [e for e in (_entry(r.type_name, r.timestamp, r.data) for r in rows) if e is not None]
    return entries[-terakhir:] if terakhir else entries


def pesan_terakhir_pemohon(session: Any, percakapan: str) -> Optional[datetime]:
    """When the applicant last wrote (naive UTC): WhatsApp's 24-hour window starts there."""
    query = (
        select(EVENTS.c.timestamp)
        .where(EVENTS.c.sender_id == percakapan, EVENTS.c.type_name == "user")
        .order_by(EVENTS.c.id.desc())
        .limit(1)
    )
    try:
        found = session.execute(query).scalar_one_or_none()
    except (OperationalError, ProgrammingError):
        session.rollback()
        return None
    return _utc(found) if found is not None else None


def tracker_session_factory() -> Any:
    """Session factory of the tracker store's database (TRACKER_DATABASE_URL, else DATABASE_URL)."""
    from bot.db import session_factory, tracker_database_url

    return session_factory(tracker_database_url())
