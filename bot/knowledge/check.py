"""`python -m bot kb check`: validate the curated YAML and report what a maintainer should fix.

Errors (exit status 1) make the knowledge base unloadable: schema violations, unreadable YAML, an id
that does not match its file, a standard of a region without an office file, duplicate ids.
Warnings (exit status 0) are problems in the content of the standards themselves, most of them
inherited from the source documents: empty components, numbers that disagree with their words,
missing or repeated standard numbers, two decree numbers for one document, list lettering that
skips, a letter in the middle of a sentence, a product that names another permit, complaint
channels spelled differently within one office, and differences between the YAML and the sources
(staff edits are allowed; the report only makes them visible).

Checks that need the original lettering or row numbering read the sources through the parser.

Office files are checked for their operating data too: a time zone that disagrees with the
province, office hours missing or not yet confirmed by the office (`jam_layanan_terverifikasi`),
and complaint follow-up defaults (response time, escalation) that no standard states.

`run_check(..., wilayah="x")` reports on one region only (what `kb import` prints for a new one).
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from rapidfuzz import fuzz

from bot.knowledge.parse import ParseError, parse_file, words_to_number
from bot.knowledge.schema import KANAL, KOMPONEN, validate_region, validate_standard

# Warning categories, in report order, with the heading a maintainer reads.
CATEGORIES: dict[str, str] = {
    "komponen_kosong": "Empty components (the assistant will say the document does not state them)",
    "angka_huruf": "Numbers that disagree with their words",
    "tak_terbaca": "Durations or fees the parser could not read as numbers",
    "nomor_standar": "Missing or repeated standard numbers in a document",
    "nomor_keputusan": "Documents with more than one decree number",
    "penomoran": "List lettering that does not start at a/1 or skips",
    "huruf_tersisip": "List letters in the middle of a sentence (joined to the item before)",
    "karakter_liar": "Stray characters in the source tables",
    "produk": "Products that name another permit",
    "kanal": "Complaint channels written differently within one office",
    "alias": "Aliases shared by two standards of the same region",
    "drift": "Differences between the YAML files and the sources",
    "operasional": "Office data to confirm (time zone, office hours)",
    "tindak_lanjut": "Complaint follow-up defaults the standards do not state",
}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=dict)

    def warn(self, category: str, message: str) -> None:
        self.warnings[category].append(message)

    @property
    def warning_count(self) -> int:
        return sum(len(v) for v in self.warnings.values())

    def render(self) -> str:
        lines = ["Knowledge base data-quality report", "=================================="]
        lines.append(", ".join(f"{k}: {v}" for k, v in self.counts.items()))
        lines.append("")
        if self.errors:
            lines.append(
                f"ERRORS ({len(self.errors)}): the knowledge base cannot be loaded until these are fixed"
            )
            lines += [f"  - {e}" for e in self.errors]
            lines.append("")
        for key, heading in CATEGORIES.items():
            items = self.warnings.get(key) or []
            if not items:
                continue
            lines.append(f"{heading} ({len(items)})")
            lines += [f"  - {m}" for m in items]
            lines.append("")
        verdict = "FAILED" if self.errors else "OK"
        lines.append(f"{verdict}: {len(self.errors)} errors, {self.warning_count} warnings")
        return "\n".join(lines)


# --- loading -----------------------------------------------------------------------------------

# libyaml's loader is ~10x faster on 86 files; same safe semantics.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_file(path: Path) -> Any:
    """Parsed YAML; raises ValueError naming the file and line on a syntax error."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_SafeLoader)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValueError(f"{where}: invalid YAML: {problem}") from exc


