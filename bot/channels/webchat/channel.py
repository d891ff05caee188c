"""The website widget's channel: its files, its demo page and its own message endpoint.

credentials.yml:

    bot.channels.webchat.channel.WebchatInput:

- GET  /webhooks/webchat/widget.js, widget.css, demo: the widget and a sample office page;
- POST /webhooks/webchat/webhook: the REST contract (`{"sender", "message", "metadata"}` -> replies),
  for the widget only. The sender must be the widget's random id (`web-` + at least 128 random
  bits as hex); conversations are kept as `webchat:<id>`, apart from every other channel;
- POST /webhooks/webchat/pesan {"sender": "<the widget's id>", "setelah": <last id>}: the staff
  messages of the widget's own conversation (a hand-over, see docs/konsol.md). The random id the
  widget keeps is what authorises it, so nobody reads another's messages;
- POST /webhooks/webchat/kabar {"sender": "<the widget's id>"}: the status notifications the person
  asked for, waiting for the widget's conversation (docs/tindak-lanjut.md), authorised the same way.

Browser origins: the page that embeds the widget usually lives on the office's site, another
origin. Only origins listed in `PANDU_CORS` (comma-separated, no wildcard) get
`Access-Control-Allow-Origin`; a request from any other page is refused (403) before it reaches the
assistant. The widget posts JSON as `text/plain` (a "simple" request: no preflight), so the Rasa
server needs no CORS configuration at all: its HTTP API answers no browser.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any, Optional
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest_input import BodyError, converse, decode_json, parse_body, with_client
from bot.channels.webchat import asset
from bot.security.config import parse_cors

logger = logging.getLogger(__name__)

# web- + 32..64 lowercase hex digits: 128 to 256 random bits from the browser's crypto.getRandomValues.
SENDER_RE = re.compile(r"^web-[0-9a-f]{32,64}$")


def conversation_id(sender: str) -> str:
    """The conversation a widget id stands for ("web-<hex>" -> "webchat:<hex>")."""
    return f"{WebchatInput.name()}:{sender[len('web-'):]}"


def parse_fetch(body: Any) -> Optional[tuple[str, int]]:
    """(conversation id, last message id seen) of a widget fetch, or None when malformed."""
    if not isinstance(body, dict):
        return None
    sender, after = body.get("sender"), body.get("setelah", 0)
    if not isinstance(sender, str) or not SENDER_RE.match(sender):
        return None
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        return None
    return conversation_id(sender), after


def staff_messages(conversation: str, after: int) -> dict[str, Any]:
    """The widget's view of its hand-over: the latest request's status and new staff messages."""
    from bot.db import session_factory
    from bot.petugas.repository import ada_pesan_dalam_perjalanan, permintaan_terakhir, pesan_widget

    with session_factory()() as session:
        request = permintaan_terakhir(session, conversation)
        rows = pesan_widget(session, conversation, after) if request is not None else []
        payload = {
            "status": request.status if request is not None else None,
            "pesan": [{"id": r.id, "teks": r.teks, "nama": r.nama_petugas, "jenis": r.jenis} for r in rows],
            # keep asking: a message (e.g. the hand-back notice of a request already closed) is on its way
            "tertunda": request is not None and ada_pesan_dalam_perjalanan(session, conversation),
        }
        session.commit()
        return payload


def allowed_origin(origin: Optional[str], host: str, origins: tuple[str, ...]) -> Optional[bool]:
    """None: no Origin header (not a browser); True: same host or listed; False: any other page."""
    if not origin:
        return None
    if origin.rstrip("/") in origins:
        return True
    return urlsplit(origin).netloc.lower() == (host or "").lower()


class WebchatInput(InputChannel):
    def __init__(self, origins: tuple[str, ...] = ()) -> None:
        self.origins = origins

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        configured = (credentials or {}).get("cors") or os.environ.get("PANDU_CORS", "")
        return cls(parse_cors(configured))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_widget", __name__)

        @webchat.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            return response.redirect("demo")  # relative: /webhooks/webchat/demo

        @webchat.route("/<name>", methods=["GET"])
        async def serve(request: Request, name: str) -> HTTPResponse:
            found = asset(name)
            if found is None:
                return response.text("not found", status=404)
            body, headers = found
            content_type = headers.pop("Content-Type")
            return response.raw(body, headers=headers, content_type=content_type)

        @webchat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            origin = request.headers.get("origin")
            verdict = allowed_origin(origin, request.host, self.origins)
            if verdict is False:
                return response.json({"error": "origin not allowed"}, status=403)
            headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if verdict else {}
            parsed = parse_body(decode_json(request))
            if not isinstance(parsed, BodyError) and not SENDER_RE.match(parsed.sender):
                parsed = BodyError(400, "field \"sender\" must be the widget's random id (web-<hex>)")
            if isinstance(parsed, BodyError):
                return response.json({"error": parsed.reason}, status=parsed.status, headers=headers)
            messages = await converse(
                on_new_message,
                text=parsed.text,
                sender=parsed.sender,
                conversation_id=conversation_id(parsed.sender),
                channel=self.name(),
                metadata=with_client(parsed.metadata, request),
                agent=request.app.ctx.agent,
            )
            return response.json(messages, headers=headers)

        async def mailbox(request: Request, read: Callable[..., dict[str, Any]], what: str) -> HTTPResponse:
            """A fetch of the widget's own mailbox: origin checked, authorised by its random id."""
            origin = request.headers.get("origin")
            verdict = allowed_origin(origin, request.host, self.origins)
            if verdict is False:
                return response.json({"error": "origin not allowed"}, status=403)
            headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if verdict else {}
            parsed = parse_fetch(decode_json(request))
            if parsed is None:
                reason = 'body: {"sender": "web-<hex>", "setelah": 0}'
                return response.json({"error": reason}, status=400, headers=headers)
            try:
                payload = await asyncio.get_running_loop().run_in_executor(None, read, *parsed)
            except Exception:  # noqa: BLE001 - the widget asks again; the log has the cause
                logger.exception("webchat: %s could not be read", what)
                return response.json({"error": "sementara tidak tersedia"}, status=503, headers=headers)
            return response.json(payload, headers={**headers, "Cache-Control": "no-store"})

        @webchat.route("/pesan", methods=["POST"])
        async def fetch(request: Request) -> HTTPResponse:
            return await mailbox(request, staff_messages, "staff messages")

        @webchat.route("/kabar", methods=["POST"])
        async def notifications(request: Request) -> HTTPResponse:
            from bot.notifikasi.widget import kabar_widget

            def waiting(conversation: str, _after: int) -> dict[str, Any]:
                return kabar_widget(conversation)

            return await mailbox(request, waiting, "notifications")

        return webchat
