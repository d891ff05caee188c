"""The kinds of question beyond "component X of standard Y" (actions/answers.py router):
office-level questions, detail questions answered by one line, yes/no about what is not listed,
follow-ups to a related service, thresholds, the staff's comparisons and filtered lists, and
permits no office here has. Entities are given the way the NLU (bot/nlu/linking.py) sets them.

Its own small knowledge base: four Balangan standards that share an internal component (with one
that differs), a hospital family, a plantation pair whose registration states a threshold, a
cooperative family.
"""

from __future__ import annotations

import pytest

from actions.answers import (
    ActionDiLuarLayanan,
    ActionFallbackLayanan,
    ActionJawabKomponen,
    ActionJawabLayanan,
)
from actions.browse import ActionDaftarLayanan
from actions.contact import ActionKontakKantor
from tests.conftest import make_tracker
from tests.unit.actions.conftest import REGIONS, standard, write_knowledge

B = "balangan-"
KOMPETENSI = {"teks": "", "butir": ["Memahami peraturan perizinan", "Mampu mengoperasikan komputer"]}
SARANA = {"teks": "", "butir": ["Tempat parkir", "Ruang tunggu", "Toilet"]}

STANDARDS = [
    standard(
        "balangan",
        "izin-mendirikan-rumah-sakit",
        "Izin Mendirikan Rumah Sakit",
        "kesehatan",
        1,
        kompetensi=KOMPETENSI,
        sarana=SARANA,
        persyaratan={
            "teks": "",
            "butir": ["Surat permohonan", "Surat keterangan domisili usaha", "Studi kelayakan"],
        },
        prosedur={
            "teks": "",
            "butir": ["Pemohon mendaftar", "Verifikasi berkas", "Kepala Dinas menandatangani izin"],
        },
        biaya={"teks": "Tidak dipungut biaya", "rupiah": 0},
        jangka_waktu={"teks": "14 hari kerja", "hari_kerja_maks": 14},
    ),
    standard(
        "balangan",
        "izin-operasional-rumah-sakit",
        "Izin Operasional Rumah Sakit",
        "kesehatan",
        2,
        kompetensi=KOMPETENSI,
        sarana=SARANA,
        pengawasan={"teks": "", "butir": ["Atasan langsung yang menguasai perumahsakitan"]},
        persyaratan={"teks": "", "butir": ["Surat permohonan", "Izin mendirikan rumah sakit"]},
        prosedur={"teks": "", "butir": ["Petugas menerima berkas dengan rekomendasi Dinas Kesehatan"]},
        biaya={"teks": "Tidak dipungut biaya", "rupiah": 0},
        jangka_waktu={"teks": "12 hari kerja", "hari_kerja_maks": 12},
    ),
    standard(
        "balangan",
        "izin-operasional-klinik",
        "Izin Operasional Klinik",
        "kesehatan",
        3,
        kompetensi=KOMPETENSI,
        sarana=SARANA,
        persyaratan={"teks": "", "butir": ["Surat keterangan sehat dokter penanggung jawab"]},
        biaya={"teks": "Rp 500.000", "rupiah": 500000},
        jangka_waktu={"teks": "5 hari kerja", "hari_kerja_maks": 5},
    ),
    standard(
        "balangan",
        "izin-usaha-perkebunan",
        "Izin Usaha Perkebunan",
        "pertanian",
        4,
        kompetensi={"teks": "", "butir": ["Memahami teknis perkebunan"]},
        sarana=SARANA,
        persyaratan={"teks": "", "butir": ["NIB", "Izin lokasi", "NPWP perusahaan"]},
    ),
    standard(
        "balangan",
        "pendaftaran-usaha-perkebunan",
        "Pendaftaran Usaha Perkebunan",
        "pertanian",
        5,
        kompetensi=KOMPETENSI,
        sarana=SARANA,
        persyaratan={
            "teks": "",
            "butir": ["NIB", "Luas lahan perkebunan kurang dari 25 (dua puluh lima) hektare"],
        },
    ),
    standard(
        "balangan",
        "izin-koperasi-simpan-pinjam",
        "Izin Koperasi Simpan Pinjam",
        "koperasi",
        6,
        kompetensi=KOMPETENSI,
        sarana=SARANA,
    ),
    # Thresholds of time ("paling sedikit 2 (dua) tahun"); the legal basis has years that are none.
    *(
        standard(
            "balangan",
            slug,
            nama,
            "koperasi",
            nomor,
            kompetensi=KOMPETENSI,
            sarana=SARANA,
            persyaratan={"teks": "", "butir": ["NIB", *syarat]},
            dasar_hukum={"teks": "", "butir": ["Peraturan Menteri Koperasi Nomor 9 Tahun 2018"]},
            jumlah_pelaksana={"teks": "Petugas loket 2 orang", "butir": []},
        )
        for nomor, (slug, nama, syarat) in enumerate(
            [
                (
                    "izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam",
                    "Izin Pembukaan Kantor Cabang Koperasi Simpan Pinjam",
                    [
                        "Telah melaksanakan kegiatan simpan pinjam paling sedikit 2 (dua) tahun",
                        "Memiliki modal kerja untuk Kantor Cabang minimal sebesar Rp15.000.000,00",
                        "Memiliki rencana kerja Kantor Cabang paling sedikit 1 (satu) tahun",
                    ],
                ),
                (
                    "izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam",
                    "Izin Pembukaan Kantor Cabang Pembantu Koperasi Simpan Pinjam",
                    [
                        "Kantor Cabang telah melaksanakan kegiatan paling sedikit 6 (enam) bulan",
                        "Mempunyai anggota paling sedikit 20 (dua puluh) orang di daerah yang akan dibuka",
                    ],
                ),
            ],
            start=7,
        )
    ),
    standard(
        "ogan-komering-ilir",
        "izin-operasional-klinik",
        "Izin Operasional Klinik",
        "kesehatan",
        1,
        biaya={"teks": "Rp 750.000", "rupiah": 750000},
        persyaratan={"teks": "", "butir": ["Surat permohonan OKI", "Denah lokasi"]},
    ),
]


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    from bot.db import dispose, session_factory
    from bot.knowledge.loader import load
    from tests.unit.actions import conftest

    root = tmp_path_factory.mktemp("questions-kb")
    saved = conftest.STANDARDS
    conftest.STANDARDS = STANDARDS
    try:
        write_knowledge(root / "knowledge")
    finally:
        conftest.STANDARDS = saved
    url = f"sqlite:///{root / 'kb.db'}"
    load(root / "knowledge", url=url)
    yield session_factory(url)
    dispose(url)


