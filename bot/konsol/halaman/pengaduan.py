"""Complaints: list with filters (late and due-soon first), one complaint's detail with its follow-up
(due date, escalation, notifications: bot/tindak_lanjut), status change with a note, response.

Names, contacts and complaint texts appear only on these logged-in pages; the audit trail records
the ticket code and the new status, never the text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.konsol.halaman import Nav
from bot.konsol.layanan import Konsol
from bot.notifikasi.models import JENIS_KABAR, STATUS_KABAR
from bot.pengaduan import repository as pengaduan_repo
from bot.pengaduan.models import KATEGORI, STATUS
from bot.petugas import repository as repo
from bot.tindak_lanjut.konsol import catat_eskalasi_manual, tindak_lanjut
from bot.tindak_lanjut.tenggat import posisi_kode

NAV = (Nav("Pengaduan", "/konsol/pengaduan"),)
PREFIX = "/konsol/pengaduan"
CATATAN_MAKS = 2000


def register(app: Any, konsol: Konsol, render: Any) -> None:
    @app.get(PREFIX)
    async def index(request: Request) -> HTTPResponse:
        status = request.args.get("status") or None
        status = status if status in STATUS else None
        kategori = request.args.get("kategori") or None
        kategori = kategori if kategori in KATEGORI else None
        wilayah = (request.args.get("wilayah") or "").strip() or None

        def read(session: Any) -> tuple[list[Any], dict[str, Any]]:
            items = pengaduan_repo.list_pengaduan(session, status=status, wilayah=wilayah)
            items = [p for p in items if kategori is None or p.kategori == kategori]
            # Follow-through: late and due-soon first (bot/tindak_lanjut/tenggat.py).
            where = posisi_kode(session, [p.kode_tiket for p in items], konsol.clock())
            session.commit()
            return sorted(items, key=lambda p: where[p.kode_tiket].urutan), where

        items, where = await konsol.db(read)
        return render(
            request, "pengaduan_daftar.html", items=items, pilih_status=status or "", kategori=kategori or "",
            wilayah=wilayah or "", semua_status=STATUS, semua_kategori=KATEGORI, posisi=where,
        )  # fmt: skip

    @app.get(f"{PREFIX}/<kode>")
    async def detail(request: Request, kode: str) -> HTTPResponse:
        item = await konsol.db(pengaduan_repo.get_pengaduan, kode)
        if item is None:
            return render(request, "tidak_ada.html", status=404, apa="Pengaduan")

        def follow_up(session: Any) -> Any:
            found = tindak_lanjut(session, kode, konsol.clock())
            session.commit()
            return found

        tl = await konsol.db(follow_up)
        return render(
            request, "pengaduan_detail.html", p=item, semua_status=STATUS, tl=tl, jenis_kabar=JENIS_KABAR,
            status_kabar=STATUS_KABAR,
        )  # fmt: skip

    @app.post(f"{PREFIX}/<kode>/eskalasi")
    async def escalate(request: Request, kode: str) -> HTTPResponse:
        form = request.form or {}
        staf = request.ctx.staf
        try:
            langkah = int(form.get("langkah") or "")
        except ValueError:
            langkah = -1

        def save(session: Any) -> list[str]:
            errors = catat_eskalasi_manual(session, kode, langkah, session.get(repo.StafRow, staf.id))
            if errors:
                session.rollback()
                return errors
            session.commit()
            return []

        errors = await konsol.db(save)
        key, message = ("galat", "; ".join(errors)) if errors else ("info", "Eskalasi dicatat.")
        return response.redirect(f"{PREFIX}/{quote(kode)}?{key}={quote(message)}")

    @app.post(f"{PREFIX}/<kode>/status")
    async def change(request: Request, kode: str) -> HTTPResponse:
        form = request.form or {}
        status, catatan = form.get("status") or "", (form.get("catatan") or "").strip()[:CATATAN_MAKS]
        tanggapan = (form.get("tanggapan") or "").strip()[:CATATAN_MAKS]
        staf = request.ctx.staf

        def save(session: Any) -> list[str]:
            oleh = f"konsol:{staf.username}"[:64]
            if tanggapan:
                item, errors = pengaduan_repo.tanggapi(session, kode, tanggapan, oleh, status=status or None)
            else:
                item, errors = pengaduan_repo.ubah_status(
                    session, kode, status, oleh, catatan=catatan or None
                )
            if errors:
                session.rollback()
                return errors
            if tanggapan and catatan:
                pengaduan_repo.ubah_status(session, kode, item.status, oleh, catatan=catatan)
            what = "tanggapan + status" if tanggapan else "status"
            repo.catat(session, session.get(repo.StafRow, staf.id), "ubah_pengaduan", item.kode_tiket,
                       f"{what}: {item.status}")  # fmt: skip
            session.commit()
            return []

        errors = await konsol.db(save)
        key, message = ("galat", "; ".join(errors)) if errors else ("info", "Perubahan disimpan.")
        return response.redirect(f"{PREFIX}/{quote(kode)}?{key}={quote(message)}")
