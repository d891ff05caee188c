"""The inbox of conversations handed to a person, and one conversation: history, take, reply, hand back.

The inbox lists open requests (waiting first, oldest first) with channel, waiting time and the last
messages; the page asks /konsol/api/antrean every few seconds, so new requests appear without a
reload. A conversation's page shows its whole history from the tracker store and refreshes the same
way.
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.text import truncate
from bot.konsol import layanan
from bot.konsol.halaman import Nav
from bot.konsol.kirim import KANAL_LABEL
from bot.konsol.layanan import Konsol, menunggu_sejak
from bot.petugas import repository as repo
from bot.petugas import riwayat
from bot.petugas.models import ALASAN, STATUS_KIRIM, STATUS_PERMINTAAN

NAV = (Nav("Antrean percakapan", "/konsol/"),)
PREFIX = "/konsol"
LAST_MESSAGES = 3
PREVIEW_CHARS = 160


def _staff_names(session: Any) -> dict[int, str]:
    return {s.id: s.nama for s in repo.daftar_staf(session)}


def _item(row: Any, names: dict[int, str], now: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kanal": row.kanal,
        "kanal_label": KANAL_LABEL.get(row.kanal, row.kanal),
        "wilayah": row.wilayah or "-",
        "status": row.status,
        "status_label": STATUS_PERMINTAAN.get(row.status, row.status),
        "alasan": ALASAN.get(row.alasan, row.alasan),
        "menunggu": menunggu_sejak(row.diminta_pada, now),
        "petugas": names.get(row.staf_id) if row.staf_id else None,
    }


def register(app: Any, konsol: Konsol, render: Any) -> None:
    async def inbox_items(wilayah: Optional[str]) -> list[dict[str, Any]]:
        def read(session: Any) -> list[dict[str, Any]]:
            names = _staff_names(session)
            return [
                _item(r, names, konsol.clock()) | {"percakapan": r.percakapan}
                for r in repo.antrean(session, wilayah)
            ]

        items = await konsol.db(read)

        def last(session: Any) -> None:
            for item in items:
                entries = riwayat.riwayat(
                    session, item.pop("percakapan"), terakhir=LAST_MESSAGES, hanya_pemohon=True
                )
                item["pesan_terakhir"] = [
                    {"dari": e.dari, "teks": truncate(e.teks, PREVIEW_CHARS)} for e in entries
                ]

        await konsol.tracker_db(last)
        return items

    @app.get(f"{PREFIX}/")
    async def inbox(request: Request) -> HTTPResponse:
        wilayah = request.args.get("wilayah") or None
        items = await inbox_items(wilayah)
        closed = await konsol.db(
            lambda s: [_item(r, _staff_names(s), konsol.clock()) for r in repo.riwayat_permintaan(s, 20)]
        )
        return render(request, "antrean.html", items=items, selesai=closed, wilayah=wilayah or "")

    @app.get(f"{PREFIX}/api/antrean")
    async def inbox_json(request: Request) -> HTTPResponse:
        items = await inbox_items(request.args.get("wilayah") or None)
        waiting = sum(1 for i in items if i["status"] == "menunggu")
        return response.json({"menunggu": waiting, "permintaan": items})

    async def conversation_data(permintaan_id: int) -> Optional[dict[str, Any]]:
        def read(session: Any) -> Optional[dict[str, Any]]:
            row = repo.get_permintaan(session, permintaan_id)
            if row is None:
                return None
            names = _staff_names(session)
            messages = [
                {
                    "id": p.id,
                    "jenis": p.jenis,
                    "teks": truncate(p.teks, PREVIEW_CHARS),
                    "status": p.status,
                    "status_label": STATUS_KIRIM.get(p.status, p.status),
                    "keterangan": p.keterangan or "",
                    "bisa_ulang": p.status in ("gagal", "perlu_template"),
                }
                for p in repo.pesan_permintaan(session, permintaan_id)
            ]
            return {**_item(row, names, konsol.clock()), "staf_id": row.staf_id, "percakapan": row.percakapan,
                    "diminta_pada": row.diminta_pada, "pesan_petugas": messages}  # fmt: skip

        data = await konsol.db(read)
        if data is None:
            return None
        entries = await konsol.tracker_db(riwayat.riwayat, data["percakapan"])
        data["riwayat"] = [
            {"dari": e.dari, "teks": e.teks, "nama": e.nama, "tombol": list(e.tombol), "waktu": e.waktu}
            for e in entries
        ]
        if data["kanal"] == "whatsapp":
            last = await konsol.tracker_db(riwayat.pesan_terakhir_pemohon, data["percakapan"])
            from bot.channels.whatsapp_delivery import dalam_jendela

            data["jendela_whatsapp"] = dalam_jendela(last, konsol.clock())
        return data

    @app.get(f"{PREFIX}/percakapan/<permintaan_id:int>")
    async def conversation(request: Request, permintaan_id: int) -> HTTPResponse:
        data = await conversation_data(permintaan_id)
        if data is None:
            return render(request, "tidak_ada.html", status=404, apa="Percakapan")
        staf = request.ctx.staf
        mine = data["status"] == "dilayani" and (data["staf_id"] == staf.id or staf.peran == "admin")
        return render(request, "percakapan.html", p=data, milik_saya=mine)

    @app.get(f"{PREFIX}/api/percakapan/<permintaan_id:int>")
    async def conversation_json(request: Request, permintaan_id: int) -> HTTPResponse:
        data = await conversation_data(permintaan_id)
        if data is None:
            return response.json({"error": "tidak ditemukan"}, status=404)
        for entry in data["riwayat"]:
            entry["waktu"] = app.ctx.waktu(entry["waktu"])
        data["diminta_pada"] = data["diminta_pada"].isoformat() + "Z"
        data.pop("percakapan")  # the widget's id authorises its fetch: never sent to pages' scripts
        return response.json(data)

    def back(permintaan_id: int, hasil: layanan.Hasil) -> HTTPResponse:
        key = "info" if hasil.ok else "galat"
        return response.redirect(f"{PREFIX}/percakapan/{permintaan_id}?{key}={quote(hasil.pesan)}")

    @app.post(f"{PREFIX}/percakapan/<permintaan_id:int>/ambil")
    async def take(request: Request, permintaan_id: int) -> HTTPResponse:
        return back(permintaan_id, await layanan.ambil(konsol, permintaan_id, request.ctx.staf.id))

    @app.post(f"{PREFIX}/percakapan/<permintaan_id:int>/balas")
    async def reply(request: Request, permintaan_id: int) -> HTTPResponse:
        teks = (request.form or {}).get("teks") or ""
        return back(permintaan_id, await layanan.balas(konsol, permintaan_id, request.ctx.staf.id, teks))

    @app.post(f"{PREFIX}/percakapan/<permintaan_id:int>/kembalikan")
    async def hand_back(request: Request, permintaan_id: int) -> HTTPResponse:
        return back(permintaan_id, await layanan.kembalikan(konsol, permintaan_id, request.ctx.staf.id))

    @app.post(f"{PREFIX}/percakapan/<permintaan_id:int>/pesan/<pesan_id:int>/ulang")
    async def retry(request: Request, permintaan_id: int, pesan_id: int) -> HTTPResponse:
        return back(permintaan_id, await layanan.kirim_ulang(konsol, pesan_id, request.ctx.staf.id))
