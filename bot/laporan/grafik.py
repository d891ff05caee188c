"""The report's charts (matplotlib's object API and its Agg canvas: no display, no pyplot). Each
chart draws on an Axes, so the HTML report (PNG) and the PDF (figures with tables) share one drawing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Optional

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure  # the object API: no pyplot, no display, safe in threads

from bot.laporan.data import KANAL_LABEL, Laporan

UTAMA = "#0b5394"
KEDUA = "#6fa8dc"
MERAH = "#c0392b"
ORANYE = "#e69138"
HIJAU = "#38761d"
ABU = "#999999"
MUTU_WARNA = {"A": HIJAU, "B": UTAMA, "C": ORANYE, "D": MERAH}

matplotlib.rcParams.update(
    {
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "svg.fonttype": "none",
    }
)


def _pendek(text: str, n: int = 44) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _kosong(ax: Axes, pesan: str = "Belum ada data bulan ini") -> None:
    ax.text(0.5, 0.5, pesan, ha="center", va="center", color=ABU, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _barh(ax: Axes, labels: list[str], values: list[float], color: str = UTAMA, fmt: str = "{:g}") -> None:
    if not values:
        _kosong(ax)
        return
    positions = list(range(len(values)))[::-1]
    bars = ax.barh(positions, values, color=color)
    ax.set_yticks(positions)
    ax.set_yticklabels([_pendek(label) for label in labels])
    for bar, value in zip(bars, values, strict=True):
        label = fmt.format(value).replace(".", ",")  # Indonesian decimal comma
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + label, va="center")
    ax.set_xlim(0, max(values) * 1.18 or 1)


def kanal(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Percakapan dan pesan per kanal")
    data = lap.percakapan.per_kanal
    if not data:
        _kosong(ax)
        return
    names = list(data)
    x = range(len(names))
    width = 0.38
    a = ax.bar(
        [i - width / 2 for i in x],
        [data[n]["percakapan"] for n in names],
        width,
        color=UTAMA,
        label="percakapan",
    )
    b = ax.bar(
        [i + width / 2 for i in x], [data[n]["pesan"] for n in names], width, color=KEDUA, label="pesan"
    )
    ax.bar_label(a)
    ax.bar_label(b)
    ax.set_xticks(list(x))
    ax.set_xticklabels([KANAL_LABEL.get(n, n) for n in names])
    ax.legend(frameon=False)


def layanan(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Layanan yang paling banyak ditanyakan")
    rows = lap.percakapan.per_layanan
    _barh(ax, [name for _, name, _ in rows], [n for _, _, n in rows])


def komponen(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Komponen standar yang paling banyak ditanyakan")
    rows = lap.percakapan.per_komponen
    _barh(ax, [label for _, label, _ in rows], [n for _, _, n in rows], color=KEDUA)


def rasio(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Tidak terjawab dan dialihkan ke petugas")
    c = lap.percakapan
    values = [c.rasio_tidak_terjawab, c.rasio_dialihkan]
    if all(v is None for v in values):
        _kosong(ax)
        return
    labels = ["pesan tidak terjawab", "percakapan ke petugas"]
    shown = [100 * (v or 0) for v in values]
    _barh(ax, labels, shown, color=ORANYE, fmt="{:.1f}%")
    ax.set_xlim(0, max(100.0, max(shown) * 1.18))


def tak_terjawab(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Pertanyaan tak terjawab terbanyak")
    groups = lap.tak_terjawab
    _barh(ax, [g.contoh for g in groups], [g.jumlah_periode for g in groups], color=MERAH)


def pengaduan_kategori(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Pengaduan per kategori")
    rows = lap.pengaduan.per_kategori
    _barh(ax, [k for k, _ in rows], [n for _, n in rows])


def kepatuhan(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Pengaduan terhadap batas waktu")
    p = lap.pengaduan
    parts = [
        ("tepat waktu", p.tepat_waktu, HIJAU),
        ("ditanggapi terlambat", p.terlambat, ORANYE),
        ("lewat batas, belum ditanggapi", p.lewat_belum, MERAH),
        ("masih dalam batas waktu", p.berjalan, KEDUA),
        ("tanpa batas waktu", p.tanpa_tenggat, ABU),
    ]
    parts = [x for x in parts if x[1]]
    if not parts:
        _kosong(ax)
        return
    wedges, _ = ax.pie(
        [n for _, n, _ in parts],
        colors=[c for _, _, c in parts],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.45},
    )
    ax.legend(
        wedges,
        [f"{label}: {n}" for label, n, _ in parts],
        loc="center left",
        bbox_to_anchor=(1, 0.5),
        frameon=False,
    )
    if p.kepatuhan is not None:
        ax.text(
            0,
            0,
            f"{100 * p.kepatuhan:.0f}%\ntepat waktu",
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
        )
    ax.set_aspect("equal")


def permohonan_status(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Permohonan bulan ini menurut status di akhir bulan")
    rows = lap.permohonan.per_status
    _barh(ax, [k for k, _ in rows], [n for _, n in rows], color=UTAMA)


def ikm_unsur(ax: Axes, lap: Laporan) -> None:
    ax.set_title("Nilai rata-rata per unsur SKM (skala 1-4)")
    overall = lap.ikm_semua
    if overall is None:
        _kosong(ax, "Belum ada survei yang selesai bulan ini")
        return
    pairs = [(name, overall.hasil.nrr[key]) for key, name in lap.unsur if overall.hasil.nrr[key] is not None]
    _barh(ax, [name for name, _ in pairs], [v for _, v in pairs], color=HIJAU, fmt="{:.2f}")
    ax.set_xlim(0, 4.6)
    ax.axvline(3.0644, color=ABU, linestyle=":", linewidth=1)


def ikm_layanan(ax: Axes, lap: Laporan) -> None:
    ax.set_title("IKM per layanan (25-100)")
    rows = [r for r in lap.ikm_layanan if r.hasil.ikm is not None]
    if not rows:
        _kosong(ax, "Belum ada survei yang selesai bulan ini")
        return
    _barh(ax, [r.label for r in rows], [r.hasil.ikm for r in rows], fmt="{:.2f}")
    for bar, row in zip(ax.patches, rows, strict=True):
        bar.set_color(MUTU_WARNA.get(row.hasil.mutu.mutu if row.hasil.mutu else "", UTAMA))
    ax.set_xlim(0, 110)


GRAFIK: dict[str, tuple[Callable[[Axes, Laporan], None], tuple[float, float]]] = {
    "kanal": (kanal, (7.2, 3.0)),
    "rasio": (rasio, (7.2, 1.6)),
    "layanan": (layanan, (7.2, 3.4)),
    "komponen": (komponen, (7.2, 3.0)),
    "tak_terjawab": (tak_terjawab, (7.2, 3.4)),
    "pengaduan_kategori": (pengaduan_kategori, (7.2, 2.6)),
    "kepatuhan": (kepatuhan, (7.2, 2.8)),
    "permohonan_status": (permohonan_status, (7.2, 2.6)),
    "ikm_unsur": (ikm_unsur, (7.2, 3.4)),
    "ikm_layanan": (ikm_layanan, (7.2, 2.8)),
}


def figur(name: str, lap: Laporan, size: Optional[tuple[float, float]] = None) -> Figure:
    draw, default = GRAFIK[name]
    fig = Figure(figsize=size or default, dpi=110)
    ax = fig.add_subplot(111)
    draw(ax, lap)
    fig.tight_layout()
    return fig


def png(name: str, lap: Laporan) -> bytes:
    buffer = io.BytesIO()
    figur(name, lap).savefig(buffer, format="png")
    return buffer.getvalue()


def semua_png(lap: Laporan) -> dict[str, bytes]:
    return {name: png(name, lap) for name in GRAFIK}
