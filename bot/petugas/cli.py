"""`python -m bot staf ...`: staff accounts of the console (tambah, daftar, sandi, nonaktifkan, aktifkan).

Passwords are typed at a hidden prompt (twice), or read from standard input with --sandi-stdin (for
scripts); never given as an argument, where other users of the machine could read them.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.cli_support import open_database


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `staf` command group."""
    from bot.petugas.models import PERAN

    group = subparsers.add_parser("staf", help="staff accounts of the console")
    commands = group.add_subparsers(dest="command", required=True)

    add = commands.add_parser("tambah", help="create an account")
    add.add_argument("username", help="login name: lowercase letters, digits, . _ -")
    add.add_argument("--nama", required=True, help="display name, shown to applicants when replying")
    add.add_argument("--peran", choices=list(PERAN), default="cs", help="cs (default) or admin")
    add.add_argument("--sandi-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=_add)

    lst = commands.add_parser("daftar", help="list accounts")
    lst.set_defaults(func=_list)

    password = commands.add_parser("sandi", help="set a new password (also unlocks; logs out everywhere)")
    password.add_argument("username")
    password.add_argument("--sandi-stdin", action="store_true")
    password.set_defaults(func=_password)

    for name, active in (("nonaktifkan", False), ("aktifkan", True)):
        purpose = "enable and unlock an account" if active else "disable an account (logs it out)"
        command = commands.add_parser(name, help=purpose)
        command.add_argument("username")
        command.set_defaults(func=_set_active, aktif=active)


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        print("error: kedua kata sandi tidak sama", file=sys.stderr)
        return None
    return first


def _save(change, done: str) -> int:  # noqa: ANN001
    from bot.petugas import repository as repo

    with open_database()() as session:
        staf, errors = change(session)
        if errors:
            session.rollback()
            for error in errors:
                print(f"error: {error}", file=sys.stderr)
            return 1
        repo.catat(session, None, done, f"staf:{staf.username}", username="cli")
        session.commit()
        print(f"{done}: {staf.username} ({staf.nama}, {staf.peran})")
    return 0


def _add(args: argparse.Namespace) -> int:
    from bot.petugas import repository as repo

    password = _read_password(args.sandi_stdin)
    if password is None:
        return 1
    return _save(lambda s: repo.buat_staf(s, args.username, args.nama, args.peran, password), "tambah_staf")


def _password(args: argparse.Namespace) -> int:
    from bot.petugas import repository as repo

    password = _read_password(args.sandi_stdin)
    if password is None:
        return 1
    return _save(lambda s: repo.ganti_sandi(s, args.username, password), "ganti_sandi")


def _set_active(args: argparse.Namespace) -> int:
    from bot.petugas import repository as repo

    action = "aktifkan_staf" if args.aktif else "nonaktifkan_staf"
    return _save(lambda s: repo.set_aktif(s, args.username, args.aktif), action)


def _list(args: argparse.Namespace) -> int:
    from bot.permohonan.models import utcnow
    from bot.petugas import repository as repo

    with open_database()() as session:
        accounts = repo.daftar_staf(session)
        if not accounts:
            print("Belum ada akun. Buat dengan: python -m bot staf tambah NAMA --nama 'Nama Lengkap'")
            return 0
        now = utcnow()
        for staf in accounts:
            state = "aktif" if staf.aktif else "nonaktif"
            if staf.terkunci_sampai and staf.terkunci_sampai > now:
                state = f"terkunci s.d. {staf.terkunci_sampai:%Y-%m-%d %H:%M} UTC"
            print(f"{staf.username:<20} {staf.peran:<6} {state:<12} {staf.nama}")
    return 0
