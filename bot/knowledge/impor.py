"""`python -m bot kb import FILE --wilayah SLUG --nama "Kabupaten X"`: a decree -> draft YAML.

1. Parse FILE (the layouts `bot.knowledge.parse` knows). A document the parser cannot read stops
   the import with `FILE:LINE: reason` before anything is written.
2. Plan: one standard file per standard (ids `<wilayah>-<slug of title>`), a draft office file for a
   new region (`bot.knowledge.saran.draft_region`), a copy of FILE in knowledge/sources/ named
   `<wilayah>_<name>.txt`. Sectors and aliases of new standards are suggestions
   (`bot.knowledge.saran`); standards that already exist keep their curated aliases and sector.
3. Re-import (the region already has standards from this document, or from the documents named
   with `--menggantikan`): the changes per standard (added, removed, changed components) are shown
   first, and nothing is overwritten until the maintainer confirms (`--yes`, or "y" at the prompt).
   A standard whose title changed slightly keeps its id (conversations and buttons refer to it).
4. Write every file (temporary files first, then renamed into place, so an error leaves the
   knowledge tree as it was), then print what to review first and the region's data-quality
   report (`bot.knowledge.check`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from rapidfuzz import fuzz

from bot.knowledge.build import (
    dump_yaml,
    read_curated,
    region_path,
    slugify,
    standard_ids,
    standard_path,
    standard_record,
)
from bot.knowledge.parse import ParsedDocument, ParseError, parse_text, read_source
from bot.knowledge.saran import (
    AliasSaran,
    SektorSaran,
    draft_region,
    suggest_aliases,
    suggest_sector,
    words_of,
)
from bot.knowledge.schema import KOMPONEN, SLUG_RE, validate_region, validate_standard

OFFICE_HEADER = (
    "# Draft written by `python -m bot kb import`: review it (see the import's 'review first' list),\n"
    "# then run `python -m bot kb check` and `python -m bot kb load`. Schema: bot/knowledge/schema.py.\n"
)


class ImportRefused(ValueError):
    """An import that cannot go ahead (bad arguments, a clash with other documents); nothing written."""


@dataclass
class StandardChange:
    """What happens to one standard of the document's region."""

    id: str
    nama: str
    status: str  # "baru" (new), "dihapus" (removed), "berubah" (changed), "sama" (unchanged)
    detail: list[str] = field(default_factory=list)  # changed components, renamed title, number


@dataclass
class ImportPlan:
    source: Path
    wilayah: str
    dokumen: str  # file name under knowledge/sources
    knowledge_dir: Path
    document: ParsedDocument
    records: list[dict]  # every standard of the document, as it will be written
    region: dict  # the office file as it will be written
    region_new: bool
    region_notes: tuple[str, ...]
    sector_suggestions: dict[str, SektorSaran]  # new standards only
    alias_suggestions: dict[str, list[AliasSaran]]  # new standards only
    alias_dropped: dict[str, list[str]]  # suggestions left out (another standard's name)
    changes: list[StandardChange]
    removed_paths: list[Path]
    replaced_documents: list[str]  # older source documents this one replaces (deleted)
    writes: list[tuple[Path, bytes]] = field(default_factory=list)

    @property
    def reimport(self) -> bool:
        return any(c.status != "baru" for c in self.changes) or bool(self.replaced_documents)

    @property
    def changed(self) -> bool:
        return any(c.status != "sama" for c in self.changes)


# --- planning ---------------------------------------------------------------------------------


def document_name(source: Path, wilayah: str) -> str:
    """knowledge/sources name of `source`: `<wilayah>_<slug of its name>.txt` (kept when it already
    starts with `<wilayah>_`)."""
    stem = source.stem
    if stem.startswith(wilayah + "_") and source.suffix == ".txt":
        return source.name
    rest = (
        slugify(stem[len(wilayah) + 1 :] if stem.startswith(wilayah + "_") else stem) or "standar-pelayanan"
    )
    return f"{wilayah}_{rest}.txt"


