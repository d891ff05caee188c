"""The staff console as staff use it: `python -m bot konsol serve` on 127.0.0.1, a browser-like client,
the Rasa staff bridge and the Telegram Bot API faked locally. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest
from sqlalchemy import insert, select

from bot.db import session_factory
from bot.pengaduan.repository import DataPengaduan, buat_pengaduan
from bot.permohonan.repository import DataPermohonan, upsert_permohonan
from bot.petugas import repository as repo
from bot.petugas import riwayat
from bot.petugas.models import CatatanStafRow, PermintaanPetugasRow, PesanPetugasRow
from tests.e2e.channels.fakes import FakeTelegram, ThreadedServer
from tests.konsol_support import FakeBridge, Staff, add_staff, console, console_log

TOKEN = "123:uji-konsol"


@pytest.fixture
def setup(konsol_db, tmp_path):
    add_staff(konsol_db, "siti", "Siti Aminah", "admin")
    add_staff(konsol_db, "budi", "Budi Santoso")
    with ThreadedServer(FakeBridge()) as bridge, ThreadedServer(FakeTelegram(TOKEN)) as telegram:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram.base_url}
        with console(konsol_db, tmp_path, bridge.url, env) as base:
            yield {"db": konsol_db, "base": base, "bridge": bridge, "telegram": telegram, "dir": tmp_path}


def queue(url: str, percakapan: str, kanal: str, texts: list[str]) -> int:
    """An applicant's conversation as Rasa stored it, and its request in the inbox."""
    factory = session_factory(url)
    with factory() as session:
        riwayat.EVENTS.create(session.connection(), checkfirst=True)
        for i, text in enumerate(texts):
            data = {"event": "user", "text": text, "timestamp": time.time() + i, "parse_data": {}}
            session.execute(
                insert(riwayat.EVENTS).values(
                    sender_id=percakapan, type_name="user", timestamp=data["timestamp"], data=json.dumps(data)
                )
            )
        row = repo.buka_permintaan(session, percakapan, kanal, "balangan")
        session.commit()
        return row.id


def test_pages_need_a_session(setup):
    staff = Staff(setup["base"])
    for path in ("/", "/pengaduan", "/permohonan", "/staf", "/percakapan/1"):
        response = staff.get(path)
        assert response.status_code == 302 and response.headers["location"].startswith(
            "/konsol/masuk?lanjut="
        )
    assert staff.get("/api/antrean").status_code == 401
    assert staff.post("/percakapan/1/ambil").status_code == 403


def test_login_failure_lock_out_and_logout(setup):
    staff = Staff(setup["base"])
    response = staff.login("budi", "salah-sekali")
    assert response.status_code == 401 and "Nama pengguna atau kata sandi salah." in response.text
    assert staff.login("orang-asing", "apa-saja-12").status_code == 401  # same answer for unknown names
    for _ in range(4):
        response = staff.login("budi", "salah-sekali")
    assert "Akun dikunci sementara" in response.text
    assert "Akun dikunci sementara" in staff.login("budi").text  # the right password does not open it
    admin = Staff(setup["base"])
    response = admin.login("siti")
    assert response.status_code == 302 and response.headers["location"] == "/konsol/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/konsol" in cookie
    assert "terkunci s.d." in admin.page("/staf")
    admin.post("/staf/budi/aktifkan")  # an admin unlocks it
    assert Staff(setup["base"]).login("budi").status_code == 302
    assert admin.post("/keluar").headers["location"] == "/konsol/masuk?info=keluar"
    assert admin.get("/").status_code == 302  # the old cookie no longer opens anything
    with session_factory(setup["db"])() as session:
        actions = [(c.username, c.aksi) for c in session.execute(select(CatatanStafRow)).scalars()]
    assert (
        ("budi", "terkunci") in actions
        and ("siti", "aktifkan_staf") in actions
        and ("siti", "keluar") in actions
    )


