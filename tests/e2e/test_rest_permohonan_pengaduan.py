"""Status checks and complaints over the REST channel, against the running assistant (issue 4).

Applications are imported into the assistant's own database with dates relative to today; expected
steps and deadlines are computed from the same knowledge base and calendar, never written here.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from actions.applications import tanggal_id
from bot.permohonan.kalender import hitung_tenggat

pytestmark = pytest.mark.e2e

APOTEK = "balangan-izin-apotek"
TIKET_RE = re.compile(r"ADU-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture(scope="module")
def data(assistant, tmp_path_factory):
    """Three applications in the assistant's database: on time, overdue, returned."""
    from bot.db import session_factory
    from bot.knowledge import operasional
    from bot.knowledge.repository import get_region, get_standard
    from bot.permohonan.importer import HEADER, impor_csv

    factory = session_factory(assistant.database_url)
    with factory() as session:
        region = get_region(session, "balangan")
    # The assistant counts days in the office's own time zone (Balangan: WITA), so does the test:
    # from 16:00 UTC its today is already tomorrow in UTC and WIB.
    today = operasional.hari_ini(region)
    rows = [
        ["503/7001/IZ/2026", APOTEK, "balangan", "Lestari Wulandari", "0812-1111-4401",
         (today - timedelta(days=1)).isoformat(), "diproses", "6", "", "", ""],
        ["503/7002/IZ/2026", APOTEK, "balangan", "Rahmat Hidayat", "0812-2222-4402",
         (today - timedelta(days=60)).isoformat(), "diproses", "6", "", "", ""],
        ["503/7003/IZ/2026", APOTEK, "balangan", "Maya Sari", "0812-3333-4403",
         (today - timedelta(days=3)).isoformat(), "dikembalikan", "3", "Denah bangunan belum dilampirkan",
         "", ""],
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("csv") / "p.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    assert impor_csv(path, factory).berhasil
    with factory() as session:
        standard = get_standard(session, APOTEK)
    return factory, standard, today


def check_status(assistant, who: str, nomor: str, digits: str) -> str:
    asked = text_of(assistant.send(who, "cek status permohonan saya"))
    assert "nomor permohonan" in asked.lower()
    asked = text_of(assistant.send(who, nomor))
    assert "4 angka terakhir" in asked
    return text_of(assistant.send(who, digits))


def test_status_happy_path(assistant, data):
    _, standard, today = data
    steps = [b if isinstance(b, str) else b["teks"] for b in standard.komponen["prosedur"].butir]
    reply = check_status(assistant, sender(), "503/7001/IZ/2026", "4401")
    assert f"langkah 6 dari {len(steps)}: {steps[5]}" in reply
    hari = standard.komponen["jangka_waktu"].extra["hari_kerja_maks"]
    tenggat = hitung_tenggat(today - timedelta(days=1), hari, today)
    assert tanggal_id(tenggat.batas) in reply and f"Sisa waktu: {tenggat.sisa_hari_kerja} hari kerja" in reply
    assert "Lestari" not in reply and "4401" not in reply
    assert "Sumber" in reply


def test_wrong_digits_and_unknown_number_answer_alike(assistant, data):
    wrong = check_status(assistant, sender(), "503/7001/IZ/2026", "9999")
    unknown = check_status(assistant, sender(), "503/7999/IZ/2026", "4401")
    assert wrong == unknown and "tidak cocok" in wrong


def test_lock_out_after_three_failures(assistant, data):
    who = sender()
    for digits in ("0001", "0002"):
        assert "tidak cocok" in check_status(assistant, who, "503/7001/IZ/2026", digits)
    assert "dikunci" in check_status(assistant, who, "503/7001/IZ/2026", "0003")
    # Locked: the right digits are not even asked for.
    assistant.send(who, "cek status permohonan saya")
    assert "dikunci" in text_of(assistant.send(who, "503/7001/IZ/2026"))


def test_a_question_instead_of_the_number_leaves_the_check(assistant, data):
    """Asked for the number, the person asks something else: that is answered, not taken for a
    malformed number, and the next message is a new question, not an answer to the form."""
    from bot.knowledge.repository import get_region

    factory, standard, _ = data
    with factory() as session:
        region = get_region(session, "balangan")
    who = sender()
    assert "nomor permohonan" in text_of(assistant.send(who, "cek status permohonan saya")).lower()
    contacts = text_of(assistant.send(who, "nomor whatsapp kantor dpmptsp balangan berapa ya?"))
    assert region.whatsapp[0] in contacts and "nomor permohonan" not in contacts.lower()
    fee = text_of(assistant.send(who, "biaya izin apotek berapa?"))
    assert standard.komponen["biaya"].teks.split("\n")[0][:20] in fee and "Sumber" in fee


def test_returned_file_shows_what_is_missing(assistant, data):
    reply = check_status(assistant, sender(), "503/7003/IZ/2026", "4403")
    assert "Denah bangunan belum dilampirkan" in reply and "Dikembalikan" in reply


def test_overdue_offer_prefilled_complaint_then_check_by_ticket(assistant, data):
    factory, _, _ = data
    who = sender()
    replies = assistant.send(who, "nomor 503/7002/IZ/2026 sudah sampai mana?")
    assert "4 angka terakhir" in text_of(replies)
    replies = assistant.send(who, "4402")
    assert "TERLAMBAT" in text_of(replies)
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or ()]
    assert "/ajukan_pengaduan" in payloads
    asked = text_of(assistant.send(who, "/ajukan_pengaduan"))
    assert "kategori" in asked.lower()  # region and application already known: not asked
    assistant.send(who, "Hambatan dalam pelayanan")
    assistant.send(who, "Izin apotek saya sudah lewat batas waktu standar pelayanan tanpa penjelasan.")
    assistant.send(who, "lewati")
    assistant.send(who, "Rahmat Hidayat")
    summary = text_of(assistant.send(who, "lewati"))
    assert "Nomor permohonan: 503/7002/IZ/2026" in summary and "Layanan: Izin Apotek" in summary
    assert "Rahmat" not in summary and "R***** H******" in summary
    saved = text_of(assistant.send(who, "ya"))
    kode = TIKET_RE.search(saved).group(0)
    assert "Pengaduan Anda sudah tersimpan" in saved
    checked = text_of(assistant.send(who, f"cek pengaduan {kode}"))
    assert kode in checked and "Status: Diterima" in checked and "Belum ada tanggapan" in checked


