"""The real entry point, as a user runs it: `python -m bot.run --no-prepare` in a subprocess with the
staff API token and the Telegram bot token set. Every configured service must answer (the Telegram
gateway against a fake Bot API on 127.0.0.1 relays a real answer of the Rasa server), every one gets
a status line, and SIGINT (Ctrl-C) stops all of them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bot.run import ROOT, free_port, isolated_settings
from bot.supervisor import port_is_free
from tests.e2e.channels.fakes import FakeTelegram, ThreadedServer
from tests.e2e.conftest import REST_PATH, find_model

pytestmark = pytest.mark.e2e

BOT_TOKEN = "424242:entry-point-test"
API_TOKEN = "entry-point-staff-token"
CHAT = 7070


class Output:
    """Collects a process's stdout lines in a thread (so the pipe never fills)."""

    def __init__(self, stream) -> None:  # noqa: ANN001
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:  # noqa: ANN001
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, process: subprocess.Popen, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if process.poll() is not None:
                pytest.fail(f"bot.run exited with {process.returncode} before {needle!r}:\n{self.text}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {needle!r} after {timeout:.0f} s:\n{self.text}")
            time.sleep(0.2)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


@pytest.fixture(scope="module")
def telegram():
    with ThreadedServer(FakeTelegram(BOT_TOKEN)) as server:
        yield server


def test_make_run_starts_every_configured_service_and_ctrl_c_stops_them(tmp_path, telegram):
    # A prepared database and model, as `make run` leaves them (--no-prepare skips kb load + training).
    settings = isolated_settings(tmp_path / "run", find_model())
    models = tmp_path / "models"
    models.mkdir()
    (models / settings.model.name).symlink_to(settings.model)
    rasa_port, actions_port, api_port, konsol_port = free_port(), free_port(), free_port(), free_port()
    env = {
        **os.environ,
        **settings.env,
        "PYTHONPATH": str(ROOT),
        "PANDU_MODELS_DIR": str(models),
        "PANDU_RASA_PORT": str(rasa_port),
        "PANDU_ACTIONS_PORT": str(actions_port),
        "PANDU_API_PORT": str(api_port),
        "PANDU_KONSOL_PORT": str(konsol_port),
        "PANDU_API_TOKEN": API_TOKEN,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": telegram.base_url,
        "PANDU_RASA_PROCESSES": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.run", "--no-prepare"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Output(process.stdout)
    try:
        output.wait_for("[pandu] ready:", process, timeout=300)
        status = [line for line in output.lines if "[pandu] status:" in line]
        names = ["action server", "rasa server", "staff api", "telegram gateway"]
        names += ["staff console", "follow-up worker"]
        assert [next((n for n in names if f"status: {n}" in line), line) for line in status] == names, status
        assert all(" up " in line for line in status), status
        pids = [int(m) for m in re.findall(r"status: .*? up .*?pid (\d+)", "\n".join(status))]
        assert len(pids) == len(names)

        # Each service answers.
        # The action server refuses a stranger (no shared secret); the Rasa server below reaches it.
        assert httpx.get(f"http://127.0.0.1:{actions_port}/health", timeout=10).status_code == 401
        replies = httpx.post(
            f"http://127.0.0.1:{rasa_port}{REST_PATH}",
            json={"sender": "entry-1", "message": "syarat sip bidan apa aja?"},
            timeout=120,
        ).json()
        assert "Surat Izin Praktik Bidan" in " ".join(r.get("text", "") for r in replies)
        health = httpx.get(f"http://127.0.0.1:{api_port}/api/v1/health", timeout=10)
        assert health.status_code == 200
        refused = httpx.get(f"http://127.0.0.1:{api_port}/api/v1/pengaduan", timeout=10)
        assert refused.status_code == 401  # the real staff API, with its token check
        listed = httpx.get(
            f"http://127.0.0.1:{api_port}/api/v1/pengaduan",
            headers={"Authorization": f"Bearer {API_TOKEN}"},
            timeout=10,
        )
        assert listed.status_code == 200
        console = httpx.get(f"http://127.0.0.1:{konsol_port}/konsol/", timeout=10, follow_redirects=False)
        assert console.status_code in (200, 302, 303)  # the staff console's sign-in, or its redirect to it
        telegram.push_message(CHAT, "berapa biaya sip bidan?")
        deadline = time.monotonic() + 120
        while not [p for m, p in telegram.calls if m == "sendMessage" and p.get("chat_id") == CHAT]:
            assert time.monotonic() < deadline, f"no Telegram answer:\n{output.text}"
            time.sleep(0.2)
        sent = [p["text"] for m, p in telegram.calls if m == "sendMessage" and p.get("chat_id") == CHAT]
        assert "Bidan" in " ".join(sent)  # the gateway relayed the real assistant's answer

        # Ctrl-C stops everything.
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:  # a failed check: stop it the way a user would, so no service is left
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    time.sleep(0.5)
    assert [pid for pid in pids if alive(pid)] == []
    assert "stopping (Ctrl-C)" in output.text
    for port in (rasa_port, actions_port, api_port, konsol_port):
        assert port_is_free("127.0.0.1", port)
