"""Standar Pelayanan documents (knowledge/sources/*.txt) -> structured standards.

The sources are text conversions of PDF decrees: tab-separated tables (NO, KOMPONEN, URAIAN) with
HTML fragments, table headers repeated at every page break, continuation rows whose first columns
are empty, labels split across rows and list lettering that is sometimes wrong. The parser keeps
everything the document says (no text is dropped, only layout debris) and records what is odd
(`ParsedStandard.anomalies`, `ParsedComponent.lettering`) so that `kb check` can report it instead of
hiding it.

Entry points: `parse_file(path)` and `parse_text(text, dokumen)`; both raise `ParseError` naming the
file and line when a document cannot be read as a Standar Pelayanan.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bot.knowledge.schema import KANAL, KOMPONEN


class ParseError(ValueError):
    """A source document that cannot be parsed; names the file and the line."""

    def __init__(self, dokumen: str, line: Optional[int], message: str):
        self.dokumen = dokumen
        self.line = line
        self.message = message
        where = f"{dokumen}:{line}" if line else dokumen
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedComponent:
    key: str  # one of schema.KOMPONEN
    label: str  # as written (split labels joined)
    teks: str  # full text, HTML removed
    butir: list  # items: str | {"teks": str, "butir": [...]}
    baris: int  # line where the row starts
    # Markers of each list as written, e.g. ["a", "b", "g", "h"]: the check reports skips.
    lettering: list[list[str]] = field(default_factory=list)
    # List letters found inside a sentence ("Rekomendasi e. sesuai ..."), joined to the item before.
    stray_markers: list[str] = field(default_factory=list)


@dataclass
class ParsedStandard:
    dokumen: str
    nomor: Optional[int]
    nama: str  # readable case
    judul_asli: str  # the title as written
    baris: int
    komponen: dict[str, ParsedComponent]
    anomalies: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


@dataclass
class ParsedDocument:
    dokumen: str  # file name in knowledge/sources
    wilayah: str  # region slug, from the file name "<wilayah>_<content>.txt"
    judul: Optional[str]
    nomor_keputusan: list[str]
    tanggal: Optional[str]
    standards: list[ParsedStandard]


# --- reading ---------------------------------------------------------------------------------


def read_source(path: Path) -> str:
    """The document as text; refuses binary files and anything that is not UTF-8."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(name, None, f"cannot read: {exc.strerror}") from exc
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ParseError(name, line, "binary content (NUL byte): not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(name, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from exc
    bad = re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]", text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise ParseError(name, line, f"control character {bad.group()!r}: not a text document")
    return text.lstrip("\ufeff")


def parse_file(path: Path) -> ParsedDocument:
    path = Path(path)
    return parse_text(read_source(path), path.name)


def wilayah_of(dokumen: str) -> str:
    """Region slug from the naming convention of knowledge/sources: `<wilayah>_<content>.txt`."""
    return dokumen.split("_", 1)[0]


# --- text helpers ----------------------------------------------------------------------------

_SMALL_WORDS = {
    "dan",
    "atau",
    "di",
    "ke",
    "dari",
    "untuk",
    "yang",
    "pada",
    "oleh",
    "serta",
    "dengan",
    "tentang",
}


def readable_case(title: str) -> str:
    """'IZIN APOTEK' -> 'Izin Apotek'; mixed-case titles (with their acronyms) stay as written."""
    letters = [c for c in title if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return title
    words = []
    for i, word in enumerate(title.split()):
        lower = word.lower()
        words.append(lower if i and lower in _SMALL_WORDS else lower[:1].upper() + lower[1:])
    return " ".join(words)


_TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z]+)[^>]*>")
_BLOCK_TAGS = {"p", "ol", "ul", "li", "br", "div"}
# Block boundaries inside a cell: paragraph, list opening, and a page-break join.
P_BREAK, LIST_OPEN, JOIN = "\ue000p\ue000", "\ue000l\ue000", "\ue000j\ue000"


