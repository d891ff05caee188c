"""Browsing by sector and region, and the office contacts (human handoff)."""

from __future__ import annotations

from actions.browse import ActionDaftarLayanan
from actions.contact import ActionKontakKantor
from tests.conftest import make_tracker
from tests.unit.actions.test_answers import payloads, slots, texts


async def test_sectors_with_counts_as_buttons(run_action):
    events, messages = await run_action(ActionDaftarLayanan, make_tracker("daftar layanan", "browse_layanan"))
    assert messages[0]["response"] == "utter_pilih_sektor"
    assert messages[0]["di_wilayah"] == ""
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Industri (3)", "Kesehatan (2)", "Koperasi (1)"]
    assert "/browse_layanan" + '{"sektor":"industri"}' in payloads(messages)
    assert slots(events) == {"sektor": None, "komponen": None, "layanan_kandidat": None}


async def test_a_question_about_the_office_is_no_list(run_action):
    # "kantor perizinan Balangan ada ruang laktasi?" taken for a list: the office's facilities.
    tracker = make_tracker(
        "kantor perizinan Balangan ada ruang laktasi?",
        "browse_layanan",
        [("kantor", "ya", "kantor perizinan"), ("wilayah", "balangan", "Balangan"), ("komponen", "sarana")],
    )
    _, messages = await run_action(ActionDaftarLayanan, tracker)
    assert all(m.get("response") != "utter_pilih_sektor" for m in messages)
    assert "Sarana" in texts(messages)


async def test_sectors_of_the_region_in_context(run_action, monkeypatch):
    monkeypatch.setattr("actions.browse.DAFTAR_LANGSUNG", 1)  # OKI's two standards count as many here
    tracker = make_tracker("daftar layanan", "browse_layanan", slots={"wilayah": "ogan-komering-ilir"})
    _, messages = await run_action(ActionDaftarLayanan, tracker)
    assert messages[0]["di_wilayah"] == " di Kabupaten Ogan Komering Ilir"
    assert [b["title"] for b in messages[0]["buttons"]] == ["Industri (2)"]
    assert (
        messages[0]["buttons"][0]["payload"]
        == '/browse_layanan{"sektor":"industri","wilayah":"ogan-komering-ilir"}'
    )
    assert "Wilayah lain: Kabupaten Balangan" in texts(messages)


async def test_a_region_with_few_standards_is_listed_at_once(run_action):
    tracker = make_tracker(
        "di oki ada layanan apa aja", "browse_layanan", [("wilayah", "ogan-komering-ilir", "oki")]
    )
    events, messages = await run_action(ActionDaftarLayanan, tracker)
    text = texts(messages)
    assert "Layanan di Kabupaten Ogan Komering Ilir (2):" in text
    assert "Sertifikat Produksi Pangan Industri Rumah Tangga" in text
    assert "Izin Usaha Perluasan Industri" in text
    assert "Sumber: daftar standar pelayanan, Kabupaten Ogan Komering Ilir, oki_standar.txt" in text
    assert "Wilayah lain: Kabupaten Balangan" in text
    listed = slots(events)["layanan_kandidat"]
    assert len(listed) == 2 and all(i.startswith("ogan-komering-ilir-") for i in listed)
    assert all(p.startswith("/pilih_layanan") for p in payloads(messages))


async def test_standards_of_a_sector_across_regions(run_action):
    tracker = make_tracker("izin industri apa saja", "browse_layanan", [("sektor", "industri", "industri")])
    events, messages = await run_action(ActionDaftarLayanan, tracker)
    text = texts(messages)
    assert "Layanan sektor industri (3):" in text
    assert "1. Sertifikat Produksi Pangan Industri Rumah Tangga (Kabupaten Balangan)" in text
    assert "Sumber: daftar standar pelayanan, Kabupaten Ogan Komering Ilir, oki_standar.txt" in text
    assert len(messages[-1]["buttons"]) == 3
    assert all(p.startswith("/pilih_layanan") for p in payloads(messages))
    assert slots(events)["sektor"] == "industri"


