"""`make run` (bot/run.py): services start in order, wait until ready, and stop together; the
configured services; one-line errors before anything starts; Ctrl-C during training."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from bot import run
from bot.run import Service, Settings, Supervisor, endpoints_for, free_port
from bot.supervisor import ServiceFailed


def http_service(name: str, port: int) -> Service:
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return Service(name=name, command=command, ready_url=f"http://127.0.0.1:{port}/")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is not running any more
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" not in status.read_text()


def test_services_start_in_order_and_stop_together(tmp_path):
    settings = Settings(ready_timeout=30, log_dir=tmp_path / "logs")
    services = [http_service("first", free_port()), http_service("second", free_port())]
    with Supervisor(settings, services) as supervisor:
        assert [s.name for s, _ in supervisor.running] == ["first", "second"]
        pids = [p.pid for _, p in supervisor.running]
        assert all(alive(pid) for pid in pids)
    assert not any(alive(pid) for pid in pids)
    assert (tmp_path / "logs" / "first.log").exists()


def test_a_service_that_dies_while_starting_stops_the_others(tmp_path):
    settings = Settings(ready_timeout=30, log_dir=tmp_path)
    ok = http_service("ok", free_port())
    broken = Service(
        name="broken", command=[sys.executable, "-c", "raise SystemExit(3)"], ready_url="http://127.0.0.1:9/"
    )
    supervisor = Supervisor(settings, [ok, broken])
    with pytest.raises(ServiceFailed, match="broken exited with code 3"):
        with supervisor:
            pass
    assert supervisor.running == []


def test_without_a_restart_policy_wait_returns_when_a_service_exits(tmp_path):
    exits_soon = "import time; time.sleep(0.3); raise SystemExit(5)"
    quick = Service(name="quick", command=[sys.executable, "-c", exits_soon])
    supervisor = Supervisor(Settings(log_dir=tmp_path), [quick])
    supervisor.start()
    try:
        assert supervisor.wait() == 5
    finally:
        supervisor.stop()


def test_endpoints_copy_points_at_the_chosen_action_server_port(tmp_path):
    settings = Settings(actions_port=6123, rasa_port=6124, state_dir=tmp_path)
    path = endpoints_for(settings)
    config = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:6123/webhook"
    # the shared secret stays a placeholder Rasa fills in from its environment
    assert config["action_endpoint"]["headers"]["Authorization"] == "Bearer ${PANDU_ACTIONS_SECRET}"
    assert "Authorization: Bearer ${PANDU_ACTIONS_SECRET}\n" in path.read_text()  # plain: Rasa expands it
    assert config["tracker_store"]["type"] == "bot.tracker_store.UrlSQLTrackerStore"
    assert endpoints_for(Settings()) == run.ROOT / "endpoints.yml"


def test_core_services_and_their_commands():
    origin = "https://dpmptsp.example.go.id"
    settings = Settings(rasa_port=7001, actions_port=7002, cors=origin, rasa_token="secret")
    names = [s.name for s in run.build_services(settings)]
    assert names[:2] == ["action server", "rasa server"]
    rasa = run.rasa_server(settings)
    assert rasa.command[1:4] == ["-m", "bot.security.rasa_server", "run"] and "--enable-api" in rasa.command
    assert rasa.command[rasa.command.index("--port") + 1] == "7001"
    # secrets travel in the environment, never on the command line (readable by every local user)
    assert "secret" not in " ".join(rasa.command) and "--cors" not in rasa.command
    assert rasa.env["PANDU_RASA_TOKEN"] == "secret" and rasa.env["PANDU_CORS"] == origin
    assert rasa.env["PANDU_ACTIONS_SECRET"] == settings.actions_secret
    actions = run.action_server(settings)
    assert actions.command[1:3] == ["-m", "bot.security.action_server"]
    assert actions.command[actions.command.index("--host") + 1] == "127.0.0.1"
    assert actions.env["PANDU_ACTIONS_SECRET"] == settings.actions_secret != settings.gateway_secret


def test_every_settings_object_has_its_own_random_secrets():
    first, second = Settings(), Settings()
    assert first.rasa_token and first.actions_secret and first.gateway_secret
    assert len({first.rasa_token, first.actions_secret, first.gateway_secret, second.actions_secret}) == 4


def test_registered_services_are_added_and_unconfigured_ones_left_out():
    def extra(settings: Settings) -> Service:
        return Service(name="extra", command=["true"])

    def unconfigured(settings: Settings) -> None:
        return None

    run.register_service(extra)
    run.register_service(unconfigured)
    try:
        assert [s.name for s in run.build_services(Settings())][-1] == "extra"
    finally:
        run.SERVICE_FACTORIES.remove(extra)
        run.SERVICE_FACTORIES.remove(unconfigured)


def test_python_m_bot_run_registers_into_the_module_it_runs(tmp_path):
    """`python -m bot.run` executes the file as `__main__`; the service modules register into
    `bot.run`. The entry point must use that registry (it once started neither the staff API nor the
    Telegram gateway although both were configured)."""
    probe = (
        "import runpy, sys\n"
        "import bot.run\n"
        "seen = {}\n"
        "def fake_run(settings, prepare_first=True, restart=None):\n"
        "    import bot.run as module\n"
        "    seen['names'] = [s.name for s in module.build_services(settings)]\n"
        "    return 0\n"
        "bot.run.run = fake_run\n"
        "sys.argv = ['bot.run', '--no-prepare']\n"
        "try:\n"
        "    runpy.run_module('bot.run', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(seen['names'])\n"
    )
    env = {**os.environ, "PANDU_API_TOKEN": "t0ken", "TELEGRAM_BOT_TOKEN": "123:abc"}
    env["PYTHONPATH"] = str(run.ROOT)
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "'staff api'" in result.stdout and "'telegram gateway'" in result.stdout


def test_unconfigured_optional_services_are_listed_as_off(monkeypatch):
    monkeypatch.delenv("PANDU_API_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    configured, off = run.optional_services(Settings())
    # The staff console and the follow-up worker need no token: they always run.
    assert [service.name for service in configured] == ["staff console", "follow-up worker"]
    assert "staff api: off (set PANDU_API_TOKEN to start it)" in off
    assert "telegram gateway: off (set TELEGRAM_BOT_TOKEN to start it)" in off


def test_every_service_says_which_ports_it_needs():
    settings = Settings(rasa_port=7001, actions_port=7002)
    assert run.rasa_server(settings).listens == (("127.0.0.1", 7001),)
    assert run.action_server(settings).listens == (("127.0.0.1", 7002),)


def _main_in_subprocess(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.run", *args],
        cwd=run.ROOT,
        env={**os.environ, "PYTHONPATH": str(run.ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_port_in_use_is_reported_before_anything_starts(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = _main_in_subprocess(
            {"PANDU_RASA_PORT": str(port), "PANDU_ACTIONS_PORT": str(free_port()), "PANDU_API_TOKEN": ""},
            "--no-prepare",
        )
    assert result.returncode == 1
    assert f"already in use: 127.0.0.1:{port} (rasa server)" in result.stdout
    assert "starting" not in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "DATABASE_URL is not a database URL"),
        ("mysql://root@127.0.0.1/x", "DATABASE_URL: unsupported database 'mysql'"),
        (
            "postgresql://pandu:secret@127.0.0.1:1/pandu_izin",
            "cannot use DATABASE_URL (postgresql://pandu:***@127.0.0.1:1/pandu_izin)",
        ),
    ],
)
def test_a_bad_database_url_is_one_line_without_traceback(tmp_path, url, expected):
    result = _main_in_subprocess({"DATABASE_URL": url, "PANDU_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if "error:" in line]
    assert len(errors) == 1 and expected in errors[0], result.stdout
    assert "secret" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_during_training_stops_it_and_exits_cleanly(tmp_path):
    """Ctrl-C reaches the whole terminal process group; training runs in its own session, so only
    `bot.run` sees it: it stops the training process and says so in one line."""
    fake_rasa = tmp_path / "rasa"
    marker = tmp_path / "training.pid"
    fake_rasa.write_text(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 60\n")
    fake_rasa.chmod(0o755)
    probe = (
        "import sys, bot.run as r\n"
        f"r.rasa_bin = lambda: {str(fake_rasa)!r}\n"
        "r.load_knowledge = lambda: None\n"
        "r.check_database = lambda settings: None\n"
        "sys.exit(r.main([]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", probe],
        cwd=run.ROOT,
        env={**os.environ, "PYTHONPATH": str(run.ROOT), "PANDU_MODELS_DIR": str(tmp_path / "models")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # like a terminal: SIGINT goes to the whole group
    )
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text().strip():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    training_pid = int(marker.read_text())
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "stopped during training (Ctrl-C); nothing is running" in out
    assert "Traceback" not in err
    assert not alive(training_pid)


def test_one_service_in_the_foreground_as_the_systemd_units_run_it(tmp_path):
    """`--service action-server --port N` becomes the action server itself (exec: same pid)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(run.ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        # the secrets every process of a deployment shares come from its environment file
        "PANDU_ACTIONS_SECRET": "rahasia-aksi",
        "PANDU_GATEWAY_SECRET": "rahasia-gerbang",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.run",
            "--service",
            "action-server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=run.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from bot.supervisor import answers

        deadline = time.monotonic() + 120
        while not answers(f"http://127.0.0.1:{port}/health"):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
        assert "bot.security.action_server" in Path(f"/proc/{process.pid}/cmdline").read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["--service", "no-such"],
            {},
            "unknown service 'no-such'; one of: action-server, follow-up-worker, rasa-server, staff-api, "
            "staff-console, telegram-gateway",
        ),
        (["--service", "staff-api"], {"PANDU_API_TOKEN": ""}, "staff-api is not configured"),
        (["--service", "staff-api", "--port", "1"], {}, "--port applies to rasa-server and action-server"),
        (
            ["--service", "action-server"],
            {"PANDU_ACTIONS_SECRET": "", "PANDU_GATEWAY_SECRET": ""},
            "set PANDU_ACTIONS_SECRET, PANDU_GATEWAY_SECRET in the environment file",
        ),
    ],
)
def test_service_mode_refuses_what_cannot_work_with_exit_code_2(args, env, expected):
    result = _main_in_subprocess(env, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stdout


def test_the_command_line_reports_an_unreachable_database_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "load"],
        cwd=run.ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(run.ROOT),
            "DATABASE_URL": "postgresql://pandu:secret@127.0.0.1:1/x",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: cannot use the database postgresql://pandu:***@127.0.0.1:1/x: connection to server at "
        '"127.0.0.1", port 1 failed: Connection refused'
    ]


def test_the_action_server_runs_spacy_without_tensorflow():
    """The action server keeps TensorFlow out (bot.security.action_server.without_tensorflow): spaCy
    still tokenizes, and the process stays small."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bot.security.action_server import without_tensorflow\n"
        "without_tensorflow()\n"
        "from bot.nlu.normalize import normalize\n"
        "assert 'bidan' in [t.norm for t in normalize('Syarat SIP bidan apa aja?')]\n"
        "assert sys.modules['tensorflow'] is None and 'spacy' in sys.modules\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