def _cell_to_marked(text: str) -> str:
    """HTML cell -> text with block markers (paragraph / list opening); inline tags dropped."""

    def repl(m: re.Match) -> str:
        closing, tag = m.group(1), m.group(2).lower()
        if tag in ("ol", "ul") and not closing:
            return LIST_OPEN
        if tag in _BLOCK_TAGS:
            return P_BREAK
        return ""

    text = _TAG_RE.sub(repl, text)
    text = text.replace("**", "")
    return html.unescape(text)


def plain(text: str) -> str:
    """Marked text -> one line of readable text."""
    for mark in (P_BREAK, LIST_OPEN, JOIN):
        text = text.replace(mark, " ")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([;,.:])(?=\s|$)", r"\1", text)


def strip_html(text: str) -> str:
    return plain(_cell_to_marked(text))


# --- numbers written in words ----------------------------------------------------------------

_UNITS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
}


def words_to_number(words: str) -> Optional[int]:
    """'dua belas' -> 12, 'enam puluh satu' -> 61, 'seratus delapan puluh' -> 180; None if not a number."""
    tokens = re.findall(r"[a-z]+", words.lower())
    if not tokens:
        return None
    total, current = 0, 0
    for tok in tokens:
        if tok == "seratus":
            total += current * 100 if current else 100
            current = 0
        elif tok == "seribu":
            total += current + 1000
            current = 0
        elif tok in _UNITS:
            current += _UNITS[tok]
        elif tok == "belas":
            current = (current or 1) + 10
        elif tok == "puluh":
            current = (current or 1) * 10
        elif tok == "ratus":
            total += (current or 1) * 100
            current = 0
        elif tok == "ribu":
            total = (total + (current or 1)) * 1000
            current = 0
        else:
            return None
    return total + current


