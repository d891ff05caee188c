"""Sources -> curated YAML files.

One file per standard (`knowledge/standards/<wilayah>/<slug>.yaml`) and per office
(`knowledge/wilayah/<wilayah>.yaml`). `python -m bot kb import` uses these pieces for a new document;
`python -m bot kb parse` regenerates every known region's files from knowledge/sources (into a
scratch directory, to compare): aliases and sectors are taken from the curated files already there,
suggested (`bot.knowledge.saran`) only for a standard that has none; office files are copied.

The YAML files are the source of truth that staff edit, so writing over an existing file needs
`--force`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.knowledge.parse import (
    ParsedDocument,
    ParsedStandard,
    parse_channels,
    parse_duration,
    parse_rupiah,
    parse_sources,
)
from bot.knowledge.schema import KOMPONEN, KnowledgeFileError, validate_region, validate_standard

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


class CuratedFilesExist(RuntimeError):
    """Refusal to overwrite curated files that staff may have edited."""


class UnknownRegion(ValueError):
    """A source document of a region that has no office file yet (that is `kb import`'s job)."""


def slugify(text: str) -> str:
    """Lowercase ASCII slug: 'Izin Usaha Mikro Kecil (IUMK)' -> 'izin-usaha-mikro-kecil-iumk'."""
    ascii_text = text.lower().encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def standard_record(
    doc: ParsedDocument, std: ParsedStandard, standard_id: str, sektor: str, alias: list[str]
) -> dict[str, Any]:
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
        "sektor": sektor,
        "alias": list(alias),
        "sumber": sumber,
        "komponen": komponen,
    }


def standard_ids(doc: ParsedDocument, taken: set[str]) -> list[str]:
    """`<wilayah>-<slug of title>` for each standard of `doc`, '-2', '-3'... on a clash with `taken`
    (updated in place)."""
    ids = []
    for std in doc.standards:
        base = f"{doc.wilayah}-{slugify(std.nama)}"
        standard_id, n = base, 1
        while standard_id in taken:
            n += 1
            standard_id = f"{base}-{n}"
        taken.add(standard_id)
        ids.append(standard_id)
    return ids


def read_curated(knowledge_dir: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """(standards, regions) by id from the curated YAML files that can be read; unreadable or
    invalid files are left out (`kb check` reports them)."""
    from bot.knowledge.loader import read_yaml

    standards: dict[str, dict] = {}
    regions: dict[str, dict] = {}
    for path in sorted((Path(knowledge_dir) / "standards").glob("*/*.yaml")):
        data, problems = read_yaml(path)
        if not problems and isinstance(data, dict) and isinstance(data.get("id"), str):
            standards[data["id"]] = data
    for path in sorted((Path(knowledge_dir) / "wilayah").glob("*.yaml")):
        data, problems = read_yaml(path)
        if not problems and isinstance(data, dict) and isinstance(data.get("id"), str):
            regions[data["id"]] = data
    return standards, regions


def build_records(
    sources_dir: Path, knowledge_dir: Optional[Path] = KNOWLEDGE_DIR
) -> tuple[list[dict], list[dict]]:
    """(standards, regions) built from every source document; ids unique ('-2' on a clash).

    Aliases and sectors come from the curated file of the same id under `knowledge_dir`, else from
    the suggestions of `bot.knowledge.saran`; each region's office file must exist there.
    """
    from bot.knowledge.saran import suggest_aliases, suggest_sector

    curated, offices = read_curated(knowledge_dir) if knowledge_dir else ({}, {})
    standards: list[dict] = []
    seen: set[str] = set()
    regions: dict[str, dict] = {}
    for doc in parse_sources(sources_dir):
        for std, standard_id in zip(doc.standards, standard_ids(doc, seen), strict=True):
            if standard_id in curated:
                sektor, alias = curated[standard_id]["sektor"], curated[standard_id]["alias"]
            else:
                sektor = suggest_sector(std.nama).sektor
                alias = [a.alias for a in suggest_aliases(std.nama)]
            standards.append(standard_record(doc, std, standard_id, sektor, alias))
        if doc.wilayah not in regions:
            if doc.wilayah not in offices:
                raise UnknownRegion(
                    f"no office file for region {doc.wilayah!r} ({doc.dokumen}): add a new region with "
                    f'`python -m bot kb import FILE --wilayah {doc.wilayah} --nama "Kabupaten ..."`'
                )
            regions[doc.wilayah] = dict(offices[doc.wilayah], sumber=[])
        if doc.dokumen not in regions[doc.wilayah]["sumber"]:
            regions[doc.wilayah]["sumber"].append(doc.dokumen)
    return standards, list(regions.values())


def standard_path(knowledge_dir: Path, record: dict) -> Path:
    tail = record["id"][len(record["wilayah"]) + 1 :]
    return Path(knowledge_dir) / "standards" / record["wilayah"] / f"{tail}.yaml"


def region_path(knowledge_dir: Path, wilayah: str) -> Path:
    return Path(knowledge_dir) / "wilayah" / f"{wilayah}.yaml"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Readable YAML: no anchors/aliases (staff edit each file on its own)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Quote clock times ('07:30'): YAML 1.1 reads an unquoted 16:00 as the number 960.
    style = "'" if re.fullmatch(r"\d{1,2}:\d{2}", data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )


def build_knowledge(
    sources_dir: Path, knowledge_dir: Path, force: bool = False, curated_dir: Optional[Path] = KNOWLEDGE_DIR
) -> list[Path]:
    """Parse the sources and write the YAML files under `knowledge_dir`; returns the paths written.
    Aliases, sectors and office files come from `curated_dir` (see `build_records`).

    Validates every record against the schema before writing anything, and refuses (unless `force`)
    when any target file already exists.
    """
    standards, regions = build_records(sources_dir, curated_dir)
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
