"""Login and logout."""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import unquote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol import keamanan
from bot.konsol.layanan import Konsol
from bot.petugas import repository as repo

NAV = ()
PREFIX = "/konsol"


def _target(raw: Optional[str]) -> str:
    """Where to go after login: only a page of the console (never another site)."""
    target = unquote(raw or "")
    if target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


def register(app: Any, konsol: Konsol, render: Any) -> None:
    def login_page(request: Request, galat: str = "", status: int = 200, username: str = "") -> HTTPResponse:
        token = keamanan.new_token()
        request.ctx.csrf = token
        posted = (request.form or {}).get("lanjut") if request.method == "POST" else None
        lanjut = request.args.get("lanjut") or posted
        page = render(
            request, "masuk.html", status=status, pesan_galat=galat, username=username, lanjut=_target(lanjut)
        )
        signed = keamanan.sign(konsol.cookie_key, token)
        keamanan.set_cookie(page, keamanan.COOKIE_CSRF_LOGIN, signed, 3600, app.ctx.secure(request))
        return page

    @app.get(f"{PREFIX}/masuk")
    async def show(request: Request) -> HTTPResponse:
        return login_page(request)

    @app.post(f"{PREFIX}/masuk")
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        expected = keamanan.unsign(konsol.cookie_key, request.cookies.get(keamanan.COOKIE_CSRF_LOGIN))
        if not keamanan.same(expected, form.get("csrf")):
            reason = "Permintaan ditolak: token keamanan (CSRF) tidak sah. Muat ulang halaman lalu coba lagi."
            return render(request, "ditolak.html", status=403, alasan=reason)
        username = (form.get("username") or "").strip()[:64]
        sandi = form.get("sandi") or ""

        def check(session: Any) -> tuple[Optional[str], Optional[Any]]:
            result = repo.masuk(session, username, sandi, konsol.clock())
            if result.staf is None:
                staf = repo.get_staf(session, username)
                aksi = "terkunci" if result.terkunci_sampai is not None else "gagal_masuk"
                repo.catat(session, staf, aksi, username=username)
                session.commit()
                return None, result.terkunci_sampai
            token, _sesi = repo.buat_sesi(session, result.staf, konsol.clock())
            repo.catat(session, result.staf, "masuk")
            session.commit()
            return token, None

        token, locked = await konsol.db(check)
        if token is None:
            if locked is not None:
                message = (
                    "Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
                    "Coba lagi 15 menit lagi atau minta admin membukanya."
                )
            else:
                message = "Nama pengguna atau kata sandi salah."
            return login_page(request, message, status=401, username=username)
        page = response.redirect(_target(form.get("lanjut")))
        max_age = int(repo.LAMA_SESI.total_seconds())
        secure = app.ctx.secure(request)
        keamanan.set_cookie(page, keamanan.COOKIE, keamanan.sign(konsol.cookie_key, token), max_age, secure)
        keamanan.clear_cookie(page, keamanan.COOKIE_CSRF_LOGIN, secure)
        return page

    @app.post(f"{PREFIX}/keluar")
    async def logout(request: Request) -> HTTPResponse:
        staf = request.ctx.staf

        def end(session: Any) -> None:
            repo.hapus_sesi(session, request.ctx.token)
            repo.catat(session, session.get(repo.StafRow, staf.id), "keluar")
            session.commit()

        await konsol.db(end)
        page = response.redirect(f"{PREFIX}/masuk?info=keluar")
        keamanan.clear_cookie(page, keamanan.COOKIE, app.ctx.secure(request))
        return page
