"""Asking for a person, office hours in the reply, leaving the queue, the offer after two failures."""

from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionKembaliKeAsisten, ActionMintaPetugas, ActionTawarkanPetugas
from bot.petugas import repository as repo


def tracker(
    sender: str, text: str, intent: str, slots=None, events=(), entities=(), metadata=None
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)}
    user = {
        "event": "user",
        "text": text,
        "parse_data": latest,
        "input_channel": "rest",
        "metadata": metadata or {},
    }
    return Tracker(sender, dict(slots or {}), latest, [*events, user], False, None, {}, "action_listen")


def at(*args: int):
    moment = datetime(*args, tzinfo=timezone.utc)
    return staticmethod(lambda: moment)


def names(events) -> list:
    return [(e["event"], e.get("name"), e.get("value")) for e in events]


async def test_request_inside_office_hours_is_queued_and_the_assistant_pauses(
    run_action, kb_session_factory, monkeypatch
):
    monkeypatch.setattr(ActionMintaPetugas, "clock", at(2026, 12, 7, 2, 0))  # Monday 10:00 WITA
    t = tracker("web-jam-buka", "mau bicara dengan petugas", "human_handoff", {"wilayah": "balangan"},
                metadata={"channel": "webchat"})  # fmt: skip
    events, messages = await run_action(ActionMintaPetugas, t)
    assert messages[0]["response"] == "utter_petugas_diteruskan"
    assert messages[0]["jadwal"] == "Senin-Kamis 08.00-16.00 WITA; Jumat 08.00-11.00 WITA"
    assert messages[1]["response"] == "utter_petugas_kontak_kantor" and "DPMPTSP" in messages[1]["kontak"]
    assert names(events) == [
        ("slot", "wilayah", "balangan"),
        ("slot", "menunggu_petugas", True),
        ("pause", None, None),
        ("action", "action_listen", None),
    ]
    with kb_session_factory() as session:
        row = repo.permintaan_terbuka(session, "web-jam-buka")
        assert (row.kanal, row.wilayah, row.status, row.alasan) == (
            "webchat",
            "balangan",
            "menunggu",
            "diminta",
        )


async def test_request_outside_hours_gets_the_next_opening_in_the_office_time_zone(run_action, monkeypatch):
    # The region's own time zone and hours (tests/unit/actions/conftest.py: Balangan, WITA).
    monkeypatch.setattr(ActionMintaPetugas, "clock", at(2026, 12, 4, 4, 0))  # Friday 12:00 WITA
    t = tracker("telegram:9", "bisa sambung ke admin?", "human_handoff", {"wilayah": "balangan"},
                metadata={"channel": "telegram"})  # fmt: skip
    events, messages = await run_action(ActionMintaPetugas, t)
    assert messages[0]["response"] == "utter_petugas_di_luar_jam"
    assert messages[0]["buka"] == "Senin, 7 Desember 2026 pukul 08.00 WITA"
    assert messages[0]["jadwal"] == "Senin-Kamis 08.00-16.00 WITA; Jumat 08.00-11.00 WITA"
    assert ("pause", None, None) in names(events)


async def test_without_a_known_region_the_office_is_asked_first(run_action, kb_session_factory):
    events, messages = await run_action(
        ActionMintaPetugas, tracker("web-tanpa-wilayah", "hubungi petugas", "human_handoff")
    )
    assert messages[0]["response"] == "utter_ask_wilayah_petugas"
    assert [b["payload"] for b in messages[0]["buttons"]][0].startswith('/human_handoff{"wilayah":')
    assert events == []  # nothing paused, nothing queued yet
    with kb_session_factory() as session:
        assert repo.permintaan_terbuka(session, "web-tanpa-wilayah") is None


async def test_leaving_the_queue_resumes_the_assistant(kb_session_factory):
    with kb_session_factory() as session:
        repo.buka_permintaan(session, "web-batal", "webchat", "balangan")
        session.commit()
    dispatcher = CollectingDispatcher()
    t = tracker("web-batal", "batal, saya tanya bot saja", "kembali_ke_asisten", {"menunggu_petugas": True})
    events = await ActionKembaliKeAsisten(kb_session_factory).run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_kembali_ke_asisten"
    assert names(events) == [("slot", "menunggu_petugas", False), ("resume", None, None)]
    with kb_session_factory() as session:
        assert repo.permintaan_terakhir(session, "web-batal").status == "dibatalkan"
    dispatcher = CollectingDispatcher()
    events = await ActionKembaliKeAsisten(kb_session_factory).run(
        dispatcher, tracker("web-batal", "kembali ke bot", "kembali_ke_asisten"), {}
    )
    assert dispatcher.messages[0]["response"] == "utter_sudah_dengan_asisten" and events == []