def _items(butir: list) -> list[str]:
    out: list[str] = []
    for item in butir:
        if isinstance(item, dict):
            out.append(item["teks"])
            out.extend(_items(item.get("butir") or []))
        else:
            out.append(item)
    return out


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def component_changes(old: dict, new: dict) -> list[str]:
    """One line per component that differs between two standard records."""
    lines = []
    for key, label in KOMPONEN.items():
        before = (old.get("komponen") or {}).get(key)
        after = new["komponen"][key]
        if before == after:
            continue
        if not isinstance(before, dict):
            lines.append(f"{label}: added")
            continue
        old_items, new_items = _items(before.get("butir") or []), _items(after["butir"])
        if old_items != new_items and (old_items or new_items):
            added = [i for i in new_items if i not in old_items]
            gone = [i for i in old_items if i not in new_items]
            parts = [f"+ {_short(i)}" for i in added[:3]] + [f"- {_short(i)}" for i in gone[:3]]
            more = len(added) + len(gone) - len(parts)
            if more > 0:
                parts.append(f"and {more} more")
            lines.append(f"{label}: " + ("; ".join(parts) if parts else "items reordered"))
        elif (before.get("teks") or "") != after["teks"]:
            lines.append(f"{label}: {_short(before.get('teks') or '')} -> {_short(after['teks'])}")
        else:
            keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            lines.append(f"{label}: " + ", ".join(f"{k} {before.get(k)!r} -> {after.get(k)!r}" for k in keys))
    return lines


def _content(record: dict) -> tuple:
    return (record.get("nomor"), record.get("nama"), record.get("komponen"))


def _significant(title: str) -> set[str]:
    return {w for w in words_of(title) if w not in ("dan", "atau", "yang", "untuk", "oleh", "di", "ke")}


def same_service_renamed(old_title: str, new_title: str) -> bool:
    """True when a revised title names the same service: one title extends the other ("Izin Usaha
    Penggilingan Padi" -> "... Padi dan Beras") or a word or two are respelled ("Tanaga" ->
    "Tenaga"). "Penggilingan Padi" and "Penggilingan Kopi" are two services."""
    old, new = _significant(old_title), _significant(new_title)
    if min(len(old), len(new)) < 2:
        return False
    if old <= new or new <= old:
        return True
    only_old, only_new = sorted(old - new), sorted(new - old)
    if len(only_old) != len(only_new) or len(only_old) > 2:
        return False
    return all(max(fuzz.ratio(a, b) for b in only_new) >= 80 for a in only_old)


def _match_renamed(new: dict[str, dict], old: dict[str, dict]) -> dict[str, str]:
    """new id -> old id for standards whose title was revised (same service, new wording)."""
    pairs = []
    for nid, record in new.items():
        for oid, data in old.items():
            if same_service_renamed(str(data.get("nama", "")), record["nama"]):
                shared = len(_significant(record["nama"]) & _significant(str(data.get("nama", ""))))
                pairs.append((shared, record["nomor"] == data.get("nomor"), nid, oid))
    matched: dict[str, str] = {}
    for *_, nid, oid in sorted(pairs, reverse=True):
        if nid not in matched and oid not in matched.values():
            matched[nid] = oid
    return matched


