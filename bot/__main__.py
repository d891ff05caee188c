"""Command line: `python -m bot <group> <command>`.

Each group lives next to the code it drives and adds itself with `register(subparsers)`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that provide a `register(subparsers)` function, one per command group.
COMMAND_MODULES = (
    "bot.knowledge.cli",  # kb import|parse|check|load|search
    "bot.channels.telegram.cli",  # telegram (gateway: polling, or webhook)
    "bot.permohonan.cli",  # permohonan import|show|set
    "bot.pengaduan.cli",  # pengaduan list|show|respond|status|export
    "bot.api.cli",  # api serve (staff HTTP API)
    "bot.petugas.cli",  # staf tambah|daftar|sandi|nonaktifkan|aktifkan (console accounts)
    "bot.konsol.cli",  # konsol serve (staff console)
    "bot.security.cli",  # data retensi|hapus (personal data)
    "bot.tindak_lanjut.cli",  # tindak-lanjut jalan|sekali (deadlines, escalation, notifications)
    "bot.skm.cli",  # skm (satisfaction index IKM, CSV)
    "bot.tak_terjawab.cli",  # tak-terjawab daftar|selesai (unanswered questions)
    "bot.laporan.cli",  # laporan --bulan YYYY-MM (monthly report)
    "bot.backup",  # backup, restore (applications, complaints, conversations)
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Pandu Izin command line")
    sub = parser.add_subparsers(dest="group", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.exc import ArgumentError, OperationalError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ArgumentError, OperationalError) as exc:
        # An unusable DATABASE_URL is one line for the operator, not a traceback.
        from bot.db import database_url
        from bot.preflight import safe_url

        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["?"])[0]
        print(f"error: cannot use the database {safe_url(database_url())}: {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
