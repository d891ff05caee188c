"""Application numbers in a message, however they are written (issue 9, item 11)."""

from __future__ import annotations

from actions.applications import cari_nomor, kandidat_nomor, nomor_berbentuk, temukan_nomor
from bot.permohonan.importer import impor_csv
from tests.permohonan_support import permohonan_record, prepare_database, write_csv


def test_numbers_with_slashes_letters_or_digits_first():
    assert cari_nomor("cek status permohonan SIP/0117/BLG/2026 ya") == "SIP/0117/BLG/2026"
    assert cari_nomor("nomor 503/0451/iz/2026?") == "503/0451/IZ/2026"
    assert cari_nomor("syarat izin apotek") is None


def test_number_shaped_runs():
    assert nomor_berbentuk("cek status permohonan sip 0118 blg 2026 ya kak") == "SIP 0118 BLG 2026"
    assert nomor_berbentuk("503 0451 iz 2026") == "503 0451 IZ 2026"
    for text in (
        "cek status permohonan saya",
        "cek status permohonan saya tanggal 3 November 2026",
        "berkas saya 2 minggu lalu masuk",
        "syarat izin apotek",
    ):
        assert nomor_berbentuk(text) is None, text


def test_the_applications_table_decides_for_loose_numbers(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    factory = prepare_database(url)
    rows = [permohonan_record(nomor_permohonan="IMB/0032/DPMPTSP/2026")]
    assert impor_csv(write_csv(tmp_path / "p.csv", rows), factory).berhasil
    found = temukan_nomor("tolong cek izin imb 0032 dpmptsp 2026 sudah sampai mana", factory)
    assert found == "IMB 0032 DPMPTSP 2026"  # DPMPTSP is too long for the shape rule: the table knows it
    assert len(kandidat_nomor("kata " * 2000 + "1 2 3")) <= 400  # bounded work for any message


def test_ticket_codes_inside_a_sentence_however_they_are_written():
    from actions.complaints import KODE_DI_TEKS_RE
    from bot.pengaduan.tiket import normalize_kode

    for written in ("ADU-7KQ2-9XFD", "adu 7kq2 9xfd", "Adu.7kq2.9xfd", "ADU/7KQ2/9XFD", "adu7kq29xfd"):
        match = KODE_DI_TEKS_RE.search(f"tolong cek pengaduan {written} ya")
        assert match and normalize_kode(match.group(0)) == "ADU-7KQ2-9XFD", written


def test_the_form_keeps_the_whole_number_when_the_nlu_took_only_its_tail(tmp_path):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.applications import ValidateCekPermohonanForm
    from tests.conftest import make_tracker

    factory = prepare_database(f"sqlite:///{tmp_path / 'p.db'}")
    text = "cek status permohonan SIP/0117/BLG/2026"
    tracker = make_tracker(text, "cek_status_permohonan", [("nomor_permohonan", "0117/BLG/2026")])
    result = ValidateCekPermohonanForm(factory).validate_nomor_permohonan(
        "0117/BLG/2026", CollectingDispatcher(), tracker, {}
    )
    assert result == {"nomor_permohonan": "SIP/0117/BLG/2026"}
