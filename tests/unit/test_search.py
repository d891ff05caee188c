"""Free-text search over the real 86 standards: chat sentences in, standard (or honest doubt) out."""

from __future__ import annotations

import pytest

from bot.knowledge.search import SearchIndex, same_service, tokenize
from bot.knowledge.views import Region, StandardSummary

B = "balangan-"
OKI = "ogan-komering-ilir-"
PWK = "purwakarta-"
BIDAN = B + "surat-izin-praktik-bidan"
PIRT_B = B + "sertifikat-produksi-pangan-industri-rumah-tangga"
PIRT_OKI = OKI + "sertifikat-produksi-pangan-rumah-tangga"
SUSU = PWK + "sertifikat-standar-risiko-menengah-tinggi-kbli-10510-industri-pengolahan-susu-segar-dan-krim"

# (message, expected standard): formal names, informal phrasing, abbreviations, typos, regions.
FOUND = [
    # formal names
    ("Surat Izin Praktik Bidan", BIDAN),
    ("Izin Operasional Rumah Sakit", B + "izin-operasional-rumah-sakit"),
    ("Sertifikat Laik Fungsi", B + "sertifikat-laik-fungsi"),
    ("Izin Usaha Kawasan Industri", B + "izin-usaha-kawasan-industri"),
    ("Tanda Daftar Gudang", B + "tanda-daftar-gudang"),
    ("Izin Pembuangan Air Limbah", B + "izin-pembuangan-air-limbah"),
    ("Pendaftaran Usaha Peternakan", B + "pendaftaran-usaha-peternakan"),
    ("izin usaha tanaman pangan", B + "izin-usaha-tanaman-pangan"),
    ("Izin Pengumpulan Uang dan Barang", B + "izin-penyelenggaraan-pengumpulan-uang-dan-barang"),
    ("sertifikat standar kbli 10510", SUSU),
    # informal sentences
    ("kak syarat bikin sip bidan apa aja?", BIDAN),
    ("syarat sip bidan", BIDAN),
    ("ijin praktek bidan", BIDAN),
    ("mau bikin izin praktek bidan mandiri di paringin", BIDAN),
    ("syarat izin apotek berapa hari?", B + "izin-apotek"),
    ("gimana cara urus sip apoteker ya min", B + "surat-izin-praktik-apoteker"),
    ("brp lama proses imb?", B + "izin-mendirikan-bangunan-imb"),
    ("berapa biaya bikin siup kak", B + "surat-izin-usaha-perdagangan"),
    ("prosedur izin reklame gimana", B + "izin-reklame"),
    ("pengen buka depot air isi ulang", B + "usaha-depot-air-minum-dam"),
    ("dasar hukum slf", B + "sertifikat-laik-fungsi"),
    ("izin trayek angkot", B + "izin-penyelenggaraan-angkutan-orang-dalam-daerah"),
    ("pasang baliho", B + "izin-reklame"),
    ("izin katering", B + "sertifikat-laik-higiene-jasa-boga"),
    ("izin kontraktor", B + "izin-usaha-jasa-konstruksi-iujk"),
    ("izin pabrik", B + "izin-usaha-industri"),
    (
        "izin sekolah swasta",
        B + "izin-pendirian-satuan-pendidikan-formal-yang-diselenggarakan-oleh-masyarakat",
    ),
    ("izin kursus", B + "izin-penyelenggaraan-satuan-pendidikan-non-formal"),
    (
        "izin jual beli karet",
        B + "surat-tanda-pendaftaran-pedagang-bahan-olah-karet-alam-spesifikasi-teknis-stpp-bokar-sir",
    ),
    ("izin perawat anestesi", B + "surat-izin-kerja-perawat-anestesi"),
    ("izin toko alkes", B + "izin-toko-alat-kesehatan"),
    ("toko obat", B + "izin-toko-obat"),
    ("izin klinik", B + "izin-operasional-klinik"),
    ("izin rumah sakit", B + "izin-operasional-rumah-sakit"),
    ("izin mendirikan rs", B + "izin-mendirikan-rumah-sakit"),
    ("sarang burung walet", B + "izin-pengelolaan-dan-pengusahaan-sarang-burung-walet"),
    ("jamu", B + "sertifikat-produksi-usaha-kecil-dan-mikro-obat-tradisional"),
    ("rekomendasi tata ruang", B + "rekomendasi-kesesuaian-lahan-dan-ruang"),
    ("izin jasa limbah b3", B + "izin-pengelolaan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-usaha-jasa"),
    (
        "izin penyimpanan limbah b3",
        B + "izin-penyimpanan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-penghasil",
    ),
    # abbreviations (also inside sentences and with hyphens)
    ("SIPB", BIDAN),
    ("bikin siup", B + "surat-izin-usaha-perdagangan"),
    ("imb", B + "izin-mendirikan-bangunan-imb"),
    ("berapa biaya pbg?", B + "izin-mendirikan-bangunan-imb"),
    ("amdal", B + "izin-lingkungan-ukl-upl-amdal"),
    ("ukl-upl", B + "izin-lingkungan-ukl-upl-amdal"),
    ("sppl", B + "surat-pernyataan-kesanggupan-pengelolaan-dan-pemantauan-lingkungan-hidup-sppl"),
    ("andalalin", B + "persetujuan-hasil-analisis-dampak-lalu-lintas"),
    ("IUMK", B + "izin-usaha-mikro-kecil-iumk"),
    ("izin umkm", B + "izin-usaha-mikro-kecil-iumk"),
    ("tdup", B + "tanda-daftar-usaha-perseorangan-tdup"),
    ("stpw", B + "surat-tanda-pendaftaran-waralaba"),
    ("stdb", B + "pendaftaran-usaha-perkebunan"),
    ("SLHS", B + "sertifikat-laik-higiene-jasa-boga"),
    ("sipttk", B + "surat-izin-praktik-tenaga-teknis-kefarmasian-sipttk"),
    ("sip-atlm", B + "surat-izin-praktik-ahli-teknologi-laboratorium-medik-sip-atlm"),
    ("sipf", B + "surat-izin-praktik-fisioterapis-sipf"),
    ("lptks", B + "izin-usaha-lembaga-penempatan-tenaga-kerja-swasta"),
    ("izin lpk", B + "izin-lembaga-pelatihan-kerja-untuk-swasta"),
    ("izin ksp", B + "izin-koperasi-simpan-pinjam"),
    ("iui", B + "izin-usaha-industri"),
    ("bikin nib", B + "pelayanan-pendampingan-perizinan-berusaha-online"),
    ("izin spam", B + "izin-penyelenggaraan-sistem-penyediaan-air-minum"),
    ("izin utd", B + "izin-unit-transfusi-darah-tingkat-kabupaten"),
    ("izin apotik", B + "izin-apotek"),
    # typos
    ("surat izin praktk bidn", BIDAN),
    ("izin apoteek", B + "izin-apotek"),
    ("sertifkat laik fungsi", B + "sertifikat-laik-fungsi"),
    ("izin reklme", B + "izin-reklame"),
    ("izin perkebunann", B + "izin-usaha-perkebunan"),
    # with a region
    ("pirt di oki", PIRT_OKI),
    ("P-IRT Ogan Komering Ilir", PIRT_OKI),
    ("izin makanan rumahan di oki", PIRT_OKI),
    ("spp-irt balangan", PIRT_B),
    ("sertifikat pirt kab. balangan", PIRT_B),
    ("sertifikat produksi pangan rumah tangga di balangan", PIRT_B),
    ("perluasan industri di oki", OKI + "izin-usaha-perluasan-industri"),
    ("izin perluasan usaha industri di oki", OKI + "izin-usaha-perluasan-industri"),
    ("izin pengolahan susu purwakarta", SUSU),
    ("kalau di purwakarta ada izin susu?", SUSU),
    ("ijin apotik di kabupaten balangan brp hari", B + "izin-apotek"),
    ("izin bidan di balangan", BIDAN),
]