@pytest.fixture
def ask(factory, monkeypatch):
    from rasa_sdk.executor import CollectingDispatcher

    monkeypatch.delenv("PANDU_WILAYAH_DEFAULT", raising=False)

    async def run(action_class, tracker):
        dispatcher = CollectingDispatcher()
        events = await action_class(session_factory=factory).run(dispatcher, tracker, {})
        text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
        return events, dispatcher.messages, text

    return run


def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


assert len(REGIONS) == 2  # the regions of the shared test knowledge base


# --- office-level ------------------------------------------------------------------------------
async def test_an_internal_component_shared_by_most_standards_is_the_offices_answer(ask):
    tracker = make_tracker(
        "petugasnya harus punya keahlian apa?",
        "ask_komponen_internal",
        [("komponen", "kompetensi", "keahlian"), ("wilayah", "balangan", "")],
    )
    _, messages, text = await ask(ActionJawabKomponen, tracker)
    assert "Kompetensi Pelaksana di DPMPTSP Kabupaten Balangan" in text
    assert "sama untuk 7 dari 8 layanan; berbeda: Izin Usaha Perkebunan" in text
    assert "1. Memahami peraturan perizinan" in text and "Memahami teknis perkebunan" not in text
    assert "Sumber: Standar Pelayanan Kabupaten Balangan" in text


