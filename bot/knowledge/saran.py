"""Suggestions for a new document's curated extras: aliases and sector of each standard, and a draft
office file. Every rule and word list is data in `knowledge/lexicon/` (alias.yml, sektor.yml,
wilayah.yml) and `knowledge/templat/wilayah.yaml`; nothing here knows a particular document.

Suggestions are drafts: `kb import` writes them into the YAML and lists them for review, the YAML
stays the only source of truth afterwards (a re-import keeps what the maintainer edited).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from bot import lexicon
from bot.knowledge.parse import ParsedDocument, parse_channels
from bot.knowledge.schema import KOMPONEN
from bot.pengaduan.aturan import waktu_tanggapan_dari_teks

TEMPLAT_WILAYAH = Path(__file__).resolve().parents[2] / "knowledge" / "templat" / "wilayah.yaml"
SEKTOR_UMUM = "umum"
# Words that never start a short form or an initialism.
_FUNCTION_WORDS = frozenset(
    "dan atau yang untuk oleh dalam di ke dari dengan pada bagi serta tentang".split()
)


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words of a title: 'Izin Apotek (Rev.)' -> ['izin', 'apotek', 'rev']."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


def _phrase_matches(words: list[str], table: dict[str, str]) -> list[tuple[str, str]]:
    """(phrase, value) of every longest-first, non-overlapping match of `table` in `words`."""
    longest = max((len(k.split()) for k in table), default=1)
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in table:
                found.append((phrase, table[phrase]))
                i += size
                break
        else:
            i += 1
    return found


# --- sector ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SektorSaran:
    sektor: str
    kata: tuple[str, ...]  # the title's phrases that named it (empty: no sector word, "umum")


def sector_words() -> dict[str, str]:
    """{phrase: sector} of knowledge/lexicon/sektor.yml, both sections (a phrase in one only)."""
    words = lexicon.mapping("sektor", "sektor")
    for phrase, sektor in lexicon.mapping("sektor", "sektor_judul").items():
        if words.get(phrase, sektor) != sektor:
            raise lexicon.LexiconError(
                f"lexicon sektor.yml: {phrase!r} is listed under both {words[phrase]!r} and {sektor!r}"
            )
        words[phrase] = sektor
    return words


def suggest_sector(title: str) -> SektorSaran:
    """The sector whose words (knowledge/lexicon/sektor.yml) cover most of the title; ties go to the
    one named first. "umum" when the title has no sector word."""
    matches = _phrase_matches(words_of(title), sector_words())
    if not matches:
        return SektorSaran(SEKTOR_UMUM, ())
    weight: Counter[str] = Counter()
    first: dict[str, int] = {}
    for position, (phrase, sektor) in enumerate(matches):
        weight[sektor] += len(phrase.split())
        first.setdefault(sektor, position)
    best = max(weight, key=lambda s: (weight[s], -first[s]))
    return SektorSaran(best, tuple(p for p, s in matches if s == best))


# --- aliases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasSaran:
    alias: str
    aturan: str  # which rule made it: singkatan, inisial, pola, awalan, bentuk_pendek, ejaan


_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")


def _acronyms(title: str) -> list[str]:
    excluded = lexicon.words("alias", "bukan_singkatan")
    found = []
    for token in re.split(r"[\s()/,;:]+", title):
        token = token.strip(".-")
        letters = sum(c.isalpha() for c in token)
        if letters >= 2 and _ACRONYM_RE.match(token) and token.lower() not in excluded:
            found.append(token)
    return found


def _without_brackets(title: str) -> str:
    """The title without parenthesised parts and a trailing '/ACRONYM'."""
    text = re.sub(r"\([^)]*\)", " ", title)
    text = re.sub(r"/\s*[A-Z][A-Z0-9-]+\s*$", " ", text)
    return " ".join(text.split())


def _initialism(title: str) -> Optional[str]:
    words = [w for w in words_of(_without_brackets(title)) if w not in _FUNCTION_WORDS]
    if not 2 <= len(words) <= 6 or any(w.isdigit() for w in words):
        return None
    return "".join(w[0] for w in words).upper()


def _spelling_variants(text: str) -> list[str]:
    # The ways people write a word are the normalizer's (knowledge/lexicon/normalisasi.yml, `ganti`):
    # one list for understanding messages and for suggesting aliases.
    table = {
        standard: [v for v in variants if " " not in v]
        for standard, variants in lexicon.section("normalisasi", "ganti").items()
        if " " not in standard and any(" " not in v for v in variants)
    }
    words = text.split()
    positions = [(i, variants[0]) for i, w in enumerate(words) for std, variants in table.items() if w == std]
    out = []
    for i, variant in positions:
        out.append(" ".join(variant if j == i else w for j, w in enumerate(words)))
    if len(positions) > 1:
        replaced = dict(positions)
        out.append(" ".join(replaced.get(j, w) for j, w in enumerate(words)))
    return out


def suggest_aliases(title: str, document_text: str = "") -> list[AliasSaran]:
    """Names people are likely to use for a standard titled `title`, by the rules of
    knowledge/lexicon/alias.yml. `document_text` (the whole decree) confirms initialisms: "IUI" is
    suggested for "Izin Usaha Industri" only when the document itself writes it."""
    suggestions: list[AliasSaran] = []
    seen = {title.lower(), _without_brackets(title).lower()}

    def add(alias: str, rule: str) -> None:
        alias = " ".join(alias.split())
        if alias and alias.lower() not in seen:
            seen.add(alias.lower())
            suggestions.append(AliasSaran(alias, rule))

    acronyms = _acronyms(title)
    for acronym in acronyms:
        add(acronym, "singkatan")
        if "-" in acronym:
            add(acronym.replace("-", " "), "singkatan")
            add(acronym.replace("-", ""), "singkatan")
    initials = _initialism(title)
    if initials and initials not in acronyms and re.search(rf"\b{re.escape(initials)}\b", document_text):
        add(initials, "inisial")
    for pattern in lexicon.section("alias", "pola") or ():
        for m in re.finditer(pattern, title):
            add(m.group(0), "pola")

    words = words_of(_without_brackets(title))
    text = " ".join(words)
    for opening, short in sorted(
        lexicon.mapping("alias", "singkatan_awalan").items(), key=lambda kv: -len(kv[0])
    ):
        if text.startswith(opening + " "):
            add(f"{short} {text[len(opening) + 1 :]}", "awalan")
            break
    short_forms = []
    for opening, short in sorted(
        lexicon.mapping("alias", "bentuk_pendek").items(), key=lambda kv: -len(kv[0])
    ):
        if text.startswith(opening + " "):
            short_forms.append(f"{short} {text[len(opening) + 1 :]}")
            break
    for form in short_forms:
        add(form, "bentuk_pendek")
    for form in short_forms or [text]:
        for variant in _spelling_variants(form):
            add(variant, "ejaan")
    return suggestions


# --- regions ---------------------------------------------------------------------------------


def zone_for_province(provinsi: Optional[str]) -> Optional[str]:
    """IANA zone of a province (knowledge/lexicon/wilayah.yml), None when unknown."""
    if not provinsi:
        return None
    return lexicon.mapping("wilayah", "zona_waktu").get(" ".join(words_of(provinsi)))


def find_province(text: str) -> Optional[tuple[str, int]]:
    """The province a document names most often, as written, with the count; None if none."""
    table = lexicon.mapping("wilayah", "zona_waktu")
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    # Longest names first, each occurrence counted once ("Papua Barat" is not also "Papua").
    for name in sorted(table, key=len, reverse=True):
        pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b", re.IGNORECASE)
        for m in pattern.finditer(text):
            counts[name] += 1
            written.setdefault(name, " ".join(m.group(0).split()))
        text = pattern.sub(" ", text)
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda kv: kv[1])
    shown = written[name]
    if shown.isupper() or shown.islower():
        shown = " ".join(w.upper() if w in ("dki", "di") else w.capitalize() for w in name.split())
    return shown, count


def region_aliases(wilayah: str, nama: str) -> list[str]:
    """'Kabupaten Ogan Komering Ilir' -> ['ogan komering ilir', 'kab ogan komering ilir',
    'kabupaten ogan komering ilir'] (knowledge/lexicon/wilayah.yml, awalan_wilayah)."""
    words = words_of(nama)
    out: list[str] = []
    prefixes = lexicon.mapping("wilayah", "awalan_wilayah")
    shorts = {v: k for k, v in prefixes.items()}  # kabupaten -> kab
    if words and words[0] in shorts:
        bare = " ".join(words[1:])
        out += [bare, f"{shorts[words[0]]} {bare}", " ".join(words)]
    else:
        out.append(" ".join(words))
    slug_words = wilayah.replace("-", " ")
    if slug_words not in out:
        out.insert(0, slug_words)
    return list(dict.fromkeys(a for a in out if a))


def office_template(path: Path = TEMPLAT_WILAYAH) -> dict[str, Any]:
    """knowledge/templat/wilayah.yaml: the defaults of a new office file."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


