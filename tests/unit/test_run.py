"""`make run`'s supervisor: services start in order, wait until ready, and stop together."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

from bot import run
from bot.run import Service, Settings, Supervisor, endpoints_for, free_port


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
    with pytest.raises(RuntimeError, match="broken exited with code 3"):
        with supervisor:
            pass
    assert supervisor.running == []


def test_wait_returns_when_a_service_exits(tmp_path):
    quick = Service(name="quick", command=[sys.executable, "-c", "raise SystemExit(5)"])
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
