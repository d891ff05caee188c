"""Rasa's REST channel with its request body checked first, and what every REST-shaped channel shares.

Same URL and JSON as Rasa's own `rest` channel (`POST /webhooks/rest/webhook`,
`{"sender": "...", "message": "...", "metadata": {...}}` -> `[{"recipient_id", "text", "buttons"}]`).
Rasa's channel calls `request.json.get(...)`, so a body that is not a JSON object (a list, a number,
no body) ends in a 500, a missing "message" reaches the NLU pipeline as None, and a missing "sender"
joins one shared "default" conversation. Here the body is parsed by a pure function (`parse_body`)
and anything it rejects is answered with 400 (or 413) and a reason. credentials.yml names this
class instead of `rest:`.

Conversations are separated by channel: WhatsApp, Telegram and the widget key theirs as
`<channel>:<id>`, and a REST sender id may not contain ":", so a REST client can never address
another channel's conversation; it keeps choosing its own ids (integrations and tests use them).

Shared with the widget and the Telegram gateway (`converse`): one message-length limit (a longer
message is answered with a notice and never reaches the NLU), invalid Unicode repaired, the
client's address attached as a keyed hash (for the verification limits), and a turn that produced
no reply at all (the action server is down, the database failed) answered with an apology that
carries the office contacts instead of an empty list.
"""

from __future__ import annotations

import json
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

from bot.channel_metadata import CLIENT, without_reserved
from bot.channels.text import clean_json, clean_text, is_too_long, too_long_reply, trouble_reply
from bot.security.hashing import keyed_hash, mask_id

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 256
MAX_METADATA_BYTES = 2048  # JSON-encoded; the widget sends ~20 bytes
NAMESPACE_SEPARATOR = ":"  # other channels key their conversations "<channel>:<id>"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


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
    """Validate a decoded JSON body of a REST-shaped webhook (the message length is not checked
    here: a long message is answered, with a notice)."""
    if not isinstance(body, dict):
        return BodyError(400, "the body must be a JSON object with a \"message\" string")
    message = body.get("message")
    if not isinstance(message, str):
        return BodyError(400, "field \"message\" (a string) is required")
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        reason = f"field \"sender\" must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
        return BodyError(400, reason)
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return BodyError(400, "field \"metadata\" must be a JSON object")
    size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8", "replace")) if metadata else 0
    if size > MAX_METADATA_BYTES:
        return BodyError(413, f"field \"metadata\" is larger than {MAX_METADATA_BYTES} bytes")
    return RestMessage(
        sender=clean_text(sender),
        text=clean_text(message),
        metadata=without_reserved(clean_json(metadata)) if metadata else None,
    )


def decode_json(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # sanic raises its own InvalidUsage for bad JSON / bad UTF-8
        return None


def client_key(request: Request) -> Optional[str]:
    """The client's address as a keyed hash (never stored or logged in clear). Behind a reverse
    proxy, set SANIC_PROXIES_COUNT / SANIC_REAL_IP_HEADER so `remote_addr` is the real client."""
    address = request.remote_addr or request.ip
    return keyed_hash("klien", address) if address else None


def with_client(metadata: Optional[dict], request: Request) -> dict[str, Any]:
    """The message's metadata with the client's address key set by the channel."""
    key = client_key(request)
    return {**(metadata or {}), **({CLIENT: key} if key else {})}


async def is_paused(agent: Any, conversation_id: str) -> bool:
    """Whether staff have taken the conversation over (Rasa then answers nothing, by design)."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(conversation_id)
    except Exception:  # noqa: BLE001 - a failing store is a failure: the caller apologises
        return False
    return tracker is not None and tracker.is_paused()


async def converse(
    on_new_message: OnNewMessage,
    *,
    text: str,
    sender: str,
    conversation_id: str,
    channel: str,
    metadata: Optional[dict] = None,
    agent: Any = None,
) -> list[dict[str, Any]]:
    """One user turn through Rasa; the replies, addressed to `sender` as the client knows it.
    `agent` (the Rasa server's) tells a conversation staff have taken over, where silence is meant,
    from a failure, which gets an apology."""
    if is_too_long(text):
        return [{"recipient_id": sender, "text": too_long_reply(len(text))}]
    collector = CollectingOutputChannel()
    failed = False
    try:
        await on_new_message(
            UserMessage(text, collector, conversation_id, input_channel=channel, metadata=metadata)
        )
    except CancelledError:
        failed = True
        logger.error("%s message from %s timed out", channel, mask_id(conversation_id))
    except Exception as exc:  # noqa: BLE001 - the person gets an apology, the log the reason
        failed = True
        logger.error("%s message from %s failed: %s", channel, mask_id(conversation_id), type(exc).__name__,
                     exc_info=exc)
    messages = [{**message, "recipient_id": sender} for message in collector.messages]
    if not messages and not failed and await is_paused(agent, conversation_id):
        return []
    if not messages:
        logger.error(
            "%s: no reply for %s (action server or database failing?)", channel, mask_id(conversation_id)
        )
        messages = [{"recipient_id": sender, "text": trouble_reply()}]
    return messages


class RestInput(RasaRestInput):
    """The `rest` channel, answering 400 to bodies Rasa's own channel would crash on."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("pandu_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            parsed = parse_body(decode_json(request))
            if isinstance(parsed, BodyError):
                return response.json({"error": parsed.reason}, status=parsed.status)
            if NAMESPACE_SEPARATOR in parsed.sender:
                reason = "field \"sender\" may not contain \":\" (reserved for other channels' conversations)"
                return response.json({"error": reason}, status=400)
            messages = await converse(
                on_new_message,
                text=parsed.text,
                sender=parsed.sender,
                conversation_id=parsed.sender,
                channel=self.name(),
                metadata=with_client(parsed.metadata, request),
                agent=request.app.ctx.agent,
            )
            return response.json(messages)

        return webhook