_DAYS_RE = re.compile(
    r"(?P<min>\d+)\s*(?:-|–|s\.?\s*d\.?|sampai)\s*(?P<max>\d+)\s*(?:\([^)]*\)\s*)?hari"
    r"|(?P<num>\d+)\s*(?:\((?P<words>[a-z\s]+)\))?\s*hari"
    r"|(?P<onlywords>(?:[a-z]+\s+){0,3}?[a-z]+)\s*\((?P<words2>[a-z\s]+)\)\s*hari",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Duration:
    hari_kerja_maks: Optional[int]
    hari_kerja_min: Optional[int]
    # (digits, words) when both are written and disagree, e.g. "11 (dua belas)".
    disagreement: Optional[tuple[int, int]] = None


def parse_duration(teks: str) -> Duration:
    """Working days in a Jangka Waktu text: '12 (dua belas) hari kerja', '14-180 hari kerja'."""
    m = _DAYS_RE.search(teks)
    if not m:
        return Duration(None, None)
    if m.group("max"):
        return Duration(int(m.group("max")), int(m.group("min")))
    if m.group("num"):
        digits = int(m.group("num"))
        in_words = words_to_number(m.group("words") or "")
        off = (digits, in_words) if in_words is not None and in_words != digits else None
        return Duration(digits, None, off)
    # Only words ("dua belas (dua belas) hari"): take the words in the parentheses.
    value = words_to_number(m.group("words2"))
    return Duration(value, None)


def parse_rupiah(teks: str) -> Optional[int]:
    """Fee in rupiah: 'Rp.0,00 (Nol rupiah)' -> 0, 'Gratis' -> 0, 'Rp 50.000' -> 50000; else None."""
    low = teks.lower()
    m = re.search(r"rp\.?\s*([\d.]+)(?:,(\d{2}))?", low)
    if m:
        return int(m.group(1).replace(".", "") or "0")
    if re.search(r"\b(gratis|tidak dipungut biaya|tanpa biaya|nol rupiah)\b", low):
        return 0
    return None


# --- contact channels ------------------------------------------------------------------------

_PHONE = r"\(?\+?\d[\d\s().-]{5,}\d(?:\s*ext\.?\s*\d+)?"
_CHANNEL_PATTERNS: dict[str, list[re.Pattern]] = {
    "whatsapp": [re.compile(rf"\b(?:whatsapp|wa)\s*:\s*({_PHONE})", re.I)],
    "sms": [re.compile(rf"\bsms\s*:\s*({_PHONE})", re.I)],
    "telepon": [
        re.compile(rf"\b(?:telepon|telp\.?|telpon)\s*:\s*({_PHONE})", re.I),
        re.compile(rf"\bhp\s*/\s*telp[^:]*:\s*({_PHONE}(?:\s*/\s*{_PHONE})*)", re.I),
    ],
    "faks": [
        re.compile(rf"\b(?:faximili|faksimili|faksimile|fax|faks)\s*:\s*({_PHONE})", re.I),
        re.compile(rf"/\s*fax[^:]*:\s*(?:{_PHONE}\s*/\s*)?({_PHONE})", re.I),
    ],
    "email": [re.compile(r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")],
    "website": [re.compile(r"((?:https?://|www\.)[\w.-]+\.[a-z]{2,}(?:/[\w./-]*)?)", re.I)],
    "media_sosial": [
        re.compile(r"\b((?:twitter|instagram|facebook|fb|ig|tiktok|youtube)\s*:\s*@?[\w.]+)", re.I)
    ],
    "alamat": [re.compile(r"((?:Jalan|Jl\.)\s[^;]*?\d{5})(?=[\s.;]|$)")],
}


def parse_channels(teks: str) -> dict[str, list[str]]:
    """Contact channels named in a complaints (pengaduan) text, each value as written."""
    found: dict[str, list[str]] = {}
    for name in KANAL:
        values: list[str] = []
        for pattern in _CHANNEL_PATTERNS[name]:
            for m in pattern.finditer(teks):
                raw = m.group(1).strip()
                if teks[m.end(1) :].startswith("."):
                    # "... 322869 5. Surat ke ...": the digits before the full stop number the next item.
                    raw = re.sub(r"\s\d{1,2}$", "", raw)
                raw = raw.rstrip(".;,")
                parts = re.split(r"\s*/\s*(?=[(\d+])", raw) if name == "telepon" else [raw]
                for part in parts:
                    part = re.sub(r"\s+", " ", part).strip()
                    if name == "website":
                        part = part.rstrip("./")
                    if part and part not in values:
                        values.append(part)
        if values:
            found[name] = values
    return found


# --- list items ------------------------------------------------------------------------------

# A list marker: "a." "A." "1." "1)" or "-"/"•", at the start of a block or after a space, ';' or '>'.
# "danc." (a PDF join of "dan c.") is a known glitch; the letter is taken as a marker.
# A number after "Pasal"/"Nomor"/"Tahun" or in "9, 10, 11." ends a citation, not an item.
_MARKER_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s;>\ue000])|(?<=[\s;>]dan))"
    r"(?:(?P<paren>\d{1,2})\)(?=\s)"
    r"|(?<![Pp]asal )(?<!Nomor )(?<!nomor )(?<!Tahun )(?<!tahun )(?<!ayat )(?<!\d, )(?<!& )"
    r"(?P<num>\d{1,2})\.(?=\s)"
    # A letter may end the text: "... kepada pemohon. j." (an empty last item, kept for the check).
    r"|(?P<lower>[a-z])\.(?=\s|$)|(?P<upper>[A-Z])\.(?=\s)|(?P<dash>[-•])(?=\s))"
)


def _marker_kind(m: re.Match) -> tuple[str, str]:
    for kind in ("paren", "num", "lower", "upper", "dash"):
        if m.group(kind) is not None:
            return kind, m.group(kind)
    raise AssertionError("unreachable")


def _is_start(kind: str, value: str) -> bool:
    return kind == "dash" or value in ("a", "A", "1")