async def test_standards_of_a_sector_in_one_region(run_action):
    tracker = make_tracker(
        "layanan kesehatan di balangan",
        "browse_layanan",
        [("sektor", "kesehatan"), ("wilayah", "balangan")],
    )
    _, messages = await run_action(ActionDaftarLayanan, tracker)
    text = texts(messages)
    assert "Layanan sektor kesehatan di Kabupaten Balangan (2):" in text
    assert "1. Izin Apotek" in text and "2. Surat Izin Praktik Bidan" in text


async def test_sector_without_standards_in_region_says_so_and_offers_sectors(run_action):
    tracker = make_tracker(
        "layanan koperasi di oki",
        "browse_layanan",
        [("sektor", "koperasi"), ("wilayah", "ogan-komering-ilir")],
    )
    _, messages = await run_action(ActionDaftarLayanan, tracker)
    assert messages[0]["text"] == "Tidak ada layanan sektor koperasi di Kabupaten Ogan Komering Ilir."
    assert messages[1]["response"] == "utter_pilih_sektor"


async def test_contact_of_the_region_in_context(run_action):
    tracker = make_tracker(
        "mau bicara dengan petugas", "human_handoff", slots={"layanan": "x", "wilayah": "balangan"}
    )
    events, messages = await run_action(ActionKontakKantor, tracker)
    text = texts(messages)
    assert "DPMPTSP Kabupaten Balangan" in text
    for fact in ("Alamat: Jl. Uji No. 1 Paringin", "Telepon: 0526-000111", "WhatsApp: 0812-0000-1111"):
        assert fact in text
    assert "Email: uji@balangan.example" in text
    assert "Ogan Komering Ilir" not in text
    assert text.splitlines()[-1].startswith(
        "Sumber: DPMPTSP Kabupaten Balangan, Kabupaten Balangan, Keputusan"
    )
    assert slots(events) == {"wilayah": "balangan"}


async def test_contact_without_a_region_gives_every_office(run_action):
    _, messages = await run_action(ActionKontakKantor, make_tracker("hubungi cs", "human_handoff"))
    text = texts(messages)
    assert "Telepon: 0526-000111" in text and "Telepon: 0712-000222" in text


async def test_contact_of_a_region_named_in_a_button(run_action):
    tracker = make_tracker(
        '/human_handoff{"wilayah":"ogan-komering-ilir"}', "human_handoff", [("wilayah", "ogan-komering-ilir")]
    )
    _, messages = await run_action(ActionKontakKantor, tracker)
    text = texts(messages)
    assert "Telepon: 0712-000222" in text and "0526-000111" not in text


async def test_a_component_asked_with_the_office_intent_is_answered(run_action):
    """The intent took "biaya izin apotek ke kantor berapa?" for a contact request; the words ask
    a component of a named service: that is the answer."""
    tracker = make_tracker(
        "biaya izin apotek ke kantor berapa?",
        "tanya_kontak_kantor",
        [("layanan", "balangan-izin-apotek", "izin apotek"), ("komponen", "biaya", "biaya")],
    )
    _, messages = await run_action(ActionKontakKantor, tracker)
    assert "Biaya/Tarif - Izin Apotek (Kabupaten Balangan)" in texts(messages)


async def test_how_to_reach_the_office_is_a_contact_request(run_action):
    """ "bagaimana cara menghubungi kantor ...": "cara" is a procedure word, but this asks for the
    contacts."""
    tracker = make_tracker(
        "bagaimana cara menghubungi kantor DPMPTSP Paringin?",
        "tanya_kontak_kantor",
        [("wilayah", "balangan", "Paringin"), ("komponen", "prosedur", "bagaimana cara")],
    )
    _, messages = await run_action(ActionKontakKantor, tracker)
    assert "Telepon: 0526-000111" in texts(messages)
