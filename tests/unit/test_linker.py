"""The knowledge-base linker, called like Rasa calls it (process() on Message objects).

Most tests give the linker a small search index built in the test from real standards'
names and aliases (bot.knowledge.search.SearchIndex over StandardSummary/Region read models),
so they exercise the same search the assistant uses, without a database. One test loads the
index through the database (in-memory SQLite), one checks that a missing database degrades to
"no entities" with a clear error.
"""

from __future__ import annotations

import logging

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.views import Region, StandardSummary
from bot.nlu import knowledge_index as linker_module
from bot.nlu.linker import KnowledgeIndex, ServiceLinker
from bot.nlu.linking import link

STANDARDS = [
    StandardSummary(
        "balangan-surat-izin-praktik-bidan",
        "balangan",
        61,
        "Surat Izin Praktik Bidan",
        "kesehatan",
        ("SIP Bidan", "SIPB", "izin praktik bidan", "izin praktek bidan", "ijin praktek bidan"),
    ),
    StandardSummary(
        "balangan-izin-apotek",
        "balangan",
        6,
        "Izin Apotek",
        "kesehatan",
        ("apotek", "apotik", "izin apotik", "izin buka apotek"),
    ),
    StandardSummary(
        "balangan-izin-toko-obat",
        "balangan",
        7,
        "Izin Toko Obat",
        "kesehatan",
        ("toko obat", "izin buka toko obat"),
    ),
    StandardSummary(
        "balangan-sertifikat-produksi-pangan-industri-rumah-tangga",
        "balangan",
        11,
        "Sertifikat Produksi Pangan Industri Rumah Tangga",
        "kesehatan",
        ("PIRT", "P-IRT", "SPP-IRT", "izin PIRT"),
    ),
    StandardSummary(
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
        "ogan-komering-ilir",
        None,
        "Sertifikat Produksi Pangan Rumah Tangga",
        "kesehatan",
        ("PIRT", "P-IRT", "SPP-IRT", "izin PIRT"),
    ),
    StandardSummary(
        "balangan-izin-usaha-industri", "balangan", 20, "Izin Usaha Industri", "industri", ("IUI",)
    ),
    StandardSummary(
        "balangan-izin-perluasan-usaha-industri",
        "balangan",
        21,
        "Izin Perluasan Usaha Industri",
        "industri",
        ("izin perluasan industri",),
    ),
    StandardSummary(
        "balangan-izin-usaha-kawasan-industri",
        "balangan",
        22,
        "Izin Usaha Kawasan Industri",
        "industri",
        ("IUKI", "izin kawasan industri"),
    ),
    StandardSummary(
        "balangan-izin-usaha-jasa-konstruksi-iujk",
        "balangan",
        37,
        "Izin Usaha Jasa Konstruksi (IUJK)",
        "konstruksi",
        ("IUJK", "izin jasa konstruksi"),
    ),
    StandardSummary(
        "balangan-surat-izin-usaha-perdagangan",
        "balangan",
        33,
        "Surat Izin Usaha Perdagangan",
        "perdagangan",
        ("SIUP", "izin usaha perdagangan"),
    ),
]
REGIONS = [
    Region("balangan", "Kabupaten Balangan", "DPMPTSP Balangan", alias=("balangan", "kab balangan")),
    Region(
        "ogan-komering-ilir",
        "Kabupaten Ogan Komering Ilir",
        "DPMPTSP OKI",
        alias=("ogan komering ilir", "oki", "kab oki"),
    ),
    Region("purwakarta", "Kabupaten Purwakarta", "DPMPTSP Purwakarta", alias=("purwakarta",)),
]


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex.build(STANDARDS, REGIONS)


@pytest.fixture
def linker(index: KnowledgeIndex) -> ServiceLinker:
    return ServiceLinker(ServiceLinker.get_default_config(), index_provider=lambda: index)


def _run(linker: ServiceLinker, text: str) -> list[dict]:
    message = Message(data={TEXT: text})
    linker.process([message])
    return message.get(ENTITIES, [])


def _values(entities: list[dict], name: str) -> list[str]:
    return [e["value"] for e in entities if e["entity"] == name]


def test_unique_service_sets_layanan_with_a_span_of_the_original_text(linker: ServiceLinker) -> None:
    text = "kak syarat bikin SIP bidan apa aja?"
    entities = _run(linker, text)
    assert _values(entities, "layanan") == ["balangan-surat-izin-praktik-bidan"]
    layanan = next(e for e in entities if e["entity"] == "layanan")
    assert layanan["extractor"] == "ServiceLinker"
    assert "bidan" in text[layanan["start"] : layanan["end"]].lower()
    assert _values(entities, "komponen") == ["persyaratan"]
    assert _values(entities, "layanan_kandidat") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ijin praktek bidan brp lama", "balangan-surat-izin-praktik-bidan"),
        ("izin apotik biayanya?", "balangan-izin-apotek"),
        ("terus izin toko obat?", "balangan-izin-toko-obat"),
        ("bikin siup", "balangan-surat-izin-usaha-perdagangan"),
    ],
)
def test_chat_spellings_link(linker: ServiceLinker, text: str, expected: str) -> None:
    assert _values(_run(linker, text), "layanan") == [expected]