def _clean_item(text: str) -> str:
    text = plain(text)
    text = re.sub(r"(?:[;,]\s*)?\b(?:dan|atau)$", "", text).strip()
    text = text.rstrip(";,").strip()
    # A final full stop ends a sentence, but keep it where it closes an abbreviation ("dll.").
    if text.endswith(".") and not re.search(r"\b[a-zA-Z]{1,3}\.$", text) and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text.rstrip(":").strip()


_FUNCTION_WORDS = {
    "sesuai",
    "yang",
    "dan",
    "atau",
    "serta",
    "dengan",
    "pada",
    "dari",
    "kepada",
    "untuk",
    "oleh",
}


def _continues_sentence(previous: str, following: str) -> bool:
    """True when a lettered piece is the rest of the previous item's sentence, not an item of its own.

    "... serta sarana dan prasarana" + "b. yang memadai": the previous item stops mid-sentence (no
    punctuation, a lowercase last word or a following function word). "d. Izin Lingkungan" +
    "e. rekomendasi keamanan hayati ..." stays two items.
    """
    if not following[:1].islower() or re.search(r"(?:[.;:,]|\b(?:dan|atau|serta))$", previous):
        return False
    last_word = previous.split()[-1] if previous.split() else ""
    first_word = following.split()[0].strip(",;") if following.split() else ""
    return last_word[:1].islower() or first_word in _FUNCTION_WORDS


@dataclass
class _Level:
    kind: Optional[str]  # marker kind of this list, None until its first marker
    items: list
    markers: list[str] = field(default_factory=list)
    last: Optional[dict] = None  # the last item (mutable while its text grows)


def _segments(marked: str) -> list[tuple[str, Optional[tuple[str, str]], str]]:
    """(block_start, marker, text) for each piece of a marked cell; block_start in p/l/j/'' ."""
    pieces = re.split(r"(\ue000[plj]\ue000)", marked)
    out: list[tuple[str, Optional[tuple[str, str]], str]] = []
    block = "p"
    for piece in pieces:
        if piece in (P_BREAK, LIST_OPEN, JOIN):
            # A join keeps its meaning even if a tag follows it; a list opening wins over a paragraph.
            if block != "j" or piece == LIST_OPEN:
                block = piece[1]
            continue
        if not piece.strip():
            continue
        matches = list(_MARKER_RE.finditer(piece))
        lead = piece[: matches[0].start()] if matches else piece
        if lead.strip():
            out.append((block, None, lead))
            block = ""
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(piece)
            kind, value = _marker_kind(m)
            out.append((block, (kind, "-" if kind == "dash" else value), piece[m.end() : end]))
            block = ""
    return out