def bot(utter: str) -> dict:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": utter}}


def user(text: str) -> dict:
    return {"event": "user", "text": text}


async def test_a_person_is_offered_after_two_failed_turns_in_a_row():
    failed_before = [user("asdf qwer"), bot("utter_fallback")]
    dispatcher = CollectingDispatcher()
    t = tracker("web-gagal", "zxcv", "nlu_fallback", events=failed_before)
    t.events.append(bot("utter_fallback"))  # this turn's fallback reply, before the offer action
    await ActionTawarkanPetugas().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_tawarkan_petugas"]

    answered_before = [user("syarat izin apotek"), bot("utter_jawaban")]
    dispatcher = CollectingDispatcher()
    t = tracker("web-sekali", "zxcv", "nlu_fallback", events=answered_before)
    t.events.append(bot("utter_fallback"))
    await ActionTawarkanPetugas().run(dispatcher, t, {})
    assert dispatcher.messages == []  # one failure is not two

    offered = [
        user("a"),
        bot("utter_fallback"),
        user("b"),
        bot("utter_fallback"),
        bot("utter_tawarkan_petugas"),
    ]
    dispatcher = CollectingDispatcher()
    t = tracker("web-lagi", "c", "nlu_fallback", events=offered)
    t.events.append(bot("utter_fallback"))
    await ActionTawarkanPetugas().run(dispatcher, t, {})
    assert dispatcher.messages == []  # offered in the turn before: not again at once


async def test_accepting_the_offer_records_why(run_action, kb_session_factory, monkeypatch):
    monkeypatch.setattr(ActionMintaPetugas, "clock", at(2026, 12, 7, 2, 0))
    before = [
        user("a"),
        bot("utter_fallback"),
        user("b"),
        bot("utter_fallback"),
        bot("utter_tawarkan_petugas"),
    ]
    t = tracker("web-tawaran", "/human_handoff", "human_handoff", {"wilayah": "balangan"}, events=before)
    await run_action(ActionMintaPetugas, t)
    with kb_session_factory() as session:
        assert repo.permintaan_terbuka(session, "web-tawaran").alasan == "gagal_beruntun"


async def test_a_question_about_a_named_service_taken_for_a_request_is_answered(
    run_action, kb_session_factory
):
    # "nanti petugas minta STR juga untuk SIP bidan?": the classifier heard "petugas"; the entities
    # say it asks whether a document is required. Answered, a person one tap away, nothing queued.
    entities = [
        {"entity": "layanan", "value": "balangan-surat-izin-praktik-bidan", "start": 36, "end": 45},
        {"entity": "jenis_tanya", "value": "ya_tidak", "start": 14, "end": 19},
        {"entity": "rincian", "value": "str", "start": 20, "end": 23},
    ]
    text = "nanti petugas minta STR juga untuk SIP bidan?"
    t = tracker("web-tanya-str", text, "human_handoff", {"wilayah": "balangan"}, entities=entities)
    events, messages = await run_action(ActionMintaPetugas, t)
    assert "STR Bidan" in messages[0]["text"] and "Surat Izin Praktik Bidan" in messages[0]["text"]
    assert messages[-1]["response"] == "utter_petugas_bila_perlu"
    assert ("pause", None, None) not in names(events)
    with kb_session_factory() as session:
        assert repo.permintaan_terbuka(session, "web-tanya-str") is None


async def test_help_with_something_no_office_handles_is_not_queued(run_action, kb_session_factory):
    # "paspor sama visanya bisa dibantu dari sini?": the classifier heard a request for help; the
    # entities say it is about a passport, which no office here handles: said so, with contacts.
    entities = [{"entity": "luar_layanan", "value": "paspor", "start": 0, "end": 6}]
    text = "paspor sama visanya bisa dibantu dari sini?"
    t = tracker("web-paspor", text, "human_handoff", entities=entities)
    events, messages = await run_action(ActionMintaPetugas, t)
    assert messages[0]["response"] == "utter_bukan_layanan_kami" and messages[0]["hal"] == "paspor"
    assert "Telepon:" in " ".join(m.get("text") or "" for m in messages)
    assert ("pause", None, None) not in names(events)
    with kb_session_factory() as session:
        assert repo.permintaan_terbuka(session, "web-paspor") is None
