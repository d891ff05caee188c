"""The follow-through as an applicant meets it, in real headless Chromium on the website widget of
the real assistant: check an application's status, agree to be told ("Ya, kabari saya"); staff
finish the application with the command line; the follow-up worker runs; the widget, opened again,
shows the notification with the survey invitation; the survey is answered with buttons (one question
skipped) plus a comment; the answers are stored anonymously with the comment masked."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from actions.applications import hari_ini
from bot.run import ROOT
from tests.e2e.channels.browser import ARTIFACTS, launch

pytestmark = pytest.mark.e2e
WAIT = 60_000
NOMOR = "503/8001/IZ/2026"


@pytest.fixture
def browser(tmp_path):
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", viewport={"width": 1100, "height": 900})
        yield context
        context.close()


@pytest.fixture
def application(assistant, tmp_path):
    from bot.db import session_factory
    from bot.permohonan.importer import HEADER, impor_csv

    row = [NOMOR, "balangan-izin-apotek", "balangan", "Dewi Lestari", "0812-7777-4411",
           (hari_ini() - timedelta(days=2)).isoformat(), "diproses", "4", "", "", ""]  # fmt: skip
    path = tmp_path / "p.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    factory = session_factory(assistant.database_url)
    assert impor_csv(path, factory).berhasil
    return factory


def ask(widget, text: str) -> None:  # noqa: ANN001
    count = widget.locator(".pi-message").count()
    widget.get_by_label("Ketik pertanyaan Anda").fill(text)
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
    expect(widget.locator(".pi-message").nth(count)).to_be_visible(timeout=WAIT)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=WAIT)


def press(widget, title: str) -> None:  # noqa: ANN001
    count = widget.locator(".pi-message").count()
    widget.locator(".pi-choice:not([disabled])", has_text=title).first.click()
    expect(widget.locator(".pi-message").nth(count + 1)).to_be_visible(timeout=WAIT)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=WAIT)


def test_status_notification_in_the_widget_then_the_survey(assistant, application, browser):
    from bot.skm.models import UNSUR, SkmResponRow

    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{assistant.url}/webhooks/webchat/demo")
    widget = page.locator("#pandu-izin-widget")
    widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
    ask(widget, "cek status permohonan saya")
    ask(widget, NOMOR)
    ask(widget, "4411")
    offer = widget.locator(".pi-bot").filter(
        has_text=f"Mau saya kabari di sini kalau status permohonan {NOMOR} berubah?"
    )
    expect(offer).to_be_visible(timeout=WAIT)
    press(widget, "Ya, kabari saya")
    expect(widget.locator(".pi-bot").last).to_contain_text("saya akan mengabari Anda di sini")

    # Staff finish the application (the command line; the console and the API work the same way).
    done = subprocess.run(
        [sys.executable, "-m", "bot", "permohonan", "set", NOMOR, "--status", "selesai", "--nomor-izin",
         "503/31/IA/2026", "--tanggal-selesai", hari_ini().isoformat()],
        capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": assistant.database_url},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # One pass of the follow-up worker (make run keeps `tindak-lanjut jalan` running).
    worker = subprocess.run(
        [sys.executable, "-m", "bot", "tindak-lanjut", "sekali"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": assistant.database_url},
    )
    assert worker.returncode == 0, worker.stderr
    assert "kabar baru 1, terkirim 0, menunggu widget 1" in worker.stdout, worker.stdout

    # The widget, closed and opened again, shows the news.
    widget.get_by_role("button", name="Tutup obrolan").click()
    widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
    news = widget.locator(".pi-news")
    expect(news).to_contain_text(
        f"Kabar permohonan {NOMOR} (Izin Apotek, Kabupaten Balangan)", timeout=20_000
    )
    expect(news).to_contain_text("Status sekarang: Selesai, izin sudah terbit.")
    expect(news).to_contain_text("Nomor izin: 503/31/IA/2026.")
    expect(news).to_contain_text('ketik "isi survei"')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-kabar.png"))

    # The survey: nine questions with buttons, the fourth skipped, then a comment.
    ask(widget, "isi survei")
    expect(widget.locator(".pi-bot").last).to_contain_text("Pertanyaan 1 dari 9: Persyaratan")
    for score in ("4 ", "3 ", "3 ", "Lewati", "4 ", "4 ", "4 ", "3 ", "2 "):
        press(widget, score)
    expect(widget.locator(".pi-bot").last).to_contain_text("Ada saran atau komentar untuk kami?")
    press(widget, "Tulis komentar")
    expect(widget.locator(".pi-bot").last).to_contain_text("Silakan tulis saran atau komentar")
    ask(widget, "Cepat dan ramah. Kalau perlu hubungi WA saya 0812-7777-4411.")
    expect(widget.locator(".pi-bot").last).to_contain_text("Survei dan komentar Anda sudah tersimpan")
    page.screenshot(path=str(ARTIFACTS / "widget-survei.png"))
    assert errors == []
    with application() as session:
        row = session.execute(select(SkmResponRow)).scalar_one()
    assert [getattr(row, k) for k in UNSUR] == [4, 3, 3, None, 4, 4, 4, 3, 2]
    assert (row.standard_id, row.wilayah, row.selesai, row.pengirim) == (
        "balangan-izin-apotek",
        "balangan",
        True,
        None,
    )
    assert row.komentar == "Cepat dan ramah. Kalau perlu hubungi WA saya [telepon]."
