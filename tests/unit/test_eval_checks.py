"""The answer checks of the evaluation (tools/evaluation/facts.py), the name analysis, the styles
and the splitter, on small fake standards: what passes, what fails."""

from __future__ import annotations

import random

import pytest

from bot.knowledge.schema import KOMPONEN
from bot.knowledge.views import Component, Region, Source, Standard
from tools.evaluation.corpus import Splitter
from tools.evaluation.facts import KnowledgeFacts, answer_checks
from tools.evaluation.model import Turn
from tools.evaluation.names import NameIndex
from tools.evaluation.styles import apply, render, typo
from tools.evaluation.text import fold


def standard(
    sid: str, nama: str, wilayah: str = "kota", sektor: str = "kesehatan", alias=(), **parts
) -> Standard:
    """A standard with all 14 components; `parts`: key -> list of lines or text (str)."""
    komponen = {}
    for key in KOMPONEN:
        value = parts.get(key, [])
        teks = (
            value
            if isinstance(value, str)
            else "; ".join(v if isinstance(v, str) else v["teks"] for v in value)
        )
        butir = () if isinstance(value, str) else tuple(value)
        extra = dict(parts.get(f"{key}_extra", {}))
        komponen[key] = Component(sid, key, KOMPONEN[key], teks, butir, extra)
    return Standard(
        sid,
        wilayah,
        f"Kabupaten {wilayah.title()}",
        None,
        nama,
        sektor,
        tuple(alias),
        Source("x.txt"),
        komponen,
    )


def region(rid: str, telepon=("0511 123",)) -> Region:
    return Region(rid, f"Kabupaten {rid.title()}", f"DPMPTSP {rid}", alias=(rid,), telepon=tuple(telepon))


def passes(checks, reply: str) -> bool:
    return all(ok(fold(reply)) for _, ok in checks)


SARANA_A = ["Ruang tunggu", "Tempat parkir", "Musholla"]
SARANA_B = ["Ruang kerja", "Komputer"]


@pytest.fixture
def facts() -> KnowledgeFacts:
    standards = [
        standard(
            "kota-izin-bidan",
            "Izin Praktik Bidan",
            alias=("SIP bidan",),
            persyaratan=["Surat permohonan", "Fotokopi KTP", "Pas foto 4x6"],
            prosedur=["Pemohon mengajukan berkas", "Kepala Dinas menandatangani izin"],
            jangka_waktu="6 hari kerja",
            jangka_waktu_extra={"hari_kerja_maks": 6},
            biaya="Gratis",
            biaya_extra={"rupiah": 0},
            sarana=SARANA_A,
        ),
        standard(
            "kota-izin-apotek",
            "Izin Apotek",
            persyaratan=["Surat permohonan", "Denah bangunan", "Fotokopi STR"],
            jangka_waktu="12 hari kerja",
            jangka_waktu_extra={"hari_kerja_maks": 12},
            biaya="Rp 50.000",
            biaya_extra={"rupiah": 50000},
            sarana=SARANA_A,
        ),
        standard(
            "kota-izin-toko-obat",
            "Izin Toko Obat",
            persyaratan=["Fotokopi STR apoteker"],
            jangka_waktu="12 hari kerja",
            jangka_waktu_extra={"hari_kerja_maks": 12},
            biaya="tidak dipungut biaya",
            sarana=SARANA_B,
        ),
        standard("kota-izin-usaha-industri", "Izin Usaha Industri", sektor="industri"),
        standard("kota-izin-usaha-kawasan-industri", "Izin Usaha Kawasan Industri", sektor="industri"),
        standard(
            "desa-izin-apotek",
            "Izin Apotek Desa",
            wilayah="desa",
            alias=("izin apotek",),
            sarana=["Meja", "Kursi"],
            kompetensi="Ramah",
        ),
        standard("desa-izin-gudang", "Izin Gudang", wilayah="desa", sarana=["Gudang arsip"]),
    ]
    return KnowledgeFacts.from_views(standards, [region("kota"), region("desa", telepon=("0511 999",))])