def plan_import(
    source: Path,
    wilayah: str,
    knowledge_dir: Path,
    nama: Optional[str] = None,
    provinsi: Optional[str] = None,
    menggantikan: tuple[str, ...] = (),
) -> ImportPlan:
    """Everything an import would write, computed without touching the knowledge tree.

    Raises ParseError (FILE:LINE) for a document the parser cannot read and ImportRefused for an
    import that would clash with the knowledge already there.
    """
    source = Path(source)
    knowledge_dir = Path(knowledge_dir)
    if not SLUG_RE.match(wilayah or ""):
        raise ImportRefused(f"--wilayah {wilayah!r} is not a slug (lowercase letters, digits, hyphens)")
    text = read_source(source)
    dokumen = document_name(source, wilayah)
    try:
        document = parse_text(text, dokumen)
    except ParseError as exc:
        raise ParseError(str(source), exc.line, exc.message) from exc

    curated, offices = read_curated(knowledge_dir)
    region_standards = {sid: d for sid, d in curated.items() if d.get("wilayah") == wilayah}
    sources_dir = knowledge_dir / "sources"
    for old in menggantikan:
        if not (sources_dir / old).exists() and not any(
            (d.get("sumber") or {}).get("dokumen") == old for d in region_standards.values()
        ):
            raise ImportRefused(f"--menggantikan {old}: no such document of {wilayah} in {sources_dir}")
    scope = {dokumen, *menggantikan}
    in_scope = {
        sid: d for sid, d in region_standards.items() if (d.get("sumber") or {}).get("dokumen") in scope
    }
    others = {sid: d for sid, d in region_standards.items() if sid not in in_scope}

    region_file = region_path(knowledge_dir, wilayah)
    if wilayah in offices:
        region = dict(offices[wilayah])
        sumber = [d for d in region.get("sumber") or [] if d not in menggantikan]
        if dokumen not in sumber:
            sumber.append(dokumen)
        notes = []
        if sumber != region.get("sumber"):
            notes.append(f"office file kept; its sumber becomes: {', '.join(sumber)}")
        region["sumber"] = sumber
        if nama and nama != region.get("nama"):
            notes.append(f"--nama {nama!r} differs from the office file's nama {region.get('nama')!r}: kept")
        region_new = False
    elif region_file.exists():
        raise ImportRefused(f"{region_file} cannot be read: fix it first (python -m bot kb check)")
    else:
        if not nama or not nama.strip():
            raise ImportRefused(f'a new region needs its name: --nama "Kabupaten ..." (for {wilayah})')
        draft = draft_region(wilayah, nama.strip(), [document], text, provinsi)
        region, notes, region_new = draft.data, list(draft.catatan), True

    ids = standard_ids(document, set())
    clashes = [sid for sid in ids if sid in others]
    if clashes:
        owner = (others[clashes[0]].get("sumber") or {}).get("dokumen")
        raise ImportRefused(
            f"standard {clashes[0]} already exists from document {owner}: if {source.name} revises it, "
            f"import again with --menggantikan {owner}"
        )
    fresh = {sid: None for sid in ids if sid not in in_scope}
    parsed = dict(zip(ids, document.standards, strict=True))
    renamed = _match_renamed(
        {sid: {"nama": parsed[sid].nama, "nomor": parsed[sid].nomor} for sid in fresh},
        {sid: d for sid, d in in_scope.items() if sid not in parsed},
    )

    records: list[dict] = []
    changes: list[StandardChange] = []
    sectors: dict[str, SektorSaran] = {}
    aliases: dict[str, list[AliasSaran]] = {}
    for sid in ids:
        std = parsed[sid]
        final_id = renamed.get(sid, sid)
        existing = in_scope.get(final_id)
        if existing is not None:
            record = standard_record(document, std, final_id, existing["sektor"], list(existing["alias"]))
            detail = []
            if final_id != sid:
                detail.append(f"title {existing.get('nama')!r} -> {std.nama!r} (id kept)")
            elif existing.get("nama") != std.nama:
                detail.append(f"title {existing.get('nama')!r} -> {std.nama!r}")
            if existing.get("nomor") != std.nomor:
                detail.append(f"number {existing.get('nomor')} -> {std.nomor}")
            detail += component_changes(existing, record)
            status = "berubah" if _content(existing) != _content(record) else "sama"
            changes.append(StandardChange(final_id, std.nama, status, detail))
        else:
            sectors[sid] = suggest_sector(std.nama)
            aliases[sid] = suggest_aliases(std.nama, text)
            record = standard_record(document, std, sid, sectors[sid].sektor, [])
            changes.append(StandardChange(sid, std.nama, "baru"))
        records.append(record)
    dropped = _prune_aliases(aliases, records, others)
    for record in records:
        if record["id"] in aliases:
            record["alias"] = [a.alias for a in aliases[record["id"]]]

    kept = {r["id"] for r in records}
    removed_paths = []
    for sid, data in sorted(in_scope.items()):
        if sid not in kept:
            changes.append(StandardChange(sid, str(data.get("nama")), "dihapus"))
            removed_paths.append(standard_path(knowledge_dir, data))

    plan = ImportPlan(
        source=source,
        wilayah=wilayah,
        dokumen=dokumen,
        knowledge_dir=knowledge_dir,
        document=document,
        records=records,
        region=region,
        region_new=region_new,
        region_notes=tuple(notes),
        sector_suggestions=sectors,
        alias_suggestions=aliases,
        alias_dropped=dropped,
        changes=changes,
        removed_paths=removed_paths,
        replaced_documents=[d for d in menggantikan if d != dokumen],
    )
    _validate(plan)
    plan.writes = _writes(plan, curated, offices, source.read_bytes())
    return plan


