"""Small text helpers shared by the generator and the checks: how replies and facts are compared."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

SNIPPET_CHARS = 40
_LIST_MARK = re.compile(r"(?:(?<=\s)|^)(?:[a-z]|\d{1,2})[.)](?=\s)")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: Any) -> str:
    """Lowercase, whitespace collapsed: replies and facts are compared in this form."""
    return " ".join(str(text).lower().split())


def snippet(text: str) -> str:
    """The first 40 folded characters of a fact: what a reply must contain to show it."""
    return fold(text)[:SNIPPET_CHARS].strip()


def normalized(text: str) -> str:
    """For comparing whole component texts across standards: folded, list letters ("a.", "j.")
    and punctuation removed."""
    return " ".join(_NON_WORD.sub(" ", _LIST_MARK.sub(" ", fold(text))).split())


def words(text: str) -> list[str]:
    """Folded words (letters and digits) of a name or a message."""
    return [w for w in _NON_WORD.sub(" ", fold(text)).split() if w]


def contains_phrase(haystack: str, phrase: str) -> bool:
    """`phrase` occurs in `haystack` as whole consecutive words (folded, punctuation ignored)."""
    hay, needle = words(haystack), words(phrase)
    if not needle:
        return False
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def item_text(item: Any) -> str:
    return str(item.get("teks", "")) if isinstance(item, dict) else str(item)


def flat_items(items: Iterable[Any]) -> Iterator[str]:
    """Every line of a component: nested list headers and their sub-items, in order."""
    for item in items:
        text = item_text(item).strip()
        if text:
            yield text
        if isinstance(item, dict):
            yield from flat_items(item.get("butir") or ())


def component_lines(component: Any) -> list[str]:
    """The lines a component answers with: its items, or its text as one line."""
    lines = list(flat_items(component.butir))
    if not lines and component.teks.strip():
        lines = [component.teks.strip()]
    return lines


def stable_int(*parts: Any) -> int:
    """A deterministic integer for a key (Python's hash() changes between runs)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")