def test_office_level_uses_the_most_common_text_or_the_first_of_a_small_region(facts) -> None:
    checks = facts.office_checks("kota", "sarana")
    assert passes(checks, "Kabupaten Kota: sarana ... Ruang tunggu, Tempat parkir")
    assert not passes(checks, "Kabupaten Kota: Ruang kerja")  # the minority text
    assert not passes(checks, "Ruang tunggu")  # the region must be named
    assert passes(facts.office_checks("kota", "sarana", "parkir"), "Kabupaten Kota: ada Tempat parkir")
    # two standards: the first one's text
    assert passes(facts.office_checks("desa", "sarana"), "Kabupaten Desa: Meja, Kursi")
    assert facts.office_line("desa", "kompetensi") == "Ramah"


def test_detail_needs_the_one_line_and_the_name(facts) -> None:
    checks = facts.detail_checks("kota-izin-bidan", "persyaratan", r"\bktp\b")
    assert passes(checks, "Izin Praktik Bidan, Persyaratan: Fotokopi KTP")
    assert not passes(checks, "Izin Praktik Bidan: Surat permohonan")
    assert not passes(checks, "Fotokopi KTP")
    with pytest.raises(ValueError):
        facts.detail_checks("kota-izin-bidan", "persyaratan", "o")  # several lines
    with pytest.raises(ValueError):
        facts.detail_checks("kota-izin-bidan", "persyaratan", "npwp")  # none


def test_absent_document_expects_tidak_tercantum(facts) -> None:
    checks = facts.absent_checks("kota-izin-bidan", r"\bnpwp\b")
    assert passes(checks, "NPWP tidak tercantum dalam persyaratan Izin Praktik Bidan")
    assert not passes(checks, "Izin Praktik Bidan: 1. Surat permohonan")
    with pytest.raises(ValueError):
        facts.absent_checks("kota-izin-bidan", r"\bktp\b")


def test_out_of_scope_cites_no_standard_and_gives_a_contact(facts) -> None:
    checks = facts.out_of_scope_checks()
    assert passes(checks, "Paspor tidak termasuk layanan kantor ini. Telepon: 0511 999")
    assert not passes(checks, "Syarat: Fotokopi KTP\nSumber: Izin Praktik Bidan, Kabupaten Kota")
    assert not passes(checks, "Maaf, tidak ada.")
    assert passes(checks, "Hubungi kantor 0511 123. Sumber: DPMPTSP kota")  # an office, not a standard


def test_sector_filters(facts) -> None:
    free = facts.sector_filter_checks("kesehatan", "gratis")
    assert passes(free, "Gratis: Izin Praktik Bidan; Izin Toko Obat")
    assert not passes(free, "Gratis: Izin Praktik Bidan; Izin Toko Obat; Izin Apotek")
    assert not passes(free, "Gratis: Izin Praktik Bidan")
    longest = facts.sector_filter_checks("kesehatan", "terlama")
    assert passes(longest, "12 hari kerja: Izin Apotek, Izin Toko Obat")
    shortest = facts.sector_filter_checks("kesehatan", "tercepat", wilayah="kota")
    assert passes(shortest, "Izin Praktik Bidan (6 hari)")
    str_needed = facts.sector_filter_checks("kesehatan", "dokumen", pattern=r"\bstr\b")
    assert passes(str_needed, "Izin Apotek dan Izin Toko Obat")
    assert not passes(str_needed, "Izin Apotek, Izin Toko Obat, Izin Praktik Bidan")
    # "Izin Usaha Industri" is part of no other name here, but a name inside a matching one is not checked
    matching, others = facts.sector_split("industri", "gratis")
    assert matching == [] and len(others) == 2


def test_compare_and_printable(facts) -> None:
    compare = facts.compare_checks(["kota-izin-bidan", "kota-izin-apotek"], "jangka_waktu")
    assert passes(compare, "Izin Praktik Bidan: 6 hari kerja. Izin Apotek: 12 hari kerja.")
    assert not passes(compare, "Izin Praktik Bidan: 6 hari kerja.")
    printable = facts.printable_checks("kota-izin-bidan", "persyaratan")
    assert passes(printable, "Izin Praktik Bidan\n1. Surat permohonan\n2. Fotokopi KTP\n3. Pas foto 4x6")
    assert not passes(printable, "Izin Praktik Bidan\n1. Surat permohonan\n2. Fotokopi KTP")