def parse_items(marked: str) -> tuple[list, list[list[str]], list[str]]:
    """Marked cell text -> (nested items, lettering of each list as written, stray markers)."""
    segments = _segments(marked)
    if not any(marker for _, marker, _ in segments):
        return [], [], []
    root = _Level(None, [])
    stack = [root]
    stray: list[str] = []
    all_levels = [root]

    def push(items: list) -> _Level:
        level = _Level(None, items)
        stack.append(level)
        all_levels.append(level)
        return level

    def current_item() -> Optional[dict]:
        for level in reversed(stack):
            if level.last is not None:
                return level.last
        return None

    for index, (block, marker, text) in enumerate(segments):
        if marker is None:
            item = current_item()
            next_marker = segments[index + 1][1] if index + 1 < len(segments) else None
            starts_list = next_marker is not None and _is_start(*next_marker)
            lowercase = text.strip()[:1].islower()
            sentence_open = item is not None and not re.search(r"[.;]$", plain(item["teks"]))
            if item is not None and (
                (block == "j" and (sentence_open or lowercase)) or (not starts_list and lowercase)
            ):
                item["teks"] += " " + text  # continuation across a page break or a line
            elif plain(text).endswith(":") or starts_list or item is None:
                # A heading ("Prosedur penanganan pengaduan adalah:") groups the list that follows.
                del stack[1:]
                group = {"teks": text, "butir": []}
                root.items.append(group)
                root.last = group
                push(group["butir"])
            elif block == "p" and ":" in plain(text):
                # A statement of its own ("Unit organisasi ... adalah: Bidang Pengaduan ..."), not an item.
                del stack[1:]
                entry = {"teks": text, "butir": []}
                root.items.append(entry)
                root.last = entry
            else:
                top = stack[-1]
                entry = {"teks": text, "butir": []}
                top.items.append(entry)
                top.last = entry
                top.markers.append("")
            continue

        kind, value = marker
        top = stack[-1]
        if top.kind is None and not top.markers:
            target = top
        elif top.kind == kind:
            restart = _is_start(kind, value) and kind != "dash" and bool(top.markers)
            previous = plain(top.last["teks"]) if top.last else ""
            nests = restart and top.last is not None and (block == "l" or previous.endswith(":"))
            unlettered_heading = nests and top.markers[-1] == "" and previous.endswith(":")
            heading = re.match(r"^(.*[\d/.])\s+([A-Z][^.;:]*:)$", previous) if nests else None
            if unlettered_heading or heading:
                # "f. WhatsApp: 0812... Ruang lingkup ... meliputi: a. ...": a heading glued to the
                # last item of the list before, or an unlettered paragraph ending in ":", starts a
                # new group.
                if unlettered_heading:
                    top.items.pop()
                    top.markers.pop()
                    title = top.last["teks"]
                else:
                    top.last["teks"] = heading.group(1)
                    title = heading.group(2)
                del stack[1:]
                group = {"teks": title, "butir": []}
                root.items.append(group)
                root.last = group
                target = push(group["butir"])
            else:
                target = push(top.last["butir"]) if nests else top
        else:
            found = next((lv for lv in reversed(stack[:-1]) if lv.kind == kind), None)
            if found is not None:
                del stack[stack.index(found) + 1 :]
                target = found
            elif top.last is not None:
                target = push(top.last["butir"])
            else:
                target = top
        if target.kind is None:
            target.kind = kind
        previous_item = target.last
        if (
            kind != "dash"
            and previous_item is not None
            and not previous_item["butir"]
            and _continues_sentence(plain(previous_item["teks"]), plain(text))
        ):
            # "... apabila Rekomendasi e. sesuai dengan permohonan ...": a letter inside a sentence
            # (PDF layout), not a new item. Keep the sentence whole and report the stray letter.
            previous_item["teks"] += " " + text
            target.markers.append(value)
            stray.append(f"'{value}.' inside a sentence: '... {plain(previous_item['teks'])[-60:]}'")
            continue
        entry = {"teks": text, "butir": []}
        target.items.append(entry)
        target.markers.append(value if kind != "dash" else "-")
        target.last = entry

    lettering = [lv.markers for lv in all_levels if lv.kind not in (None, "dash") and lv.markers]
    return _finish(root.items), lettering, stray


def _finish(items: list) -> list:
    out: list = []
    for item in items:
        teks = _clean_item(item["teks"])
        children = _finish(item["butir"])
        if not teks and not children:
            continue
        if children:
            out.append({"teks": teks or "(tanpa judul)", "butir": children})
        else:
            out.append(teks)
    return out


# --- table structure -------------------------------------------------------------------------

_LABEL_KEYS: list[tuple[str, str]] = [
    ("persyaratan", "persyaratan"),
    ("keamanan", "jaminan_keamanan"),
    ("keselamatan", "jaminan_keamanan"),
    ("pengaduan", "pengaduan"),
    ("penanganan", "pengaduan"),
    ("sistem", "prosedur"),
    ("mekanisme", "prosedur"),
    ("prosedur", "prosedur"),
    ("jangka", "jangka_waktu"),
    ("biaya", "biaya"),
    ("tarif", "biaya"),
    ("produk", "produk"),
    ("dasar hukum", "dasar_hukum"),
    ("sarana", "sarana"),
    ("kompetensi", "kompetensi"),
    ("pengawasan", "pengawasan"),
    ("jumlah", "jumlah_pelaksana"),
    ("jaminan", "jaminan"),
    ("evaluasi", "evaluasi"),
]


