"""A month of sample follow-through data, to try the monthly report, the survey index and the
unanswered-questions page without waiting for real traffic (docs/tindak-lanjut.md).

    .venv/bin/python -m tools.contoh_laporan [--bulan 2026-11] [--database-url sqlite:///var/contoh_laporan.db]

Writes into its own database by default (var/contoh_laporan.db: the knowledge base is loaded into it
first), never into the assistant's. Everything is invented: conversations (as Rasa's tracker store
keeps them), complaints, applications and survey answers for the real standards of knowledge/; the
same seed gives the same month. Not imported by the assistant.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select, update

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'contoh_laporan.db'}"

PERTANYAAN = [
    # (text, intent, standard id, component) of questions the assistant answers
    ("syarat izin apotek apa saja?", "ask_persyaratan", "balangan-izin-apotek", "persyaratan"),
    ("biaya izin apotek berapa", "ask_biaya", "balangan-izin-apotek", "biaya"),
    (
        "kak syarat bikin sip bidan apa aja",
        "ask_persyaratan",
        "balangan-surat-izin-praktik-bidan",
        "persyaratan",
    ),
    (
        "berapa lama sip bidan jadinya",
        "ask_jangka_waktu",
        "balangan-surat-izin-praktik-bidan",
        "jangka_waktu",
    ),
    ("izin reklame syaratnya apa", "ask_persyaratan", "balangan-izin-reklame", "persyaratan"),
    ("prosedur izin reklame gimana", "ask_prosedur", "balangan-izin-reklame", "prosedur"),
    (
        "pirt di oki syaratnya apa",
        "ask_persyaratan",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
        "persyaratan",
    ),
    (
        "pirt oki bayar gak",
        "ask_biaya",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
        "biaya",
    ),
    (
        "izin perluasan industri di oki berapa lama",
        "ask_jangka_waktu",
        "ogan-komering-ilir-izin-usaha-perluasan-industri",
        "jangka_waktu",
    ),
    (
        "syarat sertifikat standar susu segar purwakarta",
        "ask_persyaratan",
        "purwakarta-sertifikat-standar-risiko-menengah-tinggi-kbli-10510-industri-pengolahan-susu-segar-dan-krim",
        "persyaratan",
    ),
    ("sip apoteker biayanya", "ask_biaya", "balangan-surat-izin-praktik-apoteker", "biaya"),
    ("produk izin apotek apa", "ask_produk", "balangan-izin-apotek", "produk"),
]
TAK_TERJAWAB = [
    ("syarat izin karaoke apa aja?", "utter_layanan_tidak_ditemukan"),
    ("izin karaoke keluarga gimana caranya", "utter_fallback"),
    ("karaoke perlu izin apa kak", "utter_layanan_tidak_ditemukan"),
    ("bikin paspor di mana", "utter_bukan_layanan_kami"),
    ("perpanjang sim bisa di sini?", "utter_bukan_layanan_kami"),
    ("cara daftar oss gimana", "utter_fallback"),
    ("daftar oss nya susah, gimana", "utter_fallback"),
    ("izin tambang pasir di balangan", "utter_layanan_tidak_ditemukan"),
    ("nomor wa saya 0812-3456-7890 tolong hubungi", "utter_fallback"),
    ("kapan kantor buka hari sabtu", "utter_fallback"),
]
KANAL = ["webchat", "webchat", "webchat", "whatsapp", "whatsapp", "telegram"]


def _ts(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def isi(url: str, bulan: date, seed: int = 2026) -> dict[str, int]:
    """Fill `url` (migrated, knowledge loaded) with the sample month. Returns what was added."""
    from bot.db import migrate, session_factory
    from bot.knowledge.loader import load
    from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
    from bot.pengaduan.repository import DataPengaduan, buat_pengaduan, tanggapi, ubah_status
    from bot.permohonan.models import PermohonanRiwayatRow, PermohonanRow
    from bot.permohonan.repository import StandarResolver, upsert_permohonan, validate_record
    from bot.petugas import repository as petugas
    from bot.petugas.riwayat import EVENTS
    from bot.skm.repository import jawab, mulai, selesaikan
    from bot.tak_terjawab.pencatat import pindai
    from bot.tindak_lanjut.eskalasi import eskalasi_jatuh_tempo

    rng = random.Random(seed)
    load(url=url)
    migrate(url)
    factory = session_factory(url)
    days = [bulan + timedelta(days=i) for i in range(31) if (bulan + timedelta(days=i)).month == bulan.month]
    workdays = [d for d in days if d.weekday() < 5]

    def moment(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, rng.randint(0, 9), rng.randint(0, 59))

    # --- conversations ---------------------------------------------------------------------------
    events: list[dict] = []
    handoffs: list[tuple[str, str, datetime]] = []

    def add(sender: str, kind: str, at: datetime, data: dict) -> None:
        events.append(
            dict(
                sender_id=sender,
                type_name=kind,
                timestamp=_ts(at),
                action_name=None,
                data=json.dumps({"event": kind, "timestamp": _ts(at), **data}),
            )
        )

    for n in range(60):
        channel = rng.choice(KANAL)
        sender = {
            "webchat": f"web-contoh-{n}",
            "telegram": f"telegram-{900000 + n}",
            "whatsapp": f"62812000{n:05d}",
        }[channel]
        at = moment(rng.choice(days))
        for _ in range(rng.randint(1, 4)):
            at += timedelta(minutes=rng.randint(1, 5))
            if rng.random() < 0.2:
                text, utter = rng.choice(TAK_TERJAWAB)
                parse = {"intent": {"name": "nlu_fallback"}, "entities": []}
                add(sender, "user", at, {"text": text, "metadata": {"channel": channel}, "parse_data": parse})
                add(
                    sender,
                    "bot",
                    at + timedelta(seconds=2),
                    {"text": "...", "metadata": {"utter_action": utter}},
                )
                if rng.random() < 0.4:
                    add(
                        sender,
                        "user",
                        at + timedelta(seconds=30),
                        {"text": "/human_handoff", "metadata": {"channel": channel}},
                    )
                    add(
                        sender,
                        "bot",
                        at + timedelta(seconds=31),
                        {"text": "...", "metadata": {"utter_action": "utter_petugas_diteruskan"}},
                    )
                    handoffs.append((sender, channel, at + timedelta(seconds=31)))
                continue
            text, intent, standard_id, komponen = rng.choice(PERTANYAAN)
            entities = [
                {"entity": "layanan", "value": standard_id},
                {"entity": "komponen", "value": komponen},
            ]
            add(
                sender,
                "user",
                at,
                {
                    "text": text,
                    "metadata": {"channel": channel},
                    "parse_data": {"intent": {"name": intent}, "entities": entities},
                },
            )
            add(sender, "bot", at + timedelta(seconds=2), {"text": "...", "metadata": {}})
    with factory.begin() as session:
        EVENTS.create(session.connection(), checkfirst=True)
        session.execute(insert(EVENTS), events)
        for sender, channel, at in handoffs:
            request = petugas.buka_permintaan(session, sender, channel, "balangan")
            request.diminta_pada = at
            petugas.tutup_permintaan(session, request.id, "selesai")
    with factory() as session, factory() as tracker:
        unanswered = pindai(
            session, tracker, datetime.combine(days[-1], datetime.min.time()) + timedelta(days=2)
        )
        session.commit()

    # --- complaints ------------------------------------------------------------------------------
    categories = [
        "pelaksanaan_pelayanan",
        "sarana_prasarana",
        "hambatan_pelayanan",
        "pelaksanaan_pelayanan",
        "lainnya",
    ]
    complaints = 0
    for n in range(14):
        wilayah = rng.choice(["purwakarta", "purwakarta", "balangan", "ogan-komering-ilir"])
        filed = moment(rng.choice(workdays))
        if n < 3:  # Purwakarta's standard gives 14 working days: two left unanswered, one due soon
            wilayah, filed = "purwakarta", moment(workdays[n] if n < 2 else workdays[-8])
        data = DataPengaduan(
            kategori=rng.choice(categories),
            kanal=rng.choice(KANAL),
            wilayah=wilayah,
            uraian=f"Contoh pengaduan nomor {n}: antrean loket lama dan berkas yang kurang tidak dijelaskan.",
            nama="Warga Contoh",
            kontak="081200000000",
        )
        complaint, _ = buat_pengaduan(factory, data, kunci=f"contoh-laporan-{bulan}-{n}")
        complaints += 1
        with factory.begin() as session:
            row = session.execute(
                select(PengaduanRow).where(PengaduanRow.kode_tiket == complaint.kode_tiket)
            ).scalar_one()
            row.dibuat_pada = filed
            session.execute(
                update(PengaduanRiwayatRow)
                .where(PengaduanRiwayatRow.pengaduan_id == row.id)
                .values(dicatat_pada=filed)
            )
        fate = rng.random() if n >= 3 else 1.0
        if fate < 0.7:
            end = datetime.combine(days[-1], datetime.min.time()) + timedelta(hours=8)
            answered = min(filed + timedelta(days=rng.choice([2, 5, 9, 16, 25])), end)
            with factory.begin() as session:
                ubah_status(session, complaint.kode_tiket, "diverifikasi", "contoh")
                tanggapi(
                    session,
                    complaint.kode_tiket,
                    "Terima kasih, sudah kami tindak lanjuti.",
                    "contoh",
                    status="selesai" if fate < 0.5 else "ditindaklanjuti",
                )
            with factory.begin() as session:
                row = session.execute(
                    select(PengaduanRow).where(PengaduanRow.kode_tiket == complaint.kode_tiket)
                ).scalar_one()
                row.ditanggapi_pada = answered
                for entry in row.riwayat[1:]:
                    entry.dicatat_pada = answered
    with factory.begin() as session:
        eskalasi_jatuh_tempo(session, datetime.combine(days[-1], datetime.min.time()) + timedelta(hours=20))

    # --- applications ----------------------------------------------------------------------------
    standards = [
        "balangan-izin-apotek",
        "balangan-surat-izin-praktik-bidan",
        "balangan-izin-reklame",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
    ]
    applications = 0
    with factory() as session:
        resolver = StandarResolver(session)
        for n in range(18):
            received = rng.choice(workdays[:-3])
            status = rng.choice(
                [
                    "diterima",
                    "diverifikasi",
                    "diproses",
                    "diproses",
                    "menunggu_tanda_tangan",
                    "selesai",
                    "dikembalikan",
                ]
            )
            record = {
                "nomor_permohonan": f"503/{n + 1:04d}/CONTOH/{bulan.year}",
                "layanan": rng.choice(standards),
                "wilayah": "",
                "nama_pemohon": "Pemohon Contoh",
                "telepon": f"0812000{n:05d}",
                "tanggal_masuk": received.isoformat(),
                "status": status,
                "tahap": "",
                "catatan": "",
                "nomor_izin": "503/CONTOH" if status == "selesai" else "",
                "tanggal_selesai": (received + timedelta(days=rng.randint(3, 12))).isoformat()
                if status == "selesai"
                else "",
            }
            record["wilayah"] = resolver.resolve(record["layanan"], None)[0].wilayah
            data, errors = validate_record(record, resolver, today=days[-1] + timedelta(days=40))
            if errors:
                raise SystemExit("; ".join(errors))
            upsert_permohonan(session, data, "import")
            applications += 1
        session.flush()
        for row in session.execute(
            select(PermohonanRow).where(PermohonanRow.nomor.like("%/CONTOH/%"))
        ).scalars():
            session.execute(
                update(PermohonanRiwayatRow)
                .where(PermohonanRiwayatRow.permohonan_id == row.id)
                .values(
                    dicatat_pada=datetime.combine(row.tanggal_masuk, datetime.min.time()) + timedelta(hours=3)
                )
            )
        session.commit()

    # --- survey ----------------------------------------------------------------------------------
    surveys = 0
    with factory.begin() as session:
        for n in range(26):
            standard_id = rng.choice(standards + [None])
            wilayah = "ogan-komering-ilir" if standard_id and "komering" in standard_id else "balangan"
            row, created = mulai(
                session,
                f"web-skm-{bulan}-{n}",
                "permohonan" if standard_id else "umum",
                f"contoh:{n}",
                wilayah,
                standard_id,
                rng.choice(KANAL),
                rng.choice(days),
            )
            if not created:
                continue
            base = rng.choice([3, 3, 4, 2])
            for _ in range(9):
                jawab(
                    session,
                    row,
                    None if rng.random() < 0.05 else max(1, min(4, base + rng.choice([-1, 0, 0, 1]))),
                )
            selesaikan(session, row, "Pelayanan cepat, ruang tunggu perlu kipas." if n % 7 == 0 else None)
            surveys += 1
    return {
        "percakapan": 60,
        "pertanyaan_tak_terjawab": unanswered,
        "pengaduan": complaints,
        "permohonan": applications,
        "survei": surveys,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contoh_laporan", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--bulan", default="2026-11", help="YYYY-MM (default 2026-11)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    args = parser.parse_args(argv)
    from bot.laporan.data import bulan_dari_teks

    try:
        bulan = bulan_dari_teks(args.bulan)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    added = isi(args.database_url, bulan)
    print(f"{args.database_url}: " + ", ".join(f"{k} {v}" for k, v in added.items()))
    print(
        f"next: DATABASE_URL={args.database_url} .venv/bin/python -m bot laporan --bulan {args.bulan} --pdf"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
