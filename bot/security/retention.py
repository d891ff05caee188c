"""Conversations kept only as long as needed, and deleted on request.

- `retensi(hari)`: conversations whose last event is older than `hari` days are deleted whole (the
  tracker store's `events` and `percakapan_rahasia` rows), with attempt counters whose window and
  lock are over. Complaints and applications are the office's records and stay.
- `hapus_pengirim(conversation_id)`: one person's conversation, its secret slot values and its
  attempt counters; their complaints lose the link to the conversation (and, when asked, the
  name and contact the person gave).

The conversation tables live in the tracker store's database (`TRACKER_DATABASE_URL`, else
`DATABASE_URL`); the counters and complaints in the main database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import column, delete, func, inspect, select, table, update

from bot.security.redaction import SECRET_SLOT_TABLE

EVENTS = table("events", column("sender_id"), column("timestamp"))
BATCH = 500


@dataclass(frozen=True)
class HasilHapus:
    percakapan: int = 0  # conversations (sender ids) removed
    peristiwa: int = 0  # events removed
    nilai_rahasia: int = 0  # secret slot rows removed
    penghitung: int = 0  # attempt counters removed
    pengaduan: int = 0  # complaints unlinked / anonymised


def _has(engine, name: str) -> bool:  # noqa: ANN001
    return inspect(engine).has_table(name)


def retensi(
    hari: float, tracker_url: Optional[str] = None, url: Optional[str] = None, now: Optional[float] = None
) -> HasilHapus:
    """Delete conversations idle for more than `hari` days, and expired attempt counters."""
    from bot.db import get_engine, session_factory, tracker_database_url
    from bot.permohonan.models import utcnow
    from bot.security import percobaan

    cutoff = (now if now is not None else time.time()) - hari * 86400
    engine = get_engine(tracker_url or tracker_database_url())
    conversations = events = secrets = 0
    if _has(engine, "events"):
        with engine.begin() as connection:
            idle = [
                sender
                for (sender,) in connection.execute(
                    select(EVENTS.c.sender_id)
                    .group_by(EVENTS.c.sender_id)
                    .having(func.max(EVENTS.c.timestamp) < cutoff)
                )
            ]
            for start in range(0, len(idle), BATCH):
                chunk = idle[start : start + BATCH]
                events += (
                    connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount or 0
                )
                if _has(engine, SECRET_SLOT_TABLE.name):
                    secrets += (
                        connection.execute(
                            delete(SECRET_SLOT_TABLE).where(SECRET_SLOT_TABLE.c.sender_id.in_(chunk))
                        ).rowcount
                        or 0
                    )
            conversations = len(idle)
    with session_factory(url)() as session:
        counters = percobaan.hapus_kedaluwarsa(session, utcnow())
        session.commit()
    return HasilHapus(conversations, events, secrets, counters)


def hapus_pengirim(
    conversation_id: str,
    identitas_pengaduan: bool = False,
    tracker_url: Optional[str] = None,
    url: Optional[str] = None,
) -> HasilHapus:
    """Delete one conversation (`whatsapp:62812...`, `telegram:12345`, `webchat:<id>`, a REST id)."""
    from bot.db import get_engine, session_factory, tracker_database_url
    from bot.pengaduan.models import PengaduanRow
    from bot.permohonan.repository import hash_pengirim
    from bot.security.percobaan import PENGIRIM, TIKET_PENGIRIM, VerifikasiPercobaanRow

    engine = get_engine(tracker_url or tracker_database_url())
    events = secrets = 0
    if _has(engine, "events"):
        with engine.begin() as connection:
            events = (
                connection.execute(delete(EVENTS).where(EVENTS.c.sender_id == conversation_id)).rowcount or 0
            )
            if _has(engine, SECRET_SLOT_TABLE.name):
                secrets = (
                    connection.execute(
                        delete(SECRET_SLOT_TABLE).where(SECRET_SLOT_TABLE.c.sender_id == conversation_id)
                    ).rowcount
                    or 0
                )
    hashed = hash_pengirim(conversation_id)
    with session_factory(url)() as session:
        counters = (
            session.execute(
                delete(VerifikasiPercobaanRow).where(
                    VerifikasiPercobaanRow.jenis.in_((PENGIRIM, TIKET_PENGIRIM)),
                    VerifikasiPercobaanRow.kunci == hashed,
                )
            ).rowcount
            or 0
        )
        changes: dict = {"pengirim": None}
        if identitas_pengaduan:
            changes.update(nama=None, kontak=None)
        complaints = (
            session.execute(
                update(PengaduanRow).where(PengaduanRow.pengirim == hashed).values(**changes)
            ).rowcount
            or 0
        )
        session.commit()
    return HasilHapus(1 if events else 0, events, secrets, counters, complaints)
