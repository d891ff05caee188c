"""`python -m bot api serve`: run the staff HTTP API (needs PANDU_API_TOKEN)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `api` command group."""
    group = subparsers.add_parser("api", help="staff HTTP API (bearer token from PANDU_API_TOKEN)")
    commands = group.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5056)
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from bot.api.server import serve

    serve(args.host, args.port)
    return 0
