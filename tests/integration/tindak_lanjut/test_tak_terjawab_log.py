"""The unanswered-questions log read from the tracker store's events (as Rasa writes them): fallbacks,
"not found", out of scope and handoffs; personal data masked (including names given in a form);
grouped with counts; read once however often a pass runs; resolved with a note and reopened when
the question comes back. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from bot.petugas import riwayat
from bot.tak_terjawab.models import KelompokTakTerjawabRow, TakTerjawabRow
from bot.tak_terjawab.pencatat import pindai
from bot.tak_terjawab.repository import daftar_kelompok, selesaikan

START = datetime(2026, 11, 10, 2, 0)


class Percakapan:
    """Writes events the way Rasa's SQL tracker store does (type_name, action_name, JSON data)."""

    def __init__(self, factory):
        self.factory = factory
        self.clock = START.replace(tzinfo=timezone.utc).timestamp()
        with factory.begin() as session:
            riwayat.EVENTS.create(session.connection(), checkfirst=True)

    def _add(self, sender: str, type_name: str, data: dict, action_name=None) -> None:
        self.clock += 5
        data = {"event": type_name, "timestamp": self.clock, **data}
        with self.factory.begin() as session:
            session.execute(
                insert(riwayat.EVENTS).values(
                    sender_id=sender,
                    type_name=type_name,
                    timestamp=self.clock,
                    action_name=action_name,
                    data=json.dumps(data),
                )  # fmt: skip
            )

    def user(self, sender: str, text: str, channel: str = "webchat") -> None:
        self._add(sender, "user", {"text": text, "input_channel": "rest", "metadata": {"channel": channel}})

    def bot(self, sender: str, utter: str, text: str = "...") -> None:
        self._add(sender, "bot", {"text": text, "metadata": {"utter_action": utter}})

    def slot(self, sender: str, name: str, value: str) -> None:
        self._add(sender, "slot", {"name": name, "value": value}, action_name=name)


def read(factory, now):
    with factory() as session, factory() as tracker:
        found = pindai(session, tracker, now)
        session.commit()
        return found


def test_failures_and_handoffs_are_logged_masked_grouped_once(tl_factory):
    chat = Percakapan(tl_factory)
    chat.slot("web-1", "wilayah", "balangan")
    chat.user("web-1", "kak syarat izin karaoke apa aja? wa saya 0812-3456-7890")
    chat.bot("web-1", "utter_fallback")
    chat.user("telegram:2", "izin karaoke syaratnya gimana", channel="telegram")
    chat.bot("telegram:2", "utter_layanan_tidak_ditemukan")
    chat.user("web-3", "berapa biaya bikin paspor")
    chat.bot("web-3", "utter_bukan_layanan_kami")
    chat.user("web-3", "halo")  # answered: not logged
    chat.bot("web-3", "utter_greet")
    # A complaint form gave a name; later the person types it outside the form and is not understood.
    chat.slot("web-4", "pengaduan_nama", "Rahmat Hidayat")
    chat.user("web-4", "rahmat hidayat email rahmat@contoh.id mau tanya izin karaoke")
    chat.bot("web-4", "utter_fallback")
    # A question, then the request for a person (button): the question is what was not answered.
    chat.user("web-5", "bisa urus izin tambang pasir di sini?")
    chat.bot("web-5", "utter_jawab", "Maaf ...")
    chat.user("web-5", "/human_handoff")
    chat.bot("web-5", "utter_petugas_diteruskan")
    # Two failures then the person asks for one: the handoff adds nothing new (the question is logged).
    chat.user("web-6", "izin karaoke keliling")
    chat.bot("web-6", "utter_fallback")
    chat.user("web-6", "/human_handoff")
    chat.bot("web-6", "utter_petugas_di_luar_jam")

    later = START + timedelta(hours=1)
    assert read(tl_factory, later) == 6
    assert read(tl_factory, later + timedelta(minutes=5)) == 0  # read once
    with tl_factory() as session:
        rows = session.execute(select(TakTerjawabRow).order_by(TakTerjawabRow.id)).scalars().all()
        texts = [(r.teks, r.jenis, r.kanal) for r in rows]
        groups = daftar_kelompok(session)
    assert texts == [
        ("kak syarat izin karaoke apa aja? wa saya [telepon]", "fallback", "webchat"),
        ("izin karaoke syaratnya gimana", "tidak_ditemukan", "telegram"),
        ("berapa biaya bikin paspor", "di_luar_layanan", "webchat"),
        ("[nama] email [email] mau tanya izin karaoke", "fallback", "webchat"),
        ("bisa urus izin tambang pasir di sini?", "petugas", "webchat"),
        ("izin karaoke keliling", "fallback", "webchat"),
    ]
    assert rows[0].wilayah == "balangan"
    by_example = {g.contoh: g for g in groups}
    karaoke = by_example["kak syarat izin karaoke apa aja? wa saya [telepon]"]
    assert karaoke.jumlah == 4 and groups[0].id == karaoke.id  # most frequent first
    assert karaoke.per_jenis == {"fallback": 3, "tidak_ditemukan": 1}
    assert karaoke.per_kanal == {"webchat": 3, "telegram": 1}
    assert by_example["berapa biaya bikin paspor"].jumlah == 1
    assert by_example["bisa urus izin tambang pasir di sini?"].jumlah == 1


def test_resolved_with_a_note_and_reopened_when_asked_again(tl_factory):
    chat = Percakapan(tl_factory)
    chat.user("web-1", "syarat izin karaoke?")
    chat.bot("web-1", "utter_fallback")
    read(tl_factory, START + timedelta(hours=1))
    with tl_factory() as session:
        group = session.execute(select(KelompokTakTerjawabRow)).scalar_one()
        assert selesaikan(session, group.id, "", "konsol:siti") == [
            "tulis catatan apa yang dilakukan (misalnya alias yang ditambahkan)"
        ]
        note = "Alias 'izin karaoke' ditambahkan ke standar hiburan"
        assert selesaikan(session, group.id, note, "konsol:siti", START + timedelta(days=1)) == []
        session.commit()
        assert daftar_kelompok(session, status="selesai")[0].catatan.startswith("Alias 'izin karaoke'")
    chat.clock = (START + timedelta(days=2)).replace(tzinfo=timezone.utc).timestamp()
    chat.user("web-9", "izin karaoke syaratnya apa")
    chat.bot("web-9", "utter_fallback")
    read(tl_factory, START + timedelta(days=3))
    with tl_factory() as session:
        group = session.execute(select(KelompokTakTerjawabRow)).scalar_one()
        assert (group.status, group.jumlah, group.muncul_lagi) == ("terbuka", 2, 1)
        assert group.catatan.startswith("Alias")  # what was tried stays visible


def test_recent_events_are_read_again_until_settled(tl_factory):
    chat = Percakapan(tl_factory)
    chat.user("web-1", "izin karaoke?")
    chat.bot("web-1", "utter_fallback")
    just_after = START + timedelta(seconds=20)  # the events are younger than a minute
    assert read(tl_factory, just_after) == 1
    with tl_factory() as session:
        from bot.tak_terjawab.models import PenandaRow

        assert session.get(PenandaRow, "tak_terjawab").nilai == 0  # the mark waits
    assert read(tl_factory, START + timedelta(hours=1)) == 0  # read again, recorded once
