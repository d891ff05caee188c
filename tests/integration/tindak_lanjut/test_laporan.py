"""The monthly report generated from a seeded November 2026: every number in its tables is checked
against what was seeded (counted by hand below), on the HTML file the command writes; the PDF is
written too. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timezone
from html.parser import HTMLParser

from sqlalchemy import insert, select, update

from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
from bot.pengaduan.repository import tanggapi
from bot.permohonan.models import PermohonanRiwayatRow, PermohonanRow
from bot.permohonan.repository import ubah_permohonan
from bot.petugas import repository as petugas_repo
from bot.petugas import riwayat
from bot.run import ROOT
from bot.skm.repository import jawab, mulai, selesaikan
from bot.tak_terjawab.pencatat import pindai
from bot.tindak_lanjut.eskalasi import eskalasi_jatuh_tempo
from tests.tindak_lanjut_support import APOTEK, SUSU, ajukan, permohonan


def utc(y, m, d, hh=3, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm)


class Tables(HTMLParser):
    """Every <table id=...> as rows of cell texts, and the summary cards by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.cards: dict[str, str] = {}
        self._table = self._cell = self._card = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._table:
            self._cell = ""
        elif tag == "strong" and (attrs.get("id") or "").startswith("ringkas-"):
            self._card = attrs["id"]
            self.cards[self._card] = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._table:
            self.tables[self._table].append(self._row)
        elif tag == "table":
            self._table = None
        elif tag == "strong":
            self._card = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._card:
            self.cards[self._card] += data


def seed_conversations(factory) -> None:
    def event(sender, kind, moment, data, action=None):
        ts = moment.replace(tzinfo=timezone.utc).timestamp()
        return dict(
            sender_id=sender,
            type_name=kind,
            timestamp=ts,
            action_name=action,
            data=json.dumps({"event": kind, "timestamp": ts, **data}),
        )

    def user(sender, moment, text, channel, intent, **entities):
        parse = {
            "intent": {"name": intent},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        }
        return event(
            sender, "user", moment, {"text": text, "metadata": {"channel": channel}, "parse_data": parse}
        )

    def bot(sender, moment, utter):
        return event(sender, "bot", moment, {"text": "...", "metadata": {"utter_action": utter}})

    rows = [
        user(
            "web-1",
            utc(2026, 11, 3),
            "syarat izin apotek",
            "webchat",
            "ask_persyaratan",
            layanan=APOTEK,
            komponen="persyaratan",
        ),
        bot("web-1", utc(2026, 11, 3, 3, 1), "utter_jawab"),
        user("web-1", utc(2026, 11, 3, 3, 2), "biayanya?", "webchat", "ask_biaya", layanan=APOTEK),
        bot("web-1", utc(2026, 11, 3, 3, 3), "utter_jawab"),
        user("telegram-2", utc(2026, 11, 10), "izin karaoke?", "telegram", "nlu_fallback"),
        bot("telegram-2", utc(2026, 11, 10, 3, 1), "utter_fallback"),
        user("telegram-2", utc(2026, 11, 10, 3, 2), "/human_handoff", "telegram", "human_handoff"),
        bot("telegram-2", utc(2026, 11, 10, 3, 3), "utter_petugas_diteruskan"),
        user(
            "6281200000003",
            utc(2026, 11, 20),
            "syarat susu segar purwakarta",
            "whatsapp",
            "ask_persyaratan",
            layanan=SUSU,
        ),
        bot("6281200000003", utc(2026, 11, 20, 3, 1), "utter_jawab"),
        user("6281200000003", utc(2026, 11, 20, 3, 2), "paspor?", "whatsapp", "out_of_scope"),
        bot("6281200000003", utc(2026, 11, 20, 3, 3), "utter_bukan_layanan_kami"),
        user("web-9", utc(2026, 10, 20), "izin karaoke di bulan lalu", "webchat", "nlu_fallback"),  # October
        bot("web-9", utc(2026, 10, 20, 3, 1), "utter_fallback"),
    ]
    with factory.begin() as session:
        riwayat.EVENTS.create(session.connection(), checkfirst=True)
        session.execute(insert(riwayat.EVENTS), rows)
        request = petugas_repo.buka_permintaan(session, "telegram-2", "telegram", "balangan")
        request.diminta_pada = utc(2026, 11, 10, 3, 3)
    with factory() as session, factory() as tracker:
        pindai(session, tracker, utc(2026, 12, 1))
        session.commit()


def answered_at(factory, kode, moment, text="Sudah kami tindak lanjuti.") -> None:
    with factory.begin() as session:
        tanggapi(session, kode, text, "cli")
    with factory.begin() as session:
        row = session.execute(select(PengaduanRow).where(PengaduanRow.kode_tiket == kode)).scalar_one()
        row.ditanggapi_pada = moment
        last = max(r.id for r in row.riwayat)
        session.execute(
            update(PengaduanRiwayatRow).where(PengaduanRiwayatRow.id == last).values(dicatat_pada=moment)
        )


