"""Status notifications: consent in the chat (the actions), changes from the CSV import and the staff
API/CLI path, Telegram delivery, WhatsApp's 24-hour rule with and without the approved template,
retries then staff, the widget's pick-up, "berhenti", and nothing sent without consent. Platform
APIs are the local fakes on 127.0.0.1. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.notifikasi import ActionBerhentiKabar, ActionDaftarKabar, ActionTawarkanKabar
from bot.notifikasi import kirim
from bot.notifikasi.langganan import berhenti, langganan
from bot.notifikasi.models import KabarRow, LanggananKabarRow
from bot.permohonan.importer import impor_csv
from bot.permohonan.repository import ubah_permohonan
from bot.tindak_lanjut.pekerja import satu_putaran
from tests.e2e.channels.fakes import FakeGraph, FakeTelegram, ThreadedServer
from tests.tindak_lanjut_support import permohonan

TOKEN = "77:uji-kabar"
NOW = datetime(2026, 11, 30, 2, 0)


def tracker(sender: str, intent: str, slots: dict, events: list, channel: str = "webchat") -> Tracker:
    latest = {"text": "", "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    user = {"event": "user", "text": "x", "metadata": {"channel": channel}, "input_channel": "rest"}
    return Tracker(sender, slots, latest, [user, *events], False, None, {}, "action_listen")


def run_action(action, track: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {}))
    return dispatcher.messages, events


def pass_at(factory, now, last_message=None):
    return asyncio.run(satu_putaran(factory, last_message or (lambda a: None), now, tracker_factory=factory))


def kabar_rows(factory) -> list[KabarRow]:
    with factory() as session:
        return list(session.execute(select(KabarRow).order_by(KabarRow.id)).scalars())


def test_offer_consent_and_opt_out_in_the_chat(tl_factory):
    nomor = permohonan(tl_factory)
    verified = [{"event": "slot", "name": "permohonan_terverifikasi", "value": nomor}]
    messages, events = run_action(
        ActionTawarkanKabar(tl_factory),
        tracker("web-a1", "inform", {"permohonan_terverifikasi": nomor}, verified),
    )
    assert messages[0]["text"] == f"Mau saya kabari di sini kalau status permohonan {nomor} berubah?"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/minta_kabar", "/deny"]
    offer = events[0]["value"]
    assert offer == f"permohonan:{nomor}"
    # Nothing is subscribed by the offer itself.
    with tl_factory() as session:
        assert session.execute(select(LanggananKabarRow)).first() is None
    messages, _ = run_action(
        ActionDaftarKabar(tl_factory), tracker("web-a1", "affirm", {"tawaran_kabar": offer}, [])
    )
    assert "saya akan mengabari Anda di sini" in messages[0]["text"] and '"berhenti"' in messages[0]["text"]
    with tl_factory() as session:
        sub = session.execute(select(LanggananKabarRow)).scalar_one()
        assert (sub.kanal, sub.percakapan, sub.aktif, sub.status_terakhir) == (
            "webchat",
            "web-a1",
            True,
            "diproses",
        )
    # Offered again after the next status check? No: already following.
    messages, _ = run_action(
        ActionTawarkanKabar(tl_factory),
        tracker("web-a1", "inform", {"permohonan_terverifikasi": nomor}, verified),
    )
    assert messages == []
    messages, _ = run_action(ActionBerhentiKabar(tl_factory), tracker("web-a1", "berhenti_kabar", {}, []))
    assert messages[0]["text"].startswith("Baik, Anda tidak akan menerima kabar lagi untuk: " + nomor)
    with tl_factory() as session:
        sub = session.execute(select(LanggananKabarRow)).scalar_one()
        assert (sub.aktif, sub.percakapan, sub.alasan_berhenti) == (False, None, "berhenti")  # address erased
    messages, _ = run_action(ActionBerhentiKabar(tl_factory), tracker("web-a1", "berhenti_kabar", {}, []))
    assert messages[0]["text"] == "Anda tidak sedang menerima kabar otomatis dari kami."


def test_no_offer_where_nothing_can_be_delivered_and_survey_for_a_finished_one(tl_factory):
    nomor = permohonan(tl_factory)
    verified = [{"event": "slot", "name": "permohonan_terverifikasi", "value": nomor}]
    slots = {"permohonan_terverifikasi": nomor}
    messages, _ = run_action(
        ActionTawarkanKabar(tl_factory), tracker("rest-1", "inform", slots, verified, "rest")
    )
    assert messages == []
    # "kabari saya" typed on a channel that cannot receive: said plainly, nothing stored.
    messages, _ = run_action(
        ActionDaftarKabar(tl_factory), tracker("rest-1", "minta_kabar", slots, [], "rest")
    )
    assert "hanya dapat dikirim lewat WhatsApp, Telegram, atau widget" in messages[0]["text"]
    # Asking without a verified application or ticket.
    messages, _ = run_action(ActionDaftarKabar(tl_factory), tracker("web-x", "minta_kabar", {}, []))
    assert "cek status permohonan" in messages[0]["text"]
    with tl_factory.begin() as session:
        ubah_permohonan(
            session, nomor, "cli", status="selesai", nomor_izin="503/1/IA/2026", tanggal_selesai="2026-11-27"
        )
    messages, events = run_action(
        ActionTawarkanKabar(tl_factory), tracker("web-a2", "inform", slots, verified)
    )
    assert (
        "Survei Kepuasan Masyarakat" in messages[0]["text"]
        and messages[0]["buttons"][0]["payload"] == "/isi_skm"
    )
    _, followup = run_action(
        ActionDaftarKabar(tl_factory), tracker("web-a2", "affirm", {"tawaran_kabar": "skm"}, [])
    )
    assert {"event": "followup", "name": "action_skm_mulai"} in [
        {k: e.get(k) for k in ("event", "name")} for e in followup
    ]


@pytest.fixture
def telegram(monkeypatch):
    with ThreadedServer(FakeTelegram(TOKEN)) as server:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_API_URL", server.base_url)
        yield server


def test_status_changes_from_import_and_api_reach_telegram_with_retries(tl_factory, telegram, tmp_path):
    nomor = permohonan(tl_factory)
    other = permohonan(tl_factory, nomor="503/0460/IZ/2026", telepon="0812-0000-1111")
    with tl_factory.begin() as session:
        langganan(session, "permohonan", nomor, "telegram:4242", "telegram", NOW)
    assert pass_at(tl_factory, NOW).kabar_baru == 0  # nothing changed yet
    # The office's CSV import changes both applications; only the subscribed one is told.
    csv_file = tmp_path / "permohonan.csv"
    csv_file.write_text(
        "nomor_permohonan,layanan,wilayah,nama_pemohon,telepon,tanggal_masuk,status,tahap,catatan,nomor_izin,"
        "tanggal_selesai\n"
        f"{nomor},balangan-izin-apotek,balangan,Siti Rahmawati,0812-5544-7788,2026-11-02,dikembalikan,,"
        "Denah lokasi belum dilampirkan,,\n"
        f"{other},balangan-izin-apotek,balangan,Siti Rahmawati,0812-0000-1111,2026-11-02,diverifikasi,,,,\n",
        encoding="utf-8",
    )
    assert impor_csv(csv_file, tl_factory).berhasil
    result = pass_at(tl_factory, NOW)
    assert (result.kabar_baru, result.terkirim) == (1, 1)
    [(method, sent)] = telegram.calls_to("sendMessage")
    assert sent["chat_id"] == 4242
    assert sent["text"].startswith(f"Kabar permohonan {nomor} (Izin Apotek, Kabupaten Balangan):")
    assert "Status sekarang: Dikembalikan: berkas belum lengkap." in sent["text"]
    assert "Yang perlu dilengkapi: Denah lokasi belum dilampirkan" in sent["text"]
    assert "Siti" not in sent["text"] and "5544" not in sent["text"]  # no name, no phone
    # A staff change (the API and the CLI go through ubah_permohonan); Telegram fails once.
    telegram.fail_next("sendMessage", 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    with tl_factory.begin() as session:
        ubah_permohonan(session, nomor, "api", status="diproses")
    result = pass_at(tl_factory, NOW)
    assert (result.kabar_baru, result.gagal) == (1, 1)
    failed = kabar_rows(tl_factory)[-1]
    assert (failed.status, failed.percobaan) == ("gagal", 1) and "Bad Gateway" in failed.keterangan
    assert failed.coba_lagi_pada == NOW + timedelta(minutes=1)
    assert pass_at(tl_factory, NOW + timedelta(seconds=30)).terkirim == 0  # not before its time
    assert pass_at(tl_factory, NOW + timedelta(minutes=2)).terkirim == 1
    assert kabar_rows(tl_factory)[-1].status == "terkirim"
    assert len(telegram.calls_to("sendMessage")) == 3  # 1 + the failed attempt + the retry


def test_failures_end_with_staff_and_can_be_sent_again(tl_factory, telegram):
    nomor = permohonan(tl_factory)
    with tl_factory.begin() as session:
        langganan(session, "permohonan", nomor, "telegram:9", "telegram", NOW)
        ubah_permohonan(session, nomor, "api", status="menunggu_tanda_tangan")
    now = NOW
    for _ in range(kirim.MAX_PERCOBAAN):
        telegram.fail_next(
            "sendMessage", 403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"}
        )
        pass_at(tl_factory, now)
        now += timedelta(hours=3)
    [kabar] = kabar_rows(tl_factory)
    assert (kabar.status, kabar.percobaan) == ("gagal_akhir", kirim.MAX_PERCOBAAN)
    assert "Forbidden: blocked" in kabar.keterangan
    assert pass_at(tl_factory, now + timedelta(days=1)).terkirim == 0  # given up: staff decide
    with tl_factory.begin() as session:
        assert kirim.kirim_ulang(session, kabar.id)
    assert pass_at(tl_factory, now).terkirim == 1


@pytest.fixture
def graph(monkeypatch):
    with ThreadedServer(FakeGraph()) as server:
        monkeypatch.setenv("GRAPH_API_URL", server.api_url)
        monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "tok")
        monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", "1098765")
        monkeypatch.delenv(kirim.ENV_TEMPLATE, raising=False)
        monkeypatch.setenv("WHATSAPP_TEMPLATE_PETUGAS", "balasan_petugas")  # not the notifications' template
        yield server


def test_whatsapp_24_hour_rule_then_the_approved_template(tl_factory, graph, monkeypatch):
    # Conversations are kept as whatsapp:<sender>; the Graph API is sent the number.
    inside, outside = "whatsapp:6281200000001", "whatsapp:6281200000002"
    a = permohonan(tl_factory, nomor="503/0501/IZ/2026")
    b = permohonan(tl_factory, nomor="503/0502/IZ/2026", telepon="0812-0000-2222")
    with tl_factory.begin() as session:
        langganan(session, "permohonan", a, inside, "whatsapp", NOW)
        langganan(session, "permohonan", b, outside, "whatsapp", NOW)
        ubah_permohonan(session, a, "api", status="menunggu_tanda_tangan")
        ubah_permohonan(session, b, "api", status="menunggu_tanda_tangan")
    last = {inside: NOW - timedelta(hours=23), outside: NOW - timedelta(hours=25)}
    pass_at(tl_factory, NOW, last.get)
    [text] = graph.to("6281200000001")
    assert text["type"] == "text" and "Menunggu tanda tangan pejabat" in text["text"]["body"]
    assert graph.to("6281200000002") == []  # outside the window, no template configured: nothing sent
    waiting = next(k for k in kabar_rows(tl_factory) if k.rujukan == b)
    assert waiting.status == "perlu_template" and kirim.ENV_TEMPLATE in waiting.keterangan
    monkeypatch.setenv(kirim.ENV_TEMPLATE, "kabar_status")
    pass_at(tl_factory, NOW + timedelta(minutes=5), last.get)
    [template] = graph.to("6281200000002")
    assert template["type"] == "template" and template["template"]["name"] == "kabar_status"
    assert "Menunggu tanda tangan pejabat" in template["template"]["components"][0]["parameters"][0]["text"]


def test_widget_picks_up_on_next_open_and_nothing_without_consent(tl_factory, telegram):
    nomor = permohonan(tl_factory)
    with tl_factory.begin() as session:
        langganan(session, "permohonan", nomor, "web-w1", "webchat", NOW)
        langganan(session, "permohonan", nomor, "telegram:55", "telegram", NOW)
        ubah_permohonan(session, nomor, "api", status="diverifikasi")
    pass_at(tl_factory, NOW)
    with tl_factory.begin() as session:
        assert kirim.ambil_untuk_widget(session, "web-lain") == []  # another conversation gets nothing
        [picked] = kirim.ambil_untuk_widget(session, "web-w1")
        assert "Berkas sedang diverifikasi" in picked.teks
    with tl_factory.begin() as session:
        assert kirim.ambil_untuk_widget(session, "web-w1") == []  # delivered once
    # The Telegram conversation opts out before the next change is sent: nothing reaches it.
    sent_before = len(telegram.calls_to("sendMessage"))
    with tl_factory.begin() as session:
        ubah_permohonan(session, nomor, "api", status="diproses")
    with tl_factory() as session:
        from bot.notifikasi.langganan import pindai_permohonan

        pindai_permohonan(session, NOW)
        session.commit()
    with tl_factory.begin() as session:
        assert berhenti(session, "telegram:55") == [nomor]
    pass_at(tl_factory, NOW)
    assert len(telegram.calls_to("sendMessage")) == sent_before
    statuses = {(k.kanal, k.status) for k in kabar_rows(tl_factory) if "Sedang diproses" in k.teks}
    assert statuses == {("webchat", "menunggu_widget"), ("telegram", "dibatalkan")}


def test_final_status_ends_the_subscription_after_telling_and_forgets_the_address(tl_factory):
    nomor = permohonan(tl_factory)
    with tl_factory.begin() as session:
        langganan(session, "permohonan", nomor, "web-z", "webchat", NOW)
        ubah_permohonan(
            session, nomor, "api", status="selesai", nomor_izin="503/9/IA/2026", tanggal_selesai="2026-11-29"
        )
    pass_at(tl_factory, NOW)
    with tl_factory.begin() as session:
        [picked] = kirim.ambil_untuk_widget(session, "web-z")
    assert "Nomor izin: 503/9/IA/2026." in picked.teks and '"isi survei"' in picked.teks
    pass_at(tl_factory, NOW + timedelta(minutes=1))
    with tl_factory() as session:
        sub = session.execute(select(LanggananKabarRow)).scalar_one()
    assert (sub.aktif, sub.alasan_berhenti, sub.percakapan) == (False, "selesai", None)


def test_complaint_response_and_status_reach_the_complainant(tl_factory, telegram):
    from bot.pengaduan.repository import tanggapi, ubah_status
    from tests.tindak_lanjut_support import ajukan

    kode = ajukan(tl_factory, datetime(2026, 11, 27, 2, 0))
    verified = [{"event": "slot", "name": "kode_tiket", "value": kode}]
    messages, events = run_action(
        ActionTawarkanKabar(tl_factory),
        tracker("telegram:31", "inform", {"kode_tiket": kode}, verified, "telegram"),
    )
    assert messages[0]["text"].startswith(f"Mau saya kabari di sini kalau pengaduan {kode} ditanggapi")
    run_action(
        ActionDaftarKabar(tl_factory),
        tracker("telegram:31", "minta_kabar", {"tawaran_kabar": events[0]["value"]}, [], "telegram"),
    )
    with tl_factory.begin() as session:
        ubah_status(session, kode, "diverifikasi", "konsol:siti", catatan="internal: cek CCTV")
        tanggapi(
            session,
            kode,
            "Petugas loket sudah kami tegur; uang Anda dikembalikan.",
            "konsol:siti",
            status="selesai",
        )
    assert pass_at(tl_factory, NOW).terkirim == 2
    first, second = [p["text"] for _, p in telegram.calls_to("sendMessage")]
    assert first.startswith(f"Kabar pengaduan {kode}:\nStatus sekarang: Sudah diverifikasi.")
    assert "cek CCTV" not in first  # internal notes stay internal
    assert "Tanggapan petugas: Petugas loket sudah kami tegur; uang Anda dikembalikan." in second
    assert "Status sekarang: Selesai." in second and '"isi survei"' in second
