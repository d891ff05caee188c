"""The same handoff from Telegram (the real gateway against a fake Bot API) and WhatsApp (the channel
in the real Rasa server against a fake Graph API): the reply is delivered on the applicant's channel,
and WhatsApp's 24-hour rule is applied. SQLite and PostgreSQL."""

from __future__ import annotations

import sys
import time
import uuid

import pytest
from sqlalchemy import text

from bot.db import session_factory
from bot.petugas import repository as repo
from bot.run import Service, Settings, Supervisor
from tests.e2e.channels.test_whatsapp_channel import post, texts, webhook_body
from tests.e2e.konsol.conftest import TELEGRAM_TOKEN
from tests.konsol_support import Staff

pytestmark = pytest.mark.e2e


def wait_for(check, timeout: float = 60.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def open_request(database_url: str, percakapan: str) -> int:
    def find() -> int | None:
        with session_factory(database_url)() as session:
            row = repo.permintaan_terbuka(session, percakapan)
            return row.id if row is not None else None

    return wait_for(find)


def test_telegram_applicant_gets_the_staff_reply(handoff, tmp_path):
    telegram, thread = handoff.telegram, handoff.telegram_thread
    chat = int(str(uuid.uuid4().int)[:9])
    settings = Settings(log_dir=tmp_path / "logs", ready_timeout=60)
    gateway = Service(
        name="telegram gateway",
        command=[sys.executable, "-m", "bot", "telegram", "--rasa-url", handoff.assistant.url],
        env={
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_URL": telegram.base_url,
            "PANDU_GATEWAY_SECRET": handoff.assistant.gateway_secret,
        },
    )

    def say(message: str) -> None:
        thread._loop.call_soon_threadsafe(telegram.push_message, chat, message)

    def to_chat() -> list[str]:
        return [p["text"] for m, p in list(telegram.calls) if m == "sendMessage" and p["chat_id"] == chat]

    with Supervisor(settings, [gateway]):
        say("saya mau bicara dengan petugas")
        wait_for(lambda: any('Ketik "batal"' in t for t in to_chat()))
        request_id = open_request(handoff.database_url, f"telegram:{chat}")
        staff = Staff(handoff.console_url)
        staff.login("budi")
        inbox = staff.get("/api/antrean").json()["permintaan"]
        assert any(i["id"] == request_id and i["kanal_label"] == "Telegram" for i in inbox)
        staff.page(f"/percakapan/{request_id}")
        assert "info=" in staff.post(f"/percakapan/{request_id}/ambil").headers["location"]
        location = staff.post(f"/percakapan/{request_id}/balas", {"teks": "Halo, saya Budi dari DPMPTSP."})
        assert "info=" in location.headers["location"]
        wait_for(lambda: "Halo, saya Budi dari DPMPTSP." in to_chat())
        assert "Anda sekarang terhubung dengan petugas Budi Santoso" in " ".join(to_chat())
        before = len(to_chat())
        say("baik pak, saya tunggu")
        assert "baik pak, saya tunggu" in wait_for(
            lambda: (
                [e["teks"] for e in staff.get(f"/api/percakapan/{request_id}").json()["riwayat"]]
                if "baik pak" in staff.get(f"/api/percakapan/{request_id}").text
                else None
            )
        )
        time.sleep(1.5)
        # The assistant stays silent while staff talk (no answer, no apology).
        assert len(to_chat()) == before, to_chat()[before - 1 :]
        staff.post(f"/percakapan/{request_id}/kembalikan")
        wait_for(lambda: any("mengembalikan percakapan ke asisten" in t for t in to_chat()))
        say("syarat izin apotek apa saja?")
        wait_for(lambda: any("Persyaratan" in t for t in to_chat()))


def test_whatsapp_reply_inside_the_window_and_the_24_hour_rule(handoff):
    graph = handoff.graph
    phone = "62813" + str(uuid.uuid4().int)[:8]
    assert (
        post(
            handoff.assistant,
            webhook_body({"type": "text", "text": {"body": "mau bicara dengan petugas"}}, phone),
        ).status_code
        == 200
    )
    wait_for(lambda: any('Ketik "batal"' in t for t in texts(graph.to(phone))))
    request_id = open_request(handoff.database_url, f"whatsapp:{phone}")
    staff = Staff(handoff.console_url)
    staff.login("budi")
    staff.page(f"/percakapan/{request_id}")
    staff.post(f"/percakapan/{request_id}/ambil")
    assert (
        "info="
        in staff.post(f"/percakapan/{request_id}/balas", {"teks": "Baik Pak, berkasnya saya cek."}).headers[
            "location"
        ]
    )
    wait_for(lambda: "Baik Pak, berkasnya saya cek." in texts(graph.to(phone)))

    # 25 hours later (the applicant's messages moved back in the tracker store): only a template may go.
    with session_factory(handoff.database_url)() as session:
        session.execute(
            text(
                "update events set timestamp = timestamp - 90000 where sender_id = :s and type_name = 'user'"
            ),
            {"s": f"whatsapp:{phone}"},
        )
        session.commit()
    sent_before = len(graph.to(phone))
    page = staff.page(f"/percakapan/{request_id}")
    assert "Lebih dari 24 jam sejak pesan terakhir pemohon" in page
    location = staff.post(
        f"/percakapan/{request_id}/balas", {"teks": "Apakah masih ada pertanyaan?"}
    ).headers["location"]
    assert "di%20luar%20jendela%2024%20jam" in location
    page = staff.page(f"/percakapan/{request_id}")
    assert "Tidak terkirim: di luar 24 jam WhatsApp" in page and "WHATSAPP_TEMPLATE_PETUGAS" in page
    time.sleep(1.0)
    assert len(graph.to(phone)) == sent_before  # nothing free-form sent outside the window


def test_two_turns_not_understood_offer_a_person(handoff):
    sender = f"rest-{uuid.uuid4().hex[:10]}"
    first = " ".join(m.get("text", "") for m in handoff.assistant.send(sender, "😀🙏🔥"))
    assert "Mau saya sambungkan dengan petugas?" not in first  # one failure is not two
    second = handoff.assistant.send(sender, "ما هي الشروط؟")
    offer = [m for m in second if "Mau saya sambungkan dengan petugas?" in (m.get("text") or "")]
    assert offer and [b["payload"] for b in offer[0]["buttons"]] == ["/human_handoff", "/deny"]
    accepted = " ".join(m.get("text", "") for m in handoff.assistant.send(sender, "/human_handoff"))
    assert 'Ketik "batal"' in accepted
    with session_factory(handoff.database_url)() as session:
        assert repo.permintaan_terbuka(session, sender).alasan == "gagal_beruntun"
