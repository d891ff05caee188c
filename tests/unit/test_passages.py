"""Passage retrieval (bot/knowledge/passages.py) and the aggregate questions (bot/knowledge/aggregate.py)
over read models built in the test."""

from __future__ import annotations

from bot.knowledge.aggregate import component_variants, filter_standards, is_free, requiring
from bot.knowledge.passages import PassageIndex, passages_of, stem, terms
from bot.knowledge.schema import KOMPONEN
from bot.knowledge.views import Component, Source, Standard


def make(sid: str, nama: str, **parts) -> Standard:
    komponen = {}
    for key, label in KOMPONEN.items():
        value = parts.get(key, {"teks": f"{key} {nama}"})
        komponen[key] = Component(
            sid, key, label, value.get("teks", ""), tuple(value.get("butir", ())), value.get("extra", {})
        )
    return Standard(
        sid, "balangan", "Kabupaten Balangan", 1, nama, "kesehatan", (), Source("doc.txt"), komponen
    )


REKLAME = make(
    "r",
    "Izin Reklame",
    persyaratan={
        "butir": ["Fotokopi KTP", {"teks": "Gambar reklame:", "butir": ["ukuran", "lokasi pemasangan"]}]
    },
    prosedur={"butir": ["Pemohon mengisi formulir secara online", "Kepala Dinas menandatangani izin"]},
    biaya={"teks": "Tidak dipungut biaya", "extra": {"rupiah": 0}},
    jangka_waktu={"teks": "5 hari kerja", "extra": {"hari_kerja_maks": 5}},
)
APOTEK = make(
    "a",
    "Izin Apotek",
    persyaratan={"butir": ["Surat keterangan domisili", "NPWP"]},
    biaya={"teks": "Rp 250.000", "extra": {"rupiah": 250000}},
    jangka_waktu={"teks": "12 hari kerja", "extra": {"hari_kerja_maks": 12}},
)


def test_stems_join_the_forms_of_one_word():
    assert stem("menandatangani") == stem("ditandatangani") == "tandatangan"
    assert stem("diterbitkan") == stem("penerbitan") == "terbit"
    assert "siapa" not in terms("siapa yang menandatangani?")


def test_nested_items_are_passages_with_their_position():
    markers = {(p.komponen, p.marker, p.text) for p in passages_of(REKLAME)}
    assert ("persyaratan", "2.b.", "lokasi pemasangan") in markers
    assert ("biaya", "", "Tidak dipungut biaya") in markers


def test_search_finds_the_line_and_says_how_much_of_the_question_it_covers():
    index = PassageIndex([REKLAME, APOTEK])
    best = index.search("siapa yang menandatangani izinnya", standard_ids=["r"])[0]
    assert best.passage.text == "Kepala Dinas menandatangani izin" and best.coverage == 1.0
    assert index.search("surat domisili", standard_ids=["r"]) == []
    only_fees = index.search("domisili", komponen=["biaya"])
    assert only_fees == []


def test_variants_of_a_component_most_common_first():
    third = make("t", "Izin Toko Obat", kompetensi={"butir": ["a. Berbeda sekali"]})
    same = {"butir": ["Memahami peraturan", "Teliti"]}
    one, two = (
        make("1", "Satu", kompetensi=same),
        make("2", "Dua", kompetensi={"butir": ["memahami  peraturan", "teliti"]}),
    )
    regional = component_variants([one, two, third], "kompetensi")
    assert regional.total == 3 and [len(v.standards) for v in regional.variants] == [2, 1]
    assert regional.differing == (third,)


def test_filters():
    assert is_free(REKLAME) is True and is_free(APOTEK) is False
    assert filter_standards([REKLAME, APOTEK], "gratis") == [REKLAME]
    assert filter_standards([REKLAME, APOTEK], "terlama") == [APOTEK]
    assert filter_standards([REKLAME, APOTEK], "tercepat") == [REKLAME]
    assert requiring([REKLAME, APOTEK], "npwp", PassageIndex([REKLAME, APOTEK])) == [(APOTEK, "NPWP")]


def test_an_abbreviation_in_brackets_against_the_name_is_found():
    usaha = make("u", "Izin Usaha Mikro", persyaratan={"butir": ["Nomor Induk Berusaha(NIB)"]})
    index = PassageIndex([REKLAME, APOTEK, usaha])
    assert requiring([REKLAME, APOTEK, usaha], "nib", index) == [(usaha, "Nomor Induk Berusaha(NIB)")]


def test_a_copy_is_asked_as_salinan_and_written_as_fotokopi():
    koperasi = make("k", "Izin Koperasi", persyaratan={"butir": ["Salinan akta pendirian"]})
    index = PassageIndex([REKLAME, APOTEK, koperasi])
    assert requiring([REKLAME, APOTEK, koperasi], "salinan ktp", index) == [(REKLAME, "Fotokopi KTP")]


def test_a_word_in_another_form_of_the_lines_finds_them():
    # the lines write "verifikasi" and "memverifikasi"; a question in either form finds both
    pengawasan = {
        "butir": ["Kepala Bidang melakukan verifikasi dokumen", "Kasi memverifikasi dan memaraf izin"]
    }
    index = PassageIndex([make("k", "Izin Koperasi", pengawasan=pengawasan)])
    for asked in ("siapa yang memverifikasi", "siapa yang melakukan verifikasi"):
        found = {h.passage.text for h in index.search(asked, komponen=["pengawasan"])}
        assert found == set(pengawasan["butir"]), asked
    # the forms are those of the lines: a word no line has in any form stays itself
    assert index.search("siapa yang memaraf", komponen=["pengawasan"])[0].passage.marker == "2."
    assert index.search("diperiksa siapa", komponen=["pengawasan"]) == []
