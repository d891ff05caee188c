"""The apology a channel gives when a turn produced no reply at all, with the office contacts.

Channels know nothing of the knowledge base: `make run` (bot/run.py) builds this text once from
the knowledge base and hands it to the Rasa server and the Telegram gateway as
`PANDU_PESAN_GANGGUAN` (bot/channels/text.py reads it). An operator may set the variable
themselves; without a knowledge base the channels' generic apology stays.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

logger = logging.getLogger(__name__)

ENV = "PANDU_PESAN_GANGGUAN"
PEMBUKA = (
    "Maaf, asisten Pandu Izin sedang mengalami gangguan dan belum bisa menjawab. Silakan coba lagi "
    "beberapa saat lagi, atau hubungi kantor secara langsung:"
)


def _office(region) -> list[str]:  # noqa: ANN001 - bot.knowledge.views.Region
    lines = [f"- {region.kantor}"]
    for label, values in (
        ("Telepon", region.telepon),
        ("WhatsApp", region.whatsapp),
        ("Email", region.email),
    ):
        if values:
            lines.append(f"  {label}: {', '.join(values)}")
    return lines


def pesan_gangguan(env: Mapping[str, str]) -> str:
    """`PANDU_PESAN_GANGGUAN` if set; else the apology with the contacts of the deployment's region
    (`PANDU_WILAYAH_DEFAULT`) or of every office; "" when the knowledge base cannot be read."""
    configured = (env.get(ENV) or "").strip()
    if configured:
        return configured
    try:
        from bot.db import session_factory
        from bot.knowledge import repository

        with session_factory(env.get("DATABASE_URL") or None)() as session:
            regions = repository.list_regions(session)
    except Exception as exc:  # noqa: BLE001 - no knowledge base yet: the channels' generic text
        logger.warning("office contacts for the trouble reply unavailable: %s", type(exc).__name__)
        return ""
    default = (env.get("PANDU_WILAYAH_DEFAULT") or "").strip()
    chosen = [r for r in regions if r.id == default] or regions
    if not chosen:
        return ""
    return "\n".join([PEMBUKA, *(line for region in chosen for line in _office(region))])
