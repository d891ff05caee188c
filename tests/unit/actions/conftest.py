"""A small knowledge base written for the action tests, loaded once into a temporary SQLite file.

Each component's default text names its standard ("biaya Surat Izin Praktik Bidan"), so a test can
tell when an answer shows another standard's data. The cases the dialogue must handle are here:
a service in two regions (PIRT), an empty component, a list too long for one chat message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.base import KnowledgeAction
from bot.knowledge.schema import KOMPONEN

DOKUMEN = {
    "balangan": ("balangan_keputusan.txt", "Keputusan Kepala DPMPTSP Kabupaten Balangan"),
    "ogan-komering-ilir": ("oki_standar.txt", None),
}


def standard(wilayah: str, slug: str, nama: str, sektor: str, nomor: int, alias=(), **komponen: Any) -> dict:
    """A complete standard file; components not given get a text naming the standard."""
    dokumen, judul = DOKUMEN[wilayah]
    sumber: dict[str, Any] = {"dokumen": dokumen, "baris": nomor * 10}
    if judul:
        sumber.update(judul=judul, nomor_keputusan=["188.45/25/TAHUN 2021"])
    parts = {}
    for key, label in KOMPONEN.items():
        part = {"label": label, "teks": f"{key} {nama}", "butir": []}
        part.update(komponen.get(key, {}))
        if key == "jangka_waktu":
            part.setdefault("hari_kerja_maks", None)
            part.setdefault("hari_kerja_min", None)
        if key == "biaya":
            part.setdefault("rupiah", None)
        if key == "pengaduan":
            part.setdefault("kanal", {})
        parts[key] = part
    return {
        "id": f"{wilayah}-{slug}",
        "wilayah": wilayah,
        "nomor": nomor,
        "nama": nama,
        "sektor": sektor,
        "alias": list(alias),
        "sumber": sumber,
        "komponen": parts,
    }


EMPTY = {"teks": "", "butir": []}
LONG = range(1, 201)  # 200 requirements: more than one 4096-character message

REGIONS = [
    {
        "id": "balangan",
        "nama": "Kabupaten Balangan",
        "provinsi": "Kalimantan Selatan",
        "kantor": "DPMPTSP Kabupaten Balangan",
        "alias": ["balangan"],
        "alamat": ["Jl. Uji No. 1 Paringin"],
        "telepon": ["0526-000111"],
        "whatsapp": ["0812-0000-1111"],
        "email": ["uji@balangan.example"],
        "website": [],
        "sumber": ["balangan_keputusan.txt"],
        "zona_waktu": "Asia/Makassar",
        "jam_layanan": [
            {"hari": ["senin", "selasa", "rabu", "kamis"], "buka": "08:00", "tutup": "16:00"},
            {"hari": ["jumat"], "buka": "08:00", "tutup": "11:00"},
        ],
    },
    {
        "id": "ogan-komering-ilir",
        "nama": "Kabupaten Ogan Komering Ilir",
        "kantor": "DPMPTSP Kabupaten Ogan Komering Ilir",
        "alias": ["oki"],
        "alamat": [],
        "telepon": ["0712-000222"],
        "whatsapp": [],
        "email": [],
        "website": [],
        "sumber": ["oki_standar.txt"],
        "zona_waktu": "Asia/Jakarta",
        "jam_layanan": [
            {"hari": ["senin", "selasa", "rabu", "kamis", "jumat"], "buka": "08:00", "tutup": "16:00"},
        ],
    },
]

STANDARDS = [
    standard(
        "balangan",
        "surat-izin-praktik-bidan",
        "Surat Izin Praktik Bidan",
        "kesehatan",
        61,
        alias=["SIP Bidan"],
        persyaratan={
            "teks": "Surat permohonan ...",
            "butir": [
                "Surat permohonan",
                {"teks": "Memperlihatkan asli dan menyerahkan fotokopi:", "butir": ["KTP", "STR Bidan"]},
                "Pas foto 4x6 2 lembar",
            ],
        },
        prosedur={"teks": "...", "butir": ["Pemohon mengisi formulir", "Verifikasi berkas", "Izin terbit"]},
        jangka_waktu={"teks": "12 (dua belas) hari kerja", "hari_kerja_maks": 12},
        biaya={"teks": "Rp.0,00", "rupiah": 0},
        produk={"teks": "Surat Izin Praktik Bidan (SIPB)"},
        pengaduan={
            "teks": "WhatsApp 0812-0000-1111",
            "butir": ["WhatsApp 0812-0000-1111"],
            "kanal": {"whatsapp": ["0812-0000-1111"]},
        },
        sarana=EMPTY,
    ),
    standard(
        "balangan",
        "sertifikat-produksi-pangan-industri-rumah-tangga",
        "Sertifikat Produksi Pangan Industri Rumah Tangga",
        "industri",
        70,
        alias=["PIRT"],
        biaya={"teks": "Rp.0,00", "rupiah": 0},
    ),
    standard(
        "balangan",
        "izin-pembukaan-kantor-kas-koperasi-simpan-pinjam",
        "Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam",
        "koperasi",
        30,
        persyaratan=EMPTY,
    ),
    standard(
        "balangan",
        "izin-apotek",
        "Izin Apotek",
        "kesehatan",
        5,
        persyaratan={"teks": "...", "butir": [f"Dokumen pendukung nomor {i} yang dilampirkan" for i in LONG]},
    ),
    standard(
        "ogan-komering-ilir",
        "sertifikat-produksi-pangan-industri-rumah-tangga",
        "Sertifikat Produksi Pangan Industri Rumah Tangga",
        "industri",
        1,
        alias=["PIRT"],
        biaya={"teks": "Rp 100.000", "rupiah": 100000},
    ),
    standard(
        "ogan-komering-ilir", "izin-usaha-perluasan-industri", "Izin Usaha Perluasan Industri", "industri", 2
    ),
]


def write_knowledge(root: Path) -> Path:
    for region in REGIONS:
        (root / "wilayah").mkdir(parents=True, exist_ok=True)
        (root / "wilayah" / f"{region['id']}.yaml").write_text(yaml.safe_dump(region, allow_unicode=True))
    for data in STANDARDS:
        folder = root / "standards" / data["wilayah"]
        folder.mkdir(parents=True, exist_ok=True)
        tail = data["id"][len(data["wilayah"]) + 1 :]
        (folder / f"{tail}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return root


@pytest.fixture(scope="session")
def kb_session_factory(tmp_path_factory):
    """Session factory of the loaded test knowledge base."""
    from bot.db import dispose, session_factory
    from bot.knowledge.loader import load

    root = tmp_path_factory.mktemp("actions-kb")
    url = f"sqlite:///{root / 'kb.db'}"
    load(write_knowledge(root / "knowledge"), url=url)
    yield session_factory(url)
    dispose(url)


@pytest.fixture
def run_action(kb_session_factory, monkeypatch):
    """Run an action class on a tracker; returns (events, dispatched messages)."""
    from rasa_sdk.executor import CollectingDispatcher

    monkeypatch.delenv("PANDU_WILAYAH_DEFAULT", raising=False)

    async def run(action_class: type[KnowledgeAction], tracker) -> tuple[list[dict], list[dict]]:
        dispatcher = CollectingDispatcher()
        events = await action_class(session_factory=kb_session_factory).run(dispatcher, tracker, {})
        return events, dispatcher.messages

    return run
