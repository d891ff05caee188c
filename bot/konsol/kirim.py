"""Delivery of a staff message through the applicant's channel (one module per channel)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from bot.channels.pengiriman import GAGAL, MENUNGGU, HasilKirim

KANAL_LABEL = {
    "webchat": "Widget situs",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "rest": "REST (uji coba)",
    "cmdline": "Terminal (uji coba)",
}


async def antar(
    kanal: str, percakapan: str, teks: str, terakhir_pemohon: Optional[datetime], now: datetime
) -> HasilKirim:
    """Send one message; `terakhir_pemohon` (naive UTC) decides WhatsApp's 24-hour window."""
    if kanal == "webchat":
        return HasilKirim(MENUNGGU)  # the widget fetches it (POST /webhooks/webchat/pesan)
    if kanal == "telegram":
        from bot.channels.telegram import delivery as telegram

        return await telegram.kirim(percakapan, teks)
    if kanal == "whatsapp":
        from bot.channels import whatsapp_delivery as whatsapp

        return await whatsapp.kirim(percakapan, teks, terakhir_pemohon, now)
    return HasilKirim(GAGAL, f"kanal {kanal} tidak dapat menerima pesan petugas (hanya tercatat di riwayat)")
