"""The follow-through in the staff console, as staff use it (`python -m bot konsol serve` on 127.0.0.1,
a browser-like client with CSRF): late complaints first with their due dates and escalation, a
manual escalation, an application's status changed in the console reaching the applicant's
Telegram (fake Bot API) through the worker and shown on its page, a failed one retried from the
*Kabar* page, unanswered questions resolved with a note, the IKM page and its CSV, the monthly report
with its charts. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from bot.notifikasi.langganan import langganan
from bot.notifikasi.models import KabarRow
from bot.petugas import riwayat
from bot.petugas.models import CatatanStafRow
from bot.skm.repository import jawab, mulai, selesaikan
from bot.tindak_lanjut.pekerja import satu_putaran
from tests.e2e.channels.fakes import FakeTelegram, ThreadedServer
from tests.konsol_support import FakeBridge, Staff, add_staff, console, console_log
from tests.tindak_lanjut_support import APOTEK, ajukan, permohonan, prepare_database

TOKEN = "88:uji-konsol-kabar"


@pytest.fixture
def setup(tl_url, tmp_path, monkeypatch):
    factory = prepare_database(tl_url)
    add_staff(tl_url, "siti", "Siti Aminah", "admin")
    with ThreadedServer(FakeBridge()) as bridge, ThreadedServer(FakeTelegram(TOKEN)) as telegram:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram.base_url}
        for key, value in env.items():  # the follow-up worker runs in this process
            monkeypatch.setenv(key, value)
        with console(tl_url, tmp_path, bridge.url, env) as base:
            staff = Staff(base)
            assert staff.login("siti").status_code == 302
            yield {"factory": factory, "staff": staff, "telegram": telegram, "dir": tmp_path, "base": base}
            staff.close()


def test_new_pages_need_a_session(setup):
    anonymous = Staff(setup["base"])
    for path in ("/kabar", "/tak-terjawab", "/skm", "/skm/ikm.csv", "/laporan", "/laporan/gambar/kanal.png"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response.headers["location"].startswith("/konsol/masuk"), path
    assert anonymous.post("/kabar/1/ulang").status_code == 403


def test_complaints_late_first_with_due_dates_and_a_manual_escalation(setup):
    factory, staff = setup["factory"], setup["staff"]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    recent = ajukan(factory, now - timedelta(hours=1))  # 5 working days ahead
    late = ajukan(factory, now - timedelta(days=30))  # long past its 5 working days
    page = staff.page("/pengaduan")
    assert page.index(late) < page.index(recent)
    assert "Lewat batas waktu" in page and "Dalam batas waktu" in page or "Segera jatuh tempo" in page
    detail = staff.page(f"/pengaduan/{late}")
    assert "Batas waktu tanggapan" in detail and "5 hari kerja menurut data tindak lanjut kantor" in detail
    assert "Kepala DPMPTSP Kabupaten Balangan" in detail and "Inspektorat Kabupaten Balangan" in detail
    assert detail.count("Catat eskalasi") == 2  # the worker has not run: both can be recorded by hand
    assert staff.post(f"/pengaduan/{late}/eskalasi", {"langkah": "1"}, csrf="palsu").status_code == 403
    location = staff.post(f"/pengaduan/{late}/eskalasi", {"langkah": "1"}).headers["location"]
    assert "info=" in location
    detail = staff.page(f"/pengaduan/{late}")
    assert "oleh konsol:siti" in detail and detail.count("Catat eskalasi") == 1
    assert "galat=" in staff.post(f"/pengaduan/{late}/eskalasi", {"langkah": "1"}).headers["location"]
    with factory() as session:
        audit = session.execute(select(CatatanStafRow).where(CatatanStafRow.aksi == "eskalasi")).scalar_one()
        assert (audit.username, audit.objek) == ("siti", late)


def test_status_changed_in_the_console_reaches_telegram_and_failures_are_retried(setup):
    factory, staff, telegram = setup["factory"], setup["staff"], setup["telegram"]
    nomor = permohonan(factory)
    with factory.begin() as session:
        langganan(session, "permohonan", nomor, "telegram:7001", "telegram")
    staff.page(f"/permohonan/lihat?nomor={nomor}")
    assert (
        "info="
        in staff.post("/permohonan/status", {"nomor": nomor, "status": "diverifikasi"}).headers["location"]
    )
    telegram.fail_next(
        "sendMessage", 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}
    )

    def worker(now):
        return asyncio.run(satu_putaran(factory, lambda a: None, now, tracker_factory=factory))

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    result = worker(now)
    assert (result.kabar_baru, result.gagal) == (1, 1)
    page = staff.page(f"/permohonan/lihat?nomor={nomor}")
    assert "Gagal, akan dicoba lagi" in page and "bot was blocked" in page and "Kirim ulang" in page
    kabar_page = staff.page("/kabar")
    assert nomor in kabar_page and "Berkas sedang diverifikasi" in kabar_page
    with factory() as session:
        kabar = session.execute(select(KabarRow)).scalar_one()
    # Staff send it again now (the next automatic try would wait a minute).
    assert (
        "info="
        in staff.post(
            f"/kabar/{kabar.id}/ulang", {"kembali": f"/konsol/permohonan/lihat?nomor={nomor}"}
        ).headers["location"]
    )
    assert worker(now).terkirim == 1
    [(_, sent), (_, again)] = telegram.calls_to("sendMessage")
    assert again["chat_id"] == 7001 and "Status sekarang: Berkas sedang diverifikasi." in again["text"]
    assert "Terkirim" in staff.page(f"/permohonan/lihat?nomor={nomor}")
    assert "telegram:7001" not in staff.page("/kabar")  # the address is never shown
    assert "Siti Rahmawati" not in console_log(setup["dir"])


def test_unanswered_questions_resolved_with_a_note(setup):
    factory, staff = setup["factory"], setup["staff"]
    ts = datetime.now(timezone.utc).timestamp() - 3600
    with factory.begin() as session:
        riwayat.EVENTS.create(session.connection(), checkfirst=True)
        question = {"text": "syarat izin karaoke? hp saya 0812-9999-1111", "metadata": {"channel": "webchat"}}
        reply = {"text": "...", "metadata": {"utter_action": "utter_layanan_tidak_ditemukan"}}
        for i, (kind, data) in enumerate([("user", question), ("bot", reply)]):
            session.execute(
                insert(riwayat.EVENTS).values(
                    sender_id="web-k1",
                    type_name=kind,
                    timestamp=ts + i,
                    data=json.dumps({"event": kind, **data}),
                )
            )
    asyncio.run(satu_putaran(factory, lambda a: None, None, tracker_factory=factory))
    page = staff.page("/tak-terjawab")
    assert "syarat izin karaoke? hp saya [telepon]" in page and "0812" not in page
    with factory() as session:
        from bot.tak_terjawab.models import KelompokTakTerjawabRow

        group_id = session.execute(select(KelompokTakTerjawabRow.id)).scalar_one()
    staff.page(f"/tak-terjawab/{group_id}")
    assert "galat=" in staff.post(f"/tak-terjawab/{group_id}/selesai", {"catatan": "  "}).headers["location"]
    note = 'alias "izin karaoke" ditambahkan ke standar hiburan'
    assert "info=" in staff.post(f"/tak-terjawab/{group_id}/selesai", {"catatan": note}).headers["location"]
    assert "Sudah ditangani" in staff.page("/tak-terjawab?status=selesai")
    assert "alias &#34;izin karaoke&#34; ditambahkan" in staff.page(f"/tak-terjawab/{group_id}")


def test_ikm_page_csv_and_the_monthly_report(setup):
    factory, staff = setup["factory"], setup["staff"]
    today = datetime.now(timezone.utc).date()
    with factory.begin() as session:
        for i, score in enumerate((4, 3)):
            row, _ = mulai(session, f"web-k{i}", "permohonan", f"x{i}", "balangan", APOTEK, "webchat", today)
            for _ in range(9):
                jawab(session, row, score)
            selesaikan(session, row, "Ruang tunggu nyaman, nama saya Budi." if i else None)
    page = staff.page("/skm")
    assert "Izin Apotek (Kabupaten Balangan)" in page and "87,50" in page and "A (Sangat baik)" not in page
    assert "B (Baik)" in page and "nama saya [nama]." in page  # (4x9 + 3x9) / 2 / 9... = 3.5 x 25 = 87.50, B
    response = staff.get("/skm/ikm.csv?per=wilayah")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert (row["kelompok"], row["responden"], row["ikm"], row["mutu"]) == ("balangan", "2", "87.50", "B")
    month = today.strftime("%Y-%m")
    report = staff.page(f"/laporan?bulan={month}")
    assert "Laporan bulanan" in report and 'id="tabel-ikm-unsur"' in report
    assert f"/konsol/laporan/gambar/ikm_unsur.png?bulan={month}" in report
    image = staff.get(f"/laporan/gambar/ikm_unsur.png?bulan={month}")
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    download = staff.get(f"/laporan/unduh?bulan={month}")
    assert download.status_code == 200 and "data:image/png;base64," in download.text
    assert "attachment" in download.headers["content-disposition"]
    assert "tidak dikenal" in staff.page("/laporan?bulan=2026-13")
    assert staff.get("/laporan/gaya.css").headers["content-type"].startswith("text/css")