def _prune_aliases(
    aliases: dict[str, list[AliasSaran]], records: list[dict], others: dict[str, dict]
) -> dict[str, list[str]]:
    """Leave out suggestions that name another standard of the region: an initialism that is another
    title's own abbreviation (Balangan's "(TDUP)" is Tanda Daftar Usaha Perseorangan, so the tourism
    registration must not get "TDUP"), and any alias another standard already has."""
    taken: dict[str, str] = {}
    for sid, data in others.items():
        for alias in data.get("alias") or ():
            taken.setdefault(alias.lower(), sid)
    for record in records:
        if record["id"] not in aliases:
            for alias in record["alias"]:
                taken.setdefault(alias.lower(), record["id"])
    explicit: dict[str, str] = {}
    for sid, suggestions in aliases.items():
        for s in suggestions:
            if s.aturan == "singkatan":
                explicit.setdefault(s.alias.lower(), sid)
    counts = Counter(s.alias.lower() for suggestions in aliases.values() for s in suggestions)
    dropped: dict[str, list[str]] = {}
    for sid, suggestions in aliases.items():
        keep = []
        for s in suggestions:
            key = s.alias.lower()
            owner = taken.get(key) or (explicit.get(key) if s.aturan == "inisial" else None)
            if (owner and owner != sid) or counts[key] > 1:
                dropped.setdefault(sid, []).append(s.alias)
            else:
                keep.append(s)
        aliases[sid] = keep
    return dropped


def _validate(plan: ImportPlan) -> None:
    errors = []
    for record in plan.records:
        errors += validate_standard(record, str(standard_path(plan.knowledge_dir, record)))
    # A draft may leave zona_waktu empty on purpose (unknown province): kb check reports it.
    errors += [
        e
        for e in validate_region(plan.region, str(region_path(plan.knowledge_dir, plan.wilayah)))
        if not (plan.region_new and e.field == "zona_waktu")
    ]
    if errors:
        raise ImportRefused(
            "the drafts do not fit the schema (a parser bug?):\n" + "\n".join(map(str, errors))
        )


