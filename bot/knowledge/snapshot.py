"""Every standard and region in memory, for the answers that look across standards.

Office-level answers ("di kantor DPMPTSP Balangan ada tempat parkir?"), passage retrieval and the
staff quick reference (side-by-side comparison, sector filters) read many standards at once. A
`Snapshot` holds all of them with their passage index; `current_snapshot(session)` rebuilds it when
the knowledge base changed (`python -m bot kb load`: the standards' and regions' file checksums
differ), so it is never stale and costs one small query per use.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import select

from bot.knowledge.passages import PassageIndex
from bot.knowledge.search import SearchIndex
from bot.knowledge.views import Region, Standard, StandardSummary


@dataclass(frozen=True)
class Snapshot:
    version: str
    standards: dict[str, Standard]  # in the repository's order (region, number, name)
    regions: dict[str, Region]
    passages: PassageIndex = field(repr=False)
    search: SearchIndex = field(repr=False)

    def of_region(self, wilayah: Optional[str]) -> list[Standard]:
        return [s for s in self.standards.values() if wilayah is None or s.wilayah == wilayah]


def knowledge_version(session: Any) -> str:
    """A hash of every standard's and region's file checksum (what `kb load` changes)."""
    from bot.knowledge.models import StandarRow, WilayahRow

    digest = hashlib.sha256()
    for row in session.execute(select(StandarRow.id, StandarRow.checksum).order_by(StandarRow.id)):
        digest.update(f"{row[0]}:{row[1]};".encode())
    for row in session.execute(select(WilayahRow.id, WilayahRow.checksum).order_by(WilayahRow.id)):
        digest.update(f"{row[0]}:{row[1]};".encode())
    return digest.hexdigest()


def load_snapshot(session: Any, version: Optional[str] = None) -> Snapshot:
    from bot.knowledge import repository

    standards = {}
    for summary in repository.list_standards(session):
        standard = repository.get_standard(session, summary.id)
        if standard is not None:
            standards[standard.id] = standard
    regions = {r.id: r for r in repository.list_regions(session)}
    summaries = [
        StandardSummary(s.id, s.wilayah, s.nomor, s.nama, s.sektor, s.alias) for s in standards.values()
    ]
    return Snapshot(
        version or knowledge_version(session),
        standards,
        regions,
        PassageIndex(standards.values()),
        SearchIndex(summaries, list(regions.values())),
    )


_lock = threading.Lock()
_cached: dict[str, Snapshot] = {}


def current_snapshot(session: Any) -> Snapshot:
    """The snapshot of the knowledge base `session` reads, rebuilt only when it changed."""
    version = knowledge_version(session)
    key = str(session.get_bind().url)
    with _lock:
        cached = _cached.get(key)
        if cached is not None and cached.version == version:
            return cached
    snapshot = load_snapshot(session, version)
    with _lock:
        _cached[key] = snapshot
    return snapshot
