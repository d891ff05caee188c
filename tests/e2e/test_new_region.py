"""A new regency goes live without retraining: import, check, load, (re)start, and the model,
trained before the document existed, answers a REST question with the new standard's facts and its
own source.

The document is built here (tests/onboarding_support.py): a real standard's table under a new title
and a regency that does not exist, named nowhere in the training data. Everything goes through the
real entry points: `python -m bot kb import|check|load` as subprocesses, the action and Rasa servers
on free 127.0.0.1 ports with their own SQLite database, REST over HTTP.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from actions.formatting import citation
from bot.knowledge import repository
from bot.run import ROOT, Supervisor, action_server, isolated_settings, rasa_server
from tests.conftest import KNOWLEDGE_DIR
from tests.e2e.conftest import Assistant, find_model
from tests.onboarding_support import NAMA, NOMOR_KEPUTUSAN, TITLE, WILAYAH, synthetic_decree

pytestmark = pytest.mark.e2e

NEW_ID = f"{WILAYAH}-izin-usaha-penggilingan-padi"
QUESTION = "kak syarat izin usaha penggilingan padi di kabupaten sungai rindang apa aja?"


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def kb(*args: str) -> subprocess.CompletedProcess:
    """`python -m bot kb ...` as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "kb", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "PYTHONPATH": str(ROOT)},
    )


def training_text() -> str:
    """Everything the model was trained from (config, domain, NLU examples, rules, stories)."""
    files = [ROOT / "config.yml", ROOT / "domain.yml", *sorted((ROOT / "data").rglob("*.yml"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files).lower()


def test_a_new_regency_is_answered_by_a_model_trained_before_it(tmp_path_factory):
    model = find_model()
    workdir = tmp_path_factory.mktemp("new-region")
    knowledge = workdir / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)

    # The decree appears now, after the model was trained; its names are in no training file.
    source = workdir / "SK Standar Pelayanan DPMPTSP Sungai Rindang.txt"
    source.write_text(synthetic_decree(TITLE), encoding="utf-8")
    assert model.stat().st_mtime < source.stat().st_mtime
    trained_on = training_text()
    assert "penggilingan" not in trained_on and "rindang" not in trained_on

    # The maintainer's path: import, check, load (into the assistant's own database).
    settings = isolated_settings(workdir / "assistant", model)  # loads knowledge/ as `make run` does
    database_url = settings.env["DATABASE_URL"]
    imported = kb("import", str(source), "--wilayah", WILAYAH, "--nama", NAMA, "--knowledge", str(knowledge))
    assert imported.returncode == 0, imported.stderr + imported.stdout
    assert "REVIEW FIRST" in imported.stdout
    checked = kb("check", "--knowledge", str(knowledge))
    assert checked.returncode == 0 and "OK: 0 errors" in checked.stdout, checked.stdout[-2000:]
    loaded = kb("load", "--knowledge", str(knowledge), "--database-url", database_url)
    assert loaded.returncode == 0, loaded.stderr
    assert "wilayah: 4 loaded (1 added" in loaded.stdout and "standar: 87 loaded (1 added" in loaded.stdout

    from bot.db import dispose, session_factory

    with session_factory(database_url)() as session:
        standard = repository.get_standard(session, NEW_ID)
    dispose(database_url)
    assert standard is not None and standard.wilayah_nama == NAMA
    # Its own source: this regency's decree, not the document the table was copied from.
    source_line = citation(standard)
    assert source_line == f"Sumber: {TITLE}, {NAMA}, Keputusan Kepala DPMPTSP {NAMA} Nomor {NOMOR_KEPUTUSAN}"

    # (Re)start the servers on the same model: no `rasa train` anywhere.
    supervisor = Supervisor(settings, [action_server(settings), rasa_server(settings)])
    assistant = Assistant(settings.rasa_url, settings.actions_url, database_url, supervisor, settings.log_dir)
    try:
        supervisor.start()
    except RuntimeError as exc:
        supervisor.stop()
        pytest.fail(f"assistant did not start: {exc}\n{assistant.logs()}")
    try:
        user = f"e2e-{uuid.uuid4().hex[:8]}"
        text = text_of(assistant.send(user, QUESTION))
        requirements = [
            i if isinstance(i, str) else i["teks"] for i in standard.komponen["persyaratan"].butir
        ]
        assert len(requirements) >= 2
        for item in requirements:
            assert item in text, (item, text)
        assert text.strip().splitlines()[-1] == source_line, text

        text = text_of(assistant.send(user, "berapa lama prosesnya?"))
        assert standard.komponen["jangka_waktu"].teks in text and "3 (tiga) hari kerja" in text
        assert text.strip().splitlines()[-1] == source_line, text
    finally:
        supervisor.stop()
