"""`python -m bot kb ...`: import, build, check, load and search the knowledge base.

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

    imp = commands.add_parser(
        "import",
        help="a new region's decree (or a revised one) -> draft YAML files and what to review first",
        description="Parse a Standar Pelayanan decree and write draft YAML for each standard and the "
        "office; a revised decree shows its changes per standard before anything is overwritten. "
        "Guide: docs/onboarding.md.",
    )
    imp.add_argument("file", type=Path, help="the decree as UTF-8 text (tab-separated tables)")
    imp.add_argument("--wilayah", required=True, help="region slug, e.g. ogan-komering-ilir")
    imp.add_argument("--nama", default=None, help='region name, e.g. "Kabupaten Balangan" (new region)')
    imp.add_argument(
        "--provinsi", default=None, help="province (else found in the text): suggests the time zone"
    )
    imp.add_argument(
        "--menggantikan",
        action="append",
        default=[],
        metavar="DOKUMEN",
        help="an older document in knowledge/sources that this one replaces (repeatable)",
    )
    imp.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
    imp.add_argument("--yes", action="store_true", help="apply a re-import's changes without asking")
    imp.add_argument("--dry-run", action="store_true", help="show everything, write nothing")
    imp.set_defaults(func=_import)

    check = commands.add_parser("check", help="validate the YAML files and print the data-quality report")
    check.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR, help="knowledge directory")
    check.add_argument(
        "--sources", type=Path, default=None, help="source documents (default: <knowledge>/sources)"
    )
    check.add_argument(
        "--wilayah", default=None, help="report on one region only (its standards, office, sources)"
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


def _import(args: argparse.Namespace) -> int:
    from bot.knowledge.check import run_check
    from bot.knowledge.impor import (
        ImportRefused,
        apply_plan,
        dry_run_check,
        plan_import,
        render_changes,
        render_plan,
    )
    from bot.knowledge.parse import ParseError

    try:
        plan = plan_import(
            args.file, args.wilayah, args.knowledge, args.nama, args.provinsi, tuple(args.menggantikan)
        )
    except (ParseError, ImportRefused) as exc:
        print(f"error: {exc}\nnothing was written", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror or exc}\nnothing was written", file=sys.stderr)
        return 2
    if args.dry_run:
        print(render_plan(plan, dry_run_check(plan)))
        print("\ndry run: nothing was written")
        return 0
    if not plan.writes and not plan.removed_paths:
        print(render_changes(plan) if plan.reimport else "")
        print(f"nothing to change: the knowledge files already match {args.file}")
        return 0
    confirm = plan.reimport and bool(plan.changed or plan.removed_paths or plan.replaced_documents)
    if confirm:
        print(render_changes(plan))
        if not args.yes:
            answer = ""
            if sys.stdin.isatty():
                answer = input("Overwrite the knowledge files with these changes? [y/N] ").strip().lower()
            if answer not in ("y", "ya", "yes"):
                print("nothing was written (run again with --yes to apply these changes)")
                return 3
    try:
        written = apply_plan(plan)
    except OSError as exc:
        print(f"error: writing the files failed: {exc}; the knowledge files are unchanged", file=sys.stderr)
        return 2
    print(
        render_plan(plan, run_check(args.knowledge, wilayah=args.wilayah), written, show_changes=not confirm)
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from bot.knowledge.check import run_check

    report = run_check(args.knowledge, args.sources, wilayah=args.wilayah)
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
