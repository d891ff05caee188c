"""A small async client for Rasa's REST-shaped channels.

Contract: POST {"sender", "message", "metadata"} -> [{"recipient_id", "text", "buttons": [...]}, ...].
Used by gateways that run outside the Rasa process (Telegram): they post to their own channel
endpoint (`/webhooks/telegram/webhook`) with a shared secret as bearer token, never to the public
REST channel, whose senders cannot reach their conversations.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.security.hashing import mask_id

logger = logging.getLogger(__name__)

DEFAULT_RASA_URL = "http://127.0.0.1:5005"
REST_PATH = "/webhooks/rest/webhook"
TELEGRAM_PATH = "/webhooks/telegram/webhook"


class AssistantUnavailable(Exception):
    """Rasa could not be reached or did not answer with a usable reply list."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One bot message: text and/or buttons (other Rasa fields are ignored by text channels)."""

    text: str = ""
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def rasa_url_from_env() -> str:
    return os.environ.get("RASA_URL", DEFAULT_RASA_URL).rstrip("/")


def parse_replies(body: Any) -> list[Reply]:
    """Rasa REST response JSON -> replies. Malformed entries are skipped, never raised on."""
    if not isinstance(body, list):
        raise AssistantUnavailable(f"unexpected Rasa response: {type(body).__name__}")
    replies: list[Reply] = []
    for item in body:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        buttons = tuple(
            Button(
                title=str(b.get("title") or b.get("payload")), payload=str(b.get("payload") or b.get("title"))
            )
            for b in item.get("buttons") or item.get("quick_replies") or []
            if isinstance(b, dict) and (b.get("title") or b.get("payload"))
        )
        if text or buttons:
            replies.append(Reply(text=text, buttons=buttons))
    return replies


class RasaRestClient:
    """Sends one user message to Rasa and returns its replies. Create inside a running event loop."""

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = 30.0,
        path: str = REST_PATH,
        secret: str | None = None,
    ) -> None:
        self.url = (base_url or rasa_url_from_env()).rstrip("/") + path
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self._client = httpx.AsyncClient(timeout=timeout, headers=headers)

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[Reply]:
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        try:
            response = await self._client.post(self.url, json=payload)
            response.raise_for_status()
            return parse_replies(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("Rasa call failed for %s: %s", mask_id(sender), type(exc).__name__)
            raise AssistantUnavailable(str(exc)) from exc

    async def aclose(self) -> None:
        await self._client.aclose()
