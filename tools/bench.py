"""`make bench`: latency, throughput and fault behaviour of the assistant over REST, on 127.0.0.1.

    python -m tools.bench [--model PATH] [--train] [--skip-cluster] [--skip-moodbot] [--json FILE]

1. **Sequential latency vs a bare Rasa bot.** The embedded default (one Rasa process, SQLite) and
   Rasa's own `rasa init` moodbot (created offline with `rasa init --no-prompt` in a temporary
   directory, default pipeline, in-memory tracker store) run side by side; their conversations
   alternate, so load from elsewhere on the machine hits both alike. Printed: p50/p95/p99, CPU per
   turn of each Rasa server, and the ratio of the p95s (target <= 1.5).
2. **1 vs 2 Rasa processes** (`PANDU_RASA_PROCESSES`, bot/cluster.py: nginx in front, PostgreSQL
   tracker store, Redis lock store; the same topology for both counts), each at 20 and 50
   concurrent conversations: turns, errors, p50/p95/p99 and turns per second. Both setups run side
   by side and their phases alternate (`--repeats`, default 2), so load from other programs falls on
   both alike; each phase also prints how many cores other programs used meanwhile.
3. **Fault run**: 2 processes under 20 concurrent conversations; one Rasa process is killed
   (SIGKILL) a few seconds in. Printed: every failed turn (those in flight on the killed process),
   turns slowed by the dead process's conversation lock, and the state check: every answered turn
   of every conversation is in the stored conversation, in order.

Needs PostgreSQL and Redis for parts 2 and 3 (BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/postgres as the server to create a scratch database on;
BENCH_REDIS_URL, default redis://127.0.0.1:6379/12) and nginx (`make nginx`). Every request has a
timeout and every phase a fixed number of turns, so a run ends by itself (about 10 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import aiohttp

from bot.cluster import cluster_services
from bot.run import (
    ROOT,
    Supervisor,
    action_server,
    free_layout,
    free_port,
    isolated_settings,
    newest_model,
    rasa_bin,
    rasa_server,
    train,
)
from bot.supervisor import Service

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
# The same length of conversation with Rasa's moodbot, every turn answered: its sad path twice, the
# bot challenge and goodbye (its intents greet, mood_unhappy, affirm, bot_challenge, goodbye).
MOODBOT_SCRIPT = (
    "hello there",
    "I am sad",
    "yes",
    "are you a bot?",
    "hi",
    "I am sad",
    "yes",
    "goodbye",
)
ENV_DATABASE = "BENCH_DATABASE_URL"
ENV_REDIS = "BENCH_REDIS_URL"


# --- measuring -----------------------------------------------------------------------------------
@dataclass
class Turn:
    sender: str
    text: str
    ok: bool
    ms: float
    status: str  # "200", an HTTP status, or the client error


@dataclass
class Phase:
    name: str
    turns: list[Turn] = field(default_factory=list)
    seconds: float = 0.0
    cpu_ms_per_turn: dict[str, Optional[float]] = field(default_factory=dict)
    others_cores: list[float] = field(default_factory=list)  # CPU other programs used meanwhile

    @property
    def latencies_ms(self) -> list[float]:
        return [t.ms for t in self.turns if t.ok]

    @property
    def errors(self) -> int:
        return sum(not t.ok for t in self.turns)

    def percentile(self, q: int) -> float:
        values = self.latencies_ms
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    def summary(self) -> dict:
        return {
            "turns": len(self.turns),
            "errors": self.errors,
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "turns_per_s": round(len(self.turns) / self.seconds, 1) if self.seconds else 0.0,
            "seconds": round(self.seconds, 1),
            "cpu_ms_per_turn": self.cpu_ms_per_turn,
        }


async def turn(client: aiohttp.ClientSession, url: str, sender: str, text: str) -> Turn:
    started = time.perf_counter()
    try:
        async with client.post(url + REST_PATH, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            ok = bool(response.status == 200 and isinstance(body, list) and body)
            status = str(response.status) if ok or response.status != 200 else "200 without an answer"
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        ok, status = False, exc.__class__.__name__
    return Turn(sender, text, ok, (time.perf_counter() - started) * 1000, status)


async def conversation(
    client: aiohttp.ClientSession, url: str, sender: str, script: tuple[str, ...], rounds: int, phase: Phase
) -> None:
    for _ in range(rounds):
        for text in script:
            phase.turns.append(await turn(client, url, sender, text))


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
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class CpuMeter:
    """CPU used by some processes between `start()` and `stop(phase, turns)`."""

    def __init__(self, pids: dict[str, Optional[int]]):
        self.pids = pids
        self.before: dict[str, Optional[float]] = {}

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def stop(self, phase: Phase, turns: int) -> None:
        for name, pid in self.pids.items():
            after, before = cpu_seconds(pid), self.before.get(name)
            ok = after is not None and before is not None and turns
            phase.cpu_ms_per_turn[name] = round((after - before) * 1000 / turns, 1) if ok else None


class MachineMeter:
    """Cores used by other programs (not this benchmark, not its servers) during a phase: the
    machine's busy time from /proc/stat minus the CPU time of our processes."""

    def __init__(self, pids: dict[str, Optional[int]]):
        self.pids = [pid for pid in pids.values() if pid] + [os.getpid()]
        self.before: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @staticmethod
    def _machine() -> tuple[float, float]:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) / os.sysconf("SC_CLK_TCK"), (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")

    def _ours(self) -> float:
        return sum(cpu_seconds(pid) or 0.0 for pid in self.pids)

    def start(self) -> None:
        total, busy = self._machine()
        self.before = (total, busy, self._ours())

    def stop(self) -> float:
        total, busy = self._machine()
        total0, busy0, ours0 = self.before
        cores = os.cpu_count() or 1
        wall = (total - total0) / cores
        if wall <= 0:
            return 0.0
        return max(0.0, ((busy - busy0) - (self._ours() - ours0)) / wall)


def client(conversations: int, timeout: float) -> aiohttp.ClientSession:
    """The load generator's HTTP client: aiohttp, which needs about 0.25 ms of CPU per request where
    httpx needs about 3.4 ms (measured here): the generator shares the 2 cores with the servers."""
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout), connector=aiohttp.TCPConnector(limit=conversations + 5)
    )


