"""The report as HTML: one self-contained file (charts inlined as PNG data), or the same body inside
the staff console with its charts served by the console (`gambar` gives each chart's address)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bot.laporan.data import KANAL_LABEL, Laporan
from bot.notifikasi.teks import BULAN, tanggal

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = TEMPLATES / "laporan.css"


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))


def nama_bulan(lap: Laporan) -> str:
    return f"{BULAN[lap.periode.bulan.month - 1]} {lap.periode.bulan.year}"


def angka(value: float | None, digits: int = 2) -> str:
    """Indonesian notation: 83,33 ('-' for no value)."""
    return "-" if value is None else f"{value:.{digits}f}".replace(".", ",")


def persen(value: float | None) -> str:
    return "-" if value is None else angka(100 * value, 1) + "%"


def _context(lap: Laporan, gambar: Callable[[str], str]) -> dict:
    from bot.tak_terjawab.models import JENIS, STATUS_KELOMPOK

    return {
        "lap": lap,
        "gambar": gambar,
        "nama_bulan": nama_bulan(lap),
        "dibuat": f"{lap.dibuat_pada:%d-%m-%Y %H:%M} UTC",
        "persen": persen,
        "angka": angka,
        "tanggal": tanggal,
        "kanal_label": KANAL_LABEL,
        "jenis_tak_terjawab": JENIS,
        "status_kelompok": STATUS_KELOMPOK,
    }


def isi(lap: Laporan, gambar: Callable[[str], str]) -> Markup:
    """The report's body (escaped HTML), for the console page."""
    return Markup(_env().get_template("_isi.html").render(**_context(lap, gambar)))


def berkas(lap: Laporan, charts: dict[str, bytes]) -> str:
    """A self-contained HTML file: styles inline, charts as data: URIs."""

    def gambar(name: str) -> str:
        return "data:image/png;base64," + base64.b64encode(charts[name]).decode("ascii")

    return (
        _env()
        .get_template("berkas.html")
        .render(css=Markup(CSS.read_text(encoding="utf-8")), **_context(lap, gambar))
    )
