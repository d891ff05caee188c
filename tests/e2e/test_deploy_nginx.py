"""deploy/nginx/pandu-izin.conf run by the real nginx (free ports, a throw-away certificate, fake
Rasa and action servers on 127.0.0.1): from outside only the webhooks and the widget get through,
with the size and rate limits; Rasa's HTTP API and the action servers stay private."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.cluster import nginx_bin
from bot.run import free_port
from bot.supervisor import answers
from tests.e2e.channels.fakes import LocalServer, ThreadedServer

pytestmark = pytest.mark.e2e

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "pandu-izin.conf"


class Upstream(LocalServer):
    """Answers every request with its name and records the paths it saw."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.paths: list[str] = []
        self.app.router.add_route("*", "/{tail:.*}", self._any)

    async def _any(self, request: web.Request) -> web.Response:
        await request.read()
        self.paths.append(request.path)
        return web.json_response([{"text": f"{self.name} {request.method} {request.path}"}])


def self_signed(folder: Path) -> tuple[Path, Path]:
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bot.example.go.id")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "fullchain.pem", folder / "privkey.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, private


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    nginx = nginx_bin()
    if nginx is None:
        pytest.fail("nginx is missing: `make nginx` installs it (make e2e does)")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = self_signed(folder)
    ports = {name: free_port() for name in ("http", "https", "private_rasa", "private_actions")}
    with (
        ThreadedServer(Upstream("rasa-1")) as rasa_1,
        ThreadedServer(Upstream("rasa-2")) as rasa_2,
        ThreadedServer(Upstream("actions-1")) as actions_1,
        ThreadedServer(Upstream("actions-2")) as actions_2,
    ):
        site = SITE.read_text(encoding="utf-8")
        backends = {"5011": rasa_1, "5012": rasa_2, "5061": actions_1, "5062": actions_2}
        site = re.sub(r"server 127\.0\.0\.1:(\d+)", lambda m: f"server 127.0.0.1:{backends[m[1]].port}", site)
        site = site.replace("listen 127.0.0.1:5005;", f"listen 127.0.0.1:{ports['private_rasa']};")
        site = site.replace("listen 127.0.0.1:5055;", f"listen 127.0.0.1:{ports['private_actions']};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{ports['https']} ssl;")
        site = site.replace("/etc/letsencrypt/live/bot.example.go.id/fullchain.pem", str(cert))
        site = site.replace("/etc/letsencrypt/live/bot.example.go.id/privkey.pem", str(key))
        (folder / "pandu-izin.conf").write_text(site)
        (folder / "tmp").mkdir()
        (folder / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n access_log off;\n client_body_temp_path {folder}/tmp/body;\n"
            f" proxy_temp_path {folder}/tmp/proxy;\n fastcgi_temp_path {folder}/tmp/f;\n"
            f" uwsgi_temp_path {folder}/tmp/u;\n scgi_temp_path {folder}/tmp/s;\n"
            f" include {folder}/pandu-izin.conf;\n}}\n"
        )
        checked = subprocess.run(
            [nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while not answers(f"http://127.0.0.1:{ports['private_rasa']}/status"):
                assert process.poll() is None and time.monotonic() < deadline, (
                    folder / "error.log"
                ).read_text()
                time.sleep(0.1)
            for server in (rasa_1, rasa_2, actions_1, actions_2):
                server.paths.clear()  # the readiness probe
            yield {
                "public": f"https://127.0.0.1:{ports['https']}",
                "http": f"http://127.0.0.1:{ports['http']}",
                "private_rasa": f"http://127.0.0.1:{ports['private_rasa']}",
                "private_actions": f"http://127.0.0.1:{ports['private_actions']}",
                "rasa": (rasa_1, rasa_2),
                "actions": (actions_1, actions_2),
            }
        finally:
            process.terminate()
            process.wait(timeout=15)


def public(proxy) -> httpx.Client:  # noqa: ANN001
    return httpx.Client(base_url=proxy["public"], verify=False, timeout=10)


def rasa_paths(proxy) -> list[str]:  # noqa: ANN001
    return [path for server in proxy["rasa"] for path in server.paths]


def test_only_the_webhooks_and_the_widget_are_public(proxy):
    with public(proxy) as client:
        assert (
            client.post("/webhooks/rest/webhook", json={"sender": "a", "message": "halo"}).status_code == 200
        )
        assert client.get("/webhooks/webchat/widget.js").status_code == 200
        assert client.post("/webhooks/whatsapp/webhook", content=b"{}").status_code == 200
        assert client.get("/webhooks/whatsapp/webhook", params={"hub.mode": "subscribe"}).status_code == 200
        seen = list(rasa_paths(proxy))
        private = [
            ("GET", "/"),
            ("GET", "/status"),
            ("GET", "/version"),
            ("POST", "/model/parse"),
            ("PUT", "/model"),
            ("GET", "/conversations/warga-1/tracker"),
            ("POST", "/conversations/warga-1/messages"),
            ("POST", "/webhook"),  # the action server's endpoint
            ("GET", "/health"),
            ("POST", "/webhooks/rest/webhook/../../model/parse"),
            ("POST", "/webhooks/webchat/widget.js"),  # the widget's files are read-only
        ]
        for method, path in private:
            status = client.request(method, path, json={}).status_code
            assert status in (403, 404), (method, path, status)
    assert rasa_paths(proxy) == seen  # none of them reached Rasa
    assert sorted(set(seen)) == [
        "/webhooks/rest/webhook",
        "/webhooks/webchat/widget.js",
        "/webhooks/whatsapp/webhook",
    ]
    assert [p for server in proxy["actions"] for p in server.paths] == []


def test_both_rasa_processes_get_requests(proxy):
    with public(proxy) as client:
        for _ in range(6):
            client.post("/webhooks/rest/webhook", json={"sender": "b", "message": "x"})
    assert all(server.paths for server in proxy["rasa"])


def test_large_bodies_are_refused_before_rasa(proxy):
    before = len(rasa_paths(proxy))
    with public(proxy) as client:
        big = client.post("/webhooks/rest/webhook", content=b"x" * 100_000)
    assert big.status_code == 413
    assert len(rasa_paths(proxy)) == before


def test_a_flood_from_one_address_is_rate_limited(proxy):
    time.sleep(3)  # the earlier tests' requests have left the bucket (5/s, burst 10)
    with public(proxy) as client:
        statuses = [
            client.post("/webhooks/rest/webhook", json={"sender": "c", "message": "x"}).status_code
            for _ in range(40)
        ]
    assert statuses.count(429) >= 20 and statuses[:5] == [200] * 5


def test_plain_http_redirects_to_https(proxy):
    response = httpx.get(proxy["http"] + "/webhooks/rest/webhook", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"].startswith("https://")


def test_the_private_listeners_serve_this_machine(proxy):
    # The Telegram gateway talks to the whole Rasa server; the Rasa processes to the action servers.
    assert httpx.get(proxy["private_rasa"] + "/status").status_code == 200
    assert httpx.post(proxy["private_actions"] + "/webhook", json={}).status_code == 200
    site = SITE.read_text()
    assert re.findall(r"listen (\S+);", site) == ["127.0.0.1:5055", "127.0.0.1:5005", "80"]
