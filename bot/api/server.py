"""The staff HTTP API: the office's licensing system pushes applications; staff work on complaints.

Bearer token from `PANDU_API_TOKEN`; without one the API is off (it refuses every call with 503,
and `bot/run.py` does not start it). The token is compared in constant time before anything in the
request is read. Database work runs in a thread so the event loop stays free.

Every input is checked for type and length before it reaches the database (`check_fields`): a
wrong type or an overlong value is a 422 with the reasons, never a 500; bodies are limited
(`SANIC_REQUEST_MAX_SIZE`, default 1 MB); an unexpected error answers a bare 500 and logs only its
type (the engines hide SQL parameters, so names and phone numbers never reach the logs).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from functools import partial
from typing import Any, Callable, Optional

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

logger = logging.getLogger(__name__)

ENV_TOKEN = "PANDU_API_TOKEN"
PREFIX = "/api/v1"
MAX_REQUEST_BYTES = 1_000_000

# Longest accepted value per field (characters); `tahap` may also be a number.
FIELD_LIMITS: dict[str, int] = {
    "nomor_permohonan": 64,
    "layanan": 200,
    "wilayah": 64,
    "nama_pemohon": 200,
    "telepon": 32,
    "tanggal_masuk": 10,
    "status": 32,
    "tahap": 500,
    "catatan": 2000,
    "nomor_izin": 200,
    "tanggal_selesai": 10,
    "kode_tanda_terima": 64,
    "tanggapan": 4000,
}
NUMBER_FIELDS = {"tahap"}


def check_fields(body: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Reasons why a JSON body's fields cannot be used (unknown name, wrong type, too long)."""
    errors = []
    for key, value in body.items():
        if key not in allowed:
            errors.append(f"field {str(key)[:40]!r} tidak dikenal (boleh: {', '.join(allowed)})")
            continue
        if value is None:
            continue
        if key in NUMBER_FIELDS and isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value <= 10_000:
                errors.append(f"{key} di luar rentang")
            continue
        if not isinstance(value, str):
            errors.append(f"{key} harus teks" + (" atau angka" if key in NUMBER_FIELDS else ""))
        elif len(value) > FIELD_LIMITS.get(key, 200):
            errors.append(f"{key} lebih dari {FIELD_LIMITS.get(key, 200)} karakter")
    return errors


def _error(status: int, message: str, **extra: Any) -> HTTPResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="pandu-izin"'} if status == 401 else None
    return json({"error": message, **extra}, status=status, headers=headers)


def authorized(request: Request, token: Optional[str]) -> Optional[HTTPResponse]:
    """None when the request carries the token; else the response to send."""
    if not token:
        return _error(503, f"API dimatikan: {ENV_TOKEN} tidak diatur")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return _error(401, "token tidak sah")
    return None


def _permohonan_json(p: Any) -> dict[str, Any]:
    return {
        "nomor_permohonan": p.nomor,
        "layanan": p.standard_id,
        "wilayah": p.wilayah,
        "nama_pemohon": p.nama_pemohon,
        "telepon": p.telepon,
        "tanggal_masuk": p.tanggal_masuk.isoformat(),
        "status": p.status,
        "tahap": p.tahap_nomor if p.tahap_nomor else p.tahap_teks,
        "catatan": p.catatan,
        "nomor_izin": p.nomor_izin,
        "tanggal_selesai": p.tanggal_selesai.isoformat() if p.tanggal_selesai else None,
        "riwayat": [
            {
                "status": r.status,
                "tahap": r.tahap_nomor if r.tahap_nomor else r.tahap_teks,
                "catatan": r.catatan,
                "sumber": r.sumber,
                "dicatat_pada": r.dicatat_pada.isoformat(timespec="seconds") + "Z",
            }
            for r in p.riwayat
        ],
    }


def _pengaduan_json(p: Any) -> dict[str, Any]:
    from bot.pengaduan.repository import as_row

    data: dict[str, Any] = as_row(p)
    data["riwayat"] = [
        {
            "status": r.status,
            "catatan": r.catatan,
            "oleh": r.oleh,
            "dicatat_pada": r.dicatat_pada.isoformat(timespec="seconds") + "Z",
        }
        for r in p.riwayat
    ]
    return data


