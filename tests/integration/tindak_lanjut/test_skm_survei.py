"""The satisfaction survey in the chat (the actions as the action server runs them): a full survey with
a comment, a skipped question, one left half-way and resumed days later, an old button pressed,
the region asked when nothing is known, one survey per subject; then the IKM of what was answered
(CLI and CSV) equals the hand computation. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess
import sys

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.skm import ActionSkmJawab, ActionSkmMulai, ActionSkmSimpanKomentar, ValidateSkmKomentarForm
from bot.nlu.linking import link
from bot.permohonan.repository import ubah_permohonan
from bot.run import ROOT
from bot.skm.models import UNSUR, SkmResponRow
from bot.skm.repository import ikm_per, tulis_csv
from tests.tindak_lanjut_support import permohonan


def tracker(sender: str, intent: str, slots: dict | None = None, entities: list | None = None) -> Tracker:
    latest = {"text": "", "intent": {"name": intent, "confidence": 1.0}, "entities": entities or []}
    user = {"event": "user", "text": "x", "metadata": {"channel": "webchat"}}
    return Tracker(sender, slots or {}, latest, [user], False, None, {}, "action_listen")


def run(action, track) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, track, {}))
    return dispatcher.messages


def press(factory, sender: str, payload: str) -> list[dict]:
    """A button as Rasa parses it: /jawab_skm{"skm_nilai": "..."} -> intent and entity."""
    match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
    entities = [{"entity": k, "value": v} for k, v in json.loads(match.group(2) or "{}").items()]
    action = {"jawab_skm": ActionSkmJawab, "isi_skm": ActionSkmMulai}[match.group(1)](factory)
    return run(action, tracker(sender, match.group(1), entities=entities))


def answer_all(factory, sender: str, scores: list, messages: list[dict]) -> list[dict]:
    """Press, for each question in turn, the button of its score (None: Lewati) on the last message."""
    for score in scores:
        buttons = messages[-1]["buttons"]
        label = "Lewati" if score is None else str(score)
        [button] = [b for b in buttons if b["title"].split()[0] == label]
        messages = press(factory, sender, button["payload"])
    return messages


def test_full_survey_with_comment_then_ikm(tl_factory):
    nomor = permohonan(tl_factory)
    with tl_factory.begin() as session:
        ubah_permohonan(
            session, nomor, "api", status="selesai", nomor_izin="503/5/IA/2026", tanggal_selesai="2026-11-27"
        )
    first = run(ActionSkmMulai(tl_factory), tracker("web-s1", "isi_skm", {"permohonan_terverifikasi": nomor}))
    assert first[0]["text"].startswith(
        "Terima kasih! Survei Kepuasan Masyarakat untuk layanan Izin Apotek: 9 pertanyaan"
    )
    assert first[1]["text"].startswith(
        "Pertanyaan 1 dari 9: Persyaratan\nBagaimana pendapat Anda tentang kesesuaian"
    )
    assert [b["title"] for b in first[1]["buttons"]] == [
        "1 Tidak sesuai", "2 Kurang sesuai", "3 Sesuai", "4 Sangat sesuai", "Lewati",
    ]  # fmt: skip
    end = answer_all(tl_factory, "web-s1", [4, 3, 3, 4, 3, 4, 4, 3, 3], first[1:])
    assert end[0]["text"] == "Terima kasih atas penilaian Anda! Ada saran atau komentar untuk kami?"
    assert [b["payload"] for b in end[0]["buttons"]] == ["/komentar_skm", '/jawab_skm{"skm_nilai":"selesai"}']
    validated = ValidateSkmKomentarForm().validate_skm_komentar(
        "Pelayanan cepat. Hubungi saya di 0812-3456-7890 kalau perlu, nama saya Rina.",
        None,
        tracker("web-s1", "inform"),
        {},
    )
    skipped = ValidateSkmKomentarForm().validate_skm_komentar(
        "gak ada kak", None, tracker("web-s1", "inform", entities=link(None, "gak ada kak").entities()), {}
    )
    assert skipped == {"skm_komentar": "-"}
    slots = {"skm_komentar": validated["skm_komentar"]}
    done = run(ActionSkmSimpanKomentar(tl_factory), tracker("web-s1", "inform", slots))
    assert done[0]["text"].startswith("Survei dan komentar Anda sudah tersimpan")
    with tl_factory() as session:
        row = session.execute(select(SkmResponRow)).scalar_one()
        assert [getattr(row, k) for k in UNSUR] == [4, 3, 3, 4, 3, 4, 4, 3, 3]
        assert (row.subjek, row.wilayah, row.standard_id, row.selesai) == (
            "permohonan",
            "balangan",
            "balangan-izin-apotek",
            True,
        )
        assert row.pengirim is None  # anonymous once finished
        assert row.komentar == "Pelayanan cepat. Hubungi saya di [telepon] kalau perlu, nama saya [nama]."
    again = run(ActionSkmMulai(tl_factory), tracker("web-s1", "isi_skm", {"permohonan_terverifikasi": nomor}))
    assert again[0]["text"] == "Anda sudah mengisi survei kepuasan untuk layanan Izin Apotek. Terima kasih!"


def test_skipped_resumed_and_old_buttons(tl_factory):
    # No application, no region known: the office is asked first.
    asked = run(ActionSkmMulai(tl_factory), tracker("web-s2", "isi_skm"))
    assert asked[0]["text"] == "Survei kepuasan untuk kantor DPMPTSP wilayah mana?"
    assert [b["payload"] for b in asked[0]["buttons"]] == [
        '/isi_skm{"wilayah":"balangan"}',
        '/isi_skm{"wilayah":"purwakarta"}',
    ]
    messages = press(tl_factory, "web-s2", asked[0]["buttons"][1]["payload"])
    assert (
        "untuk pelayanan Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Purwakarta"
        in messages[0]["text"]
    )
    question_one = messages[1]
    messages = answer_all(tl_factory, "web-s2", [2, None, 3], messages)  # the second one skipped
    assert messages[0]["text"].startswith("Pertanyaan 4 dari 9: Biaya/tarif")
    # An old button (question 1) pressed again: it does not answer question 4.
    old = press(tl_factory, "web-s2", question_one["buttons"][3]["payload"])
    assert old[0]["text"] == "Pertanyaan itu sudah dijawab. Pertanyaan berikutnya:"
    assert old[1]["text"].startswith("Pertanyaan 4 dari 9")
    # The person leaves; days later "lanjut survei" resumes at question 4.
    resumed = run(ActionSkmMulai(tl_factory), tracker("web-s2", "isi_skm"))
    assert resumed[0]["text"] == "Kita lanjutkan survei kepuasan Anda."
    assert resumed[1]["text"].startswith("Pertanyaan 4 dari 9")
    end = answer_all(tl_factory, "web-s2", [4, 3, 3, 4, 4, 2], resumed)  # 4..9
    assert end[0]["buttons"][1]["title"] == "Selesai"
    finished = press(tl_factory, "web-s2", end[0]["buttons"][1]["payload"])
    assert finished[0]["text"] == "Survei Anda sudah tersimpan. Terima kasih atas penilaiannya!"
    with tl_factory() as session:
        row = session.execute(select(SkmResponRow)).scalar_one()
        assert [getattr(row, k) for k in UNSUR] == [2, None, 3, 4, 3, 3, 4, 4, 2]
        assert (row.subjek, row.wilayah, row.standard_id, row.komentar) == ("umum", "purwakarta", None, None)
    assert press(tl_factory, "web-s2", '/jawab_skm{"skm_nilai":"biaya:3"}')[0]["text"].startswith(
        "Tidak ada survei yang sedang berjalan"
    )


def test_ikm_per_service_region_month_and_csv_equal_the_hand_computation(tl_factory, tl_url):
    # Three finished surveys about Izin Apotek (Balangan), one general one about Purwakarta.
    apotek = [(4, 3, 3, 4, 3, 4, 4, 3, 3), (3, 3, 2, 4, 3, 3, 4, None, 3), (4, 4, 3, 4, 4, 4, 4, 4, 2)]
    for i, scores in enumerate(apotek):
        nomor = permohonan(tl_factory, nomor=f"503/07{i:02d}/IZ/2026")
        run(ActionSkmMulai(tl_factory), tracker(f"web-i{i}", "isi_skm", {"permohonan_terverifikasi": nomor}))
        for key, score in zip(UNSUR, scores, strict=True):
            press(
                tl_factory,
                f"web-i{i}",
                f'/jawab_skm{{"skm_nilai":"{key}:{"lewati" if score is None else score}"}}',
            )
        press(tl_factory, f"web-i{i}", '/jawab_skm{"skm_nilai":"selesai"}')
    run(
        ActionSkmMulai(tl_factory),
        tracker("web-p", "isi_skm", entities=[{"entity": "wilayah", "value": "purwakarta"}]),
    )
    for key in UNSUR:
        press(tl_factory, "web-p", f'/jawab_skm{{"skm_nilai":"{key}:2"}}')
    # An unfinished survey (3 answers) is not counted.
    run(
        ActionSkmMulai(tl_factory),
        tracker("web-q", "isi_skm", entities=[{"entity": "wilayah", "value": "balangan"}]),
    )
    for key in UNSUR[:3]:
        press(tl_factory, "web-q", f'/jawab_skm{{"skm_nilai":"{key}:1"}}')

    # By hand, Izin Apotek: NRR persyaratan (4+3+4)/3 = 3.6667, prosedur 10/3 = 3.3333, waktu 8/3 = 2.6667,
    # biaya 4, produk 10/3, kompetensi 11/3, perilaku 4, pengaduan (3+4)/2 = 3.5, sarana 8/3.
    # Sum = (11 + 10 + 8 + 10 + 11 + 8) / 3 + 4 + 4 + 3.5 = 58/3 + 11.5 = 30.8333...;
    # / 9 = 3.42593 (the regulation's weighted mean); x 25 = 85.648 -> 85.65, B.
    with tl_factory() as session:
        per_service = {r.kelompok: r for r in ikm_per(session, "layanan")}
        per_region = {r.kelompok: r for r in ikm_per(session, "wilayah")}
        per_month = ikm_per(session, "bulan")
    apotek_row = per_service["balangan-izin-apotek"]
    assert (
        apotek_row.hasil.responden == 3
        and apotek_row.hasil.ikm == 85.65
        and apotek_row.hasil.mutu.mutu == "B"
    )
    assert apotek_row.label == "Izin Apotek (Kabupaten Balangan)"
    assert per_service["-"].hasil.ikm == 50.0 and per_service["-"].hasil.mutu.mutu == "D"  # all 2s: 2 x 25
    assert per_region["balangan"].hasil.ikm == 85.65 and per_region["purwakarta"].hasil.responden == 1
    assert len(per_month) == 1 and per_month[0].hasil.responden == 4
    out = io.StringIO()
    with tl_factory() as session:
        tulis_csv(ikm_per(session, "layanan"), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    apotek_csv = next(r for r in rows if r["kelompok"] == "balangan-izin-apotek")
    assert (apotek_csv["responden"], apotek_csv["nrr_pengaduan"], apotek_csv["ikm"], apotek_csv["mutu"]) == (
        "3", "3.500", "85.65", "B",
    )  # fmt: skip
    # The command line, as staff run it.
    result = subprocess.run(
        [sys.executable, "-m", "bot", "skm", "--per", "wilayah", "--dari", "2026-01-01"]
        + ["--sampai", "2099-12-31"],
        capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                      "DATABASE_URL": tl_url, "SQLALCHEMY_WARN_20": "0"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Kabupaten Balangan" in result.stdout and "85.65  B (Baik)" in result.stdout, result.stdout
