"""Finding the unanswered questions in the conversations Rasa keeps (the tracker store's `events`
table), without touching the dialogue: the follow-up worker reads the new events each pass.

A user message is unanswered when the assistant replied to it with one of the failure responses of
the domain (GAGAL: not understood, service not found, not a service of ours, out of scope). A handoff
(the request queued: utter_petugas_diteruskan / utter_petugas_di_luar_jam) records the question the
person asked before asking for a person (or the request itself when there was none). One record per
user message at most. Names the conversation gave in a form (slots whose name has "nama") and
verification digits are masked along with phones, NIK, e-mails (bot/tak_terjawab/samaran.py).

Events committed late (a conversation's transaction still open when a pass reads) are not lost: the
reader keeps its mark PERIKSA_ULANG behind the newest event and reads those again next pass; the
unique key of each record keeps them single.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.permohonan.models import utcnow
from bot.petugas.riwayat import EVENTS
from bot.tak_terjawab.models import PenandaRow
from bot.tak_terjawab.repository import catat, kunci_pesan

logger = logging.getLogger(__name__)

PENANDA = "tak_terjawab"
# Replies that leave a question unanswered, by kind (actions/handoff.py offers a person after two).
GAGAL = {
    "utter_fallback": "fallback",
    "utter_default": "fallback",
    "utter_layanan_tidak_ditemukan": "tidak_ditemukan",
    "utter_bukan_layanan_kami": "di_luar_layanan",
    "utter_out_of_scope": "di_luar_layanan",
}
PETUGAS = frozenset({"utter_petugas_diteruskan", "utter_petugas_di_luar_jam"})
KODE_SLOT = frozenset({"kode_verifikasi"})
BATCH = 2000
PERIKSA_ULANG = timedelta(seconds=60)


@dataclass
class _Pesan:
    event_id: int
    waktu: float
    teks: str
    kanal: str


@dataclass
class _Percakapan:
    pesan: list[_Pesan] = field(default_factory=list)  # the last two user messages
    wilayah: Optional[str] = None


def _json(raw: Any) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pesan(event_id: int, timestamp: Optional[float], data: dict[str, Any]) -> Optional[_Pesan]:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    kanal = str(metadata.get("channel") or data.get("input_channel") or "-")
    return _Pesan(event_id, float(timestamp or 0), text, kanal)


def _earlier_users(tracker: Any, sender: str, before_id: int, count: int) -> list[_Pesan]:
    rows = tracker.execute(
        select(EVENTS.c.id, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender, EVENTS.c.type_name == "user", EVENTS.c.id < before_id)
        .order_by(EVENTS.c.id.desc())
        .limit(count)
    ).all()
    found = [_pesan(r.id, r.timestamp, _json(r.data)) for r in reversed(rows)]
    return [p for p in found if p is not None]


def _known_values(tracker: Any, sender: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names and verification codes this conversation gave in forms (to mask them anywhere)."""
    rows = tracker.execute(
        select(EVENTS.c.action_name, EVENTS.c.data).where(
            EVENTS.c.sender_id == sender, EVENTS.c.type_name == "slot"
        )
    ).all()
    names, codes = set(), set()
    for slot, raw in rows:
        value = _json(raw).get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        if slot and "nama" in slot:
            names.add(value)
        elif slot in KODE_SLOT:
            codes.add(value)
    return tuple(names), tuple(codes)


def _waktu(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(tzinfo=None)


def pindai(session: Any, tracker: Any, now: Optional[datetime] = None) -> int:
    """Record the unanswered questions among the events after the reader's mark; move the mark.
    `session`: the application database; `tracker`: the tracker store's. Returns how many were
    recorded. The caller commits `session`."""
    now = now or utcnow()
    mark = session.get(PenandaRow, PENANDA)
    if mark is None:
        mark = PenandaRow(nama=PENANDA, nilai=0, diubah_pada=now)
        session.add(mark)
    try:
        rows = tracker.execute(
            select(
                EVENTS.c.id,
                EVENTS.c.sender_id,
                EVENTS.c.type_name,
                EVENTS.c.timestamp,
                EVENTS.c.action_name,
                EVENTS.c.data,
            )
            .where(EVENTS.c.id > mark.nilai, EVENTS.c.type_name.in_(("user", "bot", "slot")))
            .order_by(EVENTS.c.id)
            .limit(BATCH)
        ).all()
    except (OperationalError, ProgrammingError):  # no events table yet: Rasa never ran here
        tracker.rollback()
        return 0
    settled = (now - PERIKSA_ULANG).replace(tzinfo=timezone.utc).timestamp()
    state: dict[str, _Percakapan] = {}
    recorded = 0
    new_mark = mark.nilai
    for row in rows:
        if (row.timestamp or 0) < settled:
            new_mark = row.id
        convo = state.setdefault(row.sender_id, _Percakapan())
        data = _json(row.data)
        if row.type_name == "slot":
            if row.action_name == "wilayah" and isinstance(data.get("value"), str):
                convo.wilayah = data["value"]
            continue
        if row.type_name == "user":
            found = _pesan(row.id, row.timestamp, data)
            if found is not None:
                convo.pesan = [*convo.pesan, found][-2:]
            continue
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        utter = metadata.get("utter_action")
        if utter not in GAGAL and utter not in PETUGAS:
            continue
        if len(convo.pesan) < (2 if utter in PETUGAS else 1):
            convo.pesan = _earlier_users(tracker, row.sender_id, row.id, 2)
        if not convo.pesan:
            continue
        if utter in GAGAL:
            target, jenis = convo.pesan[-1], GAGAL[utter]
        else:
            # The question behind the request: the message before it (a typed question, not a button).
            before = [p for p in convo.pesan[:-1] if not p.teks.startswith("/")]
            target, jenis = (before[-1] if before else convo.pesan[-1]), "petugas"
        if target.teks.startswith("/"):  # a button payload, not something typed
            continue
        names, codes = _known_values(tracker, row.sender_id)
        entry = catat(
            session,
            target.teks,
            jenis,
            target.kanal,
            kunci_pesan(row.sender_id, target.waktu),
            wilayah=convo.wilayah,
            waktu=_waktu(target.waktu),
            nama_dikenal=names,
            kode_dikenal=codes,
        )
        recorded += entry is not None
    mark.nilai, mark.diubah_pada = new_mark, now
    session.flush()
    if recorded:
        logger.info("unanswered questions: %d recorded", recorded)
    return recorded