def _load_all(knowledge_dir: Path, report: Report) -> tuple[list[tuple[Path, dict]], dict[str, dict]]:
    standards: list[tuple[Path, dict]] = []
    regions: dict[str, dict] = {}
    invalid_regions: set[str] = set()  # office files that exist but have errors (reported once)
    for path in sorted((knowledge_dir / "wilayah").glob("*.yaml")):
        try:
            data = load_yaml_file(path)
        except ValueError as exc:
            report.errors.append(str(exc))
            invalid_regions.add(path.stem)
            continue
        errors = validate_region(data, str(path))
        report.errors += [str(e) for e in errors]
        if errors:
            invalid_regions.add(path.stem)
        else:
            if data["id"] != path.stem:
                report.errors.append(f"{path}: id: {data['id']!r} does not match the file name")
            regions[data["id"]] = data
    seen: dict[str, Path] = {}
    for path in sorted((knowledge_dir / "standards").glob("*/*.yaml")):
        try:
            data = load_yaml_file(path)
        except ValueError as exc:
            report.errors.append(str(exc))
            continue
        errors = validate_standard(data, str(path))
        report.errors += [str(e) for e in errors]
        if errors:
            continue
        expected = f"{path.parent.name}-{path.stem}"
        if data["wilayah"] != path.parent.name:
            report.errors.append(
                f"{path}: wilayah: {data['wilayah']!r} but the file is in {path.parent.name}/"
            )
        elif data["id"] != expected:
            report.errors.append(
                f"{path}: id: {data['id']!r} does not match the file name (expected {expected!r})"
            )
        if data["id"] in seen:
            report.errors.append(f"{path}: id: {data['id']!r} already used by {seen[data['id']]}")
        seen[data["id"]] = path
        if data["wilayah"] not in regions and data["wilayah"] not in invalid_regions:
            report.errors.append(f"{path}: wilayah: no office file knowledge/wilayah/{data['wilayah']}.yaml")
        standards.append((path, data))
    return standards, regions


# --- content checks (YAML) ------------------------------------------------------------------


def _label(data: dict) -> str:
    nomor = f" no. {data['nomor']}" if data.get("nomor") is not None else ""
    return f"{data['id']} ({data['nama']}{nomor})"


_NUMBER_WORDS_RE = re.compile(r"\b(\d{1,4})\s*\(\s*([a-zA-Z][a-zA-Z\s]*?)\s*\)")


def number_word_disagreements(teks: str) -> list[tuple[int, str, int]]:
    """[(digits, words, value of words)] for each "N (words)" whose words say another number."""
    found = []
    for m in _NUMBER_WORDS_RE.finditer(teks):
        value = words_to_number(m.group(2))
        if value is not None and value != int(m.group(1)):
            found.append((int(m.group(1)), m.group(2), value))
    return found


def _check_content(standards: list[tuple[Path, dict]], report: Report) -> None:
    by_region: dict[str, list[dict]] = defaultdict(list)
    for _, data in standards:
        by_region[data["wilayah"]].append(data)
        for key, comp in data["komponen"].items():
            if not comp["teks"].strip() and not comp["butir"]:
                report.warn("komponen_kosong", f"{_label(data)}: {KOMPONEN[key]} is empty")
            if key == "jangka_waktu" and comp["teks"].strip() and comp.get("hari_kerja_maks") is None:
                report.warn("tak_terbaca", f"{_label(data)}: no working days in {comp['teks'][:80]!r}")
            if key == "biaya" and comp["teks"].strip() and comp.get("rupiah") is None:
                report.warn("tak_terbaca", f"{_label(data)}: no amount in {comp['teks'][:80]!r}")
            for digits, words, value in number_word_disagreements(comp["teks"]):
                parsed = ""
                if key == "jangka_waktu":
                    parsed = f"; hari_kerja_maks is {comp.get('hari_kerja_maks')}"
                report.warn(
                    "angka_huruf",
                    f"{_label(data)}: {KOMPONEN[key]}: '{digits} ({words})' says {digits} in digits "
                    f"and {value} in words{parsed}",
                )

    for wilayah, items in sorted(by_region.items()):
        names = {d["id"]: d["nama"].lower() for d in items}
        for data in items:
            produk = data["komponen"]["produk"]["teks"].strip().lower()
            if not produk:
                continue
            own = fuzz.token_set_ratio(produk, names[data["id"]])
            others = [
                (fuzz.token_set_ratio(produk, name), sid) for sid, name in names.items() if sid != data["id"]
            ]
            best = max(others, default=(0, ""))
            if best[0] >= 90 and best[0] > own:
                report.warn(
                    "produk",
                    f"{_label(data)}: product {data['komponen']['produk']['teks']!r} "
                    f"is the name of {best[1]}",
                )
        _check_channels(wilayah, items, report)
        alias_owner: dict[str, str] = {}
        for data in items:
            for alias in data["alias"]:
                key = alias.lower()
                if key in alias_owner and alias_owner[key] != data["id"]:
                    report.warn("alias", f"{alias!r}: {alias_owner[key]} and {data['id']}")
                alias_owner.setdefault(key, data["id"])


