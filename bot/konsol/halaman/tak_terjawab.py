"""Unanswered questions: the groups of similar questions the assistant could not answer (most frequent
first, personal data already masked), their occurrences, and *Tandai selesai* with a note of what
was done (an alias added to a standard's YAML, a new standard, ...); a group asked again after that
opens by itself (bot/tak_terjawab/repository.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.petugas import repository as repo
from bot.tak_terjawab import repository as tt
from bot.tak_terjawab.models import JENIS, STATUS_KELOMPOK, KelompokTakTerjawabRow

NAV = (Nav("Tak terjawab", "/konsol/tak-terjawab"),)
PREFIX = "/konsol/tak-terjawab"
PERIODE = {"7": "7 hari", "30": "30 hari", "90": "90 hari", "semua": "semua waktu"}
CATATAN_MAKS = 2000


def register(app: Any, konsol: Konsol, render: Any) -> None:
    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        status = request.args.get("status", "terbuka")  # "semua": every group
        status = status if status in STATUS_KELOMPOK else None
        days = request.args.get("hari", "30")
        days = days if days in PERIODE else "30"
        since = konsol.clock() - timedelta(days=int(days)) if days.isdigit() else None
        groups = await konsol.db(lambda s: tt.daftar_kelompok(s, status=status, dari=since))
        return render(
            request,
            "tak_terjawab.html",
            kelompok=groups,
            pilih_status=status or "",
            hari=days,
            periode=PERIODE,
            semua_status=STATUS_KELOMPOK,
            jenis=JENIS,
        )

    @app.get(f"{PREFIX}/<kelompok_id:int>")
    async def detail(request: Request, kelompok_id: int) -> HTTPResponse:
        def read(session: Any) -> tuple[Any, list[Any]]:
            group = session.get(KelompokTakTerjawabRow, kelompok_id)
            rows = tt.contoh_kelompok(session, kelompok_id, limit=100)
            for row in ([group] if group else []) + rows:
                session.expunge(row)
            return group, rows

        group, rows = await konsol.db(read)
        if group is None:
            return render(request, "tidak_ada.html", status=404, apa="Kelompok pertanyaan")
        return render(
            request,
            "tak_terjawab_detail.html",
            g=group,
            contoh=rows,
            jenis=JENIS,
            semua_status=STATUS_KELOMPOK,
        )

    @app.post(f"{PREFIX}/<kelompok_id:int>/selesai")
    async def resolve(request: Request, kelompok_id: int) -> HTTPResponse:
        note = ((request.form or {}).get("catatan") or "").strip()[:CATATAN_MAKS]
        staf = request.ctx.staf

        def save(session: Any) -> list[str]:
            errors = tt.selesaikan(session, kelompok_id, note, f"konsol:{staf.username}", konsol.clock())
            if errors:
                session.rollback()
                return errors
            repo.catat(
                session, session.get(repo.StafRow, staf.id), "selesai_tak_terjawab", f"kelompok:{kelompok_id}"
            )
            session.commit()
            return []

        return _back(kelompok_id, await konsol.db(save), "Kelompok ditandai selesai.")

    @app.post(f"{PREFIX}/<kelompok_id:int>/buka")
    async def reopen(request: Request, kelompok_id: int) -> HTTPResponse:
        staf = request.ctx.staf

        def save(session: Any) -> list[str]:
            errors = tt.buka_lagi(session, kelompok_id)
            if errors:
                session.rollback()
                return errors
            repo.catat(
                session, session.get(repo.StafRow, staf.id), "buka_tak_terjawab", f"kelompok:{kelompok_id}"
            )
            session.commit()
            return []

        return _back(kelompok_id, await konsol.db(save), "Kelompok dibuka lagi.")


def _back(kelompok_id: int, errors: list[str], done: str) -> HTTPResponse:
    key, message = ("galat", "; ".join(errors)) if errors else ("info", done)
    return response.redirect(f"{PREFIX}/{kelompok_id}?{key}={quote(message)}")
