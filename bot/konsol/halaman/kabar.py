"""Notifications (kabar): how each one went, those that need staff first, and *Kirim ulang*.

Staff see the reference (application number, ticket), the channel, the text sent and why a delivery
failed; never the conversation's address. Sending again is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.notifikasi import kirim, langganan
from bot.notifikasi.models import JENIS_KABAR, STATUS_KABAR
from bot.petugas import repository as repo

NAV = (Nav("Kabar", "/konsol/kabar"),)
PREFIX = "/konsol/kabar"


def register(app: Any, konsol: Konsol, render: Any) -> None:
    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        status = request.args.get("status") or None
        status = status if status in STATUS_KABAR else None

        def read(session: Any) -> tuple[list[Any], dict[str, int]]:
            return langganan.daftar_kabar(session, status), langganan.hitung_kabar(session)

        rows, counts = await konsol.db(read)
        rows.sort(key=lambda pair: (pair[0].status != "gagal_akhir", -pair[0].id))  # staff's work first
        return render(
            request,
            "kabar.html",
            tl=_Rows(rows),
            hitungan=counts,
            pilih_status=status or "",
            jenis_kabar=JENIS_KABAR,
            status_kabar=STATUS_KABAR,
            template_diatur=kirim.template_diatur(),
        )

    @app.post(f"{PREFIX}/<kabar_id:int>/ulang")
    async def retry(request: Request, kabar_id: int) -> HTTPResponse:
        form = request.form or {}
        back = form.get("kembali") or PREFIX
        if not back.startswith("/konsol/") or "//" in back or "\\" in back:
            back = PREFIX
        staf = request.ctx.staf

        def save(session: Any) -> bool:
            from bot.notifikasi.models import KabarRow

            ok = kirim.kirim_ulang(session, kabar_id)
            if ok:
                kabar = session.get(KabarRow, kabar_id)
                repo.catat(
                    session,
                    session.get(repo.StafRow, staf.id),
                    "kirim_ulang_kabar",
                    kabar.rujukan,
                    f"kabar:{kabar_id}",
                )
                session.commit()
            else:
                session.rollback()
            return ok

        ok = await konsol.db(save)
        key, message = (
            ("info", "Kabar dijadwalkan dikirim ulang (dalam setengah menit).")
            if ok
            else (
                "galat",
                "Kabar ini tidak dapat dikirim ulang (sudah terkirim, dibatalkan, atau pemohon berhenti).",
            )
        )
        joiner = "&" if "?" in back else "?"
        return response.redirect(f"{back}{joiner}{key}={quote(message)}")


class _Rows:
    """The shape the shared notification table expects (`tl.kabar`)."""

    def __init__(self, rows: list[Any]) -> None:
        self.kabar = rows
