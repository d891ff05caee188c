"""Chat text for knowledge answers: numbered lists, short lines, citations, message splitting.

Pure functions over the read models of `bot.knowledge.views`, so every answer's wording is testable
without Rasa or a database. Plain text only (no HTML, no Markdown): the same text must read well on
WhatsApp, Telegram, the web widget and a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Optional

from bot.knowledge.aggregate import RegionComponent
from bot.knowledge.passages import Passage
from bot.knowledge.schema import KANAL, KOMPONEN
from bot.knowledge.views import Component, Item, Region, Standard

# WhatsApp and Telegram both cut messages at 4096 characters.
MAX_MESSAGE_CHARS = 4096
# Overview-card values longer than this are shortened; the component's own button shows all of it.
CARD_VALUE_CHARS = 240
# An office-level answer names the standards that differ only when they are this few.
MAX_NAMED_EXCEPTIONS = 8

# Short button titles and list labels for the components (answers use schema.KOMPONEN labels).
KOMPONEN_SINGKAT: dict[str, str] = {
    "persyaratan": "Persyaratan",
    "prosedur": "Prosedur",
    "jangka_waktu": "Jangka waktu",
    "biaya": "Biaya",
    "produk": "Produk",
    "pengaduan": "Pengaduan",
    "dasar_hukum": "Dasar hukum",
    "sarana": "Sarana/prasarana",
    "kompetensi": "Kompetensi pelaksana",
    "pengawasan": "Pengawasan internal",
    "jumlah_pelaksana": "Jumlah pelaksana",
    "jaminan": "Jaminan pelayanan",
    "jaminan_keamanan": "Jaminan keamanan",
    "evaluasi": "Evaluasi kinerja",
}

KANAL_LABEL: dict[str, str] = {
    "whatsapp": "WhatsApp",
    "telepon": "Telepon",
    "faks": "Faks",
    "email": "Email",
    "website": "Website",
    "alamat": "Alamat",
    "sms": "SMS",
    "media_sosial": "Media sosial",
}

NOT_LISTED = "tidak tercantum dalam standar pelayanan ini"


# --- lists ------------------------------------------------------------------------------------
def _marker(depth: int, index: int) -> str:
    if depth == 0:
        return f"{index}."
    if depth == 1:
        # a..z, then aa, ab... (lists that long do not occur, but never crash on them)
        letters = "abcdefghijklmnopqrstuvwxyz"
        if index <= 26:
            return f"{letters[index - 1]}."
        return f"{letters[(index - 1) // 26 - 1]}{letters[(index - 1) % 26]}."
    return "-"


def item_lines(items: Sequence[Item], depth: int = 0) -> list[str]:
    """One line per item: `1.` at the top, `a.` below it, `-` deeper; nested items indented."""
    lines: list[str] = []
    indent = "   " * depth
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            teks = str(item.get("teks", "")).strip()
            children = item.get("butir") or ()
        else:
            teks, children = str(item).strip(), ()
        lines.append(f"{indent}{_marker(depth, index)} {teks}")
        if children:
            lines.extend(item_lines(children, depth + 1))
    return lines


def count_items(component: Component) -> int:
    """Number of top-level items (what "14 persyaratan" counts)."""
    return len(component.butir)


# --- components -------------------------------------------------------------------------------
def rupiah(amount: int) -> str:
    """12500 -> 'Rp12.500' (Indonesian thousands separator)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def component_body(component: Component) -> list[str]:
    """The component's content as chat lines (empty list when the standard leaves it empty)."""
    if component.is_empty:
        return []
    if component.butir and not (len(component.butir) == 1 and isinstance(component.butir[0], str)):
        lines = item_lines(component.butir)
    elif component.butir:
        lines = [str(component.butir[0]).strip()]
    else:
        lines = [line.strip() for line in component.teks.strip().splitlines() if line.strip()]
    if component.key == "biaya" and component.extra.get("rupiah") == 0:
        text = " ".join(lines).lower()
        if "gratis" not in text and "tidak dipungut" not in text:
            lines.append("(tidak dipungut biaya / gratis)")
    if component.key == "pengaduan":
        lines.extend(kanal_lines(component.extra.get("kanal") or {}))
    return lines


def kanal_lines(kanal: dict) -> list[str]:
    """Parsed complaint channels, one line per kind, in schema order."""
    lines = []
    for name in KANAL:
        values = [v for v in kanal.get(name) or () if v]
        if values:
            lines.append(f"{KANAL_LABEL[name]}: {', '.join(values)}")
    if lines:
        lines.insert(0, "Saluran pengaduan:")
    return lines


def heading(standard: Standard) -> str:
    return f"{standard.nama} ({standard.wilayah_nama})"