def seed_complaints(factory) -> dict[str, str]:
    # Balangan (WITA, test office default: 5 working days); Purwakarta (WIB, 14 from its standard).
    on_time = ajukan(factory, utc(2026, 11, 2))  # due 9 Nov, answered 4 Nov
    answered_at(factory, on_time, utc(2026, 11, 4))
    late = ajukan(factory, utc(2026, 11, 2, 4))  # due 9 Nov, answered 20 Nov
    answered_at(factory, late, utc(2026, 11, 20))
    open_late = ajukan(
        factory, utc(2026, 11, 3)
    )  # due 10 Nov, never answered: 14 working days late on 30 Nov
    running = ajukan(factory, utc(2026, 11, 25), wilayah="purwakarta", standard_id=SUSU)  # due in December
    saran = ajukan(factory, utc(2026, 11, 26), jenis="saran")
    ajukan(factory, utc(2026, 10, 30))  # October: not in the report
    with factory.begin() as session:  # a different category for two of them
        session.execute(
            update(PengaduanRow)
            .where(PengaduanRow.kode_tiket.in_([running, saran]))
            .values(kategori="sarana_prasarana")
        )
    with factory.begin() as session:
        eskalasi_jatuh_tempo(session, utc(2026, 11, 30))
    return {"late": late, "open_late": open_late}


def seed_applications(factory) -> None:
    def backdate(nomor, moment):
        with factory.begin() as session:
            row = session.execute(select(PermohonanRow).where(PermohonanRow.nomor == nomor)).scalar_one()
            last = max(r.id for r in row.riwayat)
            session.execute(
                update(PermohonanRiwayatRow)
                .where(PermohonanRiwayatRow.id == last)
                .values(dicatat_pada=moment)
            )

    # Izin Apotek: 12 working days.
    permohonan(
        factory, "503/1101/IZ/2026", tanggal_masuk="2026-11-02"
    )  # due 18 Nov: 8 working days late on 30 Nov
    backdate("503/1101/IZ/2026", utc(2026, 11, 2))
    permohonan(factory, "503/1102/IZ/2026", tanggal_masuk="2026-11-16")  # due 2 Dec: in time
    backdate("503/1102/IZ/2026", utc(2026, 11, 16))
    permohonan(factory, "503/1103/IZ/2026", tanggal_masuk="2026-11-05")
    backdate("503/1103/IZ/2026", utc(2026, 11, 5))
    with factory.begin() as session:  # finished on 12 Nov, within its 12 days
        ubah_permohonan(
            session,
            "503/1103/IZ/2026",
            "api",
            status="selesai",
            nomor_izin="503/7/IA/2026",
            tanggal_selesai="2026-11-12",
        )
    backdate("503/1103/IZ/2026", utc(2026, 11, 12))
    permohonan(
        factory, "503/1104/IZ/2026", tanggal_masuk="2026-11-10"
    )  # due 26 Nov; finished only in December
    backdate("503/1104/IZ/2026", utc(2026, 11, 10))
    with factory.begin() as session:
        ubah_permohonan(
            session,
            "503/1104/IZ/2026",
            "api",
            status="selesai",
            nomor_izin="503/8/IA/2026",
            tanggal_selesai="2026-12-03",
        )
    backdate("503/1104/IZ/2026", utc(2026, 12, 3))
    permohonan(factory, "503/1001/IZ/2026", tanggal_masuk="2026-10-20")  # October: not in the report


def seed_survey(factory) -> None:
    answers = [(4, 4, 3, 4, 3, 4, 4, 3, 3), (3, 3, 3, 4, 3, 3, 4, None, 2)]
    for i, scores in enumerate(answers):
        with factory.begin() as session:
            row, _ = mulai(
                session,
                f"web-s{i}",
                "permohonan",
                f"permohonan:x{i}",
                "balangan",
                APOTEK,
                "webchat",
                date(2026, 11, 14),
            )
            for score in scores:
                jawab(session, row, score)
            selesaikan(session, row)
    with factory.begin() as session:  # October: not counted
        row, _ = mulai(
            session, "web-old", "umum", "umum:old", "balangan", None, "webchat", date(2026, 10, 14)
        )
        for _ in range(9):
            jawab(session, row, 1)


