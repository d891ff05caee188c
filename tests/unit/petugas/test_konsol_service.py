"""`make run` starts the staff console and prints its address; the staff CLI creates accounts."""

from __future__ import annotations

import subprocess
import sys

from bot import run
from bot.run import ROOT, Settings


def test_console_is_a_service_of_make_run_with_its_url():
    services = {s.name: s for s in run.build_services(Settings(host="127.0.0.1", rasa_port=7005))}
    console = services["staff console"]
    assert console.command[1:5] == ["-m", "bot", "konsol", "serve"]
    assert console.command[console.command.index("--rasa-url") + 1] == "http://127.0.0.1:7005"
    assert console.url == "http://127.0.0.1:5057/konsol/"
    assert console.ready_url == "http://127.0.0.1:5057/konsol/sehat"


def test_staf_cli_creates_lists_and_refuses_weak_passwords(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}

    def bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            text=True,
            capture_output=True,
            cwd=ROOT,
            env=env,
        )

    made = bot("staf", "tambah", "Rina", "--nama", "Rina Wati", "--sandi-stdin", stdin="sandi-yang-panjang\n")
    assert made.returncode == 0 and made.stdout.strip() == "tambah_staf: rina (Rina Wati, cs)"
    assert "sandi-yang-panjang" not in made.stdout + made.stderr
    weak = bot("staf", "tambah", "dodi", "--nama", "Dodi", "--sandi-stdin", stdin="pendek\n")
    assert weak.returncode == 1 and "kata sandi minimal 10 karakter" in weak.stderr
    listing = bot("staf", "daftar")
    assert "rina" in listing.stdout and "aktif" in listing.stdout and "dodi" not in listing.stdout
    assert bot("staf", "nonaktifkan", "rina").returncode == 0
    assert "nonaktif" in bot("staf", "daftar").stdout