async def warm_up(urls: list[str], script: tuple[str, ...]) -> None:
    async with client(1, 120) as http:
        for url in urls:
            for _ in range(2):
                await conversation(http, url, f"warmup-{uuid.uuid4().hex[:6]}", script, 1, Phase("warm-up"))


async def concurrent(url: str, name: str, conversations: int, rounds: int, timeout: float) -> Phase:
    phase = Phase(name)
    tag = uuid.uuid4().hex[:6]
    async with client(conversations, timeout) as http:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                conversation(http, url, f"bench-{tag}-{i}", SCRIPT, rounds, phase)
                for i in range(conversations)
            )
        )
        phase.seconds = time.perf_counter() - started
    return phase


# --- 1. sequential: ours vs moodbot ----------------------------------------------------------------
def create_moodbot(folder: Path, log: Path) -> Path:
    """`rasa init --no-prompt` (offline: the project template ships with Rasa) and its model."""
    print(f"creating Rasa's moodbot with `rasa init --no-prompt` in {folder} (trains it) ...", flush=True)
    started = time.monotonic()
    with open(log, "wb") as out:
        subprocess.run(
            [rasa_bin(), "init", "--no-prompt", "--init-dir", str(folder)],
            cwd=folder.parent,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=1800,
        )
    model = newest_model(folder / "models")
    if model is None:
        raise RuntimeError(f"rasa init made no model (log: {log})")
    print(f"moodbot ready ({time.monotonic() - started:.0f} s)", flush=True)
    return model


