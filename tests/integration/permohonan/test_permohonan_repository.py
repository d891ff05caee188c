"""Applications: CSV import (all or nothing), history, staff changes, ownership check and lock-out.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.permohonan.importer import impor_csv
from bot.permohonan.repository import (
    count_permohonan,
    get_permohonan,
    hash_pengirim,
    ubah_permohonan,
    verifikasi_pemilik,
)
from tests.permohonan_support import (
    SUSU,
    TODAY,
    permohonan_record,
    write_csv,
)


def _valid_rows():
    return [
        permohonan_record(),
        permohonan_record(
            nomor_permohonan="503/0452/IZ/2026",
            layanan="Sertifikat Standar KBLI 10510 Industri Pengolahan Susu Segar dan Krim",
            wilayah="purwakarta",
            nama_pemohon="Dedi Kurniawan",
            telepon="+62 813-2200-1144",
            status="dikembalikan",
            tahap="Verifikasi persyaratan",
            catatan="Denah bangunan belum dilampirkan",
        ),
        permohonan_record(
            nomor_permohonan="503/0390/IZ/2026",
            status="selesai",
            tahap="9",
            nomor_izin="IZ-APT/2026/0390",
            tanggal_selesai="2026-02-20",
            tanggal_masuk="2026-02-02",
        ),
    ]


def test_valid_file_imports_every_row(factory, tmp_path):
    hasil = impor_csv(write_csv(tmp_path / "ok.csv", _valid_rows()), factory, today=TODAY)
    assert hasil.berhasil, hasil.salah
    assert (hasil.baru, hasil.diubah, hasil.sama) == (3, 0, 0)
    with factory() as session:
        p = get_permohonan(session, "503/0452/iz/2026")  # number compared without case
        assert p.standard_id == SUSU and p.wilayah == "purwakarta"
        assert p.telepon == "081322001144"  # +62 written as 0, digits only
        assert p.tahap_nomor is None and p.tahap_teks == "Verifikasi persyaratan"
        assert len(p.riwayat) == 1 and p.riwayat[0].status == "dikembalikan"
        done = get_permohonan(session, "503/0390/IZ/2026")
        assert done.nomor_izin == "IZ-APT/2026/0390" and done.tahap_nomor == 9


def test_bad_rows_import_nothing_and_every_bad_row_is_reported(factory, tmp_path):
    rows = _valid_rows() + [
        permohonan_record(nomor_permohonan="503/1/IZ/2026", layanan="izin tambang emas"),  # line 5
        permohonan_record(nomor_permohonan="503/2/IZ/2026", tanggal_masuk="2026-13-01", status="hampir"),  # 6
        permohonan_record(nomor_permohonan="503/3/IZ/2026", tahap="12"),  # 7: apotek has 9 steps
        permohonan_record(nomor_permohonan="503/0451/IZ/2026"),  # 8: duplicate of line 2
        permohonan_record(nomor_permohonan="503/4/IZ/2026", status="selesai", telepon="12"),  # 9
    ]
    hasil = impor_csv(write_csv(tmp_path / "bad.csv", rows), factory, today=TODAY)
    assert not hasil.berhasil
    assert [b.baris for b in hasil.salah] == [5, 6, 7, 8, 9]
    reasons = {b.baris: " | ".join(b.alasan) for b in hasil.salah}
    assert "izin tambang emas" in reasons[5]
    assert "tanggal_masuk" in reasons[6] and "status 'hampir'" in reasons[6]
    assert "tahap 12 di luar prosedur" in reasons[7] and "9 langkah" in reasons[7]
    assert "sudah ada di baris 2" in reasons[8]
    assert "telepon" in reasons[9] and "nomor_izin" in reasons[9]
    with factory() as session:
        assert count_permohonan(session) == 0  # the three good rows were not written either


def test_wrong_header_is_refused(factory, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("nomor,layanan\n1/2/3,x\n", encoding="utf-8")
    hasil = impor_csv(path, factory, today=TODAY)
    assert [b.baris for b in hasil.salah] == [1] and "header" in hasil.salah[0].alasan[0]


def test_reimport_is_idempotent_and_history_grows_only_on_change(factory, tmp_path):
    path = write_csv(tmp_path / "a.csv", _valid_rows())
    impor_csv(path, factory, today=TODAY)
    again = impor_csv(path, factory, today=TODAY)
    assert (again.baru, again.diubah, again.sama) == (0, 0, 3)
    with factory() as session:
        assert len(get_permohonan(session, "503/0451/IZ/2026").riwayat) == 1

    rows = _valid_rows()
    rows[0] = permohonan_record(status="menunggu_tanda_tangan", tahap="8")
    rows[1]["catatan"] = "Denah bangunan dan daftar sarana belum dilampirkan"  # note only: no history
    changed = impor_csv(write_csv(tmp_path / "b.csv", rows), factory, today=TODAY)
    assert (changed.baru, changed.diubah, changed.sama) == (0, 2, 1)
    with factory() as session:
        p = get_permohonan(session, "503/0451/IZ/2026")
        assert [r.status for r in p.riwayat] == ["diproses", "menunggu_tanda_tangan"]
        assert p.riwayat[-1].tahap_nomor == 8
        q = get_permohonan(session, "503/0452/IZ/2026")
        assert len(q.riwayat) == 1 and "daftar sarana" in q.catatan


def test_staff_change_validates_and_appends_history(factory, tmp_path):
    impor_csv(write_csv(tmp_path / "a.csv", _valid_rows()), factory, today=TODAY)
    with factory() as session:
        p, errors = ubah_permohonan(session, "503/0451/IZ/2026", "cli", status="selesai")
        assert p is None and any("nomor_izin" in e for e in errors)
        session.rollback()
        p, errors = ubah_permohonan(
            session,
            "503/0451/IZ/2026",
            "cli",
            status="selesai",
            nomor_izin="IZ/1",
            tanggal_selesai="2026-03-20",
        )
        assert errors == []
        session.commit()
    with factory() as session:
        p = get_permohonan(session, "503/0451/IZ/2026")
        assert p.status == "selesai" and p.riwayat[-1].sumber == "cli"
        _, errors = ubah_permohonan(session, "999/X/2026", "cli", status="diproses")
        assert errors and "tidak ditemukan" in errors[0]


def test_owner_check_and_lock_out(factory, tmp_path):
    impor_csv(write_csv(tmp_path / "a.csv", _valid_rows()), factory, today=TODAY)
    sender = hash_pengirim("whatsapp:6281200000000")
    now = datetime(2026, 11, 23, 3, 0)
    with factory() as session:
        ok = verifikasi_pemilik(session, sender, "503/0451/IZ/2026", "7788", now)
        session.commit()
    assert ok.berhasil and ok.permohonan.nama_pemohon == "Siti Rahmawati"

    with factory() as session:
        first = verifikasi_pemilik(session, sender, "503/0451/IZ/2026", "1111", now)  # wrong digits
        second = verifikasi_pemilik(session, sender, "503/9999/IZ/2026", "7788", now)  # unknown number
        session.commit()
    assert not first.berhasil and not second.berhasil
    assert first.terkunci_sampai is None and second.terkunci_sampai is None

    with factory() as session:  # third failure locks
        third = verifikasi_pemilik(session, sender, "503/0451/IZ/2026", "0000", now)
        session.commit()
    assert third.terkunci_sampai == now + timedelta(minutes=15)

    # Locked, even with the right digits, also from a new session (another instance / a restart).
    with factory() as session:
        locked = verifikasi_pemilik(session, sender, "503/0451/IZ/2026", "7788", now + timedelta(minutes=14))
    assert not locked.berhasil and locked.terkunci_sampai is not None
    # Another sender is not affected.
    with factory() as session:
        other = verifikasi_pemilik(session, hash_pengirim("x"), "503/0451/IZ/2026", "7788", now)
    assert other.berhasil
    # After 15 minutes the right digits work again.
    with factory() as session:
        later = verifikasi_pemilik(session, sender, "503/0451/IZ/2026", "7788", now + timedelta(minutes=16))
        session.commit()
    assert later.berhasil


def test_a_future_date_is_judged_by_the_office_calendar(factory, monkeypatch):
    """16:30 UTC on 23 Nov 2026 is already the 24th in Balangan (WITA), still the 23rd in Purwakarta
    (WIB): an application received "today" in Balangan is not in the future."""
    from datetime import timezone

    from bot.knowledge import operasional
    from bot.permohonan.repository import StandarResolver, validate_record

    monkeypatch.delenv(operasional.ENV_ZONA, raising=False)
    monkeypatch.setattr(operasional, "_utcnow", lambda: datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc))
    with factory() as session:
        resolver = StandarResolver(session)
        _, errors = validate_record(permohonan_record(tanggal_masuk="2026-11-24"), resolver)
        assert errors == []
        purwakarta = permohonan_record(
            tanggal_masuk="2026-11-24", layanan=SUSU, wilayah="purwakarta", tahap=""
        )
        _, errors = validate_record(purwakarta, resolver)
        assert errors == ["tanggal_masuk 2026-11-24 ada di masa depan"]
