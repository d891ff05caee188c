"""Serves the chat widget and its demo page from the Rasa server (no separate web server).

credentials.yml:

    bot.channels.webchat.channel.WebchatInput:

The widget itself posts to the REST channel (`rest:` in credentials.yml); a page on another origin
needs that origin in Rasa's `--cors` list (see docs/channels.md).

POST /webhooks/webchat/pesan {"sender": "<the widget's conversation id>", "setelah": <last id>}
gives the widget the staff messages of its own conversation (a handoff, see docs/konsol.md): the
random conversation id the widget keeps is what authorises it, so nobody reads another's messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.webchat import asset

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 256


def parse_fetch(body: Any) -> Optional[tuple[str, int]]:
    """(conversation id, last message id seen) of a widget fetch, or None when malformed."""
    if not isinstance(body, dict):
        return None
    sender, after = body.get("sender"), body.get("setelah", 0)
    if not isinstance(sender, str) or not sender.startswith("web-") or len(sender) > MAX_SENDER_CHARS:
        return None
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        return None
    return sender, after


def staff_messages(sender: str, after: int) -> dict[str, Any]:
    """The widget's view of its handoff: the latest request's status and new staff messages."""
    from bot.db import session_factory
    from bot.petugas.repository import permintaan_terakhir, pesan_widget

    with session_factory()() as session:
        request = permintaan_terakhir(session, sender)
        rows = pesan_widget(session, sender, after) if request is not None else []
        payload = {
            "status": request.status if request is not None else None,
            "pesan": [{"id": r.id, "teks": r.teks, "nama": r.nama_petugas, "jenis": r.jenis} for r in rows],
        }
        session.commit()
        return payload


class WebchatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_widget", __name__)

        @webchat.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            return response.redirect("demo")  # relative: /webhooks/webchat/demo

        @webchat.route("/pesan", methods=["POST"])
        async def fetch(request: Request) -> HTTPResponse:
            try:
                parsed = parse_fetch(request.json)
            except Exception:  # noqa: BLE001 - sanic's own error for a body that is not JSON
                parsed = None
            if parsed is None:
                return response.json({"error": "body: {\"sender\": \"web-...\", \"setelah\": 0}"}, status=400)
            try:
                payload = await asyncio.get_running_loop().run_in_executor(None, staff_messages, *parsed)
            except Exception:  # noqa: BLE001 - the widget retries; the log has the cause
                logger.exception("webchat: staff messages could not be read")
                return response.json({"error": "sementara tidak tersedia"}, status=503)
            return response.json(payload, headers={"Cache-Control": "no-store"})

        @webchat.route("/<name>", methods=["GET"])
        async def serve(request: Request, name: str) -> HTTPResponse:
            found = asset(name)
            if found is None:
                return response.text("not found", status=404)
            body, headers = found
            content_type = headers.pop("Content-Type")
            return response.raw(body, headers=headers, content_type=content_type)

        return webchat
