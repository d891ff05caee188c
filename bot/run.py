"""`make run` / `make shell`: prepare everything, then run the assistant's processes together.

    python -m bot.run                        knowledge base, model, then every configured service
    python -m bot.run --shell                the same preparation, action server, then `rasa shell`
    python -m bot.run --service rasa-server  one service in the foreground (systemd units, deploy/)

Steps: (1) check the database (one-line error when it is unreachable; a missing PostgreSQL
database is created), then `python -m bot kb load` (migrates, loads the curated YAML; idempotent);
(2) `rasa train`, which fingerprints config, domain and data and skips when the newest model in
`models/` already matches them; (3) check every port, then start the services in order, each
waiting until it answers, and print one status line per service; (4) supervise: a crashed service
is restarted with backoff (bot/supervisor.py); one that keeps crashing stops everything with a
message; Ctrl-C / SIGTERM stops all of them (SIGTERM, then SIGKILL).

Services are a list: other parts add theirs with `register_service(factory)`, where the factory
gets the `Settings` and returns a `Service`, or None when it is not configured (for instance the
Telegram gateway without TELEGRAM_BOT_TOKEN). `Supervisor` is also what the e2e tests and the
benchmark use to start servers on free ports. With PANDU_RASA_PROCESSES > 1 the action server and
the Rasa server become several processes behind nginx (bot/cluster.py).

Settings come from the environment (see docs/dialogue.md, .env.example): PANDU_HOST (127.0.0.1),
PANDU_RASA_PORT (5005), PANDU_ACTIONS_PORT (5055), PANDU_MODELS_DIR (models), PANDU_READY_TIMEOUT
(seconds, 300), PANDU_RASA_PROCESSES (1); the security settings (PANDU_CORS, PANDU_RASA_TOKEN,
PANDU_RASA_JWT_SECRET, PANDU_ACTIONS_HOST, PANDU_ACTIONS_SECRET, PANDU_GATEWAY_SECRET) and their
policy are in `bot.security.config` and docs/security.md.
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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

import yaml

from bot import cluster, preflight
from bot import supervisor as supervision
from bot.security import config as security
from bot.supervisor import ROOT, RestartPolicy, Service, ServiceFailed, log

__all__ = ["ROOT", "Service", "Settings", "Supervisor", "register_service", "log"]


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
    rasa_processes: int = 1  # > 1: several Rasa processes and action servers behind nginx

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
            rasa_processes=max(1, int(env.get("PANDU_RASA_PROCESSES", "1") or "1")),
        )

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


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
        listens=((settings.actions_host, settings.actions_port),),
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
    return Service(
        name="rasa server",
        command=command,
        ready_url=f"{settings.rasa_url}/",
        env=env,
        listens=((settings.host, settings.rasa_port),),
    )


def _trouble_reply_env(settings: Settings) -> dict[str, str]:
    """PANDU_PESAN_GANGGUAN for the channels: the apology with the office contacts (bot.gangguan)."""
    from bot.gangguan import pesan_gangguan

    return {"PANDU_PESAN_GANGGUAN": pesan_gangguan({**os.environ, **settings.env})}


# --- supervision -----------------------------------------------------------------------------
class Supervisor(supervision.Supervisor):
    """`bot.supervisor.Supervisor` configured from `Settings` (environment, logs, readiness timeout);
    without a list of services it runs every configured one (`build_services`)."""

    def __init__(
        self,
        settings: Settings,
        services: Optional[list[Service]] = None,
        quiet: bool = False,
        restart: Optional[RestartPolicy] = None,
    ):
        super().__init__(
            services if services is not None else build_services(settings),
            env=settings.env,
            log_dir=settings.log_dir,
            ready_timeout=settings.ready_timeout,
            quiet=quiet,
            restart=restart,
        )
        self.settings = settings


CORE_FACTORIES = (action_server, rasa_server)


def core_services(settings: Settings, layout: Optional[cluster.Layout] = None) -> list[Service]:
    """The action server and the Rasa server; with `rasa_processes` > 1, several of each behind
    nginx (`layout` defaults to the fixed ports of bot/cluster.py)."""
    if settings.rasa_processes <= 1:
        return [action_server(settings), rasa_server(settings)]
    return cluster.cluster_services(
        settings,
        layout or cluster.layout_for(settings),
        rasa_server=rasa_server,
        action_server=action_server,
    )


def optional_services(settings: Settings) -> tuple[list[Service], list[str]]:
    """The services of SERVICE_MODULES that are configured, and the names of those that are not."""
    for module in SERVICE_MODULES:
        importlib.import_module(module)
    configured, off = [], []
    for factory in SERVICE_FACTORIES:
        if factory in CORE_FACTORIES:
            continue
        service = factory(settings)
        if service is None:
            off.append((factory.__doc__ or factory.__name__.replace("_", " ")).strip().splitlines()[0])
        else:
            configured.append(service)
    return configured, off


def build_services(settings: Settings, layout: Optional[cluster.Layout] = None) -> list[Service]:
    """The configured services: the action server, the Rasa server, then those of SERVICE_MODULES."""
    return core_services(settings, layout) + optional_services(settings)[0]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_settings(
    workdir: Path,
    model: Path,
    credentials: Optional[Path] = None,
    env: Optional[dict[str, str]] = None,
    database_url: Optional[str] = None,
    rasa_processes: int = 1,
) -> Settings:
    """Settings for a private assistant (tests, benchmark): free ports on 127.0.0.1, its own database
    loaded from knowledge/ (knowledge base and tracker store; SQLite under `workdir` unless
    `database_url` is given), logs under `workdir`."""
    from bot.db import dispose
    from bot.knowledge.loader import load

    workdir.mkdir(parents=True, exist_ok=True)
    database_url = database_url or f"sqlite:///{workdir / 'pandu_izin.db'}"
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
        rasa_processes=rasa_processes,
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


def free_layout(settings: Settings) -> cluster.Layout:
    """A cluster layout on free ports (tests, benchmark): the balancer on the settings' ports."""
    count = settings.rasa_processes
    return cluster.Layout(
        host="127.0.0.1",
        rasa_port=settings.rasa_port,
        actions_port=settings.actions_port,
        rasa_backends=tuple(free_port() for _ in range(count)),
        action_backends=tuple(free_port() for _ in range(count)),
    )


