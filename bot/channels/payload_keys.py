"""Button payloads squeezed into a platform's id limit (Telegram callback data, WhatsApp reply ids)."""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict

_PLAIN = "p:"  # the payload itself follows
_KEYED = "k:"  # a digest of a payload too long to carry


class PayloadKeys:
    """Maps Rasa button payloads to ids of at most `limit_bytes` and back.

    Payloads that fit travel as they are (they survive a restart); longer ones get a key derived
    from their digest and are remembered in a bounded least-recently-used map.
    """

    def __init__(self, limit_bytes: int, capacity: int = 10_000) -> None:
        self.limit_bytes = limit_bytes
        self.capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        plain = _PLAIN + payload
        if len(plain.encode("utf-8")) <= self.limit_bytes:
            return plain
        digest = hashlib.sha256(payload.encode("utf-8")).digest()
        key = _KEYED + base64.urlsafe_b64encode(digest[:18]).decode("ascii")
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self.capacity:
            self._payloads.popitem(last=False)
        return key

    def decode(self, data: str | None) -> str | None:
        """The payload for an id, or None when it is unknown or was forgotten."""
        if not data:
            return None
        if data.startswith(_PLAIN):
            return data[len(_PLAIN) :] or None
        payload = self._payloads.get(data)
        if payload is not None:
            self._payloads.move_to_end(data)
        return payload
