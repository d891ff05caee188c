"""The website widget's notifications, served by the Rasa server next to the widget itself.

credentials.yml:

    bot.notifikasi.widget.KabarWidgetInput:

POST /webhooks/kabar/widget {"sender": "<the widget's conversation id>"} returns the notifications
waiting for that conversation ({"kabar": [{"id": 1, "teks": "..."}]}) and marks them delivered. The
widget asks when it is opened and after each reply. As with staff messages
(`/webhooks/webchat/pesan`), the random conversation id the widget keeps is what authorises it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.webchat.channel import parse_fetch

logger = logging.getLogger(__name__)


def kabar_widget(sender: str) -> dict[str, Any]:
    from bot.db import session_factory
    from bot.notifikasi.kirim import ambil_untuk_widget

    with session_factory()() as session:
        rows = ambil_untuk_widget(session, sender)
        payload = {"kabar": [{"id": r.id, "teks": r.teks} for r in rows]}
        session.commit()
    return payload


class KabarWidgetInput(InputChannel):
    """Not a chat channel: the widget's mailbox of notifications."""

    @classmethod
    def name(cls) -> str:
        return "kabar"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> KabarWidgetInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kabar = Blueprint("kabar_widget", __name__)

        @kabar.route("/widget", methods=["POST"])
        async def fetch(request: Request) -> HTTPResponse:
            try:
                parsed = parse_fetch(request.json)
            except Exception:  # noqa: BLE001 - sanic's own error for a body that is not JSON
                parsed = None
            if parsed is None:
                return response.json({"error": 'body: {"sender": "web-..."}'}, status=400)
            try:
                payload = await asyncio.get_running_loop().run_in_executor(None, kabar_widget, parsed[0])
            except Exception:  # noqa: BLE001 - the widget asks again next time; the log has the cause
                logger.exception("widget notifications could not be read")
                return response.json({"error": "sementara tidak tersedia"}, status=503)
            return response.json(payload, headers={"Cache-Control": "no-store"})

        return kabar
