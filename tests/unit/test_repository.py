"""Query layer: detached read models, filters, regions, the same service elsewhere."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import repository as repo
from bot.knowledge.schema import KOMPONEN
from bot.knowledge.views import Component, Standard, StandardSummary

BIDAN = "balangan-surat-izin-praktik-bidan"
PIRT_BALANGAN = "balangan-sertifikat-produksi-pangan-industri-rumah-tangga"
PIRT_OKI = "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


def test_get_standard_is_complete_and_detached(loaded_factory):
    with loaded_factory() as session:
        standard = repo.get_standard(session, BIDAN)
    # Used after the session closed: plain frozen dataclasses, nothing to lazy-load.
    assert isinstance(standard, Standard)
    assert (standard.wilayah, standard.wilayah_nama, standard.nomor) == ("balangan", "Kabupaten Balangan", 61)
    assert standard.sumber.dokumen == "balangan_keputusan-standar-pelayanan-2021.txt"
    assert standard.sumber.nomor_keputusan == ("188.45/25/DPMPMSP-BLG/TAHUN 2021",)
    assert list(standard.komponen) == list(KOMPONEN)
    persyaratan = standard.komponen["persyaratan"]
    assert persyaratan.butir[0] == "Surat permohonan"
    assert persyaratan.butir[1] == {
        "teks": "Memperlihatkan asli dan menyerahkan fotokopi:",
        "butir": [
            "KTP",
            "STR Bidan yang masih berlaku",
            {"teks": "Surat keterangan", "butir": ["dari dinas kesehatan"]},
        ],
    }
    assert persyaratan.butir[-1] == "Fotokopi SK pangkat terakhir (bagi PNS)"
    assert standard.komponen["prosedur"].butir == (
        "Pemohon mengisi formulir",
        "Petugas memeriksa berkas",
        "Kepala dinas menandatangani izin",
    )


def test_unknown_ids_give_none(loaded_factory):
    with loaded_factory() as session:
        assert repo.get_standard(session, "balangan-tidak-ada") is None
        assert repo.get_component(session, "balangan-tidak-ada", "biaya") is None
        assert repo.get_component(session, BIDAN, "tidak_ada") is None
        assert repo.get_region(session, "tapin") is None


def test_get_component_with_extras(loaded_factory):
    with loaded_factory() as session:
        biaya = repo.get_component(session, BIDAN, "biaya")
        waktu = repo.get_component(session, BIDAN, "jangka_waktu")
        pengaduan = repo.get_component(session, BIDAN, "pengaduan")
        empty = repo.get_component(
            session, "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam", "persyaratan"
        )
    assert isinstance(biaya, Component) and biaya.extra == {"rupiah": 0} and biaya.teks == "Gratis"
    assert waktu.extra == {"hari_kerja_maks": 12, "hari_kerja_min": None}
    assert pengaduan.extra["kanal"]["whatsapp"] == ["0812-5000-0001"]
    # An empty component stays empty: answers must say so, never borrow another standard's text.
    assert empty.is_empty and empty.label == "Persyaratan"


def test_list_standards_filters_and_order(loaded_factory):
    with loaded_factory() as session:
        everything = repo.list_standards(session)
        balangan = repo.list_standards(session, wilayah="balangan")
        industri = repo.list_standards(session, sektor="industri")
        oki_kesehatan = repo.list_standards(session, wilayah="ogan-komering-ilir", sektor="kesehatan")
    assert len(everything) == 7 and all(isinstance(s, StandardSummary) for s in everything)
    assert [s.nomor for s in balangan] == [6, 11, 20, 28, 61]
    assert {s.id for s in industri} == {
        "balangan-izin-usaha-industri",
        "ogan-komering-ilir-izin-usaha-perluasan-industri",
    }
    assert [s.id for s in oki_kesehatan] == [PIRT_OKI]
    bidan = next(s for s in everything if s.id == BIDAN)
    assert bidan.alias == ("SIP Bidan", "SIPB", "izin praktek bidan")


def test_list_sectors(loaded_factory):
    with loaded_factory() as session:
        assert repo.list_sectors(session) == [("kesehatan", 4), ("industri", 2), ("koperasi", 1)]
        assert repo.list_sectors(session, wilayah="ogan-komering-ilir") == [("industri", 1), ("kesehatan", 1)]


def test_regions(loaded_factory):
    with loaded_factory() as session:
        regions = repo.list_regions(session)
        balangan = repo.get_region(session, "balangan")
    assert [r.id for r in regions] == ["balangan", "ogan-komering-ilir"]
    assert balangan.kantor.startswith("Dinas Penanaman Modal") and balangan.whatsapp == ("0812-5000-0001",)
    assert "kab balangan" in balangan.alias


def test_get_summaries_keeps_the_asked_order(loaded_factory):
    with loaded_factory() as session:
        found = repo.get_summaries(session, [PIRT_OKI, "balangan-tidak-ada", BIDAN, PIRT_OKI])
    assert [s.id for s in found] == [PIRT_OKI, BIDAN]


def test_same_service_elsewhere(loaded_factory):
    with loaded_factory() as session:
        assert [s.id for s in repo.same_service_elsewhere(session, PIRT_BALANGAN)] == [PIRT_OKI]
        assert [s.id for s in repo.same_service_elsewhere(session, PIRT_OKI)] == [PIRT_BALANGAN]
        assert repo.same_service_elsewhere(session, BIDAN) == []
        assert repo.same_service_elsewhere(session, "balangan-tidak-ada") == []


def test_load_index_from_database(loaded_factory):
    with loaded_factory() as session:
        index = repo.load_index(session)
    assert index.find("syarat sip bidan").best.standard_id == BIDAN
    assert index.find_region("pirt di oki") == "ogan-komering-ilir"


# --- the real knowledge base -----------------------------------------------------------------


def test_real_knowledge_counts(real_knowledge_factory):
    with real_knowledge_factory() as session:
        summaries = repo.list_standards(session)
        per_region = {
            r.id: len(repo.list_standards(session, wilayah=r.id)) for r in repo.list_regions(session)
        }
    assert len(summaries) == 86
    assert per_region == {"balangan": 83, "ogan-komering-ilir": 2, "purwakarta": 1}


def test_every_real_standard_round_trips_exactly(real_knowledge_factory):
    """Everything in each YAML file comes back from the database, nested lists and extras included."""
    files = sorted((KNOWLEDGE_DIR / "standards").rglob("*.yaml"))
    assert len(files) == 86
    with real_knowledge_factory() as session:
        for path in files:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
            standard = repo.get_standard(session, data["id"])
            assert standard is not None, path
            assert (standard.nama, standard.nomor, standard.sektor) == (
                data["nama"],
                data["nomor"],
                data["sektor"],
            )
            assert standard.alias == tuple(data["alias"])
            assert standard.sumber.dokumen == data["sumber"]["dokumen"]
            assert standard.sumber.nomor_keputusan == tuple(data["sumber"].get("nomor_keputusan") or ())
            assert list(standard.komponen) == list(KOMPONEN)
            for key, written in data["komponen"].items():
                component = standard.komponen[key]
                assert component.label == written["label"], (path, key)
                assert component.teks == written["teks"], (path, key)
                assert list(component.butir) == written["butir"], (path, key)
                extras = {k: v for k, v in written.items() if k not in ("label", "teks", "butir")}
                assert component.extra == extras, (path, key)


def test_real_same_service_across_regions(real_knowledge_factory):
    with real_knowledge_factory() as session:
        perluasan = repo.same_service_elsewhere(session, "balangan-izin-perluasan-usaha-industri")
        usaha_industri = repo.same_service_elsewhere(session, "balangan-izin-usaha-industri")
        pirt = repo.same_service_elsewhere(session, PIRT_BALANGAN)
    assert [s.id for s in perluasan] == ["ogan-komering-ilir-izin-usaha-perluasan-industri"]
    assert usaha_industri == []  # "Izin Usaha Industri" is not the expansion permit
    assert [s.id for s in pirt] == [PIRT_OKI]
