"""The monthly report in the console: the same numbers, charts and tables as `python -m bot laporan`
(bot/laporan), a month and region picker, and the self-contained HTML file to download.

Charts are served by the console (the pages' Content-Security-Policy allows images from the console
only); one month's report is kept for CACHE_S seconds, so a page and its ten charts are made once.
"""

from __future__ import annotations

import time
from datetime import timezone
from typing import Any, Optional
from urllib.parse import urlencode

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.knowledge import repository as kb
from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.laporan import grafik, html
from bot.laporan.data import buat_laporan, bulan_dari_teks, zona_laporan

NAV = (Nav("Laporan", "/konsol/laporan"),)
PREFIX = "/konsol/laporan"
CACHE_S = 300
_cache: dict[tuple[str, str], tuple[float, Any, dict[str, bytes]]] = {}


def register(app: Any, konsol: Konsol, render: Any) -> None:
    def choice(request: Request) -> tuple[Optional[str], str, Optional[str]]:
        """(month 'YYYY-MM' or None when invalid, the text given, region or None)."""
        default = konsol.clock().replace(tzinfo=timezone.utc).astimezone(zona_laporan(None)).strftime("%Y-%m")
        text = (request.args.get("bulan") or default).strip()[:7]
        try:
            bulan_dari_teks(text)
        except ValueError:
            return None, text, None
        return text, text, (request.args.get("wilayah") or "").strip()[:64] or None

    async def report(bulan: str, wilayah: Optional[str]) -> tuple[Any, dict[str, bytes]]:
        key = (bulan, wilayah or "")
        found = _cache.get(key)
        if found and time.monotonic() - found[0] < CACHE_S:
            return found[1], found[2]

        def make(session: Any) -> tuple[Any, dict[str, bytes]]:
            with konsol.tracker_factory() as tracker:
                lap = buat_laporan(session, tracker, bulan_dari_teks(bulan), wilayah, konsol.clock())
            session.commit()
            return lap, grafik.semua_png(lap)

        lap, charts = await konsol.db(make)
        _cache[key] = (time.monotonic(), lap, charts)
        for old in [k for k, v in _cache.items() if time.monotonic() - v[0] >= CACHE_S]:
            _cache.pop(old, None)
        return lap, charts

    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        bulan, given, wilayah = choice(request)
        regions = await konsol.db(kb.list_regions)
        if bulan is None:
            return render(
                request,
                "laporan.html",
                isi=None,
                bulan=given,
                wilayah="",
                wilayah_list=regions,
                galat_bulan=f"Bulan {given!r} tidak dikenal: tulis YYYY-MM, misalnya 2026-11.",
            )
        try:
            lap, _ = await report(bulan, wilayah)
        except ValueError as exc:
            return render(
                request,
                "laporan.html",
                isi=None,
                bulan=bulan,
                wilayah=wilayah or "",
                wilayah_list=regions,
                galat_bulan=str(exc),
            )
        query = urlencode({"bulan": bulan, **({"wilayah": wilayah} if wilayah else {})})
        body = html.isi(lap, lambda name: f"{PREFIX}/gambar/{name}.png?{query}")
        return render(
            request,
            "laporan.html",
            isi=body,
            bulan=bulan,
            wilayah=wilayah or "",
            wilayah_list=regions,
            query=query,
            galat_bulan="",
        )

    @app.get(f"{PREFIX}/gambar/<berkas>")
    async def chart(request: Request, berkas: str) -> HTTPResponse:
        bulan, _, wilayah = choice(request)
        name = berkas.removesuffix(".png")
        if bulan is None or not berkas.endswith(".png") or name not in grafik.GRAFIK:
            return response.text("tidak ada", status=404)
        try:
            _, charts = await report(bulan, wilayah)
        except ValueError:
            return response.text("tidak ada", status=404)
        return response.raw(charts[name], content_type="image/png")

    @app.get(f"{PREFIX}/unduh")
    async def download(request: Request) -> HTTPResponse:
        bulan, _, wilayah = choice(request)
        if bulan is None:
            return response.text("bulan tidak dikenal", status=400)
        lap, charts = await report(bulan, wilayah)
        name = f"laporan-{bulan}" + (f"-{wilayah}" if wilayah else "") + ".html"
        return response.html(
            html.berkas(lap, charts), headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @app.get(f"{PREFIX}/gaya.css")
    async def style(request: Request) -> HTTPResponse:
        return response.raw(html.CSS.read_bytes(), content_type="text/css; charset=utf-8")
