"""The handoff operations staff perform: take a conversation, reply, hand it back, retry a delivery.

Each one records who did it (`catatan_staf`). A staff message is saved first, then added to the
conversation through the Rasa server's bridge (so the history and the assistant's context hold it),
then delivered through the applicant's channel; the outcome of each step is kept on the message and
shown to staff, so a failure is visible and can be retried, never lost.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any, Callable, Optional

from bot.channels.pengiriman import GAGAL
from bot.konsol.jembatan import kirim_peristiwa
from bot.konsol.kirim import antar
from bot.permohonan.models import utcnow
from bot.petugas import repository as repo
from bot.petugas import riwayat
from bot.petugas.models import TERBUKA, StafRow

logger = logging.getLogger(__name__)

SAMBUNG = "Anda sekarang terhubung dengan petugas {nama}. Silakan sampaikan pertanyaan Anda."
KEMBALI = (
    "Petugas telah mengembalikan percakapan ke asisten Pandu Izin. Terima kasih. Silakan lanjut "
    "bertanya kepada asisten, atau ketik \"hubungi petugas\" bila perlu petugas lagi."
)

NOT_RESUMED = (
    "Ditutup di konsol, tetapi asisten belum dapat dihubungi: kirim ulang pemberitahuan di bawah agar "
    "asisten menjawab pemohon lagi."
)
NOT_TOLD = "Percakapan dikembalikan ke asisten, tetapi pemberitahuan ke pemohon tidak terkirim."


@dataclass
class Konsol:
    """Everything the console's pages need, injected (tests build their own)."""

    session_factory: Callable[[], Any]
    tracker_factory: Callable[[], Any]
    rasa_url: str
    bridge_secret: str
    cookie_key: bytes
    secure_cookies: bool = False
    clock: Callable[[], datetime] = utcnow  # naive UTC

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(session, *args)` in a worker thread with its own session."""

        def work() -> Any:
            with self.session_factory() as session:
                return fn(session, *args)

        return await asyncio.get_running_loop().run_in_executor(None, work)

    async def tracker_db(self, fn: Callable[..., Any], *args: Any) -> Any:
        def work() -> Any:
            with self.tracker_factory() as session:
                return fn(session, *args)

        return await asyncio.get_running_loop().run_in_executor(None, partial(work))


@dataclass(frozen=True)
class Hasil:
    ok: bool
    pesan: str  # for staff


def _holder_ok(row: Any, staf: StafRow) -> bool:
    return row.status == "dilayani" and (row.staf_id == staf.id or staf.peran == "admin")


async def ambil(konsol: Konsol, permintaan_id: int, staf_id: int) -> Hasil:
    def take(session: Any) -> tuple[bool, Optional[str], Optional[int]]:
        staf = session.get(StafRow, staf_id)
        row = repo.get_permintaan(session, permintaan_id)
        if row is None or staf is None:
            return False, None, None
        won, holder = repo.ambil(session, permintaan_id, staf)
        if won:
            repo.catat(session, staf, "ambil", f"permintaan:{permintaan_id}")
            notice = SAMBUNG.format(nama=staf.nama)
            pesan = repo.tambah_pesan(session, row, notice, staf, jenis="pemberitahuan")
            session.commit()
            return True, staf.nama, pesan.id
        session.rollback()
        return False, holder.nama if holder is not None else None, None

    won, nama, pesan_id = await konsol.db(take)
    if won and pesan_id is not None:
        await _sampaikan(konsol, pesan_id)
        return Hasil(True, "Percakapan diambil. Pemohon diberi tahu bahwa Anda terhubung.")
    if nama:
        return Hasil(False, f"Percakapan ini sudah diambil oleh {nama}.")
    return Hasil(False, "Percakapan ini tidak lagi menunggu petugas.")


async def balas(konsol: Konsol, permintaan_id: int, staf_id: int, teks: str) -> Hasil:
    teks = (teks or "").strip()
    if not teks:
        return Hasil(False, "Pesan kosong tidak dikirim.")
    if len(teks) > repo.TEKS_MAKS:
        return Hasil(False, f"Pesan terlalu panjang (maksimal {repo.TEKS_MAKS} karakter).")

    def save(session: Any) -> tuple[Optional[int], str]:
        staf = session.get(StafRow, staf_id)
        row = repo.get_permintaan(session, permintaan_id)
        if row is None or staf is None:
            return None, "Percakapan tidak ditemukan."
        if row.status not in TERBUKA:
            return None, "Percakapan sudah selesai atau dibatalkan pemohon; pesan tidak dikirim."
        if not _holder_ok(row, staf):
            return None, "Ambil percakapan ini dulu (\"Saya ambil\") sebelum membalas."
        pesan = repo.tambah_pesan(session, row, teks, staf)
        repo.catat(session, staf, "balas", f"permintaan:{permintaan_id}", f"pesan:{pesan.id}")
        session.commit()
        return pesan.id, ""

    pesan_id, problem = await konsol.db(save)
    if pesan_id is None:
        return Hasil(False, problem)
    status = await _sampaikan(konsol, pesan_id)
    if status == GAGAL:
        return Hasil(False, "Pesan tersimpan tetapi GAGAL terkirim; lihat keterangannya dan kirim ulang.")
    if status == "perlu_template":
        return Hasil(False, "Pesan tersimpan tetapi TIDAK terkirim: di luar jendela 24 jam WhatsApp.")
    return Hasil(True, "Pesan dikirim.")


async def kembalikan(konsol: Konsol, permintaan_id: int, staf_id: int) -> Hasil:
    def close(session: Any) -> tuple[Optional[int], str]:
        staf = session.get(StafRow, staf_id)
        row = repo.get_permintaan(session, permintaan_id)
        if row is None or staf is None:
            return None, "Percakapan tidak ditemukan."
        if row.status == "menunggu" and staf.peran != "admin":
            return None, "Ambil percakapan ini dulu sebelum mengembalikannya ke asisten."
        if row.status in TERBUKA and not (row.status == "menunggu" or _holder_ok(row, staf)):
            return None, "Percakapan ini dilayani petugas lain."
        if not repo.tutup_permintaan(session, permintaan_id, "selesai"):
            session.rollback()
            return None, "Percakapan sudah selesai atau dibatalkan pemohon."
        pesan = repo.tambah_pesan(session, row, KEMBALI, staf, jenis="kembali")
        repo.catat(session, staf, "kembalikan", f"permintaan:{permintaan_id}")
        session.commit()
        return pesan.id, ""

    pesan_id, problem = await konsol.db(close)
    if pesan_id is None:
        return Hasil(False, problem)
    status = await _sampaikan(konsol, pesan_id)
    recorded = await konsol.db(lambda s: s.get(repo.PesanPetugasRow, pesan_id).tercatat)
    if not recorded:
        return Hasil(False, NOT_RESUMED)
    if status in (GAGAL, "perlu_template"):
        return Hasil(False, NOT_TOLD)
    return Hasil(True, "Percakapan dikembalikan ke asisten.")


async def kirim_ulang(konsol: Konsol, pesan_id: int, staf_id: int) -> Hasil:
    def check(session: Any) -> str:
        staf = session.get(StafRow, staf_id)
        pesan = session.get(repo.PesanPetugasRow, pesan_id)
        if pesan is None or staf is None:
            return "Pesan tidak ditemukan."
        if pesan.status not in ("gagal", "perlu_template", "baru"):
            return "Pesan ini tidak perlu dikirim ulang."
        repo.catat(session, staf, "kirim_ulang", f"permintaan:{pesan.permintaan_id}", f"pesan:{pesan_id}")
        session.commit()
        return ""

    problem = await konsol.db(check)
    if problem:
        return Hasil(False, problem)
    status = await _sampaikan(konsol, pesan_id)
    return Hasil(status not in (GAGAL, "perlu_template"), f"Status pengiriman: {status}.")


async def _sampaikan(konsol: Konsol, pesan_id: int) -> str:
    """Bridge (once) then channel; the outcome is stored on the message. Returns its status.
    The hand-back notice (jenis "kembali") resumes the assistant; every other message pauses it."""

    def load(session: Any) -> Any:
        pesan = session.get(repo.PesanPetugasRow, pesan_id)
        session.expunge(pesan)
        return pesan

    pesan = await konsol.db(load)
    if not pesan.tercatat:
        aksi = "kembalikan" if pesan.jenis == "kembali" else "pesan"
        petugas = pesan.nama_petugas or ""
        problem = await kirim_peristiwa(
            konsol.rasa_url, konsol.bridge_secret, pesan.percakapan, aksi, pesan.teks, petugas
        )
        if problem is not None:
            await konsol.db(_set_status, pesan_id, GAGAL, problem, False)
            return GAGAL
        await konsol.db(_set_status, pesan_id, "baru", None, True)
    last = await konsol.tracker_db(riwayat.pesan_terakhir_pemohon, pesan.percakapan)
    result = await antar(pesan.kanal, pesan.percakapan, pesan.teks, last, konsol.clock())
    await konsol.db(_set_status, pesan_id, result.status, result.keterangan, True)
    return result.status


def _set_status(session: Any, pesan_id: int, status: str, keterangan: Optional[str], tercatat: bool) -> None:
    pesan = session.get(repo.PesanPetugasRow, pesan_id)
    pesan.status = status
    pesan.keterangan = keterangan[:500] if keterangan else None
    pesan.tercatat = tercatat
    if status == "terkirim":
        pesan.dikirim_pada = utcnow()
    session.commit()


def menunggu_sejak(diminta_pada: datetime, now: Optional[datetime] = None) -> str:
    """'12 menit', '3 jam 5 menit', '2 hari' since a naive-UTC moment."""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    minutes = max(0, int((now - diminta_pada).total_seconds() // 60))
    if minutes < 1:
        return "baru saja"
    if minutes < 60:
        return f"{minutes} menit"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} jam {minutes} menit" if minutes else f"{hours} jam"
    return f"{hours // 24} hari {hours % 24} jam"
