"""The staff HTTP API as a real server on a free 127.0.0.1 port, called with httpx."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from bot.run import ROOT, Service, Settings, Supervisor, free_port
from tests.permohonan_support import APOTEK, permohonan_record, prepare_database

pytestmark = pytest.mark.e2e
TOKEN = "uji-token-rahasia-123"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staff_api")
    url = f"sqlite:///{workdir / 'pandu.db'}"
    factory = prepare_database(url)
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
        yield f"http://127.0.0.1:{port}/api/v1", factory


def auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_without_or_with_a_wrong_token_everything_is_401(api):
    base, _ = api
    calls = [
        ("GET", "/pengaduan", None),
        ("GET", "/pengaduan/ADU-2222-3333", None),
        ("PUT", "/permohonan", permohonan_record()),
        ("PATCH", "/permohonan", {"nomor_permohonan": "503/0451/IZ/2026", "status": "selesai"}),
        ("POST", "/pengaduan/ADU-2222-3333/tanggapan", {"tanggapan": "x"}),
    ]
    for method, path, body in calls:
        for headers in ({}, auth("salah"), {"Authorization": TOKEN}, auth(TOKEN + "x")):
            response = httpx.request(method, base + path, json=body, headers=headers, timeout=10)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
    # Nothing was written by the refused calls.
    assert (
        httpx.get(base + "/permohonan", params={"nomor": "503/0451/IZ/2026"}, headers=auth()).status_code
        == 404
    )


def test_health_and_openapi_need_no_token(api):
    base, _ = api
    assert httpx.get(base + "/health").json() == {"status": "ok"}
    spec = httpx.get(base + "/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/permohonan" in spec["paths"]


def test_upsert_application_then_change_status(api):
    base, _ = api
    created = httpx.put(base + "/permohonan", json=permohonan_record(), headers=auth(), timeout=10)
    assert created.status_code == 201, created.text
    assert created.json()["hasil"] == "baru" and created.json()["permohonan"]["layanan"] == APOTEK
    same = httpx.put(base + "/permohonan", json=permohonan_record(), headers=auth(), timeout=10)
    assert same.status_code == 200 and same.json()["hasil"] == "sama"
    bad = httpx.put(
        base + "/permohonan", json=permohonan_record(status="entah", tahap="99"), headers=auth(), timeout=10
    )
    assert bad.status_code == 422
    assert any("status" in a for a in bad.json()["alasan"]) and any(
        "tahap 99" in a for a in bad.json()["alasan"]
    )
    patched = httpx.patch(
        base + "/permohonan",
        json={"nomor_permohonan": "503/0451/IZ/2026", "status": "menunggu_tanda_tangan", "tahap": 8},
        headers=auth(),
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    riwayat = patched.json()["permohonan"]["riwayat"]
    assert [r["status"] for r in riwayat] == ["diproses", "menunggu_tanda_tangan"]
    assert riwayat[-1]["sumber"] == "api"
    missing = httpx.patch(
        base + "/permohonan",
        json={"nomor_permohonan": "1/2/3", "status": "selesai"},
        headers=auth(),
        timeout=10,
    )
    assert missing.status_code == 404


def test_complaints_list_read_respond_and_status(api):
    from bot.pengaduan.repository import DataPengaduan, buat_pengaduan

    base, factory = api
    pengaduan, _ = buat_pengaduan(
        factory,
        DataPengaduan(
            kategori="hambatan_pelayanan",
            uraian="Antrian di loket perizinan tidak bergerak selama dua jam pada hari Senin.",
            kanal="rest",
            wilayah="balangan",
            nama="Rina Marlina",
        ),
    )
    kode = pengaduan.kode_tiket
    listed = httpx.get(base + "/pengaduan", params={"wilayah": "balangan"}, headers=auth(), timeout=10).json()
    assert kode in [p["kode_tiket"] for p in listed["pengaduan"]]
    assert httpx.get(base + "/pengaduan", params={"status": "x"}, headers=auth()).status_code == 400
    one = httpx.get(base + f"/pengaduan/{kode}", headers=auth(), timeout=10).json()["pengaduan"]
    assert one["nama"] == "Rina Marlina" and one["status"] == "diterima"
    responded = httpx.post(
        base + f"/pengaduan/{kode}/tanggapan",
        json={"tanggapan": "Loket tambahan dibuka mulai pekan depan.", "status": "ditindaklanjuti"},
        headers=auth(),
        timeout=10,
    )
    assert responded.status_code == 200 and responded.json()["pengaduan"]["status"] == "ditindaklanjuti"
    closed = httpx.post(
        base + f"/pengaduan/{kode}/status", json={"status": "selesai"}, headers=auth(), timeout=10
    )
    assert [r["status"] for r in closed.json()["pengaduan"]["riwayat"]] == [
        "diterima",
        "ditindaklanjuti",
        "selesai",
    ]
    assert (
        httpx.post(base + f"/pengaduan/{kode}/status", json={"status": "?"}, headers=auth()).status_code
        == 422
    )
    assert httpx.get(base + "/pengaduan/ADU-2222-3333", headers=auth()).status_code == 404


def test_without_a_configured_token_the_api_does_not_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PANDU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "api", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "PANDU_API_TOKEN" in result.stderr


def test_app_without_token_refuses_with_503():
    from bot.api.server import authorized

    class FakeRequest:
        headers = {"authorization": "Bearer anything"}

    response = authorized(FakeRequest(), "")
    assert response is not None and response.status == 503
