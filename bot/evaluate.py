"""`make eval`: accuracy of the assistant on the held-out conversations in tests/eval/.

    python -m bot.evaluate                      train (if needed) and run ours + Rasa's default pipeline
    python -m bot.evaluate --url http://127.0.0.1:5005     a running assistant (ours only)
    python -m bot.evaluate --nlu-only --model M            in-process NLU only (intent, linking)

Each conversation runs over the REST channel (`/webhooks/rest/webhook`) with a fresh sender id;
after every turn the tracker (`/conversations/<id>/tracker`) tells which intent and entities the
NLU produced. Three numbers, over the turns that state an expectation:

- intent accuracy: the predicted intent is the expected one;
- standard-linking accuracy: the linker's `layanan` / `layanan_kandidat` (and `wilayah` where
  given) are exactly what the turn expects (one id, the ambiguous candidates, or nothing);
- answer accuracy: the reply contains the expected facts, read from the knowledge base (never
  written in the evaluation file): the first and last items of the component (or its text), the
  duration in days, the complaint channels, the office contacts, the honest "not listed" line for
  an empty component, the buttons of a disambiguation, and the citation (standard name).

The same conversations are then run against Rasa's default pipeline (tests/eval/config_default.yml,
same domain and data) and both are printed side by side. The format of the evaluation file is
described at its top.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = ROOT / "tests" / "eval" / "conversations.yml"
DEFAULT_CONFIG = ROOT / "tests" / "eval" / "config_default.yml"

# Intent → the component its answer must show.
INTENT_KOMPONEN = {
    "ask_persyaratan": "persyaratan",
    "ask_prosedur": "prosedur",
    "ask_jangka_waktu": "jangka_waktu",
    "ask_biaya": "biaya",
    "ask_produk": "produk",
    "ask_pengaduan": "pengaduan",
    "ask_dasar_hukum": "dasar_hukum",
}
NOT_LISTED_MARK = "tidak tercantum"
SNIPPET_CHARS = 40
REQUEST_TIMEOUT = 60.0


def log(message: str) -> None:
    print(f"[eval] {message}", file=sys.stderr, flush=True)


# --- the evaluation file ---------------------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    text: str
    intent: Optional[str]
    layanan: Any  # str id | "none" | list of ids | None (not checked)
    wilayah: Optional[str]
    answer: dict[str, Any]


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


def load_conversations(path: Path = CONVERSATIONS) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    conversations = []
    for raw in data.get("conversations", []):
        turns = tuple(
            Turn(
                text=str(t["text"]),
                intent=t.get("intent"),
                layanan=t.get("layanan"),
                wilayah=t.get("wilayah"),
                answer=dict(t.get("answer") or {}),
            )
            for t in raw["turns"]
        )
        conversations.append(Conversation(str(raw["id"]), turns))
    return conversations


# --- expected facts, read from the knowledge base ------------------------------------------------
def fold(text: str) -> str:
    """Lowercase, whitespace collapsed: replies and facts are compared in this form."""
    return " ".join(str(text).lower().split())


def _item_text(item: Any) -> str:
    return str(item.get("teks", "")) if isinstance(item, dict) else str(item)


def _snippet(text: str) -> str:
    return fold(text)[:SNIPPET_CHARS].strip()


class KnowledgeFacts:
    """Reads standards and regions once; builds the checks a reply must pass."""

    def __init__(self, session_factory: Callable[[], Any]):
        self._session_factory = session_factory
        self._standards: dict[str, Any] = {}
        self._regions: dict[str, Any] = {}

    def standard(self, standard_id: str) -> Any:
        if standard_id not in self._standards:
            from bot.knowledge.repository import get_standard

            with self._session_factory() as session:
                self._standards[standard_id] = get_standard(session, standard_id)
        found = self._standards[standard_id]
        if found is None:
            raise KeyError(f"tests/eval: standard {standard_id!r} is not in the knowledge base")
        return found

    def region(self, slug: str) -> Any:
        if slug not in self._regions:
            from bot.knowledge.repository import get_region

            with self._session_factory() as session:
                self._regions[slug] = get_region(session, slug)
        found = self._regions[slug]
        if found is None:
            raise KeyError(f"tests/eval: region {slug!r} is not in the knowledge base")
        return found

    def contacts(self, slug: str) -> list[str]:
        region = self.region(slug)
        return [fold(v) for v in (*region.telepon, *region.whatsapp, *region.email) if v.strip()]

    def component_checks(self, standard_id: str, key: str) -> list[tuple[str, Callable[[str], bool]]]:
        """(description, predicate over the folded reply) for one component of one standard."""
        standard = self.standard(standard_id)
        component = standard.komponen[key]
        checks: list[tuple[str, Callable[[str], bool]]] = [_contains_check("citation", standard.nama)]
        if component.is_empty:
            checks.append(_contains_check("honest 'not listed'", NOT_LISTED_MARK))
            contacts = self.contacts(standard.wilayah)
            if contacts:
                checks.append(_any_check("office contact", contacts))
            return checks
        if key == "jangka_waktu" and component.extra.get("hari_kerja_maks") is not None:
            checks.append(_days_check(component.extra["hari_kerja_maks"]))
        elif key == "pengaduan" and any(component.extra.get("kanal", {}).values()):
            channels = [fold(v) for values in component.extra["kanal"].values() for v in values if v.strip()]
            checks.append(_any_check("complaint channel", channels))
        items = [i for i in component.butir if _item_text(i).strip()]
        if items:
            checks.append(_contains_check("first item", _snippet(_item_text(items[0]))))
            if len(items) > 1:
                checks.append(_contains_check("last item", _snippet(_item_text(items[-1]))))
        elif component.teks.strip():
            checks.append(_contains_check("text", _snippet(component.teks)))
        return checks

    def overview_checks(self, standard_id: str) -> list[tuple[str, Callable[[str], bool]]]:
        standard = self.standard(standard_id)
        checks = [_contains_check("name", standard.nama)]
        duration = standard.komponen["jangka_waktu"]
        if duration.extra.get("hari_kerja_maks") is not None:
            checks.append(_days_check(duration.extra["hari_kerja_maks"]))
        return checks


def _days_check(days: int) -> tuple[str, Callable[[str], bool]]:
    pattern = re.compile(rf"\b{int(days)}\b")
    return (f"duration {days}", lambda reply: pattern.search(reply) is not None)


def _contains_check(name: str, expected: str) -> tuple[str, Callable[[str], bool]]:
    folded = fold(expected)
    return (f"{name}: {folded[:50]!r}", lambda reply: folded in reply)


def _any_check(name: str, options: list[str]) -> tuple[str, Callable[[str], bool]]:
    return (f"{name} (one of {len(options)})", lambda reply: any(o in reply for o in options))


# --- talking to an assistant ---------------------------------------------------------------------
@dataclass
class TurnResult:
    conversation: str
    text: str
    intent_expected: Optional[str]
    intent_predicted: Optional[str]
    intent_ok: Optional[bool]
    link_ok: Optional[bool]
    link_detail: str
    answer_ok: Optional[bool]
    answer_failures: list[str] = field(default_factory=list)
    reply: str = ""
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

    def parse(self, text: str) -> dict:
        return self._request("/model/parse", {"text": text})


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


def answer_checks(
    turn: Turn, facts: KnowledgeFacts, current: Optional[str]
) -> tuple[list[tuple[str, Callable[[str], bool]]], Optional[str], list[str]]:
    """The checks for this turn's reply, the standard the conversation is now about, and the
    button payload ids that must be offered."""
    answer = turn.answer
    standard = answer.get("standard") or (
        turn.layanan if isinstance(turn.layanan, str) and turn.layanan != "none" else current
    )
    checks: list[tuple[str, Callable[[str], bool]]] = []
    komponen = answer.get("komponen") or INTENT_KOMPONEN.get(turn.intent or "")
    # An ambiguous message must be answered with the candidates as buttons, unless the turn says
    # otherwise (e.g. the region is already known from an earlier turn).
    implied = turn.layanan if isinstance(turn.layanan, list) and not answer else []
    pilihan = list(answer.get("pilihan") or implied)
    if pilihan:
        pass  # the disambiguation is checked on the buttons
    elif answer.get("ringkasan") and standard:
        checks += facts.overview_checks(standard)
    elif komponen and standard and not answer.get("reply"):
        checks += facts.component_checks(standard, komponen)
        if answer.get("kosong") and not facts.standard(standard).komponen[komponen].is_empty:
            raise ValueError(f"tests/eval: {standard} {komponen} is expected empty but has content")
    elif turn.intent == "inform_layanan" and standard and not answer.get("reply"):
        checks.append(_contains_check("name", facts.standard(standard).nama))
    if answer.get("kontak"):
        checks.append(_any_check("office contact", facts.contacts(answer["kontak"])))
    for literal in answer.get("contains") or ():
        checks.append(_contains_check("contains", literal))
    if answer.get("reply") or (not checks and not pilihan and turn.answer):
        checks.append(("a reply", lambda reply: bool(reply.strip())))
    return checks, (standard if not pilihan else current), pilihan


def run_conversations(
    conversations: list[Conversation],
    facts: KnowledgeFacts,
    assistant: Optional[RestAssistant] = None,
    nlu: Optional[InProcessNLU] = None,
) -> list[TurnResult]:
    """Run every conversation (REST when `assistant`, else NLU only) and score every turn."""
    results: list[TurnResult] = []
    for conversation in conversations:
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
            checks, current, pilihan = answer_checks(turn, facts, current)
            answer_ok: Optional[bool] = None
            failures: list[str] = []
            if assistant is not None and (checks or pilihan):
                folded = fold(reply_text)
                failures = [name for name, ok in checks if not ok(folded)]
                missing = [sid for sid in pilihan if not any(sid in payload for payload in buttons)]
                failures += [f"button for {sid}" for sid in missing]
                answer_ok = not failures
            ranking = [
                (str(r.get("name")), float(r.get("confidence") or 0.0))
                for r in parse.get("intent_ranking") or []
                if r.get("name") != "nlu_fallback"
            ]
            results.append(
                TurnResult(
                    conversation.id, turn.text, turn.intent, predicted, intent_ok, link_ok, link_detail,
                    answer_ok, failures, reply_text, ranking,
                )
            )
    return results


# --- metrics -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Metrics:
    intent: tuple[int, int]
    link: tuple[int, int]
    answer: tuple[int, int]

    @staticmethod
    def of(results: list[TurnResult]) -> Metrics:
        def score(values: list[Optional[bool]]) -> tuple[int, int]:
            judged = [v for v in values if v is not None]
            return sum(judged), len(judged)

        return Metrics(
            score([r.intent_ok for r in results]),
            score([r.link_ok for r in results]),
            score([r.answer_ok for r in results]),
        )


def _pct(pair: tuple[int, int]) -> str:
    good, total = pair
    return f"{100.0 * good / total:5.1f}% ({good}/{total})" if total else "   n/a"


def print_table(columns: dict[str, Metrics], turns: int, conversations: int) -> None:
    names = list(columns)
    print(f"\nHeld-out evaluation: {conversations} conversations, {turns} user turns\n")
    print(f"{'metric':<26}" + "".join(f"{n:>26}" for n in names))
    for label, attribute in (
        ("intent accuracy", "intent"),
        ("standard-linking accuracy", "link"),
        ("answer accuracy", "answer"),
    ):
        print(f"{label:<26}" + "".join(f"{_pct(getattr(columns[n], attribute)):>26}" for n in names))


def print_errors(name: str, results: list[TurnResult], limit: int) -> None:
    wrong = [r for r in results if r.intent_ok is False or r.link_ok is False or r.answer_ok is False]
    if not wrong:
        return
    print(f"\n{name}: {len(wrong)} turns with an error (first {min(limit, len(wrong))})")
    confusions = Counter((r.intent_expected, r.intent_predicted) for r in results if r.intent_ok is False)
    for (expected, predicted), count in confusions.most_common(10):
        print(f"  intent {expected} -> {predicted}: {count}")
    for r in wrong[:limit]:
        parts = []
        if r.intent_ok is False:
            parts.append(f"intent {r.intent_predicted} (want {r.intent_expected})")
        if r.link_ok is False:
            parts.append(f"link {r.link_detail}")
        if r.answer_ok is False:
            parts.append("answer missing " + "; ".join(r.answer_failures))
        print(f"  [{r.conversation}] {r.text!r}: " + " | ".join(parts))


def print_threshold_sweep(results: list[TurnResult]) -> None:
    """What FallbackClassifier thresholds would do on these turns (how config.yml's were chosen).

    accepted-correct: in-scope turns whose intent is right and confident enough; accepted-wrong:
    wrong intents that pass (the harmful case: a wrong answer); caught: turns without an expected
    intent (emoji, gibberish) that fall back."""
    scored = [r for r in results if r.ranking]
    in_scope = [r for r in scored if r.intent_expected is not None]
    no_intent = [r for r in scored if r.intent_expected is None]
    print("\nFallbackClassifier sweep (threshold, ambiguity_threshold) on DIET's ranking:")
    print(f"{'thr':>5} {'amb':>5} {'accepted-correct':>17} {'accepted-wrong':>15} {'caught':>8}")
    for ambiguity in (0.0, 0.05, 0.1):
        for threshold in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            def accepted(r: TurnResult, t: float = threshold, a: float = ambiguity) -> bool:
                best = r.ranking[0][1]
                second = r.ranking[1][1] if len(r.ranking) > 1 else 0.0
                return best >= t and best - second >= a

            correct = sum(1 for r in in_scope if accepted(r) and r.ranking[0][0] == r.intent_expected)
            wrong = sum(1 for r in in_scope if accepted(r) and r.ranking[0][0] != r.intent_expected)
            caught = sum(1 for r in no_intent if not accepted(r))
            print(
                f"{threshold:>5.2f} {ambiguity:>5.2f} {correct:>11}/{len(in_scope):<5}"
                f"{wrong:>10}/{len(in_scope):<4} {caught:>4}/{len(no_intent)}"
            )


# --- servers -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train_model(config: Path, out_dir: Path, name: str) -> Path:
    """`rasa train` with `config` on the project's domain and data (Rasa skips unchanged parts)."""
    from bot.run import rasa_bin

    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        rasa_bin(), "train", "--config", str(config), "--domain", "domain.yml", "--data", "data",
        "--out", str(out_dir), "--fixed-model-name", name,
    ]
    log(f"training {name}: {' '.join(command)}")
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    log(f"{name} trained in {time.monotonic() - started:.0f} s")
    return out_dir / f"{name}.tar.gz"


