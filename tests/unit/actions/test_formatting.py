"""Chat formatting of knowledge answers: pure functions over read models."""

from __future__ import annotations

from actions import formatting
from bot.knowledge.views import Component, Region, Source, Standard

REGION = Region(id="balangan", nama="Kabupaten Balangan", kantor="DPMPTSP Balangan", telepon=("0526-1",))


def make_standard(**komponen: Component) -> Standard:
    return Standard(
        id="balangan-x",
        wilayah="balangan",
        wilayah_nama="Kabupaten Balangan",
        nomor=1,
        nama="Izin X",
        sektor="umum",
        alias=(),
        sumber=Source(dokumen="doc.txt", judul="Keputusan Kepala DPMPTSP", nomor_keputusan=("A/1", "B/2")),
        komponen=komponen,
    )


def comp(key: str, teks: str = "", butir=(), **extra) -> Component:
    return Component(standard_id="balangan-x", key=key, label=key, teks=teks, butir=tuple(butir), extra=extra)


def test_nested_items_are_numbered_then_lettered_then_dashed():
    lines = formatting.item_lines(
        ["Satu", {"teks": "Dua:", "butir": ["a1", {"teks": "b1", "butir": ["x"]}]}, "Tiga"]
    )
    assert lines == ["1. Satu", "2. Dua:", "   a. a1", "   b. b1", "      - x", "3. Tiga"]


def test_citation_names_standard_region_document_and_decree_numbers():
    assert formatting.citation(make_standard()) == (
        "Sumber: Izin X, Kabupaten Balangan, Keputusan Kepala DPMPTSP Nomor A/1 / B/2"
    )


def test_component_answer_lists_items_and_ends_with_citation():
    standard = make_standard(persyaratan=comp("persyaratan", "x", ["KTP", "NPWP"]))
    text = formatting.component_answer(standard, ["persyaratan"], REGION)
    assert text.splitlines()[:3] == ["Persyaratan - Izin X (Kabupaten Balangan):", "1. KTP", "2. NPWP"]
    assert text.splitlines()[-1].startswith("Sumber: Izin X, Kabupaten Balangan")
    assert "<" not in text and ">" not in text


def test_empty_component_is_said_honestly_with_office_contact():
    standard = make_standard(persyaratan=comp("persyaratan"))
    text = formatting.component_answer(standard, ["persyaratan"], REGION)
    assert "tidak tercantum dalam standar pelayanan ini" in text
    assert "DPMPTSP Balangan" in text and "Telepon: 0526-1" in text
    assert text.splitlines()[-1].startswith("Sumber: ")


def test_free_fee_is_stated_in_words():
    standard = make_standard(biaya=comp("biaya", "Rp.0,00", rupiah=0))
    text = formatting.component_answer(standard, ["biaya"], REGION)
    assert "Rp.0,00" in text and "gratis" in text


def test_complaint_channels_are_listed():
    standard = make_standard(
        pengaduan=comp("pengaduan", "Melalui WA", kanal={"whatsapp": ["0812"], "email": ["a@b"]})
    )
    text = formatting.component_answer(standard, ["pengaduan"], REGION)
    assert "WhatsApp: 0812" in text and "Email: a@b" in text


def test_overview_card_has_product_duration_fee_and_requirement_count():
    standard = make_standard(
        persyaratan=comp("persyaratan", "x", ["a", "b", {"teks": "c", "butir": ["c1"]}]),
        produk=comp("produk", "Surat Izin X"),
        jangka_waktu=comp("jangka_waktu", "5 hari kerja"),
        biaya=comp("biaya", "Rp.0,00", rupiah=0),
    )
    card = formatting.overview_card(standard)
    assert "Produk: Surat Izin X" in card
    assert "Jangka waktu: 5 hari kerja" in card
    assert "Biaya: Rp.0,00 (gratis)" in card
    assert "Persyaratan: 3 butir" in card
    assert card.splitlines()[-1].startswith("Sumber: Izin X")


def test_overview_card_says_when_a_value_is_not_listed():
    card = formatting.overview_card(make_standard(biaya=comp("biaya")))
    assert "Biaya: tidak tercantum dalam standar pelayanan ini" in card


def test_split_message_keeps_every_line_and_respects_the_limit():
    lines = [f"{i}. persyaratan nomor {i} " + "x" * (i % 50) for i in range(1, 400)]
    text = "\n".join(lines)
    parts = formatting.split_message(text, limit=4096)
    assert len(parts) > 1
    assert all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts).splitlines() == lines  # split at line boundaries, nothing lost


def test_split_message_breaks_a_single_overlong_line_at_spaces():
    text = " ".join(["kata"] * 3000)  # 14,999 characters, no newline
    parts = formatting.split_message(text, limit=4096)
    assert all(len(p) <= 4096 for p in parts)
    assert " ".join(parts).split() == text.split()


def test_short_text_is_one_message():
    assert formatting.split_message("halo") == ["halo"]


def test_payload_is_compact_rasa_syntax():
    assert (
        formatting.payload("pilih_layanan", layanan="balangan-x") == '/pilih_layanan{"layanan":"balangan-x"}'
    )
    assert formatting.payload("browse_layanan") == "/browse_layanan"


def test_long_decree_title_is_cut_at_tentang_and_office_name_shortened():
    standard = make_standard()
    long_title = (
        "Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Balangan "
        "tentang Standar Pelayanan Perizinan"
    )
    standard = Standard(
        **{**standard.__dict__, "sumber": Source(dokumen="d.txt", judul=long_title, nomor_keputusan=("N/1",))}
    )
    assert formatting.document_name(standard) == "Keputusan Kepala DPMPTSP Kabupaten Balangan Nomor N/1"


def test_document_without_title_is_named_by_its_file():
    standard = make_standard()
    standard = Standard(**{**standard.__dict__, "sumber": Source(dokumen="oki_standar.txt")})
    assert formatting.citation(standard) == "Sumber: Izin X, Kabupaten Balangan, oki_standar.txt"
