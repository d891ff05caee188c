"""For admins: staff accounts (add, disable, enable, unlock) and the audit trail."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.petugas import repository as repo
from bot.petugas.models import PERAN

NAV = (Nav("Staf & catatan", "/konsol/staf", peran="admin"),)
PREFIX = "/konsol/staf"


def register(app: Any, konsol: Konsol, render: Any) -> None:
    def admin_only(request: Request) -> HTTPResponse | None:
        if request.ctx.staf.peran != "admin":
            return render(request, "ditolak.html", status=403, alasan="Halaman ini hanya untuk admin.")
        return None

    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        refused = admin_only(request)
        if refused is not None:
            return refused

        def read(session: Any) -> tuple[list[Any], list[Any]]:
            accounts = repo.daftar_staf(session)
            log = repo.daftar_catatan(session, 200)
            for row in accounts + log:
                session.expunge(row)
            return accounts, log

        accounts, log = await konsol.db(read)
        return render(request, "staf.html", akun=accounts, catatan=log, semua_peran=PERAN, now=konsol.clock())

    @app.post(f"{PREFIX}/tambah")
    async def add(request: Request) -> HTTPResponse:
        refused = admin_only(request)
        if refused is not None:
            return refused
        form = request.form or {}
        me = request.ctx.staf

        def save(session: Any) -> list[str]:
            staf, errors = repo.buat_staf(
                session, form.get("username") or "", form.get("nama") or "", form.get("peran") or "cs",
                form.get("sandi") or "",
            )  # fmt: skip
            if errors:
                session.rollback()
                return errors
            repo.catat(
                session, session.get(repo.StafRow, me.id), "tambah_staf", f"staf:{staf.username}", staf.peran
            )
            session.commit()
            return []

        errors = await konsol.db(save)
        key, message = ("galat", "; ".join(errors)) if errors else ("info", "Akun dibuat.")
        return response.redirect(f"{PREFIX}?{key}={quote(message)}")

    @app.post(f"{PREFIX}/<username>/<aksi>")
    async def change(request: Request, username: str, aksi: str) -> HTTPResponse:
        refused = admin_only(request)
        if refused is not None:
            return refused
        me = request.ctx.staf
        if aksi not in ("nonaktifkan", "aktifkan"):
            return response.redirect(f"{PREFIX}?galat={quote('aksi tidak dikenal')}")
        if aksi == "nonaktifkan" and repo.normal_username(username) == me.username:
            return response.redirect(
                f"{PREFIX}?galat={quote('Anda tidak dapat menonaktifkan akun sendiri.')}"
            )

        def save(session: Any) -> list[str]:
            staf, errors = repo.set_aktif(session, username, aksi == "aktifkan")
            if errors:
                session.rollback()
                return errors
            repo.catat(session, session.get(repo.StafRow, me.id), aksi + "_staf", f"staf:{staf.username}")
            session.commit()
            return []

        errors = await konsol.db(save)
        key, message = ("galat", "; ".join(errors)) if errors else ("info", "Akun diperbarui.")
        return response.redirect(f"{PREFIX}?{key}={quote(message)}")
