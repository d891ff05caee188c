"""The widget's files: only the listed assets are served, with safe headers."""

from __future__ import annotations

import re

from bot.channels.webchat import ASSETS, STATIC_DIR, asset


def test_only_listed_assets_are_served():
    for name in ("../__init__.py", "channel.py", "demo.html", "", "static/widget.js", "WIDGET.JS"):
        assert asset(name) is None, name
    for name in ASSETS:
        body, headers = asset(name)
        assert body and headers["X-Content-Type-Options"] == "nosniff"


def test_demo_page_gets_a_strict_content_security_policy():
    _, headers = asset("demo")
    assert headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_widget_never_inserts_html_and_loads_nothing_external():
    script = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    # Text goes in with textContent/createTextNode; these sinks must not appear at all.
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    for name in ("widget.js", "widget.css", "demo.html", "demo.css"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!BOT)", text.replace("https://BOT", "")), name  # no CDN, no fonts
        assert "@import" not in text and "fonts.googleapis" not in text
