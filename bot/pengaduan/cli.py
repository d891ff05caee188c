"""`python -m bot pengaduan ...`: staff work on complaints (list, read, respond, status, export)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from bot.cli_support import open_database, print_record, save_change


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `pengaduan` command group."""
    from bot.pengaduan.models import STATUS

    group = subparsers.add_parser("pengaduan", help="complaints and suggestions (staff)")
    commands = group.add_subparsers(dest="command", required=True)

    lst = commands.add_parser("list", help="list complaints, newest first")
    lst.add_argument("--status", choices=list(STATUS))
    lst.add_argument("--wilayah", help="region slug, e.g. balangan")
    lst.add_argument(
        "--terlambat", action="store_true",
        help="only unanswered complaints past or near their due date, most urgent first (bot/tindak_lanjut)",
    )  # fmt: skip
    lst.add_argument("--pada", help="with --terlambat: as at this moment (YYYY-MM-DDTHH:MM, UTC)")
    lst.set_defaults(func=_list)

    show = commands.add_parser("show", help="read one complaint with its history")
    show.add_argument("kode", help="ticket, e.g. ADU-7KQ2-9XFD")
    show.set_defaults(func=_show)

    respond = commands.add_parser("respond", help="write the response the complainant will see")
    respond.add_argument("kode")
    respond.add_argument("tanggapan", help="response text")
    respond.add_argument("--status", choices=list(STATUS), help="also change the status")
    respond.set_defaults(func=_respond)

    status = commands.add_parser("status", help="change the status")
    status.add_argument("kode")
    status.add_argument("status", choices=list(STATUS))
    status.add_argument("--catatan", help="internal note for the history")
    status.set_defaults(func=_status)

    export = commands.add_parser("export", help="export complaints as CSV")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--status", choices=list(STATUS))
    export.add_argument("--wilayah")
    export.set_defaults(func=_export)


def render(p) -> str:
    lines = [
        f"Tiket:      {p.kode_tiket} ({p.jenis})",
        f"Status:     {p.status} ({p.status_label})",
        f"Kategori:   {p.kategori_label}",
        f"Wilayah:    {p.wilayah or '-'}   Layanan: {p.standard_id or '-'}",
        f"Permohonan: {p.nomor_permohonan or '-'}",
        f"Masuk:      {p.dibuat_pada:%Y-%m-%d %H:%M} UTC via {p.kanal}",
        f"Kejadian:   {p.waktu_kejadian or '-'}",
        f"Pelapor:    {p.nama or '-'} / {p.kontak or '-'}   (RAHASIA)",
        "Uraian:",
        f"  {p.uraian}",
        f"Tanggapan:  {p.tanggapan or '-'}",
        "Riwayat:",
    ]
    for r in p.riwayat:
        lines.append(f"  {r.dicatat_pada:%Y-%m-%d %H:%M} UTC  {r.status:<16} {r.oleh:<8} {r.catatan or ''}")
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> int:
    from bot.pengaduan.repository import list_pengaduan

    if args.terlambat:
        from bot.tindak_lanjut.cli import daftar_terlambat

        return daftar_terlambat(args.status, args.wilayah, args.pada)

    with open_database()() as session:
        items = list_pengaduan(session, status=args.status, wilayah=args.wilayah)
    for p in items:
        uraian = " ".join(p.uraian.split())
        print(
            f"{p.kode_tiket}  {p.dibuat_pada:%Y-%m-%d}  {p.status:<16} {p.jenis:<9} {p.wilayah or '-':<20} "
            f"{p.kategori_label:<26} {uraian[:50]}"
        )
    print(f"{len(items)} pengaduan", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from bot.pengaduan.repository import get_pengaduan

    with open_database()() as session:
        p = get_pengaduan(session, args.kode)
    return print_record(p, f"pengaduan {args.kode} tidak ditemukan", render)


def _respond(args: argparse.Namespace) -> int:
    from bot.pengaduan.repository import tanggapi

    return save_change(
        lambda session: tanggapi(session, args.kode, args.tanggapan, "cli", status=args.status), render
    )


def _status(args: argparse.Namespace) -> int:
    from bot.pengaduan.repository import ubah_status

    return save_change(
        lambda session: ubah_status(session, args.kode, args.status, "cli", catatan=args.catatan), render
    )


def write_csv(items, stream) -> None:
    from bot.pengaduan.repository import CSV_FIELDS, as_row

    writer = csv.DictWriter(stream, fieldnames=list(CSV_FIELDS))
    writer.writeheader()
    for p in items:
        writer.writerow(as_row(p))


def _export(args: argparse.Namespace) -> int:
    from bot.pengaduan.repository import list_pengaduan

    with open_database()() as session:
        items = list_pengaduan(session, status=args.status, wilayah=args.wilayah, limit=100_000)
    if args.out:
        with args.out.open("w", encoding="utf-8", newline="") as handle:
            write_csv(items, handle)
        print(f"{len(items)} pengaduan -> {args.out}", file=sys.stderr)
    else:
        write_csv(items, sys.stdout)
    return 0
