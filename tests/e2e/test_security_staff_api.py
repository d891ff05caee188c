"""The staff API refuses bad input with 4xx (never 500) and logs no personal data doing so."""

from __future__ import annotations

import sys

import httpx
import pytest

from bot.run import Service, Settings, Supervisor, free_port
from tests.permohonan_support import permohonan_record, prepare_database

pytestmark = pytest.mark.e2e
TOKEN = "uji-token-keamanan-456"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff_api_security")
    url = f"sqlite:///{workdir / 'pandu.db'}"
    prepare_database(url)
    port = free_port()
    env = {"DATABASE_URL": url, "PANDU_API_TOKEN": TOKEN, "PANDU_DATA_DIR": str(workdir)}
    service = Service(
        name="staff api",
        command=[sys.executable, "-m", "bot", "api", "serve", "--port", str(port)],
        ready_url=f"http://127.0.0.1:{port}/api/v1/health",
    )
    supervisor = Supervisor(
        Settings(env=env, log_dir=workdir / "logs", ready_timeout=60), [service], quiet=True
    )
    with supervisor:
        base = f"http://127.0.0.1:{port}/api/v1"
        assert (
            httpx.put(base + "/permohonan", json=permohonan_record(), headers=AUTH, timeout=30).status_code
            == 201
        )
        yield base, workdir / "logs"


BAD_CALLS = [
    ("PUT", "/permohonan", permohonan_record(nama_pemohon={"x": 1})),
    ("PUT", "/permohonan", permohonan_record(telepon=["0812"])),
    ("PUT", "/permohonan", permohonan_record(tahap=True)),
    ("PUT", "/permohonan", permohonan_record(nomor_izin="Z" * 5000, status="selesai")),
    ("PUT", "/permohonan", permohonan_record(catatan="c" * 100_000)),
    ("PUT", "/permohonan", {**permohonan_record(), "tidak_dikenal": 1}),
    ("PATCH", "/permohonan", {"nomor_permohonan": "503/0451/IZ/2026", "status": ["selesai"]}),
    ("PATCH", "/permohonan", {"nomor_permohonan": "503/0451/IZ/2026", "nomor_izin": "N" * 500}),
    ("PATCH", "/permohonan", {"nomor_permohonan": 12345, "status": "selesai"}),
    ("GET", "/permohonan?nomor=" + "9" * 5000, None),
    ("GET", "/pengaduan?wilayah=" + "w" * 5000, None),
    ("GET", "/pengaduan/" + "A" * 3000, None),
    ("POST", "/pengaduan/ADU-2222-3333/status", {"status": ["selesai"]}),
    ("POST", "/pengaduan/ADU-2222-3333/status", {"status": {"a": 1}, "catatan": 5}),
    ("POST", "/pengaduan/ADU-2222-3333/tanggapan", {"tanggapan": ["x"], "status": 1}),
    ("POST", "/pengaduan/ADU-2222-3333/tanggapan", {"tanggapan": "t" * 10_000}),
]


@pytest.mark.parametrize(
    "method,path,body", BAD_CALLS, ids=[f"{m} {p[:30]} {i}" for i, (m, p, _) in enumerate(BAD_CALLS)]
)
def test_bad_types_and_lengths_are_client_errors(api, method, path, body):
    base, _ = api
    response = httpx.request(method, base + path, json=body, headers=AUTH, timeout=30)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


def test_an_oversized_body_is_413_and_nothing_personal_reaches_the_logs(api):
    base, logs = api
    big = b'{"nomor_permohonan": "' + b"1" * 2_000_000 + b'"}'
    response = httpx.put(
        base + "/permohonan", content=big, headers={**AUTH, "Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 413
    for method, path, body in BAD_CALLS:
        httpx.request(method, base + path, json=body, headers=AUTH, timeout=30)
    written = " ".join(p.read_text(errors="replace") for p in logs.glob("*.log"))
    for personal in ("Siti Rahmawati", "0812-5544-7788", "081255447788"):
        assert personal not in written
