"""The handoff in real headless Chromium: an applicant on the website widget asks for a person, a staff
member logs in to the console, sees the request appear, takes it and replies; the widget shows the
reply; staff hand it back and the assistant answers the next question. Plus login failure, logout,
CSRF rejection and a page without a session. Real assistant, real console (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.channels.browser import ARTIFACTS, launch
from tests.e2e.konsol.conftest import PASSWORD

pytestmark = pytest.mark.e2e
WAIT = 60_000


@pytest.fixture
def browser(tmp_path):
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", viewport={"width": 1200, "height": 800})
        yield context
        context.close()


def ask(widget, text: str) -> None:  # noqa: ANN001
    count = widget.locator(".pi-message").count()
    widget.get_by_label("Ketik pertanyaan Anda").fill(text)
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
    expect(widget.locator(".pi-message").nth(count)).to_be_visible(timeout=WAIT)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=WAIT)


def login(page, base: str, username: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_widget_to_console_and_back(browser, handoff):
    base = handoff.console_url
    errors: list[str] = []
    staff = browser.new_page()
    staff.on("pageerror", lambda exc: errors.append(str(exc)))

    # No session: redirected to the login page. A wrong password: told so.
    staff.goto(f"{base}/")
    expect(staff).to_have_url(re.compile(r"/konsol/masuk\?lanjut="))
    login(staff, base, "siti", "bukan-sandinya")
    expect(staff.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    login(staff, base, "siti")
    expect(staff.get_by_role("heading", name=re.compile("Antrean percakapan"))).to_be_visible()
    waiting_before = int(staff.locator("#jumlah-menunggu").inner_text())

    # The applicant asks for a person on the widget.
    applicant = browser.new_page()
    applicant.on("pageerror", lambda exc: errors.append(str(exc)))
    applicant.goto(f"{handoff.assistant.url}/webhooks/webchat/demo")
    widget = applicant.locator("#pandu-izin-widget")
    widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
    ask(widget, "halo, saya mau bicara dengan petugas")
    expect(widget.locator(".pi-bot").filter(has_text='Ketik "batal"')).to_be_visible(timeout=WAIT)
    sender = applicant.evaluate(
        "() => Object.keys(localStorage).filter(k => k.endsWith(':sender'))"
        ".map(k => JSON.parse(localStorage[k]))[0]"
    )

    # The inbox shows it without a reload (the page polls), oldest first, with channel and text.
    expect(staff.locator("#jumlah-menunggu")).to_have_text(str(waiting_before + 1), timeout=20_000)
    row = staff.locator("#daftar-antrean tr", has_text="saya mau bicara dengan petugas").last
    expect(row).to_contain_text("Widget situs")
    expect(row).to_contain_text("Menunggu petugas")
    ARTIFACTS.mkdir(exist_ok=True)
    staff.screenshot(path=str(ARTIFACTS / f"konsol-antrean-{handoff.kind}.png"))
    row.get_by_role("link", name="Buka").click()
    expect(staff.locator("#riwayat")).to_contain_text("halo, saya mau bicara dengan petugas")
    expect(staff.locator("#riwayat")).to_contain_text("Percakapan dialihkan ke petugas")
    assert sender not in staff.content()  # the widget's id is its key: never shown

    staff.get_by_role("button", name="Saya ambil").click()
    expect(staff.get_by_role("status")).to_contain_text("Percakapan diambil")
    expect(widget.locator(".pi-staff").first).to_contain_text(
        "Anda sekarang terhubung dengan petugas Siti Aminah", timeout=20_000
    )
    staff.get_by_label("Balasan untuk pemohon").fill("Selamat siang, saya Siti. Izin apa yang ingin diurus?")
    staff.get_by_role("button", name="Kirim").click()
    expect(staff.get_by_role("status")).to_have_text("Pesan dikirim.")
    reply = widget.locator(".pi-staff").filter(has_text="Izin apa yang ingin diurus?")
    expect(reply).to_be_visible(timeout=20_000)
    expect(reply).to_contain_text("Petugas Siti Aminah")

    # While staff talk, the assistant stays silent; staff see the applicant's message appear.
    count = widget.locator(".pi-message").count()
    widget.get_by_label("Ketik pertanyaan Anda").fill("izin apotek, berkasnya apa saja ya?")
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
    expect(staff.locator("#riwayat")).to_contain_text("izin apotek, berkasnya apa saja ya?", timeout=20_000)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=WAIT)
    assert widget.locator(".pi-message").count() == count + 1  # only the applicant's own bubble
    applicant.screenshot(path=str(ARTIFACTS / f"konsol-widget-{handoff.kind}.png"))
    staff.screenshot(path=str(ARTIFACTS / f"konsol-percakapan-{handoff.kind}.png"), full_page=True)

    # A forged form (wrong CSRF token) is refused.
    staff.evaluate("() => document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'palsu')")
    staff.get_by_label("Balasan untuk pemohon").fill("pesan palsu")
    staff.get_by_role("button", name="Kirim").click()
    expect(staff.get_by_role("alert")).to_contain_text("CSRF")
    staff.go_back()
    staff.reload()

    # Staff hand it back; the assistant answers the next question.
    staff.get_by_role("button", name="Kembalikan ke asisten").click()
    expect(staff.get_by_role("status")).to_have_text("Percakapan dikembalikan ke asisten.")
    expect(widget.locator(".pi-staff").filter(has_text="mengembalikan percakapan ke asisten")).to_be_visible(
        timeout=20_000
    )
    ask(widget, "syarat izin apotek apa saja?")
    expect(widget.locator(".pi-bot").last).to_contain_text("Persyaratan", timeout=WAIT)
    assert "pesan palsu" not in widget.inner_text()

    # Logout: back to the login page, and the console is closed again.
    staff.get_by_role("button", name="Keluar").click()
    expect(staff.get_by_text("Anda sudah keluar.")).to_be_visible()
    staff.goto(f"{base}/")
    expect(staff).to_have_url(re.compile(r"/konsol/masuk"))
    assert errors == []


def test_applicant_can_cancel_while_waiting(browser, handoff):
    applicant = browser.new_page()
    applicant.goto(f"{handoff.assistant.url}/webhooks/webchat/demo")
    widget = applicant.locator("#pandu-izin-widget")
    widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
    ask(widget, "bisa sambung ke admin?")
    expect(widget.locator(".pi-bot").filter(has_text='Ketik "batal"')).to_be_visible(timeout=WAIT)
    ask(widget, "batal, saya tanya bot saja")
    expect(widget.locator(".pi-bot").last).to_contain_text("Anda kembali bertanya ke asisten", timeout=WAIT)
    ask(widget, "berapa biaya izin apotek?")
    expect(widget.locator(".pi-bot").last).to_contain_text("Biaya", timeout=WAIT)
