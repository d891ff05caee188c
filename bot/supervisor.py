"""Runs the assistant's processes together: start in order, wait until each answers, restart the
ones that crash (with backoff), stop them all together.

    supervisor = Supervisor(services, log_dir=..., restart=RestartPolicy())
    with supervisor:                 # starts (ports checked first), stops on exit
        code = supervisor.wait()     # returns when a service gave up, or on Ctrl-C (KeyboardInterrupt)

A crashed service is started again after 1, 2, 4 ... s (at most `backoff_max_s`); a service that
crashes more than `max_restarts` times within `window_s` is not restarted: the supervisor says so
and `wait()` returns, so `make run` stops everything with a clear message instead of looping.
Without a `RestartPolicy` (tests, benchmark) the first exit ends `wait()`.

Every state change prints one line, and `status_lines()` gives one line per service.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[pandu] {message}", flush=True)


@dataclass
class Service:
    """One long-running process and how to know it is ready."""

    name: str
    command: list[str]
    ready_url: Optional[str] = None  # polled until it answers (any HTTP status below 500)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT
    # (host, port) pairs the service listens on: checked free before anything starts.
    listens: tuple[tuple[str, int], ...] = ()
    # Consecutive services of one group start together and are then waited for (several Rasa
    # processes load their models in parallel).
    group: Optional[str] = None
    url: Optional[str] = None  # printed once everything runs (e.g. the staff console's address)


@dataclass(frozen=True)
class RestartPolicy:
    max_restarts: int = 5  # crashes tolerated within `window_s`; one more and the service is given up
    window_s: float = 300.0
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0

    def delay(self, recent_crashes: int) -> float:
        return min(self.backoff_max_s, self.backoff_initial_s * 2 ** max(0, recent_crashes - 1))


class PortInUse(RuntimeError):
    """A port a service needs is taken (another `make run`, or an unrelated program)."""


class ServiceFailed(RuntimeError):
    """A service did not start, or crashed too often."""


@dataclass
class _Process:
    service: Service
    process: Optional[subprocess.Popen] = None
    state: str = "stopped"  # starting | up | waiting to restart | gave up | stopped
    since: float = field(default_factory=time.monotonic)
    crashes: deque = field(default_factory=deque)  # monotonic times of recent crashes
    restarts: int = 0
    restart_at: float = 0.0
    last_code: Optional[int] = None

    @property
    def pid(self) -> Optional[int]:
        return self.process.pid if self.process is not None else None


def _exit_reason(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when an HTTP GET of `url` gets any status below 500."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False


def port_is_free(host: str, port: int) -> bool:
    """Whether `host:port` can be bound now (SO_REUSEADDR, like the servers themselves)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def check_ports(services: list[Service]) -> None:
    """Raise `PortInUse` naming every taken port, before anything is started.

    Without this, a readiness check could reach an old server still running on the port and report
    a false "ready".
    """
    taken = [
        f"{host}:{port} ({service.name})"
        for service in services
        for host, port in service.listens
        if not port_is_free(host, port)
    ]
    if taken:
        raise PortInUse(
            "already in use: " + ", ".join(taken) + ". Is the assistant already running? Stop it, "
            "or choose other ports (PANDU_RASA_PORT, PANDU_ACTIONS_PORT, PANDU_API_PORT)."
        )


