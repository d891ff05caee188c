"""Ticket codes and the complaint rules read from a standard's own text."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge.views import Component, Source, Standard
from bot.pengaduan.aturan import aturan_dari_standar
from bot.pengaduan.tiket import ALFABET, KODE_RE, buat_kode, normalize_kode

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "permohonan_kb" / "standards"


def test_codes_have_the_shape_and_no_lookalikes():
    codes = {buat_kode() for _ in range(2000)}
    assert len(codes) == 2000  # random, not a sequence
    for code in codes:
        assert KODE_RE.match(code)
        assert not set(code[4:].replace("-", "")) & set("01OIL")
    assert not set("01OIL") & set(ALFABET)


def test_normalize_accepts_what_people_type():
    assert normalize_kode("adu 7kq2 9xfd") == "ADU-7KQ2-9XFD"
    assert normalize_kode("ADU7KQ29XFD") == "ADU-7KQ2-9XFD"
    assert normalize_kode("adu/7kq2/9xfd") == normalize_kode("Adu.7KQ2.9xfd") == "ADU-7KQ2-9XFD"
    assert normalize_kode("ADU-7KQ2-9XF") is None
    assert normalize_kode("ADU-0KQ2-9XFD") is None  # 0 is never used
    assert normalize_kode("hello") is None


def _standard(path: Path) -> Standard:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    komponen = {
        key: Component(
            data["id"], key, c["label"], c["teks"], tuple(c["butir"]), {"kanal": c.get("kanal", {})}
        )
        for key, c in data["komponen"].items()
    }
    return Standard(
        data["id"], data["wilayah"], data["wilayah"], data["nomor"], data["nama"], data["sektor"], (),
        Source(data["sumber"]["dokumen"]), komponen,
    )  # fmt: skip


def test_purwakarta_rules_come_from_its_text():
    aturan = aturan_dari_standar(_standard(FIXTURES / "purwakarta" / "sertifikat-standar-kbli-10510.yaml"))
    assert aturan.waktu_tanggapan_hari_kerja == 14
    assert aturan.batas_pengajuan_hari == 30
    assert aturan.tanpa_identitas_jadi_saran is True
    assert any("14 (empat belas) hari kerja" in k for k in aturan.kutipan)
    assert aturan.kanal["whatsapp"] == ("081809898222",)


def test_balangan_promises_nothing_it_does_not_say():
    aturan = aturan_dari_standar(_standard(FIXTURES / "balangan" / "izin-apotek.yaml"))
    assert aturan.waktu_tanggapan_hari_kerja is None
    assert aturan.batas_pengajuan_hari is None
    assert aturan.tanpa_identitas_jadi_saran is False
    assert "whatsapp" in aturan.kanal


def test_no_standard_no_rules():
    aturan = aturan_dari_standar(None)
    assert (
        aturan.waktu_tanggapan_hari_kerja,
        aturan.batas_pengajuan_hari,
        aturan.tanpa_identitas_jadi_saran,
    ) == (
        None,
        None,
        False,
    )


def test_rules_read_from_the_real_knowledge_base(real_knowledge_factory):
    from bot.knowledge.repository import list_regions
    from bot.pengaduan.aturan import standar_acuan

    with real_knowledge_factory() as session:
        found = {r.id: aturan_dari_standar(standar_acuan(session, r.id, None)) for r in list_regions(session)}
    assert found["purwakarta"].waktu_tanggapan_hari_kerja == 14
    assert found["purwakarta"].batas_pengajuan_hari == 30
    assert found["purwakarta"].tanpa_identitas_jadi_saran
    for region in ("balangan", "ogan-komering-ilir"):  # their standards state none of these
        assert found[region].waktu_tanggapan_hari_kerja is None
        assert found[region].batas_pengajuan_hari is None
        assert not found[region].tanpa_identitas_jadi_saran
        assert found[region].kanal  # but they do list their channels