def _writes(plan: ImportPlan, curated: dict[str, dict], offices: dict[str, dict], raw: bytes) -> list:
    writes: list[tuple[Path, bytes]] = []
    for record in plan.records:
        if curated.get(record["id"]) != record:
            writes.append((standard_path(plan.knowledge_dir, record), dump_yaml(record).encode("utf-8")))
    if plan.region_new:
        text = OFFICE_HEADER + dump_yaml(plan.region)
        writes.append((region_path(plan.knowledge_dir, plan.wilayah), text.encode("utf-8")))
    elif offices[plan.wilayah] != plan.region:
        writes.append((region_path(plan.knowledge_dir, plan.wilayah), dump_yaml(plan.region).encode("utf-8")))
    target = plan.knowledge_dir / "sources" / plan.dokumen
    if not target.exists() or target.read_bytes() != raw:
        writes.append((target, raw))
    readme = plan.knowledge_dir / "sources" / "README.md"
    if readme.exists():
        updated = _sources_readme(readme.read_text(encoding="utf-8"), plan)
        if updated is not None:
            writes.append((readme, updated.encode("utf-8")))
    return writes


def _sources_readme(text: str, plan: ImportPlan) -> Optional[str]:
    """knowledge/sources/README.md with a table row for the new document (None: nothing to add)."""
    lines = [
        line for line in text.split("\n") if not any(f"| {old} " in line for old in plan.replaced_documents)
    ]
    if any(line.startswith(f"| {plan.dokumen} ") for line in lines):
        return None if len(lines) == len(text.split("\n")) else "\n".join(lines)
    rows = [i for i, line in enumerate(lines) if line.startswith("| ")]
    if not rows:
        return None
    n = len(plan.document.standards)
    content = f"{n} standard{'s' if n != 1 else ''}: " + "; ".join(
        s.nama for s in plan.document.standards[:3]
    )
    if n > 3:
        content += "; ..."
    row = f"| {plan.dokumen} (imported from {plan.source.name}) | {plan.region['kantor']} | {content} |"
    lines.insert(rows[-1] + 1, row)
    return "\n".join(lines)


# --- applying ----------------------------------------------------------------------------------


