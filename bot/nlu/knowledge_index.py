"""The knowledge the NLU links against, loaded once per process and database URL.

`cached_index(url)` reads the standards and regions through `bot.db.session_factory()` the first
time it is asked and keeps a `linking.KnowledgeIndex`. When the database cannot be read it logs one
clear error, returns None (the NLU goes on without linking) and retries at most every
`retry_seconds`. After `python -m bot kb load` changes names or aliases, restart the servers (or
call `clear_index_cache()`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Optional

from bot.nlu.linking import KnowledgeIndex

logger = logging.getLogger(__name__)

# The lexicon files the NLU reads (alias.yml and wilayah.yml only serve `kb import`).
NLU_LEXICON = (
    "normalisasi",
    "inggris",
    "daerah",
    "umum",
    "komponen",
    "sektor",
    "pertanyaan",
    "pilihan",
    "jawaban",
    "luar_layanan",
)


def load_knowledge_index(database_url: Optional[str] = None) -> KnowledgeIndex:
    """Read the standards and regions from the database at `database_url` (default: DATABASE_URL)."""
    from bot.db import session_factory
    from bot.knowledge.repository import list_regions, list_standards

    with session_factory(database_url)() as session:
        standards = list_standards(session)
        regions = list_regions(session)
    if not standards:
        logger.warning("linker: the knowledge base is empty: run `python -m bot kb load`.")
    return KnowledgeIndex.build(standards, regions)


class _CachedIndex:
    """One index per process and URL; after a failure, retried at most every `retry_seconds`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[str, KnowledgeIndex] = {}
        self._failed_at: dict[str, float] = {}

    def get(self, database_url: Optional[str], retry_seconds: float) -> Optional[KnowledgeIndex]:
        from bot.db import database_url as default_url

        url = database_url or default_url()
        with self._lock:
            if url in self._indexes:
                return self._indexes[url]
            failed_at = self._failed_at.get(url)
            if failed_at is not None and time.monotonic() - failed_at < retry_seconds:
                return None
            try:
                index = load_knowledge_index(url)
            except Exception as error:  # any database problem: the assistant must keep running
                self._failed_at[url] = time.monotonic()
                logger.error(
                    "linker: the knowledge base at %s cannot be read (%s: %s). Services and regions "
                    "will not be recognised until it is built: run `python -m bot kb load`.",
                    url,
                    type(error).__name__,
                    error,
                )
                return None
            self._indexes[url] = index
            self._failed_at.pop(url, None)
            return index

    def clear(self) -> None:
        with self._lock:
            self._indexes.clear()
            self._failed_at.clear()


_CACHE = _CachedIndex()


def cached_index(database_url: Optional[str] = None, retry_seconds: float = 30.0) -> Optional[KnowledgeIndex]:
    """The process-wide index for `database_url` (None when the database cannot be read)."""
    return _CACHE.get(database_url, retry_seconds)


def clear_index_cache() -> None:
    """Forget loaded indexes (tests; a reloaded knowledge base needs a restart otherwise)."""
    _CACHE.clear()


def masking_fingerprint(database_url: Optional[str] = None) -> str:
    """What masking depends on, as a hash: every name and alias of the standards and regions, the
    lexicon files, and the code that normalizes, links and searches. The TextNormalizer adds it to
    Rasa's training fingerprint, so a model trained before any of them changed is retrained instead
    of silently going stale."""
    from pathlib import Path

    from bot.lexicon import LEXICON_DIR

    package = Path(__file__).resolve().parents[1]
    code = [package / "nlu" / name for name in ("normalize.py", "linking.py")]
    code.append(package / "knowledge" / "search.py")
    lexicon_files = [LEXICON_DIR / f"{name}.yml" for name in NLU_LEXICON]
    digest = hashlib.sha256()
    for path in [*lexicon_files, *code]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    index = cached_index(database_url, retry_seconds=0.0)
    if index is None:
        digest.update(b"no knowledge base")
    else:
        names = [(s.id, s.nama, tuple(s.alias)) for s in index.search.summaries]
        names += [(r.id, r.nama, tuple(r.alias)) for r in index.regions]
        for entry in sorted(names):
            digest.update(repr(entry).encode())
    return digest.hexdigest()
