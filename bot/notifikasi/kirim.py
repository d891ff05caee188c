"""Delivering notifications through the person's own channel, with retries, every outcome recorded.

The channel modules are those staff replies use: Telegram `sendMessage`
(bot/channels/telegram/delivery.py) and WhatsApp with its 24-hour rule
(bot/channels/whatsapp_delivery.py; outside the window the approved template named by
WHATSAPP_TEMPLATE_KABAR, else nothing is sent: "perlu_template"). The website widget picks its
notifications up when it is next opened (`ambil_untuk_widget`, served by bot/channels/webchat/channel.py).

A notification is claimed before sending (one conditional UPDATE), so two workers never send it
twice; a failure is retried after RETRY_DELAYS, and after the last one it is left for staff
(`gagal_akhir`, the console's *Kabar* page, where *Kirim ulang* starts again). Consent is checked
once more at the moment of sending: someone who said "berhenti" gets nothing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import or_, select, update

from bot.channels.pengiriman import GAGAL, MENUNGGU, PERLU_TEMPLATE, TERKIRIM, HasilKirim
from bot.notifikasi.models import SIAP_KIRIM, KabarRow, LanggananKabarRow
from bot.permohonan.models import utcnow

logger = logging.getLogger(__name__)

ENV_TEMPLATE = "WHATSAPP_TEMPLATE_KABAR"
# Waits before the 2nd, 3rd, ... attempt; after the last attempt fails the notification is left to staff.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_PERCOBAAN = len(RETRY_DELAYS) + 1
KLAIM_KEDALUWARSA = timedelta(minutes=10)  # a sender that died mid-send frees its claim after this
BATCH = 50


async def antar(
    kanal: str, percakapan: str, teks: str, terakhir_pemohon: Optional[datetime], now: datetime
) -> HasilKirim:
    """One notification through its channel (naive UTC times)."""
    if kanal == "webchat":
        return HasilKirim(MENUNGGU)
    if kanal == "telegram":
        from bot.channels.telegram import delivery as telegram

        return await telegram.kirim(percakapan, teks)
    if kanal == "whatsapp":
        from bot.channels import whatsapp_delivery as whatsapp

        return await whatsapp.kirim(percakapan, teks, terakhir_pemohon, now, template_env=ENV_TEMPLATE)
    return HasilKirim(GAGAL, f"kanal {kanal} tidak dapat menerima kabar")


@dataclass
class HasilPengiriman:
    terkirim: int = 0
    menunggu_widget: int = 0
    gagal: int = 0
    dibatalkan: int = 0


def _due(session: Any, now: datetime) -> list[int]:
    query = (
        select(KabarRow.id)
        .where(
            or_(
                KabarRow.status.in_(SIAP_KIRIM)
                & (KabarRow.coba_lagi_pada.is_(None) | (KabarRow.coba_lagi_pada <= now)),
                (KabarRow.status == "mengirim") & (KabarRow.diklaim_pada < now - KLAIM_KEDALUWARSA),
            )
        )
        .order_by(KabarRow.id)
        .limit(BATCH)
    )
    return [row_id for (row_id,) in session.execute(query).all()]


def _claim(session: Any, kabar_id: int, now: datetime) -> Optional[tuple[str, str, str, bool, str]]:
    """(kanal, address, text, consent, reason) of a notification this sender now owns, else None."""
    won = session.execute(
        update(KabarRow)
        .where(
            KabarRow.id == kabar_id,
            or_(
                KabarRow.status.in_(SIAP_KIRIM),
                (KabarRow.status == "mengirim") & (KabarRow.diklaim_pada < now - KLAIM_KEDALUWARSA),
            ),
        )
        .values(status="mengirim", diklaim_pada=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        session.rollback()
        return None
    kabar = session.get(KabarRow, kabar_id)
    sub = session.get(LanggananKabarRow, kabar.langganan_id)
    session.commit()
    consent = sub is not None and sub.percakapan is not None and sub.alasan_berhenti != "berhenti"
    return (
        kabar.kanal,
        (sub.percakapan if sub else "") or "",
        kabar.teks,
        consent,
        "pemohon berhenti berlangganan",
    )


def _record(session: Any, kabar_id: int, result: HasilKirim, now: datetime) -> str:
    kabar = session.get(KabarRow, kabar_id)
    kabar.diklaim_pada = None
    if result.status == TERKIRIM:
        kabar.status, kabar.dikirim_pada, kabar.keterangan = "terkirim", now, result.keterangan
    elif result.status == MENUNGGU:
        kabar.status, kabar.keterangan = "menunggu_widget", None
    else:
        kabar.percobaan = (kabar.percobaan or 0) + 1
        kabar.keterangan = (result.keterangan or result.status)[:500]
        if kabar.percobaan >= MAX_PERCOBAAN:
            kabar.status, kabar.coba_lagi_pada = "gagal_akhir", None
        else:
            kabar.status = PERLU_TEMPLATE if result.status == PERLU_TEMPLATE else "gagal"
            kabar.coba_lagi_pada = now + RETRY_DELAYS[kabar.percobaan - 1]
    session.commit()
    return kabar.status


async def kirim_siap(
    session_factory: Callable[[], Any],
    terakhir_pemohon: Callable[[str], Optional[datetime]],
    now: Optional[datetime] = None,
) -> HasilPengiriman:
    """Send every notification whose time has come. `terakhir_pemohon(address)` is when the person
    last wrote (WhatsApp's 24-hour window; from the tracker store)."""
    import asyncio

    now = now or utcnow()
    loop = asyncio.get_running_loop()

    def db(fn: Callable[..., Any], *args: Any) -> Any:
        def work() -> Any:
            with session_factory() as session:
                return fn(session, *args)

        return loop.run_in_executor(None, work)

    hasil = HasilPengiriman()
    for kabar_id in await db(_due, now):
        claimed = await db(_claim, kabar_id, now)
        if claimed is None:
            continue
        kanal, address, text, consent, reason = claimed
        if not consent:
            await db(_cancel, kabar_id, reason)
            hasil.dibatalkan += 1
            continue
        last = await loop.run_in_executor(None, terakhir_pemohon, address) if kanal == "whatsapp" else None
        try:
            result = await antar(kanal, address, text, last, now)
        except Exception as exc:  # noqa: BLE001 - a channel bug must not stop the other notifications
            logger.exception("notification %s: delivery raised", kabar_id)
            result = HasilKirim(GAGAL, f"kesalahan pengiriman ({type(exc).__name__})")
        status = await db(_record, kabar_id, result, now)
        logger.info("notification %s (%s): %s", kabar_id, kanal, status)
        if status == "terkirim":
            hasil.terkirim += 1
        elif status == "menunggu_widget":
            hasil.menunggu_widget += 1
        else:
            hasil.gagal += 1
    return hasil


def _cancel(session: Any, kabar_id: int, reason: str) -> None:
    kabar = session.get(KabarRow, kabar_id)
    kabar.status, kabar.keterangan, kabar.diklaim_pada = "dibatalkan", reason, None
    session.commit()


def kirim_ulang(session: Any, kabar_id: int, now: Optional[datetime] = None) -> bool:
    """Staff: try a notification again now, with a fresh round of attempts. The caller commits."""
    kabar = session.get(KabarRow, kabar_id)
    if kabar is None or kabar.status not in ("gagal_akhir", "gagal", "perlu_template"):
        return False
    sub = session.get(LanggananKabarRow, kabar.langganan_id)
    if sub is None or sub.percakapan is None or sub.alasan_berhenti == "berhenti":
        return False
    kabar.status, kabar.percobaan, kabar.coba_lagi_pada = "antre", 0, None
    return True


def ambil_untuk_widget(session: Any, percakapan: str, now: Optional[datetime] = None) -> list[KabarRow]:
    """The widget conversation's notifications waiting for it, marked delivered. The caller commits."""
    now = now or utcnow()
    rows = list(
        session.execute(
            select(KabarRow)
            .join(LanggananKabarRow, KabarRow.langganan_id == LanggananKabarRow.id)
            .where(
                LanggananKabarRow.percakapan == percakapan,
                KabarRow.kanal == "webchat",
                KabarRow.status == "menunggu_widget",
            )
            .order_by(KabarRow.id)
            .limit(20)
        ).scalars()
    )
    for row in rows:
        row.status, row.dikirim_pada = "terkirim", now
    return rows


def terakhir_dari_tracker() -> Callable[[str], Optional[datetime]]:
    """`terakhir_pemohon` reading the tracker store (TRACKER_DATABASE_URL, else DATABASE_URL)."""
    from bot.petugas import riwayat

    factory = riwayat.tracker_session_factory()

    def last(address: str) -> Optional[datetime]:
        with factory() as session:
            return riwayat.pesan_terakhir_pemohon(session, address)

    return last


def template_diatur() -> bool:
    return bool(os.environ.get(ENV_TEMPLATE, "").strip())
