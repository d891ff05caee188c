"""The Telegram gateway's door into Rasa: `POST /webhooks/telegram/webhook` (credentials.yml).

The gateway (`python -m bot telegram`, a separate process) used to post to the public REST
channel, so anyone could write as `telegram-<chat id>` and read that chat's conversation. Now it
posts here with `Authorization: Bearer $PANDU_GATEWAY_SECRET` (constant-time compare; without the
secret configured every request is refused). The body is the REST contract with the chat id as
sender and `metadata.chat_type` ("private", "group", "supergroup", "channel"); conversations are
kept as `telegram:<chat id>`. A group chat is marked as shared, so personal flows (status checks,
complaints) are declined there and the person is asked to write privately.

This module runs inside Rasa: it imports nothing of python-telegram-bot.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_metadata import SHARED_CHAT
from bot.channels.rest_input import BodyError, converse, decode_json, parse_body

logger = logging.getLogger(__name__)

ENV_SECRET = "PANDU_GATEWAY_SECRET"
CHAT_ID_RE = re.compile(r"^-?\d{1,20}$")
PRIVATE_CHAT_TYPES = {"private"}


class TelegramGatewayInput(InputChannel):
    def __init__(self, secret: str) -> None:
        self.secret = secret
        if not secret:
            logger.info("Telegram gateway input: %s not set, every request is refused", ENV_SECRET)

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramGatewayInput:
        return cls(str((credentials or {}).get("secret") or os.environ.get(ENV_SECRET, "")).strip())

    def authorized(self, header: str | None) -> bool:
        scheme, _, given = (header or "").partition(" ")
        return (
            bool(self.secret)
            and scheme.lower() == "bearer"
            and hmac.compare_digest(
                given.strip().encode("utf-8", "surrogatepass"), self.secret.encode("utf-8")
            )
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        gateway = Blueprint("telegram_gateway_input", __name__)

        @gateway.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorized(request.headers.get("authorization")):
                return response.json({"error": "unauthorized"}, status=401)
            parsed = parse_body(decode_json(request))
            if not isinstance(parsed, BodyError) and not CHAT_ID_RE.match(parsed.sender):
                parsed = BodyError(400, 'field "sender" must be a Telegram chat id')
            if isinstance(parsed, BodyError):
                return response.json({"error": parsed.reason}, status=parsed.status)
            metadata = dict(parsed.metadata or {})
            metadata[SHARED_CHAT] = metadata.get("chat_type", "private") not in PRIVATE_CHAT_TYPES
            messages = await converse(
                on_new_message,
                text=parsed.text,
                sender=parsed.sender,
                conversation_id=f"{self.name()}:{parsed.sender}",
                channel=self.name(),
                metadata=metadata,
                agent=request.app.ctx.agent,
            )
            return response.json(messages)

        return gateway
