"""The console's Sanic app: sessions, CSRF, security headers, templates, and the page modules."""

from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol import keamanan
from bot.konsol.halaman import PAGE_MODULES, Nav
from bot.konsol.kirim import KANAL_LABEL
from bot.konsol.layanan import Konsol, menunggu_sejak
from bot.petugas import repository as repo

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PREFIX = "/konsol"
PUBLIC = (f"{PREFIX}/masuk", f"{PREFIX}/sehat")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
STATIC = {"konsol.css": "text/css; charset=utf-8", "konsol.js": "application/javascript; charset=utf-8"}


@dataclass(frozen=True)
class Petugas:
    """The logged-in staff member, detached from the database session."""

    id: int
    username: str
    nama: str
    peran: str


def _zone() -> ZoneInfo:
    name = os.environ.get("PANDU_KONSOL_ZONA", "").strip() or "Asia/Jakarta"
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a wrong setting must not stop the console
        logger.warning("PANDU_KONSOL_ZONA=%r unknown, using Asia/Jakarta", name)
        return ZoneInfo("Asia/Jakarta")


def create_app(konsol: Konsol, name: str = "pandu_konsol") -> Sanic:
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.config.REQUEST_MAX_SIZE = 256 * 1024  # forms only: a reply is at most a few kilobytes
    zone = _zone()
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"])
    )

    def waktu(value: Optional[datetime]) -> str:
        if value is None:
            return "-"
        local = value.replace(tzinfo=timezone.utc).astimezone(zone)
        return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"

    env.filters["waktu"] = waktu
    app.ctx.waktu = waktu  # the same local time in JSON as on the pages
    env.filters["kanal"] = lambda k: KANAL_LABEL.get(k, k)
    env.filters["menunggu"] = lambda d: menunggu_sejak(d, konsol.clock())
    nav: list[Nav] = []
    modules = [importlib.import_module(m) for m in PAGE_MODULES]
    for module in modules:
        nav.extend(module.NAV)

    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
        staf: Optional[Petugas] = getattr(request.ctx, "staf", None)
        visible = [n for n in nav if staf is not None and (n.peran is None or n.peran == staf.peran)]
        html = env.get_template(template).render(
            staf=staf,
            csrf=getattr(request.ctx, "csrf", ""),
            nav=visible,
            path=request.path,
            info=request.args.get("info", ""),
            galat=request.args.get("galat", ""),
            **context,
        )
        return response.html(html, status=status)

    def secure(request: Request) -> bool:
        return keamanan.https(request, konsol.secure_cookies)

    app.ctx.render = render
    app.ctx.secure = secure
    app.ctx.konsol = konsol

    @app.middleware("request")
    async def authenticate(request: Request) -> Optional[HTTPResponse]:
        request.ctx.staf = None
        request.ctx.csrf = ""
        if not request.path.startswith(PREFIX):
            return None
        if request.path.startswith(f"{PREFIX}/static/") or request.path in PUBLIC:
            return None
        token = keamanan.unsign(konsol.cookie_key, request.cookies.get(keamanan.COOKIE))
        found = await konsol.db(_load_session, token, konsol.clock()) if token else None
        if found is None:
            if request.path.startswith(f"{PREFIX}/api/"):
                return response.json({"error": "belum masuk"}, status=401)
            if request.method != "GET":
                return _forbidden(render, request, "Sesi Anda sudah berakhir. Silakan masuk lagi.")
            target = request.path + (f"?{request.query_string}" if request.query_string else "")
            return response.redirect(f"{PREFIX}/masuk?lanjut={quote(target, safe='')}")
        request.ctx.staf, request.ctx.csrf = found
        request.ctx.token = token
        if request.method not in ("GET", "HEAD"):
            given = request.form.get("csrf") if request.form else None
            given = given or request.headers.get("x-csrf-token")
            if not keamanan.same(request.ctx.csrf, given):
                return _forbidden(render, request, "Permintaan ditolak: token keamanan (CSRF) tidak sah.")
        return None

    @app.middleware("response")
    async def headers(request: Request, resp: HTTPResponse) -> None:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        if not request.path.startswith(f"{PREFIX}/static/"):
            resp.headers["Cache-Control"] = "no-store"

    @app.get("/")
    async def root(request: Request) -> HTTPResponse:
        return response.redirect(f"{PREFIX}/")

    @app.get(f"{PREFIX}/sehat")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get(f"{PREFIX}/static/<name>")
    async def static(request: Request, name: str) -> HTTPResponse:
        if name not in STATIC:
            return response.text("not found", status=404)
        return response.raw((HERE / "static" / name).read_bytes(), content_type=STATIC[name])

    for module in modules:
        module.register(app, konsol, render)
    return app


def _load_session(session: Any, token: str, now: datetime) -> Optional[tuple[Petugas, str]]:
    found = repo.sesi_aktif(session, token, now)
    if found is None:
        return None
    staf, sesi = found
    return Petugas(staf.id, staf.username, staf.nama, staf.peran), sesi.csrf


def _forbidden(render: Callable[..., HTTPResponse], request: Request, reason: str) -> HTTPResponse:
    return render(request, "ditolak.html", status=403, alasan=reason)


def from_env(rasa_url: Optional[str] = None) -> Konsol:
    """The console's settings for `python -m bot konsol serve` (see docs/konsol.md)."""
    from bot.db import session_factory
    from bot.petugas.rahasia import kunci_sesi, rahasia_jembatan
    from bot.petugas.riwayat import tracker_session_factory

    return Konsol(
        session_factory=session_factory(),
        tracker_factory=tracker_session_factory(),
        rasa_url=(rasa_url or os.environ.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
        bridge_secret=rahasia_jembatan(),
        cookie_key=kunci_sesi().encode("utf-8"),
        secure_cookies=os.environ.get("PANDU_KONSOL_HTTPS", "").strip().lower() in ("1", "true", "ya"),
    )


def serve(host: str = "127.0.0.1", port: int = 5057, rasa_url: Optional[str] = None) -> None:
    from bot.db import migrate

    migrate()
    app = create_app(from_env(rasa_url))
    app.run(host=host, port=port, access_log=False, motd=False)