def _check_channels(wilayah: str, items: list[dict], report: Report) -> None:
    """Standards of one office should give the same complaint channels; list each spelling."""
    for channel in KANAL:
        if not any(data["komponen"]["pengaduan"]["kanal"].get(channel) for data in items):
            continue
        variants: dict[str, list[str]] = defaultdict(list)
        for data in items:
            values = data["komponen"]["pengaduan"]["kanal"].get(channel) or ["(not stated)"]
            variants[" + ".join(values)].append(data["id"])
        if len(variants) < 2:
            continue
        ordered = sorted(variants.items(), key=lambda kv: -len(kv[1]))
        parts = []
        for value, ids in ordered:
            sample = ", ".join(ids[:3]) + (f", ... ({len(ids)} standards)" if len(ids) > 3 else "")
            parts.append(f"{value!r} in {sample}")
        report.warn("kanal", f"{wilayah}: {channel} written {len(variants)} ways: " + "; ".join(parts))


# --- source checks --------------------------------------------------------------------------


def _lettering_problem(markers: list[str]) -> Optional[str]:
    """Why a list's markers are not a, b, c... (or 1, 2, 3...); None when they are."""
    marked = [m for m in markers if m]
    if len(marked) != len(markers):
        missing = sum(1 for m in markers if not m)
        return f"{', '.join(m or '(none)' for m in markers)}: {missing} item(s) without a letter"
    if all(m.isdigit() for m in marked):
        values = [int(m) for m in marked]
    elif all(len(m) == 1 and m.isalpha() for m in marked):
        alphabet = string.ascii_lowercase if marked[0].islower() else string.ascii_uppercase
        values = [alphabet.index(m) + 1 if m in alphabet else 0 for m in marked]
    else:
        return None
    expected = list(range(1, len(values) + 1))
    if values == expected:
        return None
    problems = []
    if values[0] != 1:
        problems.append(f"starts at '{marked[0]}'")
    for prev, cur, pm, cm in zip(values, values[1:], marked, marked[1:], strict=False):
        if cur != prev + 1:
            problems.append(f"'{pm}' then '{cm}'")
    written = (
        ", ".join(marked) if len(marked) <= 8 else f"{', '.join(marked[:3])} ... {', '.join(marked[-2:])}"
    )
    return f"{written}: {'; '.join(problems)}"


def _check_sources(
    sources_dir: Path, standards: list[tuple[Path, dict]], report: Report, pattern: str = "*.txt"
) -> None:
    try:
        documents = [parse_file(path) for path in sorted(sources_dir.glob(pattern))]
    except ParseError as exc:
        report.errors.append(f"source document: {exc}")
        return
    yaml_by_source: dict[tuple[str, int], dict] = {}
    for _, data in standards:
        baris = data["sumber"].get("baris")
        if baris is not None:
            yaml_by_source[(data["sumber"]["dokumen"], baris)] = data
    parsed_keys: set[tuple[str, int]] = set()
    for doc in documents:
        if len(doc.nomor_keputusan) > 1:
            report.warn(
                "nomor_keputusan",
                f"{doc.dokumen}: {len(doc.nomor_keputusan)} decree numbers: "
                + " vs ".join(doc.nomor_keputusan),
            )
        numbers = [s.nomor for s in doc.standards if s.nomor is not None]
        if len(doc.standards) > 1 and numbers:
            seen: dict[int, int] = {}
            for std in doc.standards:
                if std.nomor is None:
                    continue
                if std.nomor in seen:
                    report.warn(
                        "nomor_standar",
                        f"{doc.dokumen}:{std.baris}: number {std.nomor} used again ({std.nama!r}; "
                        f"first at line {seen[std.nomor]})",
                    )
                else:
                    seen[std.nomor] = std.baris
            for missing in sorted(set(range(1, max(numbers) + 1)) - set(numbers)):
                report.warn("nomor_standar", f"{doc.dokumen}: no standard numbered {missing}")
        # The same slip is often copied into dozens of standards: one line per slip, listing where.
        grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for std in doc.standards:
            where = f"{doc.dokumen}:{std.baris} {std.nama}"
            for line, message in std.anomalies:
                report.warn("karakter_liar", f"{doc.dokumen}:{line} ({std.nama}): {message}")
            for key, comp in std.komponen.items():
                ref = f"{std.nama!r} line {comp.baris}"
                for markers in comp.lettering:
                    problem = _lettering_problem(markers)
                    if problem:
                        grouped[("penomoran", KOMPONEN[key], problem)].append(ref)
                for stray in comp.stray_markers:
                    grouped[("huruf_tersisip", KOMPONEN[key], stray)].append(ref)
        for (category, komponen, problem), refs in grouped.items():
            shown = "; ".join(refs[:4]) + (f"; and {len(refs) - 4} more" if len(refs) > 4 else "")
            count = f"{len(refs)} standards: " if len(refs) > 1 else ""
            report.warn(category, f"{doc.dokumen}: {komponen}: {problem} [{count}{shown}]")
        for std in doc.standards:
            where = f"{doc.dokumen}:{std.baris} {std.nama}"
            parsed_keys.add((doc.dokumen, std.baris))
            data = yaml_by_source.get((doc.dokumen, std.baris))
            if data is None:
                report.warn(
                    "drift", f"{where}: no YAML file for this standard (run `kb parse --out` to compare)"
                )
                continue
            if data["nomor"] != std.nomor:
                report.warn(
                    "drift", f"{data['id']}: nomor {data['nomor']} in YAML, {std.nomor} in {doc.dokumen}"
                )
            if data["nama"] != std.nama:
                report.warn(
                    "drift", f"{data['id']}: nama {data['nama']!r} in YAML, {std.nama!r} in {doc.dokumen}"
                )
    for key, data in yaml_by_source.items():
        if key not in parsed_keys:
            report.warn(
                "drift", f"{data['id']}: sumber {key[0]} line {key[1]} is not a standard in the sources"
            )


