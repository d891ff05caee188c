"""What every delivery module returns: how sending a staff message to a channel went.

The staff console (bot/konsol/kirim.py) picks the module of the conversation's channel
(`telegram/delivery.py`, `whatsapp_delivery.py`; the web widget fetches its messages itself) and
shows the result to staff: a failure is never silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

TERKIRIM = "terkirim"
GAGAL = "gagal"
PERLU_TEMPLATE = "perlu_template"  # WhatsApp: outside the 24-hour window and no template configured
MENUNGGU = "menunggu"  # the web widget picks it up on its next fetch


@dataclass(frozen=True)
class HasilKirim:
    status: str
    keterangan: Optional[str] = None  # for staff: why it failed (never the message text)
