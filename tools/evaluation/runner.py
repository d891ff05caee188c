"""Running conversations against an assistant and scoring every turn.

Over REST (`RestAssistant`): each conversation gets a fresh sender id on `/webhooks/rest/webhook`;
after every turn the tracker (`/conversations/<id>/tracker`) tells which intent and entities the
NLU produced. In process (`InProcessNLU`): the NLU part of a trained model, for intent and linking
only (no actions, no replies).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from tools.evaluation.facts import KnowledgeFacts, MissingFact, answer_checks
from tools.evaluation.model import Conversation, Turn
from tools.evaluation.text import fold

REQUEST_TIMEOUT = 60.0


@dataclass
class TurnResult:
    conversation: str
    text: str
    kind: str
    style: str
    intent_expected: Optional[str]
    intent_predicted: Optional[str]
    intent_ok: Optional[bool]
    link_ok: Optional[bool]
    link_detail: str
    answer_ok: Optional[bool]
    answer_failures: list[str] = field(default_factory=list)
    reply: str = ""
    skipped: str = ""  # why the answer was not scored (missing sample data)
    source: str = ""  # the conversation's template id(s), "a+b" for a follow-up
    # (intent, confidence) from DIET, best first, without nlu_fallback: for the threshold sweep.
    ranking: list[tuple[str, float]] = field(default_factory=list)


class RestAssistant:
    """A running Rasa server: REST channel for the conversation, HTTP API for the NLU result."""

    def __init__(self, base_url: str, token: Optional[str] = None):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def _request(self, path: str, body: Optional[dict] = None) -> Any:
        url = f"{self.base_url}{path}"
        if self.token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8") or "null")

    def send(self, sender: str, text: str) -> list[dict]:
        return self._request("/webhooks/rest/webhook", {"sender": sender, "message": text}) or []

    def last_parse(self, sender: str) -> dict:
        tracker = self._request(f"/conversations/{sender}/tracker")
        return tracker.get("latest_message") or {}


class InProcessNLU:
    """The NLU part of a trained model, loaded in this process (fast tuning loop, no actions)."""

    def __init__(self, model_path: Path):
        import asyncio
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # no debug line per parsed message
        logging.getLogger("rasa").setLevel(logging.WARNING)

        self._loop = asyncio.new_event_loop()
        self._agent = Agent.load(str(model_path))

    def parse(self, text: str) -> dict:
        return self._loop.run_until_complete(self._agent.parse_message(text))


def _entities(parse: dict, name: str) -> list[str]:
    return [e.get("value") for e in parse.get("entities") or [] if e.get("entity") == name]


def check_link(turn: Turn, parse: dict) -> tuple[Optional[bool], str]:
    """The standard(s) and region the linker found in this message against the expectation: one
    id (and no candidates), the ambiguous candidates (a superset), or nothing."""
    if turn.layanan is None and turn.wilayah is None:
        return None, ""
    layanan, kandidat = _entities(parse, "layanan"), _entities(parse, "layanan_kandidat")
    ok = True
    if turn.layanan == "none":
        ok = not layanan and not kandidat
    elif isinstance(turn.layanan, str):
        ok = layanan == [turn.layanan] and not kandidat
    elif isinstance(turn.layanan, list):
        ok = not layanan and set(turn.layanan) <= set(kandidat)
    if turn.wilayah is not None:
        ok = ok and turn.wilayah in _entities(parse, "wilayah")
    detail = f"layanan={layanan} kandidat={kandidat} wilayah={_entities(parse, 'wilayah')}"
    return ok, detail


def run_conversations(
    conversations: list[Conversation],
    facts: KnowledgeFacts,
    assistant: Optional[RestAssistant] = None,
    nlu: Optional[InProcessNLU] = None,
    progress: Optional[Any] = None,
) -> list[TurnResult]:
    """Run every conversation (REST when `assistant`, else NLU only) and score every turn."""
    results: list[TurnResult] = []
    for number, conversation in enumerate(conversations):
        if progress is not None and number and number % 100 == 0:
            progress(f"{number}/{len(conversations)} conversations")
        sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"
        current: Optional[str] = None
        for turn in conversation.turns:
            reply_text, buttons = "", []
            if assistant is not None:
                replies = assistant.send(sender, turn.text)
                button_list = [b for r in replies for b in r.get("buttons") or []]
                buttons = [str(b.get("payload", "")) for b in button_list]
                # Button titles are part of what the user reads (lists of services, choices).
                reply_text = "\n".join(
                    [r.get("text") or "" for r in replies] + [str(b.get("title", "")) for b in button_list]
                )
                parse = assistant.last_parse(sender)
            else:
                assert nlu is not None
                parse = nlu.parse(turn.text)
            predicted = (parse.get("intent") or {}).get("name")
            intent_ok = None if turn.intent is None else predicted == turn.intent
            link_ok, link_detail = check_link(turn, parse)
            skipped = ""
            try:
                checks, current, pilihan = answer_checks(turn, facts, current)
            except MissingFact as missing:
                checks, pilihan, skipped = [], [], str(missing)
            answer_ok: Optional[bool] = None
            failures: list[str] = []
            if assistant is not None and (checks or pilihan):
                folded = fold(reply_text)
                failures = [name for name, ok in checks if not ok(folded)]
                missing_buttons = [sid for sid in pilihan if not any(sid in payload for payload in buttons)]
                failures += [f"button for {sid}" for sid in missing_buttons]
                answer_ok = not failures
            ranking = [
                (str(r.get("name")), float(r.get("confidence") or 0.0))
                for r in parse.get("intent_ranking") or []
                if r.get("name") != "nlu_fallback"
            ]
            results.append(
                TurnResult(
                    conversation.id,
                    turn.text,
                    turn.kind,
                    turn.style,
                    turn.intent,
                    predicted,
                    intent_ok,
                    link_ok,
                    link_detail,
                    answer_ok,
                    failures,
                    reply_text,
                    skipped,
                    conversation.source,
                    ranking,
                )
            )
    return results
