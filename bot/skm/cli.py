"""`python -m bot skm`: the satisfaction index (IKM) per service, region or month, as a table or CSV.

python -m bot skm                                   # per service, all time
python -m bot skm --per wilayah --dari 2026-01-01 --sampai 2026-06-30
python -m bot skm --per bulan --wilayah purwakarta --csv ikm.csv
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} bukan tanggal YYYY-MM-DD") from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    from bot.skm.repository import PER

    parser = subparsers.add_parser(
        "skm", help="satisfaction survey: IKM per service/region/month, CSV export"
    )
    parser.add_argument("--per", choices=PER, default="layanan", help="group by (default: layanan)")
    parser.add_argument("--dari", type=_day, help="first day (YYYY-MM-DD), by the day the survey was filled")
    parser.add_argument("--sampai", type=_day, help="last day (YYYY-MM-DD)")
    parser.add_argument("--wilayah", help="one region, e.g. purwakarta")
    parser.add_argument("--layanan", help="one standard id")
    parser.add_argument("--csv", type=Path, help="write CSV to this file ('-' = standard output)")
    parser.set_defaults(func=_skm)


def _skm(args: argparse.Namespace) -> int:
    from bot.cli_support import open_database
    from bot.skm.kuesioner import kuesioner
    from bot.skm.models import UNSUR
    from bot.skm.repository import ikm_per, tulis_csv

    if args.dari and args.sampai and args.sampai < args.dari:
        print("error: --sampai is before --dari", file=sys.stderr)
        return 2
    with open_database()() as session:
        rows = ikm_per(session, args.per, args.dari, args.sampai, args.wilayah, args.layanan)
    if args.csv is not None:
        if str(args.csv) == "-":
            tulis_csv(rows, sys.stdout)
        else:
            with args.csv.open("w", encoding="utf-8", newline="") as handle:
                tulis_csv(rows, handle)
            print(f"{len(rows)} baris -> {args.csv}", file=sys.stderr)
        return 0
    if not rows:
        print("Belum ada survei yang selesai untuk pilihan ini.")
        return 0
    names = kuesioner()
    width = max(len(r.label) for r in rows)
    print(f"IKM per {args.per} (Permenpan RB 14/2017: NRR per unsur, bobot 1/9, x 25)")
    print(f"{'':<{width}}  resp  " + " ".join(f"U{i + 1:<4}" for i in range(len(UNSUR))) + "  IKM     mutu")
    for row in rows:
        h = row.hasil
        nrr = " ".join(f"{h.nrr[k]:<5.2f}" if h.nrr[k] is not None else "-    " for k in UNSUR)
        ikm = f"{h.ikm:6.2f}" if h.ikm is not None else "     -"
        grade = f"{h.mutu.mutu} ({h.mutu.kinerja})" if h.mutu else "-"
        note = "" if h.lengkap else f"  [{h.unsur_terisi} dari 9 unsur terisi]"
        print(f"{row.label:<{width}}  {h.responden:>4}  {nrr}  {ikm}  {grade}{note}")
    print("Unsur: " + "; ".join(f"U{i + 1} {names.nama(k)}" for i, k in enumerate(UNSUR)))
    return 0