async def test_office_question_with_a_detail_shows_the_line_first(ask):
    tracker = make_tracker(
        "di kantor DPMPTSP Balangan ada tempat parkir?",
        "ask_komponen_internal",
        [
            ("kantor", "ya", "di kantor"),
            ("wilayah", "balangan", "Balangan"),
            ("komponen", "sarana", "tempat parkir"),
            ("rincian", "parkir", "parkir"),
        ],
        slots={"layanan": B + "izin-operasional-klinik"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert text.index("[Sarana/prasarana] 1. Tempat parkir") < text.index("berlaku untuk semua 8 layanan")


async def test_a_facility_asked_as_the_offices_contacts_is_answered_from_the_standards(ask):
    # DIET took "ada toilet gak di sana?" for the contacts intent; the facilities name it.
    tracker = make_tracker(
        "besok mau ke kantor DPMPTSP Balangan, ada toilet gak di sana?",
        "tanya_kontak_kantor",
        [
            ("kantor", "ya", "kantor DPMPTSP"),
            ("wilayah", "balangan", "Balangan"),
            ("rincian", "toilet sana", "toilet"),
        ],
    )
    _, _, text = await ask(ActionKontakKantor, tracker)
    assert "[Sarana/prasarana] 3. Toilet" in text
    assert "Sarana, Prasarana dan/atau Fasilitas di DPMPTSP Kabupaten Balangan" in text


async def test_a_contact_question_whose_words_only_share_a_stem_stays_the_contacts(ask):
    # "buka" is a stem of "pembukaan" in a name; "jam" of "jaminan": the office hours are asked.
    tracker = make_tracker(
        "kantor dpmptsp balangan buka jam berapa",
        "tanya_kontak_kantor",
        [
            ("kantor", "ya", "kantor dpmptsp"),
            ("wilayah", "balangan", "balangan"),
            ("rincian", "buka jam", "buka"),
        ],
    )
    _, _, text = await ask(ActionKontakKantor, tracker)
    assert text.startswith("Untuk bantuan langsung, hubungi petugas:")


async def test_a_service_component_is_not_answered_office_wide_unless_the_office_is_asked(ask):
    no_context = make_tracker("biayanya berapa?", "ask_biaya", [("komponen", "biaya", "biaya")])
    _, messages, _ = await ask(ActionJawabKomponen, no_context)
    assert [m["response"] for m in messages] == ["utter_ask_layanan"]


# --- detail questions ----------------------------------------------------------------------------
async def test_a_detail_question_is_answered_by_its_line(ask):
    tracker = make_tracker(
        "siapa yang menandatangani izinnya?",
        "ask_prosedur",
        [("rincian", "menandatangani", "menandatangani"), ("jenis_tanya", "siapa", "siapa")],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    lines = text.splitlines()
    assert lines[1] == "[Prosedur] 3. Kepala Dinas menandatangani izin"
    assert "Sumber: Izin Mendirikan Rumah Sakit" in text


async def test_a_yes_no_question_about_a_listed_document(ask):
    tracker = make_tracker(
        "apakah perlu surat domisili?",
        "ask_persyaratan",
        [("rincian", "surat domisili", "surat domisili"), ("jenis_tanya", "ya_tidak", "apakah")],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Persyaratan] 2. Surat keterangan domisili usaha" in text
    assert "3. Studi kelayakan" in text  # then the whole component asked about


async def test_a_yes_no_question_about_a_document_not_listed_says_so(ask):
    tracker = make_tracker(
        "apakah perlu rekomendasi camat?",
        "ask_persyaratan",
        [("rincian", "rekomendasi camat", "rekomendasi camat"), ("jenis_tanya", "ya_tidak", "apakah")],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert '"rekomendasi camat" tidak tercantum dalam Persyaratan Izin Mendirikan Rumah Sakit' in text
    assert "1. Surat permohonan" in text and "Sumber: Izin Mendirikan Rumah Sakit" in text


async def test_the_services_own_name_words_find_no_line_of_it(real_knowledge_factory, monkeypatch):
    # "barang" is left of the name beside the mention; it finds only the line naming the product
    from rasa_sdk.executor import CollectingDispatcher

    monkeypatch.delenv("PANDU_WILAYAH_DEFAULT", raising=False)
    service = "balangan-izin-penyelenggaraan-pengumpulan-uang-dan-barang"
    tracker = make_tracker(
        "apa izin lingkungan diminta juga untuk Izin Penyelenggaraan Pengumpulan Uang dan Barang?",
        "ask_persyaratan",
        [
            ("layanan", service, "Izin Penyelenggaraan Pengumpulan Uang"),
            ("jenis_tanya", "ya_tidak", "diminta"),
            ("rincian", "izin lingkungan barang", "izin lingkungan"),
        ],
    )
    dispatcher = CollectingDispatcher()
    await ActionJawabKomponen(session_factory=real_knowledge_factory).run(dispatcher, tracker, {})
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert '"izin lingkungan" tidak tercantum dalam Persyaratan Izin Penyelenggaraan Pengumpulan' in text


async def test_a_document_sharing_only_its_kind_words_with_a_line_is_not_listed(ask):
    # "Surat keterangan domisili usaha" is listed; a health certificate is not (the clinic's is).
    tracker = make_tracker(
        "surat keterangan sehat perlu dibawa?",
        "ask_persyaratan",
        [
            ("rincian", "surat keterangan sehat", "surat keterangan sehat"),
            ("jenis_tanya", "ya_tidak", "perlu"),
        ],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert '"surat keterangan sehat" tidak tercantum dalam Persyaratan Izin Mendirikan Rumah Sakit' in text


async def test_a_document_named_only_in_another_component_shows_that_line(ask):
    tracker = make_tracker(
        "perlu rekomendasi dinas kesehatan ga?",
        "ask_persyaratan",
        [("rincian", "rekomendasi dinas kesehatan", "rekomendasi dinas kesehatan")],
        slots={"layanan": B + "izin-operasional-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Prosedur] 1. Petugas menerima berkas dengan rekomendasi Dinas Kesehatan" in text
    assert "2. Izin mendirikan rumah sakit" in text  # then the requirements asked about


async def test_a_long_clause_about_a_document_finds_the_line_that_names_the_document(ask):
    tracker = make_tracker(
        "berkasnya harus disertai rekomendasi dulu baru diterima petugas?",
        "ask_persyaratan",
        [
            (
                "rincian",
                "disertai rekomendasi dulu diterima petugas",
                "disertai rekomendasi dulu baru diterima",
            ),
            ("jenis_tanya", "ya_tidak", "harus"),  # as the linker reads "harus ... ?"
        ],
        slots={"layanan": B + "izin-operasional-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Prosedur] 1. Petugas menerima berkas dengan rekomendasi Dinas Kesehatan" in text


def _discussed(layanan: str, text: str) -> list[dict]:
    """The events of a conversation about `layanan` until `text` (its entity fills the slot anew)."""
    return [{"event": "slot", "name": "layanan", "value": layanan}, {"event": "user", "text": text}]


async def test_another_service_attached_is_a_document_of_the_current_one(ask):
    tracker = make_tracker(
        "izin mendirikan rumah sakitnya dilampirkan juga?",
        "ask_persyaratan",
        [
            ("layanan", B + "izin-mendirikan-rumah-sakit", "izin mendirikan rumah sakit"),
            ("komponen", "persyaratan", "dilampirkan"),
        ],
    )
    tracker.events = _discussed(B + "izin-operasional-rumah-sakit", tracker.latest_message["text"])
    events, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Persyaratan] 2. Izin mendirikan rumah sakit" in text
    assert "Sumber: Izin Operasional Rumah Sakit" in text
    assert {"event": "slot", "name": "layanan", "value": B + "izin-operasional-rumah-sakit"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    # not listed by the clinic permit: said so, still about the clinic
    tracker = make_tracker(
        "izin mendirikan rumah sakit dilampirkan?",
        "ask_persyaratan",
        [
            ("layanan", B + "izin-mendirikan-rumah-sakit", "izin mendirikan rumah sakit"),
            ("komponen", "persyaratan", "dilampirkan"),
        ],
    )
    tracker.events = _discussed(B + "izin-operasional-klinik", tracker.latest_message["text"])
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "tidak tercantum dalam Persyaratan Izin Operasional Klinik" in text


async def test_a_thing_no_office_handles_that_a_line_lists_is_asked_as_a_document(ask):
    # "izin lokasi" alone would be a permit wanted; the plantation permit's requirements list it
    tracker = make_tracker(
        "izin lokasinya cukup fotokopi?",
        "ask_persyaratan",
        [("luar_layanan", "izin lokasi", "izin lokasi")],
        slots={"layanan": B + "izin-usaha-perkebunan"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Persyaratan] 2. Izin lokasi" in text and "Sumber: Izin Usaha Perkebunan" in text
    assert "tidak termasuk" not in text


async def test_a_line_asked_with_the_overview_intent_is_answered_with_the_line(ask):
    tracker = make_tracker(
        "studi kelayakannya dibuat konsultan atau sendiri?",
        "ask_ringkasan",
        [("rincian", "studi kelayakan konsultan", "studi kelayakannya")],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "[Persyaratan] 3. Studi kelayakan" in text


async def test_a_thing_handed_in_asks_whether_it_is_required(ask):
    tracker = make_tracker(
        "izin operasional rumah sakit, buku uji KIR ambulansnya dilampirkan?",
        "ask_persyaratan",
        [
            ("layanan", B + "izin-operasional-rumah-sakit", "izin operasional rumah sakit"),
            ("rincian", "buku uji kir ambulans", "buku uji KIR ambulansnya"),
            ("komponen", "persyaratan", "dilampirkan"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "tidak tercantum dalam Persyaratan Izin Operasional Rumah Sakit" in text
    # what is handed in, asked as a list, is the requirements
    tracker = make_tracker(
        "izin operasional rumah sakit, apa yang dilampirkan?",
        "ask_persyaratan",
        [
            ("layanan", B + "izin-operasional-rumah-sakit", "izin operasional rumah sakit"),
            ("komponen", "persyaratan", "dilampirkan"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "tidak tercantum" not in text and "2. Izin mendirikan rumah sakit" in text


async def test_the_requirements_of_another_service_asked_are_its_own(ask):
    tracker = make_tracker(
        "syarat izin mendirikan rumah sakit yang dilampirkan apa?",
        "ask_persyaratan",
        [
            ("komponen", "persyaratan", "syarat"),
            ("layanan", B + "izin-mendirikan-rumah-sakit", "izin mendirikan rumah sakit"),
            ("komponen", "persyaratan", "dilampirkan"),
        ],
    )
    tracker.events = _discussed(B + "izin-operasional-rumah-sakit", tracker.latest_message["text"])
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "3. Studi kelayakan" in text and "Izin Mendirikan Rumah Sakit" in text
    assert "tidak tercantum" not in text


async def test_a_document_is_not_a_word_that_merely_shares_its_stem(ask):
    tracker = make_tracker(
        "apakah perlu surat kuasa?",
        "ask_persyaratan",
        [("rincian", "surat kuasa", "surat kuasa"), ("jenis_tanya", "ya_tidak", "apakah")],
        slots={"layanan": B + "izin-operasional-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert '"surat kuasa" tidak tercantum dalam Persyaratan Izin Operasional Rumah Sakit' in text
    assert "menguasai" not in text


# --- follow-ups naming part of a related service --------------------------------------------------
async def test_a_follow_up_resolves_among_the_current_services_family(ask):
    tracker = make_tracker(
        "terus izin operasionalnya?",
        "inform_layanan",
        [
            ("layanan_kandidat", B + "izin-operasional-klinik", "izin operasional"),
            ("layanan_kandidat", B + "izin-operasional-rumah-sakit", "izin operasional"),
        ],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit", "komponen": "biaya"},
    )
    events, _, text = await ask(ActionJawabLayanan, tracker)
    assert slots(events)["layanan"] == B + "izin-operasional-rumah-sakit"
    assert "Biaya/Tarif - Izin Operasional Rumah Sakit" in text


# --- thresholds ----------------------------------------------------------------------------------
async def test_a_threshold_question_gets_each_candidates_threshold_line(ask):
    tracker = make_tracker(
        "kebun saya 30 hektar, cukup daftar atau harus izin usaha?",
        "inform_layanan",
        [("layanan", B + "izin-usaha-perkebunan", "izin usaha"), ("ambang", "ya", "hektar")],
    )
    _, messages, text = await ask(ActionJawabLayanan, tracker)
    assert "Luas lahan perkebunan kurang dari 25 (dua puluh lima) hektare" in text
    assert "Izin Usaha Perkebunan (Kabupaten Balangan): batas" in text
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert any("pendaftaran-usaha-perkebunan" in p for p in payloads)


PEMBANTU = B + "izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam"


async def test_a_threshold_of_time_compares_the_closest_relatives_not_their_legal_basis(ask):
    # "pembantu" is a word only one name has: the candidates are its closest relatives.
    tracker = make_tracker(
        "ksp kami baru berjalan 1,5 tahun, bisa buka kantor cabang atau cuma cabang pembantu?",
        "inform_layanan",
        [
            ("layanan", PEMBANTU, "cabang pembantu"),
            ("ambang", "ya", "1,5 tahun"),
        ],
    )
    _, _, text = await ask(ActionJawabLayanan, tracker)
    assert "paling sedikit 2 (dua) tahun" in text
    assert "paling sedikit 6 (enam) bulan" in text
    assert "Nomor 9 Tahun 2018" not in text and "2 orang" not in text


async def test_the_lines_that_measure_what_was_asked_come_first(ask):
    # "kami 3,5 tahun": the lines about how long the cooperative has run, not its capital.
    tracker = make_tracker(
        "usaha simpan pinjam kami 3,5 tahun, mau tambah kantor. pilihannya cabang atau capem?",
        "inform_layanan",
        [("layanan", PEMBANTU, "capem"), ("ambang", "waktu", "3,5 tahun")],
    )
    _, _, text = await ask(ActionJawabLayanan, tracker)
    assert "kegiatan simpan pinjam paling sedikit 2 (dua) tahun" in text
    assert "paling sedikit 6 (enam) bulan" in text
    assert "Rp15.000.000,00" not in text


async def test_a_threshold_of_people_shows_the_members_line(ask):
    tracker = make_tracker(
        "anggota kami di kecamatan itu baru 12 orang, boleh buka capem?",
        "inform_layanan",
        [("layanan", PEMBANTU, "capem"), ("ambang", "orang", "12 orang")],
    )
    _, _, text = await ask(ActionJawabLayanan, tracker)
    assert "Mempunyai anggota paling sedikit 20 (dua puluh) orang" in text


async def test_a_threshold_asked_of_a_sector_shows_the_services_whose_lines_measure_it(ask):
    # No service named: the sector's services that state a threshold of people, not of time.
    tracker = make_tracker(
        "anggota kami di kecamatan itu baru 35 orang, sudah bisa buka jaringan pelayanan koperasi?",
        "nlu_fallback",
        [
            ("sektor", "koperasi", "koperasi"),
            ("ambang", "orang", "35 orang"),
            ("rincian", "anggota kecamatan buka jaringan", "anggota"),
        ],
    )
    _, messages, text = await ask(ActionFallbackLayanan, tracker)
    members = text.index("Mempunyai anggota paling sedikit 20 (dua puluh) orang")
    # the one whose lines measure members first, then its relatives beside it
    pembantu = "Izin Pembukaan Kantor Cabang Pembantu Koperasi Simpan Pinjam (Kabupaten Balangan):"
    cabang = "Izin Pembukaan Kantor Cabang Koperasi Simpan Pinjam (Kabupaten Balangan):"
    assert text.index(pembantu) < members < text.index(cabang)
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert any(PEMBANTU in p for p in payloads)


async def test_a_threshold_question_that_asks_a_component_gets_both(ask):
    tracker = make_tracker(
        "kebun saya 10 hektar, cukup daftar usaha perkebunan? syaratnya apa",
        "ask_persyaratan",
        [
            ("layanan", B + "pendaftaran-usaha-perkebunan", "daftar usaha perkebunan"),
            ("ambang", "ya", "10 hektar"),
            ("komponen", "persyaratan", "syaratnya"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Batas yang disebut dalam standar pelayanan:" in text
    assert "Persyaratan - Pendaftaran Usaha Perkebunan" in text


# --- staff quick reference -------------------------------------------------------------------------
async def test_one_service_compared_side_by_side(ask):
    tracker = make_tracker(
        "bandingkan biaya izin klinik di balangan dan oki",
        "ask_biaya",
        [
            ("perbandingan", "ya", "bandingkan"),
            ("komponen", "biaya", "biaya"),
            ("layanan", B + "izin-operasional-klinik", "izin klinik"),
            ("wilayah", "balangan", "balangan"),
            ("wilayah", "ogan-komering-ilir", "oki"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Rp 500.000" in text and "Rp 750.000" in text
    assert "Sumber: Izin Operasional Klinik, Kabupaten Ogan Komering Ilir" in text


async def test_two_services_named_are_compared_side_by_side(ask):
    tracker = make_tracker(
        "bandingkan biaya izin operasional klinik dengan izin operasional rumah sakit",
        "ask_biaya",
        [
            ("perbandingan", "ya", "bandingkan"),
            ("komponen", "biaya", "biaya"),
            ("layanan_kandidat", B + "izin-operasional-klinik", "izin operasional klinik"),
            ("layanan_kandidat", B + "izin-operasional-rumah-sakit", "izin operasional rumah sakit"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Perbandingan 2 layanan:" in text and "Rp 500.000" in text and "Tidak dipungut biaya" in text
    assert "Maksud Anda yang mana" not in text
    # one loose name's candidates are no services named one by one
    tracker = make_tracker(
        "bandingkan biaya izin rumah sakit",
        "ask_biaya",
        [
            ("perbandingan", "ya", "bandingkan"),
            ("komponen", "biaya", "biaya"),
            ("layanan_kandidat", B + "izin-mendirikan-rumah-sakit", "izin rumah sakit"),
            ("layanan_kandidat", B + "izin-operasional-rumah-sakit", "izin rumah sakit"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "layanan:" not in text.split("\n")[0]


async def test_the_free_services_of_a_sector(ask):
    tracker = make_tracker(
        "layanan kesehatan apa saja yang gratis",
        "browse_layanan",
        [("sektor", "kesehatan", "kesehatan"), ("saringan", "gratis", "gratis"), ("wilayah", "balangan", "")],
    )
    events, _, text = await ask(ActionDaftarLayanan, tracker)
    assert "Izin Mendirikan Rumah Sakit" in text and "Izin Operasional Rumah Sakit" in text
    assert "Izin Operasional Klinik" not in text
    assert set(slots(events)["layanan_kandidat"]) == {
        B + "izin-mendirikan-rumah-sakit",
        B + "izin-operasional-rumah-sakit",
    }


async def test_the_longest_and_the_services_that_need_a_document(ask):
    longest = make_tracker(
        "izin kesehatan mana yang paling lama",
        "browse_layanan",
        [
            ("sektor", "kesehatan", "kesehatan"),
            ("saringan", "terlama", "paling lama"),
            ("wilayah", "balangan", ""),
        ],
    )
    _, _, text = await ask(ActionDaftarLayanan, longest)
    assert "Izin Mendirikan Rumah Sakit (Kabupaten Balangan): 14 hari kerja" in text
    needs = make_tracker(
        "izin apa saja yang butuh NPWP",
        "browse_layanan",
        [("saringan", "dokumen", "yang butuh"), ("rincian", "npwp", "NPWP"), ("wilayah", "balangan", "")],
    )
    _, _, text = await ask(ActionDaftarLayanan, needs)
    assert "Izin Usaha Perkebunan (Kabupaten Balangan): NPWP perusahaan" in text
    assert "Pendaftaran Usaha Perkebunan" not in text


# --- out of scope ----------------------------------------------------------------------------------
async def test_a_permit_no_office_has_is_said_plainly_with_contacts(ask):
    tracker = make_tracker("syarat bikin paspor", "out_of_scope", [("luar_layanan", "paspor", "paspor")])
    _, messages, text = await ask(ActionDiLuarLayanan, tracker)
    assert messages[0]["response"] == "utter_bukan_layanan_kami" and messages[0]["jumlah"] == len(STANDARDS)
    assert "0526-000111" in text  # every office's contacts (no region known)
    assert "Sumber: Izin" not in text


async def test_chit_chat_out_of_scope_stays_polite(ask):
    _, messages, _ = await ask(ActionDiLuarLayanan, make_tracker("siapa juara liga", "out_of_scope"))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]


async def test_a_list_intent_with_one_service_named_answers_about_it(ask):
    tracker = make_tracker(
        "apakah untuk izin klinik perlu surat domisili?",
        "browse_layanan",
        [("layanan", B + "izin-operasional-klinik", "izin klinik"), ("jenis_tanya", "ya_tidak", "apakah")],
    )
    _, _, text = await ask(ActionDaftarLayanan, tracker)
    assert "Izin Operasional Klinik (Kabupaten Balangan)" in text and "Pilih sektor" not in text


async def test_part_of_a_family_name_is_the_current_services_relative(ask):
    tracker = make_tracker(
        "terus pendaftarannya?",
        "inform_layanan",
        [("sebagian", "daftar", "pendaftarannya")],
        slots={"layanan": B + "izin-usaha-perkebunan", "komponen": "persyaratan"},
    )
    events, _, text = await ask(ActionJawabLayanan, tracker)
    assert slots(events)["layanan"] == B + "pendaftaran-usaha-perkebunan"
    assert "Persyaratan - Pendaftaran Usaha Perkebunan" in text


async def test_a_partial_name_picks_the_closest_member_of_the_family(ask):
    # Both branch permits share "koperasi simpan pinjam" with the current one; the words the person
    # said ("kantor cabang") decide nothing, the words neither said nor shared decide: the branch
    # office, not the sub-branch office.
    tracker = make_tracker(
        "kalau buka kantor cabangnya?",
        "inform_layanan",
        [("sebagian", "kantor cabang", "kantor cabangnya")],
        slots={"layanan": B + "izin-koperasi-simpan-pinjam", "komponen": "persyaratan"},
    )
    events, _, text = await ask(ActionJawabLayanan, tracker)
    assert slots(events)["layanan"] == B + "izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam"
    assert "Persyaratan - Izin Pembukaan Kantor Cabang Koperasi Simpan Pinjam" in text


async def test_a_switch_to_words_only_a_relatives_name_has_moves_to_that_relative(ask):
    # "pembantu" is in no word of the branch-office permit's name, only in the sub-branch one's.
    tracker = make_tracker(
        "lalu untuk yang pembantu, biayanya?",
        "ask_biaya",
        [("peralihan", "ya", "lalu untuk"), ("rincian", "pembantu", "pembantu")],
        slots={"layanan": B + "izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam"},
    )
    events, _, text = await ask(ActionJawabKomponen, tracker)
    assert slots(events)["layanan"] == B + "izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam"
    assert "Biaya/Tarif - Izin Pembukaan Kantor Cabang Pembantu Koperasi Simpan Pinjam" in text


async def test_a_bare_switch_to_a_relatives_words_is_understood_not_unknown(ask):
    tracker = make_tracker(
        "terus kalau yang pembantu gimana",
        "inform_layanan",
        [("peralihan", "ya", "terus kalau"), ("rincian", "pembantu", "pembantu")],
        slots={"layanan": B + "izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam", "komponen": "biaya"},
    )
    events, _, text = await ask(ActionJawabLayanan, tracker)
    assert slots(events)["layanan"] == B + "izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam"
    assert "Biaya/Tarif - Izin Pembukaan Kantor Cabang Pembantu" in text


async def test_a_bare_switch_to_words_no_relative_has_is_still_not_found(ask):
    tracker = make_tracker(
        "terus kalau warung gimana",
        "inform_layanan",
        [("peralihan", "ya", "terus kalau"), ("rincian", "warung", "warung")],
        slots={"layanan": B + "izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam", "komponen": "biaya"},
    )
    _, messages, _ = await ask(ActionJawabLayanan, tracker)
    assert [m.get("response") for m in messages] == ["utter_layanan_tidak_ditemukan"]


async def test_a_switch_with_words_of_the_current_name_stays_with_it(ask):
    current = B + "izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam"
    tracker = make_tracker(
        "terus kalau yang pembantu?",
        "ask_biaya",
        [("peralihan", "ya", "terus kalau"), ("rincian", "pembantu", "pembantu")],
        slots={"layanan": current},
    )
    events, _, text = await ask(ActionJawabKomponen, tracker)
    assert slots(events).get("layanan", current) == current
    assert "Izin Pembukaan Kantor Cabang Pembantu Koperasi Simpan Pinjam" in text


async def test_a_switch_keeps_the_question_asked_before(ask):
    tracker = make_tracker(
        "untuk izin klinik bagaimana?",
        "ask_prosedur",  # "bagaimana" alone is taken for a procedure question
        [("layanan", B + "izin-operasional-klinik", "izin klinik"), ("peralihan", "ya", "untuk")],
        slots={"layanan": B + "izin-operasional-rumah-sakit", "komponen": "biaya"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Biaya/Tarif - Izin Operasional Klinik" in text and "Prosedur" not in text


async def test_a_service_question_taken_for_small_talk_is_answered(ask):
    from actions.answers import ActionKemampuan

    tracker = make_tracker(
        "kebun saya 30 hektar, cukup daftar atau harus izin usaha?",
        "bot_capabilities",
        [("layanan", B + "izin-usaha-perkebunan", "izin usaha"), ("ambang", "ya", "hektar")],
    )
    _, _, text = await ask(ActionKemampuan, tracker)
    assert "Luas lahan perkebunan kurang dari 25" in text
    _, messages, _ = await ask(ActionKemampuan, make_tracker("kamu bisa apa?", "bot_capabilities"))
    assert [m["response"] for m in messages] == ["utter_capabilities"]


async def test_a_document_named_beside_the_requirements_is_looked_for_among_them(ask):
    # "apa dalam pengajuan izin klinik diminta copy NPWP??": no "apakah", but a document asked of
    # the requirements
    tracker = make_tracker(
        "apa dalam pengajuan izin klinik diminta copy NPWP??",
        "ask_persyaratan",
        [
            ("layanan", B + "izin-operasional-klinik", "izin klinik"),
            ("komponen", "persyaratan", "diminta"),
            ("rincian", "pengajuan copy npwp", "pengajuan"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "tidak tercantum dalam Persyaratan Izin Operasional Klinik" in text


async def test_the_office_of_another_region_asked_for_a_service_component_is_that_services_namesake(ask):
    # "kantor OKI gimana syaratnya?" after Balangan's clinic permit: OKI's clinic permit
    tracker = make_tracker(
        "kantor OKI gimana syaratnya?",
        "ask_persyaratan",
        [
            ("kantor", "ya", "kantor"),
            ("wilayah", "ogan-komering-ilir", "OKI"),
            ("komponen", "persyaratan", "syarat"),
        ],
        slots={"layanan": B + "izin-operasional-klinik"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Surat permohonan OKI" in text and "Izin Operasional Klinik" in text


async def test_a_relatives_part_named_in_a_question_taken_for_out_of_scope_is_answered(ask):
    from actions.answers import ActionDiLuarLayanan

    tracker = make_tracker(
        "nah pendiriannya giana?",
        "out_of_scope",
        [("sebagian", "mendirikan", "pendiriannya"), ("peralihan", "ya", "nah")],
        slots={"layanan": B + "izin-operasional-rumah-sakit", "komponen": "biaya"},
    )
    _, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Izin Mendirikan Rumah Sakit" in text


async def test_an_office_question_about_a_line_outside_its_own_components_finds_that_line(ask):
    # "surat dari DPMPTSP Balangan ditandatangani kepala dinas?": the product is no office-wide
    # component, but the standards' lines say who signs
    tracker = make_tracker(
        "izin dari DPMPTSP Balangan ditandatangani kepala dinas?",
        "ask_produk",
        [
            ("kantor", "ya", "DPMPTSP"),
            ("wilayah", "balangan", "Balangan"),
            ("komponen", "produk", "izin"),
            ("rincian", "kepala dinas menandatangani", "kepala dinas"),
        ],
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Kepala Dinas menandatangani izin" in text


async def test_a_threshold_asked_of_a_sector_taken_for_out_of_scope_is_answered(ask):
    from actions.answers import ActionDiLuarLayanan

    tracker = make_tracker(
        "minimal umur koperasi untuk membuka kantor cabang berapa tahun?",
        "out_of_scope",
        [("sektor", "koperasi", "koperasi"), ("ambang", "waktu", "minimal"), ("rincian", "umur", "umur")],
    )
    _, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Telah melaksanakan kegiatan simpan pinjam paling sedikit 2 (dua) tahun" in text


# --- a conversation's service outweighs words that only look like another -----------------------
async def test_a_word_of_the_current_services_own_name_stays_with_it(ask):
    # "klinik kami cuma rawat jalan, tetap wajib ...?" about the clinic permit: "klinik" also names
    # other services, but the clinic permit is one of them
    tracker = make_tracker(
        "klinik kami cuma rawat jalan, surat keterangan sehat tetap wajib?",
        "ask_persyaratan",
        [
            ("layanan_kandidat", B + "izin-operasional-klinik", "klinik"),
            ("layanan_kandidat", "ogan-komering-ilir-izin-operasional-klinik", "klinik"),
            ("jenis_tanya", "ya_tidak", "wajib"),
            ("rincian", "surat keterangan sehat", "surat keterangan sehat"),
        ],
        slots={"layanan": B + "izin-operasional-klinik"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Surat keterangan sehat dokter penanggung jawab" in text and "Maksud Anda" not in text


async def test_names_of_no_relative_inside_a_yes_no_detail_question_stay_with_the_current_service(ask):
    # "bukti NIB perkebunan juga harus dilampirkan?" about the hospital permit: not a switch
    tracker = make_tracker(
        "bukti kalibrasi usaha perkebunan juga harus dilampirkan?",
        "ask_persyaratan",
        [
            ("layanan_kandidat", B + "izin-usaha-perkebunan", "usaha perkebunan"),
            ("layanan_kandidat", B + "pendaftaran-usaha-perkebunan", "usaha perkebunan"),
            ("jenis_tanya", "ya_tidak", "harus"),
            ("rincian", "bukti kalibrasi", "bukti kalibrasi"),
        ],
        slots={"layanan": B + "izin-operasional-rumah-sakit"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "tidak tercantum dalam Persyaratan Izin Operasional Rumah Sakit" in text


async def test_a_document_taken_for_a_thing_no_office_handles_is_the_current_services(ask):
    from actions.answers import ActionDiLuarLayanan

    # "surat domisilinya perlu dari kelurahan?" after the hospital permit: its domicile letter
    tracker = make_tracker(
        "surat domisilinya perlu dari kelurahan?",
        "out_of_scope",
        [
            ("jenis_tanya", "ya_tidak", "perlu"),
            ("luar_layanan", "surat domisilinya", "surat domisilinya"),
            ("rincian", "kelurahan", "kelurahan"),
        ],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    events, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Surat keterangan domisili usaha" in text
    assert slots(events).get("layanan") == B + "izin-mendirikan-rumah-sakit"
    # without a service in the conversation it is still no service of ours
    alone = make_tracker(
        tracker.latest_message["text"],
        "out_of_scope",
        [("luar_layanan", "surat domisilinya", "surat domisilinya")],
    )
    events, _, text = await ask(ActionDiLuarLayanan, alone)
    assert "Surat keterangan domisili" not in text and "hubungi petugas" in text
    assert slots(events).get("layanan") is None


async def test_words_a_line_of_the_current_service_names_are_a_question_about_it(ask):
    from actions.answers import ActionDiLuarLayanan

    tracker = make_tracker(
        "studi kelayakan kami sudah ada dari konsultan, itu cukup kan?",
        "out_of_scope",
        [("rincian", "studi kelayakan konsultan", "studi kelayakan")],
        slots={"layanan": B + "izin-mendirikan-rumah-sakit"},
    )
    _, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Studi kelayakan" in text


async def test_a_facility_asked_with_the_region_in_context_is_the_offices(ask):
    from actions.answers import ActionDiLuarLayanan

    tracker = make_tracker(
        "ada toilet buat pengunjung gitu",
        "out_of_scope",
        [("rincian", "toilet pengunjung", "toilet")],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Toilet" in text and "Kabupaten Balangan" in text


async def test_a_word_some_names_share_with_the_region_in_context_asks_the_office(ask):
    # "ruang" is no service; "tunggu" alone no name of ours; the office's facilities name both
    tracker = make_tracker(
        "ada ruang tunggu buat pengantar?",
        "ask_ringkasan",
        [
            ("layanan_kandidat", B + "izin-mendirikan-rumah-sakit", "ruang"),
            ("layanan_kandidat", B + "izin-operasional-rumah-sakit", "ruang"),
            ("rincian", "tunggu pengantar", "tunggu buat pengantar"),
        ],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionJawabLayanan, tracker)
    assert "Ruang tunggu" in text and "Kabupaten Balangan" in text
    assert "Maksud Anda yang mana" not in text
    # a thing no office handles that the office's lines name is asked of the office too
    tracker = make_tracker(
        "bisa numpang ke toilet?",
        "out_of_scope",
        [("luar_layanan", "toilet umum", "toilet")],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionJawabLayanan, tracker)
    assert "Toilet" in text and "tidak termasuk" not in text


async def test_how_to_reach_the_office_taken_for_unsure_gets_its_contacts(ask):
    tracker = make_tracker(
        "DPMPTSP Balangan bisa saya hubungi lewat apa saja?",
        "nlu_fallback",
        [("wilayah", "balangan", "Balangan"), ("komponen", "prosedur", "lewat apa")],
    )
    _, _, text = await ask(ActionFallbackLayanan, tracker)
    assert "Untuk bantuan langsung, hubungi petugas" in text
    assert "Prosedur" not in text
    # "nomor" of a certificate asks no contacts
    tracker = make_tracker(
        "nomor sertifikatnya dikasih sama bagian apa?",
        "nlu_fallback",
        [("rincian", "sertifikat bagian", "sertifikatnya")],
        slots={"layanan": B + "izin-operasional-klinik"},
    )
    _, _, text = await ask(ActionFallbackLayanan, tracker)
    assert "Untuk bantuan langsung, hubungi petugas" not in text


async def test_whether_this_office_serves_a_named_service_is_answered_with_it(ask):
    from actions.answers import ActionKemampuan

    tracker = make_tracker(
        "oh bukan ya. kalau izin klinik bisa di sini?",
        "bot_capabilities",
        [("layanan", B + "izin-operasional-klinik", "izin klinik"), ("peralihan", "ya", "kalau")],
    )
    _, _, text = await ask(ActionKemampuan, tracker)
    assert "Izin Operasional Klinik" in text
    tracker = make_tracker(
        "perpanjang SIM A bisa di kantor ini ga kak",
        "bot_capabilities",
        [("luar_layanan", "SIM (Surat Izin Mengemudi)", "SIM A")],
        slots={"wilayah": "balangan"},
    )
    _, messages, _ = await ask(ActionKemampuan, tracker)
    assert [m.get("response") for m in messages][:1] == ["utter_bukan_layanan_kami"]


async def test_an_office_component_asked_with_the_region_in_context_is_the_offices(ask):
    from actions.answers import ActionDiLuarLayanan

    tracker = make_tracker(
        "hp saya suka lowbat, ada colokan buat ngecas disana?",
        "out_of_scope",
        [("komponen", "sarana", "colokan")],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionDiLuarLayanan, tracker)
    assert "Tempat parkir" in text and "Kabupaten Balangan" in text


async def test_a_region_answering_a_pending_choice_is_understood_by_an_unsure_intent(ask):
    from actions.answers import ActionFallbackLayanan

    tracker = make_tracker(
        "saya tinggalnya di OKI",
        "nlu_fallback",
        [("wilayah", "ogan-komering-ilir", "OKI")],
        slots={
            "layanan_kandidat": [B + "izin-operasional-klinik", "ogan-komering-ilir-izin-operasional-klinik"],
            "komponen": "biaya",
        },
    )
    _, _, text = await ask(ActionFallbackLayanan, tracker)
    assert "Rp 750.000" in text


async def test_a_contact_request_with_other_words_a_line_names_stays_the_contacts(ask):
    # "minta nomor telepon kantor DPMPTSP Balangan, mau tanya toilet": the telephone is asked
    tracker = make_tracker(
        "minta nomor telepon kantor DPMPTSP Balangan dong, mau tanya soal toilet",
        "tanya_kontak_kantor",
        [
            ("kantor", "ya", "kantor DPMPTSP"),
            ("wilayah", "balangan", "Balangan"),
            ("rincian", "toilet", "toilet"),
        ],
    )
    _, _, text = await ask(ActionKontakKantor, tracker)
    assert "Sarana" not in text and "Kabupaten Balangan" in text


async def test_asking_whether_this_office_handles_something_it_has_no_standard_for(ask):
    from actions.answers import ActionFallbackLayanan

    tracker = make_tracker(
        "mau pasang sambungan air PDAM baru, ngajuinnya ke kantor ini?",
        "nlu_fallback",
        [("rincian", "pasang sambungan air pdam", "pasang sambungan air PDAM")],
    )
    _, messages, text = await ask(ActionFallbackLayanan, tracker)
    assert messages[0]["response"] == "utter_bukan_layanan_kami"
    assert messages[0]["hal"] == "pasang sambungan air PDAM"
    assert "0526-000111" in text  # the office's contacts
    # the office's own facility asked the same way is the office's answer
    toilet = make_tracker(
        "ada toilet di kantor ini?",
        "nlu_fallback",
        [("rincian", "toilet", "toilet")],
        slots={"wilayah": "balangan"},
    )
    _, messages, text = await ask(ActionFallbackLayanan, toilet)
    assert "Toilet" in text and all(m.get("response") != "utter_bukan_layanan_kami" for m in messages)


def test_the_component_said_with_a_question_word_is_asked_first_when_the_intent_is_unsure() -> None:
    from actions.answers import requested_components
    from actions.base import Turn

    tracker = make_tracker(
        "kalau berkas lengkap, izin klinik keluar berapa hari?",
        "nlu_fallback",
        [("komponen", "persyaratan", "berkas"), ("komponen", "jangka_waktu", "berapa hari")],
    )
    assert requested_components(Turn.of(tracker), tracker) == ["jangka_waktu", "persyaratan"]
    # the intent, when sure, still decides
    tracker = make_tracker(
        "kalau berkas lengkap, izin klinik keluar berapa hari?",
        "ask_persyaratan",
        [("komponen", "persyaratan", "berkas"), ("komponen", "jangka_waktu", "berapa hari")],
    )
    assert requested_components(Turn.of(tracker), tracker)[0] == "persyaratan"


async def test_a_follow_up_about_the_office_is_found_by_its_lines_whatever_the_cues(ask):
    # nothing the linker knows: the staff's competence line says it, in another form of the verb
    tracker = make_tracker(
        "petugasnya bisa mengoperasikan komputer nggak", "nlu_fallback", [], slots={"wilayah": "balangan"}
    )
    _, _, text = await ask(ActionFallbackLayanan, tracker)
    assert "Mampu mengoperasikan komputer" in text and "Kabupaten Balangan" in text
    # "peraturan" cues the legal basis; the whole question is the staff's competence line
    tracker = make_tracker(
        "apakah mereka juga memahami peraturan perizinan?",
        "ask_dasar_hukum",
        [("komponen", "dasar_hukum", "peraturan"), ("rincian", "memahami", "memahami")],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionJawabKomponen, tracker)
    assert "Memahami peraturan perizinan" in text and "Kompetensi" in text
    assert "Peraturan Menteri Koperasi" not in text
    # a line a service's own components have as well is no question about the office
    tracker = make_tracker(
        "siapa yang menerima berkas dengan rekomendasi?",
        "nlu_fallback",
        [("rincian", "menerima berkas rekomendasi", "menerima berkas dengan rekomendasi")],
        slots={"wilayah": "balangan"},
    )
    _, _, text = await ask(ActionFallbackLayanan, tracker)
    assert "Kompetensi" not in text and "Sarana" not in text
