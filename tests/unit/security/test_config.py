"""Start-up policy: which interface may serve the API, browser origins, local secrets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from bot.run import ROOT
from bot.security.config import SecurityConfigError, check_environment, is_loopback, local_token, parse_cors


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "bot.example.go.id", ""])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback(host)


def test_a_public_interface_needs_a_token_or_jwt_secret():
    with pytest.raises(SecurityConfigError, match="PANDU_RASA_TOKEN"):
        check_environment({"PANDU_HOST": "0.0.0.0"})
    check_environment({"PANDU_HOST": "0.0.0.0", "PANDU_RASA_TOKEN": "t"})
    check_environment({"PANDU_HOST": "0.0.0.0", "PANDU_RASA_JWT_SECRET": "j"})
    check_environment({})  # loopback default: a generated token is enough


def test_cors_is_an_explicit_list_of_origins():
    assert parse_cors("") == ()
    assert parse_cors("https://dpmptsp.example.go.id, http://localhost:8080/") == (
        "https://dpmptsp.example.go.id",
        "http://localhost:8080",
    )
    for bad in (
        "*",
        "https://*.example.go.id",
        "dpmptsp.example.go.id",
        "https://x.go.id/page",
        "ftp://x.go.id",
    ):
        with pytest.raises(SecurityConfigError):
            parse_cors(bad)


def test_the_local_token_is_created_once_private_and_reused(tmp_path):
    first = local_token(tmp_path)
    assert len(first) >= 40 and local_token(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "rasa_api_token").st_mode) == 0o600


def run_entry_point(env: dict) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("PANDU_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.run", "--no-prepare"],
        cwd=ROOT,
        env={**full, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_run_refuses_a_public_api_without_a_token_before_starting_anything(tmp_path):
    result = run_entry_point({"PANDU_HOST": "0.0.0.0", "PANDU_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "refusing to start" in result.stdout and "PANDU_RASA_TOKEN" in result.stdout
    assert "starting" not in result.stdout.replace("refusing to start", "")


def test_make_run_refuses_a_wildcard_origin(tmp_path):
    result = run_entry_point({"PANDU_CORS": "*", "PANDU_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "wildcard" in result.stdout
