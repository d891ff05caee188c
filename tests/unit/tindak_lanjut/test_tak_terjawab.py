"""Unanswered questions: masking of personal data, and the grouping key and similarity."""

from __future__ import annotations

import pytest

from bot.tak_terjawab.kelompok import AMBANG, kunci, mirip
from bot.tak_terjawab.samaran import samarkan


@pytest.mark.parametrize(
    "text, masked",
    [
        ("nama saya Budi Santoso, hp 0812-3456-7890", "nama saya [nama], hp [telepon]"),
        ("email saya budi.s@gmail.com kak", "email saya [email] kak"),
        ("NIK 3214012345670001 bisa buat izin?", "NIK [NIK] bisa buat izin?"),
        ("NIK 321401 234567 0001", "NIK [NIK]"),
        ("telp (0526) 2028114 atau +62 812 3456 7890", "telp [telepon] atau [telepon]"),
        ("wa 6281234567890", "wa [telepon]"),
        ("cek 503/0451/IZ/2026 dong", "cek [nomor permohonan] dong"),
        ("tiket ADU-7KQ2-9XFD gimana", "tiket [tiket] gimana"),
        ("atas nama siti rahma", "atas nama [nama]"),
        ("a.n. Rahmat Hidayat tolong dicek", "a.n. [nama] tolong dicek"),
        # Not personal data: kept.
        ("KBLI 10510 syaratnya apa", "KBLI 10510 syaratnya apa"),
        ("izin usaha 2 hektar tanggal 2026-11-20", "izin usaha 2 hektar tanggal 2026-11-20"),
        ("biaya 500000 rupiah?", "biaya 500000 rupiah?"),
    ],
)
def test_personal_data_is_masked(text, masked):
    assert samarkan(text) == masked


def test_names_and_codes_given_in_forms_are_masked_anywhere():
    text = "saya Siti Aminah, kodenya 7788, siti mau tanya izin apotek"
    assert samarkan(text, nama_dikenal=["Siti Aminah"], kode_dikenal=["7788"]) == (
        "saya [nama], kodenya [kode], [nama] mau tanya izin apotek"
    )


@pytest.mark.parametrize(
    "a, b",
    [
        ("kak syarat izin karaoke apa aja?", "izin karaoke syaratnya gimana"),
        ("berapa biaya bikin paspor", "paspor berapa ya kak"),
        ("gimana cara daftar oss", "cara daftar di oss gimana"),
        ("kapan kantor buka hari sabtu", "kantor buka sabtu?"),
        ("bisa bikin paspor di sini kak?", "mau bikin paspor buat umroh, bisa di dinas ini?"),
        ("syarat izin karaoke, hubungi 0812-1111-2222", "syarat izin karaoke hubungi 0813 9999 8888"),
    ],
)
def test_the_same_question_in_other_words_groups_together(a, b):
    assert mirip(kunci(samarkan(a)), kunci(samarkan(b))) >= AMBANG


@pytest.mark.parametrize(
    "a, b",
    [
        ("syarat izin karaoke", "syarat izin reklame"),
        ("izin tambang pasir", "izin tambang batu"),
        ("izin?", "izin karaoke"),  # one shared word does not swallow the others
        ("ok", "halo"),
    ],
)
def test_different_questions_stay_apart(a, b):
    assert mirip(kunci(a), kunci(b)) < AMBANG
