"""Optional webhook mode: a small aiohttp server that checks Telegram's secret-token header.

PTB's own webhook server needs tornado; aiohttp is already installed with Rasa, and keeping the
check here lets us test it: a request without the right `X-Telegram-Bot-Api-Secret-Token` is
refused before its body is read.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


def webhook_app(application: Application, secret_token: str, url_path: str = "/telegram") -> web.Application:
    """An aiohttp app that puts verified updates on the PTB application's update queue."""
    if not secret_token:
        raise ValueError("webhook mode needs a secret token (TELEGRAM_WEBHOOK_SECRET)")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode("utf-8"), secret_token.encode("utf-8")):
            return web.json_response({"error": "forbidden"}, status=403)
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return web.json_response({"error": "body too large"}, status=413)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            logger.info("rejected malformed Telegram update: %s", exc)
            update = None
        if update is None:
            return web.json_response({"error": "malformed update"}, status=400)
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(url_path, receive)
    return app