def component_block(standard: Standard, key: str) -> str:
    """'<Label> <standard> (<region>):' followed by the content, or the honest 'not listed' line."""
    component = standard.komponen.get(key)
    label = KOMPONEN[key]
    body = component_body(component) if component is not None else []
    if not body:
        return f"{label} untuk {heading(standard)}: {NOT_LISTED}."
    return "\n".join([f"{label} - {heading(standard)}:", *body])


OFFICE_LONG_NAME = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"


def document_name(standard: Standard) -> str:
    """The source document, short enough for a chat line: its title up to "tentang" (the office's
    long name as DPMPTSP) and its decree number(s); the file name when it has no title."""
    sumber = standard.sumber
    if not sumber.judul:
        name = sumber.dokumen
    else:
        name = sumber.judul.split(" tentang ")[0].replace(OFFICE_LONG_NAME, "DPMPTSP")
    if sumber.nomor_keputusan:
        name += f" Nomor {' / '.join(sumber.nomor_keputusan)}"
    return name


def citation(standard: Standard) -> str:
    """The line that ends every factual answer."""
    return f"Sumber: {standard.nama}, {standard.wilayah_nama}, {document_name(standard)}"


def office_contacts(region: Region) -> list[tuple[str, tuple[str, ...]]]:
    """(label, values) of the office's contacts that the knowledge base has, in display order."""
    pairs = (
        ("Alamat", region.alamat),
        ("Telepon", region.telepon),
        ("WhatsApp", region.whatsapp),
        ("Email", region.email),
        ("Website", region.website),
    )
    return [(label, tuple(values)) for label, values in pairs if values]


def office_lines(region: Region) -> list[str]:
    """The office's contacts as the knowledge base has them (nothing added)."""
    lines = [region.kantor]
    lines.extend(f"{label}: {', '.join(values)}" for label, values in office_contacts(region))
    if len(lines) == 1:
        lines.append("(kontak kantor tidak tercantum dalam dokumen sumber)")
    return lines


def component_answer(standard: Standard, keys: Iterable[str], region: Optional[Region]) -> str:
    """One or more components of one standard, the office contact when something is not listed,
    and the citation."""
    keys = list(keys)
    blocks = [component_block(standard, key) for key in keys]
    empty = [key for key in keys if standard.komponen.get(key) is None or standard.komponen[key].is_empty]
    if empty and region is not None:
        blocks.append("\n".join(["Silakan tanyakan langsung ke kantor:", *office_lines(region)]))
    blocks.append(citation(standard))
    # No blank lines: Rasa's output channels would cut the answer into one message per paragraph.
    return "\n".join(blocks)


