"""Load the curated YAML knowledge files into the database: validate everything, then write once.

`python -m bot kb load [--database-url URL] [--knowledge DIR]`

1. Read and schema-check every file under `<knowledge>/wilayah/` and `<knowledge>/standards/`.
   Any problem (bad YAML syntax: file + line; schema: file + field; duplicate ids; a standard whose
   region has no office file) stops the load before the database is touched, listing all problems.
2. Upgrade the database schema (Alembic head).
3. Upsert in ONE transaction: new ids are inserted, changed files rewritten, unchanged files skipped
   (by checksum), and standards/regions whose file is gone are removed. A failure rolls everything
   back, so the database holds either the old knowledge or the new, never a mix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

import yaml
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.knowledge.models import AliasRow, ButirRow, KomponenRow, StandarRow, WilayahRow
from bot.knowledge.schema import (
    KOMPONEN,
    KnowledgeFileError,
    SchemaError,
    validate_region,
    validate_standard,
)

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"
STANDARDS_SUBDIR = "standards"
REGIONS_SUBDIR = "wilayah"
YAML_SUFFIXES = (".yaml", ".yml")
# Component fields stored in their own columns; everything else besides label/teks/butir goes to `ekstra`.
COLUMN_EXTRAS = {"jangka_waktu": ("hari_kerja_maks", "hari_kerja_min"), "biaya": ("rupiah",)}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadError(RuntimeError):
    """The database refused the load (constraint, connection); nothing was written."""


@dataclass(frozen=True)
class KnowledgeFile:
    path: Path  # as found on disk (used in messages)
    berkas: str  # relative to the knowledge directory, stored in the database
    data: dict
    checksum: str


@dataclass(frozen=True)
class KnowledgeSet:
    regions: tuple[KnowledgeFile, ...]
    standards: tuple[KnowledgeFile, ...]


@dataclass
class LoadReport:
    """What a load changed, per kind ("wilayah", "standar")."""

    added: dict[str, list[str]] = field(default_factory=lambda: {"wilayah": [], "standar": []})
    updated: dict[str, list[str]] = field(default_factory=lambda: {"wilayah": [], "standar": []})
    removed: dict[str, list[str]] = field(default_factory=lambda: {"wilayah": [], "standar": []})
    unchanged: dict[str, int] = field(default_factory=lambda: {"wilayah": 0, "standar": 0})

    @property
    def changed(self) -> bool:
        return any(self.added[k] or self.updated[k] or self.removed[k] for k in self.added)

    def render(self) -> str:
        lines = []
        for kind in ("wilayah", "standar"):
            total = len(self.added[kind]) + len(self.updated[kind]) + self.unchanged[kind]
            lines.append(
                f"{kind}: {total} loaded ({len(self.added[kind])} added, {len(self.updated[kind])} updated, "
                f"{self.unchanged[kind]} unchanged, {len(self.removed[kind])} removed)"
            )
            lines.extend(f"  removed: {item}" for item in self.removed[kind])
        return "\n".join(lines)


# --- reading -----------------------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES)


def _checksum(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_yaml(path: Path) -> tuple[Any, list[SchemaError]]:
    """The parsed content of one file, or the errors that prevent reading it (with the line)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [SchemaError(name, "(file)", f"cannot read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [SchemaError(name, f"line {line}", "not UTF-8 text (binary file?)")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [SchemaError(name, f"line {line}", "contains NUL bytes (binary file?)")]
    try:
        return yaml.load(text, Loader=_Loader), []
    except yaml.YAMLError as exc:
        # The construct that was left open (context) is where to look; the problem mark is where
        # the parser gave up, often a line later.
        context = getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem_mark", None)
        mark = context or problem
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        detail = " ".join(x for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
        if problem is not None:
            detail += f" (line {problem.line + 1}, column {problem.column + 1})"
        return None, [SchemaError(name, where, f"YAML syntax error: {detail or exc}")]


def _read_folder(root: Path, subdir: str, validate, errors: list[SchemaError]) -> list[KnowledgeFile]:
    files = []
    for path in _yaml_files(root / subdir):
        data, problems = read_yaml(path)
        if not problems:
            problems = validate(data, str(path))
        if problems:
            errors.extend(problems)
            continue
        berkas = path.relative_to(root).as_posix()
        files.append(KnowledgeFile(path, berkas, data, _checksum(data)))
    return files


def _duplicates(files: list[KnowledgeFile], errors: list[SchemaError]) -> None:
    seen: dict[str, KnowledgeFile] = {}
    for f in files:
        first = seen.setdefault(f.data["id"], f)
        if first is not f:
            errors.append(
                SchemaError(str(f.path), "id", f"duplicate id {f.data['id']!r} (also in {first.path})")
            )


def read_knowledge(knowledge_dir: Path = KNOWLEDGE_DIR) -> KnowledgeSet:
    """Read and validate every knowledge file; raise KnowledgeFileError listing all problems."""
    knowledge_dir = Path(knowledge_dir)
    errors: list[SchemaError] = []
    regions = _read_folder(knowledge_dir, REGIONS_SUBDIR, validate_region, errors)
    standards = _read_folder(knowledge_dir, STANDARDS_SUBDIR, validate_standard, errors)
    _duplicates(regions, errors)
    _duplicates(standards, errors)
    region_ids = {r.data["id"] for r in regions}
    for f in standards:
        if f.data["wilayah"] not in region_ids:
            errors.append(
                SchemaError(
                    str(f.path),
                    "wilayah",
                    f"unknown region {f.data['wilayah']!r} (no {REGIONS_SUBDIR}/{f.data['wilayah']}.yaml)",
                )
            )
    # An empty or mistyped directory must not silently empty the database.
    if not standards and not errors:
        errors.append(
            SchemaError(str(knowledge_dir / STANDARDS_SUBDIR), "(folder)", "no standard files found")
        )
    if errors:
        raise KnowledgeFileError(errors)
    return KnowledgeSet(tuple(regions), tuple(standards))


# --- rows ---------------------------------------------------------------------------------------


def _region_values(f: KnowledgeFile) -> dict:
    d = f.data
    return {
        "id": d["id"],
        "nama": d["nama"],
        "kantor": d["kantor"],
        "provinsi": d.get("provinsi"),
        "alias": list(d["alias"]),
        "alamat": list(d["alamat"]),
        "telepon": list(d["telepon"]),
        "whatsapp": list(d["whatsapp"]),
        "email": list(d["email"]),
        "website": list(d["website"]),
        "sumber": list(d["sumber"]),
        "zona_waktu": d.get("zona_waktu"),
        "jam_layanan": d.get("jam_layanan"),
        "jam_layanan_terverifikasi": bool(d.get("jam_layanan_terverifikasi", False)),
        "pengaduan": d.get("pengaduan"),
        "berkas": f.berkas,
        "checksum": f.checksum,
    }


def _standard_values(f: KnowledgeFile) -> dict:
    d = f.data
    sumber = d["sumber"]
    return {
        "id": d["id"],
        "wilayah_id": d["wilayah"],
        "nomor": d["nomor"],
        "nama": d["nama"],
        "sektor": d["sektor"],
        "sumber_dokumen": sumber["dokumen"],
        "sumber_judul": sumber.get("judul"),
        "sumber_nomor_keputusan": list(sumber.get("nomor_keputusan") or []),
        "sumber_tanggal": sumber.get("tanggal"),
        "sumber_baris": sumber.get("baris"),
        "berkas": f.berkas,
        "checksum": f.checksum,
    }


def _flatten_items(items: list, standar_id: str, kunci: str) -> Iterator[dict]:
    """Items in document order (pre-order), each naming its parent's number."""
    counter = 0

    def walk(level: list, parent: Optional[int]) -> Iterator[dict]:
        nonlocal counter
        for posisi, item in enumerate(level):
            nomor = counter
            counter += 1
            grup = isinstance(item, dict)
            yield {
                "standar_id": standar_id,
                "kunci": kunci,
                "urutan": nomor,
                "induk": parent,
                "posisi": posisi,
                "teks": item["teks"] if grup else item,
                "grup": grup,
            }
            if grup:
                yield from walk(item.get("butir") or [], nomor)

    yield from walk(items, None)


def _child_rows(f: KnowledgeFile) -> tuple[list[dict], list[dict], list[dict]]:
    sid = f.data["id"]
    komponen, butir = [], []
    for kunci in KOMPONEN:
        comp = f.data["komponen"][kunci]
        columns = COLUMN_EXTRAS.get(kunci, ())
        row = {
            "standar_id": sid,
            "kunci": kunci,
            "label": comp["label"],
            "teks": comp["teks"],
            "hari_kerja_maks": None,
            "hari_kerja_min": None,
            "rupiah": None,
            "ekstra": {k: v for k, v in comp.items() if k not in ("label", "teks", "butir", *columns)},
        }
        for name in columns:
            row[name] = comp.get(name)
        komponen.append(row)
        butir.extend(_flatten_items(comp["butir"], sid, kunci))
    alias = [{"standar_id": sid, "posisi": i, "alias": a} for i, a in enumerate(f.data["alias"])]
    return komponen, butir, alias


# --- writing ------------------------------------------------------------------------------------


def _delete_standards(session: Session, ids: list[str]) -> None:
    if not ids:
        return
    # Explicit, children first: correct even where the database does not cascade.
    for model in (ButirRow, KomponenRow, AliasRow):
        session.execute(delete(model).where(model.standar_id.in_(ids)))
    session.execute(delete(StandarRow).where(StandarRow.id.in_(ids)))


def write_knowledge(session: Session, knowledge: KnowledgeSet) -> LoadReport:
    """Upsert `knowledge` in the caller's transaction (the caller commits or rolls back)."""
    report = LoadReport()
    query = select(WilayahRow.id, WilayahRow.checksum, WilayahRow.berkas)
    existing = {row.id: (row.checksum, row.berkas) for row in session.execute(query)}
    for f in knowledge.regions:
        values = _region_values(f)
        rid = values["id"]
        if rid not in existing:
            session.execute(insert(WilayahRow), [values])
            report.added["wilayah"].append(rid)
        elif existing[rid] != (f.checksum, f.berkas):
            session.execute(update(WilayahRow).where(WilayahRow.id == rid).values(**values))
            report.updated["wilayah"].append(rid)
        else:
            report.unchanged["wilayah"] += 1

    query = select(StandarRow.id, StandarRow.checksum, StandarRow.berkas)
    existing = {row.id: (row.checksum, row.berkas) for row in session.execute(query)}
    new_standards, changed_standards = [], []
    komponen, butir, alias = [], [], []
    for f in knowledge.standards:
        sid = f.data["id"]
        if sid in existing and existing[sid] == (f.checksum, f.berkas):
            report.unchanged["standar"] += 1
            continue
        if sid in existing:
            changed_standards.append(f)
            report.updated["standar"].append(sid)
        else:
            new_standards.append(_standard_values(f))
            report.added["standar"].append(sid)
        rows = _child_rows(f)
        komponen += rows[0]
        butir += rows[1]
        alias += rows[2]

    changed_ids = [f.data["id"] for f in changed_standards]
    if changed_ids:
        for model in (ButirRow, KomponenRow, AliasRow):
            session.execute(delete(model).where(model.standar_id.in_(changed_ids)))
    for f in changed_standards:
        values = _standard_values(f)
        session.execute(update(StandarRow).where(StandarRow.id == values["id"]).values(**values))
    inserts = ((StandarRow, new_standards), (KomponenRow, komponen), (ButirRow, butir), (AliasRow, alias))
    for model, rows in inserts:
        if rows:
            session.execute(insert(model), rows)

    wanted = {f.data["id"] for f in knowledge.standards}
    gone = sorted(set(existing) - wanted)
    _delete_standards(session, gone)
    report.removed["standar"] = gone

    wanted_regions = {f.data["id"] for f in knowledge.regions}
    existing_regions = set(session.execute(select(WilayahRow.id)).scalars())
    gone_regions = sorted(existing_regions - wanted_regions)
    if gone_regions:
        session.execute(delete(WilayahRow).where(WilayahRow.id.in_(gone_regions)))
    report.removed["wilayah"] = gone_regions
    return report


def load_knowledge(factory: sessionmaker, knowledge: KnowledgeSet) -> LoadReport:
    """Write `knowledge` in one transaction; on any database error nothing is written."""
    try:
        with factory.begin() as session:
            return write_knowledge(session, knowledge)
    except SQLAlchemyError as exc:
        raise LoadError(
            f"database refused the load, nothing was changed: {exc.__class__.__name__}: "
            f"{getattr(exc, 'orig', None) or exc}"
        ) from exc


def load(knowledge_dir: Path = KNOWLEDGE_DIR, url: Optional[str] = None) -> LoadReport:
    """Validate all files, upgrade the schema, then load in one transaction (`kb load`)."""
    from bot.db import migrate, session_factory

    knowledge = read_knowledge(knowledge_dir)
    migrate(url)
    return load_knowledge(session_factory(url), knowledge)