def create_app(
    session_factory: Optional[Callable[[], Any]] = None,
    token: Optional[str] = None,
    name: str = "pandu_izin_api",
) -> Sanic:
    """The API app. `token` defaults to `$PANDU_API_TOKEN`; `session_factory` to `bot.db`'s."""
    token = token if token is not None else os.environ.get(ENV_TOKEN, "").strip()
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = int(os.environ.get("SANIC_REQUEST_MAX_SIZE") or MAX_REQUEST_BYTES)

    async def on_error(request: Request, exception: Exception) -> HTTPResponse:
        from sanic.exceptions import SanicException

        if isinstance(exception, SanicException):  # 404, 405, 413, unreadable JSON...
            status = getattr(exception, "status_code", 400) or 400
            return _error(status, type(exception).__name__)
        logger.error("staff API %s %s failed: %s", request.method, request.path, type(exception).__name__)
        return _error(500, "kesalahan internal")

    app.error_handler.add(Exception, on_error)
    state: dict[str, Any] = {"factory": session_factory}

    def factory() -> Callable[[], Any]:
        if state["factory"] is None:
            from bot.db import session_factory as default_factory

            state["factory"] = default_factory()
        return state["factory"]

    async def in_thread(fn: Callable, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))

    @app.middleware("request")
    async def check_token(request: Request) -> Optional[HTTPResponse]:
        if request.path in (f"{PREFIX}/openapi.json", f"{PREFIX}/health"):
            return None
        return authorized(request, token)

    @app.get(f"{PREFIX}/health")
    async def health(request: Request) -> HTTPResponse:
        return json({"status": "ok" if token else "off"})

    @app.get(f"{PREFIX}/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        from bot.api.openapi import SPEC

        return json(SPEC)

    # --- applications ----------------------------------------------------------------------
    def _upsert(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        from bot.permohonan.repository import (
            FIELDS,
            OPTIONAL_FIELDS,
            StandarResolver,
            get_permohonan,
            upsert_permohonan,
            validate_record,
        )

        keys = FIELDS + OPTIONAL_FIELDS
        record = {key: "" if body.get(key) is None else str(body.get(key)) for key in keys}
        with factory()() as session:
            data, errors = validate_record(record, StandarResolver(session))
            if errors:
                return 422, {"error": "data tidak valid", "alasan": errors}
            outcome = upsert_permohonan(session, data, "api")
            session.commit()
            return (201 if outcome == "baru" else 200), {
                "hasil": outcome,
                "permohonan": _permohonan_json(get_permohonan(session, data.nomor)),
            }

    def body_of(request: Request) -> Optional[dict[str, Any]]:
        try:
            body = request.json
        except Exception:  # unreadable JSON
            return None
        return body if isinstance(body, dict) else None

    @app.put(f"{PREFIX}/permohonan")
    async def upsert(request: Request) -> HTTPResponse:
        from bot.permohonan.repository import FIELDS, OPTIONAL_FIELDS

        body = body_of(request)
        if body is None:
            return _error(400, "body harus objek JSON")
        if errors := check_fields(body, FIELDS + OPTIONAL_FIELDS):
            return _error(422, "data tidak valid", alasan=errors)
        status, payload = await in_thread(_upsert, body)
        return json(payload, status=status)

    def _patch(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        from bot.permohonan.repository import ubah_permohonan

        nomor = str(body.get("nomor_permohonan") or "")
        changes = {
            key: (None if body.get(key) is None else str(body[key]))
            for key in ("status", "tahap", "catatan", "nomor_izin", "tanggal_selesai")
        }
        with factory()() as session:
            p, errors = ubah_permohonan(session, nomor, "api", **changes)
            if errors:
                session.rollback()
                code = 404 if p is None and any("tidak ditemukan" in e for e in errors) else 422
                return code, {"error": "perubahan ditolak", "alasan": errors}
            session.commit()
            return 200, {"permohonan": _permohonan_json(p)}

    @app.patch(f"{PREFIX}/permohonan")
    async def patch(request: Request) -> HTTPResponse:
        body = body_of(request)
        if body is None or not body.get("nomor_permohonan"):
            return _error(400, "body harus objek JSON dengan nomor_permohonan")
        allowed = ("nomor_permohonan", "status", "tahap", "catatan", "nomor_izin", "tanggal_selesai")
        if errors := check_fields(body, allowed):
            return _error(422, "data tidak valid", alasan=errors)
        status, payload = await in_thread(_patch, body)
        return json(payload, status=status)

    def _get_permohonan(nomor: str) -> Optional[dict[str, Any]]:
        from bot.permohonan.repository import get_permohonan

        with factory()() as session:
            p = get_permohonan(session, nomor)
            return _permohonan_json(p) if p is not None else None

    @app.get(f"{PREFIX}/permohonan")
    async def read_permohonan(request: Request) -> HTTPResponse:
        nomor = request.args.get("nomor", "")
        if not nomor:
            return _error(400, "parameter nomor wajib")
        if len(nomor) > FIELD_LIMITS["nomor_permohonan"]:
            return _error(422, "parameter nomor terlalu panjang")
        found = await in_thread(_get_permohonan, nomor)
        return json({"permohonan": found}) if found else _error(404, "permohonan tidak ditemukan")

    # --- complaints ------------------------------------------------------------------------
    def _list(status: Optional[str], wilayah: Optional[str]) -> list[dict[str, Any]]:
        from bot.pengaduan.repository import list_pengaduan

        with factory()() as session:
            return [_pengaduan_json(p) for p in list_pengaduan(session, status=status, wilayah=wilayah)]

    @app.get(f"{PREFIX}/pengaduan")
    async def list_complaints(request: Request) -> HTTPResponse:
        from bot.pengaduan.models import STATUS

        status = request.args.get("status") or None
        if status is not None and status not in STATUS:
            return _error(400, f"status tidak dikenal (salah satu dari: {', '.join(STATUS)})")
        wilayah = request.args.get("wilayah") or None
        if wilayah is not None and len(wilayah) > FIELD_LIMITS["wilayah"]:
            return _error(422, "parameter wilayah terlalu panjang")
        items = await in_thread(_list, status, wilayah)
        return json({"jumlah": len(items), "pengaduan": items})

    def _read(kode: str) -> Optional[dict[str, Any]]:
        from bot.pengaduan.repository import get_pengaduan

        with factory()() as session:
            p = get_pengaduan(session, kode)
            return _pengaduan_json(p) if p is not None else None

    @app.get(f"{PREFIX}/pengaduan/<kode>")
    async def read_complaint(request: Request, kode: str) -> HTTPResponse:
        if len(kode) > 32:
            return _error(404, "pengaduan tidak ditemukan")
        found = await in_thread(_read, kode)
        return json({"pengaduan": found}) if found else _error(404, "pengaduan tidak ditemukan")

    def _change(kode: str, body: dict[str, Any], respond: bool) -> tuple[int, dict[str, Any]]:
        from bot.pengaduan.repository import tanggapi, ubah_status

        with factory()() as session:
            if respond:
                p, errors = tanggapi(
                    session, kode, str(body.get("tanggapan") or ""), "api", status=body.get("status") or None
                )
            else:
                p, errors = ubah_status(
                    session, kode, str(body.get("status") or ""), "api", catatan=body.get("catatan") or None
                )
            if errors:
                session.rollback()
                code = 404 if any("tidak ditemukan" in e for e in errors) else 422
                return code, {"error": "perubahan ditolak", "alasan": errors}
            session.commit()
            return 200, {"pengaduan": _pengaduan_json(p)}

    def complaint_body(request: Request, kode: str, allowed: tuple[str, ...]) -> Any:
        body = body_of(request)
        if body is None:
            return _error(400, "body harus objek JSON")
        if len(kode) > 32:
            return _error(404, "pengaduan tidak ditemukan")
        if errors := check_fields(body, allowed):
            return _error(422, "data tidak valid", alasan=errors)
        return body

    @app.post(f"{PREFIX}/pengaduan/<kode>/tanggapan")
    async def respond_complaint(request: Request, kode: str) -> HTTPResponse:
        body = complaint_body(request, kode, ("tanggapan", "status"))
        if isinstance(body, HTTPResponse):
            return body
        status, payload = await in_thread(_change, kode, body, True)
        return json(payload, status=status)

    @app.post(f"{PREFIX}/pengaduan/<kode>/status")
    async def change_complaint_status(request: Request, kode: str) -> HTTPResponse:
        body = complaint_body(request, kode, ("status", "catatan"))
        if isinstance(body, HTTPResponse):
            return body
        status, payload = await in_thread(_change, kode, body, False)
        return json(payload, status=status)

    return app


def serve(host: str = "127.0.0.1", port: int = 5056) -> None:
    """Run the API (blocking). Refuses to start without a token: an open staff API is worse than none."""
    token = os.environ.get(ENV_TOKEN, "").strip()
    if not token:
        raise SystemExit(f"{ENV_TOKEN} is not set: the staff API stays off")
    from bot.db import migrate

    migrate()
    app = create_app(token=token)
    app.run(host=host, port=port, access_log=False, motd=False)