def component_key(label: str) -> Optional[str]:
    low = strip_html(label).lower()
    for word, key in _LABEL_KEYS:
        if word in low:
            return key
    return None


_TITLE_RE = re.compile(
    r"^\s*(?:Jenis Pelayanan\s*:\s*)?(?:\*\*)?\s*(?P<num>\d{1,3}|[a-z])\.\s*"
    r"(?:\*\*)?\s*(?P<title>.+?)\s*(?:\*\*)?\s*$"
)
_JENIS_RE = re.compile(r"^\s*Jenis Pelayanan\s*:")
_ROW_NUM_RE = re.compile(r"^(?P<stray>.*?)\s*(?P<num>\d{1,2})\.?$")
_SECTION_RE = re.compile(
    r"^(?:[AB]\.?(?:\s|$)"
    r"|.*(?:SERVICE DELIVERY|MANUFACTURING|PENYAMPAIAN PELAYANAN|Komponen Standar Pelayanan))",
    re.I,
)
_DEBRIS_RE = re.compile(r"^-{2,}$")
# What follows a standard's title: a table row or the heading of its first section.
_TABLE_START_RE = re.compile(r"^(?:PENYAMPAIAN PELAYANAN|<b>A</b>|A\.?\s+Komponen|NO\b)", re.I)
_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
}


def _is_header_row(cells: list[str]) -> bool:
    first = strip_html(cells[0]).strip().upper()
    second = strip_html(cells[1]).strip().upper() if len(cells) > 1 else ""
    if first == "NO" and second == "KOMPONEN":
        return True
    if first == "1" and second == "2":
        return True
    return bool(
        _DEBRIS_RE.match(first.replace(" ", "")) and all(_DEBRIS_RE.match(c.strip() or "--") for c in cells)
    )


def _is_section_row(cells: list[str]) -> bool:
    first = strip_html(cells[0]).strip()
    rest = " ".join(strip_html(c) for c in cells[1:]).strip()
    if not first:
        return False
    if _SECTION_RE.match(first) and not re.match(r"^\d", first):
        # "A.<TAB>Proses Penyampaian Pelayanan ... meliputi:" or "<b>A</b> <b>Komponen ...</b>"
        return not rest or bool(re.search(r"pelayanan|meliputi", rest, re.I))
    return False


class _Builder:
    """Accumulates the rows of one standard."""

    def __init__(self, dokumen: str, nomor: Optional[int], title: str, line: int):
        self.dokumen = dokumen
        self.nomor = nomor
        self.title = title
        self.line = line
        self.rows: dict[str, dict] = {}
        self.current: Optional[dict] = None
        self.anomalies: list[tuple[int, str]] = []

    def start_row(self, line: int, label: str, text: str) -> None:
        key = component_key(label)
        if key is None:
            raise ParseError(self.dokumen, line, f"unknown component label {strip_html(label)!r}")
        if key in self.rows:
            raise ParseError(
                self.dokumen,
                line,
                f"component {KOMPONEN[key]!r} appears twice in standard {self.title!r} "
                f"(first at line {self.rows[key]['line']})",
            )
        self.current = {"key": key, "label": label, "parts": [text], "line": line}
        self.rows[key] = self.current

    def continue_row(self, line: int, label: str, text: str) -> None:
        if self.current is None:
            raise ParseError(self.dokumen, line, "continuation row before the first component row")
        if label.strip():
            # A label split across a page break: "Jaminan Keamanan dan" + "Keselamatan Pelayanan".
            self.current["label"] += " " + label
            key = component_key(self.current["label"])
            old = self.current["key"]
            if key and key != old and key not in self.rows:
                del self.rows[old]
                self.current["key"] = key
                self.rows[key] = self.current
        if text.strip():
            self.current["parts"].append(text)

    def finish(self) -> ParsedStandard:
        missing = [KOMPONEN[k] for k in KOMPONEN if k not in self.rows]
        if missing:
            raise ParseError(
                self.dokumen,
                self.line,
                f"standard {self.title!r} is incomplete (truncated table?): missing {', '.join(missing)}",
            )
        komponen: dict[str, ParsedComponent] = {}
        for key in KOMPONEN:
            row = self.rows[key]
            marked = JOIN.join(_cell_to_marked(p) for p in row["parts"])
            # Purwakarta writes "Label<TAB>: text" and once repeats the label inside the cell.
            marked = re.sub(r"^(\s|\ue000[plj]\ue000)*:\s*", "", marked)
            label = strip_html(row["label"])
            repeated = re.match(rf"^(\s|\ue000[plj]\ue000)*{re.escape(label)}\s*:\s*", marked, re.I)
            if repeated:
                marked = marked[repeated.end() :]
            butir, lettering, stray = parse_items(marked)
            komponen[key] = ParsedComponent(key, label, plain(marked), butir, row["line"], lettering, stray)
        nama = readable_case(self.title)
        return ParsedStandard(self.dokumen, self.nomor, nama, self.title, self.line, komponen, self.anomalies)


