"""The console's pages, one module per area. Each module has

    NAV: tuple[Nav, ...]                      # menu entries (empty for none)
    def register(app, konsol, render): ...    # adds its routes

Add an area by writing a module and listing it in PAGE_MODULES (order = menu order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

PAGE_MODULES = (
    "bot.konsol.halaman.masuk",
    "bot.konsol.halaman.antrean",
    "bot.konsol.halaman.pengaduan",
    "bot.konsol.halaman.permohonan",
    # follow-through: notifications, unanswered questions, the survey index, the monthly report
    "bot.konsol.halaman.kabar",
    "bot.konsol.halaman.tak_terjawab",
    "bot.konsol.halaman.skm",
    "bot.konsol.halaman.laporan",
    "bot.konsol.halaman.staf",
)


@dataclass(frozen=True)
class Nav:
    label: str
    path: str
    peran: Optional[str] = None  # None: every logged-in staff member; "admin": admins only
