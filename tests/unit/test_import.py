"""`python -m bot kb import`: a new regency's decree -> draft YAML, review list, check, load; bad
documents lose nothing; a revised decree shows its changes first and keeps the curated extras."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.knowledge import repository
from bot.knowledge.repository import load_index
from tests.conftest import KNOWLEDGE_DIR
from tests.onboarding_support import NAMA, TABLE_SOURCE, TITLE, WILAYAH, synthetic_decree

NEW_ID = f"{WILAYAH}-izin-usaha-penggilingan-padi"
OKI_TABLE_ID = "ogan-komering-ilir-izin-usaha-perluasan-industri"


@pytest.fixture
def kb(tmp_path) -> Path:
    """A writable copy of the real knowledge directory."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` with a hash of its content (to prove nothing was written)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def kb_import(kb: Path, source: Path, *extra: str, nama: str | None = NAMA) -> int:
    args = ["kb", "import", str(source), "--wilayah", WILAYAH, "--knowledge", str(kb)]
    if nama:
        args += ["--nama", nama]
    return main(args + list(extra))


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_new_regency_goes_from_decree_to_answers(kb, tmp_path, capsys, db_url):
    source = write(tmp_path / "SK Standar Pelayanan 2026.txt", synthetic_decree(TITLE))
    assert kb_import(kb, source) == 0
    out = capsys.readouterr().out

    # Drafts: the standard (same 14 components as the table it came from), the office, the source copy.
    standard_file = kb / "standards" / WILAYAH / "izin-usaha-penggilingan-padi.yaml"
    office_file = kb / "wilayah" / f"{WILAYAH}.yaml"
    copy = kb / "sources" / f"{WILAYAH}_sk-standar-pelayanan-2026.txt"
    assert copy.read_bytes() == source.read_bytes()
    standard, office = read(standard_file), read(office_file)
    original = read(KNOWLEDGE_DIR / "standards" / "ogan-komering-ilir" / "izin-usaha-perluasan-industri.yaml")
    assert standard["id"] == NEW_ID and standard["nama"] == TITLE and standard["wilayah"] == WILAYAH
    assert standard["sumber"]["dokumen"] == copy.name
    assert standard["komponen"]["persyaratan"] == original["komponen"]["persyaratan"]
    assert standard["komponen"]["jangka_waktu"]["hari_kerja_maks"] == 3
    assert office["nama"] == NAMA and office["provinsi"] == "Jawa Tengah"
    assert office["kantor"] == f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {NAMA}"
    assert office["zona_waktu"] == "Asia/Jakarta"  # suggested from the province
    assert office["email"] == ["pengaduan.dpmpstsp.kab.sungairindang@gmail.com"]
    assert office["jam_layanan_terverifikasi"] is False and office["jam_layanan"]
    assert office["alias"] == ["sungai rindang", "kab sungai rindang", "kabupaten sungai rindang"]
    assert office_file.read_text(encoding="utf-8").startswith("# Draft written by `python -m bot kb import`")
    assert f"| {copy.name} " in (kb / "sources" / "README.md").read_text(encoding="utf-8")

    # The report: what to review first, then the region's data-quality report.
    assert "REVIEW FIRST" in out
    assert "zona_waktu: Asia/Jakarta suggested from the province 'Jawa Tengah': confirm it" in out
    assert f"sector: {NEW_ID}: no sector word" in out
    assert f"aliases: {NEW_ID}: ijin usaha penggilingan padi [ejaan]" in out
    assert "jam_layanan: the usual local-government hours" in out
    assert "regions: 1, standards: 1" in out and "OK: 0 errors" in out

    # The maintainer's review: a sector and an alias; then check and load.
    standard["sektor"] = "pertanian"
    standard["alias"].append("izin penggilingan")
    standard_file.write_text(yaml.safe_dump(standard, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["kb", "check", "--knowledge", str(kb)]) == 0
    assert "OK: 0 errors" in capsys.readouterr().out
    assert main(["kb", "load", "--knowledge", str(kb), "--database-url", db_url]) == 0

    from bot.db import session_factory

    with session_factory(db_url)() as session:
        loaded = repository.get_standard(session, NEW_ID)
        region = repository.get_region(session, WILAYAH)
        index = load_index(session)
    assert loaded.wilayah_nama == NAMA and loaded.sektor == "pertanian"
    assert loaded.sumber.dokumen == copy.name
    assert region.zona_waktu == "Asia/Jakarta" and region.pengaduan.kanal_nasional.sms == "1708"
    result = index.find("syarat izin penggilingan padi di sungai rindang")
    assert result.status == "found" and result.best.standard_id == NEW_ID


def test_without_a_province_the_time_zone_must_be_filled_before_loading(kb, tmp_path, capsys, db_url):
    source = write(tmp_path / "sk.txt", synthetic_decree(TITLE, provinsi=None))
    assert kb_import(kb, source) == 0
    out = capsys.readouterr().out
    assert "MUST FIX before kb load" in out and "zona_waktu: not set" in out
    assert read(kb / "wilayah" / f"{WILAYAH}.yaml")["zona_waktu"] is None
    assert main(["kb", "check", "--knowledge", str(kb)]) == 1
    # The invalid office file is reported once, not also as a missing one.
    assert "no office file" not in capsys.readouterr().out
    assert main(["kb", "load", "--knowledge", str(kb), "--database-url", db_url]) == 2
    assert "zona_waktu" in capsys.readouterr().err


HEAD = "1. Izin X\n\nNO\tKOMPONEN\tURAIAN\n"
NONE = ":{}: no service standard found"
BAD_DOCUMENTS = [
    ("markdown.txt", "SK\n\n| NO | KOMPONEN | URAIAN |\n| 1 | Persyaratan | KTP |\n",
     NONE.format(3) + ": a table written with '|'"),
    ("spasi.txt", "1. Izin X\n\n1.  Persyaratan   KTP\n2.  Sistem   datang\n",
     NONE.format(3) + ": component rows are separated by spaces"),
    ("tanpa-judul.txt", "SK\n\nNO\tKOMPONEN\tURAIAN\n1.\tPersyaratan\tKTP\n",
     NONE.format(3) + ": this table has no title line"),
    ("surat.txt", "SURAT EDARAN\n\nDengan hormat.\n", NONE.format(1)),
    ("kosong.txt", "\n\n", ":1: empty document"),
    ("terpotong.txt", HEAD + "1.\tPersyaratan\tKTP\n", ":1: standard 'Izin X' is incomplete"),
    ("label.txt", HEAD + "1.\tCatatan Lain\tKTP\n", ":4: unknown component label 'Catatan Lain'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_an_unknown_layout_names_the_line_and_writes_nothing(kb, tmp_path, capsys, name, text, expected):
    source = write(tmp_path / name, text)
    before = tree(kb)
    assert kb_import(kb, source) == 2
    err = capsys.readouterr().err
    assert f"{source}{expected}" in err, err
    assert "nothing was written" in err
    assert tree(kb) == before


def test_binary_and_missing_files_write_nothing(kb, tmp_path, capsys):
    before = tree(kb)
    pdf = tmp_path / "sk.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01\x02 binary")
    assert kb_import(kb, pdf) == 2
    assert "binary content (NUL byte)" in capsys.readouterr().err
    assert kb_import(kb, tmp_path / "tidak-ada.txt") == 2
    assert "cannot read" in capsys.readouterr().err
    assert tree(kb) == before


def test_bad_arguments(kb, tmp_path, capsys):
    source = write(tmp_path / "sk.txt", synthetic_decree(TITLE))
    before = tree(kb)
    assert kb_import(kb, source, nama=None) == 2
    assert "a new region needs its name: --nama" in capsys.readouterr().err
    assert (
        main(
            [
                "kb",
                "import",
                str(source),
                "--wilayah",
                "Sungai Rindang",
                "--nama",
                NAMA,
                "--knowledge",
                str(kb),
            ]
        )
        == 2
    )
    assert "is not a slug" in capsys.readouterr().err
    assert tree(kb) == before


def test_dry_run_shows_everything_and_writes_nothing(kb, tmp_path, capsys):
    source = write(tmp_path / "sk.txt", synthetic_decree(TITLE))
    before = tree(kb)
    assert kb_import(kb, source, "--dry-run") == 0
    out = capsys.readouterr().out
    assert (
        "REVIEW FIRST" in out and "regions: 1, standards: 1" in out and "dry run: nothing was written" in out
    )
    assert tree(kb) == before


def test_a_revised_decree_shows_its_changes_first_and_keeps_curated_extras(kb, tmp_path, capsys):
    first = write(tmp_path / "sk.txt", synthetic_decree(TITLE, "Izin Usaha Penggilingan Jagung"))
    assert kb_import(kb, first) == 0
    folder = kb / "standards" / WILAYAH
    padi, jagung = (
        folder / "izin-usaha-penggilingan-padi.yaml",
        folder / "izin-usaha-penggilingan-jagung.yaml",
    )
    # The maintainer curates: a sector and an alias of their own, one suggestion removed.
    data = read(padi)
    data["sektor"], data["alias"] = "pertanian", ["izin gilingan padi"]
    padi.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    # The revised decree (same file name): one requirement reworded, the duration changed, the title
    # of the first standard extended, the second standard dropped, a third one added.
    revised = synthetic_decree("Izin Usaha Penggilingan Padi dan Beras", "Izin Usaha Penggilingan Kopi")
    revised = revised.replace("Memiliki e-mail yang aktif", "Memiliki e-mail dan nomor telepon yang aktif")
    revised = revised.replace("3 (tiga) hari kerja", "5 (lima) hari kerja")
    write(first, revised)
    capsys.readouterr()
    before = tree(kb)
    assert kb_import(kb, first) == 3  # not a terminal and no --yes: shown, not applied
    out = capsys.readouterr().out
    assert (
        f"~ changed: {WILAYAH}-izin-usaha-penggilingan-padi (Izin Usaha Penggilingan Padi dan Beras)" in out
    )
    assert "title 'Izin Usaha Penggilingan Padi' -> 'Izin Usaha Penggilingan Padi dan Beras' (id kept)" in out
    assert (
        "Persyaratan: + 'Memiliki e-mail dan nomor telepon yang aktif'; - 'Memiliki e-mail yang aktif'" in out
    )
    assert "Jangka Waktu Penyelesaian: '3 (tiga) hari kerja' -> '5 (lima) hari kerja'" in out
    assert f"+ new: {WILAYAH}-izin-usaha-penggilingan-kopi" in out
    assert f"- removed: {WILAYAH}-izin-usaha-penggilingan-jagung" in out
    assert "nothing was written (run again with --yes" in out
    assert tree(kb) == before

    assert kb_import(kb, first, "--yes") == 0
    data = read(padi)  # same file, same id: conversations and buttons keep working
    assert data["nama"] == "Izin Usaha Penggilingan Padi dan Beras"
    assert (data["sektor"], data["alias"]) == ("pertanian", ["izin gilingan padi"])
    assert data["komponen"]["jangka_waktu"]["hari_kerja_maks"] == 5
    assert not jagung.exists()
    assert read(folder / "izin-usaha-penggilingan-kopi.yaml")["alias"] == ["ijin usaha penggilingan kopi"]
    capsys.readouterr()
    assert main(["kb", "check", "--knowledge", str(kb)]) == 0


def test_a_decree_under_a_new_file_name_replaces_the_old_one_only_when_asked(kb, tmp_path, capsys):
    old = write(tmp_path / "sk-2025.txt", synthetic_decree(TITLE))
    assert kb_import(kb, old) == 0
    new = write(tmp_path / "sk-2026.txt", synthetic_decree(TITLE).replace("Gratis", "Rp. 0,00"))
    capsys.readouterr()
    before = tree(kb)
    assert kb_import(kb, new) == 2
    err = capsys.readouterr().err
    assert f"--menggantikan {WILAYAH}_sk-2025.txt" in err and tree(kb) == before
    assert kb_import(kb, new, "--menggantikan", f"{WILAYAH}_sk-2025.txt", "--yes") == 0
    assert "Biaya/Tarif: 'Gratis' -> 'Rp. 0,00'" in capsys.readouterr().out
    assert not (kb / "sources" / f"{WILAYAH}_sk-2025.txt").exists()
    assert read(kb / "wilayah" / f"{WILAYAH}.yaml")["sumber"] == [f"{WILAYAH}_sk-2026.txt"]
    readme = (kb / "sources" / "README.md").read_text(encoding="utf-8")
    assert f"{WILAYAH}_sk-2026.txt" in readme and f"{WILAYAH}_sk-2025.txt" not in readme
    assert main(["kb", "check", "--knowledge", str(kb)]) == 0


def test_reimporting_the_unchanged_balangan_decree_changes_nothing(kb, capsys):
    source = kb / "sources" / "balangan_keputusan-standar-pelayanan-2021.txt"
    before = tree(kb)
    assert main(["kb", "import", str(source), "--wilayah", "balangan", "--knowledge", str(kb)]) == 0
    out = capsys.readouterr().out
    assert "= unchanged: 83" in out and "nothing to change" in out
    assert tree(kb) == before


def test_the_same_table_in_another_document_of_the_region_is_refused(kb, tmp_path, capsys):
    copy = write(tmp_path / "lagi.txt", TABLE_SOURCE.read_text(encoding="utf-8"))
    before = tree(kb)
    args = ["kb", "import", str(copy), "--wilayah", "ogan-komering-ilir", "--knowledge", str(kb)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"standard {OKI_TABLE_ID} already exists from document {TABLE_SOURCE.name}" in err
    assert tree(kb) == before
