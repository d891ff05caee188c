"""Staff messages to a WhatsApp user through the Graph API, within WhatsApp's 24-hour rule.

A business may send free-form messages only within 24 hours of the user's last message (the
customer-service window). Outside it only an approved template may be sent: with
WHATSAPP_TEMPLATE_PETUGAS set (the template's name; its body has one parameter, {{1}}, which gets
the staff message) and WHATSAPP_TEMPLATE_LANG (default "id"), the template is sent; without it
nothing is sent and staff are told why (status "perlu_template").

Environment: WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, GRAPH_API_URL (as the channel).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any, Optional

import httpx

from bot.channels.pengiriman import GAGAL, PERLU_TEMPLATE, TERKIRIM, HasilKirim
from bot.channels.whatsapp_messages import message_body, text_messages

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v21.0"
JENDELA = timedelta(hours=24)
TEMPLATE_PARAM_LIMIT = 1024  # characters of one body parameter of a template


def dalam_jendela(terakhir_pemohon: Optional[datetime], now: datetime) -> bool:
    """Whether free-form messages are allowed (both times naive UTC)."""
    return terakhir_pemohon is not None and now - terakhir_pemohon < JENDELA


def template_message(name: str, language: str, teks: str) -> dict[str, Any]:
    text = " ".join(teks.split())  # template parameters may not contain new lines or tabs
    if len(text) > TEMPLATE_PARAM_LIMIT:
        text = text[: TEMPLATE_PARAM_LIMIT - 1] + "…"
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
        },
    }


async def kirim(
    penerima: str,
    teks: str,
    terakhir_pemohon: Optional[datetime],
    now: datetime,
    client: Optional[httpx.AsyncClient] = None,
    template_env: str = "WHATSAPP_TEMPLATE_PETUGAS",
) -> HasilKirim:
    """`template_env`: the variable naming the approved template used outside the 24-hour window
    (staff messages: WHATSAPP_TEMPLATE_PETUGAS; notifications: WHATSAPP_TEMPLATE_KABAR)."""
    from bot.channels.whatsapp import CONVERSATION_PREFIX

    # The conversation is kept as whatsapp:<sender>; the Graph API wants the sender.
    penerima = penerima.removeprefix(CONVERSATION_PREFIX)
    token = os.environ.get("WHATSAPP_ACCESS_TOKEN", "").strip()
    phone_number_id = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "").strip()
    if not token or not phone_number_id:
        return HasilKirim(GAGAL, "WHATSAPP_ACCESS_TOKEN/WHATSAPP_PHONE_NUMBER_ID tidak diatur")
    if dalam_jendela(terakhir_pemohon, now):
        messages = text_messages(teks)
    else:
        # Each variable read by name (the deployment's list of variables is checked against the code).
        templates = {
            "WHATSAPP_TEMPLATE_PETUGAS": os.environ.get("WHATSAPP_TEMPLATE_PETUGAS", ""),
            "WHATSAPP_TEMPLATE_KABAR": os.environ.get("WHATSAPP_TEMPLATE_KABAR", ""),
        }
        template = templates.get(template_env, "").strip()
        if not template:
            return HasilKirim(
                PERLU_TEMPLATE,
                "Lebih dari 24 jam sejak pesan terakhir pemohon: WhatsApp hanya mengizinkan pesan "
                f"template yang disetujui Meta. Atur {template_env}, atau tunggu pemohon "
                "menulis lagi.",
            )
        language = os.environ.get("WHATSAPP_TEMPLATE_LANG", "id").strip() or "id"
        messages = [template_message(template, language, teks)]
    api_url = (os.environ.get("GRAPH_API_URL") or DEFAULT_GRAPH_API_URL).rstrip("/")
    url = f"{api_url}/{phone_number_id}/messages"
    own = client is None
    client = client or httpx.AsyncClient(timeout=15.0)
    try:
        for message in messages:
            try:
                response = await client.post(
                    url, json=message_body(penerima, message), headers={"Authorization": f"Bearer {token}"}
                )
            except httpx.HTTPError as exc:
                logger.warning("WhatsApp staff message failed: %s", type(exc).__name__)
                return HasilKirim(GAGAL, f"Graph API tidak dapat dihubungi ({type(exc).__name__})")
            if response.status_code >= 400:
                try:
                    error = (response.json().get("error") or {}).get("message") or ""
                except (ValueError, AttributeError):
                    error = ""
                logger.warning("WhatsApp staff message refused (%s)", response.status_code)
                return HasilKirim(GAGAL, f"Graph API menolak ({response.status_code}): {str(error)[:200]}")
        return HasilKirim(TERKIRIM, "dikirim sebagai template" if messages[0]["type"] == "template" else None)
    finally:
        if own:
            await client.aclose()