def evaluate_model(
    model: Path, conversations: list[Conversation], facts: KnowledgeFacts, work_dir: Path
) -> list[TurnResult]:
    """Start the action server + Rasa server for `model` on free ports, run, stop."""
    from bot.run import Settings, Supervisor

    settings = Settings(
        rasa_port=free_port(),
        actions_port=free_port(),
        model=model,
        state_dir=work_dir,
        log_dir=work_dir / f"logs-{model.stem.split('.')[0]}",
        ready_timeout=600.0,
    )
    log(f"starting servers for {model.name} (logs in {settings.log_dir})")
    with Supervisor(settings, quiet=True):
        assistant = RestAssistant(settings.rasa_url, settings.rasa_token)  # its API needs the token
        return run_conversations(conversations, facts, assistant=assistant)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=Path, default=CONVERSATIONS)
    parser.add_argument("--url", help="a running assistant (ours only), e.g. http://127.0.0.1:5005")
    parser.add_argument(
        "--token",
        help="its API token (default: $PANDU_RASA_TOKEN, else the one `make run` keeps in "
        "var/rasa_api_token)",
    )
    parser.add_argument("--model", type=Path, help="our trained model (default: train config.yml)")
    parser.add_argument("--default-model", type=Path, help="the default pipeline's trained model")
    parser.add_argument("--skip-default", action="store_true", help="do not evaluate the default pipeline")
    parser.add_argument("--nlu-only", action="store_true", help="intent and linking only, in process")
    parser.add_argument("--models-dir", type=Path, default=None, help="where to train (default: var/eval)")
    parser.add_argument("--errors", type=int, default=25, help="how many failing turns to list")
    parser.add_argument("--report", type=Path, help="write every turn's result as JSON here")
    parser.add_argument("--sweep", action="store_true", help="print a FallbackClassifier threshold sweep")
    args = parser.parse_args(argv)

    from bot.db import data_dir, session_factory

    conversations = load_conversations(args.conversations)
    turns = sum(len(c.turns) for c in conversations)
    facts = KnowledgeFacts(session_factory())
    work_dir = args.models_dir or (data_dir() / "eval")
    work_dir.mkdir(parents=True, exist_ok=True)
    columns: dict[str, Metrics] = {}
    all_results: dict[str, list[TurnResult]] = {}

    def record(name: str, results: list[TurnResult]) -> None:
        all_results[name] = results
        columns[name] = Metrics.of(results)

    if args.nlu_only:
        model = args.model or train_model(ROOT / "config.yml", work_dir, "pandu-izin")
        record("Pandu Izin (NLU only)", run_conversations(conversations, facts, nlu=InProcessNLU(model)))
        if not args.skip_default:
            default = args.default_model or train_model(DEFAULT_CONFIG, work_dir, "default-pipeline")
            results = run_conversations(conversations, facts, nlu=InProcessNLU(default))
            record("Rasa default (NLU only)", results)
    else:
        if args.url:
            token_file = data_dir() / "rasa_api_token"
            token = args.token or os.environ.get("PANDU_RASA_TOKEN") or None
            if token is None and token_file.exists():
                token = token_file.read_text(encoding="ascii").strip()
            assistant = RestAssistant(args.url, token)
            record("Pandu Izin", run_conversations(conversations, facts, assistant=assistant))
        else:
            model = args.model or train_model(ROOT / "config.yml", work_dir, "pandu-izin")
            with tempfile.TemporaryDirectory(prefix="eval-", dir=work_dir) as tmp:
                record("Pandu Izin", evaluate_model(model, conversations, facts, Path(tmp)))
        if not args.skip_default:
            default = args.default_model or train_model(DEFAULT_CONFIG, work_dir, "default-pipeline")
            with tempfile.TemporaryDirectory(prefix="eval-", dir=work_dir) as tmp:
                record("Rasa default pipeline", evaluate_model(default, conversations, facts, Path(tmp)))

    for name, results in all_results.items():
        print_errors(name, results, args.errors)
        if args.sweep:
            print(f"\n{name}:")
            print_threshold_sweep(results)
    print_table(columns, turns, len(conversations))
    if args.report:
        report = {name: [r.__dict__ for r in results] for name, results in all_results.items()}
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