# (message, the standards that must all be offered): several fit about equally.
AMBIGUOUS = [
    ("pirt", {PIRT_B, PIRT_OKI}),
    ("syarat2 pirt apa aja", {PIRT_B, PIRT_OKI}),
    ("sertifikat produksi pangan rumah tangga", {PIRT_B, PIRT_OKI}),
    (
        "izin perluasan usaha industri",
        {B + "izin-perluasan-usaha-industri", OKI + "izin-usaha-perluasan-industri"},
    ),
    ("perluasan industri", {B + "izin-perluasan-usaha-industri", OKI + "izin-usaha-perluasan-industri"}),
    (
        "izin panti asuhan",
        {
            B + "izin-operasional-lembaga-kesejahteraan-sosial-anak",
            B + "izin-pendirian-lembaga-kesejahteraan-sosial-anak",
        },
    ),
    (
        "izin lksa",
        {
            B + "izin-operasional-lembaga-kesejahteraan-sosial-anak",
            B + "izin-pendirian-lembaga-kesejahteraan-sosial-anak",
        },
    ),
    # five of the many "Izin Usaha ..." (ties among them are cut in any order)
    ("izin usaha", {B + "izin-usaha-industri"}),
    ("izin operasional", {B + "izin-operasional-klinik", B + "izin-operasional-rumah-sakit"}),
]