# --- preparation ----------------------------------------------------------------------------
class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) during a preparation step; the step's process was stopped."""

    def __init__(self, step: str):
        super().__init__(step)
        self.step = step


def _run_step(step: str, command: list[str], env: Optional[dict[str, str]] = None) -> None:
    """Run a preparation command; on Ctrl-C stop it (and only it) quietly and raise `Interrupted`.

    The command runs in its own session, so the terminal's Ctrl-C reaches only us: the child gets a
    SIGTERM instead of a KeyboardInterrupt traceback, and we report one line.
    """
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        raise Interrupted(step) from None
    if code:
        raise subprocess.CalledProcessError(code, command)


def _setting(settings: Settings, name: str, default: str = "") -> str:
    """A variable as the services will see it: the settings' extra environment wins."""
    return (settings.env.get(name) or os.environ.get(name) or default).strip()


def check_database(settings: Settings) -> None:
    """One-line errors for an unusable DATABASE_URL / TRACKER_DATABASE_URL (before anything runs)."""
    from bot.db import database_url

    urls = {
        "DATABASE_URL": _setting(settings, "DATABASE_URL") or database_url(),
        "TRACKER_DATABASE_URL": _setting(settings, "TRACKER_DATABASE_URL"),
    }
    for name, value in urls.items():
        if value:
            note = preflight.check_database(value, setting=name)
            if note:
                log(note)


def check_cluster(settings: Settings) -> None:
    if settings.rasa_processes <= 1:
        return
    tracker_url = _setting(settings, "TRACKER_DATABASE_URL") or _setting(settings, "DATABASE_URL", "sqlite")
    preflight.check_cluster(tracker_url, _setting(settings, "PANDU_REDIS_URL") or None, cluster.nginx_bin())


def load_knowledge() -> None:
    log("building the knowledge base (python -m bot kb load)")
    _run_step("loading the knowledge base", [sys.executable, "-m", "bot", "kb", "load"])


