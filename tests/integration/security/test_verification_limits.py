"""Ownership checks that cannot be guessed: counts per number, sender and address; success resets
nothing; locks by time or by staff. On SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.permohonan.importer import impor_csv
from bot.permohonan.repository import get_permohonan, nomor_dikenal, nomor_kunci, verifikasi_pemilik
from bot.security import percobaan
from tests.permohonan_support import permohonan_record, prepare_database, write_csv

NOW = datetime(2026, 11, 2, 9, 0)


def imported(url, tmp_path, **extra):  # noqa: ANN001
    factory = prepare_database(url)
    rows = [
        permohonan_record(nomor_permohonan="503/0451/IZ/2026", telepon="0812-5544-7788", **extra),
        permohonan_record(nomor_permohonan="SIP/0117/BLG/2026", telepon="0813-0000-4401"),
    ]
    assert impor_csv(write_csv(tmp_path / "p.csv", rows), factory).berhasil
    return factory


def attempt(factory, nomor, digits, sender="s", client=None, when=NOW, kode=None):  # noqa: ANN001
    with factory() as session:
        hasil = verifikasi_pemilik(session, sender, nomor, digits, when, klien=client, kode_tanda_terima=kode)
        session.commit()
    return hasil


def test_failures_count_per_number_across_senders_and_a_success_resets_nothing(db_url, tmp_path):
    factory = imported(db_url, tmp_path)
    for n in range(4):
        assert not attempt(factory, "503/0451/IZ/2026", f"{n:04d}", sender=f"s{n}").berhasil
    assert attempt(factory, "503/0451/IZ/2026", "7788", sender="owner").berhasil  # no reset
    locked = attempt(factory, "503/0451/IZ/2026", "0009", sender="s9")
    assert not locked.berhasil and locked.terkunci_sampai == NOW + percobaan.BATAS[percobaan.NOMOR].lama
    # Whoever asks now, with the right digits, is refused until the lock ends...
    assert attempt(
        factory, "503/0451/IZ/2026", "7788", sender="owner", when=NOW + timedelta(hours=1)
    ).terkunci_sampai
    # ...or until staff unlock it.
    with factory() as session:
        assert [k.kunci for k in percobaan.daftar_terkunci(session, percobaan.NOMOR, NOW)] == [
            "5030451IZ2026"
        ]
        assert percobaan.buka_kunci(session, percobaan.NOMOR, nomor_kunci("503/0451/IZ/2026"))
        session.commit()
    assert attempt(
        factory, "503/0451/IZ/2026", "7788", sender="owner", when=NOW + timedelta(hours=1)
    ).berhasil


def test_unknown_numbers_are_counted_and_locked_like_known_ones(db_url, tmp_path):
    factory = imported(db_url, tmp_path)
    results = [attempt(factory, "503/9999/IZ/2026", "7788", sender=f"s{n}") for n in range(6)]
    assert [bool(r.terkunci_sampai) for r in results] == [False] * 4 + [True, True]


def test_one_client_address_is_limited_whatever_sender_and_number(db_url, tmp_path):
    factory = imported(db_url, tmp_path)
    for n in range(9):
        assert not attempt(
            factory, f"503/{n:04d}/XX/2026", "1111", sender=f"s{n}", client="addr"
        ).terkunci_sampai
    assert attempt(factory, "503/7777/XX/2026", "1111", sender="s10", client="addr").terkunci_sampai
    blocked = attempt(factory, "503/0451/IZ/2026", "7788", sender="new", client="addr")
    assert not blocked.berhasil and blocked.terkunci_sampai
    assert attempt(factory, "503/0451/IZ/2026", "7788", sender="new", client="other").berhasil


def test_windows_end_and_old_counters_are_forgotten(db_url, tmp_path):
    factory = imported(db_url, tmp_path)
    for _ in range(2):
        attempt(factory, "503/0451/IZ/2026", "0000", sender="s")
    later = NOW + timedelta(hours=2)  # the sender's 1-hour window is over: two new failures do not lock
    assert not attempt(factory, "503/0451/IZ/2026", "0000", sender="s", when=later).terkunci_sampai
    with factory() as session:
        assert percobaan.hapus_kedaluwarsa(session, NOW + timedelta(days=3)) >= 2
        session.commit()


def test_loosely_written_numbers_find_their_application(db_url, tmp_path):
    factory = imported(db_url, tmp_path)
    with factory() as session:
        for written in ("sip 0117 blg 2026", "Sip-0117-Blg-2026", "SIP/0117/BLG/2026", "sip0117blg2026"):
            assert get_permohonan(session, written).nomor == "SIP/0117/BLG/2026", written
        assert nomor_dikenal(session, {nomor_kunci("sip 0117 blg 2026"), "CEKSTATUS"}) == {"SIP0117BLG2026"}
    assert attempt(factory, "sip 0117 blg 2026", "4401").berhasil


def test_a_receipt_code_is_also_required_where_the_office_imported_one(db_url, tmp_path):
    factory = imported(db_url, tmp_path, kode_tanda_terima="TT-9K3M")
    assert not attempt(factory, "503/0451/IZ/2026", "7788", sender="a").berhasil
    assert not attempt(factory, "503/0451/IZ/2026", "7788", sender="b", kode="TT-0000").berhasil
    assert attempt(factory, "503/0451/IZ/2026", "7788", sender="c", kode="tt 9k3m").berhasil
    assert attempt(
        factory, "SIP/0117/BLG/2026", "4401", sender="d", kode="tidak ada"
    ).berhasil  # none imported
