"""`python -m bot telegram`: run the Telegram gateway (polling by default, webhook optional).

Environment: TELEGRAM_BOT_TOKEN (required), PANDU_GATEWAY_SECRET (required: the shared secret of
Rasa's Telegram input; `make run` generates one), RASA_URL (default http://127.0.0.1:5005),
TELEGRAM_WEBHOOK_SECRET (webhook mode), TELEGRAM_API_URL (another Bot API server, optional),
PANDU_PESAN_GANGGUAN (the apology when Rasa cannot be reached; `make run` passes the office contacts).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `telegram` command."""
    telegram = subparsers.add_parser("telegram", help="run the Telegram gateway (TELEGRAM_BOT_TOKEN)")
    telegram.add_argument("--rasa-url", default=None, help="Rasa server (default: $RASA_URL or :5005)")
    telegram.add_argument(
        "--webhook-url",
        default=os.environ.get("TELEGRAM_WEBHOOK_URL"),
        help="public HTTPS URL Telegram should post to; without it the gateway polls",
    )
    telegram.add_argument("--listen", default="127.0.0.1", help="webhook mode: address to bind")
    telegram.add_argument("--port", type=int, default=8443, help="webhook mode: port to bind")
    telegram.add_argument("--url-path", default="/telegram", help="webhook mode: path to serve")
    telegram.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("error: set TELEGRAM_BOT_TOKEN (from @BotFather) to run the Telegram gateway", file=sys.stderr)
        return 2

    gateway_secret = os.environ.get("PANDU_GATEWAY_SECRET", "").strip()
    if not gateway_secret:
        print("error: set PANDU_GATEWAY_SECRET (the same value the Rasa server has)", file=sys.stderr)
        return 2

    from telegram import Update

    from bot.channels.telegram.gateway import build_application

    application = build_application(
        token, args.rasa_url, base_url=os.environ.get("TELEGRAM_API_URL") or None, secret=gateway_secret
    )
    if not args.webhook_url:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return 0
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if not secret:
        print("error: webhook mode needs TELEGRAM_WEBHOOK_SECRET", file=sys.stderr)
        return 2
    asyncio.run(_run_webhook(application, args, secret))
    return 0


async def _run_webhook(application, args: argparse.Namespace, secret: str) -> None:  # noqa: ANN001
    from aiohttp import web
    from telegram import Update

    from bot.channels.telegram.webhook import webhook_app

    gateway = application.bot_data["gateway"]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with application:
        await gateway.post_init(application)
        await application.bot.set_webhook(
            args.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        runner = web.AppRunner(webhook_app(application, secret, args.url_path))
        await runner.setup()
        await web.TCPSite(runner, args.listen, args.port).start()
        logging.getLogger(__name__).info("webhook on %s:%d%s", args.listen, args.port, args.url_path)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            await application.stop()
            await gateway.post_shutdown(application)
