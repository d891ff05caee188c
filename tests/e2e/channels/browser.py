"""Headless Chromium for widget tests: Debian's /usr/bin/chromium driven by Playwright.

Never `playwright install`: the system browser is used (installed by `make browser`).
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("PANDU_CHROMIUM", "/usr/bin/chromium")
# Playwright adds --headless itself (headless=True); the rest keep the browser quiet and offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def launch(playwright, user_data_dir: Path, **context_options):  # noqa: ANN001, ANN201
    """A fresh persistent context (its own --user-data-dir) in headless system Chromium."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: run `make browser` (installs Debian's chromium)")
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **context_options,
    )
