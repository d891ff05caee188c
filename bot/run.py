"""`make run` / `make shell`: prepare everything, then run the assistant's processes together.

    python -m bot.run            knowledge base, model, action server + Rasa server (REST :5005)
    python -m bot.run --shell    the same preparation, action server, then `rasa shell`

Steps: (1) `python -m bot kb load` (migrates, then loads the curated YAML; idempotent);
(2) `rasa train`, which fingerprints config, domain and data and skips when the newest model in
`models/` already matches them; (3) start the services in order, each waiting until it answers;
(4) on Ctrl-C / SIGTERM, or when one service dies, stop all of them (SIGTERM, then SIGKILL).

Services are a list: other parts add theirs with `register_service(factory)`, where the factory
gets the `Settings` and returns a `Service`, or None when it is not configured (for instance the
Telegram gateway without TELEGRAM_BOT_TOKEN). `Supervisor` is also what the e2e tests and the
benchmark use to start servers on free ports.

Settings come from the environment (see docs/dialogue.md): PANDU_HOST (127.0.0.1),
PANDU_RASA_PORT (5005), PANDU_ACTIONS_PORT (5055), PANDU_CORS ("*"), PANDU_RASA_TOKEN (API token,
optional), PANDU_MODELS_DIR (models), PANDU_READY_TIMEOUT (seconds, 300).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[pandu] {message}", flush=True)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    cors: str = "*"
    rasa_token: Optional[str] = None
    models_dir: Path = ROOT / "models"
    model: Optional[Path] = None  # a model file; default: the newest in models_dir
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"
    ready_timeout: float = 300.0
    env: dict[str, str] = field(default_factory=dict)  # extra environment for every service
    state_dir: Optional[Path] = None  # generated files (endpoints copy); default: the data directory
    log_dir: Optional[Path] = None  # one <service>.log each; default: the terminal

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            host=env.get("PANDU_HOST", "127.0.0.1"),
            rasa_port=int(env.get("PANDU_RASA_PORT", "5005")),
            actions_port=int(env.get("PANDU_ACTIONS_PORT", "5055")),
            cors=env.get("PANDU_CORS", "*"),
            rasa_token=env.get("PANDU_RASA_TOKEN") or None,
            models_dir=Path(env.get("PANDU_MODELS_DIR", str(ROOT / "models"))),
            ready_timeout=float(env.get("PANDU_READY_TIMEOUT", "300")),
        )

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


@dataclass
class Service:
    """One long-running process and how to know it is ready."""

    name: str
    command: list[str]
    ready_url: Optional[str] = None  # polled until it answers (any HTTP status below 500)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT
    url: Optional[str] = None  # printed once everything runs (e.g. the staff console's address)


ServiceFactory = Callable[[Settings], Optional[Service]]
SERVICE_FACTORIES: list[ServiceFactory] = []
# Modules that add services with `register_service` when imported (staff API, Telegram, webchat).
SERVICE_MODULES: tuple[str, ...] = (
    "bot.api.service",
    "bot.channels.telegram.service",
    "bot.konsol.service",
    "bot.tindak_lanjut.service",  # complaint deadlines, escalation, status notifications
)


def register_service(factory: ServiceFactory) -> ServiceFactory:
    """Add a service to `make run` (usable as a decorator); services start in registration order."""
    SERVICE_FACTORIES.append(factory)
    return factory


# --- the two core services -------------------------------------------------------------------
def rasa_bin() -> str:
    """The `rasa` next to this interpreter (the project's virtualenv), else the one on PATH."""
    candidate = Path(sys.executable).with_name("rasa")
    return str(candidate) if candidate.exists() else "rasa"


def endpoints_for(settings: Settings) -> Path:
    """endpoints.yml, or a copy pointing at another action server port (under the data directory)."""
    if settings.actions_port == 5055 and settings.endpoints == ROOT / "endpoints.yml":
        return settings.endpoints
    if settings.state_dir is not None:
        folder = settings.state_dir
        folder.mkdir(parents=True, exist_ok=True)
    else:
        from bot.db import data_dir

        folder = data_dir()
    config = yaml.safe_load(settings.endpoints.read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {"url": f"{settings.actions_url}/webhook"}
    path = folder / f"endpoints.{settings.rasa_port}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@register_service
def action_server(settings: Settings) -> Service:
    return Service(
        name="action server",
        command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.actions_port)],
        ready_url=f"{settings.actions_url}/health",
        env={"SANIC_HOST": settings.host},
    )