def train(models_dir: Path, force: bool = False) -> float:
    """`rasa train` (skips when the newest model matches config, domain and data); returns seconds."""
    log(f"training the model into {models_dir} (skipped by Rasa when nothing changed)")
    command = [rasa_bin(), "train", "--out", str(models_dir)]
    command += ["--config", "config.yml", "--domain", "domain.yml", "--data", "data"]
    if force:
        command.append("--force")
    started = time.monotonic()
    _run_step("training", command, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - started
    log(f"model ready ({seconds:.0f} s)")
    return seconds


def newest_model(models_dir: Path) -> Optional[Path]:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def prepare(settings: Settings) -> None:
    check_database(settings)
    check_cluster(settings)
    load_knowledge()
    train(settings.models_dir)
    if newest_model(settings.models_dir) is None and settings.model is None:
        raise preflight.PreflightError(f"no model in {settings.models_dir}")


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


def _print_status(supervisor: Supervisor, off: list[str]) -> None:
    for line in supervisor.status_lines():
        log(f"status: {line}")
    for description in off:
        log(f"status: {description}")


def run(settings: Settings, prepare_first: bool = True, restart: Optional[RestartPolicy] = None) -> int:
    """Prepare, start every configured service, supervise until Ctrl-C or a service gives up."""
    _install_signal_handlers()
    if prepare_first:
        prepare(settings)
    else:
        check_cluster(settings)
    extra, off = optional_services(settings)
    supervisor = Supervisor(settings, core_services(settings) + extra, restart=restart or RestartPolicy())
    try:
        supervisor.start()
        _print_status(supervisor, off)
        log(f"ready: POST {settings.rasa_url}/webhooks/rest/webhook  (Ctrl-C stops everything)")
        log(f"website chat widget demo: {settings.rasa_url}/webhooks/webchat/demo")
        for service in supervisor.services:
            if service.url:
                log(f"{service.name}: {service.url}")
        if settings.rasa_token and not os.environ.get("PANDU_RASA_TOKEN"):
            from bot.db import data_dir

            log(f"Rasa HTTP API token (local tools, ?token=...): {data_dir() / security.TOKEN_FILE}")
        code = supervisor.wait()
        _print_status(supervisor, [])
        return code
    except KeyboardInterrupt:
        log("stopping (Ctrl-C)")
        return 0
    except (RuntimeError, ServiceFailed) as exc:
        log(f"error: {exc}")
        return 1
    finally:
        _stop_uninterrupted(supervisor)


def shell(settings: Settings, prepare_first: bool = True) -> int:
    """The action server in the background, `rasa shell` in the foreground."""
    _install_signal_handlers()
    if prepare_first:
        prepare(settings)
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


def service_names(settings: Settings) -> dict[str, ServiceFactory]:
    """`--service` names ("rasa-server", "action-server", "staff-api", ...) -> their factories."""
    for module in SERVICE_MODULES:
        importlib.import_module(module)
    return {factory.__name__.replace("_", "-"): factory for factory in SERVICE_FACTORIES}


def exec_service(settings: Settings, name: str, port: Optional[int], host: Optional[str] = None) -> int:
    """Replace this process by one service (the systemd units of deploy/ run each process so)."""
    factories = service_names(settings)
    if host:
        settings = replace(settings, host=host)
    if name not in factories:
        log(f"error: unknown service {name!r}; one of: {', '.join(sorted(factories))}")
        return 2
    if port is not None:
        if name == "rasa-server":
            settings = replace(settings, rasa_port=port)
        elif name == "action-server":
            settings = replace(settings, actions_port=port)
        else:
            log("error: --port applies to rasa-server and action-server")
            return 2
    service = factories[name](settings)
    if service is None:
        log(f"error: {name} is not configured: {(factories[name].__doc__ or '').strip().splitlines()[0]}")
        return 2
    # Each process of a unit-per-process deployment reads the environment on its own: a secret two
    # of them share must come from there, not be drawn at random in each.
    shared = {
        "PANDU_ACTIONS_SECRET": os.environ.get("PANDU_ACTIONS_SECRET"),
        "PANDU_GATEWAY_SECRET": os.environ.get("PANDU_GATEWAY_SECRET"),
    }
    missing = [name for name, value in shared.items() if not value]
    if missing:
        log(f"error: set {', '.join(missing)} in the environment file (deploy/): all processes share it")
        return 2
    supervision.check_ports([service])
    env = {**os.environ, "PYTHONPATH": str(ROOT), **settings.env, **service.env}
    os.chdir(service.cwd)
    sys.stdout.flush()
    os.execvpe(service.command[0], service.command, env)
    return 0  # not reached


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.run", description=__doc__.split("\n")[0])
    parser.add_argument("--shell", action="store_true", help="talk in the terminal instead of serving REST")
    parser.add_argument("--no-prepare", action="store_true", help="skip kb load and training")
    parser.add_argument(
        "--service", help="run one service in the foreground (rasa-server, action-server, staff-api, ...)"
    )
    parser.add_argument("--port", type=int, help="with --service: the port of that Rasa or action server")
    parser.add_argument("--host", help="with --service: the interface to listen on (default PANDU_HOST)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except security.SecurityConfigError as exc:
        log(f"refusing to start: {exc}")
        return 2
    try:
        if args.service:
            return exec_service(settings, args.service, args.port, args.host)
        if args.shell:
            return shell(settings, not args.no_prepare)
        return run(settings, not args.no_prepare)
    except Interrupted as exc:
        log(f"stopped during {exc.step} (Ctrl-C); nothing is running. The next `make run` starts over.")
        return 130
    except KeyboardInterrupt:
        log("stopped (Ctrl-C)")
        return 130
    except (preflight.PreflightError, supervision.PortInUse, ValueError) as exc:
        log(f"error: {exc}")
        return 1
    except subprocess.CalledProcessError as exc:
        log(f"error: {' '.join(map(str, exc.cmd))} failed with code {exc.returncode}")
        return exc.returncode or 1


if __name__ == "__main__":
    # `python -m bot.run` executes this file as `__main__`, a second copy of the module: the service
    # modules register into `bot.run` (SERVICE_FACTORIES), so run `bot.run`'s main, not this copy's.
    from bot.run import main as run_main

    sys.exit(run_main())
