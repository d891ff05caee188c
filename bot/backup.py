"""`python -m bot backup` / `python -m bot restore`: everything the office cannot rebuild.

The knowledge base can be reloaded from knowledge/ at any time; applications (permohonan),
complaints (pengaduan) and conversations cannot. A backup is a folder:

    pandu-izin-20261130-0215/
      manifest.json          when, which databases (URLs without passwords), Alembic revision
      database.sqlite        DATABASE_URL on SQLite: SQLite's online backup API (safe while running)
      database.pgdump        DATABASE_URL on PostgreSQL: pg_dump --format=custom
      conversations.*        only when TRACKER_DATABASE_URL is a different database

`restore` writes a backup back into the configured databases (the same kinds: SQLite into SQLite,
PostgreSQL into PostgreSQL), replacing what is there. Stop the assistant first
(`systemctl stop pandu-izin.target`, or Ctrl-C on `make run`).

PostgreSQL needs `pg_dump` / `pg_restore` of the server's major version or newer (Debian package
`postgresql-client`); the password goes through PGPASSWORD, never on a command line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional
from urllib.parse import quote

FORMAT_VERSION = 1


class BackupError(RuntimeError):
    """One line for the operator."""


@dataclass(frozen=True)
class Target:
    role: str  # "database" or "conversations"
    url: str

    @property
    def backend(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).get_backend_name()

    @property
    def filename(self) -> str:
        return f"{self.role}.{'sqlite' if self.backend == 'sqlite' else 'pgdump'}"


def targets(database_url: Optional[str] = None, tracker_url: Optional[str] = None) -> list[Target]:
    """The databases holding office data: DATABASE_URL, and TRACKER_DATABASE_URL when different."""
    from bot.db import database_url as default_url

    main = database_url or default_url()
    tracker = tracker_url if tracker_url is not None else os.environ.get("TRACKER_DATABASE_URL", "").strip()
    found = [Target("database", main)]
    if tracker and tracker != main:
        found.append(Target("conversations", tracker))
    for target in found:
        if target.backend not in ("sqlite", "postgresql"):
            raise BackupError(f"cannot back up a {target.backend} database ({target.role})")
    return found


# --- SQLite ------------------------------------------------------------------------------------
def _sqlite_path(url: str) -> Path:
    from sqlalchemy.engine import make_url

    from bot.db import is_memory_sqlite

    if is_memory_sqlite(url):
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(make_url(url).database).expanduser()


def _sqlite_copy(source: Path, destination: Path) -> None:
    """SQLite's online backup: a consistent copy even while the assistant writes."""
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    src.close()
    dst.close()


# --- PostgreSQL --------------------------------------------------------------------------------
def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    user = quote(parsed.username or "", safe="")
    host = parsed.host or ""
    netloc = f"{user}@{host}" if user else host
    if parsed.port:
        netloc += f":{parsed.port}"
    query = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in parsed.query.items())
    uri = f"postgresql://{netloc}/{quote(parsed.database or '', safe='')}" + (f"?{query}" if query else "")
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return uri, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)"
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {detail}")


def _pg_dump(url: str, destination: Path) -> None:
    uri, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={destination}"]
    _run(command + [f"--dbname={uri}"], env, "pg_dump")


def _pg_restore(url: str, source: Path) -> None:
    uri, env = _libpq(url)
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    command += ["--single-transaction", "--exit-on-error", f"--dbname={uri}", str(source)]
    _run(command, env, "pg_restore")


# --- backup / restore ---------------------------------------------------------------------------
def _safe(url: str) -> str:
    from bot.preflight import safe_url

    return safe_url(url)


def backup(folder: Path, database_url: Optional[str] = None, tracker_url: Optional[str] = None) -> Path:
    """Write a backup folder (must not exist yet); returns it."""
    from bot.db import current_revision, dispose

    found = targets(database_url, tracker_url)
    if folder.exists():
        raise BackupError(f"{folder} already exists: choose a new folder")
    folder.mkdir(parents=True)
    try:
        files = {}
        for target in found:
            destination = folder / target.filename
            if target.backend == "sqlite":
                source = _sqlite_path(target.url)
                if not source.exists():
                    raise BackupError(f"{source} does not exist ({target.role})")
                _sqlite_copy(source, destination)
            else:
                _pg_dump(target.url, destination)
            files[target.role] = {
                "file": target.filename,
                "backend": target.backend,
                "url": _safe(target.url),
            }
        revision = current_revision(found[0].url)
        dispose(found[0].url)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "alembic_revision": revision,
            "files": files,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup that looks whole
        raise
    return folder


def restore(folder: Path, database_url: Optional[str] = None, tracker_url: Optional[str] = None) -> list[str]:
    """Write the backup in `folder` into the configured databases; returns what was restored."""
    from bot.db import dispose

    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{folder}: unknown backup format {manifest.get('format')!r}")
    found = {t.role: t for t in targets(database_url, tracker_url)}
    if set(manifest["files"]) != set(found):
        raise BackupError(
            f"the backup holds {sorted(manifest['files'])} but this setup has {sorted(found)}: "
            "set TRACKER_DATABASE_URL as it was when the backup was made"
        )
    done = []
    for role, entry in manifest["files"].items():
        target = found[role]
        if entry["backend"] != target.backend:
            raise BackupError(
                f"{role}: the backup is {entry['backend']}, the configured database is {target.backend}"
            )
        source = folder / entry["file"]
        if not source.exists():
            raise BackupError(f"{source} is missing")
    for role, entry in manifest["files"].items():
        target, source = found[role], folder / entry["file"]
        dispose(target.url)
        if target.backend == "sqlite":
            path = _sqlite_path(target.url)
            path.parent.mkdir(parents=True, exist_ok=True)
            _sqlite_copy(source, path)
        else:
            _pg_restore(target.url, source)
        done.append(f"{role}: {_safe(target.url)} <- {source.name} ({manifest['created']})")
    return done


# --- command line -------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `backup` and `restore` commands."""
    make = subparsers.add_parser("backup", help="back up applications, complaints and conversations")
    make.add_argument(
        "folder", nargs="?", type=Path, help="new folder (default: $PANDU_DATA_DIR/backups/pandu-izin-<time>)"
    )
    make.set_defaults(func=_backup)
    back = subparsers.add_parser("restore", help="restore a backup folder (stop the assistant first)")
    back.add_argument("folder", type=Path)
    back.add_argument("--yes", action="store_true", help="do not ask; replace the current data")
    back.set_defaults(func=_restore)


def _backup(args: argparse.Namespace) -> int:
    from bot.db import data_dir

    folder = args.folder or data_dir() / "backups" / f"pandu-izin-{datetime.now():%Y%m%d-%H%M%S}"
    try:
        made = backup(folder)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in made.iterdir())
    print(f"backup written to {made} ({size / 1e6:.1f} MB)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: restore replaces the current data; add --yes to confirm", file=sys.stderr)
            return 2
        answer = input(f"Replace the current data with the backup in {args.folder}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "ya"):
            print("nothing changed")
            return 1
    try:
        for line in restore(args.folder):
            print(f"restored {line}")
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