# Messages with no service in them: no link at all.
NONE = [
    "cara bikin paspor",
    "halo",
    "berapa biayanya?",
    "izin",
    "terima kasih banyak kak",
    "selamat pagi kak",
    "jam buka kantor",
    "apa saja syaratnya",
    "bisa bantu saya?",
    "saya mau komplain",
    "izin usaha ayam potong",
    "surat keterangan domisili",
    "cara buat ktp",
    "izin menikah",
    "kantor dinas dimana?",
    "nomor wa dinas berapa",
    "status permohonan saya",
    "cek status ADU-7KQ2-9XFD",
    "izin keramaian",
    "bagaimana cara mengurus akta kelahiran",
    "pajak kendaraan",
    "surat izin mengemudi",
    "mau buka toko kelontong",
    "lapor jalan rusak",
    "sertifikat halal",
    "alamat kantor dpmptsp balangan",
]


def test_the_table_is_big_enough():
    assert len(FOUND) + len(AMBIGUOUS) >= 60 and len(NONE) >= 20


@pytest.mark.parametrize("message, expected", FOUND)
def test_found(search_index, message, expected):
    result = search_index.find(message)
    assert result.status == "found", (message, result)
    assert result.best.standard_id == expected
    assert 0 < result.best.score <= 100


@pytest.mark.parametrize("message, expected", AMBIGUOUS)
def test_ambiguous(search_index, message, expected):
    result = search_index.find(message)
    assert result.status == "ambiguous", (message, result)
    offered = {c.standard_id for c in result.candidates}
    assert expected <= offered, (message, offered)
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 5


@pytest.mark.parametrize("message", NONE)
def test_no_false_links(search_index, message):
    result = search_index.find(message)
    assert result.status == "none", (message, result)
    assert result.candidates == () and result.best is None


@pytest.mark.parametrize(
    "message, prefix", [("surat izin praktik", B + "surat-izin-praktik-"), ("izin praktik", B)]
)
def test_generic_names_offer_five_of_a_kind(search_index, message, prefix):
    result = search_index.find(message)
    assert result.status == "ambiguous" and len(result.candidates) == 5
    assert all(c.standard_id.startswith(prefix) and "praktik" in c.standard_id for c in result.candidates)


@pytest.mark.parametrize("message", ["izin usaha industri", "izin usaha industri balangan"])
def test_an_exact_title_links_and_longer_titles_are_related(search_index, message):
    result = search_index.find(message)
    assert result.status == "found" and result.best.standard_id == B + "izin-usaha-industri"
    related = {c.standard_id for c in result.related}
    assert {B + "izin-perluasan-usaha-industri", B + "izin-usaha-kawasan-industri"} <= related


def test_one_title_shared_by_two_regions_stays_ambiguous(search_index):
    result = search_index.find("sertifikat produksi pangan rumah tangga")
    assert result.status == "ambiguous" and {c.standard_id for c in result.candidates} == {PIRT_B, PIRT_OKI}


