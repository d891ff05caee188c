"""End-to-end fixtures: the action server and the Rasa server on free ports on 127.0.0.1.

    def test_x(assistant):                      # REST + actions, knowledge base loaded
        replies = assistant.send("u1", "syarat sip bidan")

    @pytest.fixture(scope="session")
    def with_whatsapp(start_assistant):         # other channels: your own credentials file
        return start_assistant(credentials=path, env={"WHATSAPP_...": "..."})

Servers started with the same credentials and environment are shared by the whole session and
stopped at its end. Model: $PANDU_TEST_MODEL, else the newest models/*.tar.gz (`make train`; `make
test` trains before the e2e tests). Each assistant gets its own SQLite database under a temporary
directory, loaded from knowledge/ (the knowledge base and the conversation tracker store).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import httpx
import pytest

from bot.run import ROOT, Supervisor, action_server, isolated_settings, rasa_server

REST_PATH = "/webhooks/rest/webhook"


def find_model() -> Path:
    configured = os.environ.get("PANDU_TEST_MODEL")
    if configured:
        if not Path(configured).exists():
            pytest.fail(f"PANDU_TEST_MODEL={configured} does not exist")
        return Path(configured)
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail("no trained model: run `make train` first, or set PANDU_TEST_MODEL")
    return models[-1]


@dataclass
class Assistant:
    """A running assistant: its URLs, database, process ids and a small REST client."""

    url: str
    actions_url: str
    database_url: str
    supervisor: Supervisor
    log_dir: Path
    token: str = ""  # Rasa HTTP API token (?token=...)
    actions_secret: str = ""  # what Rasa sends the action server
    gateway_secret: str = ""  # what the Telegram gateway sends Rasa

    def post(self, body: Any = None, content: Optional[bytes] = None, timeout: float = 120) -> httpx.Response:
        if content is not None:
            return httpx.post(self.url + REST_PATH, content=content, timeout=timeout)
        return httpx.post(self.url + REST_PATH, json=body, timeout=timeout)

    def send(self, sender: str, text: str) -> list[dict]:
        """One user turn over REST; the bot's messages (fails the test on any non-200)."""
        response = self.post({"sender": sender, "message": text})
        assert response.status_code == 200, (response.status_code, response.text[:500])
        return response.json()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )


@pytest.fixture(scope="session")
def start_assistant(tmp_path_factory) -> Iterator[Callable[..., Assistant]]:
    """Start (or reuse) an assistant for a credentials file and extra environment."""
    started: dict[tuple, Assistant] = {}

    def start(credentials: Optional[Path] = None, env: Optional[dict[str, str]] = None) -> Assistant:
        credentials = Path(credentials or ROOT / "credentials.yml")
        env = dict(env or {})
        key = (str(credentials), tuple(sorted(env.items())))
        if key in started:
            return started[key]
        settings = isolated_settings(tmp_path_factory.mktemp("assistant"), find_model(), credentials, env)
        supervisor = Supervisor(settings, [action_server(settings), rasa_server(settings)])
        database_url = settings.env["DATABASE_URL"]
        assistant = Assistant(
            settings.rasa_url,
            settings.actions_url,
            database_url,
            supervisor,
            settings.log_dir,
            token=settings.rasa_token or "",
            actions_secret=settings.actions_secret,
            gateway_secret=settings.gateway_secret,
        )
        try:
            supervisor.start()
        except RuntimeError as exc:
            supervisor.stop()
            pytest.fail(f"assistant did not start: {exc}\n{assistant.logs()}")
        started[key] = assistant
        return assistant

    yield start
    for assistant in started.values():
        assistant.supervisor.stop()


@pytest.fixture(scope="session")
def assistant(start_assistant) -> Assistant:
    """The assistant with the project's credentials.yml (REST channel) and the action server."""
    return start_assistant()