def apply_plan(plan: ImportPlan) -> list[Path]:
    """Write the planned files (all temporary files first, then renamed), delete the removed
    standards and replaced documents; returns the paths written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in plan.writes:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".import", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            staged.append((Path(temp), path))
    except OSError:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in staged:
        os.replace(temp, path)
    for path in plan.removed_paths:
        path.unlink(missing_ok=True)
    for old in plan.replaced_documents:
        (plan.knowledge_dir / "sources" / old).unlink(missing_ok=True)
    return [path for _, path in staged]


def dry_run_check(plan: ImportPlan) -> Any:
    """The region's data-quality report as it will be after the import, computed in a scratch copy
    (the knowledge tree is not touched)."""
    from bot.knowledge.check import run_check

    with tempfile.TemporaryDirectory(prefix="kb-import-") as scratch:
        root = Path(scratch)
        for sub in ("wilayah", f"standards/{plan.wilayah}", "sources"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        for path in (plan.knowledge_dir / "standards" / plan.wilayah).glob("*.yaml"):
            shutil.copy2(path, root / "standards" / plan.wilayah / path.name)
        for path in (plan.knowledge_dir / "sources").glob(f"{plan.wilayah}_*.txt"):
            if path.name not in plan.replaced_documents:
                shutil.copy2(path, root / "sources" / path.name)
        for path in plan.removed_paths:
            (root / path.relative_to(plan.knowledge_dir)).unlink(missing_ok=True)
        office = region_path(plan.knowledge_dir, plan.wilayah)
        if office.exists():
            shutil.copy2(office, root / "wilayah" / office.name)
        for path, content in plan.writes:
            if path.name == "README.md":
                continue
            target = root / path.relative_to(plan.knowledge_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        return run_check(root, root / "sources", wilayah=plan.wilayah)


# --- the report ---------------------------------------------------------------------------------


def render_changes(plan: ImportPlan) -> str:
    lines = [f"Changes per standard ({plan.dokumen}):"]
    order = {"baru": 0, "berubah": 1, "dihapus": 2, "sama": 3}
    mark = {"baru": "+ new", "berubah": "~ changed", "dihapus": "- removed", "sama": "= unchanged"}
    unchanged = 0
    for change in sorted(plan.changes, key=lambda c: (order[c.status], c.id)):
        if change.status == "sama":
            unchanged += 1
            continue
        lines.append(f"  {mark[change.status]}: {change.id} ({change.nama})")
        lines += [f"      {d}" for d in change.detail]
    lines.append(f"  = unchanged: {unchanged}")
    for old in plan.replaced_documents:
        lines.append(f"  source document {old} is replaced by {plan.dokumen} (deleted)")
    return "\n".join(lines)


def review_first(plan: ImportPlan, report: Any) -> list[str]:
    """What a person must look at, most important first."""
    items: list[str] = []
    items += [f"MUST FIX before kb load: {e}" for e in report.errors]
    items += [f"office: {note}" for note in plan.region_notes]
    by_id = {r["id"]: r for r in plan.records}
    general = [sid for sid, s in plan.sector_suggestions.items() if not s.kata]
    for sid in general:
        items.append(f"sector: {sid}: no sector word in {by_id[sid]['nama']!r}; set to 'umum': choose one")
    for sid, s in plan.sector_suggestions.items():
        if s.kata:
            items.append(f"sector: {sid}: {s.sektor} (from {', '.join(repr(k) for k in s.kata)})")
    for sid, suggestions in plan.alias_suggestions.items():
        if suggestions:
            shown = ", ".join(f"{a.alias} [{a.aturan}]" for a in suggestions)
            items.append(f"aliases: {sid}: {shown}: keep the ones people use, add others")
        else:
            items.append(f"aliases: {sid}: none suggested: add the names people use for it")
        if plan.alias_dropped.get(sid):
            items.append(
                f"aliases: {sid}: left out {', '.join(plan.alias_dropped[sid])} (another standard's name)"
            )
    counts = {key: len(report.warnings.get(key) or ()) for key in ("komponen_kosong", "angka_huruf", "alias")}
    if counts["komponen_kosong"]:
        items.append(
            f"content: {counts['komponen_kosong']} empty component(s): confirm with the office (below)"
        )
    if counts["angka_huruf"]:
        items.append(f"content: {counts['angka_huruf']} number(s) that disagree with their words (below)")
    if counts["alias"]:
        items.append(f"aliases: {counts['alias']} alias(es) shared by two standards (below)")
    return items


def render_plan(
    plan: ImportPlan, report: Any, written: Optional[list[Path]] = None, show_changes: bool = True
) -> str:
    doc = plan.document
    lines = [
        f"Import of {plan.source} as knowledge/sources/{plan.dokumen} for {plan.region.get('nama')} "
        f"({plan.wilayah})",
        f"{len(doc.standards)} standard(s) parsed: "
        + "; ".join(f"line {s.baris} {s.nama}" for s in doc.standards[:5])
        + (f"; ... ({len(doc.standards) - 5} more)" if len(doc.standards) > 5 else ""),
    ]
    if doc.nomor_keputusan or doc.tanggal:
        lines.append(f"decree: {', '.join(doc.nomor_keputusan) or '(no number)'}; date: {doc.tanggal or '-'}")
    lines.append("")
    if plan.reimport and show_changes:
        lines += [render_changes(plan), ""]
    if written is not None:
        lines.append(f"Files written ({len(written)}):")
        lines += [f"  {path}" for path in written]
        lines += [f"  deleted {path}" for path in plan.removed_paths]
        lines.append("")
    items = review_first(plan, report)
    if items:
        lines.append("REVIEW FIRST")
        lines += [f"  {i}. {item}" for i, item in enumerate(items, 1)]
        lines.append("")
    lines.append(report.render())
    lines += [
        "",
        "Next: edit the YAML files (knowledge/wilayah/, knowledge/standards/), then",
        "  python -m bot kb check     (0 errors)",
        "  python -m bot kb load      (then restart the assistant; no retraining needed)",
        "See docs/onboarding.md.",
    ]
    return "\n".join(lines)
