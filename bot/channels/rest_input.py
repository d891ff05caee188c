"""Rasa's REST channel with its request body checked first: a malformed body gets a 400, never a 500.

Same URL and JSON as Rasa's own `rest` channel (`POST /webhooks/rest/webhook`,
`{"sender": "...", "message": "...", "metadata": {...}}` -> `[{"recipient_id", "text", "buttons"}]`).
Rasa's channel calls `request.json.get(...)`, so a body that is not a JSON object (a list, a number,
no body) ends in a 500, and a missing "message" reaches the NLU pipeline as None. Here the body is
parsed by a pure function (`parse_body`) and anything it rejects is answered with 400 and a reason.
credentials.yml names this class instead of `rest:`.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Optional, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 20_000  # longer messages are refused (413); 10,000 characters are answered
MAX_SENDER_CHARS = 256


@dataclass(frozen=True)
class RestMessage:
    sender: str
    text: str
    metadata: Optional[dict]


@dataclass(frozen=True)
class BodyError:
    status: int
    reason: str


def parse_body(body: Any) -> Union[RestMessage, BodyError]:
    """Validate a decoded JSON body of the REST webhook."""
    if not isinstance(body, dict):
        return BodyError(400, 'the body must be a JSON object with a "message" string')
    message = body.get("message")
    if not isinstance(message, str):
        return BodyError(400, 'field "message" (a string) is required')
    if len(message) > MAX_MESSAGE_CHARS:
        return BodyError(413, f'"message" is longer than {MAX_MESSAGE_CHARS} characters')
    sender = body.get("sender", "default")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        reason = f'field "sender" must be a non-empty string of at most {MAX_SENDER_CHARS} characters'
        return BodyError(400, reason)
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return BodyError(400, 'field "metadata" must be a JSON object')
    return RestMessage(sender=sender, text=message, metadata=metadata)


def _decode(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # sanic raises its own InvalidUsage for bad JSON / bad UTF-8
        return None


class RestInput(RasaRestInput):
    """The `rest` channel, answering 400 to bodies Rasa's own channel would crash on."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("pandu_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            parsed = parse_body(_decode(request))
            if isinstance(parsed, BodyError):
                return response.json({"error": parsed.reason}, status=parsed.status)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        parsed.text,
                        collector,
                        parsed.sender,
                        input_channel=self.name(),
                        metadata=parsed.metadata,
                    )
                )
            except CancelledError:
                logger.error("REST message from %s timed out", parsed.sender)
            except Exception:
                logger.exception("REST message from %s failed", parsed.sender)
            return response.json(collector.messages)

        return webhook