def moodbot_service(folder: Path, model: Path, port: int) -> Service:
    command = [rasa_bin(), "run", "--model", str(model), "--enable-api", "--port", str(port)]
    command += ["--interface", "127.0.0.1"]
    return Service(
        name="moodbot",
        command=command,
        cwd=folder,
        ready_url=f"http://127.0.0.1:{port}/",
        env={"RASA_TELEMETRY_ENABLED": "false"},
        listens=(("127.0.0.1", port),),
    )


async def side_by_side(
    ours: str, moodbot: Optional[str], conversations: int
) -> tuple[Phase, Optional[Phase]]:
    """Sequential conversations, ours and the moodbot's alternating."""
    mine, theirs = Phase("pandu izin, sequential"), Phase("rasa init moodbot, sequential")
    async with client(1, 60) as http:
        for i in range(conversations):
            started = time.perf_counter()
            await conversation(http, ours, f"seq-{uuid.uuid4().hex[:6]}-{i}", SCRIPT, 1, mine)
            mine.seconds += time.perf_counter() - started
            if moodbot:
                started = time.perf_counter()
                await conversation(http, moodbot, f"seq-mood-{i}", MOODBOT_SCRIPT, 1, theirs)
                theirs.seconds += time.perf_counter() - started
    return mine, theirs if moodbot else None


def run_sequential(
    workdir: Path, model: Path, conversations: int, with_moodbot: bool, moodbot_dir: Optional[Path] = None
) -> dict:
    settings = isolated_settings(workdir / "single", model)
    services = [action_server(settings), rasa_server(settings)]
    moodbot_url = None
    if with_moodbot:
        folder = moodbot_dir or workdir / "moodbot"
        mood_model = newest_model(folder / "models") if folder.exists() else None
        if mood_model is None:
            folder.mkdir(parents=True, exist_ok=True)
            mood_model = create_moodbot(folder, workdir / "moodbot-init.log")
        else:
            print(f"reusing the moodbot made by `rasa init --no-prompt` in {folder}", flush=True)
        port = free_port()
        services.append(moodbot_service(folder, mood_model, port))
        moodbot_url = f"http://127.0.0.1:{port}"
    with Supervisor(settings, services, quiet=True) as supervisor:
        asyncio.run(warm_up([settings.rasa_url], SCRIPT))
        if moodbot_url:
            asyncio.run(warm_up([moodbot_url], MOODBOT_SCRIPT))
        pids = {
            "rasa": supervisor.pid("rasa server"),
            "actions": supervisor.pid("action server"),
            "moodbot": supervisor.pid("moodbot"),
        }
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        machine = MachineMeter(pids)
        machine.start()
        mine, theirs = asyncio.run(side_by_side(settings.rasa_url, moodbot_url, conversations))
        others = machine.stop()
        used = {name: (cpu_seconds(pid) or 0) - (before[name] or 0) for name, pid in pids.items() if pid}
        mine.cpu_ms_per_turn = {
            n: round(used[n] * 1000 / len(mine.turns), 1) for n in ("rasa", "actions") if n in used
        }
        if theirs is not None:
            theirs.cpu_ms_per_turn = {"rasa": round(used["moodbot"] * 1000 / len(theirs.turns), 1)}
        memory = {"rasa server": rss_mb(pids["rasa"]), "action server": rss_mb(pids["actions"])}
    result = {
        "phases": {mine.name: mine.summary()},
        "rss_mb": memory,
        "other_programs_cores": round(others, 2),
    }
    if theirs is not None:
        result["phases"][theirs.name] = theirs.summary()
        result["p95_ratio"] = round(mine.percentile(95) / theirs.percentile(95), 2)
        result["cpu_ratio"] = round(mine.cpu_ms_per_turn["rasa"] / theirs.cpu_ms_per_turn["rasa"], 2)
    return result


