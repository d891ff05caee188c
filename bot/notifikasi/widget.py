"""The website widget's notifications: what `POST /webhooks/webchat/kabar` returns (the route is the
widget channel's, bot/channels/webchat/channel.py, with its origin check and the widget's random
conversation id as what authorises it).

`kabar_widget(conversation)` returns the notifications waiting for that conversation
({"kabar": [{"id": 1, "teks": "..."}]}) and marks them delivered. The widget asks when it is opened
and after each reply.
"""

from __future__ import annotations

from typing import Any


def kabar_widget(sender: str) -> dict[str, Any]:
    from bot.db import session_factory
    from bot.notifikasi.kirim import ambil_untuk_widget

    with session_factory()() as session:
        rows = ambil_untuk_widget(session, sender)
        payload = {"kabar": [{"id": r.id, "teks": r.teks} for r in rows]}
        session.commit()
    return payload
