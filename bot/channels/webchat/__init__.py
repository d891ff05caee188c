"""The website chat widget: static files served by the Rasa server itself.

The Rasa input channel in `channel.py` (credentials.yml: `bot.channels.webchat.channel.WebchatInput`)
serves them under /webhooks/webchat/: widget.js, widget.css and a demo office page at /demo. The
widget talks to Rasa's REST channel; see docs/channels.md for the snippet and CORS.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
URL_PREFIX = "/webhooks/webchat"

# Public name -> (file, content type). Nothing outside this table is ever served.
ASSETS: dict[str, tuple[str, str]] = {
    "widget.js": ("widget.js", "application/javascript; charset=utf-8"),
    "widget.css": ("widget.css", "text/css; charset=utf-8"),
    "demo": ("demo.html", "text/html; charset=utf-8"),
    "demo.css": ("demo.css", "text/css; charset=utf-8"),
}

# The demo page loads only its own files and talks only to its own origin (Rasa).
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def asset(name: str) -> tuple[bytes, dict[str, str]] | None:
    """The bytes and response headers of a public asset, or None for anything else."""
    entry = ASSETS.get(name)
    if entry is None:
        return None
    filename, content_type = entry
    headers = {
        "Content-Type": content_type,
        "Cache-Control": "no-cache",  # revalidate: offices get a fixed widget at once after an update
        "X-Content-Type-Options": "nosniff",
    }
    if name == "demo":
        headers["Content-Security-Policy"] = DEMO_CSP
    return (STATIC_DIR / filename).read_bytes(), headers
