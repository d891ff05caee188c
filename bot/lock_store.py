"""Rasa's conversation lock store, configured by one URL (named in endpoints.yml).

Rasa takes a lock per conversation around each message, so two messages of one conversation are
never processed at the same time. With one Rasa process an in-memory lock is enough; several
processes must share the lock: `PANDU_REDIS_URL` (e.g. `redis://127.0.0.1:6379/0`) makes this
Rasa's own `RedisLockStore`. Without it, Rasa's `InMemoryLockStore` (the single-process default).

Rasa's Redis store reads, changes and writes a lock in separate steps; `AtomicRedisLockStore` makes
each step one Redis transaction (two processes cannot both take the first ticket). Rasa polls a held
lock once a second; a waiting message here polls every 0.1 s, so a second message
of a conversation does not wait a whole second after the first is answered.
"""

from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Optional
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from redis.exceptions import WatchError

ENV_REDIS_URL = "PANDU_REDIS_URL"
WAIT_BETWEEN_ATTEMPTS_S = 0.1
KEY_PREFIX = "pandu"  # Rasa's prefix must be alphanumeric; keys are "pandu:lock:<conversation>"


def redis_url() -> Optional[str]:
    return os.environ.get(ENV_REDIS_URL, "").strip() or None


def redis_kwargs(url: str) -> dict[str, Any]:
    """`redis://[user:password@]host[:port][/db]` (or `rediss://`) -> RedisLockStore arguments."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"{ENV_REDIS_URL} must start with redis:// or rediss://, got {parts.scheme!r}")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise ValueError(f"{ENV_REDIS_URL}: the database must be a number, got {db!r}")
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(db),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss",
        "key_prefix": KEY_PREFIX,
    }


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's `RedisLockStore` whose read-modify-write steps are Redis transactions.

    Rasa reads a conversation's lock, changes it and writes it back in separate calls. Two processes
    taking a ticket at the same moment could then both get ticket 0 (both answering at once), and a
    process finishing could delete the lock just after another one queued on it (that message would
    fail with "Could not acquire lock"). Here each step is WATCH/MULTI/EXEC, retried on conflict.
    """

    def _change(self, conversation_id: str, change: Callable[[Optional[TicketLock]], Any]) -> Any:
        """Apply `change` to the stored lock atomically; `change` returns (lock to store or None to
        delete, result)."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(current)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as exc:  # noqa: BLE001 - Rasa's contract: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish_and_drop_if_idle(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_drop_if_idle)


class UrlLockStore(LockStore):
    """`AtomicRedisLockStore` when `PANDU_REDIS_URL` is set, else Rasa's `InMemoryLockStore`."""

    def __init__(self, endpoint_config: Any = None, url: Optional[str] = None) -> None:
        url = url or redis_url()
        self.backend: LockStore = AtomicRedisLockStore(**redis_kwargs(url)) if url else InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.backend.save_lock(lock)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_ATTEMPTS_S,
    ) -> AsyncGenerator[TicketLock, None]:
        wait = min(wait_time_in_seconds, WAIT_BETWEEN_ATTEMPTS_S)
        async with self.backend.lock(conversation_id, lock_lifetime, wait) as ticket_lock:
            yield ticket_lock