@register_service
def rasa_server(settings: Settings) -> Service:
    model = settings.model or settings.models_dir
    command = [
        rasa_bin(),
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--cors",
        settings.cors,
        "--interface",
        settings.host,
        "--port",
        str(settings.rasa_port),
        "--endpoints",
        str(endpoints_for(settings)),
        "--credentials",
        str(settings.credentials),
    ]
    if settings.rasa_token:
        command += ["--auth-token", settings.rasa_token]
    # "/" answers only once the model is loaded (Rasa loads it before the server starts).
    return Service(name="rasa server", command=command, ready_url=f"{settings.rasa_url}/")


# --- supervision -----------------------------------------------------------------------------
def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False


class Supervisor:
    """Starts services in order, waits for each to answer, and stops them all together."""

    def __init__(self, settings: Settings, services: Optional[list[Service]] = None, quiet: bool = False):
        self.settings = settings
        self.services = services if services is not None else build_services(settings)
        self.quiet = quiet
        self.running: list[tuple[Service, subprocess.Popen]] = []
        self._files: list[Any] = []

    def log_file(self, name: str) -> Path:
        assert self.settings.log_dir is not None
        return self.settings.log_dir / f"{name.replace(' ', '_')}.log"

    def start(self) -> None:
        for service in self.services:
            self._start_one(service)

    def _start_one(self, service: Service) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.settings.env, **service.env}
        output: Any = subprocess.DEVNULL if self.quiet else None
        if self.settings.log_dir is not None:
            self.settings.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_file(service.name), "ab")  # noqa: SIM115 (closed in stop())
            self._files.append(output)
        log(f"starting {service.name}: {' '.join(service.command)}")
        # Own process group: Ctrl-C reaches the supervisor only, which then stops services in order.
        process = subprocess.Popen(
            service.command,
            cwd=service.cwd,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT if output not in (None, subprocess.DEVNULL) else output,
        )
        self.running.append((service, process))
        if service.ready_url:
            deadline = time.monotonic() + self.settings.ready_timeout
            while not _answers(service.ready_url):
                if process.poll() is not None:
                    raise RuntimeError(f"{service.name} exited with code {process.returncode} while starting")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{service.name} not ready after {self.settings.ready_timeout:.0f} s")
                time.sleep(0.5)
        log(f"{service.name} ready (pid {process.pid})")

    def pid(self, name: str) -> Optional[int]:
        for service, process in self.running:
            if service.name == name:
                return process.pid
        return None

    def wait(self) -> int:
        """Block until a service exits; returns its exit code."""
        while True:
            for service, process in self.running:
                code = process.poll()
                if code is not None:
                    log(f"{service.name} exited with code {code}")
                    return code or 1
            time.sleep(0.5)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every service (newest first), then SIGKILL what is still running after `timeout`."""
        for service, process in reversed(self.running):
            if process.poll() is None:
                log(f"stopping {service.name}")
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for service, process in reversed(self.running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{service.name} did not stop, killing it")
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        self.running.clear()
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


def build_services(settings: Settings) -> list[Service]:
    """The configured services: the action server, the Rasa server, then those of SERVICE_MODULES."""
    for module in SERVICE_MODULES:
        importlib.import_module(module)
    return [s for s in (factory(settings) for factory in SERVICE_FACTORIES) if s is not None]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_settings(
    workdir: Path, model: Path, credentials: Optional[Path] = None, env: Optional[dict[str, str]] = None
) -> Settings:
    """Settings for a private assistant (tests, benchmark): free ports on 127.0.0.1, its own SQLite
    database under `workdir` loaded from knowledge/ (knowledge base and tracker store), logs there."""
    from bot.db import dispose
    from bot.knowledge.loader import load

    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{workdir / 'pandu_izin.db'}"
    load(url=database_url)
    dispose(database_url)  # the servers open their own connections
    return Settings(
        rasa_port=free_port(),
        actions_port=free_port(),
        cors="http://127.0.0.1",
        model=model,
        credentials=Path(credentials or ROOT / "credentials.yml"),
        state_dir=workdir,
        log_dir=workdir / "logs",
        env={
            "DATABASE_URL": database_url,
            "PANDU_DATA_DIR": str(workdir),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_WARN_20": "0",
            "PANDU_WILAYAH_DEFAULT": "",  # all regions unless asked otherwise
            **(env or {}),
        },
    )


# --- preparation ----------------------------------------------------------------------------
def load_knowledge() -> None:
    log("building the knowledge base (python -m bot kb load)")
    subprocess.run([sys.executable, "-m", "bot", "kb", "load"], cwd=ROOT, check=True)


def train(models_dir: Path, force: bool = False) -> float:
    """`rasa train` (skips when the newest model matches config, domain and data); returns seconds."""
    log(f"training the model into {models_dir} (skipped by Rasa when nothing changed)")
    command = [rasa_bin(), "train", "--out", str(models_dir)]
    command += ["--config", "config.yml", "--domain", "domain.yml", "--data", "data"]
    if force:
        command.append("--force")
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - started
    log(f"model ready ({seconds:.0f} s)")
    return seconds


def newest_model(models_dir: Path) -> Optional[Path]:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def _install_signal_handlers() -> None:
    def to_keyboard_interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a process started in the background of a script inherits SIGINT ignored.
    signal.signal(signal.SIGINT, to_keyboard_interrupt)
    signal.signal(signal.SIGTERM, to_keyboard_interrupt)


def _stop_uninterrupted(supervisor: Supervisor) -> None:
    """Stop every service; a second Ctrl-C (or SIGTERM) during the shutdown must not abort it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    supervisor.stop()


