"""`python -m bot tak-terjawab daftar|lihat|selesai|buka`: the unanswered questions, grouped."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    from bot.tak_terjawab.models import STATUS_KELOMPOK

    group = subparsers.add_parser("tak-terjawab", help="questions the assistant could not answer (grouped)")
    commands = group.add_subparsers(dest="command", required=True)
    lst = commands.add_parser("daftar", help="groups, most frequent first")
    lst.add_argument("--status", choices=list(STATUS_KELOMPOK))
    lst.add_argument("--batas", type=int, default=30, help="how many groups (default 30)")
    lst.set_defaults(func=_daftar)
    show = commands.add_parser("lihat", help="the questions of one group")
    show.add_argument("id", type=int)
    show.set_defaults(func=_lihat)
    done = commands.add_parser("selesai", help="mark a group resolved, with what was done")
    done.add_argument("id", type=int)
    done.add_argument(
        "catatan", help='e.g. "alias izin karaoke ditambahkan ke balangan/izin-usaha-hiburan.yaml"'
    )
    done.set_defaults(func=_selesai)
    reopen = commands.add_parser("buka", help="open a resolved group again")
    reopen.add_argument("id", type=int)
    reopen.set_defaults(func=_buka)


def _daftar(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.tak_terjawab.models import JENIS
    from bot.tak_terjawab.repository import daftar_kelompok

    with open_database()() as session:
        groups = daftar_kelompok(session, status=args.status, limit=args.batas)
    if not groups:
        print("Belum ada pertanyaan tak terjawab.")
        return 0
    for g in groups:
        kinds = ", ".join(f"{JENIS.get(k, k)} {n}" for k, n in sorted(g.per_jenis.items()))
        print(f"#{g.id:<5} {g.jumlah:>4}x  {g.status:<8} {g.terakhir_pada:%Y-%m-%d}  {g.contoh}  ({kinds})")
        if g.catatan:
            print(f"       catatan: {g.catatan}")
    return 0


def _lihat(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.tak_terjawab.repository import contoh_kelompok

    with open_database()() as session:
        rows = contoh_kelompok(session, args.id, limit=100)
    if not rows:
        print(f"kelompok {args.id} tidak ditemukan", file=sys.stderr)
        return 1
    for r in rows:
        print(f"{r.dicatat_pada:%Y-%m-%d %H:%M} UTC  {r.kanal:<9} {r.jenis:<16} {r.teks}")
    return 0


def _selesai(args: argparse.Namespace) -> int:
    from bot.cli_support import save_change
    from bot.tak_terjawab.repository import selesaikan

    return save_change(
        lambda s: (args.id, selesaikan(s, args.id, args.catatan, "cli")), lambda i: f"kelompok {i}: selesai"
    )


def _buka(args: argparse.Namespace) -> int:
    from bot.cli_support import save_change
    from bot.tak_terjawab.repository import buka_lagi

    return save_change(lambda s: (args.id, buka_lagi(s, args.id)), lambda i: f"kelompok {i}: dibuka lagi")
