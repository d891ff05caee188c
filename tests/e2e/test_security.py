"""The attacks of the security review (docs/security.md), repeated against real servers on 127.0.0.1.

Each test is one attack that used to work on `make run` as shipped; each must now fail. The servers
are started the way `make run` starts them (bot.run: the action server behind its secret, Rasa with
a generated API token and no CORS on the API, the project's credentials.yml).
"""

from __future__ import annotations

import json
import re
import time
import uuid
import zlib
from datetime import timedelta

import httpx
import pytest

from bot.channels.text import MAX_MESSAGE_CHARS, too_long_reply

pytestmark = pytest.mark.e2e

EVIL_ORIGIN = "http://evil.example"
REST = "/webhooks/rest/webhook"
WEBCHAT = "/webhooks/webchat/webhook"
TELEGRAM = "/webhooks/telegram/webhook"


def sender() -> str:
    return f"sec-{uuid.uuid4().hex[:10]}"


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def web_id() -> str:
    return "web-" + uuid.uuid4().hex  # 128 bits, as the widget makes them


# --- 1. Rasa's HTTP API needs the token; no CORS anywhere but the widget's endpoint -------------
API_ROUTES = [
    ("GET", "/conversations/{id}/tracker"),
    ("POST", "/conversations/{id}/tracker/events"),
    ("PUT", "/conversations/{id}/tracker/events"),
    ("GET", "/conversations/{id}/story"),
    ("POST", "/conversations/{id}/execute"),
    ("POST", "/conversations/{id}/trigger_intent"),
    ("POST", "/conversations/{id}/predict"),
    ("POST", "/conversations/{id}/messages"),
    ("POST", "/model/train"),
    ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"),
    ("POST", "/model/predict"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("GET", "/domain"),
    ("GET", "/status"),
]


@pytest.mark.parametrize("method,path", API_ROUTES, ids=[f"{m} {p}" for m, p in API_ROUTES])
def test_every_api_route_refuses_a_request_without_the_token(assistant, method, path):
    url = assistant.url + path.format(id="whatsapp:6281234567890")
    for params in ({}, {"token": "wrong"}):
        response = httpx.request(method, url, params=params, json={"event": "bot", "text": "x"}, timeout=30)
        assert response.status_code == 401, (method, path, response.status_code, response.text[:200])


def test_a_complainants_tracker_is_refused_without_the_token_and_readable_with_it(assistant):
    who = sender()
    assistant.send(who, "saya mau mengajukan pengaduan")
    url = f"{assistant.url}/conversations/{who}/tracker"
    assert httpx.get(url, timeout=30).status_code == 401
    opened = httpx.get(url, params={"token": assistant.token}, timeout=30)
    assert opened.status_code == 200 and opened.json()["sender_id"] == who


def test_the_model_cannot_be_removed_or_replaced_without_the_token(assistant):
    assert httpx.delete(assistant.url + "/model", timeout=30).status_code == 401
    response = httpx.put(
        assistant.url + "/model", json={"model_server": {"url": "http://127.0.0.1:9/x"}}, timeout=30
    )
    assert response.status_code == 401
    assert assistant.send(sender(), "syarat izin apotek")  # still answering


@pytest.mark.parametrize("path", ["/conversations/x/tracker", "/status", "/version", REST, "/model/parse"])
def test_an_arbitrary_origin_gets_no_cors_headers(assistant, path):
    headers = {"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"}
    for method in ("OPTIONS", "GET", "POST"):
        response = httpx.request(method, assistant.url + path, headers=headers, timeout=30)
        allowed = {k.lower() for k in response.headers if k.lower().startswith("access-control-allow")}
        assert not allowed, (method, path, dict(response.headers))


def test_the_widget_endpoint_answers_only_its_own_page_and_the_listed_origins(assistant):
    body = json.dumps({"sender": web_id(), "message": "halo"})
    evil = httpx.post(assistant.url + WEBCHAT, content=body, headers={"Origin": EVIL_ORIGIN}, timeout=60)
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    # isolated_settings lists http://127.0.0.1 (PANDU_CORS): that origin gets the header, nothing more
    listed = httpx.post(
        assistant.url + WEBCHAT,
        content=body,
        headers={"Origin": "http://127.0.0.1", "Content-Type": "text/plain"},
        timeout=60,
    )
    assert listed.status_code == 200 and listed.headers["access-control-allow-origin"] == "http://127.0.0.1"
    assert "access-control-allow-credentials" not in listed.headers
    same = httpx.post(assistant.url + WEBCHAT, content=body, headers={"Origin": assistant.url}, timeout=60)
    assert same.status_code == 200 and same.json()


# --- 2. conversations are separated by channel -----------------------------------------------
@pytest.mark.parametrize("claimed", ["whatsapp:6281234567890", "telegram:4242", "webchat:" + "a" * 32])
def test_a_rest_sender_cannot_name_another_channels_conversation(assistant, claimed):
    response = assistant.post({"sender": claimed, "message": "cek status permohonan saya"})
    assert response.status_code == 400 and "sender" in response.json()["error"]


def test_a_missing_sender_is_a_400_not_a_shared_default_conversation(assistant):
    assert assistant.post({"message": "halo"}).status_code == 400


def test_the_widget_keeps_its_own_random_conversations(assistant):
    for bad in ("web-1", "web-" + "g" * 32, "warga-1", "web-" + uuid.uuid4().hex[:20]):
        response = httpx.post(assistant.url + WEBCHAT, json={"sender": bad, "message": "halo"}, timeout=30)
        assert response.status_code == 400, bad
    widget = web_id()
    replies = httpx.post(
        assistant.url + WEBCHAT, json={"sender": widget, "message": "syarat izin apotek"}, timeout=60
    )
    assert replies.status_code == 200 and all(r["recipient_id"] == widget for r in replies.json())
    # Kept as webchat:<hex>; the same text over REST is another conversation.
    tracker = httpx.get(
        f"{assistant.url}/conversations/webchat:{widget[4:]}/tracker",
        params={"token": assistant.token},
        timeout=30,
    ).json()
    assert tracker["latest_message"]["text"] == "syarat izin apotek"
    rest_side = httpx.get(
        f"{assistant.url}/conversations/{widget}/tracker", params={"token": assistant.token}, timeout=30
    ).json()
    assert not rest_side.get("latest_message", {}).get("text")


def gateway_post(assistant, chat: str, message: str, chat_type: str = "private", secret: str | None = None):
    secret = assistant.gateway_secret if secret is None else secret
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    body = {"sender": chat, "message": message, "metadata": {"chat_type": chat_type}}
    return httpx.post(assistant.url + TELEGRAM, json=body, headers=headers, timeout=60)


def test_only_the_telegram_gateway_speaks_for_telegram_chats(assistant):
    assert gateway_post(assistant, "4242", "halo", secret="").status_code == 401
    assert gateway_post(assistant, "4242", "halo", secret="wrong").status_code == 401
    assert (
        httpx.post(
            assistant.url + TELEGRAM, json={"sender": "4242", "message": "halo"}, timeout=30
        ).status_code
        == 401
    )
    assert gateway_post(assistant, "not-a-chat", "halo").status_code == 400
    ok = gateway_post(assistant, "4242", "syarat izin apotek")
    assert ok.status_code == 200 and "apotek" in text_of(ok.json()).lower()


@pytest.mark.parametrize(
    "message", ["cek status permohonan saya", "saya mau mengajukan pengaduan", "cek pengaduan ADU-7KQ2-9XFD"]
)
def test_personal_flows_are_declined_in_a_telegram_group(assistant, message):
    chat = f"-100{uuid.uuid4().int % 10**9}"
    replies = gateway_post(assistant, chat, message, chat_type="supergroup").json()
    text = text_of(replies)
    assert "pesan pribadi" in text and "Berapa nomor" not in text and "kategori" not in text.lower()
    # the same question in a private chat is served
    private = text_of(gateway_post(assistant, str(uuid.uuid4().int % 10**9), message).json())
    assert "pesan pribadi" not in private


# --- 3. bounded input ---------------------------------------------------------------------------
def test_a_20000_character_message_is_answered_within_2_s_with_the_length_notice(assistant):
    message = ("syarat izin " * 2000)[:20_000]
    started = time.monotonic()
    response = assistant.post({"sender": sender(), "message": message})
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and elapsed < 2.0, elapsed
    assert text_of(response.json()) == too_long_reply(20_000)
    # one over the limit too, and the same through the widget
    widget = httpx.post(
        assistant.url + WEBCHAT,
        json={"sender": web_id(), "message": "x" * (MAX_MESSAGE_CHARS + 1)},
        timeout=30,
    )
    assert text_of(widget.json()) == too_long_reply(MAX_MESSAGE_CHARS + 1)


def test_request_bodies_and_metadata_are_bounded(assistant):
    huge = json.dumps({"sender": sender(), "message": "x" * 2_000_000}).encode()
    assert assistant.post(content=huge).status_code == 413
    response = assistant.post({"sender": sender(), "message": "halo", "metadata": {"x": "y" * 5000}})
    assert response.status_code == 413


def test_lone_surrogates_are_answered_not_dropped(assistant):
    raw = b'{"sender": "sec-surrogate", "message": "syarat izin apotek \\ud800 \\udfff"}'
    response = assistant.post(content=raw)
    assert response.status_code == 200 and response.json() and "apotek" in text_of(response.json()).lower()


# --- 4. the action server is private and bounded ------------------------------------------------
FORGED = {
    "next_action": "action_cek_status_permohonan",
    "sender_id": "attacker",
    "tracker": {
        "sender_id": "attacker",
        "slots": {"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": "1234"},
        "latest_message": {"text": "1234", "intent": {"name": "inform"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    },
    "domain": {},
    "version": "3.6.2",
}


def test_the_action_server_refuses_every_request_without_its_secret(assistant):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": assistant.actions_secret}):
        assert (
            httpx.post(
                assistant.actions_url + "/webhook", json=FORGED, headers=headers, timeout=30
            ).status_code
            == 401
        )
        assert httpx.get(assistant.actions_url + "/actions", headers=headers, timeout=30).status_code == 401
    good = {"Authorization": f"Bearer {assistant.actions_secret}"}
    assert httpx.get(assistant.actions_url + "/actions", headers=good, timeout=30).status_code == 200


def test_the_action_server_refuses_compressed_and_oversized_bodies(assistant):
    good = {"Authorization": f"Bearer {assistant.actions_secret}", "Content-Type": "application/json"}
    bomb = zlib.compress(b'{"a": "' + b"0" * 50_000_000 + b'"}', 9)  # ~50 KB that inflate to 50 MB
    for encoding in ("deflate", "gzip", "br"):
        response = httpx.post(
            assistant.actions_url + "/webhook",
            content=bomb,
            headers={**good, "Content-Encoding": encoding},
            timeout=30,
        )
        assert response.status_code == 415, encoding
    big = b'{"x": "' + b"a" * 9_000_000 + b'"}'
    assert (
        httpx.post(assistant.actions_url + "/webhook", content=big, headers=good, timeout=60).status_code
        == 413
    )
    assert assistant.send(sender(), "syarat izin apotek")  # the real path still works


# --- 5. verification that cannot be guessed ---------------------------------------------------------
@pytest.fixture(scope="module")
def guarded(start_assistant, tmp_path_factory):
    """An assistant of its own (its address and number counters must not touch other tests), with
    applications imported."""
    from actions.applications import hari_ini
    from bot.db import session_factory
    from bot.permohonan.importer import HEADER, impor_csv

    # As behind the reverse proxy: the client address comes from X-Forwarded-For (docs/security.md),
    # so each test can be its own client.
    assistant = start_assistant(env={"SANIC_PROXIES_COUNT": "1"})
    today = hari_ini()
    rows = [
        [f"503/81{n:02d}/IZ/2026", "balangan-izin-apotek", "balangan", "Lestari Wulandari",
         f"0812-1111-44{n:02d}",
         (today - timedelta(days=1)).isoformat(), "diproses", "6", "", "", ""]
        for n in range(1, 6)
    ] + [["SIP/0117/BLG/2026", "balangan-izin-apotek", "balangan", "Rahmat Hidayat", "0813-2222-7788",
          (today - timedelta(days=2)).isoformat(), "diproses", "3", "", "", ""]]  # fmt: skip
    path = tmp_path_factory.mktemp("csv") / "p.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    assert impor_csv(path, session_factory(assistant.database_url)).berhasil
    return assistant


def say(assistant, who: str, message: str, client: str) -> str:
    response = httpx.post(
        assistant.url + REST,
        json={"sender": who, "message": message},
        headers={"X-Forwarded-For": client},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:300]
    return text_of(response.json())


def check(assistant, who: str, nomor: str, digits: str, client: str = "") -> str:
    client = client or f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    asked = say(assistant, who, f"cek status permohonan {nomor}", client)
    if "4 angka terakhir" not in asked:
        return asked
    return say(assistant, who, digits, client)


def test_twelve_wrong_guesses_from_twelve_senders_lock_the_application(guarded):
    nomor = "503/8101/IZ/2026"
    answers = [check(guarded, sender(), nomor, f"{n:04d}", client=f"203.0.113.{n + 1}") for n in range(12)]
    assert all("tidak cocok" in a or "dikunci" in a for a in answers)
    assert "dikunci" in answers[-1]
    # A 13th sender with the right digits is refused: the application is locked, whoever asks.
    right = check(guarded, sender(), nomor, "4401")
    assert "dikunci" in right and "Lestari" not in right and "Tahap" not in right


def test_a_correct_answer_never_resets_the_count(guarded):
    nomor = "503/8102/IZ/2026"
    owner = sender()
    for n in range(4):  # four failures from strangers
        assert "tidak cocok" in check(guarded, sender(), nomor, f"{n:04d}")
    assert "Status:" in check(guarded, owner, nomor, "4402")  # the owner, in between
    assert "dikunci" in check(guarded, sender(), nomor, "9999")  # the fifth failure still locks


def test_one_sender_rotating_numbers_is_locked_after_three_failures(guarded):
    who = sender()
    for nomor in ("503/9001/IZ/2026", "503/9002/IZ/2026"):
        assert "tidak cocok" in check(guarded, who, nomor, "1111")
    assert "dikunci" in check(guarded, who, "503/9003/IZ/2026", "1111")
    assert "dikunci" in check(guarded, who, "503/8103/IZ/2026", "4403")  # even the right answer now


def test_one_client_address_rotating_senders_and_numbers_is_locked(guarded):
    client = "192.0.2.77"
    for n in range(9):  # a new sender and a new number each time, all from one address
        assert "tidak cocok" in check(guarded, sender(), f"503/93{n:02d}/IZ/2026", "1111", client)
    assert "dikunci" in check(guarded, sender(), "503/9399/IZ/2026", "1111", client)  # the tenth locks
    assert "dikunci" in check(guarded, sender(), "503/8105/IZ/2026", "4405", client)
    assert "Status:" in check(guarded, sender(), "503/8105/IZ/2026", "4405")  # another address is served


def test_numbers_are_recognised_however_they_are_written(guarded):
    for written in ("SIP/0117/BLG/2026", "sip 0117 blg 2026", "Sip-0117-Blg-2026"):
        who, client = sender(), "198.51.100.200"
        asked = say(guarded, who, f"cek status permohonan {written}", client)
        assert "4 angka terakhir" in asked, (written, asked)
        answer = say(guarded, who, "7788", client)
        assert "Permohonan SIP/0117/BLG/2026" in answer, (written, answer)


def test_the_status_check_leaves_no_digits_in_the_conversation_store(guarded):
    from sqlalchemy import create_engine, text

    who = sender()
    assert "Status:" in check(guarded, who, "503/8104/IZ/2026", "4404")
    engine = create_engine(guarded.database_url)
    with engine.connect() as connection:
        stored = " ".join(
            r[0] for r in connection.execute(text("select data from events where sender_id = :s"), {"s": who})
        )
        secret_rows = connection.execute(
            text("select count(*) from percakapan_rahasia where sender_id = :s"), {"s": who}
        ).scalar()
    engine.dispose()
    assert "4404" not in stored and "[disamarkan]" in stored and secret_rows == 0


def test_ticket_look_ups_are_rate_limited(guarded):
    who = sender()
    codes = [f"ADU-{n:04d}-{n:04d}".replace("0", "2").replace("1", "3") for n in range(11)]
    replies = [say(guarded, who, f"cek pengaduan {code}", "198.51.100.201") for code in codes]
    assert all("tidak ditemukan" in r for r in replies[:10])
    assert "dikunci" in replies[-1]


# --- 6. personal data: complaints are not kept in the conversation store, nor in the logs --------------
def test_complaint_details_stay_out_of_tracker_events_and_logs(assistant):
    from sqlalchemy import create_engine, text

    who = sender()
    uraian = "Petugas loket meminta uang tambahan Rp 250.000 di luar tarif resmi agar berkas cepat diproses."
    assistant.send(who, "saya mau mengajukan pengaduan")
    assistant.send(who, "Kabupaten Balangan")
    assistant.send(who, "Penyalahgunaan wewenang")
    assistant.send(who, uraian)
    assistant.send(who, "Senin 2 November jam 10")
    assistant.send(who, "Sulastri Pramudita")
    summary = text_of(assistant.send(who, "0857-3141-5926"))
    assert "Rp 250.000" in summary and "S******* P********" in summary  # the person sees the summary
    engine = create_engine(assistant.database_url)

    def stored() -> str:
        with engine.connect() as connection:
            rows = connection.execute(text("select data from events where sender_id = :s"), {"s": who})
            return " ".join(r[0] for r in rows)

    for secret in ("Rp 250.000", "Sulastri", "3141", "5926", "2 November"):
        assert secret not in stored(), secret  # mid-form: nothing in the events
    saved = text_of(assistant.send(who, "ya"))
    kode = re.search(r"ADU-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", saved).group(0)
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("select count(*) from percakapan_rahasia where sender_id = :s"), {"s": who}
            ).scalar()
            == 0
        )
        row = connection.execute(
            text("select uraian, nama, kontak from pengaduan where kode_tiket = :k"), {"k": kode}
        ).one()
    engine.dispose()
    assert row == (uraian, "Sulastri Pramudita", "0857-3141-5926")  # kept in its own table only
    logs = " ".join(path.read_text(errors="replace") for path in assistant.log_dir.glob("*.log"))
    for secret in ("Rp 250.000", "Sulastri", "3141-5926"):
        assert secret not in stored(), secret
        assert secret not in logs, secret
