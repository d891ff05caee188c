"""Questions across standards, answered from the knowledge base with aggregate queries.

- `component_variants`: one component over a region's standards, grouped by identical content, most
  common first. An office-level question ("petugasnya harus punya keahlian apa?") is answered by the
  variant most standards share, with how many it covers and which differ.
- `is_free`, `duration_days`, `filter_standards`: the staff's lists (the free services of a sector,
  the longest or shortest, those whose requirements name a document).

Pure functions over the read models (bot.knowledge.views); nothing here formats chat text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from bot.knowledge.passages import PassageIndex
from bot.knowledge.views import Component, Item, Standard

SIMILAR = 0.9  # share of words two contents must have in common to count as one
_FREE = re.compile(r"\b(gratis|tidak dipungut|tanpa biaya|rp\.?\s*0\b|nihil|tidak dikenakan)", re.IGNORECASE)


def _item_text(items: Sequence[Item]) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(str(item.get("teks", "")))
            out.extend(_item_text(item.get("butir") or ()))
        else:
            out.append(str(item))
    return out


def content_key(component: Component) -> str:
    """The component's content, compared loosely (case, spacing, punctuation and list lettering)."""
    text = " ".join(_item_text(component.butir)) if component.butir else component.teks
    text = re.sub(r"\b[a-z0-9]{1,2}[.)]\s", " ", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class Variant:
    component: Component  # the content as the first standard that has it writes it
    standards: tuple[Standard, ...]


@dataclass(frozen=True)
class RegionComponent:
    key: str
    total: int  # standards in the region
    variants: tuple[Variant, ...]  # non-empty contents, most common first
    empty: tuple[Standard, ...]  # standards that leave the component empty

    @property
    def common(self) -> Optional[Variant]:
        return self.variants[0] if self.variants else None

    @property
    def differing(self) -> tuple[Standard, ...]:
        """Standards whose content is not the common one (empty ones included)."""
        return tuple(s for v in self.variants[1:] for s in v.standards) + self.empty


def _similar(a: str, b: str) -> bool:
    """Contents that differ only by a slip (a letter, a repeated or missing small word): at least
    90% of their words in common."""
    first, second = set(a.split()), set(b.split())
    union = first | second
    return bool(union) and len(first & second) / len(union) >= SIMILAR


def component_variants(standards: Sequence[Standard], key: str) -> RegionComponent:
    """`key` over `standards`, grouped by content; contents that differ only by a slip in the
    source (lettering, a missing word) count as one, shown as the most common exact wording."""
    groups: dict[str, list[Standard]] = {}
    first: dict[str, Component] = {}
    empty = []
    for standard in standards:
        component = standard.komponen.get(key)
        if component is None or component.is_empty:
            empty.append(standard)
            continue
        content = content_key(component)
        groups.setdefault(content, []).append(standard)
        first.setdefault(content, component)
    ordered = sorted(groups, key=lambda c: (-len(groups[c]), groups[c][0].id))
    merged: list[tuple[str, list[Standard]]] = []
    for content in ordered:
        for head, members in merged:
            if _similar(head, content):
                members.extend(groups[content])
                break
        else:
            merged.append((content, list(groups[content])))
    merged.sort(key=lambda item: -len(item[1]))
    variants = tuple(Variant(first[c], tuple(members)) for c, members in merged)
    return RegionComponent(key, len(standards), variants, tuple(empty))


def is_free(standard: Standard) -> Optional[bool]:
    """True when the fee component says no fee, False when it states one, None when it says nothing."""
    biaya = standard.komponen.get("biaya")
    if biaya is None or biaya.is_empty:
        return None
    rupiah = biaya.extra.get("rupiah")
    if rupiah is not None:
        return int(rupiah) == 0
    text = " ".join(_item_text(biaya.butir)) + " " + biaya.teks
    return bool(_FREE.search(text)) or None


def duration_days(standard: Standard) -> Optional[int]:
    jangka = standard.komponen.get("jangka_waktu")
    if jangka is None:
        return None
    days = jangka.extra.get("hari_kerja_maks")
    return int(days) if days is not None else None


def requiring(
    standards: Iterable[Standard], document: str, passages: PassageIndex
) -> list[tuple[Standard, str]]:
    """Standards whose requirements name `document` (words of the question), with the line."""
    pool = {s.id: s for s in standards}
    hits = passages.search(document, standard_ids=pool, komponen=["persyaratan"], limit=10_000)
    # The line must name the document's most telling word ("ktp" in "fotokopi ktp"), or nearly all.
    telling = passages.most_telling(document)
    found: dict[str, str] = {}
    for hit in hits:
        named = telling is not None and telling in hit.matched
        if (named or hit.coverage >= 0.9) and hit.passage.standard_id not in found:
            found[hit.passage.standard_id] = hit.passage.text
    return [(pool[i], found[i]) for i in pool if i in found]


def filter_standards(standards: Sequence[Standard], saringan: str) -> list[Standard]:
    """The standards that pass one list filter: gratis, berbayar, terlama, tercepat."""
    if saringan == "gratis":
        return [s for s in standards if is_free(s) is True]
    if saringan == "berbayar":
        return [s for s in standards if is_free(s) is False]
    if saringan in ("terlama", "tercepat"):
        timed = [(duration_days(s), s) for s in standards if duration_days(s) is not None]
        if not timed:
            return []
        target = max(d for d, _ in timed) if saringan == "terlama" else min(d for d, _ in timed)
        return [s for d, s in timed if d == target]
    return list(standards)