def test_csrf_is_required_on_every_form(setup):
    request_id = queue(setup["db"], "telegram:501", "telegram", ["halo"])
    staff = Staff(setup["base"])
    staff.get("/masuk")
    assert (
        staff.post("/masuk", {"username": "budi", "sandi": "sandi-rahasia-1"}, csrf="palsu").status_code
        == 403
    )
    assert staff.login("budi").status_code == 302
    staff.page("/")
    for path in (f"/percakapan/{request_id}/ambil", "/keluar", "/pengaduan/ADU-0000-0000/status"):
        response = staff.post(path, csrf="token-palsu")
        assert response.status_code == 403 and "CSRF" in response.text
    with session_factory(setup["db"])() as session:
        assert repo.get_permintaan(session, request_id).status == "menunggu"  # nothing happened
    assert staff.get("/").status_code == 200  # still logged in: the forged logout was refused


def test_two_staff_take_at_once_one_is_told(setup):
    request_id = queue(setup["db"], "telegram:777", "telegram", ["mau bicara dengan petugas"])
    clients = [Staff(setup["base"]), Staff(setup["base"])]
    for client, name in zip(clients, ("siti", "budi"), strict=True):
        assert client.login(name).status_code == 302
        assert "mau bicara dengan petugas" in client.page(f"/percakapan/{request_id}")
    barrier = threading.Barrier(2)
    locations: list[str] = []

    def take(client: Staff) -> None:
        barrier.wait()
        locations.append(client.post(f"/percakapan/{request_id}/ambil").headers["location"])

    threads = [threading.Thread(target=take, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    infos = [loc for loc in locations if "info=" in loc]
    refusals = [loc for loc in locations if "galat=" in loc]
    assert len(infos) == 1 and len(refusals) == 1
    with session_factory(setup["db"])() as session:
        row = session.get(PermintaanPetugasRow, request_id)
        winner = repo.daftar_staf(session)
        holder = next(s for s in winner if s.id == row.staf_id)
    assert "sudah%20diambil%20oleh%20" + holder.nama.replace(" ", "%20") in refusals[0]


def test_take_reply_hand_back_on_telegram_with_a_failed_delivery_shown(setup):
    bridge, telegram = setup["bridge"], setup["telegram"]
    request_id = queue(setup["db"], "telegram:4242", "telegram", ["saya mau bicara dengan petugas"])
    staff = Staff(setup["base"])
    staff.login("budi")
    inbox = staff.get("/api/antrean").json()
    assert inbox["menunggu"] == 1 and inbox["permintaan"][0]["kanal_label"] == "Telegram"
    assert inbox["permintaan"][0]["pesan_terakhir"][-1]["teks"] == "saya mau bicara dengan petugas"
    staff.page(f"/percakapan/{request_id}")
    assert "info=" in staff.post(f"/percakapan/{request_id}/ambil").headers["location"]
    page = staff.page(f"/percakapan/{request_id}")
    assert "Balasan untuk pemohon" in page
    assert (
        "info="
        in staff.post(f"/percakapan/{request_id}/balas", {"teks": "Berkas apa yang kurang, Bu?"}).headers[
            "location"
        ]
    )
    sent = [p for m, p in telegram.calls if m == "sendMessage"]
    assert [(p["chat_id"], p["text"]) for p in sent] == [
        (4242, "Anda sekarang terhubung dengan petugas Budi Santoso. Silakan sampaikan pertanyaan Anda."),
        (4242, "Berkas apa yang kurang, Bu?"),
    ]
    assert [(b["aksi"], b["percakapan"], b["petugas"]) for b in bridge.received] == [
        ("pesan", "telegram:4242", "Budi Santoso"),
        ("pesan", "telegram:4242", "Budi Santoso"),
    ]
    # Telegram refuses the next one: staff see it, and can send it again.
    telegram.fail_next(
        "sendMessage",
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    location = staff.post(f"/percakapan/{request_id}/balas", {"teks": "Mohon bawa KTP asli."}).headers[
        "location"
    ]
    assert "GAGAL%20terkirim" in location
    page = staff.page(f"/percakapan/{request_id}")
    assert "Gagal terkirim" in page and "bot was blocked by the user" in page
    with session_factory(setup["db"])() as session:
        failed = session.execute(
            select(PesanPetugasRow).where(PesanPetugasRow.status == "gagal")
        ).scalar_one()
    assert "info=" in staff.post(f"/percakapan/{request_id}/pesan/{failed.id}/ulang").headers["location"]
    assert [b["teks"] for b in bridge.received].count("Mohon bawa KTP asli.") == 1  # recorded once
    assert "info=" in staff.post(f"/percakapan/{request_id}/kembalikan").headers["location"]
    assert bridge.received[-1]["aksi"] == "kembalikan"
    assert (
        "mengembalikan percakapan ke asisten"
        in [p for m, p in telegram.calls if m == "sendMessage"][-1]["text"]
    )
    with session_factory(setup["db"])() as session:
        assert session.get(PermintaanPetugasRow, request_id).status == "selesai"
        actions = [
            c.aksi
            for c in session.execute(
                select(CatatanStafRow).where(CatatanStafRow.username == "budi")
            ).scalars()
        ]
    assert actions == ["masuk", "ambil", "balas", "balas", "kirim_ulang", "kembalikan"]
    # The Rasa bridge down: the reply is kept and shown as failed, not lost.
    other = queue(setup["db"], "telegram:99", "telegram", ["halo"])
    staff.post(f"/percakapan/{other}/ambil")
    bridge.status = 503
    location = staff.post(f"/percakapan/{other}/balas", {"teks": "Tes saat asisten mati"}).headers["location"]
    assert "GAGAL" in location and "asisten menolak (503)" in staff.page(f"/percakapan/{other}")
    assert "Tes saat asisten mati" not in console_log(setup["dir"])  # message texts are never logged


def test_complaints_and_applications_with_status_change_and_audit(setup):
    from bot.knowledge.loader import load
    from tests.conftest import FIXTURE_KNOWLEDGE_DIR

    load(FIXTURE_KNOWLEDGE_DIR, setup["db"])  # applications name a standard of the knowledge base
    factory = session_factory(setup["db"])
    complaint, _ = buat_pengaduan(
        factory,
        DataPengaduan(
            kategori="pelaksanaan_pelayanan",
            uraian="Petugas loket meminta uang tambahan di luar tarif resmi.",
            kanal="webchat", wilayah="balangan", waktu_kejadian="kemarin", nama="Rahmawati Uji",
            kontak="081299990000",
        ),
    )  # fmt: skip
    kode = complaint.kode_tiket
    with factory() as session:
        upsert_permohonan(
            session,
            DataPermohonan(
                "503/0001/IZ/2026", "balangan-izin-apotek", "balangan", "Yusuf Uji", "081211112222",
                date(2026, 11, 2), "diproses",
            ),
            "import",
        )  # fmt: skip
        session.commit()
    staff = Staff(setup["base"])
    staff.login("budi")
    listing = staff.page("/pengaduan?status=diterima&kategori=pelaksanaan_pelayanan")
    assert kode in listing
    assert kode not in staff.page("/pengaduan?status=selesai")
    detail = staff.page(f"/pengaduan/{kode}")
    assert "Rahmawati Uji" in detail and "081299990000" in detail  # shown to logged-in staff only
    response = staff.post(
        f"/pengaduan/{kode}/status", {"status": "ditindaklanjuti", "catatan": "diteruskan ke kabid"}
    )
    assert "info=" in response.headers["location"]
    detail = staff.page(f"/pengaduan/{kode}")
    assert "Sedang ditindaklanjuti" in detail and "diteruskan ke kabid" in detail and "konsol:budi" in detail
    assert "503/0001/IZ/2026" in staff.page("/permohonan?nomor=0001&status=diproses")
    assert "503/0001/IZ/2026" not in staff.page("/permohonan?status=selesai")
    detail = staff.page("/permohonan/lihat?nomor=503/0001/IZ/2026")
    assert "Yusuf Uji" in detail
    response = staff.post(
        "/permohonan/status",
        {"nomor": "503/0001/IZ/2026", "status": "menunggu_tanda_tangan", "catatan": "di meja kadis"},
    )
    assert "info=" in response.headers["location"]
    detail = staff.page("/permohonan/lihat?nomor=503/0001/IZ/2026")
    assert "Menunggu tanda tangan pejabat" in detail and "konsol:budi" in detail
    assert staff.get("/staf").status_code == 403  # admins only
    with factory() as session:
        log = [(c.aksi, c.objek, c.keterangan) for c in session.execute(select(CatatanStafRow)).scalars()]
    assert ("ubah_pengaduan", kode, "status: ditindaklanjuti") in log
    assert ("ubah_permohonan", "503/0001/IZ/2026", "status: menunggu_tanda_tangan") in log
    text = console_log(setup["dir"])
    for personal in ("Rahmawati", "081299990000", "Yusuf", "uang tambahan"):
        assert personal not in text