def _title_of(line: str) -> Optional[tuple[Optional[int], str]]:
    m = _TITLE_RE.match(line)
    if not m:
        return None
    title = strip_html(m.group("title")).strip("* ")
    title = re.sub(r"^Standar Pelayanan\s+", "", title)
    num = m.group("num")
    return (int(num) if num.isdigit() else None), title


def _next_nonblank(lines: list[str], index: int) -> Optional[str]:
    for line in lines[index + 1 :]:
        if line.strip():
            return line
    return None


def _document_meta(lines: list[str]) -> tuple[Optional[str], list[str], Optional[str]]:
    numbers: list[str] = []
    tanggal = None
    judul = None
    for line in lines:
        m = re.match(r"^\s*NOMOR\s*:\s*(.+?)\s*$", line)
        if m:
            number = re.sub(r"\s*/\s*", "/", m.group(1))
            if number not in numbers:
                numbers.append(number)
        d = re.search(r"tanggal\s*:?\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", line, re.I)
        if d and tanggal is None and d.group(2).lower() in _MONTHS:
            tanggal = f"{int(d.group(3)):04d}-{_MONTHS[d.group(2).lower()]:02d}-{int(d.group(1)):02d}"
    stripped = [x.strip() for x in lines]
    if "SURAT KEPUTUSAN" in stripped:
        start = stripped.index("SURAT KEPUTUSAN")
        head: list[str] = []
        for x in stripped[start + 1 :]:
            if not x or x.startswith("NOMOR"):
                break
            head.append(x)
        about: list[str] = []
        if "TENTANG" in stripped[start:]:
            t = stripped.index("TENTANG", start)
            for x in stripped[t + 1 :]:
                if not x and about:
                    break
                if x:
                    about.append(x)
        judul = readable_case(" ".join(["KEPUTUSAN", *head]))
        if about:
            judul += " tentang " + readable_case(" ".join(about))
    return judul, numbers, tanggal