def test_purwakarta_complaint_without_identity_is_a_suggestion(assistant):
    who = sender()
    assistant.send(who, "saya mau mengajukan pengaduan")
    replies = assistant.send(who, "Kabupaten Purwakarta")
    assert "kategori" in text_of(replies).lower()
    assistant.send(who, "Sarana dan prasarana")
    assistant.send(who, "Ruang tunggu sangat panas, AC mati dan kursinya tidak cukup untuk pemohon.")
    assistant.send(who, "lewati")
    assistant.send(who, "lewati")
    summary = text_of(assistant.send(who, "lewati"))
    assert "SARAN" in summary and "14 hari kerja" in summary
    saved = text_of(assistant.send(who, "ya"))
    assert "Saran Anda sudah tersimpan" in saved and TIKET_RE.search(saved)
    assert "081809898222" in saved  # the region's other channels, from its standard


def _fill_balangan(assistant, who: str, uraian: str) -> str:
    assistant.send(who, "saya mau mengajukan pengaduan")
    assistant.send(who, "Kabupaten Balangan")
    assistant.send(who, "Pelaksanaan pelayanan")
    assistant.send(who, uraian)
    assistant.send(who, "kemarin siang")
    assistant.send(who, "lewati")
    return text_of(assistant.send(who, "lewati"))


def test_cancel_at_confirmation_saves_nothing(assistant, data):
    from bot.pengaduan.repository import list_pengaduan

    factory, _, _ = data
    with factory() as session:
        before = len(list_pengaduan(session))
    who = sender()
    _fill_balangan(
        assistant, who, "Petugas front office tidak menjelaskan kekurangan berkas saya sama sekali."
    )
    reply = text_of(assistant.send(who, "batal"))
    assert "dibatalkan" in reply and not TIKET_RE.search(reply)
    with factory() as session:
        assert len(list_pengaduan(session)) == before


def test_correction_before_confirming(assistant, data):
    from bot.pengaduan.repository import get_pengaduan

    factory, _, _ = data
    who = sender()
    summary = _fill_balangan(assistant, who, "Antrian sangat lama dan nomor antrian dilewati petugas.")
    assert "nomor antrian dilewati" in summary
    asked = text_of(assistant.send(who, "ubah uraian"))
    assert "Ceritakan" in asked
    summary = text_of(assistant.send(who, "Saya disuruh bolak balik tiga kali hanya untuk tanda tangan."))
    assert "bolak balik" in summary and "nomor antrian dilewati" not in summary
    kode = TIKET_RE.search(text_of(assistant.send(who, "ya"))).group(0)
    with factory() as session:
        assert "bolak balik" in get_pengaduan(session, kode).uraian


def test_same_complaint_delivered_twice_is_one_ticket(assistant, data):
    who = sender()
    uraian = "Loket pengaduan tutup pada jam pelayanan tanpa pemberitahuan kepada pemohon."
    _fill_balangan(assistant, who, uraian)
    first = TIKET_RE.search(text_of(assistant.send(who, "ya"))).group(0)
    _fill_balangan(assistant, who, uraian)
    second = TIKET_RE.search(text_of(assistant.send(who, "ya"))).group(0)
    assert first == second


def test_unknown_ticket(assistant):
    reply = assistant.send(sender(), "cek pengaduan ADU-2345-6789")
    assert "tidak ditemukan" in text_of(reply)
