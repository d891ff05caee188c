"""`python -m bot data ...`: personal data kept only as long as needed (docs/security.md).

python -m bot data retensi --hari 90          delete conversations idle for more than 90 days
python -m bot data hapus --pengirim whatsapp:6281234567890 [--identitas-pengaduan]
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `data` command group."""
    group = subparsers.add_parser("data", help="personal data: retention and deletion on request")
    commands = group.add_subparsers(dest="command", required=True)

    keep = commands.add_parser("retensi", help="delete conversations idle for more than N days")
    keep.add_argument(
        "--hari", type=float, required=True, help="days a conversation is kept after its last message"
    )
    keep.set_defaults(func=_retensi)

    forget = commands.add_parser("hapus", help="delete one person's conversation on request")
    forget.add_argument(
        "--pengirim",
        required=True,
        help="conversation id: whatsapp:<number or BSUID>, telegram:<chat id>, webchat:<id>, "
        "or a REST sender",
    )
    forget.add_argument(
        "--identitas-pengaduan",
        action="store_true",
        help="also remove the name and contact from that person's complaints (the complaints stay)",
    )
    forget.set_defaults(func=_hapus)


def _retensi(args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.security.retention import retensi

    if args.hari < 0:
        print("error: --hari must be 0 or more")
        return 2
    migrate()
    hasil = retensi(args.hari)
    print(
        f"{hasil.percakapan} percakapan dihapus ({hasil.peristiwa} peristiwa, {hasil.nilai_rahasia} isian "
        f"rahasia), {hasil.penghitung} penghitung percobaan kedaluwarsa dihapus"
    )
    return 0


def _hapus(args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.security.retention import hapus_pengirim

    migrate()
    hasil = hapus_pengirim(args.pengirim.strip(), identitas_pengaduan=args.identitas_pengaduan)
    print(
        f"percakapan {args.pengirim}: {hasil.peristiwa} peristiwa, {hasil.nilai_rahasia} isian rahasia, "
        f"{hasil.penghitung} penghitung percobaan dihapus; "
        f"{hasil.pengaduan} pengaduan dilepas dari percakapan"
        + (" (nama dan kontak dihapus)" if args.identitas_pengaduan else "")
    )
    return 0