def _shorten(text: str, limit: int = CARD_VALUE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " ..."


def _card_value(component: Optional[Component]) -> str:
    if component is None or component.is_empty:
        return NOT_LISTED
    if component.teks.strip():
        return _shorten(component.teks)
    return _shorten("; ".join(line.split(" ", 1)[-1] for line in item_lines(component.butir)))


def overview_card(standard: Standard) -> str:
    """Everything about one standard at a glance: product, duration, fee, number of requirements."""
    komponen = standard.komponen
    persyaratan = komponen.get("persyaratan")
    if persyaratan is None or persyaratan.is_empty:
        jumlah = NOT_LISTED
    else:
        jumlah = f"{count_items(persyaratan) or 1} butir"
    biaya = _card_value(komponen.get("biaya"))
    if komponen.get("biaya") is not None and komponen["biaya"].extra.get("rupiah") == 0:
        if "gratis" not in biaya.lower():
            biaya += " (gratis)"
    lines = [
        heading(standard),
        f"Produk: {_card_value(komponen.get('produk'))}",
        f"Jangka waktu: {_card_value(komponen.get('jangka_waktu'))}",
        f"Biaya: {biaya}",
        f"Persyaratan: {jumlah}",
        "Pilih rincian yang ingin Anda lihat.",
        citation(standard),
    ]
    return "\n".join(lines)


# --- buttons --------------------------------------------------------------------------------
def payload(intent: str, **entities: str) -> str:
    """A Rasa button payload `/intent{"entity":"value"}` (compact JSON: Telegram allows 64 bytes)."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, separators=(',', ':'), ensure_ascii=False)}"


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    return {"title": title, "payload": payload(intent, **entities)}


# --- splitting --------------------------------------------------------------------------------
def _split_long_line(line: str, limit: int) -> list[str]:
    parts: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    parts.append(line)
    return parts


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split at line boundaries into messages of at most `limit` characters (a single longer line
    is split at spaces); no words are lost."""
    if len(text) <= limit:
        return [text]
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _split_long_line(line, limit):
            extra = len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                messages.append("\n".join(current).strip("\n"))
                current, size = [], 0
                extra = len(piece)
            current.append(piece)
            size += extra
    if current:
        messages.append("\n".join(current).strip("\n"))
    return [m for m in messages if m]


# --- answers across standards ------------------------------------------------------------------
def passage_line(passage: Passage) -> str:
    """One retrieved line, labelled with its component: "[Persyaratan] 3. Surat keterangan ..."."""
    marker = f"{passage.marker} " if passage.marker else ""
    return f"[{KOMPONEN_SINGKAT[passage.komponen]}] {marker}{passage.text}"


def detail_answer(standard: Standard, passages: Sequence[Passage]) -> str:
    """The lines of one standard that answer a detail question, then the citation."""
    lines = [f"Yang tercantum pada {heading(standard)}:"]
    lines += [passage_line(p) for p in passages]
    return "\n".join(lines)


def not_listed_answer(standard: Standard, asked: str, key: str) -> str:
    """A yes/no question about something the component does not list: say so, then what it lists."""
    component = standard.komponen.get(key)
    label = KOMPONEN[key]
    body = component_body(component) if component is not None else []
    first = f'"{asked}" tidak tercantum dalam {label} {heading(standard)}.'
    if not body:
        return f"{first}\n{label} untuk layanan ini juga {NOT_LISTED}."
    return "\n".join([first, f"Yang tercantum ({label}):", *body])


def region_document(standards: Sequence[Standard]) -> str:
    """The document(s) a region's standards come from, for the citation of an office-level answer."""
    return " / ".join(dict.fromkeys(document_name(s) for s in standards))


def _names(standards: Sequence[Standard], limit: int = 8) -> str:
    names = [s.nama for s in standards[:limit]]
    more = len(standards) - limit
    return ", ".join(names) + (f", dan {more} lainnya" if more > 0 else "")


def office_component(region: Region, regional: RegionComponent, standards: Sequence[Standard]) -> str:
    """One component for a whole office: the content most of its standards share, how many it
    covers, which differ, and the citation (region, document)."""
    key = regional.key
    label = KOMPONEN[key]
    common = regional.common
    source = f"Sumber: Standar Pelayanan {region.nama}, {region_document(standards)}"
    if common is None:
        return "\n".join([f"{label} di {region.kantor}: {NOT_LISTED}.", source])
    covered = len(common.standards)
    if regional.total == 1:
        scope = f"standar {common.standards[0].nama}"
    elif covered == regional.total:
        scope = f"berlaku untuk semua {regional.total} layanan"
    elif len(regional.differing) <= MAX_NAMED_EXCEPTIONS:
        scope = f"sama untuk {covered} dari {regional.total} layanan; berbeda: {_names(regional.differing)}"
    else:
        scope = (
            f"isi yang paling umum, dipakai {covered} dari {regional.total} layanan; "
            "sebutkan layanannya untuk isi yang berlaku"
        )
    lines = [f"{label} di {region.kantor} ({scope}):", *component_body(common.component)]
    return "\n".join([*lines, source])


def comparison(standards: Sequence[Standard], keys: Sequence[str]) -> str:
    """One service side by side in the regions that have it, or the services named, component by
    component."""
    if len({s.nama for s in standards}) == 1:
        lines = [f"Perbandingan {standards[0].nama} di {len(standards)} wilayah:"]
    else:
        lines = [f"Perbandingan {len(standards)} layanan:"]
    for key in keys:
        lines.append(f"== {KOMPONEN[key]} ==")
        for standard in standards:
            component = standard.komponen.get(key)
            body = component_body(component) if component is not None else []
            lines.append(f"[{standard.wilayah_nama}] {standard.nama}:")
            lines.extend(body or [f"({NOT_LISTED})"])
    lines += [citation(s) for s in standards]
    return "\n".join(lines)


def filtered_list(title: str, rows: Sequence[tuple[Standard, str]]) -> str:
    """A numbered list of standards, each with the fact that put it on the list, then sources."""
    lines = [f"{title} ({len(rows)}):"]
    lines += [f"{i}. {s.nama} ({s.wilayah_nama}): {fact}" for i, (s, fact) in enumerate(rows, start=1)]
    regions = list(dict.fromkeys(s.wilayah_nama for s, _ in rows))
    for name in regions:
        documents = region_document([s for s, _ in rows if s.wilayah_nama == name])
        lines.append(f"Sumber: Standar Pelayanan {name}, {documents}")
    return "\n".join(lines)


def short_value(component: Optional[Component]) -> str:
    """A component in one line (lists joined), for a list of standards."""
    return _card_value(component)
