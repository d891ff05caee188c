"""`python -m bot tindak-lanjut jalan|sekali`: the follow-up worker (deadlines, escalation,
notifications), forever or one pass."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime, timezone


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "tindak-lanjut", help="complaint deadlines and escalation, status notifications (worker)"
    )
    commands = group.add_subparsers(dest="command", required=True)
    run = commands.add_parser("jalan", help="run passes forever (make run starts this)")
    run.add_argument(
        "--detik", type=float, help="seconds between passes (default PANDU_TINDAK_LANJUT_DETIK or 30)"
    )
    run.set_defaults(func=_jalan)
    once = commands.add_parser("sekali", help="one pass now, then print what it did")
    once.add_argument(
        "--pada", help="pretend it is this moment (YYYY-MM-DDTHH:MM, UTC; to try a deadline or escalation)"
    )
    once.set_defaults(func=_sekali)


def _jalan(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.tindak_lanjut.pekerja import jalan

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(jalan(open_database(), args.detik))
    except KeyboardInterrupt:
        pass
    return 0


def _sekali(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.tindak_lanjut.pekerja import satu_putaran

    try:
        now = _moment(args.pada)
    except ValueError:
        print(f"error: --pada {args.pada!r} is not YYYY-MM-DDTHH:MM", file=sys.stderr)
        return 2
    hasil = asyncio.run(satu_putaran(open_database(), now=now))
    for kode, kepada in hasil.eskalasi:
        print(f"eskalasi: {kode} -> {kepada}")
    print(hasil.ringkas())
    return 1 if hasil.galat else 0


def _moment(text: str | None) -> datetime | None:
    """'2027-01-15T02:00' (UTC, or with an offset) -> naive UTC; None for None; ValueError if unreadable."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def daftar_terlambat(status: str | None = None, wilayah: str | None = None, pada: str | None = None) -> int:
    """`python -m bot pengaduan list --terlambat [--pada ...]`: unanswered complaints past their due
    date, then those due within SEGERA_HARI_KERJA working days; most urgent first."""
    from bot.cli_support import open_database
    from bot.notifikasi.teks import tanggal
    from bot.tindak_lanjut.eskalasi import langkah_pengaduan
    from bot.tindak_lanjut.tenggat import SEGERA_HARI_KERJA, baris_pengaduan, posisi_semua

    try:
        now = _moment(pada)
    except ValueError:
        print(f"error: --pada {pada!r} is not YYYY-MM-DDTHH:MM", file=sys.stderr)
        return 2
    with open_database()() as session:
        rows = baris_pengaduan(session, status=status, wilayah=wilayah)
        where = posisi_semua(session, rows, now)
        urgent = sorted(
            (r for r in rows if where[r.kode_tiket].keadaan in ("terlambat", "segera")),
            key=lambda r: where[r.kode_tiket].urutan,
        )
        lines = []
        for row in urgent:
            w = where[row.kode_tiket]
            state = (
                f"TERLAMBAT {w.terlambat_hari_kerja} hari kerja"
                if w.keadaan == "terlambat"
                else ("hari terakhir" if w.sisa_hari_kerja == 0 else f"sisa {w.sisa_hari_kerja} hari kerja")
            )
            escalated = [s.kepada for s in langkah_pengaduan(session, row) if s.dicatat_pada is not None]
            lines.append(
                f"{row.kode_tiket}  tenggat {w.tenggat.isoformat()} ({tanggal(w.tenggat)}, "
                f"{w.hari_kerja} hari kerja, {w.dasar_label})  {state:<26} {row.status:<16} "
                f"{row.wilayah or '-':<18}" + (f"  eskalasi: {', '.join(escalated)}" if escalated else "")
            )
        session.commit()
    for line in lines:
        print(line)
    print(
        f"{len(lines)} pengaduan lewat batas waktu atau jatuh tempo dalam {SEGERA_HARI_KERJA} hari kerja",
        file=sys.stderr,
    )
    return 0
