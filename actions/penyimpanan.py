"""The database for the actions (status check, complaints, notifications, survey): a session
factory injected (tests) or `bot.db.session_factory()` built on first use, never at import time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, ClassVar, Optional

SessionFactory = Callable[[], Any]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AksiBasisData:
    session_factory: ClassVar[Optional[SessionFactory]] = None
    clock: ClassVar[Callable[[], datetime]] = staticmethod(utc_now)  # aware UTC

    def __init__(self, session_factory: Optional[SessionFactory] = None) -> None:
        self._factory = session_factory

    def factory(self) -> SessionFactory:
        if self._factory is None:
            if type(self).session_factory is not None:
                self._factory = type(self).session_factory
            else:
                from bot.db import session_factory

                self._factory = session_factory()
        return self._factory
