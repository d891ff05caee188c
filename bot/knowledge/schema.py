"""The shape of the curated knowledge files, and their validation.

`knowledge/standards/<wilayah>/<id-tail>.yaml` holds one standard, `knowledge/wilayah/<wilayah>.yaml`
one office. The parser writes these files, staff may edit them, the loader reads them: this module
is the contract between the three. Validation returns every problem at once, each naming the file
and the field path, so a maintainer can fix a file in one pass.

Standard file::

    id: balangan-surat-izin-praktik-bidan     # stable slug, unique, starts with the wilayah
    wilayah: balangan                         # region slug (a knowledge/wilayah/<slug>.yaml exists)
    nomor: 61                                 # number in its document (null when it has none)
    nama: Surat Izin Praktik Bidan
    sektor: kesehatan                         # one of SEKTOR
    alias: [SIP Bidan, SIPB]                  # names people use (may be empty)
    sumber:
      dokumen: balangan_keputusan-standar-pelayanan-2021.txt   # file in knowledge/sources/
      judul: Keputusan Kepala DPMPTSP Kabupaten Balangan ...   # optional
      nomor_keputusan: [188.45/25/DPMPMSP-BLG/TAHUN 2021]     # optional, as written
      tanggal: "2021-08-12"                                    # optional, ISO date
      baris: 1774                                              # line where the standard starts
    komponen:                                 # all 14 keys of KOMPONEN, always present
      persyaratan:
        label: Persyaratan                    # the label as written in the source
        teks: "..."                           # full text, HTML removed ("" when empty)
        butir: ["Surat permohonan", {teks: "Memperlihatkan asli ...", butir: ["KTP", ...]}]
      jangka_waktu: {label, teks, butir, hari_kerja_maks: 12, hari_kerja_min: null}
      biaya: {label, teks, butir, rupiah: 0}
      pengaduan: {label, teks, butir, kanal: {whatsapp: [...], telepon: [...], ...}}
      ...

Office file::

    id: balangan
    nama: Kabupaten Balangan
    provinsi: Kalimantan Selatan
    kantor: Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Balangan
    alias: [balangan, kab balangan]
    alamat: [...]; telepon: [...]; whatsapp: [...]; email: [...]; website: [...]   # lists, may be empty
    sumber: [balangan_keputusan-standar-pelayanan-2021.txt]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Component key -> label used in answers (the standard's own wording, shortened).
KOMPONEN: dict[str, str] = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, Mekanisme dan Prosedur",
    "jangka_waktu": "Jangka Waktu Penyelesaian",
    "biaya": "Biaya/Tarif",
    "produk": "Produk Layanan",
    "pengaduan": "Penanganan Pengaduan, Saran dan Masukan",
    "dasar_hukum": "Dasar Hukum",
    "sarana": "Sarana, Prasarana dan/atau Fasilitas",
    "kompetensi": "Kompetensi Pelaksana",
    "pengawasan": "Pengawasan Internal",
    "jumlah_pelaksana": "Jumlah Pelaksana",
    "jaminan": "Jaminan Pelayanan",
    "jaminan_keamanan": "Jaminan Keamanan dan Keselamatan Pelayanan",
    "evaluasi": "Evaluasi Kinerja Pelaksana",
}
# The six components an applicant sees; the other eight are internal management (for staff).
KOMPONEN_PELAYANAN = ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan")
KOMPONEN_INTERNAL = tuple(k for k in KOMPONEN if k not in KOMPONEN_PELAYANAN)

KANAL = ("whatsapp", "telepon", "faks", "email", "website", "alamat", "sms", "media_sosial")

SEKTOR = (
    "umum",
    "kesehatan",
    "industri",
    "pertanian",
    "perdagangan",
    "lingkungan",
    "koperasi",
    "pendidikan",
    "pariwisata",
    "konstruksi",
    "transportasi",
    "tenaga_kerja",
    "sosial",
    "perikanan",
    "tata_ruang",
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OFFICE_LIST_FIELDS = ("alamat", "telepon", "whatsapp", "email", "website")


@dataclass(frozen=True)
class SchemaError:
    """One problem in one knowledge file."""

    path: str  # file path (or "<memory>")
    field: str  # dotted field path, e.g. "komponen.biaya.rupiah"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class KnowledgeFileError(ValueError):
    """Raised by the loader when files are invalid; carries every SchemaError."""

    def __init__(self, errors: list[SchemaError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class _Checker:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[SchemaError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(SchemaError(self.path, field, message))

    def require(self, data: dict, key: str, types: tuple, field: str, nullable: bool = False) -> Any:
        where = f"{field}.{key}" if field else key
        if key not in data:
            self.error(where, "missing")
            return None
        value = data[key]
        if value is None and nullable:
            return None
        # bool is an int in Python; a YAML `true` is never a valid number here.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = "/".join(t.__name__ for t in types)
            self.error(where, f"expected {names}, got {type(value).__name__}")
            return None
        return value

    def string_list(self, data: dict, key: str, field: str, optional: bool = False) -> None:
        where = f"{field}.{key}" if field else key
        if key not in data:
            if not optional:
                self.error(where, "missing")
            return
        value = data[key]
        if not isinstance(value, list):
            self.error(where, f"expected list, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{where}[{i}]", "expected a non-empty string")

    def items(self, value: Any, field: str) -> None:
        if not isinstance(value, list):
            self.error(field, f"expected list, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            where = f"{field}[{i}]"
            if isinstance(item, str):
                if not item.strip():
                    self.error(where, "empty item")
            elif isinstance(item, dict):
                teks = self.require(item, "teks", (str,), where)
                if teks is not None and not teks.strip():
                    self.error(f"{where}.teks", "empty item")
                if "butir" in item:
                    self.items(item["butir"], f"{where}.butir")
                extra = set(item) - {"teks", "butir"}
                if extra:
                    self.error(where, f"unknown keys {sorted(extra)}")
            else:
                self.error(where, f"expected string or mapping, got {type(item).__name__}")


def validate_standard(data: Any, path: str = "<memory>") -> list[SchemaError]:
    """All schema problems of one standard file (empty list when valid)."""
    c = _Checker(path)
    if not isinstance(data, dict):
        c.error("(root)", f"expected a mapping, got {type(data).__name__}")
        return c.errors
    sid = c.require(data, "id", (str,), "")
    if sid is not None and not SLUG_RE.match(sid):
        c.error("id", f"not a slug: {sid!r}")
    wilayah = c.require(data, "wilayah", (str,), "")
    if wilayah is not None and not SLUG_RE.match(wilayah):
        c.error("wilayah", f"not a slug: {wilayah!r}")
    if sid and wilayah and not sid.startswith(wilayah + "-"):
        c.error("id", f"must start with the wilayah '{wilayah}-'")
    c.require(data, "nomor", (int,), "", nullable=True)
    nama = c.require(data, "nama", (str,), "")
    if nama is not None and not nama.strip():
        c.error("nama", "empty")
    sektor = c.require(data, "sektor", (str,), "")
    if sektor is not None and sektor not in SEKTOR:
        c.error("sektor", f"unknown sektor {sektor!r} (one of {', '.join(SEKTOR)})")
    c.string_list(data, "alias", "")
    sumber = c.require(data, "sumber", (dict,), "")
    if sumber is not None:
        c.require(sumber, "dokumen", (str,), "sumber")
        if "judul" in sumber:
            c.require(sumber, "judul", (str,), "sumber")
        c.string_list(sumber, "nomor_keputusan", "sumber", optional=True)
        if "tanggal" in sumber:
            tanggal = c.require(sumber, "tanggal", (str,), "sumber")
            if tanggal is not None and not DATE_RE.match(tanggal):
                c.error("sumber.tanggal", f"expected YYYY-MM-DD, got {tanggal!r}")
        if "baris" in sumber:
            c.require(sumber, "baris", (int,), "sumber")
    komponen = c.require(data, "komponen", (dict,), "")
    if komponen is not None:
        for key in KOMPONEN:
            field = f"komponen.{key}"
            comp = c.require(komponen, key, (dict,), "komponen")
            if comp is None:
                continue
            c.require(comp, "label", (str,), field)
            c.require(comp, "teks", (str,), field)
            if "butir" not in comp:
                c.error(f"{field}.butir", "missing")
            else:
                c.items(comp["butir"], f"{field}.butir")
            if key == "jangka_waktu":
                c.require(comp, "hari_kerja_maks", (int,), field, nullable=True)
                c.require(comp, "hari_kerja_min", (int,), field, nullable=True)
            if key == "biaya":
                c.require(comp, "rupiah", (int,), field, nullable=True)
            if key == "pengaduan":
                kanal = c.require(comp, "kanal", (dict,), field)
                if kanal is not None:
                    for name in kanal:
                        if name not in KANAL:
                            c.error(f"{field}.kanal.{name}", f"unknown channel (one of {', '.join(KANAL)})")
                        else:
                            c.string_list(kanal, name, f"{field}.kanal")
        for key in komponen:
            if key not in KOMPONEN:
                c.error(f"komponen.{key}", "unknown component")
    return c.errors


def validate_region(data: Any, path: str = "<memory>") -> list[SchemaError]:
    """All schema problems of one office (wilayah) file."""
    c = _Checker(path)
    if not isinstance(data, dict):
        c.error("(root)", f"expected a mapping, got {type(data).__name__}")
        return c.errors
    rid = c.require(data, "id", (str,), "")
    if rid is not None and not SLUG_RE.match(rid):
        c.error("id", f"not a slug: {rid!r}")
    for key in ("nama", "kantor"):
        value = c.require(data, key, (str,), "")
        if value is not None and not value.strip():
            c.error(key, "empty")
    if "provinsi" in data:
        c.require(data, "provinsi", (str,), "")
    c.string_list(data, "alias", "")
    for key in OFFICE_LIST_FIELDS:
        c.string_list(data, key, "")
    c.string_list(data, "sumber", "")
    return c.errors
