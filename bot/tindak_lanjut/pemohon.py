"""What the complainant reads about the due date in the chat (the saved ticket, "cek pengaduan"):
the date and its basis while it runs; past it with no answer, an apology and the national channel
(SP4N-LAPOR!) of the region data as the next step."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Optional

from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)


def keterangan_tenggat(
    session_factory: Callable[[], Any], kode: str, now: Optional[datetime] = None
) -> list[str]:
    """Lines about the due date of complaint `kode` (none when it has none or was answered; none,
    with the cause logged, when the database fails: the rest of the reply still goes out)."""
    from bot.knowledge import repository as kb
    from bot.notifikasi.teks import kanal_nasional_baris, tanggal
    from bot.tindak_lanjut.tenggat import pastikan_tenggat, posisi, row_by_kode

    try:
        with session_factory() as session:
            row = row_by_kode(session, kode)
            if row is None:
                return []
            where = posisi(row, pastikan_tenggat(session, [row])[row.id], now)
            region = kb.get_region(session, row.wilayah) if row.wilayah else None
            session.commit()
    except SQLAlchemyError:
        logger.exception("complaint %s: due date unavailable", kode)
        return []
    if where.tenggat is None or not where.terbuka:
        return []
    basis = f"{where.hari_kerja} hari kerja menurut {where.dasar_label}"
    if where.keadaan != "terlambat":
        return [f"Batas waktu tanggapan: {tanggal(where.tenggat)} ({basis})."]
    lines = [
        f"Batas waktu tanggapan {tanggal(where.tenggat)} ({basis}) sudah lewat "
        f"{where.terlambat_hari_kerja} hari kerja dan pengaduan ini belum ditanggapi. "
        "Mohon maaf atas keterlambatannya."
    ]
    national = kanal_nasional_baris(region)
    if national:
        lines.append(
            f"Anda dapat melanjutkan pengaduan ini ke {national[0]}, dengan menyebut nomor tiket {kode}."
        )
    return lines
