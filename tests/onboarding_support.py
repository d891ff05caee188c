"""A synthetic decree of a regency that does not exist, built from a real standard's table.

The table of Ogan Komering Ilir's "Izin Usaha Perluasan Industri" (knowledge/sources) is put under a
new title and a new regency's letterhead, with the contacts rewritten, so the import, the check and
the assistant have a document no model and no curated file has ever seen.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "knowledge" / "sources"
TABLE_SOURCE = SOURCES / "ogan-komering-ilir_izin-usaha-perluasan-industri.txt"
TABLE_TITLE = "Izin Usaha Perluasan Industri"

WILAYAH = "sungai-rindang"
NAMA = "Kabupaten Sungai Rindang"
TITLE = "Izin Usaha Penggilingan Padi"


def standard_table(title: str = TITLE) -> str:
    """The source standard's title line and table, under `title`, with this regency's contacts."""
    text = TABLE_SOURCE.read_text(encoding="utf-8")
    text = text.replace(TABLE_TITLE, title)
    return text.replace("kab.oki", "kab.sungairindang").replace("kaboki", "kabsungairindang")


NOMOR_KEPUTUSAN = "500.16/07/DPMPTSP-SR/2026"


def synthetic_decree(*titles: str, provinsi: str | None = "Jawa Tengah") -> str:
    """A decree with one standard per title (the same table each time): letterhead, decree number
    and date, then the appendix."""
    office = f"DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU {NAMA.upper()}"
    head = [f"PEMERINTAH {NAMA.upper()}", office]
    if provinsi:
        head.append(f"Provinsi {provinsi}")
    head += [
        "",
        "SURAT KEPUTUSAN",
        f"KEPALA {office}",
        "",
        f"NOMOR: {NOMOR_KEPUTUSAN}",
        "",
        "TENTANG",
        "",
        "STANDAR PELAYANAN PERIZINAN",
        "",
        "Ditetapkan di Rindang pada tanggal 5 Januari 2026",
        "",
        "LAMPIRAN",
    ]
    tables = [
        standard_table(t).strip("\n").replace("b. Standar Pelayanan", f"{i}. Standar Pelayanan", 1)
        for i, t in enumerate(titles or (TITLE,), 1)
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join(tables) + "\n"
