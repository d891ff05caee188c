"""`python -m bot laporan --bulan 2026-11 [--wilayah balangan] [--keluar DIR] [--pdf]`: the monthly
office report as one HTML file (charts inside), and as PDF with --pdf."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("laporan", help="monthly office report (HTML, optional PDF)")
    parser.add_argument("--bulan", required=True, help="the month, YYYY-MM (e.g. 2026-11)")
    parser.add_argument("--wilayah", help="one region (default: all)")
    parser.add_argument("--keluar", type=Path, default=Path("."), help="folder to write into (default: here)")
    parser.add_argument("--pdf", action="store_true", help="also write a PDF (drawn by matplotlib)")
    parser.set_defaults(func=_laporan)


def _laporan(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.laporan import grafik, html, pdf
    from bot.laporan.data import buat_laporan, bulan_dari_teks
    from bot.petugas.riwayat import tracker_session_factory

    try:
        bulan = bulan_dari_teks(args.bulan)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    factory = open_database()
    with factory() as session, tracker_session_factory()() as tracker:
        try:
            lap = buat_laporan(session, tracker, bulan, args.wilayah)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        session.commit()  # due dates computed for the first time are kept
    args.keluar.mkdir(parents=True, exist_ok=True)
    stem = f"laporan-{bulan:%Y-%m}" + (f"-{args.wilayah}" if args.wilayah else "")
    target = args.keluar / f"{stem}.html"
    target.write_text(html.berkas(lap, grafik.semua_png(lap)), encoding="utf-8")
    print(f"{target}")
    if args.pdf:
        print(pdf.tulis(lap, args.keluar / f"{stem}.pdf"))
    c, p = lap.percakapan, lap.pengaduan
    print(
        f"{html.nama_bulan(lap)}, {lap.wilayah_nama}: {c.percakapan} percakapan, {c.pesan} pesan, "
        f"tak terjawab {html.persen(c.rasio_tidak_terjawab)}, ke petugas {html.persen(c.rasio_dialihkan)}; "
        f"{p.jumlah} pengaduan (tepat waktu {html.persen(p.kepatuhan)}); {lap.permohonan.jumlah} permohonan; "
        + (
            f"IKM {lap.ikm_semua.hasil.ikm:.2f}"
            if lap.ikm_semua and lap.ikm_semua.hasil.ikm is not None
            else "IKM -"
        ),
        file=sys.stderr,
    )
    return 0
