"""`make bench`: latency and throughput of the assistant over its REST channel, on 127.0.0.1.

    python -m bot.bench [--train] [--model PATH] [--conversations 20] [--rounds 3] [--sequential 15]

Starts a private action server + Rasa server (free ports, own SQLite database, `bot.run`), then:
- sequential: one conversation at a time, `--sequential` conversations of the scripted turns;
- concurrent: `--conversations` conversations at once, each running the script `--rounds` times;
and prints p50/p95/p99 turn latency, turns per second and errors (non-200, no reply, timeouts),
the resident memory (RSS) of both servers, and, with `--train`, the time of a full training
(`rasa train --force` into a temporary directory; that model is then the one measured).
Every request has a timeout, and the whole run is bounded by the number of turns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import httpx

from bot.run import ROOT, Supervisor, action_server, isolated_settings, newest_model, rasa_server, train

REST_PATH = "/webhooks/rest/webhook"
# One applicant's conversation: a question, follow-ups, a switch of standard and region, small talk.
SCRIPT = (
    "halo kak",
    "syarat bikin sip bidan apa aja?",
    "biayanya berapa?",
    "berapa lama prosesnya?",
    "terus izin toko obat?",
    "kalau pirt di oki gimana?",
    "daftar layanan kesehatan",
    "makasih ya",
)


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    # CPU time per turn of each server: independent of what else the machine is doing.
    cpu_ms_per_turn: dict[str, Optional[float]] = field(default_factory=dict)

    @property
    def turns(self) -> int:
        return len(self.latencies_ms) + self.errors

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]

    def summary(self) -> dict:
        return {
            "turns": self.turns,
            "errors": self.errors,
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "turns_per_s": round(self.turns / self.seconds, 1) if self.seconds else 0.0,
            "seconds": round(self.seconds, 1),
            "cpu_ms_per_turn": self.cpu_ms_per_turn,
        }


async def _turn(client: httpx.AsyncClient, url: str, sender: str, text: str, phase: Phase) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(url, json={"sender": sender, "message": text})
        ok = response.status_code == 200 and isinstance(response.json(), list) and response.json()
    except (httpx.HTTPError, ValueError):
        ok = False
    if ok:
        phase.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        phase.errors += 1


async def _conversation(client: httpx.AsyncClient, url: str, sender: str, rounds: int, phase: Phase) -> None:
    for _ in range(rounds):
        for text in SCRIPT:
            await _turn(client, url, sender, text, phase)


class CpuMeter:
    """CPU used by the servers between `start()` and `stop(phase)`."""

    def __init__(self, pids: dict[str, Optional[int]]):
        self.pids = pids
        self.before: dict[str, Optional[float]] = {}

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def stop(self, phase: Phase) -> None:
        for name, pid in self.pids.items():
            after, before = cpu_seconds(pid), self.before.get(name)
            if after is None or before is None or not phase.turns:
                phase.cpu_ms_per_turn[name] = None
            else:
                phase.cpu_ms_per_turn[name] = round((after - before) * 1000 / phase.turns, 1)


async def run_phases(
    rasa_url: str, sequential: int, conversations: int, rounds: int, timeout: float, meter: CpuMeter
) -> list[Phase]:
    url = rasa_url + REST_PATH
    limits = httpx.Limits(max_connections=conversations + 5)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        await _conversation(client, url, "bench-warmup", 1, Phase("warm-up"))

        seq = Phase("sequential")
        meter.start()
        started = time.perf_counter()
        for i in range(sequential):
            await _conversation(client, url, f"bench-seq-{i}", 1, seq)
        seq.seconds = time.perf_counter() - started
        meter.stop(seq)

        con = Phase(f"concurrent ({conversations} conversations)")
        meter.start()
        started = time.perf_counter()
        await asyncio.gather(
            *(_conversation(client, url, f"bench-con-{i}", rounds, con) for i in range(conversations))
        )
        con.seconds = time.perf_counter() - started
        meter.stop(con)
    return [seq, con]


def cpu_seconds(pid: Optional[int]) -> Optional[float]:
    """User + system CPU time a process has used so far (Linux /proc), in seconds."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: Optional[int]) -> Optional[float]:
    """Resident memory of a process from /proc (Linux), in MB."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.bench", description="REST benchmark of the assistant"
    )
    parser.add_argument("--model", type=Path, help="model to serve (default: newest in models/)")
    parser.add_argument(
        "--train", action="store_true", help="time a full training first and serve that model"
    )
    parser.add_argument("--sequential", type=int, default=15, help="sequential conversations (8 turns each)")
    parser.add_argument("--conversations", type=int, default=20, help="concurrent conversations")
    parser.add_argument(
        "--rounds", type=int, default=3, help="script repetitions per concurrent conversation"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pandu-bench-") as tmp:
        workdir = Path(tmp)
        training_s = None
        model = args.model
        if args.train:
            training_s = train(workdir / "models", force=True)
            model = newest_model(workdir / "models")
        model = model or newest_model(ROOT / "models")
        if model is None or not Path(model).exists():
            print("no model: run `make train` first or pass --train / --model", file=sys.stderr)
            return 2
        settings = isolated_settings(workdir / "run", Path(model))
        supervisor = Supervisor(settings, [action_server(settings), rasa_server(settings)])
        try:
            supervisor.start()
        except RuntimeError as exc:
            supervisor.stop()
            print(f"servers did not start: {exc} (logs in {settings.log_dir})", file=sys.stderr)
            return 1
        meter = CpuMeter({name: supervisor.pid(name) for name in ("rasa server", "action server")})
        try:
            phases = asyncio.run(
                run_phases(
                    settings.rasa_url, args.sequential, args.conversations, args.rounds, args.timeout, meter
                )
            )
            memory = {
                "rasa_server_mb": rss_mb(supervisor.pid("rasa server")),
                "action_server_mb": rss_mb(supervisor.pid("action server")),
            }
        finally:
            supervisor.stop()

    results = {
        "model": Path(model).name,
        "training_s": round(training_s, 1) if training_s is not None else None,
        "phases": {p.name: p.summary() for p in phases},
        "rss": {k: round(v, 1) if v is not None else None for k, v in memory.items()},
    }
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(p.errors == 0 for p in phases) else 1


def print_results(results: dict) -> None:
    print(f"\nPandu Izin REST benchmark (127.0.0.1), model {results['model']}")
    training = results["training_s"]
    print(f"training time: {f'{training:.0f} s' if training is not None else 'not measured (use --train)'}")
    print(
        f"{'phase':<36} {'turns':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'turns/s':>8}"
    )
    for name, s in results["phases"].items():
        print(
            f"{name:<36} {s['turns']:>6} {s['errors']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} "
            f"{s['p99_ms']:>8} {s['turns_per_s']:>8}"
        )
    for name, s in results["phases"].items():
        cpu = ", ".join(f"{server} {ms} ms" for server, ms in s["cpu_ms_per_turn"].items())
        print(f"CPU per turn, {name}: {cpu}")
    rss = results["rss"]
    print(
        f"resident memory: rasa server {rss['rasa_server_mb']} MB, action server {rss['action_server_mb']} MB"
    )


if __name__ == "__main__":
    sys.exit(main())