class Supervisor:
    """Starts services in order, waits for each to answer, restarts crashed ones, stops them all."""

    def __init__(
        self,
        services: list[Service],
        *,
        env: Optional[dict[str, str]] = None,
        log_dir: Optional[Path] = None,
        ready_timeout: float = 300.0,
        quiet: bool = False,
        restart: Optional[RestartPolicy] = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.services = services
        self.env = dict(env or {})
        self.log_dir = log_dir
        self.ready_timeout = ready_timeout
        self.quiet = quiet
        self.restart = restart
        self.clock = clock
        self.processes: list[_Process] = []
        self._files: list[Any] = []

    # --- starting ------------------------------------------------------------------------------
    @property
    def running(self) -> list[tuple[Service, subprocess.Popen]]:
        return [(p.service, p.process) for p in self.processes if p.process is not None]

    def log_file(self, name: str) -> Path:
        assert self.log_dir is not None
        return self.log_dir / f"{name.replace(' ', '_')}.log"

    def start(self) -> None:
        """Check every port, then start the services in order (a group together), each waited for."""
        check_ports(self.services)
        batch: list[_Process] = []
        for service in self.services:
            if batch and (service.group is None or service.group != batch[0].service.group):
                self._wait_ready(batch)
                batch = []
            entry = _Process(service)
            self.processes.append(entry)
            self._launch(entry)
            batch.append(entry)
        self._wait_ready(batch)

    def _launch(self, entry: _Process) -> None:
        service = entry.service
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env, **service.env}
        output: Any = subprocess.DEVNULL if self.quiet else None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_file(service.name), "ab")  # noqa: SIM115 (closed in stop())
            self._files.append(output)
        log(f"starting {service.name}: {' '.join(service.command)}")
        # Own process group: Ctrl-C reaches the supervisor only, which then stops services in order.
        entry.process = subprocess.Popen(
            service.command,
            cwd=service.cwd,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT if output not in (None, subprocess.DEVNULL) else output,
        )
        entry.state = "starting"
        entry.since = self.clock()

    def _wait_ready(self, batch: list[_Process]) -> None:
        deadline = time.monotonic() + self.ready_timeout
        waiting = list(batch)
        while waiting:
            for entry in list(waiting):
                if entry.process.poll() is not None:
                    raise ServiceFailed(
                        f"{entry.service.name} exited with code {entry.process.returncode} while starting"
                        + self._log_hint(entry.service)
                    )
                if not entry.service.ready_url or answers(entry.service.ready_url):
                    entry.state, entry.since = "up", self.clock()
                    log(f"{entry.service.name} ready (pid {entry.pid})")
                    waiting.remove(entry)
            if waiting:
                if time.monotonic() > deadline:
                    names = ", ".join(e.service.name for e in waiting)
                    raise ServiceFailed(f"{names} not ready after {self.ready_timeout:.0f} s")
                time.sleep(0.3)

    def _log_hint(self, service: Service) -> str:
        return f" (log: {self.log_file(service.name)})" if self.log_dir is not None else ""

    # --- running -------------------------------------------------------------------------------
    def pid(self, name: str) -> Optional[int]:
        for entry in self.processes:
            if entry.service.name == name:
                return entry.pid
        return None

    def poll(self) -> Optional[int]:
        """One round of supervision; returns an exit code when the supervisor should stop."""
        now = self.clock()
        for entry in self.processes:
            if entry.state in ("starting", "up"):
                code = entry.process.poll()
                if code is not None:
                    result = self._crashed(entry, code, now)
                    if result is not None:
                        return result
                elif entry.state == "starting" and (
                    not entry.service.ready_url or answers(entry.service.ready_url, timeout=0.5)
                ):
                    entry.state, entry.since = "up", now
                    log(f"{entry.service.name} ready again (pid {entry.pid}, restart {entry.restarts})")
                elif entry.state == "starting" and now - entry.since > self.ready_timeout:
                    self._terminate(entry)
                    result = self._crashed(entry, -1, now, why=f"not ready after {self.ready_timeout:.0f} s")
                    if result is not None:
                        return result
            elif entry.state == "waiting to restart" and now >= entry.restart_at:
                entry.restarts += 1
                self._launch(entry)
        return None

    def _crashed(self, entry: _Process, code: int, now: float, why: str = "") -> Optional[int]:
        name = entry.service.name
        entry.last_code = code
        reason = why or _exit_reason(code)
        if self.restart is None:
            entry.state = "stopped"
            log(f"{name} {reason}{self._log_hint(entry.service)}")
            return code or 1
        entry.crashes.append(now)
        while entry.crashes and now - entry.crashes[0] > self.restart.window_s:
            entry.crashes.popleft()
        if len(entry.crashes) > self.restart.max_restarts:
            entry.state = "gave up"
            log(
                f"{name} {reason} and crashed {len(entry.crashes)} times in "
                f"{self.restart.window_s:.0f} s: not restarting it; stopping everything"
                f"{self._log_hint(entry.service)}"
            )
            return code or 1
        delay = self.restart.delay(len(entry.crashes))
        entry.state, entry.restart_at = "waiting to restart", now + delay
        log(
            f"{name} {reason}; restarting in {delay:g} s "
            f"(crash {len(entry.crashes)} of {self.restart.max_restarts} allowed in "
            f"{self.restart.window_s:.0f} s){self._log_hint(entry.service)}"
        )
        return None

    def wait(self, interval: float = 0.5) -> int:
        """Supervise until a service exits for good; returns its exit code."""
        while True:
            code = self.poll()
            if code is not None:
                return code
            time.sleep(interval)

    def status_lines(self) -> list[str]:
        """One line per service: name, state, pid, address, restarts."""
        width = max((len(e.service.name) for e in self.processes), default=0)
        lines = []
        for entry in self.processes:
            parts = [f"{entry.service.name:<{width}}", f"{entry.state:<7}"]
            if entry.pid is not None and entry.state in ("starting", "up"):
                parts.append(f"pid {entry.pid}")
            parts += [f"{host}:{port}" for host, port in entry.service.listens]
            if entry.restarts:
                parts.append(f"restarted {entry.restarts}x")
            lines.append("  ".join(parts))
        return lines

    # --- stopping ------------------------------------------------------------------------------
    def _terminate(self, entry: _Process) -> None:
        if entry.process is not None and entry.process.poll() is None:
            try:
                os.killpg(entry.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every service (newest first), then SIGKILL what is still running after `timeout`."""
        live = [e for e in reversed(self.processes) if e.process is not None]
        for entry in live:
            if entry.process.poll() is None:
                log(f"stopping {entry.service.name}")
                self._terminate(entry)
        deadline = time.monotonic() + timeout
        for entry in live:
            try:
                entry.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{entry.service.name} did not stop, killing it")
                try:
                    os.killpg(entry.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                entry.process.wait(timeout=5)
            entry.state = "stopped"
        self.processes.clear()
        for file in self._files:
            file.close()
        self._files.clear()

    def __enter__(self) -> Supervisor:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
