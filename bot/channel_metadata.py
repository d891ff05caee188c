"""Facts a channel states about a message, for the actions: the metadata keys both sides share.

Channels know nothing of the knowledge base and actions nothing of WhatsApp or Telegram; these
keys are channel-neutral facts about a conversation. Channels set them themselves and drop any key
with the reserved prefix that a client sent (a REST client must not claim another address).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

RESERVED_PREFIX = "pandu_"
# Keyed hash (bot.security.hashing) of the client's network address, where the channel has one.
CLIENT = "pandu_klien"
# True when several people read the conversation (a Telegram group): personal flows are declined.
SHARED_CHAT = "pandu_percakapan_bersama"


def without_reserved(metadata: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """A client's metadata with every reserved key removed."""
    return {k: v for k, v in (metadata or {}).items() if not str(k).startswith(RESERVED_PREFIX)}


def client_of(metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    value = (metadata or {}).get(CLIENT)
    return value if isinstance(value, str) and value else None


def is_shared_chat(metadata: Optional[Mapping[str, Any]]) -> bool:
    return (metadata or {}).get(SHARED_CHAT) is True
