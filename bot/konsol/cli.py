"""`python -m bot konsol serve`: run the staff console (docs/konsol.md)."""

from __future__ import annotations

import argparse
import logging
import os


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `konsol` command group."""
    group = subparsers.add_parser("konsol", help="staff console (web)")
    commands = group.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the console")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PANDU_KONSOL_PORT", "5057")))
    serve.add_argument("--rasa-url", default=None, help="Rasa server with the staff bridge ($RASA_URL)")
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from bot.konsol.app import serve

    serve(args.host, args.port, args.rasa_url)
    return 0
