"""Regenerate the README screenshots of the staff console: the real assistant and console on free
ports, an applicant asking for a person on the widget demo page, a staff member taking and answering
it, in headless Chromium.

    PYTHONPATH=. .venv/bin/python -m tests.e2e.konsol.make_screenshots [MODEL]

Writes docs/img/konsol-antrean.png (the inbox), docs/img/konsol-percakapan.png (a conversation) and
docs/img/konsol-hp.png (the inbox on a phone-sized screen).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.run import ROOT, Supervisor, action_server, isolated_settings, newest_model, rasa_server
from tests.e2e.channels.browser import launch
from tests.konsol_support import BRIDGE_SECRET, add_staff, console

WAIT = 60_000


def ask(widget, text: str) -> None:  # noqa: ANN001
    count = widget.locator(".pi-message").count()
    widget.get_by_label("Ketik pertanyaan Anda").fill(text)
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
    expect(widget.locator(".pi-message").nth(count + 1)).to_be_visible(timeout=WAIT)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=WAIT)


def shoot(base: str, rasa_url: str, workdir: Path, images: Path) -> None:
    """The two applicants, the staff member and the three screenshots."""
    with sync_playwright() as playwright:
        context = launch(playwright, workdir / "profile", viewport={"width": 1200, "height": 800})
        staff = context.new_page()
        staff.goto(f"{base}/masuk")
        staff.get_by_label("Nama pengguna").fill("siti")
        staff.get_by_label("Kata sandi").fill("sandi-rahasia-1")
        staff.get_by_role("button", name="Masuk").click()
        for question in ("syarat izin apotek", "hubungi petugas"):
            applicant = context.new_page()
            applicant.goto(f"{rasa_url}/webhooks/webchat/demo")
            widget = applicant.locator("#pandu-izin-widget")
            launcher = widget.get_by_role("button", name="Buka obrolan Pandu Izin")
            expect(widget.locator(".pi-launcher")).to_be_attached()
            if launcher.is_visible():  # the second page finds the chat already open (same browser)
                launcher.click()
            widget.get_by_role("button", name="Mulai percakapan baru").click()  # another applicant
            ask(widget, question)
            if question != "hubungi petugas":
                ask(widget, "masih bingung, saya mau bicara dengan petugas saja")
        expect(staff.locator("#jumlah-menunggu")).to_have_text("2", timeout=20_000)
        staff.screenshot(path=str(images / "konsol-antrean.png"))
        phone = context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(f"{base}/")
        phone.screenshot(path=str(images / "konsol-hp.png"))
        phone.close()
        staff.get_by_role("link", name="Buka").first.click()
        staff.get_by_role("button", name="Saya ambil").click()
        staff.get_by_label("Balasan untuk pemohon").fill(
            "Selamat siang, saya Siti dari DPMPTSP. Untuk izin apotek, berkas apa yang masih membingungkan?"
        )
        staff.get_by_role("button", name="Kirim").click()
        expect(staff.get_by_role("status")).to_have_text("Pesan dikirim.")
        staff.screenshot(path=str(images / "konsol-percakapan.png"), full_page=True)
        context.close()


def main(argv: list[str]) -> int:
    model = Path(argv[0]) if argv else newest_model(ROOT / "models")
    if model is None:
        print("no model: run `make train` or pass a model file", file=sys.stderr)
        return 2
    images = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as workdir:
        env = {"PANDU_HANDOFF_SECRET": BRIDGE_SECRET, "PANDU_WILAYAH_DEFAULT": "balangan"}
        settings = isolated_settings(Path(workdir), model, env=env)
        database_url = settings.env["DATABASE_URL"]
        add_staff(database_url, "siti", "Siti Aminah", "admin")
        services = [action_server(settings), rasa_server(settings)]
        with Supervisor(settings, services), console(database_url, Path(workdir), settings.rasa_url) as base:
            shoot(base, settings.rasa_url, Path(workdir), images)
    for name in ("konsol-antrean.png", "konsol-percakapan.png", "konsol-hp.png"):
        print(f"saved {images / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
