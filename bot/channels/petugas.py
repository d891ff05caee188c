"""The staff bridge inside the Rasa server: staff messages and hand-backs enter the tracker here.

credentials.yml:

    bot.channels.petugas.PetugasBridgeInput:

Route: POST /webhooks/petugas/peristiwa with `Authorization: Bearer $PANDU_HANDOFF_SECRET` and
{"percakapan": "<sender id>", "aksi": "pesan" | "kembalikan", "teks": "...", "petugas": "<name>"}.

- "pesan": the conversation is (again) paused for the assistant, and the text is added as a bot
  message with `metadata.petugas` (so the history and the assistant's context contain it);
- "kembalikan": the optional text is added, then `ConversationResumed`: the assistant answers again.

Why here and not by writing the events table from the console: Rasa's SQL tracker store appends
"the events after the ones already stored", so an event written by another process while Rasa
handles a message of the same conversation would make Rasa drop one of its own. Here the change
runs under Rasa's own per-conversation lock.

Delivery to the applicant's channel is not done here (the console does it: `bot/konsol/kirim.py`).

This module also lets an applicant leave a paused conversation: Rasa skips the dialogue policies
while a conversation is paused (only `/restart` gets through); `install_resume_intents` lets the
intents of RESUME_INTENTS through too, so "batal, saya tanya bot saja" reaches the rule that runs
`action_kembali_ke_asisten`.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

RESUME_INTENTS = frozenset({"kembali_ke_asisten", "batal"})
SLOT = "menunggu_petugas"
MAX_TEXT = 10_000


def install_resume_intents() -> None:
    """Let a paused conversation handle RESUME_INTENTS (idempotent)."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._should_handle_message
    if getattr(original, "_pandu_resume", False):
        return

    def should_handle(tracker: Any) -> bool:
        if original(tracker):
            return True
        latest = tracker.latest_message
        intent = (latest.intent or {}).get("name") if latest is not None else None
        return intent in RESUME_INTENTS

    should_handle._pandu_resume = True  # type: ignore[attr-defined]
    MessageProcessor._should_handle_message = staticmethod(should_handle)


def parse_request(body: Any) -> tuple[Optional[dict[str, str]], Optional[str]]:
    """(fields, None) for a valid body, else (None, reason)."""
    if not isinstance(body, dict):
        return None, "body harus objek JSON"
    percakapan, aksi = body.get("percakapan"), body.get("aksi")
    teks, petugas = body.get("teks") or "", body.get("petugas") or ""
    if not isinstance(percakapan, str) or not percakapan or len(percakapan) > 255:
        return None, "percakapan wajib (string, maksimal 255 karakter)"
    if aksi not in ("pesan", "kembalikan"):
        return None, "aksi harus 'pesan' atau 'kembalikan'"
    if not isinstance(teks, str) or not isinstance(petugas, str) or len(teks) > MAX_TEXT:
        return None, f"teks dan petugas harus string (teks maksimal {MAX_TEXT} karakter)"
    if aksi == "pesan" and not teks.strip():
        return None, "teks wajib untuk aksi 'pesan'"
    return {"percakapan": percakapan, "aksi": aksi, "teks": teks, "petugas": petugas[:120]}, None


async def apply(agent: Any, fields: dict[str, str]) -> None:
    """Append the events for one bridge request under the conversation's lock."""
    from rasa.shared.core.events import BotUttered, ConversationPaused, ConversationResumed, SlotSet

    conversation = fields["percakapan"]
    async with agent.lock_store.lock(conversation):
        tracker = await agent.processor.get_tracker(conversation)
        events: list[Any] = []
        metadata = {"petugas": fields["petugas"] or "Petugas"}
        if fields["aksi"] == "pesan":
            if not tracker.is_paused():  # e.g. a new session began while the request waited
                events += [ConversationPaused(), SlotSet(SLOT, True)]
            events.append(BotUttered(fields["teks"], metadata=metadata))
        else:
            if fields["teks"].strip():
                events.append(BotUttered(fields["teks"], metadata=metadata))
            events += [ConversationResumed(), SlotSet(SLOT, False)]
        for event in events:
            tracker.update(event)
        await agent.tracker_store.save(tracker)


class PetugasBridgeInput(InputChannel):
    """Not a chat channel: the console's way into conversations the Rasa server holds."""

    @classmethod
    def name(cls) -> str:
        return "petugas"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> PetugasBridgeInput:
        install_resume_intents()
        return cls()

    def __init__(self, secret: Optional[str] = None) -> None:
        self._secret = secret

    def secret(self) -> str:
        if self._secret is None:
            from bot.petugas.rahasia import rahasia_jembatan

            self._secret = rahasia_jembatan()
        return self._secret

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bridge = Blueprint("petugas_bridge", __name__)

        @bridge.route("/peristiwa", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode("utf-8"), self.secret().encode("utf-8")
            ):
                return response.json({"error": "tidak berwenang"}, status=401)
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - sanic raises its own error for bad JSON
                body = None
            fields, reason = parse_request(body)
            if fields is None:
                return response.json({"error": reason}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "asisten belum siap"}, status=503)
            try:
                await apply(agent, fields)
            except Exception:  # noqa: BLE001 - the console shows the failure to staff
                logger.exception("staff bridge: %s failed", fields["aksi"])
                return response.json({"error": "gagal menyimpan ke percakapan"}, status=500)
            return response.json({"ok": True})

        return bridge
