"""The website widget in real headless Chromium, against a local fake Rasa REST server."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from playwright.sync_api import expect, sync_playwright

from tests.e2e.channels.browser import ARTIFACTS, launch
from tests.e2e.channels.fakes import FakeRasa, LocalServer, ThreadedServer

pytestmark = pytest.mark.e2e

OKI_PAYLOAD = '/inform{"wilayah":"kabupaten-ogan-komering-ilir"}'
XSS = '<img src=x onerror="window.__xss=1">'


def office_assistant(sender: str, message: str) -> list[dict]:
    if message == "syarat izin apotek":
        return [
            {
                "text": "Persyaratan Izin Apotek:\n- KTP pemohon\n- STRA apoteker\n- Denah bangunan\n"
                "\nAlurnya:\n1. Daftar di OSS\n2. Unggah dokumen\n3. Verifikasi oleh DPMPTSP"
            },
            {
                "text": "Di kabupaten mana Anda mengurus izin?",
                "buttons": [
                    {"title": "Kab. Ogan Komering Ilir", "payload": OKI_PAYLOAD},
                    {"title": "Kab. Purwakarta", "payload": '/inform{"wilayah":"kabupaten-purwakarta"}'},
                ],
            },
        ]
    if message == OKI_PAYLOAD:
        return [{"text": "Di Kab. Ogan Komering Ilir izin apotek selesai dalam 5 hari kerja, tanpa biaya."}]
    if message == "tes keamanan":
        return [
            {"text": f"Balasan {XSS} selesai", "buttons": [{"title": f"Tombol {XSS}", "payload": "/aman"}]}
        ]
    return [{"text": f"Anda bertanya: {message}"}]


@pytest.fixture
def rasa():
    with ThreadedServer(FakeRasa(office_assistant, serve_webchat=True)) as server:
        yield server


@pytest.fixture
def browser(tmp_path):
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", viewport={"width": 1200, "height": 800})
        yield context
        context.close()


def open_chat(page, rasa):  # noqa: ANN001
    page.goto(f"{rasa.url}/webhooks/webchat/demo")
    widget = page.locator("#pandu-izin-widget")
    widget.locator(".pi-launcher").click()
    expect(widget.locator(".pi-panel")).to_be_visible()
    return widget


def ask(widget, text: str) -> None:  # noqa: ANN001
    widget.get_by_label("Ketik pertanyaan Anda").fill(text)
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")


def bubbles(widget) -> list[str]:  # noqa: ANN001
    return [t.strip() for t in widget.locator(".pi-message").all_text_contents()]


def test_ask_see_answer_press_button_and_keep_history_across_reload(browser, rasa):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    widget = open_chat(page, rasa)
    expect(widget.locator(".pi-bot").first).to_contain_text("Halo! Saya Pandu Izin")

    rasa.delay_s = 0.8  # long enough to see the typing indicator
    ask(widget, "syarat izin apotek")
    expect(widget.locator(".pi-typing")).to_be_visible()
    expect(widget.locator(".pi-user")).to_have_text("Anda: syarat izin apotek")
    expect(widget.get_by_role("button", name="Kab. Ogan Komering Ilir")).to_be_visible()
    expect(widget.locator(".pi-typing")).to_be_hidden()
    rasa.delay_s = 0

    # Line breaks and lists are rendered as lists.
    answer = widget.locator(".pi-bot").nth(1)
    assert answer.locator("ul li").all_inner_texts() == ["KTP pemohon", "STRA apoteker", "Denah bangunan"]
    assert answer.locator("ol li").all_inner_texts() == [
        "Daftar di OSS",
        "Unggah dokumen",
        "Verifikasi oleh DPMPTSP",
    ]

    widget.get_by_role("button", name="Kab. Ogan Komering Ilir").click()
    expect(widget.locator(".pi-bot").last).to_contain_text("selesai dalam 5 hari kerja")
    expect(widget.get_by_role("button", name="Kab. Purwakarta")).to_be_disabled()  # a choice is made once

    sender = rasa.received[0]["sender"]
    assert re.fullmatch(r"web-[0-9a-f]{32}", sender)  # 128 random bits
    assert {h["path"] for h in rasa.headers} == {"/webhooks/webchat/webhook"}
    assert [(r["sender"], r["message"], r["metadata"]) for r in rasa.received] == [
        (sender, "syarat izin apotek", {"channel": "webchat"}),
        (sender, OKI_PAYLOAD, {"channel": "webchat"}),
    ]
    before = bubbles(widget)
    assert before[-2:] == [
        "Anda: Kab. Ogan Komering Ilir",
        "Pandu Izin: Di Kab. Ogan Komering Ilir izin apotek selesai dalam 5 hari kerja, tanpa biaya.",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-fake.png"))

    page.reload()
    widget = page.locator("#pandu-izin-widget")
    expect(widget.locator(".pi-panel")).to_be_visible()  # it was open: it stays open
    expect(widget.locator(".pi-message")).to_have_count(len(before))
    assert bubbles(widget) == before
    ask(widget, "terima kasih")
    expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: terima kasih")
    assert rasa.received[-1]["sender"] == sender  # the same conversation after the reload
    assert errors == []


def test_markup_in_replies_and_buttons_is_shown_as_text(browser, rasa):
    page = browser.new_page()
    widget = open_chat(page, rasa)
    ask(widget, "tes keamanan")
    expect(widget.locator(".pi-bot").last).to_contain_text(f"Balasan {XSS} selesai")
    expect(widget.get_by_role("button", name=f"Tombol {XSS}")).to_be_visible()
    assert widget.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None
    # The same after a reload, when the history is rendered from storage.
    page.reload()
    expect(page.locator("#pandu-izin-widget .pi-bot").last).to_contain_text(f"Balasan {XSS} selesai")
    assert page.locator("#pandu-izin-widget img").count() == 0
    assert page.evaluate("window.__xss") is None
    stored = page.evaluate("Object.keys(localStorage).map(k => localStorage.getItem(k)).join(' ')")
    assert XSS.replace('"', '\\"') in stored  # kept as data, never parsed


def test_assistant_down_shows_an_apology(browser, rasa):
    page = browser.new_page()
    widget = open_chat(page, rasa)
    rasa.status = 500
    ask(widget, "halo")
    expect(widget.locator(".pi-bot").last).to_contain_text("sedang tidak dapat dihubungi")
    rasa.status = 200
    ask(widget, "halo lagi")  # and it recovers
    expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: halo lagi")


def test_keyboard_only_use_and_labels(browser, rasa):
    page = browser.new_page()
    page.goto(f"{rasa.url}/webhooks/webchat/demo")
    widget = page.locator("#pandu-izin-widget")
    launcher = widget.get_by_role("button", name="Buka obrolan Pandu Izin")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(widget.get_by_role("dialog", name="Obrolan Pandu Izin")).to_be_visible()
    expect(widget.get_by_label("Ketik pertanyaan Anda")).to_be_focused()
    page.keyboard.type("izin toko obat")
    page.keyboard.press("Enter")
    expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: izin toko obat")
    expect(widget.get_by_role("log")).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Escape")
    expect(widget.locator(".pi-panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_restart_starts_a_new_conversation(browser, rasa):
    page = browser.new_page()
    widget = open_chat(page, rasa)
    ask(widget, "pertama")
    expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: pertama")
    widget.get_by_role("button", name="Mulai percakapan baru").click()
    expect(widget.locator(".pi-message")).to_have_count(1)  # only the greeting
    ask(widget, "kedua")
    expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: kedua")
    first, second = (r["sender"] for r in rasa.received)
    assert first != second and re.fullmatch(r"web-[0-9a-f]{32}", second)  # a new random id
    page.reload()
    expect(page.locator("#pandu-izin-widget .pi-message")).to_have_count(3)


def test_an_overlong_message_is_not_sent_and_the_widget_says_why(browser, rasa):
    page = browser.new_page()
    widget = open_chat(page, rasa)
    ask(widget, "syarat izin " * 200)  # 2,400 characters
    note = widget.locator(".pi-length-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("terlalu panjang (2.400 karakter; paling banyak 1.500)")
    assert rasa.received == []
    widget.get_by_label("Ketik pertanyaan Anda").fill("syarat izin apotek")
    expect(note).to_be_hidden()
    widget.get_by_label("Ketik pertanyaan Anda").press("Enter")
    expect(widget.locator(".pi-bot", has_text="Persyaratan Izin Apotek")).to_be_visible()
    assert [r["message"] for r in rasa.received] == ["syarat izin apotek"]


def test_fits_a_phone_screen(tmp_path, rasa):
    with sync_playwright() as playwright:
        context = launch(
            playwright,
            tmp_path / "phone",
            viewport={"width": 375, "height": 667},
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        widget = open_chat(page, rasa)
        box = widget.locator(".pi-panel").bounding_box()
        assert box["width"] == 375 and box["height"] == 667
        ask(widget, "halo")
        expect(widget.locator(".pi-bot").last).to_have_text("Pandu Izin: Anda bertanya: halo")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375  # nothing sticks out sideways
        context.close()


def test_widget_attributes_and_served_headers(browser, rasa):
    page = browser.new_page()
    response = page.goto(f"{rasa.url}/webhooks/webchat/demo")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # The demo page itself embeds the widget with exactly one script tag.
    assert page.locator("script[src='widget.js']").count() == 1
    style = page.evaluate(
        "getComputedStyle(document.querySelector('#pandu-izin-widget').shadowRoot"
        ".querySelector('.pi-launcher')).backgroundColor"
    )
    assert style == "rgb(11, 83, 148)"  # data-color-primary="#0b5394"
    assert page.request.get(f"{rasa.url}/webhooks/webchat/nope").status == 404


def test_happy_path_against_the_real_assistant(browser, assistant):
    """The demo page served by the Rasa server itself, talking to the real assistant."""
    page = browser.new_page()
    page.goto(f"{assistant.url}/webhooks/webchat/demo")
    widget = page.locator("#pandu-izin-widget")
    widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
    ask(widget, "izin apotek")
    expect(widget.locator(".pi-bot").nth(1)).to_be_visible(timeout=60_000)  # after the local greeting
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=60_000)
    answers = widget.locator(".pi-bot").all_text_contents()[1:]
    assert answers and all(a.startswith("Pandu Izin: ") for a in answers)
    assert "apotek" in " ".join(answers).lower()
    assert not any("tidak dapat dihubungi" in a for a in answers)
    # The assistant offers choices (the service's details, or which service was meant): take the first.
    choice = widget.locator(".pi-choice:enabled").first
    expect(choice).to_be_visible()
    title = choice.text_content()
    count = widget.locator(".pi-message").count()
    choice.click()
    expect(widget.locator(".pi-user").last).to_have_text(f"Anda: {title}")
    expect(widget.locator(".pi-message").nth(count + 1)).to_be_visible(timeout=60_000)
    expect(widget.locator(".pi-typing")).to_be_hidden(timeout=60_000)
    reply = widget.locator(".pi-bot").last.text_content()
    assert len(reply) > len("Pandu Izin: ") and "tidak dapat dihubungi" not in reply
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-real.png"))


def test_an_origin_not_in_cors_cannot_talk_to_the_assistant(browser, assistant):
    """Rasa runs with --cors limited to configured origins: a page elsewhere gets no answers."""
    html = (
        f'<!doctype html><html lang="id"><body><h1>Situs lain</h1><script src="{assistant.url}'
        f'/webhooks/webchat/widget.js" data-bot-url="{assistant.url}"></script></body></html>'
    )
    other_site = LocalServer()  # another port is another origin, and not a configured one

    async def office_page(request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    other_site.app.router.add_get("/", office_page)
    with ThreadedServer(other_site) as office:
        page = browser.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"{office.url}/")
        widget = page.locator("#pandu-izin-widget")
        widget.get_by_role("button", name="Buka obrolan Pandu Izin").click()
        ask(widget, "halo")
        expect(widget.locator(".pi-bot").last).to_contain_text("sedang tidak dapat dihubungi", timeout=30_000)
        assert any("blocked by CORS policy" in line for line in console), console  # and for that reason