# --- 2. and 3. the cluster ------------------------------------------------------------------------
def scratch_database(server_url: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"pandu_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        from bot.db import dispose

        dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


def start_cluster(workdir: Path, model: Path, database_url: str, redis_url: str, processes: int):  # noqa: ANN201
    """`processes` Rasa processes and action servers behind nginx, on free ports (for 1 as well:
    both counts are measured on the same topology)."""
    settings = isolated_settings(
        workdir / f"cluster-{processes}",
        model,
        env={"PANDU_REDIS_URL": redis_url},
        database_url=database_url,
        rasa_processes=processes,
    )
    layout = free_layout(settings)
    services = cluster_services(settings, layout, rasa_server=rasa_server, action_server=action_server)
    supervisor = Supervisor(settings, services, quiet=True)
    supervisor.start()
    return settings, layout, supervisor


def _processes(count: int) -> str:
    return f"{count} Rasa process" + ("es" if count > 1 else "")


def rasa_pids(supervisor: Supervisor, processes: int) -> dict[str, Optional[int]]:
    pids = {f"rasa {i}": supervisor.pid(f"rasa server {i}") for i in range(1, processes + 1)}
    pids.update({f"actions {i}": supervisor.pid(f"action server {i}") for i in range(1, processes + 1)})
    return pids


def run_scale(
    workdir: Path, model: Path, database_url: str, redis_url: str, loads: list[int], repeats: int
) -> dict:
    """Both setups run at once (idle when not measured) and their phases alternate, `repeats` times:
    load from other programs then falls on 1 and 2 processes alike. Each phase's numbers pool all
    its repetitions (turns / total seconds)."""
    print("starting 1 and 2 Rasa processes behind nginx (two setups side by side) ...", flush=True)
    clusters = {}
    try:
        for processes in (1, 2):
            clusters[processes] = start_cluster(workdir, model, database_url, redis_url, processes)
        for _, layout, _ in clusters.values():
            asyncio.run(warm_up(layout.rasa_backend_urls, SCRIPT))
        pooled: dict[str, Phase] = {}
        for repetition in range(1, repeats + 1):
            for conversations in loads:
                for processes, (settings, _, supervisor) in clusters.items():
                    name = f"{_processes(processes)}, {conversations} conv."
                    rounds = max(1, 40 // conversations)  # 20 -> 2 rounds (320 turns), 50 -> 1 (400)
                    meter = CpuMeter(rasa_pids(supervisor, processes))
                    machine = MachineMeter(meter.pids)
                    meter.start()
                    machine.start()
                    phase = asyncio.run(concurrent(settings.rasa_url, name, conversations, rounds, 60))
                    meter.stop(phase, len(phase.turns))
                    others = machine.stop()
                    total = pooled.setdefault(name, Phase(name))
                    total.turns += phase.turns
                    total.seconds += phase.seconds
                    total.cpu_ms_per_turn = phase.cpu_ms_per_turn
                    total.others_cores.append(others)
                    print(
                        f"  {name} (round {repetition}): {len(phase.turns) / phase.seconds:.1f} turns/s, "
                        f"other programs used {others:.2f} cores",
                        flush=True,
                    )
        two_settings, _, two = clusters[2]
        memory = {name: rss_mb(pid) for name, pid in rasa_pids(two, 2).items()}
        memory["nginx"] = rss_mb(two.pid("load balancer"))
        fault = run_fault(two_settings, two, database_url)
    finally:
        for _, _, supervisor in clusters.values():
            supervisor.stop()
    phases = {}
    for name, phase in pooled.items():
        phases[name] = phase.summary()
        phases[name]["other_programs_cores"] = round(sum(phase.others_cores) / len(phase.others_cores), 2)
    return {"phases": phases, "rss_mb": memory, "repeats": repeats, "fault": fault}


async def fault_load(url: str, conversations: int, rounds: int, kill_after_s: float, kill) -> Phase:  # noqa: ANN001
    phase = Phase(f"fault run, 2 processes, {conversations} conv.")
    tag = uuid.uuid4().hex[:6]

    async def killer() -> None:
        await asyncio.sleep(kill_after_s)
        kill()

    async with client(conversations, 60) as http:
        started = time.perf_counter()
        await asyncio.gather(
            killer(),
            *(
                conversation(http, url, f"fault-{tag}-{i}", SCRIPT, rounds, phase)
                for i in range(conversations)
            ),
        )
        phase.seconds = time.perf_counter() - started
    return phase


def stored_user_texts(database_url: str, senders: set[str]) -> dict[str, list[str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    found: dict[str, list[str]] = {sender: [] for sender in senders}
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id")
            )
            for sender, data in rows:
                if sender in found:
                    found[sender].append(json.loads(data).get("text"))
    finally:
        engine.dispose()
    return found


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(item == candidate for candidate in remaining) for item in needles)


def run_fault(settings, supervisor: Supervisor, database_url: str) -> dict:  # noqa: ANN001
    """On the running 2-process setup (no restart policy: the killed process stays dead)."""
    print("fault run: 2 Rasa processes, 20 conversations, one process killed after 4 s ...", flush=True)
    victim = supervisor.pid("rasa server 2")
    phase = asyncio.run(fault_load(settings.rasa_url, 20, 2, 4.0, lambda: os.killpg(victim, signal.SIGKILL)))
    stored = stored_user_texts(database_url, {t.sender for t in phase.turns})
    answered: dict[str, list[str]] = {}
    for t in phase.turns:
        if t.ok:
            answered.setdefault(t.sender, []).append(t.text)
    lost = [s for s, texts in answered.items() if not is_subsequence(texts, stored.get(s, []))]
    failed = [t for t in phase.turns if not t.ok]
    slow = [t for t in phase.turns if t.ok and t.ms > 5000]
    return {
        "summary": phase.summary(),
        "failed_turns": [
            {"conversation": t.sender, "message": t.text, "status": t.status, "ms": round(t.ms)}
            for t in failed
        ],
        "slowed_by_lock_turns": len(slow),
        "slowest_ms": round(max((t.ms for t in phase.turns if t.ok), default=0)),
        "conversations": len(answered),
        "conversations_losing_state": lost,
    }


# --- output ---------------------------------------------------------------------------------------
def row(name: str, s: dict) -> str:
    return (
        f"{name:<36} {s['turns']:>6} {s['errors']:>6} {s['p50_ms']:>8} {s['p95_ms']:>8} "
        f"{s['p99_ms']:>8} {s['turns_per_s']:>8}"
    )


HEADER = f"{'phase':<36} {'turns':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'turns/s':>8}"


def print_results(results: dict) -> None:
    print(f"\nPandu Izin REST benchmark (127.0.0.1), model {results['model']}")
    print(f"load average at start: {results['load_start']}, at end: {results['load_end']}")
    if results.get("training_s") is not None:
        print(f"training time: {results['training_s']:.0f} s")
    seq = results.get("sequential")
    if seq:
        print("\n1. sequential turns, one Rasa process (SQLite) vs Rasa's `rasa init` moodbot, alternating")
        print(HEADER)
        for name, s in seq["phases"].items():
            print(row(name, s))
            print(f"{'':<36} CPU per turn: {s['cpu_ms_per_turn']}")
        if "p95_ratio" in seq:
            verdict = "met" if seq["p95_ratio"] <= 1.5 else "NOT met"
            print(
                f"p95 ratio pandu/moodbot: {seq['p95_ratio']} (target <= 1.5: {verdict}); "
                f"Rasa CPU per turn ratio: {seq['cpu_ratio']}"
            )
        print(
            f"other programs used {seq['other_programs_cores']} cores meanwhile; "
            f"resident memory: {seq['rss_mb']}"
        )
    scale = results.get("scale")
    if scale:
        print("\n2. 1 vs 2 Rasa processes behind nginx (PostgreSQL tracker store, Redis lock store)")
        print(HEADER)
        for name, s in scale["phases"].items():
            print(row(name, s) + f"   (other programs: {s['other_programs_cores']} cores)")
        print("(other programs: cores busy on the machine minus this benchmark's own processes;")
        print(" PostgreSQL, Redis and nginx working for the benchmark count there too)")
        for load in results["loads"]:
            one = scale["phases"].get(f"{_processes(1)}, {load} conv.")
            two = scale["phases"].get(f"{_processes(2)}, {load} conv.")
            if one and two and one["turns_per_s"]:
                gain = two["turns_per_s"] / one["turns_per_s"]
                ok = gain >= 1.5 and one["errors"] == 0 and two["errors"] == 0
                print(
                    f"{load} conversations: 2 processes = {gain:.2f}x the throughput of 1 "
                    f"(target >= 1.5x, 0 errors: {'met' if ok else 'NOT met'})"
                )
        print(f"resident memory (2 processes): {scale['rss_mb']}")
    fault = results.get("fault")
    if fault:
        print("\n3. fault run: one of 2 Rasa processes killed (SIGKILL) 4 s into 20 concurrent conversations")
        print(HEADER)
        print(row("fault run", fault["summary"]))
        print(f"failed turns (in flight on the killed process): {len(fault['failed_turns'])}")
        for t in fault["failed_turns"]:
            print(f"  {t['conversation']}: {t['message']!r} -> {t['status']} after {t['ms']} ms")
        print(
            "turns slowed (> 5 s) by the killed process's conversation lock: "
            f"{fault['slowed_by_lock_turns']} "
            f"(slowest {fault['slowest_ms']} ms)"
        )
        lost = fault["conversations_losing_state"]
        print(
            f"conversations whose answered turns are all stored, in order: "
            f"{fault['conversations'] - len(lost)} of {fault['conversations']}"
            + (f"; LOST STATE: {lost}" if lost else "")
        )


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="model to serve (default: newest in models/)")
    parser.add_argument(
        "--train", action="store_true", help="time a full training first and serve that model"
    )
    parser.add_argument("--sequential", type=int, default=15, help="sequential conversations (8 turns each)")
    parser.add_argument("--loads", default="20,50", help="concurrent conversations, comma-separated")
    parser.add_argument("--repeats", type=int, default=2, help="alternating repetitions of 1 vs 2 processes")
    parser.add_argument("--skip-moodbot", action="store_true")
    parser.add_argument(
        "--moodbot", type=Path, help="keep the `rasa init` moodbot in this folder and reuse it next time"
    )
    parser.add_argument("--skip-cluster", action="store_true", help="no 1-vs-2 processes and no fault run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    results: dict = {"load_start": load_average(), "loads": [int(x) for x in args.loads.split(",") if x]}
    with tempfile.TemporaryDirectory(prefix="pandu-bench-") as tmp:
        workdir = Path(tmp)
        model = args.model
        if args.train:
            results["training_s"] = train(workdir / "models", force=True)
            model = newest_model(workdir / "models")
        model = model or newest_model(ROOT / "models")
        if model is None or not Path(model).exists():
            print("no model: run `make train` first or pass --train / --model", file=sys.stderr)
            return 2
        results["model"] = Path(model).name
        results["sequential"] = run_sequential(
            workdir, Path(model), args.sequential, not args.skip_moodbot, args.moodbot
        )
        if not args.skip_cluster:
            server = os.environ.get(ENV_DATABASE) or "postgresql://postgres@127.0.0.1:5432/postgres"
            redis_url = os.environ.get(ENV_REDIS) or "redis://127.0.0.1:6379/12"
            database_url, drop = scratch_database(server)
            try:
                results["scale"] = run_scale(
                    workdir, Path(model), database_url, redis_url, results["loads"], args.repeats
                )
                results["fault"] = results["scale"].pop("fault")
            finally:
                drop()
    results["load_end"] = load_average()
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    phases = [*results["sequential"]["phases"].values(), *results.get("scale", {}).get("phases", {}).values()]
    return 0 if all(p["errors"] == 0 for p in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