def test_service_in_two_regions_is_ambiguous_without_a_region(linker: ServiceLinker) -> None:
    entities = _run(linker, "syarat pirt")
    assert _values(entities, "layanan") == []
    assert set(_values(entities, "layanan_kandidat")) == {
        "balangan-sertifikat-produksi-pangan-industri-rumah-tangga",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
    }


def test_region_in_the_same_message_filters_the_search(linker: ServiceLinker) -> None:
    text = "pirt di OKI berapa lama?"
    entities = _run(linker, text)
    assert _values(entities, "wilayah") == ["ogan-komering-ilir"]
    assert _values(entities, "layanan") == ["ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga"]
    wilayah = next(e for e in entities if e["entity"] == "wilayah")
    assert text[wilayah["start"] : wilayah["end"]] == "OKI"
    assert _values(entities, "komponen") == ["jangka_waktu"]


def test_region_only(linker: ServiceLinker) -> None:
    entities = _run(linker, "kalau di kab balangan?")
    assert _values(entities, "wilayah") == ["balangan"]
    assert _values(entities, "layanan") == [] and _values(entities, "layanan_kandidat") == []


def test_ambiguous_search_gives_at_most_max_candidates(index: KnowledgeIndex) -> None:
    linker = ServiceLinker({"max_candidates": 2}, index_provider=lambda: index)
    entities = _run(linker, "izin usaha industri apa syaratnya")
    kandidat = _values(entities, "layanan_kandidat")
    layanan = _values(entities, "layanan")
    # Either the exact name wins, or the search offers at most two candidates: never both.
    assert (layanan == ["balangan-izin-usaha-industri"] and not kandidat) or (
        not layanan and 2 <= len(kandidat) <= 2
    )


@pytest.mark.parametrize(
    "text, komponen",
    [
        ("biayanya?", "biaya"),
        ("berapa lama prosesnya", "jangka_waktu"),
        ("dasar hukumnya apa", "dasar_hukum"),
        ("alurnya gimana", "prosedur"),
        ("izinnya gimana prosesnya?", "prosedur"),
        ("prosesnya seperti apa", "prosedur"),
        ("jaminan keamanan pelayanannya", "jaminan_keamanan"),
        ("jaminan pelayanan", "jaminan"),
        ("kompetensi pelaksana", "kompetensi"),
        ("jumlah pelaksana", "jumlah_pelaksana"),
        ("sarana prasarananya", "sarana"),
        ("evaluasi kinerja", "evaluasi"),
        ("mau komplain", "pengaduan"),
        ("produk layanannya apa", "produk"),
    ],
)
def test_component_keywords(linker: ServiceLinker, text: str, komponen: str) -> None:
    assert _values(_run(linker, text), "komponen") == [komponen]


def test_sector_keywords_but_not_inside_a_service_name(linker: ServiceLinker) -> None:
    assert _values(_run(linker, "daftar izin sektor kesehatan"), "sektor") == ["kesehatan"]
    assert _values(_run(linker, "izin di bidang pertanian"), "sektor") == ["pertanian"]
    entities = _run(linker, "syarat izin jasa konstruksi")
    assert _values(entities, "layanan") == ["balangan-izin-usaha-jasa-konstruksi-iujk"]
    assert _values(entities, "sektor") == []


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀", "مرحبا", "你好", "x" * 10_000, "<script>alert(1)</script>"]
)
def test_any_input_is_accepted(linker: ServiceLinker, text: str) -> None:
    for entity in _run(linker, text):
        assert 0 <= entity["start"] <= entity["end"] <= len(text)


def test_existing_entities_are_kept(linker: ServiceLinker) -> None:
    regex_entity = {"entity": "kode_tiket", "value": "ADU-7KQ2-9XFD", "start": 0, "end": 13}
    message = Message(data={TEXT: "ADU-7KQ2-9XFD izin apotek", ENTITIES: [regex_entity]})
    linker.process([message])
    entities = message.get(ENTITIES)
    assert entities[0] == regex_entity
    assert _values(entities, "layanan") == ["balangan-izin-apotek"]


