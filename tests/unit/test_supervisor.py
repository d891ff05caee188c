"""bot/supervisor.py: ports checked first, crashed services restarted with backoff, given up after
repeated crashes, one status line per service. Real processes on 127.0.0.1."""

from __future__ import annotations

import socket
import sys
import time

import pytest

from bot.run import free_port
from bot.supervisor import PortInUse, RestartPolicy, Service, ServiceFailed, Supervisor


def http_service(name: str, port: int, group: str | None = None) -> Service:
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return Service(
        name=name,
        command=command,
        ready_url=f"http://127.0.0.1:{port}/",
        listens=(("127.0.0.1", port),),
        group=group,
    )


def crashing_service(tmp_path, name: str = "crasher", code: int = 3) -> Service:
    """Notes each start in a file (one line per start), runs a moment (so it is up), exits with `code`."""
    counter = tmp_path / f"{name}.starts"
    script = (
        "import sys, time; open(sys.argv[1], 'a').write('x\\n'); time.sleep(0.3); sys.exit(int(sys.argv[2]))"
    )
    return Service(name=name, command=[sys.executable, "-c", script, str(counter), str(code)])


def starts(tmp_path, name: str = "crasher") -> int:
    path = tmp_path / f"{name}.starts"
    return path.read_text().count("\n") if path.exists() else 0


def test_a_taken_port_is_reported_before_anything_starts(tmp_path, capsys):
    port = free_port()
    other = free_port()
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        supervisor = Supervisor(
            [http_service("first", other), http_service("second", port)], log_dir=tmp_path
        )
        with pytest.raises(PortInUse, match=rf"127.0.0.1:{port} \(second\)"):
            supervisor.start()
    assert supervisor.processes == []  # "first" was never started
    assert "starting" not in capsys.readouterr().out


def test_a_crashed_service_is_restarted_with_backoff_and_logged(tmp_path, capsys):
    policy = RestartPolicy(max_restarts=5, window_s=60, backoff_initial_s=0.2, backoff_max_s=0.4)
    steady = http_service("steady", free_port())
    supervisor = Supervisor([steady, crashing_service(tmp_path)], log_dir=tmp_path, restart=policy)
    with supervisor:
        steady_pid = supervisor.pid("steady")
        deadline = time.monotonic() + 20
        while starts(tmp_path) < 3 and time.monotonic() < deadline:
            assert supervisor.poll() is None
            time.sleep(0.05)
        assert starts(tmp_path) >= 3
        assert supervisor.pid("steady") == steady_pid  # the others keep running
    out = capsys.readouterr().out
    assert "crasher exited with code 3; restarting in 0.2 s (crash 1 of 5 allowed in 60 s)" in out
    assert "crash 2 of 5" in out


def test_repeated_crashes_stop_with_a_clear_message(tmp_path, capsys):
    policy = RestartPolicy(max_restarts=2, window_s=60, backoff_initial_s=0.05, backoff_max_s=0.1)
    supervisor = Supervisor([crashing_service(tmp_path, code=7)], log_dir=tmp_path, restart=policy)
    with supervisor:
        assert supervisor.wait(interval=0.05) == 7
    assert starts(tmp_path) == 3  # the first start and two restarts
    out = capsys.readouterr().out
    assert (
        "crasher exited with code 7 and crashed 3 times in 60 s: not restarting it; stopping everything"
        in out
    )
    assert "crasher.log" in out  # where to look


def test_backoff_doubles_up_to_its_maximum():
    policy = RestartPolicy(backoff_initial_s=1, backoff_max_s=30)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def test_crashes_outside_the_window_are_forgotten(tmp_path):
    now = [0.0]
    policy = RestartPolicy(max_restarts=1, window_s=10, backoff_initial_s=0, backoff_max_s=0)
    supervisor = Supervisor(
        [crashing_service(tmp_path)], log_dir=tmp_path, restart=policy, clock=lambda: now[0]
    )
    with supervisor:
        entry = supervisor.processes[0]
        for _ in range(4):  # one crash every 20 s: never two within 10 s
            deadline = time.monotonic() + 10
            while entry.state != "waiting to restart":
                assert supervisor.poll() is None
                assert time.monotonic() < deadline
                time.sleep(0.02)
            now[0] += 20
            assert supervisor.poll() is None  # started again, not given up
        restarts = entry.restarts
    assert restarts == 4 and starts(tmp_path) >= 4


def test_a_group_starts_together_and_status_has_one_line_per_service(tmp_path):
    ports = [free_port(), free_port(), free_port()]
    services = [
        http_service("rasa server 1", ports[0], group="rasa"),
        http_service("rasa server 2", ports[1], group="rasa"),
        http_service("load balancer", ports[2]),
    ]
    with Supervisor(services, log_dir=tmp_path) as supervisor:
        lines = supervisor.status_lines()
    assert len(lines) == 3
    assert lines[0].startswith("rasa server 1  up") and f"127.0.0.1:{ports[0]}" in lines[0]
    assert "pid " in lines[2]


def test_a_service_that_dies_while_starting_names_its_log(tmp_path):
    ok = http_service("ok", free_port())
    broken = Service(
        name="broken", command=[sys.executable, "-c", "raise SystemExit(3)"], ready_url="http://127.0.0.1:9/"
    )
    supervisor = Supervisor([ok, broken], log_dir=tmp_path)
    with pytest.raises(
        ServiceFailed, match=r"broken exited with code 3 while starting \(log: .*broken.log\)"
    ):
        with supervisor:
            pass
    assert supervisor.processes == []


def test_a_killed_service_is_named_with_its_signal(tmp_path, capsys):
    import os
    import signal

    policy = RestartPolicy(max_restarts=1, window_s=60, backoff_initial_s=0.1, backoff_max_s=0.1)
    service = http_service("victim", free_port())
    with Supervisor([service], log_dir=tmp_path, restart=policy) as supervisor:
        os.killpg(supervisor.pid("victim"), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while "victim was killed by SIGKILL; restarting" not in capsys.readouterr().out:
            assert supervisor.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
