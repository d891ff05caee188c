"""`python -m bot kb ...`: build, check, load and search the knowledge base.

Each command imports its module inside the handler, so `python -m bot --help` stays fast and no
command pays for another's imports (the database layer in particular).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `kb` command group."""
    kb = subparsers.add_parser("kb", help="knowledge base of service standards")
    commands = kb.add_subparsers(dest="command", required=True)

    parse = commands.add_parser("parse", help="parse knowledge/sources into curated YAML files")
    parse.add_argument("--sources", type=Path, default=KNOWLEDGE_DIR / "sources", help="source documents")
    parse.add_argument("--out", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory to write")
    parse.add_argument("--force", action="store_true", help="overwrite existing curated files (staff edits!)")
    parse.set_defaults(func=_parse)

    check = commands.add_parser("check", help="validate the YAML files and print the data-quality report")
    check.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
    check.add_argument(
        "--sources", type=Path, default=None, help="source documents (default: <knowledge>/sources)"
    )
    check.set_defaults(func=_check)

    load = commands.add_parser("load", help="validate the YAML files, migrate, load them into the database")
    load.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
    load.add_argument("--database-url", default=None, help="database URL (default: $DATABASE_URL or var/)")
    load.set_defaults(func=_load)

    search = commands.add_parser("search", help="find the standard a free-text question is about")
    search.add_argument("text", help='e.g. "syarat sip bidan" or "pirt di oki"')
    search.add_argument("--wilayah", default=None, help="region slug to search in")
    search.add_argument("--limit", type=int, default=5, help="candidates to show")
    search.add_argument("--database-url", default=None, help="database URL (default: $DATABASE_URL or var/)")
    search.set_defaults(func=_search)


def _parse(args: argparse.Namespace) -> int:
    from bot.knowledge.build import CuratedFilesExist, UnknownRegion, build_knowledge
    from bot.knowledge.parse import ParseError
    from bot.knowledge.schema import KnowledgeFileError

    try:
        written = build_knowledge(args.sources, args.out, force=args.force)
    except (ParseError, CuratedFilesExist, UnknownRegion, KnowledgeFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(written)} files written under {args.out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from bot.knowledge.check import run_check

    report = run_check(args.knowledge, args.sources)
    print(report.render())
    return 1 if report.errors else 0


def _load(args: argparse.Namespace) -> int:
    from bot.knowledge.loader import LoadError, load
    from bot.knowledge.schema import KnowledgeFileError

    try:
        report = load(args.knowledge, args.database_url)
    except KnowledgeFileError as exc:
        print(
            f"error: {len(exc.errors)} problem(s) in the knowledge files; the database was not changed:",
            file=sys.stderr,
        )
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.render())
    return 0


def _search(args: argparse.Namespace) -> int:
    from bot.db import session_factory
    from bot.knowledge.repository import load_index

    with session_factory(args.database_url)() as session:
        index = load_index(session)
    if not index.summaries:
        print("error: the knowledge base is empty; run `python -m bot kb load` first", file=sys.stderr)
        return 2
    result = index.find(args.text, wilayah=args.wilayah, limit=args.limit)
    region = f" (wilayah: {result.wilayah})" if result.wilayah else ""
    print(f"{result.status}{region}")
    for c in result.candidates:
        span = f' "{args.text[c.start : c.end]}"' if c.start is not None else ""
        print(f"  {c.score:5.1f}  {c.standard_id}  [{c.matched}]{span}")
    for c in result.elsewhere:
        print(f"  elsewhere {c.score:5.1f}  {c.standard_id}")
    return 0 if result.status != "none" else 1
