"""Sources -> curated YAML files.

One file per standard (`knowledge/standards/<wilayah>/<slug>.yaml`) and per office
(`knowledge/wilayah/<wilayah>.yaml`).

This runs once per new document (`python -m bot kb parse`); afterwards the YAML files are the source
of truth that staff edit, so writing over an existing file needs `--force`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import enrich
from bot.knowledge.parse import (
    ParsedDocument,
    ParsedStandard,
    parse_channels,
    parse_duration,
    parse_rupiah,
    parse_sources,
)
from bot.knowledge.schema import KOMPONEN, KnowledgeFileError, validate_region, validate_standard


class CuratedFilesExist(RuntimeError):
    """Refusal to overwrite curated files that staff may have edited."""


class UnknownRegion(ValueError):
    """A source document for a region that has no office entry in enrich.WILAYAH yet."""


def slugify(text: str) -> str:
    """Lowercase ASCII slug: 'Izin Usaha Mikro Kecil (IUMK)' -> 'izin-usaha-mikro-kecil-iumk'."""
    ascii_text = text.lower().encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def standard_record(doc: ParsedDocument, std: ParsedStandard, standard_id: str) -> dict[str, Any]:
    """One standard as the dict that is written to its YAML file (schema: bot.knowledge.schema)."""
    sumber: dict[str, Any] = {"dokumen": doc.dokumen}
    if doc.judul:
        sumber["judul"] = doc.judul
    if doc.nomor_keputusan:
        sumber["nomor_keputusan"] = list(doc.nomor_keputusan)
    if doc.tanggal:
        sumber["tanggal"] = doc.tanggal
    sumber["baris"] = std.baris
    komponen: dict[str, Any] = {}
    for key in KOMPONEN:
        comp = std.komponen[key]
        entry: dict[str, Any] = {"label": comp.label, "teks": comp.teks, "butir": comp.butir}
        if key == "jangka_waktu":
            duration = parse_duration(comp.teks)
            entry["hari_kerja_maks"] = duration.hari_kerja_maks
            entry["hari_kerja_min"] = duration.hari_kerja_min
        elif key == "biaya":
            entry["rupiah"] = parse_rupiah(comp.teks)
        elif key == "pengaduan":
            entry["kanal"] = parse_channels(comp.teks)
        komponen[key] = entry
    return {
        "id": standard_id,
        "wilayah": doc.wilayah,
        "nomor": std.nomor,
        "nama": std.nama,
        "sektor": enrich.sektor_for(standard_id, doc.wilayah, std.nomor),
        "alias": enrich.aliases_for(standard_id),
        "sumber": sumber,
        "komponen": komponen,
    }


def build_records(sources_dir: Path) -> tuple[list[dict], list[dict]]:
    """(standards, regions) built from every source document; ids unique ('-2' on a clash)."""
    standards: list[dict] = []
    seen: set[str] = set()
    regions: dict[str, dict] = {}
    for doc in parse_sources(sources_dir):
        for std in doc.standards:
            base = f"{doc.wilayah}-{slugify(std.nama)}"
            standard_id, n = base, 1
            while standard_id in seen:
                n += 1
                standard_id = f"{base}-{n}"
            seen.add(standard_id)
            standards.append(standard_record(doc, std, standard_id))
        region = regions.setdefault(doc.wilayah, _region_record(doc.wilayah))
        if doc.dokumen not in region["sumber"]:
            region["sumber"].append(doc.dokumen)
    return standards, list(regions.values())


def _region_record(wilayah: str) -> dict:
    if wilayah not in enrich.WILAYAH:
        raise UnknownRegion(
            f"no office data for region {wilayah!r}: add it to bot/knowledge/enrich.py WILAYAH"
        )
    data = dict(enrich.WILAYAH[wilayah])
    data["sumber"] = []
    return data


def standard_path(knowledge_dir: Path, record: dict) -> Path:
    tail = record["id"][len(record["wilayah"]) + 1 :]
    return Path(knowledge_dir) / "standards" / record["wilayah"] / f"{tail}.yaml"


def region_path(knowledge_dir: Path, wilayah: str) -> Path:
    return Path(knowledge_dir) / "wilayah" / f"{wilayah}.yaml"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Readable YAML: no anchors/aliases (staff edit each file on its own)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )


def build_knowledge(sources_dir: Path, knowledge_dir: Path, force: bool = False) -> list[Path]:
    """Parse the sources and write the YAML files; returns the paths written.

    Validates every record against the schema before writing anything, and refuses (unless `force`)
    when any target file already exists.
    """
    standards, regions = build_records(sources_dir)
    planned: list[tuple[Path, dict]] = [(standard_path(knowledge_dir, s), s) for s in standards]
    planned += [(region_path(knowledge_dir, r["id"]), r) for r in regions]
    errors = []
    for path, record in planned:
        validate = validate_region if path.parent.name == "wilayah" else validate_standard
        errors += validate(record, str(path))
    if errors:
        raise KnowledgeFileError(errors)
    existing = [path for path, _ in planned if path.exists()]
    if existing and not force:
        raise CuratedFilesExist(
            f"{len(existing)} curated files already exist (e.g. {existing[0]}); staff may have edited them. "
            "Use --force to overwrite, or --out DIR to write elsewhere."
        )
    for path, record in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(record), encoding="utf-8")
    return [path for path, _ in planned]
