"""Suggestions for a new document: sectors and aliases from the lexicon's rules, the province and time
zone, the draft office file. Rules are data (knowledge/lexicon/); these tests pin their behaviour."""

from __future__ import annotations

import pytest

from bot import lexicon
from bot.knowledge.parse import parse_text
from bot.knowledge.saran import (
    draft_region,
    find_province,
    region_aliases,
    sector_words,
    suggest_aliases,
    suggest_sector,
    zone_for_province,
)
from bot.knowledge.schema import KOMPONEN, SEKTOR


def aliases(title: str, text: str = "") -> list[str]:
    return [s.alias for s in suggest_aliases(title, text)]


@pytest.mark.parametrize(
    ("title", "sektor"),
    [
        ("Surat Izin Praktik Bidan", "kesehatan"),
        ("Sertifikat Produksi Pangan Industri Rumah Tangga", "kesehatan"),  # not "industri"
        ("Izin Usaha Tanaman Pangan", "pertanian"),
        ("Izin Penyelenggaraan Sistem Penyediaan Air Minum", "konstruksi"),
        ("Usaha Depot Air Minum (DAM)", "kesehatan"),
        ("Izin Usaha Toko Modern Berjejaring", "umum"),  # no sector word: the maintainer decides
    ],
)
def test_sector_from_title_words(title, sektor):
    assert suggest_sector(title).sektor == sektor


def test_sector_words_are_sectors_of_the_schema():
    words = sector_words()  # raises when a phrase is under two sectors
    assert set(words.values()) <= set(SEKTOR)
    # The words the NLU reads from the same file stay words that name sectors, not services.
    assert {"apotek", "klinik", "dokter", "bidan"}.isdisjoint(lexicon.mapping("sektor", "sektor"))


def test_sector_suggestion_names_its_words():
    s = suggest_sector("Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam")
    assert (s.sektor, s.kata) == ("koperasi", ("koperasi", "simpan pinjam"))
    assert suggest_sector("Pelayanan Pendampingan Perizinan Berusaha Online").kata == ()


def test_alias_rules():
    assert aliases("Surat Izin Praktik Bidan") == [
        "SIP bidan",
        "izin praktik bidan",
        "ijin praktik bidan",
        "izin praktek bidan",
        "ijin praktek bidan",
    ]
    assert aliases("Izin Operasional Klinik")[:1] == ["izin klinik"]
    assert "izin apotik" in aliases("Izin Apotek")
    assert aliases("Izin Usaha Mikro Kecil (IUMK)")[0] == "IUMK"
    assert aliases("Tanda Daftar Gudang")[0] == "izin gudang"
    assert aliases("Pendaftaran Usaha Perkebunan")[0] == "daftar usaha perkebunan"
    hyphen = aliases("Surat Izin Praktik Ahli Teknologi Laboratorium Medik (SIP-ATLM)")
    assert hyphen[:3] == ["SIP-ATLM", "SIP ATLM", "SIPATLM"]
    assert "KBLI 10510" in aliases("Sertifikat Standar (Risiko Menengah Tinggi) KBLI 10510 Industri Susu")
    assert "KBLI" not in aliases("Sertifikat Standar KBLI 10510")  # a code, not a name


def test_initialism_only_when_the_document_writes_it():
    assert "IUI" not in aliases("Izin Usaha Industri", "tanpa singkatan")
    assert "IUI" in aliases("Izin Usaha Industri", "... wajib memiliki IUI yang berlaku ...")


def test_province_and_time_zone():
    assert zone_for_province("Kalimantan Selatan") == "Asia/Makassar"
    assert zone_for_province("jawa barat") == "Asia/Jakarta"
    assert zone_for_province("Papua Pegunungan") == "Asia/Jayapura"
    assert zone_for_province("Atlantis") is None and zone_for_province(None) is None
    text = "PEMERINTAH PROVINSI PAPUA BARAT ... Provinsi Papua Barat ... Papua"
    assert find_province(text) == ("Papua Barat", 2)  # "Papua Barat" is not also "Papua"
    assert find_province("tidak ada provinsi") is None


def test_region_aliases():
    assert region_aliases("ogan-komering-ilir", "Kabupaten Ogan Komering Ilir") == [
        "ogan komering ilir",
        "kab ogan komering ilir",
        "kabupaten ogan komering ilir",
    ]
    assert region_aliases("kota-baru", "Kota Baru") == ["baru", "kota baru"]


def _document(pengaduan: str, title: str = "Izin Contoh") -> str:
    rows = "".join(
        f"{i}.\t{label}\t{pengaduan if key == 'pengaduan' else 'isi ' + key}\n"
        for i, (key, label) in enumerate(KOMPONEN.items(), 1)
    )
    return f"1. {title}\n\nNO\tKOMPONEN\tURAIAN\n{rows}"


def test_draft_office_from_the_document():
    text = (
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN TANAH DATAR\n"
        "Provinsi Sumatera Barat\n\n"
        + _document(
            "a. Telepon: (0752) 71234; b. WhatsApp: 081234567890; c. Email: dpmptsp@tanahdatar.go.id; "
            "d. pengaduan dijawab paling lambat 10 (sepuluh) hari kerja sejak diterimanya pengaduan"
        )
    )
    doc = parse_text(text, "tanah-datar_sp.txt")
    draft = draft_region("tanah-datar", "Kabupaten Tanah Datar", [doc], text)
    data = draft.data
    assert data["kantor"] == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Tanah Datar"
    assert (data["provinsi"], data["zona_waktu"]) == ("Sumatera Barat", "Asia/Jakarta")
    assert data["telepon"] == ["(0752) 71234"] and data["whatsapp"] == ["081234567890"]
    assert data["email"] == ["dpmptsp@tanahdatar.go.id"]
    assert data["jam_layanan_terverifikasi"] is False and data["jam_layanan"]
    assert data["pengaduan"]["waktu_tanggapan_hari_kerja"] == 10
    assert "10 (sepuluh) hari kerja" in data["pengaduan"]["dasar"]
    assert data["pengaduan"]["kanal_nasional"]["sms"] == "1708"
    assert draft.catatan[0].startswith("zona_waktu: Asia/Jakarta suggested from the province")
    assert not any(note.startswith("kantor:") for note in draft.catatan)


def test_draft_office_without_province_or_contacts_says_what_is_missing():
    text = _document("Kotak saran di ruang pelayanan")
    doc = parse_text(text, "x_sp.txt")
    draft = draft_region("x", "Kabupaten X", [doc], text)
    assert draft.data["zona_waktu"] is None and "provinsi" not in draft.data
    notes = "\n".join(draft.catatan)
    assert "zona_waktu: not set" in draft.catatan[0]
    assert "kantor: the document does not name the office" in notes
    assert "contacts: no address" in notes
    assert "no standard states a complaint response time" in notes
