"""The report as PDF, drawn by matplotlib itself (its PDF backend: no browser, no other library):
a cover page with the summary, then one A4 page per chart with its table underneath."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.laporan import grafik
from bot.laporan.data import KANAL_LABEL, Laporan
from bot.laporan.html import angka, nama_bulan, persen
from bot.notifikasi.teks import tanggal

A4 = (8.27, 11.69)
POSISI = {"kanal": (0.1, 0.56, 0.82, 0.36), "kepatuhan": (0.06, 0.56, 0.5, 0.36)}
Tabel = tuple[list[str], list[list[str]]]


def _nrr(value: float | None) -> str:
    return angka(value)


def _ringkasan(lap: Laporan) -> list[tuple[str, str]]:
    c, p, m = lap.percakapan, lap.pengaduan, lap.permohonan
    ikm = lap.ikm_semua.hasil if lap.ikm_semua else None
    return [
        ("Percakapan", str(c.percakapan)),
        ("Pesan", str(c.pesan)),
        ("Pesan tak terjawab", f"{c.tidak_terjawab} ({persen(c.rasio_tidak_terjawab)})"),
        ("Percakapan ke petugas", f"{c.dialihkan} ({persen(c.rasio_dialihkan)})"),
        ("Pengaduan masuk", f"{p.jumlah} (saran {p.saran})"),
        ("Pengaduan tepat waktu", persen(p.kepatuhan)),
        ("Eskalasi tercatat", str(p.eskalasi)),
        ("Permohonan masuk", str(m.jumlah)),
        ("Permohonan lewat jangka waktu", str(len(m.terlambat))),
        (
            "IKM",
            f"{angka(ikm.ikm)} ({ikm.mutu.mutu}, {ikm.mutu.kinerja})" if ikm and ikm.ikm is not None else "-",
        ),
    ]


TABEL: dict[str, Callable[[Laporan], Tabel]] = {
    "kanal": lambda lap: (
        ["Kanal", "Percakapan", "Pesan"],
        [
            [KANAL_LABEL.get(k, k), str(v["percakapan"]), str(v["pesan"])]
            for k, v in lap.percakapan.per_kanal.items()
        ],
    ),
    "rasio": lambda lap: (
        ["Ukuran", "Jumlah", "Dari", "Persen"],
        [
            [
                "Pesan tak terjawab",
                str(lap.percakapan.tidak_terjawab),
                str(lap.percakapan.pesan),
                persen(lap.percakapan.rasio_tidak_terjawab),
            ],
            [
                "Percakapan ke petugas",
                str(lap.percakapan.dialihkan),
                str(lap.percakapan.percakapan),
                persen(lap.percakapan.rasio_dialihkan),
            ],
        ],
    ),
    "layanan": lambda lap: (["Layanan", "Pesan"], [[n, str(c)] for _, n, c in lap.percakapan.per_layanan]),
    "komponen": lambda lap: (
        ["Komponen", "Pesan"],
        [[label, str(c)] for _, label, c in lap.percakapan.per_komponen],
    ),
    "tak_terjawab": lambda lap: (
        ["Contoh pertanyaan (disamarkan)", "Bulan ini", "Status"],
        [[grafik._pendek(g.contoh, 70), str(g.jumlah_periode), g.status] for g in lap.tak_terjawab],
    ),
    "pengaduan_kategori": lambda lap: (
        ["Kategori / status", "Jumlah"],
        [[k, str(n)] for k, n in lap.pengaduan.per_kategori]
        + [[f"status: {k}", str(n)] for k, n in lap.pengaduan.per_status],
    ),
    "kepatuhan": lambda lap: (
        ["Terhadap batas waktu", "Jumlah"],
        [
            ["Ditanggapi tepat waktu", str(lap.pengaduan.tepat_waktu)],
            ["Ditanggapi terlambat", str(lap.pengaduan.terlambat)],
            ["Lewat batas waktu, belum ditanggapi", str(lap.pengaduan.lewat_belum)],
            ["Masih dalam batas waktu", str(lap.pengaduan.berjalan)],
            ["Tanpa batas waktu", str(lap.pengaduan.tanpa_tenggat)],
            ["Eskalasi tercatat", str(lap.pengaduan.eskalasi)],
        ]
        + [
            [f"{kode} (batas {tanggal(batas)})", f"terlambat {n} hari kerja"]
            for kode, _, batas, n in lap.pengaduan.lewat
        ],
    ),
    "permohonan_status": lambda lap: (
        ["Status pada akhir bulan / terlambat", "Jumlah"],
        [[k, str(n)] for k, n in lap.permohonan.per_status]
        + [
            [f"{nomor} {grafik._pendek(layanan, 30)} (batas {tanggal(batas)})", f"terlambat {n} hari kerja"]
            for nomor, layanan, batas, n in lap.permohonan.terlambat
        ],
    ),
    "ikm_unsur": lambda lap: (
        ["Unsur", "NRR", "Menjawab"],
        [
            [nama, _nrr(lap.ikm_semua.hasil.nrr[k]), str(lap.ikm_semua.hasil.jawaban[k])]
            for k, nama in lap.unsur
        ]
        if lap.ikm_semua
        else [],
    ),
    "ikm_layanan": lambda lap: (
        ["Layanan", "Responden", "IKM", "Mutu"],
        [
            [
                grafik._pendek(r.label, 50),
                str(r.hasil.responden),
                _nrr(r.hasil.ikm),
                r.hasil.mutu.mutu if r.hasil.mutu else "-",
            ]
            for r in lap.ikm_layanan
        ],
    ),
}


def _cover(lap: Laporan) -> Figure:
    fig = Figure(figsize=A4)
    fig.text(
        0.08, 0.93, f"Laporan bulanan {nama_bulan(lap)}", fontsize=20, fontweight="bold", color=grafik.UTAMA
    )
    fig.text(
        0.08,
        0.9,
        f"{lap.wilayah_nama} · zona {lap.periode.zona} · dibuat {lap.dibuat_pada:%d-%m-%Y %H:%M} UTC",
    )
    y = 0.84
    for label, value in _ringkasan(lap):
        fig.text(0.08, y, label, fontsize=11)
        fig.text(0.55, y, value, fontsize=11, fontweight="bold")
        y -= 0.03
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.35))
    grafik.kanal(ax, lap)
    return fig


def _page(name: str, lap: Laporan) -> Figure:
    fig = Figure(figsize=A4)
    # Horizontal bars put their labels left of the axes; the donut puts its legend right of it.
    chart = fig.add_axes(POSISI.get(name, (0.42, 0.56, 0.5, 0.36)))
    grafik.GRAFIK[name][0](chart, lap)
    columns, rows = TABEL[name](lap)
    table_ax = fig.add_axes((0.06, 0.05, 0.88, 0.45))
    table_ax.axis("off")
    if rows:
        widths = [0.62] + [0.38 / (len(columns) - 1)] * (len(columns) - 1) if len(columns) > 1 else [1.0]
        cells = [[grafik._pendek(str(cell), 64) for cell in row] for row in rows[:28]]
        table = table_ax.table(
            cellText=cells, colLabels=columns, colWidths=widths, loc="upper center", cellLoc="left"
        )
        table.auto_set_font_size(False)
        table.set_fontsize(8)
        table.scale(1, 1.3)
    else:
        table_ax.text(0.5, 0.9, "Belum ada data bulan ini", ha="center", color=grafik.ABU)
    return fig


def tulis(lap: Laporan, path: Path) -> Path:
    with PdfPages(path) as pdf:
        pdf.savefig(_cover(lap))
        for name in grafik.GRAFIK:
            pdf.savefig(_page(name, lap))
        info = pdf.infodict()
        info["Title"] = f"Laporan bulanan {nama_bulan(lap)} - {lap.wilayah_nama}"
        info["Creator"] = "Pandu Izin"
    return path