def test_answer_checks_dispatch(facts) -> None:
    office = Turn(
        "ada parkir?", answer={"office": {"wilayah": "kota", "komponen": "sarana", "match": "parkir"}}
    )
    checks, current, pilihan = answer_checks(office, facts, "kota-izin-bidan")
    assert current == "kota-izin-bidan" and pilihan == [] and len(checks) == 2
    detail = Turn(
        "siapa yang tanda tangan?",
        layanan="none",
        answer={"standard": "kota-izin-bidan", "detail": {"komponen": "prosedur", "match": "menandatangani"}},
    )
    checks, current, _ = answer_checks(detail, facts, None)
    assert current == "kota-izin-bidan"
    assert passes(checks, "Izin Praktik Bidan: Kepala Dinas menandatangani izin")
    digits = Turn("cek 123/A/2026", answer={"ask_digits": True})
    checks, _, _ = answer_checks(digits, facts, None)
    assert passes(checks, "Ketik 4 angka terakhir nomor HP Anda") and not passes(checks, "Nomornya berapa?")
    small = Turn("makasih", answer={"reply": True, "cites_none": True})
    checks, _, _ = answer_checks(small, facts, None)
    assert passes(checks, "Sama-sama") and not passes(checks, "Sumber: Izin Apotek, Kabupaten Kota")


def test_names_plain_exact_shared_and_ambiguous(facts) -> None:
    names = NameIndex(facts.standards(), facts.regions())
    assert names.exact_titles("kota-izin-usaha-industri") == ("Izin Usaha Industri",)
    assert ("Izin Usaha Kawasan Industri", False) in names.plain_names("kota-izin-usaha-kawasan-industri")
    # "izin apotek": the same service in two regions, named with its region
    assert names.same_service_elsewhere("kota-izin-apotek") == ("desa-izin-apotek",)
    assert ("Izin Apotek", True) in names.plain_names("kota-izin-apotek")
    assert names.candidates("usaha industri") == ["kota-izin-usaha-industri"]
    assert names.candidates("industri") == ["kota-izin-usaha-industri", "kota-izin-usaha-kawasan-industri"]


def test_styles_keep_names_and_are_seeded() -> None:
    segments = render("apa saja persyaratan untuk mengurus {layanan} yang baru?", {"layanan": "SIP Bidan"})
    slang = apply("slang", segments, random.Random(1))
    assert "yang baru" not in slang and "bidan" in slang.lower()
    assert apply("slang", segments, random.Random(1)) == slang
    assert (
        apply("caps", segments, random.Random(1))
        == "APA SAJA PERSYARATAN UNTUK MENGURUS SIP BIDAN YANG BARU?"
    )
    assert (
        apply("nopunct", segments, random.Random(1))
        == "apa saja persyaratan untuk mengurus sip bidan yang baru"
    )
    slipped = "".join(s.text for s in typo(segments, random.Random(3)))
    assert slipped != "".join(s.text for s in segments) and "SIP" in slipped
    with pytest.raises(KeyError):
        render("{layanan} {wilayah}", {"layanan": "x"})


def test_splitter_deals_every_id_once_and_spreads_scarce_groups() -> None:
    splitter = Splitter(7, {"train": 0.4, "dev": 0.3, "test": 0.3})
    ids = [f"t{i}" for i in range(10)]
    dealt = splitter.deal("pool", ids)
    assert set(dealt) == set(ids) and dealt == splitter.deal("pool", list(reversed(ids)))
    counts = {s: list(dealt.values()).count(s) for s in ("train", "dev", "test")}
    assert counts == {"train": 4, "dev": 3, "test": 3}
    assert set(splitter.deal("small", ["a", "b", "c"]).values()) == {"train", "dev", "test"}
    groups = [(frozenset({f"g{i}"}), frozenset({"rare"} if i < 2 else ())) for i in range(12)]
    split = splitter.deal_groups(groups)
    assert {split["g0"], split["g1"]} == {"dev", "test"}


def test_failing_templates_are_listed(capsys) -> None:
    from tools.evaluation.report import print_templates
    from tools.evaluation.runner import TurnResult

    def result(source: str, ok: bool) -> TurnResult:
        return TurnResult("c", "t", "kind", "plain", None, None, None, None, "", ok, source=source)

    print_templates(
        [result("a+bad", False), result("b+bad", False), result("good", True), result("once", False)]
    )
    out = capsys.readouterr().out
    assert "bad" in out and "2/2" in out and "once" not in out and "good" not in out
