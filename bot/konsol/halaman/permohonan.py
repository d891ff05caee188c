"""Applications: list with filters, one application's detail and history, status change with a note."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.notifikasi.models import JENIS_KABAR, STATUS_KABAR
from bot.permohonan import repository as permohonan_repo
from bot.permohonan.models import STATUS
from bot.petugas import repository as repo
from bot.tindak_lanjut.konsol import kabar_permohonan

NAV = (Nav("Permohonan", "/konsol/permohonan"),)
PREFIX = "/konsol/permohonan"
CATATAN_MAKS = 1000


def register(app: Any, konsol: Konsol, render: Any) -> None:
    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        status = request.args.get("status") or None
        status = status if status in STATUS else None
        wilayah = (request.args.get("wilayah") or "").strip() or None
        nomor = (request.args.get("nomor") or "").strip()[:64] or None
        items = await konsol.db(
            lambda s: permohonan_repo.list_permohonan(s, status=status, wilayah=wilayah, nomor=nomor)
        )
        return render(
            request, "permohonan_daftar.html", items=items, pilih_status=status or "", wilayah=wilayah or "",
            nomor=nomor or "", semua_status=STATUS,
        )  # fmt: skip

    @app.get(f"{PREFIX}/lihat")
    async def detail(request: Request) -> HTTPResponse:
        # The number has slashes (503/0451/IZ/2026): it travels as a query parameter.
        nomor = request.args.get("nomor") or ""
        item = await konsol.db(permohonan_repo.get_permohonan, nomor)
        if item is None:
            return render(request, "tidak_ada.html", status=404, apa="Permohonan")
        tl = await konsol.db(kabar_permohonan, item.nomor)  # follow-through: notifications sent
        return render(
            request, "permohonan_detail.html", p=item, semua_status=STATUS, tl=tl, jenis_kabar=JENIS_KABAR,
            status_kabar=STATUS_KABAR, nomor_kembali=item.nomor,
        )  # fmt: skip

    @app.post(f"{PREFIX}/status")
    async def change(request: Request) -> HTTPResponse:
        form = request.form or {}
        nomor, status = form.get("nomor") or "", form.get("status") or ""
        catatan = (form.get("catatan") or "").strip()[:CATATAN_MAKS]
        staf = request.ctx.staf

        def save(session: Any) -> list[str]:
            if status not in STATUS:
                return ["pilih status yang dikenal"]
            item, errors = permohonan_repo.ubah_permohonan(
                session, nomor, f"konsol:{staf.username}"[:32], status=status, catatan=catatan or None
            )
            if errors:
                session.rollback()
                return errors
            repo.catat(
                session,
                session.get(repo.StafRow, staf.id),
                "ubah_permohonan",
                item.nomor,
                f"status: {status}",
            )
            session.commit()
            return []

        errors = await konsol.db(save)
        key, message = ("galat", "; ".join(errors)) if errors else ("info", "Perubahan disimpan.")
        return response.redirect(f"{PREFIX}/lihat?nomor={quote(nomor, safe='')}&{key}={quote(message)}")
