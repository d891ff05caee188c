"""What of a conversation is never written into the tracker's events, and where it goes instead.

Complaint details (what happened, when, name, contact), the survey's free comment and verification
answers (phone digits, receipt code) are personal data. Rasa keeps every event of a conversation:
the person's messages, the slots set from them, the bot's messages repeating them. Before the
tracker store writes events, `redact` replaces

- the text of a user message that answers one of `SECRET_SLOTS` (the form's `requested_slot` at
  that moment), with its parse data reduced to the intent;
- the value of a `SECRET_SLOTS` slot;
- the text of a bot message an action marked with `PERSONAL_MARK` (the complaint summary);

with `REDACTED`. A form needs its answers over several turns, so the current values of
`SECRET_SLOTS` are kept in their own table (`SECRET_SLOT_TABLE`, next to `events`, one row per
conversation and slot) and put back when the tracker is read; a slot set to None (the complaint was
saved or cancelled, the check answered) deletes its row. `python -m bot data retensi|hapus` delete
them with the conversation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text

SECRET_SLOTS = frozenset(
    {
        "kode_verifikasi",
        "kode_tanda_terima",
        "pengaduan_uraian",
        "pengaduan_waktu",
        "pengaduan_nama",
        "pengaduan_kontak",
        "skm_komentar",  # the survey's free comment may name people or numbers
    }
)
REDACTED = "[disamarkan]"
# Key of a bot message's metadata (`dispatcher.utter_message(..., **{PERSONAL_MARK: True})`).
PERSONAL_MARK = "berisi_data_pribadi"

metadata = MetaData()
# Lives in the tracker store's database, created by the tracker store like Rasa's `events`.
SECRET_SLOT_TABLE = Table(
    "percakapan_rahasia",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("slot", String(64), primary_key=True),
    Column("nilai", Text, nullable=False),
    Column("diubah_pada", DateTime, nullable=False),
)


def _redacted_user(event: dict[str, Any]) -> dict[str, Any]:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    event["text"] = REDACTED
    event["parse_data"] = {
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "entities": [],
        "text": REDACTED,
        "message_id": parse.get("message_id"),
        "metadata": parse.get("metadata") or {},
    }
    return event


def redact_one(event: dict[str, Any], requested_slot: Any) -> dict[str, Any]:
    """A copy of one serialised event as it may be stored."""
    kind = event.get("event")
    if kind == "user" and requested_slot in SECRET_SLOTS:
        return _redacted_user(copy.deepcopy(event))
    if kind == "slot" and event.get("name") in SECRET_SLOTS and event.get("value") not in (None, REDACTED):
        return {**event, "value": REDACTED}
    if kind == "bot" and (event.get("metadata") or {}).get(PERSONAL_MARK):
        return {**event, "text": REDACTED, "data": {**(event.get("data") or {}), "custom": None}}
    return event


def next_requested_slot(requested: Any, kind: Optional[str], name: Any, value: Any) -> Any:
    """The slot a form asks for after an event (`kind` = the event's type name)."""
    if kind == "slot" and name == "requested_slot":
        return value
    if (kind in ("active_loop", "form") and name is None) or kind in ("restart", "session_started"):
        return None
    return requested


def redact(events: Sequence[dict[str, Any]], requested: Any = None) -> list[dict[str, Any]]:
    """New events (serialised, in order) as they may be stored; `requested` is the slot the form was
    asking for before the first of them."""
    stored: list[dict[str, Any]] = []
    for event in events:
        stored.append(redact_one(event, requested))
        requested = next_requested_slot(requested, event.get("event"), event.get("name"), event.get("value"))
    return stored


def secret_values(slots: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """(slot, current value) -> the values to keep in `SECRET_SLOT_TABLE` (None: delete the row)."""
    return {
        name: (None if value in (None, REDACTED) else value) for name, value in slots if name in SECRET_SLOTS
    }