def test_monthly_report_numbers(tl_factory, tl_url, tmp_path):
    seed_conversations(tl_factory)
    tickets = seed_complaints(tl_factory)
    seed_applications(tl_factory)
    seed_survey(tl_factory)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "laporan", "--bulan", "2026-11", "--keluar", str(tmp_path), "--pdf"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": tl_url,
            "SQLALCHEMY_WARN_20": "0",
            "MPLCONFIGDIR": str(tmp_path / "mpl"),
        },
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "laporan-2026-11.html").read_text(encoding="utf-8")
    assert (tmp_path / "laporan-2026-11.pdf").read_bytes()[:5] == b"%PDF-"
    assert html.count("data:image/png;base64,") == 10  # every chart inside the file
    parsed = Tables()
    parsed.feed(html)
    t, cards = parsed.tables, parsed.cards
    # Conversations: 3 in November (1 per channel), 6 messages; October's is left out.
    assert t["tabel-kanal"][1:] == [
        ["Widget situs", "1", "2"],
        ["Telegram", "1", "2"],
        ["WhatsApp", "1", "2"],
    ]
    # Not answered: "izin karaoke?" and "paspor?" = 2 of 6; handed to a person: 1 of 3 conversations.
    assert t["tabel-rasio"][1:] == [
        ["Pesan tak terjawab", "2", "6", "33,3%"],
        ["Percakapan dialihkan ke petugas", "1", "3", "33,3%"],
    ]
    assert t["tabel-layanan"][1:] == [
        ["Izin Apotek (Kabupaten Balangan)", "2"],
        [
            "Sertifikat Standar KBLI 10510 Industri Pengolahan Susu Segar dan Krim (Kabupaten Purwakarta)",
            "1",
        ],
    ]
    assert t["tabel-komponen"][1:] == [["Persyaratan", "2"], ["Biaya/Tarif", "1"]]
    unanswered = {row[0]: row[1:3] for row in t["tabel-tak-terjawab"][1:]}
    assert unanswered == {"izin karaoke?": ["1", "Tidak dipahami 1"], "paspor?": ["1", "Di luar layanan 1"]}
    # Complaints filed in November: 5 (1 suggestion); one answered on time, one late, one past its due
    # date unanswered (14 working days on 30 Nov), one still running, the suggestion without a due date.
    assert t["tabel-pengaduan-kategori"][1:] == [
        ["Pelaksanaan pelayanan", "3"],
        ["Sarana dan prasarana", "2"],
    ]
    assert t["tabel-pengaduan-status"][1:] == [["Diterima, menunggu verifikasi", "5"]]
    assert t["tabel-pengaduan-tenggat"][1:] == [
        ["Ditanggapi tepat waktu", "1"],
        ["Ditanggapi terlambat", "1"],
        ["Lewat batas waktu, belum ditanggapi", "1"],
        ["Masih dalam batas waktu", "1"],
        ["Tanpa batas waktu", "1"],
        ["Kepatuhan (tepat waktu dari yang sudah dapat dinilai)", "33,3%"],
        ["Eskalasi tercatat", "1"],
    ]
    assert t["tabel-pengaduan-lewat"][1:] == [
        [tickets["open_late"], "Pelaksanaan pelayanan", "10 November 2026", "14"]
    ]
    # Applications received in November: 4; at the month's end 3 in process, 1 finished (in time);
    # late: 1101 (due 18 Nov, 8 working days) and 1104 (due 26 Nov, 2; finished only in December).
    assert t["tabel-permohonan-status"][1:] == [["Sedang diproses", "3"], ["Selesai, izin sudah terbit", "1"]]
    assert t["tabel-permohonan-waktu"][1:] == [
        ["Selesai dalam jangka waktu", "1"],
        ["Selesai terlambat", "0"],
        ["Belum selesai dan sudah lewat jangka waktu", "2"],
    ]
    assert t["tabel-permohonan-terlambat"][1:] == [
        ["503/1101/IZ/2026", "Izin Apotek", "18 November 2026", "8"],
        ["503/1104/IZ/2026", "Izin Apotek", "26 November 2026", "2"],
    ]
    # SKM (two respondents): NRR by hand 3.5, 3.5, 3, 4, 3, 3.5, 4, 3 (one answer), 2.5; sum 30;
    # 30 / 9 x 25 = 83.33 -> B.
    ikm = {row[0]: row[1:] for row in t["tabel-ikm-unsur"][1:]}
    assert ikm["Persyaratan"] == ["3,50", "2"] and ikm["Penanganan pengaduan, saran dan masukan"] == [
        "3,00",
        "1",
    ]
    assert ikm["Sarana dan prasarana"] == ["2,50", "2"]
    assert ikm["IKM (2 responden)"] == ["83,33", "B (Baik)"]
    assert t["tabel-ikm-layanan"][1:] == [["Izin Apotek (Kabupaten Balangan)", "2", "83,33", "B (Baik)"]]
    assert cards == {
        "ringkas-percakapan": "3",
        "ringkas-pesan": "6",
        "ringkas-tak-terjawab": "33,3%",
        "ringkas-dialihkan": "33,3%",
        "ringkas-pengaduan": "5",
        "ringkas-kepatuhan": "33,3%",
        "ringkas-permohonan": "4",
        "ringkas-ikm": "83,33 (B)",
    }
    # No personal data in the report.
    assert "Siti" not in html and "0812" not in html and "081234567890" not in html
    # A region's report: only its complaints and applications.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "laporan",
            "--bulan",
            "2026-11",
            "--wilayah",
            "purwakarta",
            "--keluar",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": tl_url,
            "SQLALCHEMY_WARN_20": "0",
            "MPLCONFIGDIR": str(tmp_path / "mpl"),
        },
    )
    assert result.returncode == 0, result.stderr
    region = Tables()
    region.feed((tmp_path / "laporan-2026-11-purwakarta.html").read_text(encoding="utf-8"))
    assert region.cards["ringkas-pengaduan"] == "1" and region.cards["ringkas-permohonan"] == "0"
