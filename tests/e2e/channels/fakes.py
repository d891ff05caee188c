"""Local fakes of the platforms the channels talk to: Telegram Bot API, Rasa REST, Graph API.

Each is a small aiohttp server on 127.0.0.1 with a free port, recording what it receives. They
run inside the test's event loop (`async with`), or in a thread for synchronous browser tests.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

LOOPBACK = "127.0.0.1"
Responder = Callable[[str, str], list[dict[str, Any]]]


class LocalServer:
    """An aiohttp app on 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.app = web.Application()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOOPBACK, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self):  # noqa: ANN204
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


class ThreadedServer:
    """Runs a LocalServer in its own thread and loop (for synchronous tests such as Playwright)."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(timeout=10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


# --- Rasa REST ---------------------------------------------------------------------------------
class FakeRasa(LocalServer):
    """POST /webhooks/rest/webhook (and the widget's /webhooks/webchat/webhook, the Telegram gateway's
    /webhooks/telegram/webhook) answered by `responder(sender, message)`; `status` fakes errors.
    `received` records each body, `headers` its path and Authorization header."""

    def __init__(self, responder: Responder, serve_webchat: bool = False) -> None:
        super().__init__()
        self.responder = responder
        self.status = 200
        self.delay_s = 0.0
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, Any]] = []
        for path in ("/webhooks/rest/webhook", "/webhooks/telegram/webhook", "/webhooks/webchat/webhook"):
            self.app.router.add_post(path, self._webhook)
        self.app.router.add_route("OPTIONS", "/webhooks/rest/webhook", self._preflight)
        if serve_webchat:  # the same files, paths and headers as the Rasa channel serves
            self.app.router.add_get("/webhooks/webchat/{name}", self._webchat)

    async def _webchat(self, request: web.Request) -> web.Response:
        from bot.channels.webchat import asset

        found = asset(request.match_info["name"])
        if found is None:
            return web.Response(status=404, text="not found")
        body, headers = found
        return web.Response(body=body, headers=headers)

    async def _preflight(self, request: web.Request) -> web.Response:
        return web.Response(headers=_cors_headers())

    async def _webhook(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())  # the widget posts JSON as text/plain
        self.received.append(body)
        self.headers.append({"path": request.path, "authorization": request.headers.get("Authorization")})
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status, headers=_cors_headers())
        replies = self.responder(body["sender"], body["message"])
        return web.json_response(
            [{"recipient_id": body["sender"], **reply} for reply in replies], headers=_cors_headers()
        )


def _cors_headers() -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Allow-Methods": "POST, OPTIONS",
    }


# --- Telegram Bot API --------------------------------------------------------------------------
BOT_USER = {"id": 999, "is_bot": True, "first_name": "Pandu Izin", "username": "pandu_izin_bot"}
# Fields decoded from JSON in form-encoded Bot API calls.
_JSON_FIELDS = {"reply_markup", "allowed_updates", "entities"}


class FakeTelegram(LocalServer):
    """Enough of the Bot API for a polling bot: getUpdates serves queued updates, calls are recorded."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._new_update = asyncio.Event()
        self._next_update_id = 1
        self._next_message_id = 1000
        self.app.router.add_post("/bot{token}/{method}", self._api)

    async def stop(self) -> None:
        self._new_update.set()  # release a pending long poll so the server can close cleanly
        await super().stop()

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    # updates in
    def push(self, update: dict[str, Any]) -> None:
        self.updates.append({"update_id": self._next_update_id, **update})
        self._next_update_id += 1
        self._new_update.set()

    def push_message(self, chat_id: int, text: str | None = None, **content: Any) -> None:
        message: dict[str, Any] = {
            "message_id": self._next_update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Siti"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Siti"},
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self.push({"message": message})

    def push_button_press(self, chat_id: int, data: str, query_id: str = "cb-1") -> None:
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Siti"},
                    "chat_instance": "chat-instance",
                    "data": data,
                    "message": {
                        "message_id": 7,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "from": BOT_USER,
                        "text": "Silakan pilih:",
                    },
                }
            }
        )

    def fail_next(self, method: str, status: int, body: dict[str, Any]) -> None:
        self.failures.setdefault(method, []).append((status, body))

    # calls out
    def calls_to(self, *methods: str) -> list[tuple[str, dict[str, Any]]]:
        return [(method, params) for method, params in self.calls if method in methods]

    async def wait_for(self, method: str, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [params for name, params in self.calls if name == method]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} {method} calls, got {self.calls_to(method)}")

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        if method != "getUpdates":
            self.calls.append((method, params))
        if self.failures.get(method):
            status, body = self.failures[method].pop(0)
            return web.json_response(body, status=status)
        result = await self._result(method, params)
        return web.json_response({"ok": True, "result": result})

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "sendMessage":
            self._next_message_id += 1
            message = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        return True  # sendChatAction, answerCallbackQuery, deleteWebhook, setWebhook, ...

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        # Long polling, but short: tests stop quickly.
        wait_s = min(float(params.get("timeout") or 0), 0.5)
        pending = [u for u in self.updates if u["update_id"] >= offset]
        if not pending and wait_s:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), wait_s)
            except asyncio.TimeoutError:
                pass
            pending = [u for u in self.updates if u["update_id"] >= offset]
        return pending


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        params[key] = json.loads(value) if key in _JSON_FIELDS else value
    if "chat_id" in params:
        params["chat_id"] = int(params["chat_id"])
    return params


# --- WhatsApp Graph API -----------------------------------------------------------------------
class FakeGraph(LocalServer):
    """POST /<version>/<phone_number_id>/messages, recorded; `status`/`delay_s` fake trouble."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.status = 200
        self.delay_s = 0.0
        self._lock = threading.Lock()
        self.app.router.add_post("/{version}/{phone_number_id}/messages", self._messages)

    @property
    def api_url(self) -> str:
        return f"{self.url}/v21.0"

    async def _messages(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        with self._lock:
            self.sent.append(
                {
                    "phone_number_id": request.match_info["phone_number_id"],
                    "authorization": request.headers.get("Authorization"),
                    "body": body,
                    "status": self.status,
                }
            )
            number = len(self.sent)
        if self.status != 200:
            return web.json_response(
                {"error": {"message": "fake failure", "code": 131000}}, status=self.status
            )
        return web.json_response(
            {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.out.{number}"}]}
        )

    def to(self, recipient: str) -> list[dict[str, Any]]:
        with self._lock:
            return [
                entry["body"]
                for entry in self.sent
                if recipient in (entry["body"].get("to"), entry["body"].get("recipient"))
            ]

    def wait_for(self, recipient: str, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(recipient)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages to {recipient}, got {self.to(recipient)}")
