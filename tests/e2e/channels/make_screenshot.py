"""Regenerate docs/img/webchat.png: the real assistant (action server + Rasa) on free ports, the demo
page in headless Chromium, a short conversation (and the first offered button pressed), a screenshot.

    PYTHONPATH=. .venv/bin/python -m tests.e2e.channels.make_screenshot [MODEL] [QUESTION ...]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.run import ROOT, Supervisor, isolated_settings, newest_model
from tests.e2e.channels.browser import launch

QUESTIONS = ["halo", "izin apotek"]


def main(argv: list[str]) -> int:
    model = Path(argv[0]) if argv else newest_model(ROOT / "models")
    if model is None:
        print("no model: run `make train` or pass a model file", file=sys.stderr)
        return 2
    questions = argv[1:] or QUESTIONS
    with tempfile.TemporaryDirectory() as workdir:
        settings = isolated_settings(Path(workdir), model)
        with Supervisor(settings), sync_playwright() as playwright:
            context = launch(playwright, Path(workdir) / "profile", viewport={"width": 1200, "height": 800})
            page = context.new_page()
            page.goto(f"{settings.rasa_url}/webhooks/webchat/demo")
            widget = page.locator("#pandu-izin-widget")
            widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
            for question in questions:
                count = widget.locator(".pi-message").count()
                widget.get_by_label("Ketik pertanyaan Anda").fill(question)
                widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
                expect(widget.locator(".pi-message").nth(count + 1)).to_be_visible(timeout=60_000)  # a reply
                expect(widget.locator(".pi-typing")).to_be_hidden(timeout=60_000)
            choice = widget.locator(".pi-choice:enabled").first
            if choice.count():  # show a button press too
                count = widget.locator(".pi-message").count()
                choice.click()
                expect(widget.locator(".pi-message").nth(count + 1)).to_be_visible(timeout=60_000)
                expect(widget.locator(".pi-typing")).to_be_hidden(timeout=60_000)
            target = ROOT / "docs" / "img" / "webchat.png"
            page.screenshot(path=str(target))
            context.close()
    print(f"saved {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
