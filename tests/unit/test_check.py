"""`kb check`: schema errors fail, content problems are reported as warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.knowledge.check import _lettering_problem, number_word_disagreements, run_check

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
BALANGAN = "balangan_keputusan-standar-pelayanan-2021.txt"


@pytest.fixture(scope="module")
def report():
    return run_check(KNOWLEDGE)


def joined(report, category: str) -> str:
    return "\n".join(report.warnings.get(category, []))


def test_curated_files_have_no_errors(report):
    assert report.errors == []
    assert report.counts == {"regions": 3, "standards": 86}


def test_reports_empty_components(report):
    text = joined(report, "komponen_kosong")
    assert "Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam no. 28): Persyaratan is empty" in text
    assert "Sertifikat Laik Fungsi no. 39): Dasar Hukum is empty" in text


def test_reports_numbers_that_disagree_with_words(report):
    text = joined(report, "angka_huruf")
    assert "Usaha Depot Air Minum (DAM) no. 76" in text
    assert "'11 (dua belas)' says 11 in digits and 12 in words" in text


def test_reports_missing_and_repeated_standard_numbers(report):
    text = joined(report, "nomor_standar")
    assert f"{BALANGAN}:122: number 1 used again ('Izin Toko Alat Kesehatan'; first at line 93)" in text
    assert f"{BALANGAN}: no standard numbered 26" in text


def test_reports_the_two_decree_numbers(report):
    text = joined(report, "nomor_keputusan")
    assert "188.45/25/DPMPMSP-BLG/TAHUN 2021 vs 188.45/255/DPMPSTP-BLG/TAHUN 2021" in text


def test_reports_lettering_that_skips_or_starts_late(report):
    text = joined(report, "penomoran")
    assert "Persyaratan: a, b, g, h, i: 'b' then 'g' ['Izin Penyelenggaraan Pengendalian Vektor" in text
    assert "Persyaratan: j, k, l ... q, r: starts at 'j' ['Izin Pembuangan Air Limbah' line 1248]" in text


def test_reports_a_product_that_names_another_permit(report):
    text = joined(report, "produk")
    assert "balangan-izin-pembuangan-air-limbah" in text
    assert "'Izin Penyimpanan Limbah Berbahaya dan Beracun (Limbah B3) Untuk Penghasil'" in text


def test_reports_complaint_channels_spelled_differently(report):
    text = joined(report, "kanal")
    assert "balangan: email written 4 ways" in text
    for spelling in (
        "dpmptsp.balangan@gmail.com",
        "dpmpstsp.balangan@gmail.com",
        "dpmpdsp.balangan@gmail.com",
    ):
        assert spelling in text
    # OKI gives the same channels in both standards: nothing to report there.
    assert "ogan-komering-ilir" not in text


def test_reports_stray_characters_and_letters_inside_sentences(report):
    assert "stray characters 'Ghb' before row number" in joined(report, "karakter_liar")
    assert "'e.' inside a sentence" in joined(report, "huruf_tersisip")


def test_no_drift_between_yaml_and_sources(report):
    assert report.warnings.get("drift", []) == []


def test_render(report):
    text = report.render()
    assert text.startswith("Knowledge base data-quality report")
    assert "Empty components" in text
    assert text.rstrip().endswith(f"OK: 0 errors, {report.warning_count} warnings")


def test_lettering_problem():
    assert _lettering_problem(["a", "b", "c"]) is None
    assert _lettering_problem(["1", "2", "3"]) is None
    assert _lettering_problem(["a", "b", "g"]) == "a, b, g: 'b' then 'g'"
    assert _lettering_problem(["d", "e", "f"]) == "d, e, f: starts at 'd'"
    assert _lettering_problem(["a", "", "c"]) == "a, (none), c: 1 item(s) without a letter"


def test_number_word_disagreements():
    assert number_word_disagreements("Maksimal 11 (dua belas) hari") == [(11, "dua belas", 12)]
    assert number_word_disagreements("3 (tiga) lembar; 100 (seratus) m") == []


# --- broken files ------------------------------------------------------------------------------


@pytest.fixture
def knowledge_copy(tmp_path):
    """A copy of the curated files (not the sources: only the YAML checks run)."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE / "wilayah", target / "wilayah")
    shutil.copytree(KNOWLEDGE / "standards", target / "standards")
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_missing_key_and_wrong_type_are_errors_naming_file_and_field(knowledge_copy, capsys):
    bidan = knowledge_copy / "standards" / "balangan" / "surat-izin-praktik-bidan.yaml"
    apotek = knowledge_copy / "standards" / "balangan" / "izin-apotek.yaml"
    edit(bidan, lambda d: d.pop("nama"))
    edit(apotek, lambda d: d["komponen"]["biaya"].update(rupiah="gratis"))
    report = run_check(knowledge_copy)
    assert f"{bidan}: nama: missing" in report.errors
    assert f"{apotek}: komponen.biaya.rupiah: expected int, got str" in report.errors
    assert main(["kb", "check", "--knowledge", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out
    assert "ERRORS (2)" in out and "FAILED: 2 errors" in out


def test_yaml_syntax_error_names_file_and_line(knowledge_copy):
    region = knowledge_copy / "wilayah" / "purwakarta.yaml"
    lines = region.read_text(encoding="utf-8").splitlines()
    lines[3] = "kantor: [tidak ditutup"
    region.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_check(knowledge_copy)
    assert any(e.startswith(f"{region}:") and "invalid YAML" in e for e in report.errors), report.errors


def test_id_must_match_file_name(knowledge_copy):
    path = knowledge_copy / "standards" / "balangan" / "izin-apotek.yaml"
    edit(path, lambda d: d.update(id="balangan-izin-apotik"))
    report = run_check(knowledge_copy)
    assert (
        f"{path}: id: 'balangan-izin-apotik' does not match the file name (expected 'balangan-izin-apotek')"
        in (report.errors)
    )


def test_staff_edits_are_warnings_not_errors(knowledge_copy):
    shutil.copytree(KNOWLEDGE / "sources", knowledge_copy / "sources")
    path = knowledge_copy / "standards" / "balangan" / "izin-apotek.yaml"
    edit(path, lambda d: d.update(nama="Izin Apotek (Perbaikan)"))
    report = run_check(knowledge_copy)
    assert report.errors == []
    assert report.warnings["drift"] == [
        "balangan-izin-apotek: nama 'Izin Apotek (Perbaikan)' in YAML, 'Izin Apotek' in " + BALANGAN
    ]


def test_unreadable_fee_is_a_warning(knowledge_copy):
    path = knowledge_copy / "standards" / "balangan" / "izin-reklame.yaml"
    edit(
        path,
        lambda d: d["komponen"]["biaya"].update(
            teks="Sesuai Peraturan Daerah tentang Retribusi", rupiah=None
        ),
    )
    report = run_check(knowledge_copy)
    assert report.errors == []
    assert report.warnings["tak_terbaca"] == [
        "balangan-izin-reklame (Izin Reklame no. 51): "
        "no amount in 'Sesuai Peraturan Daerah tentang Retribusi'"
    ]


# --- office operating data ------------------------------------------------------------------------


def test_office_data_to_confirm_is_reported(report):
    operasional = joined(report, "operasional")
    for wilayah in ("balangan", "ogan-komering-ilir", "purwakarta"):
        assert f"{wilayah}: office hours not confirmed by the office (jam_layanan_terverifikasi: false)" in (
            operasional
        )
    follow_up = joined(report, "tindak_lanjut")
    assert "balangan: no complaint response time" in follow_up
    assert "ogan-komering-ilir: no complaint response time" in follow_up
    assert "purwakarta: no complaint response time" not in follow_up  # its standard states 14 days
    assert "purwakarta: escalation to 'Aparat Pengawas Intern Pemerintah (APIP)" in follow_up


def test_an_office_file_without_a_time_zone_still_loads_with_a_warning(knowledge_copy):
    edit(knowledge_copy / "wilayah" / "ogan-komering-ilir.yaml", lambda d: d.pop("zona_waktu"))
    report = run_check(knowledge_copy)
    assert report.errors == []
    assert "ogan-komering-ilir: no zona_waktu: dates and deadlines are computed in Asia/Jakarta" in joined(
        report, "operasional"
    )


def test_confirmed_hours_and_a_zone_that_disagrees_with_the_province(knowledge_copy):
    path = knowledge_copy / "wilayah" / "balangan.yaml"
    edit(path, lambda d: d.update(jam_layanan_terverifikasi=True, zona_waktu="Asia/Jakarta"))
    report = run_check(knowledge_copy)
    assert report.errors == []
    operasional = joined(report, "operasional")
    assert "balangan: office hours not confirmed" not in operasional
    assert "balangan: zona_waktu Asia/Jakarta but Kalimantan Selatan is Asia/Makassar" in operasional


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.update(zona_waktu=None), "zona_waktu: not set: write the office's IANA time zone"),
        (lambda d: d.update(zona_waktu="WITA"), "zona_waktu: unknown time zone 'WITA'"),
        (
            lambda d: d["jam_layanan"][0].update(tutup=960),
            'jam_layanan[0].tutup: write the time in quotes, e.g. "16:00"',
        ),
        (lambda d: d["jam_layanan"][0].update(buka="7.30"), 'jam_layanan[0].buka: expected a time "HH:MM"'),
        (
            lambda d: d["jam_layanan"][1].update(hari=["jum'at"]),
            'jam_layanan[1].hari[0]: unknown day "jum\'at"',
        ),
        (
            lambda d: d["jam_layanan"][0].update(buka="17:00"),
            "jam_layanan[0]: closes (16:00) before it opens (17:00)",
        ),
        (
            lambda d: d.update(jam_layanan_terverifikasi="ya"),
            "jam_layanan_terverifikasi: expected bool, got str",
        ),
        (
            lambda d: d["pengaduan"].update(waktu_tanggapan_hari_kerja=0),
            "pengaduan.waktu_tanggapan_hari_kerja: expected a positive number",
        ),
        (lambda d: d["pengaduan"]["eskalasi"][0].pop("kepada"), "pengaduan.eskalasi[0].kepada: missing"),
        (
            lambda d: d["pengaduan"]["eskalasi"][0].update(setelah_hari_kerja=20, tujuan="x"),
            "pengaduan.eskalasi[0]: unknown keys ['tujuan']",
        ),
        (lambda d: d["pengaduan"]["kanal_nasional"].pop("nama"), "pengaduan.kanal_nasional.nama: missing"),
    ],
)
def test_bad_operating_data_is_an_error_naming_the_field(knowledge_copy, change, error):
    path = knowledge_copy / "wilayah" / "purwakarta.yaml"
    edit(path, change)
    report = run_check(knowledge_copy)
    assert any(e.startswith(f"{path}: {error}") for e in report.errors), report.errors
    # The standards of that office are not also reported as having no office file.
    assert not any("no office file" in e for e in report.errors)