def _check_regions(regions: dict[str, dict], report: Report) -> None:
    """Operating data of each office: what must be confirmed or is missing."""
    from bot.knowledge.saran import zone_for_province

    for wilayah, data in sorted(regions.items()):
        if "zona_waktu" not in data:
            report.warn(
                "operasional",
                f"{wilayah}: no zona_waktu: dates and deadlines are computed in Asia/Jakarta (WIB); "
                "write the office's zone",
            )
        expected = zone_for_province(data.get("provinsi"))
        if expected and data.get("zona_waktu") and data["zona_waktu"] != expected:
            report.warn(
                "operasional",
                f"{wilayah}: zona_waktu {data['zona_waktu']} but {data['provinsi']} is {expected}: "
                "dates and deadlines are computed in zona_waktu",
            )
        if not data.get("jam_layanan"):
            report.warn(
                "operasional",
                f"{wilayah}: no office hours (jam_layanan): the assistant cannot say when staff are in",
            )
        elif not data.get("jam_layanan_terverifikasi"):
            report.warn(
                "operasional",
                f"{wilayah}: office hours not confirmed by the office (jam_layanan_terverifikasi: false): "
                "confirm them, then set it to true",
            )
        pengaduan = data.get("pengaduan")
        if not pengaduan:
            report.warn("tindak_lanjut", f"{wilayah}: no complaint follow-up data (pengaduan)")
            continue
        if pengaduan.get("waktu_tanggapan_hari_kerja") is None:
            report.warn(
                "tindak_lanjut",
                f"{wilayah}: no complaint response time (pengaduan.waktu_tanggapan_hari_kerja): none of "
                "its standards states one; ask the office",
            )
        if not pengaduan.get("eskalasi"):
            report.warn("tindak_lanjut", f"{wilayah}: no escalation steps (pengaduan.eskalasi)")
        for step in pengaduan.get("eskalasi") or ():
            if step.get("setelah_hari_kerja") is None:
                report.warn(
                    "tindak_lanjut",
                    f"{wilayah}: escalation to {step['kepada']!r} has no day count (the standard states "
                    "none): a person decides when",
                )
        if not pengaduan.get("kanal_nasional"):
            report.warn(
                "tindak_lanjut", f"{wilayah}: no national complaint channel (pengaduan.kanal_nasional)"
            )


def run_check(
    knowledge_dir: Path, sources_dir: Optional[Path] = None, wilayah: Optional[str] = None
) -> Report:
    """Validate every YAML file under `knowledge_dir` and collect the data-quality warnings (of one
    region's standards, office and source documents when `wilayah` is given)."""
    knowledge_dir = Path(knowledge_dir)
    sources_dir = Path(sources_dir) if sources_dir else knowledge_dir / "sources"
    report = Report()
    standards, regions = _load_all(knowledge_dir, report)
    if wilayah is not None:
        standards = [(path, data) for path, data in standards if data["wilayah"] == wilayah]
        regions = {k: v for k, v in regions.items() if k == wilayah}
    report.counts = {"regions": len(regions), "standards": len(standards)}
    if not standards and not report.errors:
        report.errors.append(f"{knowledge_dir / 'standards'}: no standard files")
    _check_content(standards, report)
    _check_regions(regions, report)
    pattern = f"{wilayah}_*.txt" if wilayah else "*.txt"
    if any(sources_dir.glob(pattern)):
        _check_sources(sources_dir, standards, report, pattern)
    return report
