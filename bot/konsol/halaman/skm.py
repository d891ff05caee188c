"""The satisfaction survey (SKM): the IKM per service, region or month over a period, by the method of
Permenpan RB 14/2017 (bot/skm/ikm.py), its CSV, and the latest comments (already masked)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.skm.kuesioner import kuesioner
from bot.skm.models import UNSUR
from bot.skm.repository import PER, ikm_per, komentar, tulis_csv

NAV = (Nav("SKM", "/konsol/skm"),)
PREFIX = "/konsol/skm"


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filters(request: Request) -> dict[str, Any]:
    per = request.args.get("per", "layanan")
    return {
        "per": per if per in PER else "layanan",
        "dari": _day(request.args.get("dari")),
        "sampai": _day(request.args.get("sampai")),
        "wilayah": (request.args.get("wilayah") or "").strip()[:64] or None,
    }


def register(app: Any, konsol: Konsol, render: Any) -> None:
    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        f = _filters(request)

        def read(session: Any) -> tuple[list[Any], list[Any]]:
            return (
                ikm_per(session, f["per"], f["dari"], f["sampai"], f["wilayah"]),
                komentar(session, f["dari"], f["sampai"], f["wilayah"], limit=20),
            )

        rows, comments = await konsol.db(read)
        q = kuesioner()
        return render(
            request,
            "skm.html",
            baris=rows,
            komentar=comments,
            unsur=[(k, q.nama(k)) for k in UNSUR],
            mutu=q.mutu,
            sumber=q.sumber,
            semua_per=PER,
            query=request.query_string,
            **{k: v or "" for k, v in f.items()},
        )

    @app.get(f"{PREFIX}/ikm.csv")
    async def export(request: Request) -> HTTPResponse:
        f = _filters(request)
        rows = await konsol.db(lambda s: ikm_per(s, f["per"], f["dari"], f["sampai"], f["wilayah"]))
        out = io.StringIO()
        tulis_csv(rows, out)
        name = f"ikm-per-{f['per']}.csv"
        return response.text(
            out.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
