"""A form's short replies ("ya kirim", "gak jadi kak", "lewati"): the NLU linker marks them with
the entity `jawaban` (ya, tidak, batal, lewati; word lists in knowledge/lexicon/jawaban.yml), so
the forms read one entity instead of keeping their own word lists."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

YA, TIDAK, BATAL, LEWATI = "ya", "tidak", "batal", "lewati"


def jawaban(tracker: Tracker) -> Optional[str]:
    """The short reply the latest message is, if it is one."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "jawaban" and entity.get("value") in (YA, TIDAK, BATAL, LEWATI):
            return entity["value"]
    return None
