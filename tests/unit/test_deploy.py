"""deploy/: the systemd units pass `systemd-analyze verify`, restart on failure, read the environment
file, and run services and ports that exist; the nginx sample balances the same ports."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot import cluster
from bot.run import Settings, service_names

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
NGINX_SITE = ROOT / "deploy" / "nginx" / "pandu-izin.conf"
INSTALL_DIR = "/opt/pandu-izin"
ENV_FILE = "/etc/pandu-izin/pandu-izin.env"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(UNITS / name)
    return parser


def services() -> list[str]:
    return sorted(p.name for p in UNITS.glob("*.service"))


def test_systemd_analyze_verify_accepts_every_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine (Debian package systemd)")
    # The units name the install directory and the environment file of a real server; point them
    # at this checkout (its virtualenv has the python they run) and at .env.example.
    python = ROOT / ".venv" / "bin" / "python"
    assert python.exists(), "run `make setup` first: the units' ExecStart needs the virtualenv's python"
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8").replace(INSTALL_DIR, str(ROOT))
        (tmp_path / path.name).write_text(text.replace(ENV_FILE, str(ROOT / ".env.example")))
    names = [p.name.replace("@.service", "@5011.service") for p in sorted(tmp_path.iterdir())]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.strip() == "" and result.stderr.strip() == "", (
        result.stdout + result.stderr
    )


@pytest.mark.parametrize("name", services())
def test_every_service_reads_the_environment_file_and_long_running_ones_restart(name):
    section = unit(name)["Service"]
    assert section["EnvironmentFile"] == ENV_FILE
    assert section["User"] == "pandu" and section["NoNewPrivileges"] == "yes"
    if section.get("Type", "simple") == "simple":
        assert section["Restart"] == "on-failure"
        assert section["RestartPreventExitStatus"] == "2"  # configuration errors: no restart loop


def test_units_run_services_that_exist():
    known = set(service_names(Settings()))
    for name in services():
        command = unit(name)["Service"]["ExecStart"]
        match = re.search(r"--service (\S+)", command)
        if match:
            assert match.group(1) in known, (name, match.group(1), known)


def test_target_nginx_and_cluster_layout_agree_on_the_ports():
    layout = cluster.layout_for(Settings(rasa_processes=2))
    wants = " ".join(re.findall(r"^Wants=(.*)$", (UNITS / "pandu-izin.target").read_text(), re.M))
    wanted_rasa = sorted(int(p) for p in re.findall(r"pandu-izin-rasa@(\d+)", wants))
    wanted_actions = sorted(int(p) for p in re.findall(r"pandu-izin-actions@(\d+)", wants))
    assert tuple(wanted_rasa) == layout.rasa_backends == (5011, 5012)
    assert tuple(wanted_actions) == layout.action_backends == (5061, 5062)

    site = NGINX_SITE.read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", site, re.S))
    assert (
        sorted(int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", upstreams["pandu_rasa"]))
        == wanted_rasa
    )
    assert sorted(int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", upstreams["pandu_actions"])) == (
        wanted_actions
    )
    # The private listeners are the ports endpoints.yml and the Telegram gateway use, on loopback only.
    assert "listen 127.0.0.1:5005;" in site and "listen 127.0.0.1:5055;" in site
    assert "http://127.0.0.1:5055/webhook" in (ROOT / "endpoints.yml").read_text()