def parse_text(text: str, dokumen: str) -> ParsedDocument:
    """Parse one document's text; `dokumen` is its file name (used in errors and `sumber`)."""
    if not text.strip():
        raise ParseError(dokumen, 1, "empty document")
    lines = text.split("\n")
    judul, numbers, tanggal = _document_meta(lines)
    standards: list[ParsedStandard] = []
    builder: Optional[_Builder] = None
    orphan_table: Optional[int] = None  # first table row seen before any standard title

    for index, raw in enumerate(lines):
        lineno = index + 1
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if "\t" not in line:
            title = _title_of(line)
            next_line = _next_nonblank(lines, index)
            confirmed = title and (
                _JENIS_RE.match(line)
                or (next_line is not None and ("\t" in next_line or _TABLE_START_RE.match(next_line.strip())))
            )
            if confirmed:
                if builder is not None:
                    standards.append(builder.finish())
                nomor, name = title
                builder = _Builder(dokumen, nomor, name, lineno)
                if len(standards) == 0 and judul is None and _JENIS_RE.match(line) is None:
                    judul = strip_html(line.strip()).lstrip("abcdefghij0123456789. ")
                continue
            if builder is not None and builder.rows and not _SECTION_RE.match(line.strip()):
                raise ParseError(dokumen, lineno, f"unexpected line inside a table: {line.strip()[:60]!r}")
            continue  # preamble text and section headings outside the tables
        if builder is None:
            orphan_table = orphan_table or lineno
            continue  # a table before any standard title is not a standard
        cells = line.split("\t")
        if _is_header_row(cells) or _is_section_row(cells):
            continue
        if len(cells) == 2:
            cells = [cells[0], "", cells[1]] if not strip_html(cells[0]) else ["", cells[0], cells[1]]
        first, label, text_cell = cells[0], cells[1], "\t".join(cells[2:])
        first_plain = strip_html(first)
        if _DEBRIS_RE.match(first_plain.replace(" ", "")):
            continue
        if not first_plain:
            builder.continue_row(lineno, label, text_cell)
            continue
        m = _ROW_NUM_RE.match(first_plain)
        if not m:
            raise ParseError(
                dokumen, lineno, f"row number expected in the first column, got {first_plain[:40]!r}"
            )
        if m.group("stray"):
            builder.anomalies.append((lineno, f"stray characters {m.group('stray')!r} before row number"))
        builder.start_row(lineno, label, text_cell)

    if builder is not None:
        standards.append(builder.finish())
    if not standards:
        raise _no_standard(dokumen, lines, orphan_table)
    return ParsedDocument(dokumen, wilayah_of(dokumen), judul, numbers, tanggal, standards)


_KNOWN_LAYOUTS = (
    "a title line ('Jenis Pelayanan : N. **TITLE**', 'c. Standar Pelayanan <title>' or 'N. <title>') "
    "followed by a tab-separated table NO<TAB>KOMPONEN<TAB>URAIAN"
)


def _no_standard(dokumen: str, lines: list[str], orphan_table: Optional[int]) -> ParseError:
    """Why a document holds no standard the parser knows, naming the line to look at."""
    if orphan_table is not None:
        return ParseError(
            dokumen,
            orphan_table,
            "no service standard found: this table has no title line just above it (expected "
            f"{_KNOWN_LAYOUTS})",
        )
    for index, line in enumerate(lines):
        if line.count("|") >= 2 and re.search(r"komponen|persyaratan|uraian", line, re.I):
            return ParseError(
                dokumen,
                index + 1,
                "no service standard found: a table written with '|' (Markdown or a PDF export?); "
                f"the parser reads {_KNOWN_LAYOUTS}",
            )
    for index, line in enumerate(lines):
        if re.match(r"^\s*\d{1,2}\.?\s+(Persyaratan|Sistem|Jangka Waktu|Biaya)", line, re.I):
            return ParseError(
                dokumen,
                index + 1,
                "no service standard found: component rows are separated by spaces, not tabs; "
                f"the parser reads {_KNOWN_LAYOUTS}",
            )
    first = next((i + 1 for i, line in enumerate(lines) if line.strip()), 1)
    return ParseError(
        dokumen,
        first,
        f"no service standard found (no 'Jenis Pelayanan' title or table): expected {_KNOWN_LAYOUTS}",
    )


def parse_sources(sources_dir: Path) -> list[ParsedDocument]:
    """Every *.txt document in knowledge/sources, in file-name order."""
    paths = sorted(Path(sources_dir).glob("*.txt"))
    if not paths:
        raise ParseError(str(sources_dir), None, "no source documents (*.txt)")
    return [parse_file(p) for p in paths]
