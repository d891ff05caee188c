"""Where a turn's time goes: the Rasa server's work split into its parts, wall-clock, per turn.

    python -m tools.profile_turn [--model PATH] [--conversations 10] [--cprofile]

Loads the model in this process the way `rasa run` does (the project's endpoints: SQL tracker store
on a private SQLite database, the action server started on a free port), runs the scripted
conversation of tools/bench.py and times, per turn:

- every node of Rasa's graph (each NLU component: normalizer, tokenizer, featurizers, DIET, the
  linker, fallback; each policy), by wrapping `GraphNode.__call__`;
- the custom action's HTTP round trip (`RemoteAction.run`: request, action server, response check);
- the tracker store: loading (`retrieve`) and saving (`save`) the conversation;
- the whole `MessageProcessor.handle_message`.

`--cprofile` also prints the functions with the most CPU time (cProfile, sorted by own time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import io
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Optional

from bot.run import ROOT, Supervisor, action_server, endpoints_for, isolated_settings, newest_model
from tools.bench import SCRIPT

TIMES: dict[str, list[float]] = defaultdict(list)


def _timed_async(name: str, function: Callable) -> Callable:
    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            TIMES[name].append((time.perf_counter() - started) * 1000)

    return wrapper


def _timed_graph_node(function: Callable) -> Callable:
    @functools.wraps(function)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(self, *args, **kwargs)
        finally:
            TIMES[f"graph: {self._node_name}"].append((time.perf_counter() - started) * 1000)

    return wrapper


def _timed_sync(name: str, function: Callable) -> Callable:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name].append((time.perf_counter() - started) * 1000)

    return wrapper


_gc_started: list[float] = []


def _gc_callback(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_started[:] = [time.perf_counter()]
    elif _gc_started:
        TIMES[f"python gc: generation {info['generation']} pause"].append(
            (time.perf_counter() - _gc_started[0]) * 1000
        )


def instrument() -> None:
    import gc

    gc.callbacks.append(_gc_callback)
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.engine.graph import GraphNode
    from rasa.utils.endpoints import EndpointConfig

    MessageProcessor.handle_message = _timed_async("turn: handle_message", MessageProcessor.handle_message)
    MessageProcessor.parse_message = _timed_async("nlu: parse_message", MessageProcessor.parse_message)
    RemoteAction.run = _timed_async("action: RemoteAction.run (HTTP round trip)", RemoteAction.run)
    SQLTrackerStore.retrieve = _timed_async("database: tracker retrieve", SQLTrackerStore.retrieve)
    SQLTrackerStore.save = _timed_async("database: tracker save", SQLTrackerStore.save)
    GraphNode.__call__ = _timed_graph_node(GraphNode.__call__)  # type: ignore[method-assign]
    # Inside the action round trip: the HTTP request (action server included) and the payload.
    EndpointConfig.request = _timed_async("action: HTTP request incl. action server", EndpointConfig.request)
    RemoteAction._action_call_format = _timed_sync(
        "action: building the request (tracker as JSON)", RemoteAction._action_call_format
    )


async def converse(agent: Any, conversations: int) -> int:
    turns = 0
    for i in range(conversations):
        sender = f"profile-{uuid.uuid4().hex[:6]}-{i}"
        for text in SCRIPT:
            replies = await agent.handle_text(text, sender_id=sender)
            assert replies, f"no answer to {text!r}"
            turns += 1
    return turns


def report(turns: int) -> None:
    print(f"\nper turn ({turns} turns), milliseconds of wall-clock time")
    print(f"{'part':<62} {'calls/turn':>10} {'total/turn':>10} {'p50/call':>9} {'p95/call':>9}")
    rows = sorted(TIMES.items(), key=lambda item: -sum(item[1]))
    for name, values in rows:
        p95 = statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]
        print(
            f"{name[:62]:<62} {len(values) / turns:>10.2f} {sum(values) / turns:>10.2f} "
            f"{statistics.median(values):>9.2f} {p95:>9.2f}"
        )


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.profile_turn", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--cprofile", action="store_true", help="also print the top CPU functions")
    parser.add_argument(
        "--cprofile-actions", action="store_true", help="also profile the action server (cProfile, own time)"
    )
    args = parser.parse_args(argv)
    model = args.model or newest_model(ROOT / "models")
    if model is None:
        print("no model: run `make train` first", file=sys.stderr)
        return 2

    import logging
    import os

    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Log as `rasa run` does by default (INFO): debug output would be measured otherwise.
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)

    with tempfile.TemporaryDirectory(prefix="pandu-profile-") as tmp:
        settings = isolated_settings(Path(tmp), Path(model))
        # This process is the Rasa server: same database, and the secret it sends the action server.
        os.environ.update({**settings.env, "PANDU_ACTIONS_SECRET": settings.actions_secret})
        actions = action_server(settings)
        actions_profile = Path(tmp) / "actions.prof"
        if args.cprofile_actions:  # the same server under cProfile; Sanic exits cleanly on SIGTERM
            profiled = [sys.executable, "-m", "cProfile", "-o", str(actions_profile)]
            actions.command = profiled + actions.command[1:]
        with Supervisor(settings, [actions], quiet=True):
            endpoints = AvailableEndpoints.read_endpoints(str(endpoints_for(settings)))
            instrument()

            async def run() -> int:
                agent = await load_agent(model_path=str(model), endpoints=endpoints)
                await converse(agent, 2)  # warm-up: first calls build graphs and caches
                TIMES.clear()
                profiler = cProfile.Profile() if args.cprofile else None
                if profiler:
                    profiler.enable()
                turns = await converse(agent, args.conversations)
                if profiler:
                    profiler.disable()
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
                    print(out.getvalue())
                return turns

            turns = asyncio.run(run())
        if args.cprofile_actions and actions_profile.exists():
            out = io.StringIO()
            pstats.Stats(str(actions_profile), stream=out).sort_stats("tottime").print_stats(30)
            print("action server:\n" + out.getvalue())
    report(turns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
