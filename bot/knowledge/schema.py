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
    zona_waktu: Asia/Makassar                 # IANA: WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura
                                              # (absent: Asia/Jakarta, with a kb check warning)
    jam_layanan:                              # optional; office hours in that zone
    - {hari: [senin, selasa, rabu, kamis], buka: "07:30", tutup: "16:00"}
    - {hari: [jumat], buka: "07:30", tutup: "16:30"}
    jam_layanan_terverifikasi: false          # true once the office confirmed the hours
    pengaduan:                                # optional; complaint follow-up defaults
      waktu_tanggapan_hari_kerja: 14          # null when no standard of the office states one
      dasar: "..."                            # where that comes from (optional)
      eskalasi:                               # only steps a standard states
      - {setelah_hari_kerja: 14, kepada: Kepala DPMPTSP, dasar: "..."}   # days null: a person decides
      kanal_nasional: {nama: SP4N-LAPOR!, website: https://www.lapor.go.id, sms: "1708"}
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
# What a question asks of a service rather than of the office as a whole: the applicant's six and
# the legal basis ("kantor Balangan gimana ketentuannya?" after a service is that service's).
KOMPONEN_LAYANAN = (*KOMPONEN_PELAYANAN, "dasar_hukum")
# The NLU contract (docs/ARCHITECTURE.md): the intent of a question about one component; the
# internal components share one intent (ask_komponen_internal) and name theirs with an entity.
INTENT_KOMPONEN: dict[str, str] = {
    "ask_persyaratan": "persyaratan",
    "ask_prosedur": "prosedur",
    "ask_jangka_waktu": "jangka_waktu",
    "ask_biaya": "biaya",
    "ask_produk": "produk",
    "ask_pengaduan": "pengaduan",
    "ask_dasar_hukum": "dasar_hukum",
}

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
HARI = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


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
    _validate_operating_data(c, data)
    return c.errors


def known_time_zone(name: str) -> bool:
    """True when `name` is an IANA time zone this machine knows ("Asia/Makassar")."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _time(c: _Checker, data: dict, key: str, field: str) -> None:
    where = f"{field}.{key}"
    if key not in data:
        c.error(where, "missing")
        return
    value = data[key]
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 16:00 as the number 960 (minutes in base 60).
        c.error(where, f'write the time in quotes, e.g. "{value // 60:02d}:{value % 60:02d}" (got {value})')
    elif not isinstance(value, str) or not TIME_RE.match(value):
        c.error(where, f'expected a time "HH:MM" (00:00-23:59), got {value!r}')


def _validate_operating_data(c: _Checker, data: dict) -> None:
    # Absent (an office file older than these fields): Asia/Jakarta is assumed and `kb check` warns.
    # Written but empty (a `kb import` draft for an unknown province): the maintainer must decide.
    zona = c.require(data, "zona_waktu", (str,), "", nullable=True) if "zona_waktu" in data else None
    if "zona_waktu" in data and data["zona_waktu"] is None:
        c.error(
            "zona_waktu",
            "not set: write the office's IANA time zone (Asia/Jakarta = WIB, Asia/Makassar = WITA, "
            "Asia/Jayapura = WIT)",
        )
    elif zona is not None and not known_time_zone(zona):
        c.error("zona_waktu", f"unknown time zone {zona!r} (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)")
    if "jam_layanan" in data:
        hours = data["jam_layanan"]
        if not isinstance(hours, list):
            c.error("jam_layanan", f"expected list, got {type(hours).__name__}")
        else:
            for i, entry in enumerate(hours):
                where = f"jam_layanan[{i}]"
                if not isinstance(entry, dict):
                    c.error(where, f"expected a mapping {{hari, buka, tutup}}, got {type(entry).__name__}")
                    continue
                days = c.require(entry, "hari", (list,), where)
                if days is not None:
                    if not days:
                        c.error(f"{where}.hari", "empty")
                    for j, day in enumerate(days):
                        if day not in HARI:
                            c.error(f"{where}.hari[{j}]", f"unknown day {day!r} (one of {', '.join(HARI)})")
                _time(c, entry, "buka", where)
                _time(c, entry, "tutup", where)
                buka, tutup = entry.get("buka"), entry.get("tutup")
                if (
                    isinstance(buka, str)
                    and isinstance(tutup, str)
                    and TIME_RE.match(buka)
                    and TIME_RE.match(tutup)
                ):
                    if tutup <= buka:
                        c.error(where, f"closes ({tutup}) before it opens ({buka})")
                extra = set(entry) - {"hari", "buka", "tutup"}
                if extra:
                    c.error(where, f"unknown keys {sorted(extra)}")
    if "jam_layanan_terverifikasi" in data:
        c.require(data, "jam_layanan_terverifikasi", (bool,), "")
    if "pengaduan" in data:
        _validate_complaint_defaults(c, data["pengaduan"])


def _validate_complaint_defaults(c: _Checker, block: Any) -> None:
    if not isinstance(block, dict):
        c.error("pengaduan", f"expected a mapping, got {type(block).__name__}")
        return
    days = c.require(block, "waktu_tanggapan_hari_kerja", (int,), "pengaduan", nullable=True)
    if days is not None and days <= 0:
        c.error("pengaduan.waktu_tanggapan_hari_kerja", f"expected a positive number of days, got {days}")
    if "dasar" in block:
        c.require(block, "dasar", (str,), "pengaduan", nullable=True)
    steps = c.require(block, "eskalasi", (list,), "pengaduan")
    previous = 0
    for i, step in enumerate(steps or []):
        where = f"pengaduan.eskalasi[{i}]"
        if not isinstance(step, dict):
            c.error(where, f"expected a mapping {{setelah_hari_kerja, kepada}}, got {type(step).__name__}")
            continue
        after = c.require(step, "setelah_hari_kerja", (int,), where, nullable=True)
        if after is not None:
            if after <= 0:
                c.error(f"{where}.setelah_hari_kerja", f"expected a positive number of days, got {after}")
            elif after < previous:
                c.error(
                    f"{where}.setelah_hari_kerja", f"{after} is earlier than the step before ({previous})"
                )
            previous = max(previous, after)
        kepada = c.require(step, "kepada", (str,), where)
        if kepada is not None and not kepada.strip():
            c.error(f"{where}.kepada", "empty")
        if "dasar" in step:
            c.require(step, "dasar", (str,), where, nullable=True)
        extra = set(step) - {"setelah_hari_kerja", "kepada", "dasar"}
        if extra:
            c.error(where, f"unknown keys {sorted(extra)}")
    national = c.require(block, "kanal_nasional", (dict,), "pengaduan", nullable=True)
    if national is not None:
        where = "pengaduan.kanal_nasional"
        nama = c.require(national, "nama", (str,), where)
        if nama is not None and not nama.strip():
            c.error(f"{where}.nama", "empty")
        for key in ("website", "sms"):
            if key in national:
                c.require(national, key, (str,), where, nullable=True)
        extra = set(national) - {"nama", "website", "sms"}
        if extra:
            c.error(where, f"unknown keys {sorted(extra)}")
    extra = set(block) - {"waktu_tanggapan_hari_kerja", "dasar", "eskalasi", "kanal_nasional"}
    if extra:
        c.error("pengaduan", f"unknown keys {sorted(extra)}")
