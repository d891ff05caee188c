"""`python -m bot permohonan ...`: import a CSV, show one application, change its status/step/note.

Staff-side: full names and phone numbers are shown here (the office's own data), never in chat.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli_support import open_database, print_record, save_change


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `permohonan` command group."""
    group = subparsers.add_parser("permohonan", help="applications (status for their owners)")
    commands = group.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="import a CSV file (all rows or none)")
    imp.add_argument("file", type=Path, help="CSV with the header nomor_permohonan,layanan,wilayah,...")
    imp.set_defaults(func=_import)

    show = commands.add_parser("show", help="show one application and its history")
    show.add_argument("nomor", help="application number, e.g. 503/IZ/2026")
    show.set_defaults(func=_show)

    change = commands.add_parser("set", help="change status, step or note of one application")
    change.add_argument("nomor")
    change.add_argument(
        "--status", help="diterima|diverifikasi|diproses|menunggu_tanda_tangan|selesai|dikembalikan|ditolak"
    )
    change.add_argument("--tahap", help="step number in the standard's procedure, or text")
    change.add_argument("--catatan", help="note (e.g. what is missing); '' clears it")
    change.add_argument("--nomor-izin", dest="nomor_izin")
    change.add_argument("--tanggal-selesai", dest="tanggal_selesai", help="YYYY-MM-DD")
    change.add_argument("--kode-tanda-terima", dest="kode_tanda_terima", help="receipt code (stronger check)")
    change.set_defaults(func=_set)

    locked = commands.add_parser(
        "terkunci", help="applications whose status check is locked (security alerts)"
    )
    locked.set_defaults(func=_terkunci)

    unlock = commands.add_parser("buka-kunci", help="unlock the status check of one application")
    unlock.add_argument("nomor")
    unlock.set_defaults(func=_buka_kunci)


def _import(args: argparse.Namespace) -> int:
    from bot.permohonan.importer import impor_csv

    if not args.file.is_file():
        print(f"error: {args.file} not found", file=sys.stderr)
        return 2
    hasil = impor_csv(args.file, open_database())
    if not hasil.berhasil:
        print(f"{args.file}: {len(hasil.salah)} baris salah, TIDAK ADA yang diimpor:", file=sys.stderr)
        for bad in hasil.salah:
            print(f"  {bad}", file=sys.stderr)
        return 1
    print(f"{args.file}: {hasil.baru} baru, {hasil.diubah} diubah, {hasil.sama} tidak berubah")
    return 0


def render(p) -> str:
    from bot.permohonan.models import STATUS

    lines = [
        f"Nomor:           {p.nomor}",
        f"Layanan:         {p.standard_id} ({p.wilayah})",
        f"Pemohon:         {p.nama_pemohon}, {p.telepon}",
        f"Tanggal masuk:   {p.tanggal_masuk.isoformat()}",
        f"Status:          {p.status} ({STATUS.get(p.status, '?')})",
        f"Tahap:           {p.tahap_nomor or p.tahap_teks or '-'}",
        f"Catatan:         {p.catatan or '-'}",
        f"Nomor izin:      {p.nomor_izin or '-'}",
        f"Tanggal selesai: {p.tanggal_selesai.isoformat() if p.tanggal_selesai else '-'}",
        "Riwayat:",
    ]
    for r in p.riwayat:
        tahap = r.tahap_nomor or r.tahap_teks or "-"
        lines.append(f"  {r.dicatat_pada:%Y-%m-%d %H:%M} UTC  {r.status:<22} tahap {tahap}  ({r.sumber})")
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    from bot.permohonan.repository import get_permohonan

    with open_database()() as session:
        p = get_permohonan(session, args.nomor)
    return print_record(p, f"permohonan {args.nomor} tidak ditemukan", render)


def _terkunci(args: argparse.Namespace) -> int:
    from bot.permohonan.repository import get_permohonan
    from bot.security.percobaan import NOMOR, daftar_terkunci

    with open_database()() as session:
        locked = daftar_terkunci(session, NOMOR)
        # the number as the office wrote it; a number that is no application stays as it was typed
        shown = {k.kunci: getattr(get_permohonan(session, k.kunci), "nomor", k.kunci) for k in locked}
    for item in locked:
        print(
            f"{shown[item.kunci]:<32} terkunci sampai {item.terkunci_sampai:%Y-%m-%d %H:%M} UTC "
            f"(gagal terakhir {item.gagal_terakhir:%Y-%m-%d %H:%M} UTC)"
        )
    print(f"{len(locked)} permohonan terkunci", file=sys.stderr)
    return 0


def _buka_kunci(args: argparse.Namespace) -> int:
    from bot.permohonan.repository import nomor_kunci
    from bot.security.percobaan import NOMOR, buka_kunci

    with open_database()() as session:
        cleared = buka_kunci(session, NOMOR, nomor_kunci(args.nomor))
        session.commit()
    print(f"{args.nomor}: " + ("kunci dan hitungan gagal dihapus" if cleared else "tidak terkunci"))
    return 0


def _set(args: argparse.Namespace) -> int:
    from bot.permohonan.repository import ubah_permohonan

    fields = ("status", "tahap", "catatan", "nomor_izin", "tanggal_selesai", "kode_tanda_terima")
    changes = {k: getattr(args, k) for k in fields}
    if all(v is None for v in changes.values()):
        print(
            "nothing to change: give --status, --tahap, --catatan, --nomor-izin or --tanggal-selesai",
            file=sys.stderr,
        )
        return 2
    return save_change(lambda session: ubah_permohonan(session, args.nomor, "cli", **changes), render)
