"""The follow-up worker: one pass every PANDU_TINDAK_LANJUT_DETIK seconds (default 30), started by
`make run` (bot/tindak_lanjut/service.py) or alone with `python -m bot tindak-lanjut jalan`.

Each pass, in its own transactions:
1. due dates for complaints that have none yet (bot/tindak_lanjut/tenggat.py);
2. escalation steps that fell due with no answer, recorded (bot/tindak_lanjut/eskalasi.py);
3. notifications for subscribed applications and complaints whose status changed or that got a
   response, and the SP4N-LAPOR! notice for subscribed complaints past their due date
   (bot/notifikasi/langganan.py);
4. sending what is due, with retries (bot/notifikasi/kirim.py);
5. the unanswered questions among the new conversation events (bot/tak_terjawab/pencatat.py);
6. housekeeping: addresses of ended subscriptions, unfinished surveys (bot/skm/repository.py).

A failing step is logged and the next ones still run; several workers may run at once (sending is
claimed row by row, records have unique keys).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional

from bot.permohonan.models import utcnow

logger = logging.getLogger(__name__)

ENV_DETIK = "PANDU_TINDAK_LANJUT_DETIK"


@dataclass
class HasilPutaran:
    eskalasi: list[tuple[str, str]] = field(default_factory=list)
    kabar_baru: int = 0
    terkirim: int = 0
    menunggu_widget: int = 0
    gagal: int = 0
    dibatalkan: int = 0
    tak_terjawab: int = 0
    galat: list[str] = field(default_factory=list)

    def ringkas(self) -> str:
        return (
            f"eskalasi {len(self.eskalasi)}, kabar baru {self.kabar_baru}, terkirim {self.terkirim}, "
            f"menunggu widget {self.menunggu_widget}, gagal {self.gagal}, dibatalkan {self.dibatalkan}, "
            f"pertanyaan tak terjawab {self.tak_terjawab}"
            + (f", galat: {'; '.join(self.galat)}" if self.galat else "")
        )


def _step(hasil: HasilPutaran, name: str, factory: Callable[[], Any], fn: Callable[[Any], Any]) -> Any:
    try:
        with factory() as session:
            result = fn(session)
            session.commit()
            return result
    except Exception as exc:  # noqa: BLE001 - one failing step must not stop the others
        logger.exception("follow-up step %s failed", name)
        hasil.galat.append(f"{name}: {type(exc).__name__}")
        return None


def _unanswered(
    hasil: HasilPutaran, factory: Callable[[], Any], tracker_factory: Callable[[], Any], now: datetime
) -> int:
    from bot.tak_terjawab.pencatat import pindai

    try:
        with factory() as session, tracker_factory() as tracker:
            found = pindai(session, tracker, now)
            session.commit()
            return found
    except Exception as exc:  # noqa: BLE001
        logger.exception("follow-up step tak terjawab failed")
        hasil.galat.append(f"tak terjawab: {type(exc).__name__}")
        return 0


async def satu_putaran(
    factory: Callable[[], Any],
    terakhir_pemohon: Optional[Callable[[str], Optional[datetime]]] = None,
    now: Optional[datetime] = None,
    tracker_factory: Optional[Callable[[], Any]] = None,
) -> HasilPutaran:
    """One pass at `now` (naive UTC; default: the clock). `tracker_factory`: sessions of the tracker
    store's database (default: TRACKER_DATABASE_URL, else DATABASE_URL)."""
    from bot.notifikasi import kirim, langganan
    from bot.skm.repository import rapikan_survei
    from bot.tindak_lanjut.eskalasi import eskalasi_jatuh_tempo

    now = now or utcnow()
    hasil = HasilPutaran()
    loop = asyncio.get_running_loop()

    def run(name: str, fn: Callable[[Any], Any]) -> Any:
        return loop.run_in_executor(None, _step, hasil, name, factory, fn)

    hasil.eskalasi = await run("eskalasi", lambda s: eskalasi_jatuh_tempo(s, now)) or []
    hasil.kabar_baru += await run("status permohonan", lambda s: langganan.pindai_permohonan(s, now)) or 0
    hasil.kabar_baru += await run("status pengaduan", lambda s: langganan.pindai_pengaduan(s, now)) or 0
    hasil.kabar_baru += await run("lewat tenggat", lambda s: langganan.kabar_lewat_tenggat(s, now)) or 0
    try:
        sent = await kirim.kirim_siap(factory, terakhir_pemohon or kirim.terakhir_dari_tracker(), now)
        hasil.terkirim, hasil.menunggu_widget = sent.terkirim, sent.menunggu_widget
        hasil.gagal, hasil.dibatalkan = sent.gagal, sent.dibatalkan
    except Exception as exc:  # noqa: BLE001
        logger.exception("follow-up: sending failed")
        hasil.galat.append(f"kirim: {type(exc).__name__}")
    if tracker_factory is None:
        from bot.petugas.riwayat import tracker_session_factory

        tracker_factory = tracker_session_factory()
    hasil.tak_terjawab = await loop.run_in_executor(None, _unanswered, hasil, factory, tracker_factory, now)
    await run("rapikan kabar", lambda s: langganan.rapikan(s, now))
    await run("rapikan survei", lambda s: rapikan_survei(s, now))
    return hasil


def jeda() -> float:
    try:
        return max(1.0, float(os.environ.get(ENV_DETIK, "30")))
    except ValueError:
        logger.warning("%s is not a number: using 30 seconds", ENV_DETIK)
        return 30.0


async def jalan(factory: Callable[[], Any], detik: Optional[float] = None) -> None:
    """Passes forever, `detik` seconds apart (Ctrl-C / SIGTERM stops it between passes)."""
    detik = detik or jeda()
    logger.info("follow-up worker: one pass every %.0f s", detik)
    terakhir = None
    while True:
        if terakhir is None:
            from bot.notifikasi.kirim import terakhir_dari_tracker

            terakhir = terakhir_dari_tracker()
        hasil = await satu_putaran(factory, terakhir)
        if (
            hasil.eskalasi
            or hasil.kabar_baru
            or hasil.terkirim
            or hasil.gagal
            or hasil.tak_terjawab
            or hasil.galat
        ):
            logger.info("follow-up pass: %s", hasil.ringkas())
        await asyncio.sleep(detik)
