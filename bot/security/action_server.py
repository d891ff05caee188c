"""rasa-sdk's action server, private and bounded: `python -m bot.security.action_server`.

rasa-sdk serves `/webhook` to anyone who reaches the port: a forged tracker runs any action (the
status check among them), bodies have no practical size limit and deflate bodies are inflated
without one. This module builds the same Sanic app (`rasa_sdk.endpoint.create_app`) and adds:

- a shared secret on every request (`Authorization: Bearer $PANDU_ACTIONS_SECRET`, constant-time
  compare; Rasa sends it from `endpoints.yml`), checked before the body is parsed: 401 otherwise;
- a body limit (`SANIC_REQUEST_MAX_SIZE`, default 8 MB, checked on the declared length first): 413;
- compressed bodies refused (any `Content-Encoding` but identity): 415;
- no CORS (browsers have no business here), loopback interface unless told otherwise;
- each action bounded in time (`PANDU_ACTION_TIMEOUT`, default 10 s) in a worker thread, so a
  hung database gives the person an apology within seconds instead of a frozen conversation;
- errors answered without echoing the request (rasa-sdk's handler returns the whole body).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import hmac
import logging
import os
import sys
import time
from typing import Any, Optional

from bot.security.config import ACTIONS_MAX_REQUEST_BYTES

logger = logging.getLogger(__name__)

ENV_SECRET = "PANDU_ACTIONS_SECRET"
ENV_TIMEOUT = "PANDU_ACTION_TIMEOUT"
DEFAULT_TIMEOUT_S = 10.0
# Said when an action does not finish in time (the database hangs): the turn still gets an answer.
TIMEOUT_REPLY = (
    "Maaf, sistem sedang lambat sehingga permintaan Anda belum bisa diproses. "
    "Silakan coba lagi beberapa saat lagi."
)


def secret_ok(header: Optional[str], secret: str) -> bool:
    """`Bearer <secret>` compared in constant time."""
    scheme, _, given = (header or "").partition(" ")
    return (
        bool(secret)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), secret.encode("utf-8"))
    )


def create_app(
    secret: str,
    actions_package: str = "actions",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_request_bytes: Optional[int] = None,
    workers: int = 8,
) -> Any:
    """The action server app. `secret` is required: an open action server is never built."""
    if not secret:
        raise ValueError(f"the action server needs a shared secret ({ENV_SECRET})")
    from rasa_sdk import endpoint
    from rasa_sdk.executor import ActionExecutor
    from sanic import response

    app = endpoint.create_app(actions_package, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = max_request_bytes or int(
        os.environ.get("SANIC_REQUEST_MAX_SIZE") or ACTIONS_MAX_REQUEST_BYTES
    )
    app.config.FALLBACK_ERROR_FORMAT = "json"

    @app.middleware("request")
    async def guard(request: Any) -> Any:
        if not secret_ok(request.headers.get("authorization"), secret):
            return response.json({"error": "unauthorized"}, status=401)
        encoding = (request.headers.get("content-encoding") or "identity").strip().lower()
        if encoding != "identity":
            return response.json({"error": "compressed bodies are not accepted"}, status=415)
        return None

    async def on_error(request: Any, exception: Exception) -> Any:
        from sanic.exceptions import SanicException

        if isinstance(exception, SanicException):  # 404, 405, 413, bad JSON...
            status = getattr(exception, "status_code", 400) or 400
            return response.json({"error": type(exception).__name__}, status=status)
        logger.error("action request failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    app.error_handler.add(Exception, on_error)

    # Each action runs in a worker thread with its own event loop: actions do blocking database
    # work, and a hung database must cost one thread, not the whole server.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="action")
    original_run = ActionExecutor.run

    async def bounded_run(self: Any, action_call: dict) -> Optional[dict]:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(pool, lambda: asyncio.run(original_run(self, action_call)))
        try:
            return await asyncio.wait_for(future, timeout_s)
        except asyncio.TimeoutError:
            logger.error("action %s did not finish in %.0f s", action_call.get("next_action"), timeout_s)
            return {"events": [], "responses": [{"text": TIMEOUT_REPLY}]}

    ActionExecutor.run = bounded_run  # this process serves only this app
    return app


def warm_knowledge() -> None:
    """Build the knowledge snapshot (every standard with its passage and search indexes: seconds on
    a slow machine) before serving, so that the first question after a start does not wait for it,
    or run into the action timeout. A missing knowledge base is reported by the actions themselves."""
    from bot.db import session_factory
    from bot.knowledge.snapshot import current_snapshot

    started = time.monotonic()
    try:
        with session_factory()() as session:
            current_snapshot(session)
    except Exception as exc:  # noqa: BLE001 - any database problem: serve anyway, answer per request
        logger.warning("knowledge base not loaded before serving (%s)", type(exc).__name__)
        return
    logger.info("knowledge base loaded in %.1f s", time.monotonic() - started)


def without_tensorflow() -> None:
    """Keep TensorFlow out of this process. The actions tokenize with spaCy, and spaCy's thinc
    imports TensorFlow whenever it is installed (Rasa needs it): ~540 MB of memory and seconds of
    start-up in a process that never runs a model. Call before anything imports spaCy."""
    if "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]  # `import tensorflow` fails


def main(argv: Optional[list[str]] = None) -> int:
    without_tensorflow()
    parser = argparse.ArgumentParser(
        prog="python -m bot.security.action_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--actions", default="actions", help="package with the actions")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: loopback only)")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secret = os.environ.get(ENV_SECRET, "").strip()
    if not secret:
        print(f"error: set {ENV_SECRET} (the same value Rasa sends, see endpoints.yml)", file=sys.stderr)
        return 2
    timeout_s = float(os.environ.get(ENV_TIMEOUT) or DEFAULT_TIMEOUT_S)
    app = create_app(secret, args.actions, timeout_s=timeout_s)
    warm_knowledge()
    logger.info("action server on %s:%d (shared secret required)", args.host, args.port)
    app.run(host=args.host, port=args.port, access_log=False, motd=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
