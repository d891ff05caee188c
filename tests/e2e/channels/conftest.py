"""Channel fixtures on top of tests/e2e/conftest.py (`assistant`, `start_assistant`).

`whatsapp_assistant` is the real assistant (action server + Rasa with the project's credentials.yml)
with the WhatsApp settings set and the Graph API pointed at a local fake.
"""

from __future__ import annotations

import pytest

from tests.e2e.channels.fakes import FakeGraph, ThreadedServer

WHATSAPP_ENV = {
    "WHATSAPP_VERIFY_TOKEN": "verify-me",
    "WHATSAPP_APP_SECRET": "test-app-secret",
    "WHATSAPP_ACCESS_TOKEN": "test-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": "1098765",
    "WHATSAPP_DEDUP_REDIS_URL": "",  # in-process de-duplication (Redis has its own unit test)
}


@pytest.fixture(scope="session")
def graph():
    with ThreadedServer(FakeGraph()) as server:
        yield server


@pytest.fixture(scope="session")
def whatsapp_assistant(start_assistant, graph):
    return start_assistant(env={**WHATSAPP_ENV, "GRAPH_API_URL": graph.api_url})
