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
PANDU_RASA_PORT (5005), PANDU_ACTIONS_PORT (5055), PANDU_MODELS_DIR (models), PANDU_READY_TIMEOUT
(seconds, 300); the security settings (PANDU_CORS, PANDU_RASA_TOKEN, PANDU_RASA_JWT_SECRET,
PANDU_ACTIONS_HOST, PANDU_ACTIONS_SECRET, PANDU_GATEWAY_SECRET) and their policy are in
`bot.security.config` and docs/security.md.
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

from bot.security import config as security

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[pandu] {message}", flush=True)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    cors: str = ""  # browser origins of the widget's pages (comma-separated); never the API
    # Rasa's HTTP API always needs a token (or a JWT secret): random unless given.
    rasa_token: Optional[str] = field(default_factory=security.new_secret)
    rasa_jwt_secret: Optional[str] = None
    actions_host: str = "127.0.0.1"  # the action server stays on loopback unless told otherwise
    actions_secret: str = field(default_factory=security.new_secret)  # Rasa -> action server
    gateway_secret: str = field(default_factory=security.new_secret)  # Telegram gateway -> Rasa
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
        """Settings of `make run`; raises security.SecurityConfigError for an unsafe combination."""
        env = os.environ
        security.check_environment(env)
        jwt_secret = env.get("PANDU_RASA_JWT_SECRET") or None
        token = env.get("PANDU_RASA_TOKEN") or None
        if token is None and jwt_secret is None:
            from bot.db import data_dir

            token = security.local_token(data_dir())  # loopback only (checked above)
        return cls(
            host=env.get("PANDU_HOST", "127.0.0.1"),
            rasa_port=int(env.get("PANDU_RASA_PORT", "5005")),
            actions_port=int(env.get("PANDU_ACTIONS_PORT", "5055")),
            cors=env.get("PANDU_CORS", ""),
            rasa_token=token,
            rasa_jwt_secret=jwt_secret,
            actions_host=env.get("PANDU_ACTIONS_HOST", "127.0.0.1"),
            actions_secret=env.get("PANDU_ACTIONS_SECRET") or security.new_secret(),
            gateway_secret=env.get("PANDU_GATEWAY_SECRET") or security.new_secret(),
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
    # BaseLoader: `${PANDU_ACTIONS_SECRET}` stays a placeholder for Rasa to fill in (Rasa's YAML
    # reader expands it; a loader that Rasa patched in this process would expand it here).
    config = yaml.load(settings.endpoints.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    action_endpoint = {**(config.get("action_endpoint") or {}), "url": f"{settings.actions_url}/webhook"}
    config["action_endpoint"] = action_endpoint
    path = folder / f"endpoints.{settings.rasa_port}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@register_service
def action_server(settings: Settings) -> Service:
    # Shared secret on every request, bounded bodies, loopback by default (bot/security/action_server.py);
    # its /health answers 401 without the secret, which counts as "up" for the readiness check.
    command = [sys.executable, "-m", "bot.security.action_server", "--actions", "actions"]
    command += ["--host", settings.actions_host, "--port", str(settings.actions_port)]
    return Service(
        name="action server",
        command=command,
        ready_url=f"{settings.actions_url}/health",
        env={
            "PANDU_ACTIONS_SECRET": settings.actions_secret,
            **security.sanic_limit(security.ACTIONS_MAX_REQUEST_BYTES),
        },
    )


@register_service
def rasa_server(settings: Settings) -> Service:
    model = settings.model or settings.models_dir
    # bot.security.rasa_server hands the API token / JWT secret to Rasa from the environment (a
    # command line is readable by every user of the machine). No --cors: the API answers no browser;
    # the widget's endpoint allows the PANDU_CORS origins itself.
    command = [
        sys.executable,
        "-m",
        "bot.security.rasa_server",
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--interface",
        settings.host,
        "--port",
        str(settings.rasa_port),
        "--endpoints",
        str(endpoints_for(settings)),
        "--credentials",
        str(settings.credentials),
    ]
    env = {
        "PANDU_ACTIONS_SECRET": settings.actions_secret,
        "PANDU_GATEWAY_SECRET": settings.gateway_secret,
        "PANDU_CORS": settings.cors,
        "PANDU_RASA_TOKEN": settings.rasa_token or "",
        "PANDU_RASA_JWT_SECRET": settings.rasa_jwt_secret or "",
        **security.sanic_limit(security.RASA_MAX_REQUEST_BYTES),
        **_trouble_reply_env(settings),
    }
    # "/" answers only once the model is loaded (Rasa loads it before the server starts).
    return Service(name="rasa server", command=command, ready_url=f"{settings.rasa_url}/", env=env)


def _trouble_reply_env(settings: Settings) -> dict[str, str]:
    """PANDU_PESAN_GANGGUAN for the channels: the apology with the office contacts (bot.gangguan)."""
    from bot.gangguan import pesan_gangguan

    return {"PANDU_PESAN_GANGGUAN": pesan_gangguan({**os.environ, **settings.env})}


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
        if settings.rasa_token and not os.environ.get("PANDU_RASA_TOKEN"):
            from bot.db import data_dir

            log(f"Rasa HTTP API token (local tools, ?token=...): {data_dir() / security.TOKEN_FILE}")
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
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PANDU_ACTIONS_SECRET": settings.actions_secret}
        return subprocess.run(command, cwd=ROOT, env=env).returncode
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
    try:
        settings = Settings.from_env()
    except security.SecurityConfigError as exc:
        log(f"refusing to start: {exc}")
        return 2
    try:
        return shell(settings, not args.no_prepare) if args.shell else run(settings, not args.no_prepare)
    except subprocess.CalledProcessError as exc:
        log(f"error: {' '.join(map(str, exc.cmd))} failed with code {exc.returncode}")
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
