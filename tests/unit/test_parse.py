"""The document parser against the real sources, and its errors on bad input.

Expected values were read from knowledge/sources/*.txt by hand (item counts, first and last items),
not copied from the parser's output.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.knowledge.parse import (
    ParseError,
    parse_channels,
    parse_duration,
    parse_file,
    parse_rupiah,
    parse_sources,
    parse_text,
    readable_case,
    words_to_number,
)
from bot.knowledge.schema import KOMPONEN

SOURCES = Path(__file__).resolve().parents[2] / "knowledge" / "sources"
BALANGAN = "balangan_keputusan-standar-pelayanan-2021.txt"
OKI_PIRT = "ogan-komering-ilir_sertifikat-produksi-pangan-rumah-tangga.txt"
OKI_INDUSTRI = "ogan-komering-ilir_izin-usaha-perluasan-industri.txt"
PURWAKARTA = "purwakarta_sertifikat-standar-kbli-10510-susu-segar-krim.txt"
DEBRIS = ("NO KOMPONEN", "KOMPONEN URAIAN", "1 2 3", "PENYAMPAIAN PELAYANAN", "KOMPONEN MANUFACTURING")


@pytest.fixture(scope="module")
def documents():
    return {doc.dokumen: doc for doc in parse_sources(SOURCES)}


def find(documents, dokumen: str, nama: str):
    matches = [s for s in documents[dokumen].standards if s.nama == nama]
    assert len(matches) == 1, f"{nama!r} found {len(matches)} times in {dokumen}"
    return matches[0]


def texts(items: list) -> list[str]:
    return [item if isinstance(item, str) else item["teks"] for item in items]


def walk(items: list):
    for item in items:
        if isinstance(item, str):
            yield item
        else:
            yield item["teks"]
            yield from walk(item["butir"])


# --- the whole corpus ---------------------------------------------------------------------------


def test_86_standards_by_region(documents):
    counts = {name: len(doc.standards) for name, doc in documents.items()}
    assert counts == {BALANGAN: 83, OKI_INDUSTRI: 1, OKI_PIRT: 1, PURWAKARTA: 1}
    assert sum(counts.values()) == 86
    assert {doc.wilayah for doc in documents.values()} == {"balangan", "ogan-komering-ilir", "purwakarta"}


def test_every_standard_has_all_14_components(documents):
    for doc in documents.values():
        for std in doc.standards:
            assert list(std.komponen) == list(KOMPONEN), std.nama


def test_no_header_or_page_break_debris_in_any_component(documents):
    for doc in documents.values():
        for std in doc.standards:
            for key, comp in std.komponen.items():
                for piece in [comp.teks, *walk(comp.butir)]:
                    for debris in DEBRIS:
                        assert debris not in piece.upper(), (std.nama, key, debris)
                    assert "<" not in piece and "**" not in piece and "---" not in piece, (
                        std.nama,
                        key,
                        piece,
                    )
                    assert "\ue000" not in piece, (std.nama, key)


def test_balangan_numbers_as_written_duplicate_1_and_no_26(documents):
    numbers = [s.nomor for s in documents[BALANGAN].standards]
    assert numbers.count(1) == 2
    assert 26 not in numbers
    assert sorted(set(numbers)) == [n for n in range(1, 84) if n != 26]


def test_balangan_document_metadata(documents):
    doc = documents[BALANGAN]
    assert doc.nomor_keputusan == ["188.45/25/DPMPMSP-BLG/TAHUN 2021", "188.45/255/DPMPSTP-BLG/TAHUN 2021"]
    assert doc.tanggal == "2021-08-12"
    assert doc.judul.startswith("Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")
    assert "tentang Standar Pelayanan Perizinan dan Non Perizinan" in doc.judul


def test_titles_in_readable_case_with_acronyms_kept(documents):
    names = [s.nama for s in documents[BALANGAN].standards]
    assert "Izin Apotek" in names  # written "IZIN APOTEK"
    assert "Izin Operasional Laboratorium Klinik Umum dan Khusus" in names
    assert "Izin Usaha Mikro Kecil (IUMK)" in names
    assert "Pelayanan Pendampingan Perizinan Berusaha Online" in names
    assert readable_case("IZIN TOKO ALAT KESEHATAN") == "Izin Toko Alat Kesehatan"
    assert readable_case("Surat Izin Praktik Fisioterapis (SIPF)") == "Surat Izin Praktik Fisioterapis (SIPF)"
    assert documents[OKI_PIRT].standards[0].nama == "Sertifikat Produksi Pangan Rumah Tangga"
    assert documents[PURWAKARTA].standards[0].nomor == 4


def test_stray_characters_before_a_row_number_are_recorded(documents):
    std = find(documents, BALANGAN, "Pelayanan Pendampingan Perizinan Berusaha Online")
    assert std.anomalies == [(100, "stray characters 'Ghb' before row number")]
    assert std.komponen["jangka_waktu"].teks.startswith("Maksimal 1 (satu) hari kerja")


def test_component_labels_split_across_rows_are_joined(documents):
    kbli = find(documents, BALANGAN, "Izin Operasional Rumah Sakit")
    assert kbli.komponen["pengaduan"].label == "Penanganan Pengaduan, Saran dan masukan"
    online = find(documents, BALANGAN, "Pelayanan Pendampingan Perizinan Berusaha Online")
    keamanan = online.komponen["jaminan_keamanan"]
    assert keamanan.label == "Jaminan Keamanan dan Keselamatan Pelayanan"
    # The sentence continues across the page break: "... berlogo DPMPTSP Kabupaten" + "Balangan, ..."
    assert keamanan.butir[0].startswith("Keamanan produk layanan dijamin")
    assert "Kabupaten Balangan, memiliki nomor registrasi" in keamanan.butir[0]


# --- persyaratan and prosedur of 17 standards (counts, first and last items) -------------------

CASES = [
    # (document, nama, persyaratan: count/first/last, prosedur: count/first/last)
    (
        BALANGAN,
        "Surat Izin Praktik Bidan",
        (14, "Surat permohonan", "Fotokopi SK pangkat terakhir/kontrak yang berlaku(bagi yang memiliki)"),
        (
            9,
            "Pemohon mengajukan permohonan melalui Customer Service",
            "Petugas Customer Service memberi nomor izin dan menyerahkan izin",
        ),
    ),
    (
        BALANGAN,
        "Pelayanan Pendampingan Perizinan Berusaha Online",
        (
            6,
            "Mengajukan surat permohonan yang ditujukan kepada Kepala DPMPTSP diatas materai",
            "Surat Kuasa bagi yang pengurusannya diwakilkan",
        ),
        (
            3,
            "Pemohon Meminta Informasi Perizinan Berusaha ke Costumer Service tentang Perizinan "
            "Berusaha Online",
            "Front Office Mendampingi Pemohon untuk Pengisian Data Usaha Pada Aplikasi OSS sampai Penerbitan "
            "NIB, Izin Usaha atau Izin Operasional yang Belum Memenuhi Komitmen",
        ),
    ),
    (
        BALANGAN,
        "Izin Toko Alat Kesehatan",
        (5, "Nomor Induk Berusaha(NIB)", "Berita Acara Pemeriksaan"),
        (
            10,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Customer Service menyerahkan izin yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Izin Mendirikan Rumah Sakit",
        (4, "Nomor Induk Berusaha(NIB)", "Pemenuhan pelayanan alat kesehatan"),
        None,
    ),
    (
        BALANGAN,
        "Izin Operasional Rumah Sakit",
        (7, "Nomor Induk Berusaha(NIB)", "Sertifikat akreditasi (untuk perpanjangan izin)"),
        (
            10,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Customer Service menyerahkan izin yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Izin Apotek",
        (7, "Nomor Induk Berusaha(NIB)", "Berita Acara Pemeriksaan"),
        (10, "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service", None),
    ),
    (
        BALANGAN,
        "Izin Penyelenggaraan Pengendalian Vektor dan Binatang Pembawa Penyakit",
        # lettered a, b, g, h, i in the source
        (5, "Nomor Induk Berusaha(NIB)", "Badan hukum untuk usaha swasta"),
        # lettered k ... t
        (
            10,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Customer Service menyerahkan izin yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Izin Usaha Mikro Kecil (IUMK)",
        (
            3,
            "Izin Usaha Mikro dan Kecil adalah izin yang diterbitkan oleh lembaga OSS untuk Usaha Mikro "
            "dan Usaha Kecil",
            "Surat Pernyataan Pengelolaan Lingkungan (SPPL)",
        ),
        # "i. ... webform OSS Petugas Customer Service ... pemohon. j." : a trailing empty "j."
        (
            9,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Back Office memproses izin pada webform OSS Petugas Customer Service menyerahkan izin "
            "yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Surat Izin Usaha Perdagangan",
        (5, "Kartu Tanda Penduduk (KTP)", "Bidang Usaha Pusat Perbelanjaan; (KBLI 68110)"),
        # "... menyerahkan izin yang sudah</p> <p>j. memenuhi komitmen ...": j. is inside the sentence
        (
            9,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Back Office memproses izin pada webform OSS Petugas Customer Service menyerahkan izin "
            "yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Izin Mendirikan Bangunan (IMB)",
        (
            12,
            "Tanda Bukti Status Kepemilikan Tanah atau Perjanjian Pemanfaatan Tanah",
            "Data penyedia jasa perencanaan",
        ),
        (9, "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service", None),
    ),
    (
        BALANGAN,
        "Izin Pembuangan Air Limbah",
        # lettered j ... r
        (9, "Nomor Induk Berusaha (NIB)", "Dokumen rancang bangun penyimpanan Limbah B3"),
        (
            9,
            "Pemohon mengajukan permohonan pemenuhan komitmen izin usaha melalui Customer Service",
            "Petugas Back Office memproses izin pada webform OSS Petugas Customer Service menyerahkan izin "
            "yang sudah memenuhi komitmen kepada pemohon",
        ),
    ),
    (
        BALANGAN,
        "Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam",
        (0, None, None),  # Persyaratan is empty in the source
        None,
    ),
    (
        BALANGAN,
        "Pengesahan Siteplan Perumahan",
        (9, "Draft site plan yang diajukan", "Menyertakan Izin Lingkungan"),
        # "d. ... apabila Rekomendasi e. sesuai dengan permohonan ...": one step, so 8 in all
        (
            8,
            "Pemohon mengajukan permohonan melalui Customer Service",
            "Petugas Customer Service memberi nomor izin dan menyerahkan izin",
        ),
    ),
    (
        BALANGAN,
        "Izin Pengelolaan dan Pengusahaan Sarang Burung Walet",
        (2, "Habitat Alami", "Habitat Buatan"),
        # the fifth step has no letter ("<p>Petugas Back Office memproses Izin</p>")
        (
            9,
            "Pemohon mengajukan permohonan melalui Customer Service",
            "Petugas Customer Service memberi nomor izin dan menyerahkan izin..",
        ),
    ),
    (
        OKI_PIRT,
        "Sertifikat Produksi Pangan Rumah Tangga",
        (
            13,
            "Surat Permohonan bermeterai izin produksi makanan atau minuman",
            "Menyerahkan hasil uji laboratorium yang disarankan oleh Dinas kesehatan, mengikuti penyuluhan "
            "keamanan pangan (sertifikat penyuluhan pangan)",
        ),
        (
            8,
            "Pemohon mengajukan berkas permohonan perizinan ke loket pendaftaran di Front Office (FO)",
            "Dokumen Perizinan diserahkan kepada Pemohon",
        ),
    ),
    (
        OKI_INDUSTRI,
        "Izin Usaha Perluasan Industri",
        (2, "Penggunaan OSS", "Pemenuhan komitmen"),
        (
            8,
            "Pemohon mengajukan berkas permohonan perizinan ke loket pendaftaran di Front Office (FO)",
            "Dokumen Perizinan diserahkan kepada Pemohon",
        ),
    ),
    (
        PURWAKARTA,
        "Sertifikat Standar (Risiko Menengah Tinggi) KBLI 10510 Industri Pengolahan Susu Segar dan Krim",
        (2, "Persyaratan Umum", "Persyaratan Khusus"),
        (0, None, None),  # one sentence, no list: "Klasifikasi 3, 7, 12, atau 16 ..."
    ),
]


@pytest.mark.parametrize("dokumen,nama,persyaratan,prosedur", CASES, ids=[c[1][:40] for c in CASES])
def test_persyaratan_and_prosedur(documents, dokumen, nama, persyaratan, prosedur):
    std = find(documents, dokumen, nama)
    for key, expected in (("persyaratan", persyaratan), ("prosedur", prosedur)):
        if expected is None:
            continue
        count, first, last = expected
        items = texts(std.komponen[key].butir)
        assert len(items) == count, (key, items)
        if first is not None:
            assert items[0] == first, key
        if last is not None:
            assert items[-1] == last, key


def test_nested_lists_are_kept_nested(documents):
    walet = find(documents, BALANGAN, "Izin Pengelolaan dan Pengusahaan Sarang Burung Walet")
    alami, buatan = walet.komponen["persyaratan"].butir
    assert len(alami["butir"]) == 11
    assert alami["butir"][1] == {
        "teks": "Memperlihatkan asli dan menyerahkan fotocopy",
        "butir": [
            "Identitas pemohon",
            "Nomor Pokok Wajib Pajak (NPWP)",
            "Surat Izin Usaha Perdagangan (SIUP)",
        ],
    }
    assert len(buatan["butir"]) == 10
    assert buatan["butir"][0] == "Surat permohonan"
    assert len(buatan["butir"][1]["butir"]) == 6
    assert buatan["butir"][-1].startswith("Surat perjanjian akan melaksanakan tanggung jawab sosial")

    limbah = find(documents, BALANGAN, "Izin Pembuangan Air Limbah").komponen["persyaratan"].butir
    assert limbah[2] == {
        "teks": "Dokumen",
        "butir": [
            "Penyusunan dokumen Izin Lingkungan, Amdal atau UKL-UPL",
            "Bukti kepemilikan atas dana penanggulangan pencemaran lingkungan hidup dan/atau kerusakan "
            "lingkungan hidup",
            "Izin Lokasi",
            "IMB",
        ],
    }

    rs = find(documents, BALANGAN, "Izin Operasional Rumah Sakit").komponen["persyaratan"].butir
    assert rs[3] == {
        "teks": "Profil Rumah Sakit yang paling sedikit meliputi",
        "butir": ["visi dan misi", "lingkup kegiatan", "rencana strategis", "struktur organisasi"],
    }

    purwakarta = documents[PURWAKARTA].standards[0].komponen["persyaratan"].butir
    assert [len(group["butir"]) for group in purwakarta] == [5, 4]
    assert purwakarta[1]["butir"][-1] == "Memiliki sistem manajemen usaha perusahaan"

    oki = documents[OKI_INDUSTRI].standards[0].komponen["persyaratan"].butir
    assert [len(group["butir"]) for group in oki] == [4, 4]
    assert oki[0]["butir"][0] == "Memiliki Nomor Identitas yang sah (NIK bagi WNI atau Passport bagi WNA)"


def test_continuation_rows_across_page_breaks_lose_no_text(documents):
    # Purwakarta's complaint procedure runs over four pages; its last sentence is on the last one.
    pengaduan = documents[PURWAKARTA].standards[0].komponen["pengaduan"]
    assert pengaduan.teks.startswith("1. Pemohon dapat menyampaikan pengaduan")
    assert pengaduan.teks.endswith("dilaporkan kepada atasan langsung.")
    assert "2) Jenis masalah yang dikelompokkan" in pengaduan.teks
    assert texts(pengaduan.butir)[-1] == (
        "Hasil tindak lanjut pengaduan diinformasikan kepada pemohon dan dilaporkan kepada atasan langsung"
    )
    sarana = documents[PURWAKARTA].standards[0].komponen["sarana"]
    assert len(sarana.butir) == 50  # 1-11 before the page break, 12-50 after
    assert sarana.butir[-1] == "ID pegawai"
    kompetensi = documents[PURWAKARTA].standards[0].komponen["kompetensi"]
    assert len(kompetensi.butir) == 9


def test_lettering_as_written_is_recorded(documents):
    vektor = find(
        documents, BALANGAN, "Izin Penyelenggaraan Pengendalian Vektor dan Binatang Pembawa Penyakit"
    )
    assert vektor.komponen["persyaratan"].lettering == [["a", "b", "g", "h", "i"]]
    limbah = find(documents, BALANGAN, "Izin Pembuangan Air Limbah")
    assert limbah.komponen["persyaratan"].lettering == [["j", "k", "l", "m", "n", "o", "p", "q", "r"]]


# --- durations, fees, channels -----------------------------------------------------------------

DURATIONS = [
    (BALANGAN, "Surat Izin Praktik Bidan", 6, None),
    (BALANGAN, "Izin Lingkungan (UKL-UPL/AMDAL)", 180, 14),  # "Maksimal 14-180 hari kerja"
    (BALANGAN, "Usaha Depot Air Minum (DAM)", 11, None),  # "11 (dua belas)": the digits are kept
    (BALANGAN, "Pendaftaran Usaha Budidaya Hortikultura", 12, None),  # "dua belas (dua belas)"
    (BALANGAN, "Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam", 2, None),  # "2(dua)"
    (BALANGAN, "Izin Pengelolaan dan Pengusahaan Sarang Burung Walet", 61, None),
    (BALANGAN, "Izin Pembuangan Air Limbah", 41, None),
    (BALANGAN, "Pelayanan Pendampingan Perizinan Berusaha Online", 1, None),
    (OKI_PIRT, "Sertifikat Produksi Pangan Rumah Tangga", 3, None),
    (
        PURWAKARTA,
        "Sertifikat Standar (Risiko Menengah Tinggi) KBLI 10510 Industri Pengolahan Susu Segar dan Krim",
        7,
        None,
    ),
]


@pytest.mark.parametrize("dokumen,nama,maks,minimum", DURATIONS, ids=[d[1][:30] for d in DURATIONS])
def test_durations(documents, dokumen, nama, maks, minimum):
    duration = parse_duration(find(documents, dokumen, nama).komponen["jangka_waktu"].teks)
    assert (duration.hari_kerja_maks, duration.hari_kerja_min) == (maks, minimum)


def test_duration_reports_digits_that_disagree_with_words():
    assert parse_duration("Maksimal 11 (dua belas) hari kerja sejak ...").disagreement == (11, 12)
    assert parse_duration("Maksimal 12 (dua belas) hari kerja").disagreement is None
    assert parse_duration("sesuai ketentuan").hari_kerja_maks is None


def test_words_to_number():
    cases = {"satu": 1, "dua belas": 12, "sebelas": 11, "empat puluh satu": 41, "seratus delapan puluh": 180}
    for words, value in cases.items():
        assert words_to_number(words) == value
    assert words_to_number("hari kerja") is None


def test_fees(documents):
    for doc in documents.values():
        for std in doc.standards:
            assert parse_rupiah(std.komponen["biaya"].teks) == 0, std.nama  # all free in these documents
    assert parse_rupiah("Rp.0,00 (Nol rupiah)") == 0
    assert parse_rupiah(": Gratis") == 0
    assert parse_rupiah("Rp. 150.000,00 per izin") == 150000
    assert parse_rupiah("Sesuai Peraturan Daerah tentang Retribusi") is None


def test_complaint_channels(documents):
    bidan = find(documents, BALANGAN, "Surat Izin Praktik Bidan").komponen["pengaduan"].teks
    assert parse_channels(bidan) == {
        "whatsapp": ["08125671335"],
        "telepon": ["(0526) 2028114"],
        "faks": ["(0526) 2028114"],
        "email": ["dpmptsp.balangan@gmail.com"],
        "website": ["http://dpmptsp.balangankab.go.id"],
    }
    oki = parse_channels(documents[OKI_PIRT].standards[0].komponen["pengaduan"].teks)
    assert oki["telepon"] == ["081273345869", "(0712) 322869"]  # "... 322869 5. Surat ke ...": no "5"
    assert oki["email"] == ["pengaduan.dpmpstsp.kab.oki@gmail.com"]
    pwk = parse_channels(documents[PURWAKARTA].standards[0].komponen["pengaduan"].teks)
    assert pwk["whatsapp"] == ["081809898222"]
    assert pwk["sms"] == ["081809898222"]
    assert pwk["telepon"] == ["(0264) 8224794 ext.103"]
    assert pwk["media_sosial"] == ["Twitter: dpmptsp_pwk", "Instagram: pengaduanptsp139.purwakarta"]
    assert pwk["website"] == ["www.dpmptsp.purwakartakab.go.id", "www.mpp.purwakartakab.go.id"]
    assert pwk["alamat"][0].startswith("Jalan Veteran Nomor 139")


# --- bad input ---------------------------------------------------------------------------------

TABLE_HEADER = "PENYAMPAIAN PELAYANAN\t\t\nNO\tKOMPONEN\tURAIAN\n1\t2\t3\n"


def test_empty_file(tmp_path):
    path = tmp_path / "kosong_dokumen.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"kosong_dokumen\.txt:1: empty document"):
        parse_file(path)


def test_file_without_standards(tmp_path):
    path = tmp_path / "surat_biasa.txt"
    path.write_text("SURAT EDARAN\n\nDengan hormat, kantor tutup pada hari libur.\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"surat_biasa\.txt:1: no service standard found"):
        parse_file(path)


def test_truncated_table_names_the_standard_and_line(tmp_path):
    text = (
        "Jenis Pelayanan : 1. **IZIN APOTEK**\n\n"
        + TABLE_HEADER
        + "1.\tPersyaratan\ta. Surat permohonan; b. KTP\n"
        + "2.\tSistem, Mekanisme dan Prosedur\ta. Pemohon datang\n"
    )
    path = tmp_path / "terpotong.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    message = str(info.value)
    assert message.startswith("terpotong.txt:1: ")
    assert "'IZIN APOTEK' is incomplete" in message
    assert "Jangka Waktu Penyelesaian" in message and "Evaluasi Kinerja Pelaksana" in message


def test_binary_garbage(tmp_path):
    path = tmp_path / "sampah.txt"
    path.write_bytes(b"Jenis Pelayanan\nbaris dua\n\x00\x01\x02\xff\xfe garbage")
    with pytest.raises(ParseError, match=r"sampah\.txt:3: binary content"):
        parse_file(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        "Jenis Pelayanan : 1. **IZIN**\nPersyaratan: fotokopi KTP \u2013 asli\n".encode("cp1252")
    )
    with pytest.raises(ParseError, match=r"latin1\.txt:2: not UTF-8 text"):
        parse_file(path)


def test_unknown_component_label(tmp_path):
    text = "Jenis Pelayanan : 1. **IZIN X**\n\n" + TABLE_HEADER + "1.\tCatatan Lain\tsesuatu\n"
    with pytest.raises(ParseError, match=r"x\.txt:6: unknown component label 'Catatan Lain'"):
        parse_text(text, "x.txt")


def test_a_complete_minimal_standard_parses():
    rows = "".join(f"{i}.\t{label}\tisi {key}\n" for i, (key, label) in enumerate(KOMPONEN.items(), 1))
    doc = parse_text("Jenis Pelayanan : 7. **IZIN CONTOH**\n\n" + TABLE_HEADER + rows, "contoh_dokumen.txt")
    (std,) = doc.standards
    assert (std.nomor, std.nama, std.baris, doc.wilayah) == (7, "Izin Contoh", 1, "contoh")
    assert std.komponen["evaluasi"].teks == "isi evaluasi"


def _words(text: str) -> Counter:
    text = re.sub(r"<[^>]+>", " ", text).replace("**", " ")
    return Counter(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize("dokumen", [BALANGAN, OKI_INDUSTRI, OKI_PIRT, PURWAKARTA])
def test_no_text_lost(documents, dokumen):
    """Every word of every table cell ends up in a component (only layout debris is dropped).

    Independent of the parser: the table rows between two titles are read with a plain split, and
    header rows, section rows and "--" rows are the only ones left out.
    """
    lines = (SOURCES / dokumen).read_text(encoding="utf-8").split("\n")
    standards = documents[dokumen].standards
    for index, std in enumerate(standards):
        end = standards[index + 1].baris - 1 if index + 1 < len(standards) else len(lines)
        expected: Counter = Counter()
        for line in lines[std.baris : end]:
            cells = line.split("\t")
            if (
                len(cells) < 2
                or cells[0].strip().upper() in ("NO", "1")
                and cells[1].strip().upper() in ("KOMPONEN", "2")
            ):
                continue
            if re.match(r"^\s*-+\s*$", cells[0]) or re.search(r"Komponen Standar|Proses P", line):
                continue
            expected += _words(cells[-1])
        found: Counter = Counter()
        labels: Counter = Counter()
        for comp in std.komponen.values():
            found += _words(comp.teks)
            labels += _words(comp.label)
        missing = expected - found - labels
        assert not missing, (std.nama, missing)