def run(settings: Settings, prepare: bool = True) -> int:
    if prepare:
        load_knowledge()
        train(settings.models_dir)
    _install_signal_handlers()
    supervisor = Supervisor(settings)
    try:
        supervisor.start()
        log(f"ready: POST {settings.rasa_url}/webhooks/rest/webhook  (Ctrl-C stops everything)")
        log(f"website chat widget demo: {settings.rasa_url}/webhooks/webchat/demo")
        for service in supervisor.services:
            if service.url:
                log(f"{service.name}: {service.url}")
        return supervisor.wait()
    except KeyboardInterrupt:
        log("stopping (Ctrl-C)")
        return 0
    except RuntimeError as exc:
        log(f"error: {exc}")
        return 1
    finally:
        _stop_uninterrupted(supervisor)


def shell(settings: Settings, prepare: bool = True) -> int:
    """The action server in the background, `rasa shell` in the foreground."""
    if prepare:
        load_knowledge()
        train(settings.models_dir)
    _install_signal_handlers()
    supervisor = Supervisor(settings, [action_server(settings)], quiet=True)
    try:
        supervisor.start()
        command = [rasa_bin(), "shell", "--model", str(settings.model or settings.models_dir)]
        command += ["--endpoints", str(endpoints_for(settings))]
        return subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}).returncode
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        log(f"error: {exc}")
        return 1
    finally:
        _stop_uninterrupted(supervisor)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.run", description=__doc__.split("\n")[0])
    parser.add_argument("--shell", action="store_true", help="talk in the terminal instead of serving REST")
    parser.add_argument("--no-prepare", action="store_true", help="skip kb load and training")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        return shell(settings, not args.no_prepare) if args.shell else run(settings, not args.no_prepare)
    except subprocess.CalledProcessError as exc:
        log(f"error: {' '.join(map(str, exc.cmd))} failed with code {exc.returncode}")
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
