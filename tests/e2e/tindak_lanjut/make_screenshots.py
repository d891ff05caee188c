"""Regenerate the follow-through screenshots from the sample month (tools/contoh_laporan.py): the
staff console on a free port with that data, in headless Chromium.

    PYTHONPATH=. .venv/bin/python -m tests.e2e.tindak_lanjut.make_screenshots

Writes docs/img/laporan.png (the monthly report in the console), docs/img/tak-terjawab.png (the
unanswered questions) and docs/img/pengaduan-tenggat.png (complaints, late ones first). The widget's
notification (docs/img/widget-kabar.png) is the e2e test's own screenshot
(tests/e2e/tindak_lanjut/test_widget_kabar_survei.py writes tests/e2e/artifacts/widget-kabar.png).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.laporan.data import bulan_dari_teks
from bot.run import ROOT
from tests.e2e.channels.browser import launch
from tests.konsol_support import add_staff, console
from tools.contoh_laporan import isi


def main() -> None:
    images = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'contoh.db'}"
        isi(url, bulan_dari_teks("2026-11"))
        add_staff(url, "siti", "Siti Aminah", "admin")
        with console(url, Path(workdir), "http://127.0.0.1:9") as base, sync_playwright() as playwright:
            context = launch(playwright, Path(workdir) / "profile", viewport={"width": 1200, "height": 1500})
            page = context.new_page()
            page.goto(f"{base}/masuk")
            page.get_by_label("Nama pengguna").fill("siti")
            page.get_by_label("Kata sandi").fill("sandi-rahasia-1")
            page.get_by_role("button", name="Masuk").click()
            page.goto(f"{base}/laporan?bulan=2026-11")
            expect(page.locator("#tabel-kanal")).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(images / "laporan.png"))
            page.set_viewport_size({"width": 1200, "height": 800})
            page.goto(f"{base}/tak-terjawab?hari=semua")
            page.screenshot(path=str(images / "tak-terjawab.png"))
            page.goto(f"{base}/pengaduan")
            page.screenshot(path=str(images / "pengaduan-tenggat.png"))
            context.close()
    for name in ("laporan.png", "tak-terjawab.png", "pengaduan-tenggat.png"):
        print(images / name)


if __name__ == "__main__":
    main()