def test_missing_database_logs_a_clear_error_and_links_nothing(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    linker_module.clear_index_cache()
    url = f"sqlite:///{tmp_path / 'empty.db'}"  # no tables: the knowledge base was never loaded
    linker = ServiceLinker({"database_url": url, "retry_seconds": 3600})
    with caplog.at_level(logging.ERROR, logger="bot.nlu.knowledge_index"):
        first = _run(linker, "syarat izin apotek")
        second = _run(linker, "biaya izin apotek")
    assert _values(first, "layanan") == [] and _values(second, "layanan") == []
    # Keyword entities still work without the knowledge base.
    assert _values(first, "komponen") == ["persyaratan"]
    errors = [r for r in caplog.records if "kb load" in r.getMessage()]
    assert len(errors) == 1  # logged once, not on every message
    linker_module.clear_index_cache()


def test_index_is_loaded_from_the_database_once(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    linker_module.clear_index_cache()
    calls: list[str] = []

    def fake_load(url: str) -> KnowledgeIndex:
        calls.append(url)
        return KnowledgeIndex.build(STANDARDS, REGIONS)

    monkeypatch.setattr(linker_module, "load_knowledge_index", fake_load)
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    first = ServiceLinker({"database_url": url})
    second = ServiceLinker({"database_url": url})
    assert _values(_run(first, "izin apotek"), "layanan") == ["balangan-izin-apotek"]
    assert _values(_run(second, "toko obat"), "layanan") == ["balangan-izin-toko-obat"]
    assert calls == [url]
    linker_module.clear_index_cache()


# --- the real knowledge base (86 standards, 3 regions) ------------------------------------------
@pytest.fixture(scope="module")
def real_linker(real_knowledge_factory) -> ServiceLinker:
    from bot.knowledge.repository import list_regions, list_standards

    with real_knowledge_factory() as session:
        index = KnowledgeIndex.build(list_standards(session), list_regions(session))
    return ServiceLinker(ServiceLinker.get_default_config(), index_provider=lambda: index)


@pytest.mark.parametrize(
    "text, layanan, wilayah",
    [
        ("kak syarat bikin SIP bidan apa aja?", "balangan-surat-izin-praktik-bidan", None),
        ("syarat2nya ijin praktek bidan gmn", "balangan-surat-izin-praktik-bidan", None),
        ("izin apotik berapa lama", "balangan-izin-apotek", None),
        ("pirt di oki", "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga", "ogan-komering-ilir"),
        ("P-IRT Kab. Balangan", "balangan-sertifikat-produksi-pangan-industri-rumah-tangga", "balangan"),
        ("bikin siup", "balangan-surat-izin-usaha-perdagangan", None),
        (
            "Persyaratan Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam",
            "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam",
            None,
        ),
        (
            "sertifikat standar susu segar purwakarta",
            "purwakarta-sertifikat-standar-risiko-menengah-tinggi-kbli-10510-industri-pengolahan-susu-segar-dan-krim",
            "purwakarta",
        ),
    ],
)
def test_real_knowledge_base_links(real_linker: ServiceLinker, text: str, layanan: str, wilayah) -> None:
    entities = _run(real_linker, text)
    assert _values(entities, "layanan") == [layanan]
    assert _values(entities, "wilayah") == ([wilayah] if wilayah else [])


def test_real_knowledge_base_ambiguity(real_linker: ServiceLinker) -> None:
    entities = _run(real_linker, "syarat pirt")
    assert set(_values(entities, "layanan_kandidat")) >= {
        "balangan-sertifikat-produksi-pangan-industri-rumah-tangga",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
    }
    assert len(_values(entities, "layanan_kandidat")) <= 5
    # An exact title links; the longer titles that contain it are offered beside it.
    entities = _run(real_linker, "izin usaha industri")
    assert _values(entities, "layanan") == ["balangan-izin-usaha-industri"]
    assert "balangan-izin-perluasan-usaha-industri" in _values(entities, "layanan_terkait")


# --- long messages: each mention searched on its own -----------------------------------------------
@pytest.mark.parametrize(
    "text, layanan",
    [
        # context first, then the service asked about
        ("saya bidan desa, mau buka apotek. syaratnya apa?", "balangan-izin-apotek"),
        ("toko saya kecil, rencana urus izin toko obat, prosesnya gimana", "balangan-izin-toko-obat"),
        # an abbreviation after chatter
        ("usaha bangunan kecil2an, IUJK berapa lama", "balangan-izin-usaha-jasa-konstruksi-iujk"),
        # ... but a name written out in full outweighs one word found loosely after it
        (
            "SIP radiografer: surat sehatnya harus dari dokter yang punya SIP?",
            "balangan-surat-izin-praktik-radiografer",
        ),
    ],
)
def test_the_last_mention_of_a_long_message_is_linked(
    real_linker: ServiceLinker, text: str, layanan: str
) -> None:
    assert _values(_run(real_linker, text), "layanan") == [layanan]


@pytest.mark.parametrize(
    "text",
    [
        "syarat sip bidan sama izin apotek",
        "syarat sip bidan, izin apotek juga",
        "tolong bandingkan persyaratan sip bidan dengan izin apotek",  # compared: "dengan" joins
    ],
)
def test_services_listed_together_are_all_offered(real_linker: ServiceLinker, text: str) -> None:
    entities = _run(real_linker, text)
    assert _values(entities, "layanan") == []
    assert _values(entities, "layanan_kandidat") == [
        "balangan-surat-izin-praktik-bidan",
        "balangan-izin-apotek",
    ]


def test_an_ambiguous_last_mention_offers_its_candidates(real_linker: ServiceLinker) -> None:
    entities = _run(real_linker, "saya dokter, mau buka klinik")
    assert _values(entities, "layanan") == []
    assert "balangan-izin-operasional-klinik" in _values(entities, "layanan_kandidat")
    assert "balangan-surat-izin-praktik-dokter" not in _values(entities, "layanan_kandidat")


@pytest.mark.parametrize("text", ["oke sip", "saya mau bicara dengan petugas", "ok, mantap"])
def test_vague_words_in_chatter_link_nothing(real_linker: ServiceLinker, text: str) -> None:
    entities = _run(real_linker, text)
    assert _values(entities, "layanan") == [] and _values(entities, "layanan_kandidat") == []


def test_a_pasted_essay_is_searched_in_bounded_time(real_linker: ServiceLinker) -> None:
    text = "saya dokter, mau buka klinik, apotek, toko obat. " * 400
    entities = _run(real_linker, text)
    assert all(e["start"] < e["end"] <= len(text) for e in entities)


# --- masking linked names for the intent classifier (bot.nlu.normalizer.mask_knowledge) -----------
@pytest.mark.parametrize(
    "text, masked",
    [
        ("kak syarat bikin SIP bidan apa aja?", "syarat buat __layanan__ apa saja"),
        ("izin toko obat", "__layanan__"),
        ("kalau di OKI?", "kalau di __wilayah__"),
        ("pirt di oki brp lama", "__layanan__ di __wilayah__ berapa lama"),
        ("syarat pirt", "syarat __layanan__"),  # ambiguous: still a service mention
        ("biayanya?", "biaya"),
        ("syaratnya izin apotek", "syarat __layanan__"),
    ],
)
def test_mask_knowledge(index: KnowledgeIndex, text: str, masked: str) -> None:
    from bot.nlu.normalizer import mask_knowledge, normalize

    tokens = mask_knowledge(text, normalize(text), index)
    assert " ".join(t.norm for t in tokens) == masked
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)


def test_normalizer_masks_through_the_process_wide_index(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.nlu.normalizer import NORMALIZED_TEXT, TextNormalizer

    linker_module.clear_index_cache()
    monkeypatch.setattr(
        linker_module, "load_knowledge_index", lambda url: KnowledgeIndex.build(STANDARDS, REGIONS)
    )
    normalizer = TextNormalizer({**TextNormalizer.get_default_config(), "database_url": "sqlite://"})
    message = Message(data={TEXT: "berapa lama izin apotik di balangan"})
    normalizer.process([message])
    assert message.get(NORMALIZED_TEXT) == "berapa lama __layanan__ di __wilayah__"
    assert message.get(TEXT) == "berapa lama izin apotik di balangan"
    linker_module.clear_index_cache()


def test_normalizer_without_knowledge_base_does_not_mask(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    from bot.nlu.normalizer import NORMALIZED_TEXT, TextNormalizer

    linker_module.clear_index_cache()
    url = f"sqlite:///{tmp_path / 'none.db'}"
    normalizer = TextNormalizer({**TextNormalizer.get_default_config(), "database_url": url})
    message = Message(data={TEXT: "syarat izin apotek"})
    with caplog.at_level(logging.WARNING):
        normalizer.process([message])
    assert message.get(NORMALIZED_TEXT) == "syarat izin apotek"
    assert any("not masked" in r.getMessage() for r in caplog.records)
    linker_module.clear_index_cache()


# --- what else a question asks (bot/nlu/linking.py) ------------------------------------------------
@pytest.mark.parametrize(
    "text, entity, value",
    [
        # a typed choice, in a short message only
        ("nomor 2", "pilihan", "2"),
        ("pilih yang kedua aja kak", "pilihan", "2"),
        ("yang terakhir", "pilihan", "-1"),
        ("3", "pilihan", "3"),
        # the office as a whole, comparisons, list filters
        ("di kantor DPMPTSP Balangan ada tempat parkir?", "kantor", "ya"),
        ("bandingkan persyaratan PIRT di Balangan dan OKI", "perbandingan", "ya"),
        ("layanan kesehatan apa saja yang gratis?", "saringan", "gratis"),
        ("izin pertanian mana yang paling lama?", "saringan", "terlama"),
        ("izin apa saja yang membutuhkan NPWP?", "saringan", "dokumen"),
        ("layanan kesehatan mana yang persyaratannya ada NPWP?", "saringan", "dokumen"),
        ("layanan kesehatan mana yang persyaratannya ada NPWP?", "rincian", "npwp"),
        ("mohon tampilkan biaya SIP bidan Balangan dan OKI bersandingan", "perbandingan", "ya"),
        ("alur prosesnya juga, Balangan vs OKI", "perbandingan", "ya"),
        # a one-word name dropped beside the office gives its word back to the question
        ("di kantor DPMPTSP Balangan ada papan informasi elektronik?", "rincian", "papan elektronik"),
        ("izin di bidang kesehatan mana yang waktunya paling pendek?", "saringan", "tercepat"),
        # a sector word after "bidang"/"sektor" is the sector, not a service's name
        ("izin bidang perdagangan yang paling cepat apa?", "sektor", "perdagangan"),
        # "sedangkan" moves a question to another region or service, like "kalau"
        ("sedangkan untuk di Purwakarta gimana?", "peralihan", "ya"),
        # "kantor" before a region is that region's office; what the office "melayani" may be outside
        ("apakah ruang tunggu kantor Purwakarta ada AC?", "kantor", "ya"),
        ("apakah DPMPTSP menerbitkan paspor?", "luar_layanan", "paspor"),
        # "masih bisa ...?" asks yes or no; verbs of attaching are not what is asked about
        ("saya belum punya NPWP, masih bisa ngurus SIUP?", "jenis_tanya", "ya_tidak"),
        ("saya belum punya NPWP, masih bisa ngurus SIUP?", "rincian", "npwp"),
        ("apakah SIUP wajib melampirkan NPWP?", "rincian", "npwp"),
        ("berkas izin apotek nanti diproses lewat bagian mana saja?", "komponen", "prosedur"),
        # what no office here handles, asked as a service
        ("syarat bikin paspor", "luar_layanan", "paspor"),
        ("paspor syaratnya apa", "luar_layanan", "paspor"),
        # the question word is claimed by its kind ("di mana"): still a question about the thing
        ("kena tilang, sidangnya ngurus di mana", "luar_layanan", "tilang (Kejaksaan / Pengadilan)"),
        # things other agencies handle; named with words a service shares ("surat keterangan ahli")
        ("mau urus umrah buat ibu, syaratnya apa?", "luar_layanan", "pendaftaran haji / umrah (Kemenag)"),
        ("syarat surat keterangan ahli waris apa saja?", "luar_layanan", "surat keterangan ahli waris"),
        ("mau pasang baru listrik di ruko, lama tidak?", "luar_layanan", "sambungan listrik (PLN)"),
        ("syarat izin karaoke apa saja", "luar_layanan", "izin karaoke"),
        ("apakah bisa bikin surat keterangan usaha di sini?", "luar_layanan", "surat keterangan"),
        # a verb of the office serving it after the thing; its kind word is no family's name part
        (
            "apakah pencatatan hak cipta lagu dilayani di kantor ini?",
            "luar_layanan",
            "hak cipta / merek / paten (HKI)",
        ),
        ("bisa bantu urus pendaftaran haji gak?", "luar_layanan", "pendaftaran haji / umrah (Kemenag)"),
        ("mau bikin izin usaha warung makan", "luar_layanan", "izin usaha warung"),
        # the content of a detail question and its kind
        ("apakah untuk izin reklame perlu surat domisili?", "rincian", "domisili"),
        ("apakah untuk izin reklame perlu surat domisili?", "jenis_tanya", "ya_tidak"),
        ("siapa yang menandatangani izinnya?", "rincian", "menandatangani"),
        ("siapa yang menandatangani izinnya?", "jenis_tanya", "siapa"),
        # a threshold, by what it measures
        ("usaha kebun sawit saya 30 hektar, cukup daftar atau harus IUP?", "ambang", "luas"),
        ("kalau modal kami di bawah 50 juta masuk yang mana?", "ambang", "uang"),
        ("anggota kami baru 12 orang, boleh buka capem?", "ambang", "orang"),
        ("kalau skala usahanya kecil izinnya apa?", "ambang", "ya"),
        # a time with a decimal number states a threshold too; "setahun" is one year
        ("ksp kami baru berjalan 2,5 tahun, boleh buka kantor cabang?", "ambang", "waktu"),
        ("kantor cabang kami baru beroperasi setahun, boleh buka capem?", "ambang", "waktu"),
        # typos: of a switch word; of a word both the office and a name have ("kantr" DPMPTSP)
        ("sednagkan di Ogan Komering Ilir?", "peralihan", "ya"),
        ("di kantr DPMPTSP Paringin ada tempat parkir?", "kantor", "ya"),
        # "perlu" beside a component word still asks yes or no; "minta" asks it too
        ("kalau ngurus izin apotek, sertifikat tanah perlu dibawa?", "jenis_tanya", "ya_tidak"),
        ("kalau ngurus izin apotek, sertifikat tanah perlu dibawa?", "rincian", "sertifikat tanah"),
        ("nanti petugas minta IMB juga untuk izin reklame?", "jenis_tanya", "ya_tidak"),
        # a service named with nothing but "gimana": the same question about it
        ("izin toko obat gimana ya kak?", "peralihan", "ya"),
        ("NAH CABANG PEMBANTUNYA GIMANA?", "peralihan", "ya"),  # "nah" leads a follow-up, asks nothing
        # the service asked about is the one after the verb, in its own clause
        ("kalau ngurus SIPA, SPPL perlu dibawa?", "layanan", "balangan-surat-izin-praktik-apoteker"),
        ("kalau ngurus SIPA, SPPL perlu dibawa?", "rincian", "sppl"),
        # a service named for a region that lacks it is still linked (the answer says so)
        ("izin reklame di Purwakarta", "layanan", "balangan-izin-reklame"),
        # English and regional words reach the same entities
        ("how long does the pharmacy permit take?", "komponen", "jangka_waktu"),
        (
            "what are the requirements for a midwife practice permit?",
            "layanan",
            "balangan-surat-izin-praktik-bidan",
        ),
        ("what does the passenger transport permit cost?", "komponen", "biaya"),
        (
            "legal basis of the hazardous and toxic waste permit for service businesses?",
            "layanan",
            "balangan-izin-pengelolaan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-usaha-jasa",
        ),
        ("which regulation is the pharmacy license based on?", "komponen", "dasar_hukum"),
        # component words beyond the obvious ones; Jakarta-style verbs ("ngawasin")
        ("ketentuan yang harus dipenuhi untuk izin apotek?", "komponen", "persyaratan"),
        ("siapa yang ngawasin petugas izin apotek?", "komponen", "pengawasan"),
        ("di kantor DPMPTSP Paringin ada colokan buat ngecas hp?", "komponen", "sarana"),
        # a cue said around the office named inside it, with typos
        ("petgas di kantor perizinan Ogan Komering Ilir ada beeapa sih?", "komponen", "jumlah_pelaksana"),
        # "berlaku juga?" after naming a region: the same question there
        ("mbak saya dari OKI, berlaku juga?", "peralihan", "ya"),
        ("ulun handak baulah izin apotek, apa haja syaratnya?", "layanan", "balangan-izin-apotek"),
        ("piye carane ngurus SIP bidan?", "komponen", "prosedur"),
        ("kumaha carana nyieun izin toko obat, sabaraha biayana?", "komponen", "biaya"),
        ("rampunge pirang dina mas?", "komponen", "jangka_waktu"),
        # the verb for the noun of a service's name
        (
            "syarat izin menyimpan limbah b3",
            "layanan",
            "balangan-izin-penyimpanan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-penghasil",
        ),
        # what is said of a permit ("yang bermasalah") is no part of its name
        (
            "nanti kalau izin operasionalnya yang bermasalah, ngadunya ke mana?",
            "sebagian",
            "izin operasional",
        ),
        ("yang untuk usaha jasa pengelolaannya, peraturannya sama?", "peralihan", "ya"),
        ("yang terbit nanti namanya izin apa?", "komponen", "produk"),
        # a document's two-letter abbreviation is content
        ("klo usahanya nanti sy jadikan PT masih bisa ngajuin?", "rincian", "jadikan pt"),
        # words that are no component ("berbadan hukum": komponen.yml `abaikan`) are still asked about
        (
            "klinik kami cuma rawat jalan, tetap wajib berbadan hukum?",
            "rincian",
            "rawat jalan tetap berbadan hukum",
        ),
        # a tag particle and words of time are no content ("..., itu memenuhi kan?")
        ("STRTKT saya berlaku sampai tahun depan, itu memenuhi kan?", "rincian", "strtkt berlaku memenuhi"),
    ],
)
def test_question_cues(real_linker: ServiceLinker, text: str, entity: str, value: str) -> None:
    assert value in _values(_run(real_linker, text), entity)


@pytest.mark.parametrize(
    "text, entity",
    [
        ("apakah perlu fotokopi KTP?", "luar_layanan"),  # a document inside a yes/no question
        ("apakah perlu surat keterangan domisili?", "luar_layanan"),  # a document no name has
        ("bisa bantu urus pendaftaran haji gak?", "sebagian"),  # "pendaftaran" of the hajj
        ("apakah NPWP harus punya dulu?", "luar_layanan"),  # a document needed, not served
        ("layanan apa saja yang butuh NPWP?", "luar_layanan"),  # a document in a filter
        ("biaya izin apotek 2 juta?", "pilihan"),  # a number inside a question is no choice
        ("berapa hari sertifikat produksi selesai", "luar_layanan"),  # "selesai" is no name's word
        # at most how many days, not the longest service
        ("paling lama sertifikat produksi selesai dalam berapa hari", "saringan"),
        ("kak syarat bikin SIP bidan apa aja?", "rincian"),  # nothing beyond the component asked
        ("kak minta nomor yg bs ditelpon di dpmptsp PWK dong", "rincian"),  # the contacts are asked
        ("sementara itu untuk wilayah Kabupaten Balangan?", "rincian"),  # only a region named
        ("formulirnya diisi online atau di loket?", "layanan_kandidat"),  # "online" names no service
        ("kalau yang kantor cabangnya?", "kantor"),  # a branch office is a service, not the office
        ("izin bidang perdagangan yang paling cepat apa?", "layanan"),  # the sector, not SIUP
        ("ada musala di kantor Kabupaten OKI?", "layanan_kandidat"),  # not the "Kantor Cabang" services
        ("di kantr DPMPTSP Paringin ada tempat parkir?", "layanan_kandidat"),  # a typo of the office
        # a slip of the key beside "s" ("harua") is "harus", not "harga" (the fee)
        ("kapan usaha tanaman pangan harua punya izin usaha?", "komponen"),
        # the codes of an application number are not services (SIPB, "SIP Bidan")
        ("berkas 503 / 0612 / SIPB / 2026 kok belum ada kabar", "layanan"),
        ("YANG HARUS DIBAWA APA AJA MIN?", "rincian"),  # an address particle is never the detail
        # what is done to the permit ("ditandatangani") is not a name no standard has
        ("nanti surat izinnya ditandatangani siapa?", "luar_layanan"),
        # words every permit's name has ("surat izin") pick none of them
        ("yang keluar nanti namanya apa, bentuknya surat izin apa?", "layanan_kandidat"),
        # the office asked about itself: one word shared with some names ("kerja") is no service
        ("di DPMPTSP Balangan, siapa yang mengawasi kerja petugas loket?", "layanan_kandidat"),
        # ... or one word a name was linked on ("papan" of "papan reklame")
        ("di kantor DPMPTSP Balangan tu ada kah papan informasi elektronik?", "layanan"),
        # "sip," acknowledges the last answer; it is no Surat Izin Praktik
        ("sip, brp hari kerja kelarnya", "layanan_kandidat"),
        # a component's words after "permit" are no name no office has
        ("which regulation is this permit based on?", "luar_layanan"),
        ("how many working days until the permit is out?", "luar_layanan"),
        ("nanti kalau izin operasionalnya yang bermasalah, ngadunya ke mana?", "luar_layanan"),
        ("bisa ngadu lewat surat tertulis ke dinasnya?", "luar_layanan"),  # how it is sent
    ],
)
def test_no_false_cues(real_linker: ServiceLinker, text: str, entity: str) -> None:
    assert _values(_run(real_linker, text), entity) == []


def test_the_sentence_that_asks_decides_a_long_message(real_linker: ServiceLinker) -> None:
    text = (
        "Assalamualaikum bu, saya perawat di puskesmas dan baru pindah ke Paringin. Untuk surat izin "
        "praktik perawat, berkas apa saja yang perlu saya bawa?"
    )
    entities = _run(real_linker, text)
    assert _values(entities, "layanan") == ["balangan-surat-izin-praktik-perawat"]
    assert _values(entities, "layanan_kandidat") == []


def test_a_closing_after_the_question_is_not_the_question() -> None:
    from bot.nlu.linking import question_part
    from bot.nlu.normalize import normalize

    text = (
        "Assalamu'alaikum warahmatullahi wabarakatuh. Nama saya Aminah. Apa dasar hukum izin toko "
        "obat? Mohon penjelasannya. Wassalamu'alaikum."
    )
    asked = [t.norm for t in question_part(text, normalize(text))]
    assert asked[:3] == ["apa", "dasar", "hukum"]
    assert "wassalamualaikum" not in asked
    opened = "Pagi kak, saya Rina. Jadi mau tanya: syarat SIP bidan apa?"
    assert [t.norm for t in question_part(opened, normalize(opened))] == ["syarat", "sip", "bidan", "apa"]


def test_sundanese_days_ask_the_time_limit(real_linker: ServiceLinker) -> None:
    assert _values(_run(real_linker, "SIP bidan sabaraha dinten réngséna?"), "komponen") == ["jangka_waktu"]


def test_several_regions_named_are_all_given_and_do_not_filter(real_linker: ServiceLinker) -> None:
    entities = _run(real_linker, "bandingkan persyaratan PIRT di Balangan dan OKI")
    assert _values(entities, "wilayah") == ["balangan", "ogan-komering-ilir"]
    assert set(_values(entities, "layanan_kandidat")) == {
        "balangan-sertifikat-produksi-pangan-industri-rumah-tangga",
        "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga",
    }


@pytest.mark.parametrize(
    "text, words",
    [
        ("terus izin operasionalnya?", "izin operasional"),
        ("TERUS PERLUASANNYA?", "perluasan"),
        ("kalau yang pendaftarannya?", "daftar"),
        ("terus izin usahanya?", "izin usaha"),
    ],
)
def test_part_of_a_family_name_is_given_for_the_dialogue_to_resolve(
    real_linker: ServiceLinker, text: str, words: str
) -> None:
    entities = _run(real_linker, text)
    assert _values(entities, "sebagian") == [words]
    assert _values(entities, "layanan") == [] and _values(entities, "layanan_kandidat") == []


def test_application_numbers_are_never_searched_as_names(real_linker: ServiceLinker) -> None:
    for text in ("cek status permohonan SIP/0117/BLG/2026", "cek status sip 0117 blg 2026"):
        entities = _run(real_linker, text)
        assert _values(entities, "layanan") == [] and _values(entities, "layanan_kandidat") == []


def test_what_masking_depends_on_decides_retraining(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TextNormalizer's training fingerprint changes with the names of the knowledge base."""
    from bot.nlu.normalizer import TextNormalizer

    first = KnowledgeIndex.build(STANDARDS, REGIONS)
    linker_module.clear_index_cache()
    monkeypatch.setattr(linker_module, "load_knowledge_index", lambda url: first)
    config = {**TextNormalizer.get_default_config(), "database_url": "sqlite://"}
    before = TextNormalizer.fingerprint_addon(config)
    assert before == TextNormalizer.fingerprint_addon(config)
    linker_module.clear_index_cache()
    added = StandardSummary("balangan-x", "balangan", 99, "Izin Baru Sekali", "umum", ("IBS",))
    bigger = KnowledgeIndex.build([*STANDARDS, added], REGIONS)
    monkeypatch.setattr(linker_module, "load_knowledge_index", lambda url: bigger)
    assert TextNormalizer.fingerprint_addon(config) != before
    assert TextNormalizer.fingerprint_addon({**config, "mask_knowledge": False}) is None
    linker_module.clear_index_cache()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ya", "ya"),
        ("Iya kirim kak", "ya"),
        ("ok, sudah benar", "ya"),
        ("batal", "batal"),
        ("/batal", "batal"),
        ("gak jadi deh", "batal"),
        ("ya batal aja", "batal"),
        ("tidak", "tidak"),
        ("tdk ada", "lewati"),
        ("skip aja min", "lewati"),
        ("ya tidak", None),  # a mixture is no reply
        ("sip bidan", None),  # a question, not a reply
        ("batal bikin izin usaha gimana caranya ya kak", None),  # too long to be a reply
    ],
)
def test_short_form_replies(text, expected):
    values = link(None, text).values("jawaban")
    assert values == ([expected] if expected else [])


@pytest.mark.parametrize(
    "text, entity, value",
    [
        # a slip in a region name of several words
        ("sementaara itu untuk wilayah Ogan Komeringg Ilir?", "wilayah", "ogan-komering-ilir"),
        ("kantor perizinan Ogan Kmering Ilir pynya nomor telepon?", "wilayah", "ogan-komering-ilir"),
        ("penerbitan izin koperasi simpan pinjam berdasarkan ketentuan apa", "komponen", "dasar_hukum"),
        ("petugas loket di kabupaten OKI wajib bisa pakai komputer", "komponen", "kompetensi"),
        ("perlengkapan apa yg dipakai petugas saat melayani izin apotek?", "komponen", "sarana"),
        # Banjar: nang (yang), musti (harus), gasan (untuk)
        ("apa haja nang musti ulun siapakan gasan izin apotek?", "komponen", "persyaratan"),
        ("bisa ngurus izin apotek tanpa pasfoto 4x6?", "jenis_tanya", "ya_tidak"),
        # a word spelled right is no typo of a name word ("pendakian" / "pendidikan"); served here
        ("APAKAH IZIN PENDAKIAN GUNUNG DILAYANI DI KANTOR INI?", "luar_layanan", "IZIN PENDAKIAN"),
        # a thing no office handles outweighs a service found by one shared word ("anak")
        (
            "anak baru lahir, mau dimasukkan ke kartu keluarga caranya gimana ya kak",
            "luar_layanan",
            "KTP / KK / akta (Disdukcapil)",
        ),
    ],
)
def test_cues_written_several_ways(real_linker: ServiceLinker, text: str, entity: str, value: str) -> None:
    assert _values(_run(real_linker, text), entity) == [value]


def test_a_request_in_a_letter_is_its_own_sentence_not_the_closing_after_it(
    real_linker: ServiceLinker,
) -> None:
    text = (
        "Yth. Bapak/Ibu Petugas DPMPTSP,\nSehubungan dengan rencana kami menambah layanan rontgen, kami "
        "mohon informasi persyaratan izin pelayanan radiologi diagnostik. Atas bantuan dan kerja samanya "
        "kami ucapkan terima kasih."
    )
    entities = _run(real_linker, text)
    assert _values(entities, "layanan") == ["balangan-izin-pelayanan-radiologi-diagnostik"]
    assert _values(entities, "komponen") == ["persyaratan"]
