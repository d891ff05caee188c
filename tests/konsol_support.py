"""Helpers of the staff console tests: the real console server on a free port, a logged-in staff
client that sends the CSRF token like the browser does, and a fake of the Rasa staff bridge."""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import httpx
from aiohttp import web

from bot.run import ROOT, Service, Settings, Supervisor, free_port
from tests.e2e.channels.fakes import LocalServer

BRIDGE_SECRET = "rahasia-jembatan-uji"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_staff(
    database_url: str, username: str, nama: str, peran: str = "cs", sandi: str = "sandi-rahasia-1"
) -> None:
    """`python -m bot staf tambah` as an admin would run it (password on standard input)."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "staf", "tambah", username, "--nama", nama, "--peran", peran]
        + ["--sandi-stdin"],
        input=sandi + "\n", text=True, capture_output=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@contextmanager
def console(
    database_url: str, workdir: Path, rasa_url: str, env: Optional[dict[str, str]] = None
) -> Iterator[str]:
    """`python -m bot konsol serve` on a free port; yields its base URL (…/konsol)."""
    port = free_port()
    settings = Settings(log_dir=workdir / "logs", ready_timeout=60)
    service = Service(
        name="staff console",
        command=[sys.executable, "-m", "bot", "konsol", "serve", "--port", str(port), "--rasa-url", rasa_url],
        ready_url=f"http://127.0.0.1:{port}/konsol/sehat",
        env={
            "DATABASE_URL": database_url,
            "PANDU_DATA_DIR": str(workdir),
            "PANDU_HANDOFF_SECRET": BRIDGE_SECRET,
            "PANDU_KONSOL_SECRET": "kunci-sesi-uji",
            "SQLALCHEMY_WARN_20": "0",
            **(env or {}),
        },
    )
    with Supervisor(settings, [service]):
        yield f"http://127.0.0.1:{port}/konsol"


def console_log(workdir: Path) -> str:
    return (workdir / "logs" / "staff_console.log").read_text(errors="replace")


class Staff:
    """A browser-like client: cookies, and the CSRF token of the last page it read."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(follow_redirects=False, timeout=30)
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.get(self.base + path, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(
        self, path: str, data: Optional[dict[str, str]] = None, csrf: Optional[str] = None
    ) -> httpx.Response:
        form = {"csrf": self.csrf if csrf is None else csrf, **(data or {})}
        return self.http.post(self.base + path, data=form)

    def login(self, username: str, sandi: str = "sandi-rahasia-1") -> httpx.Response:
        self.get("/masuk")
        return self.post("/masuk", {"username": username, "sandi": sandi})

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.text

    def close(self) -> None:
        self.http.close()


class FakeBridge(LocalServer):
    """POST /webhooks/petugas/peristiwa of the Rasa server, recorded; `status` fakes failures."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.app.router.add_post("/webhooks/petugas/peristiwa", self._event)

    async def _event(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {BRIDGE_SECRET}":
            return web.json_response({"error": "tidak berwenang"}, status=401)
        if self.status != 200:
            return web.json_response({"error": "asisten mati"}, status=self.status)
        self.received.append(await request.json())
        return web.json_response({"ok": True})