def test_spans_point_at_the_mention_in_the_original_text(search_index):
    text = "Kak, syarat bikin SIP Bidan apa aja?"
    best = search_index.find(text).best
    assert text[best.start : best.end] == "SIP Bidan" and best.matched == "SIP Bidan"
    text = "ijin praktek bidan di Balangan"
    best = search_index.find(text).best
    assert text[best.start : best.end] == "ijin praktek bidan"


def test_region_in_text_filters_and_is_reported(search_index):
    text = "pirt di OKI"
    result = search_index.find(text)
    assert result.wilayah == "ogan-komering-ilir"
    assert text[result.wilayah_span[0] : result.wilayah_span[1]] == "OKI"


def test_region_argument_filters(search_index):
    assert search_index.find("pirt", wilayah="ogan-komering-ilir").best.standard_id == PIRT_OKI
    assert search_index.find("pirt", wilayah="balangan").best.standard_id == PIRT_B
    # What the user just wrote wins over the conversation's region.
    assert search_index.find("pirt di oki", wilayah="balangan").best.standard_id == PIRT_OKI


def test_nothing_in_the_region_but_elsewhere(search_index):
    result = search_index.find("izin toko obat di purwakarta")
    assert result.status == "none" and result.wilayah == "purwakarta"
    assert [c.standard_id for c in result.elsewhere] == [B + "izin-toko-obat"]


def test_partial_fit_in_region_is_not_certain(search_index):
    result = search_index.find("izin usaha industri di oki")
    assert result.status == "ambiguous"
    assert result.best.standard_id == OKI + "izin-usaha-perluasan-industri"
    assert result.elsewhere[0].standard_id == B + "izin-usaha-industri"


@pytest.mark.parametrize(
    "text, region",
    [
        ("pirt di oki", "ogan-komering-ilir"),
        ("di Ogan Komering Ilir", "ogan-komering-ilir"),
        ("Kab. Balangan", "balangan"),
        ("kabupaten balangan", "balangan"),
        ("di paringin", "balangan"),
        ("Purwakarta", "purwakarta"),
        ("kalau di purwakrta?", "purwakarta"),
        ("syarat sip bidan", None),
        ("ok kak", None),
    ],
)
def test_find_region(search_index, text, region):
    assert search_index.find_region(text) == region


def test_limit(search_index):
    assert len(search_index.find("izin usaha", limit=2).candidates) == 2


def test_tokenize_keeps_original_spans():
    tokens = tokenize("Ijin PRAKTEK, Bidan!")
    assert [t.text for t in tokens] == ["izin", "praktik", "bidan"]
    assert [(t.start, t.end) for t in tokens] == [(0, 4), (5, 12), (14, 19)]


def test_index_from_summaries_without_database():
    names = [
        "Izin Reklame",
        "Izin Lokasi",
        "Izin Optikal",
        "Izin Usaha Industri",
        "Izin Klinik",
        "Izin Gudang",
    ]
    summaries = [
        StandardSummary("a-izin-apotek", "a", 1, "Izin Apotek", "kesehatan", ("apotik",)),
        StandardSummary("a-izin-toko-obat", "a", 2, "Izin Toko Obat", "kesehatan", ()),
        StandardSummary("b-izin-apotek", "b", 1, "Izin Apotek", "kesehatan", ("apotik",)),
        *(StandardSummary(f"a-{i}", "a", 3 + i, name, "umum") for i, name in enumerate(names)),
    ]
    regions = [
        Region("a", "Kabupaten A Raya", "Kantor A", alias=("a raya",)),
        Region("b", "Kabupaten Bumi", "Kantor B"),
    ]
    index = SearchIndex(summaries, regions)
    assert index.find("izin apotik").status == "ambiguous"
    assert index.find("izin apotik di bumi").best.standard_id == "b-izin-apotek"
    assert index.find("toko obat").best.standard_id == "a-izin-toko-obat"
    assert [s.id for s in same_service(summaries[0], summaries)] == ["b-izin-apotek"]
    assert [s.id for s in index.same_service("b-izin-apotek")] == ["a-izin-apotek"]
    assert index.same_service("a-izin-toko-obat") == [] and index.same_service("x-tidak-ada") == []
