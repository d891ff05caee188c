"""WhatsApp Cloud API as a Rasa input channel (registered in credentials.yml by module path).

    bot.channels.whatsapp.WhatsAppInput:
      # all optional: the environment variables below are used when a value is missing
      verify_token: ...      # WHATSAPP_VERIFY_TOKEN
      app_secret: ...        # WHATSAPP_APP_SECRET
      access_token: ...      # WHATSAPP_ACCESS_TOKEN
      phone_number_id: ...   # WHATSAPP_PHONE_NUMBER_ID

Routes (under /webhooks/whatsapp): GET /webhook answers Meta's verification; POST /webhook takes
messages. Every POST is verified first (X-Hub-Signature-256, HMAC-SHA256 of the raw body with the
app secret, constant-time compare), answered 200 at once, de-duplicated by message id (Meta
re-delivers when an answer is slow) and processed in the background.

Conversations are kept as `whatsapp:<sender>` (the REST channel cannot reach them); the output
channel strips the prefix to address the person. A message over the common length limit gets a
notice and never reaches the NLU; a turn that produced no reply gets the apology with the office
contacts. Logs carry masked ids, never phone numbers.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.payload_keys import PayloadKeys
from bot.channels.rest_input import is_paused
from bot.channels.text import (
    EXPIRED_BUTTON_REPLY,
    NON_TEXT_REPLY,
    clean_json,
    is_too_long,
    too_long_reply,
    trouble_reply,
)
from bot.channels.whatsapp_messages import (
    PAYLOAD,
    ROW_ID_LIMIT,
    UNSUPPORTED,
    Incoming,
    InvalidWebhook,
    NumberedChoices,
    button_messages,
    message_body,
    parse_webhook,
    text_messages,
)
from bot.security.hashing import mask_id

logger = logging.getLogger(__name__)

CONVERSATION_PREFIX = "whatsapp:"
DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
DEDUP_TTL_S = 24 * 3600  # Meta re-delivers for up to a day or so


def _setting(credentials: dict[str, Any], key: str, env: str) -> str:
    value = credentials.get(key) or os.environ.get(env) or ""
    return str(value).strip()


def conversation_id(sender: str) -> str:
    return CONVERSATION_PREFIX + sender


def recipient_of(conversation: str) -> str:
    """The WhatsApp id (phone number or BSUID) of a conversation key."""
    if conversation.startswith(CONVERSATION_PREFIX):
        return conversation[len(CONVERSATION_PREFIX) :]
    return conversation


def signature_is_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time check of `sha256=<hex>` against HMAC-SHA256(app_secret, body)."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header[len("sha256=") :].strip().encode("utf-8"))


class GraphClient:
    """Sends messages through the Graph API. Failures are logged, never raised into Rasa."""

    def __init__(self, access_token: str, phone_number_id: str, api_url: str | None = None) -> None:
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.api_url = (api_url or os.environ.get("GRAPH_API_URL") or DEFAULT_GRAPH_API_URL).rstrip("/")
        self._client: httpx.AsyncClient | None = None  # created on first use, inside the server's loop

    async def send(self, recipient_id: str, message: dict[str, Any]) -> bool:
        if not self.access_token or not self.phone_number_id:
            logger.error("WhatsApp: cannot send, WHATSAPP_ACCESS_TOKEN/WHATSAPP_PHONE_NUMBER_ID not set")
            return False
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=15.0)
        url = f"{self.api_url}/{self.phone_number_id}/messages"
        try:
            reply = await self._client.post(
                url,
                json=message_body(recipient_id, message),
                headers={"Authorization": f"Bearer {self.access_token}"},
            )
        except httpx.HTTPError as exc:
            logger.error("WhatsApp send to %s failed: %s", mask_id(recipient_id), type(exc).__name__)
            return False
        if reply.status_code >= 400:
            logger.error(
                "WhatsApp send to %s refused (%s): %s",
                mask_id(recipient_id),
                reply.status_code,
                reply.text[:300],
            )
            return False
        return True


class Deduplicator:
    """Says whether a message id is seen for the first time: bounded memory, optionally Redis.

    With Redis (WHATSAPP_DEDUP_REDIS_URL, else PANDU_REDIS_URL) several Rasa processes share the
    memory; if Redis fails we fall back to the local memory rather than drop the message.
    """

    def __init__(self, capacity: int = 50_000, redis_url: str | None = None) -> None:
        self.capacity = capacity
        self.redis_url = redis_url
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._redis: Any = None

    def _first_time_locally(self, message_id: str) -> bool:
        if message_id in self._seen:
            self._seen.move_to_end(message_id)
            return False
        self._seen[message_id] = None
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    async def first_time(self, message_id: str) -> bool:
        if not self._first_time_locally(message_id):
            return False
        if not self.redis_url:
            return True
        try:
            if self._redis is None:
                import redis.asyncio as aioredis

                self._redis = aioredis.from_url(self.redis_url, socket_timeout=2)
            return bool(await self._redis.set(f"pandu:wa:seen:{message_id}", 1, nx=True, ex=DEDUP_TTL_S))
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: local memory already decided
            logger.warning("WhatsApp dedup: Redis unavailable (%s), using local memory", exc)
            return True


class WhatsAppOutput(OutputChannel):
    """Rasa replies -> Graph API messages (see whatsapp_messages for the limits)."""

    def __init__(self, graph: GraphClient, keys: PayloadKeys, choices: NumberedChoices) -> None:
        self.graph = graph
        self.keys = keys
        self.choices = choices
        self.sent = 0  # messages handed to the Graph API by this output (one per turn)

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.graph.send(recipient_of(recipient_id), message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for message in text_messages(text):
            await self._send(recipient_id, message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        outgoing = button_messages(text or "", buttons, self.keys)
        if outgoing.numbered:
            self.choices.offer(recipient_of(recipient_id), outgoing.numbered)
        for message in outgoing.messages:
            await self._send(recipient_id, message)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {"type": "image", "image": {"link": image}})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # A custom payload is a ready WhatsApp message ("type" plus its object); anything else is dropped.
        if isinstance(json_message, dict) and json_message.get("type") in json_message:
            await self._send(recipient_id, json_message)
        else:
            logger.warning("WhatsApp: custom payload without a WhatsApp message type dropped")


class WhatsAppInput(InputChannel):
    """The webhook Meta calls for a WhatsApp Business number."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        credentials = credentials or {}
        return cls(
            verify_token=_setting(credentials, "verify_token", "WHATSAPP_VERIFY_TOKEN"),
            app_secret=_setting(credentials, "app_secret", "WHATSAPP_APP_SECRET"),
            access_token=_setting(credentials, "access_token", "WHATSAPP_ACCESS_TOKEN"),
            phone_number_id=_setting(credentials, "phone_number_id", "WHATSAPP_PHONE_NUMBER_ID"),
            graph_api_url=_setting(credentials, "graph_api_url", "GRAPH_API_URL") or None,
            # Several Rasa processes share "already answered" ids through the cluster's Redis.
            redis_url=_setting(credentials, "dedup_redis_url", "WHATSAPP_DEDUP_REDIS_URL")
            or os.environ.get("PANDU_REDIS_URL", "").strip()
            or None,
        )

    def __init__(
        self,
        verify_token: str,
        app_secret: str,
        access_token: str,
        phone_number_id: str,
        graph_api_url: str | None = None,
        redis_url: str | None = None,
    ) -> None:
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.graph = GraphClient(access_token, phone_number_id, graph_api_url)
        self.keys = PayloadKeys(ROW_ID_LIMIT)
        self.choices = NumberedChoices()
        self.dedup = Deduplicator(redis_url=redis_url)
        self._tasks: set[asyncio.Task] = set()
        self._sender_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        settings = {
            "WHATSAPP_VERIFY_TOKEN": verify_token,
            "WHATSAPP_APP_SECRET": app_secret,
            "WHATSAPP_ACCESS_TOKEN": access_token,
            "WHATSAPP_PHONE_NUMBER_ID": phone_number_id,
        }
        missing = [name for name, value in settings.items() if not value]
        if len(missing) == len(settings):
            logger.info("WhatsApp channel not configured (WHATSAPP_* unset): its webhook refuses everything")
        elif missing:
            logger.error("WhatsApp channel half configured, missing %s", ", ".join(missing))

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput(self.graph, self.keys, self.choices)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("whatsapp_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            mode = request.args.get("hub.mode", "")
            token = request.args.get("hub.verify_token", "")
            challenge = request.args.get("hub.challenge", "")
            token_ok = bool(self.verify_token) and hmac.compare_digest(
                token.encode("utf-8"), self.verify_token.encode("utf-8")
            )
            if mode == "subscribe" and token_ok and challenge:
                return response.text(challenge)
            return response.text("forbidden", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            header = request.headers.get(SIGNATURE_HEADER)
            if not header:
                return response.json({"error": "missing signature"}, status=401)
            if not signature_is_valid(self.app_secret, request.body or b"", header):
                return response.json({"error": "bad signature"}, status=403)
            try:
                messages = parse_webhook(clean_json(json.loads(request.body)), self.keys)
            except (ValueError, RecursionError, InvalidWebhook) as exc:  # JSONDecodeError is a ValueError
                logger.info("WhatsApp: rejected webhook body: %s", exc)
                return response.json({"error": "malformed webhook"}, status=400)
            for message in messages:
                # Marked seen before we answer: a re-delivery arriving meanwhile is dropped here.
                if await self.dedup.first_time(message.message_id):
                    self._spawn(self._handle(message, on_new_message, request.app.ctx.agent))
                else:
                    logger.info("WhatsApp: duplicate delivery of %s ignored", mask_id(message.message_id))
            return response.json({"status": "ok"})

        return webhook

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # keep a reference until done, or the task may be collected
        task.add_done_callback(self._tasks.discard)

    async def _handle(
        self, message: Incoming, on_new_message: Callable[[UserMessage], Awaitable[Any]], agent: Any = None
    ) -> None:
        lock = self._sender_locks.get(message.sender)
        if lock is None:
            lock = self._sender_locks[message.sender] = asyncio.Lock()
        async with lock:  # one sender's messages in the order they came
            output = self.get_output_channel()
            if message.kind == UNSUPPORTED:
                await output.send_text_message(message.sender, NON_TEXT_REPLY)
                return
            if message.kind == PAYLOAD and not message.text:
                await output.send_text_message(message.sender, EXPIRED_BUTTON_REPLY)
                return
            if is_too_long(message.text):  # answered here: the text never reaches the NLU
                await output.send_text_message(message.sender, too_long_reply(len(message.text)))
                return
            text = (
                message.text
                if message.kind == PAYLOAD
                else self.choices.resolve(message.sender, message.text)
            )
            user_message = UserMessage(
                text,
                output,
                conversation_id(message.sender),
                input_channel=self.name(),
                message_id=message.message_id,
                metadata={"whatsapp_message_id": message.message_id, "whatsapp_type": message.message_type},
            )
            failed = False
            try:
                await on_new_message(user_message)
            except Exception as exc:  # noqa: BLE001 - the user gets an apology, the log the reason
                failed = True
                logger.error(
                    "WhatsApp: the assistant failed on message %s: %s",
                    mask_id(message.message_id), type(exc).__name__, exc_info=exc,
                )
            if output.sent == 0 and not failed and await is_paused(agent, user_message.sender_id):
                return  # staff have the conversation: the assistant is silent by design
            if output.sent == 0:  # nothing answered (action server down, database failing)
                logger.error("WhatsApp: no reply for %s", mask_id(conversation_id(message.sender)))
                await output.send_text_message(message.sender, trouble_reply())