_KANTOR_RE = re.compile(
    r"Dinas\s+Penanaman\s+Modal\s+dan\s+Pelayanan\s+Terpadu\s+Satu\s+Pintu(?:\s*\([A-Z]+\))?\s+"
    r"(?P<where>(?:Kabupaten|Kota)\s+[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,3})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DraftWilayah:
    """A draft office file and what the maintainer must check in it."""

    data: dict[str, Any]
    catatan: tuple[str, ...]  # review notes, most important first


def _majority(values: list[tuple[str, ...]]) -> tuple[tuple[str, ...], int]:
    counts = Counter(v for v in values if v)
    if not counts:
        return (), 0
    return counts.most_common(1)[0]


def draft_region(
    wilayah: str, nama: str, documents: list[ParsedDocument], text: str, provinsi: Optional[str] = None
) -> DraftWilayah:
    """A new office file from the document(s): the office's name and complaint contacts as the text
    gives them, the province (given or found), the time zone suggested from it, and the template's
    hours (unverified) and national complaint channel."""
    notes: list[str] = []
    flat = " ".join(text.split())
    kantor = None
    bare = " ".join(words_of(nama)[1:]) if len(words_of(nama)) > 1 else nama.lower()
    for m in _KANTOR_RE.finditer(flat):
        if bare and bare in " ".join(words_of(m.group("where"))):
            kantor = f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {nama}"
            break
    if kantor is None:
        kantor = f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {nama}"
        notes.append(
            f"kantor: the document does not name the office in full; written as {kantor!r}: check it"
        )
    if provinsi:
        notes.append(f"provinsi: {provinsi!r} (given with --provinsi)")
    else:
        found = find_province(text)
        if found:
            provinsi = found[0]
            notes.append(f"provinsi: {provinsi!r} found {found[1]} time(s) in the document: check it")
        else:
            notes.append("provinsi: not found in the document: add it (and check zona_waktu)")
    zone = zone_for_province(provinsi)
    if zone:
        notes.insert(0, f"zona_waktu: {zone} suggested from the province {provinsi!r}: confirm it")
    else:
        notes.insert(
            0,
            "zona_waktu: not set (unknown province): write Asia/Jakarta (WIB), Asia/Makassar (WITA) or "
            "Asia/Jayapura (WIT); kb check fails until then",
        )

    contacts: dict[str, list[str]] = {}
    for channel in ("alamat", "telepon", "whatsapp", "email", "website"):
        per_standard = [
            tuple(parse_channels(std.komponen["pengaduan"].teks).get(channel, ()))
            for doc in documents
            for std in doc.standards
        ]
        values, count = _majority(per_standard)
        contacts[channel] = list(values)
        total = len(per_standard)
        if values:
            where = f"in {count} of {total} standards" if total > 1 else "in its complaint channels"
            notes.append(f"{channel}: {', '.join(values)} ({where}): check it")
    if not any(contacts.values()):
        notes.append("contacts: no address, phone, WhatsApp, e-mail or website found: add the office's own")

    template = office_template()
    pengaduan: dict[str, Any] = {"waktu_tanggapan_hari_kerja": None, "eskalasi": []}
    stated = [
        (found, std.nama)
        for doc in documents
        for std in doc.standards
        if (found := waktu_tanggapan_dari_teks(std.komponen["pengaduan"].teks))
    ]
    if stated:
        (days, sentence), source = Counter(stated).most_common(1)[0][0]
        pengaduan["waktu_tanggapan_hari_kerja"] = days
        pengaduan["dasar"] = f'{source}, {KOMPONEN["pengaduan"]}: "{sentence}"'
        notes.append(f"pengaduan: complaints answered within {days} working days, as {source!r} states")
    else:
        notes.append(
            "pengaduan: no standard states a complaint response time (waktu_tanggapan_hari_kerja stays "
            "empty): ask the office; add escalation steps (eskalasi) only where the office has a rule"
        )
    if template.get("kanal_nasional"):
        pengaduan["kanal_nasional"] = dict(template["kanal_nasional"])
    data: dict[str, Any] = {
        "id": wilayah,
        "nama": nama,
        "provinsi": provinsi,
        "kantor": kantor,
        "alias": region_aliases(wilayah, nama),
        **contacts,
        "sumber": [doc.dokumen for doc in documents],
        "zona_waktu": zone,
        "jam_layanan": template.get("jam_layanan") or [],
        "jam_layanan_terverifikasi": False,
        "pengaduan": pengaduan,
    }
    if provinsi is None:
        del data["provinsi"]
    notes.append(
        "jam_layanan: the usual local-government hours, not the office's own: confirm them, then set "
        "jam_layanan_terverifikasi: true"
    )
    return DraftWilayah(data, tuple(notes))
