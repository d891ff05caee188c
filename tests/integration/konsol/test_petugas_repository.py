"""Staff accounts, lock-out, sessions, the audit trail and handoff requests on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from bot.db import session_factory
from bot.permohonan.models import utcnow
from bot.petugas import repository as repo
from bot.petugas.models import CatatanStafRow, StafRow

SANDI = "sandi-rahasia-1"


def add(factory, username: str, peran: str = "cs") -> int:
    with factory() as session:
        staf, errors = repo.buat_staf(session, username, username.title(), peran, SANDI)
        assert errors == []
        session.commit()
        return staf.id


def test_accounts_are_validated_and_passwords_hashed(konsol_db):
    factory = session_factory(konsol_db)
    with factory() as session:
        staf, errors = repo.buat_staf(session, "Siti", "Siti Aminah", "admin", SANDI)
        session.commit()
        assert errors == [] and staf.username == "siti"
        assert staf.hash_sandi.startswith("$argon2id$") and SANDI not in staf.hash_sandi
        _, errors = repo.buat_staf(session, "siti", "Siti Lain", "cs", SANDI)
        assert errors == ["nama pengguna siti sudah dipakai"]
        _, errors = repo.buat_staf(session, "x y", "", "bos", "pendek")
        assert len(errors) == 4  # username, name, role, password


def test_lock_out_after_five_failures_and_unlock(konsol_db):
    factory = session_factory(konsol_db)
    add(factory, "budi")
    now = utcnow()
    with factory() as session:
        for _ in range(4):
            assert repo.masuk(session, "budi", "salah", now).staf is None
        result = repo.masuk(session, "budi", "salah", now)
        assert result.staf is None and result.terkunci_sampai == now + repo.LAMA_KUNCI
        # Locked: even the right password does not open it.
        assert repo.masuk(session, "budi", SANDI, now + timedelta(minutes=5)).staf is None
        assert repo.masuk(session, "budi", SANDI, now + timedelta(minutes=16)).staf is not None
        session.commit()
        assert repo.masuk(session, "tidak-ada", SANDI, now).staf is None


def test_sessions_end_on_logout_and_when_disabled(konsol_db):
    factory = session_factory(konsol_db)
    add(factory, "rina")
    with factory() as session:
        staf = repo.get_staf(session, "rina")
        token, sesi = repo.buat_sesi(session, staf)
        session.commit()
        assert sesi.id != token and len(sesi.csrf) >= 40  # only the digest is stored
        assert repo.sesi_aktif(session, token)[0].username == "rina"
        assert repo.sesi_aktif(session, token, utcnow() + repo.LAMA_SESI + timedelta(seconds=1)) is None
        repo.hapus_sesi(session, token)
        session.commit()
        assert repo.sesi_aktif(session, token) is None
        token, _ = repo.buat_sesi(session, staf)
        repo.set_aktif(session, "rina", False)
        session.commit()
        assert repo.sesi_aktif(session, token) is None


def test_one_open_request_per_conversation_and_inbox_order(konsol_db):
    factory = session_factory(konsol_db)
    with factory() as session:
        first = repo.buka_permintaan(session, "web-a", "webchat", "balangan")
        again = repo.buka_permintaan(session, "web-a", "webchat", "balangan")
        second = repo.buka_permintaan(session, "telegram:7", "telegram", "ogan-komering-ilir")
        session.commit()
        assert first.id == again.id
        staf_id = add(factory, "andi")
        won, _ = repo.ambil(session, first.id, session.get(StafRow, staf_id))
        session.commit()
        assert won
        third = repo.buka_permintaan(session, "web-b", "webchat", None)
        session.commit()
        # Waiting first (oldest first), then those being served.
        assert [r.id for r in repo.antrean(session)] == [second.id, third.id, first.id]
        assert [r.id for r in repo.antrean(session, wilayah="ogan-komering-ilir")] == [second.id]
        assert repo.batalkan_oleh_pemohon(session, "web-b").status == "dibatalkan"
        session.commit()
        assert repo.permintaan_terbuka(session, "web-b") is None


def test_two_staff_taking_at_once_one_wins(konsol_db):
    factory = session_factory(konsol_db)
    ids = [add(factory, "ani"), add(factory, "bayu")]
    with factory() as session:
        request_id = repo.buka_permintaan(session, "web-race", "webchat", "balangan").id
        session.commit()
    barrier = threading.Barrier(2)
    results: dict[int, tuple[bool, str]] = {}

    def take(staf_id: int) -> None:
        with factory() as session:
            staf = session.get(StafRow, staf_id)
            barrier.wait()
            won, holder = repo.ambil(session, request_id, staf)
            session.commit()
            results[staf_id] = (won, holder.username)

    threads = [threading.Thread(target=take, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(won for won, _ in results.values()) == [False, True]
    winner = next(i for i, (won, _) in results.items() if won)
    holders = {holder for _, holder in results.values()}
    with factory() as session:
        assert repo.get_permintaan(session, request_id).staf_id == winner
        assert holders == {session.get(StafRow, winner).username}  # the loser is told who has it


def test_audit_trail_and_widget_messages(konsol_db):
    factory = session_factory(konsol_db)
    staf_id = add(factory, "dewi")
    with factory() as session:
        staf = session.get(StafRow, staf_id)
        request = repo.buka_permintaan(session, "web-w", "webchat", "balangan")
        repo.catat(session, staf, "ambil", f"permintaan:{request.id}")
        sent = repo.tambah_pesan(session, request, "Halo, saya Dewi.", staf)
        unsent = repo.tambah_pesan(session, request, "belum lewat jembatan", staf)
        sent.status = "menunggu"
        session.commit()
        fetched = repo.pesan_widget(session, "web-w", 0)
        session.commit()
        assert [m.id for m in fetched] == [sent.id] and unsent.status == "baru"
        assert session.get(type(sent), sent.id).status == "terkirim"
        assert repo.pesan_widget(session, "web-lain", 0) == []  # nobody reads another's messages
        log = session.execute(select(CatatanStafRow)).scalars().all()
        assert [(c.username, c.aksi, c.objek) for c in log] == [("dewi", "ambil", f"permintaan:{request.id}")]


def test_hand_back_notice_in_flight_keeps_the_widget_asking(konsol_db):
    """The hand-back closes the request and saves its notice in one commit; until the bridge has
    released the notice, a widget fetch sees a closed request and must learn that a message is coming."""
    factory = session_factory(konsol_db)
    staf_id = add(factory, "dewi")
    with factory() as session:  # the console's hand-back
        staf = session.get(StafRow, staf_id)
        request = repo.buka_permintaan(session, "web-k", "webchat", "balangan")
        assert repo.tutup_permintaan(session, request.id, "selesai")
        notice_id = repo.tambah_pesan(session, request, "dikembalikan ke asisten", staf, jenis="kembali").id
        session.commit()
    with factory() as session:  # a widget fetch before the bridge has answered
        assert repo.permintaan_terakhir(session, "web-k").status == "selesai"
        assert repo.pesan_widget(session, "web-k", 0) == []
        assert repo.ada_pesan_dalam_perjalanan(session, "web-k")
        assert not repo.ada_pesan_dalam_perjalanan(session, "web-lain")
    with factory() as session:  # released by the bridge
        session.get(repo.PesanPetugasRow, notice_id).status = "menunggu"
        session.commit()
    with factory() as session:  # the next fetch gets it, and nothing is on its way any more
        assert [m.id for m in repo.pesan_widget(session, "web-k", 0)] == [notice_id]
        session.commit()
        assert not repo.ada_pesan_dalam_perjalanan(session, "web-k")
