"""Queries and changes of applications; validation shared by the CSV importer, the CLI and the API.

Every change goes through `upsert_permohonan` or `ubah_permohonan`, which append to the history when
the status or the step changes, so the history grows only on change however often a file is
re-imported. Callers own the transaction (commit/rollback), so an import is all-or-nothing.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.permohonan.models import (
    STATUS,
    PermohonanRiwayatRow,
    PermohonanRow,
    utcnow,
)

NOMOR_RE = re.compile(r"^[A-Z0-9][A-Z0-9./\-]{2,63}$")


@dataclass(frozen=True)
class RiwayatStatus:
    status: str
    tahap_nomor: Optional[int]
    tahap_teks: Optional[str]
    catatan: Optional[str]
    sumber: str
    dicatat_pada: datetime


@dataclass(frozen=True)
class DataPermohonan:
    """A validated application as it comes in (CSV row, CLI, API)."""

    nomor: str
    standard_id: str
    wilayah: str
    nama_pemohon: str
    telepon: str
    tanggal_masuk: date
    status: str
    tahap_nomor: Optional[int] = None
    tahap_teks: Optional[str] = None
    catatan: Optional[str] = None
    nomor_izin: Optional[str] = None
    tanggal_selesai: Optional[date] = None
    kode_tanda_terima: Optional[str] = None  # normalized (nomor_kunci); shown to staff only


@dataclass(frozen=True)
class Permohonan(DataPermohonan):
    """Read model of one application (detached from the session): its data and its history."""

    diubah_pada: Optional[datetime] = None
    riwayat: tuple[RiwayatStatus, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return STATUS.get(self.status, self.status)


def normalize_nomor(text: str) -> str:
    """Application numbers as offices write them, compared without case or inner spaces."""
    return re.sub(r"\s+", "", (text or "").strip()).upper()


def normalize_telepon(text: str) -> str:
    """Digits only, with the country code 62 written as a leading 0 (0812..., +62 812... alike)."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def mask_nama(nama: str) -> str:
    """'Siti Rahmawati' -> 'S*** R*********' (initials only)."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in (nama or "").split())


def mask_telepon(telepon: str) -> str:
    """'081234567890' -> '********7890'."""
    digits = normalize_telepon(telepon)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def hash_pengirim(sender_id: str) -> str:
    """Channel sender ids are personal data (phone numbers on WhatsApp): only a keyed hash (HMAC with
    the server secret, bot.security.hashing) is stored, which cannot be reversed by trying numbers."""
    from bot.security.hashing import keyed_hash

    return keyed_hash("pengirim", str(sender_id))


def nomor_kunci(text: str) -> str:
    """An application number without case, spaces or separators: 'sip 0117 blg 2026' and
    'SIP/0117/BLG/2026' are one number."""
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()[:64]


def normalize_kode_tanda_terima(text: str) -> str:
    """Receipt codes compared like numbers: without case, spaces or separators."""
    return nomor_kunci(text)


def _to_view(row: PermohonanRow, with_history: bool = True) -> Permohonan:
    riwayat = ()
    if with_history:
        riwayat = tuple(
            RiwayatStatus(r.status, r.tahap_nomor, r.tahap_teks, r.catatan, r.sumber, r.dicatat_pada)
            for r in row.riwayat
        )
    data = {f.name: getattr(row, f.name) for f in fields(DataPermohonan)}
    return Permohonan(**data, diubah_pada=row.diubah_pada, riwayat=riwayat)


def _row(session: Session, nomor: str) -> Optional[PermohonanRow]:
    """The application written exactly so, else the one number it is when case, spaces and
    separators are ignored (never a guess between two)."""
    exact = session.execute(
        select(PermohonanRow).where(PermohonanRow.nomor == normalize_nomor(nomor))
    ).scalar_one_or_none()
    if exact is not None:
        return exact
    kunci = nomor_kunci(nomor)
    if not kunci:
        return None
    query = select(PermohonanRow).where(PermohonanRow.nomor_kunci == kunci).limit(2)
    rows = session.execute(query).scalars().all()
    return rows[0] if len(rows) == 1 else None


def nomor_dikenal(session: Session, kunci: Iterable[str]) -> set[str]:
    """Which of the normalized numbers `kunci` are applications (to find one in a message)."""
    wanted = {k for k in kunci if k}
    if not wanted:
        return set()
    found = session.execute(select(PermohonanRow.nomor_kunci).where(PermohonanRow.nomor_kunci.in_(wanted)))
    return {k for (k,) in found}


def get_permohonan(session: Session, nomor: str) -> Optional[Permohonan]:
    row = _row(session, nomor)
    return _to_view(row) if row is not None else None


def list_permohonan(
    session: Session,
    status: Optional[str] = None,
    wilayah: Optional[str] = None,
    nomor: Optional[str] = None,
    limit: int = 500,
) -> list[Permohonan]:
    """Applications, most recently changed first, without their history (the staff console's list);
    `nomor` matches a part of the application number."""
    query = select(PermohonanRow).order_by(PermohonanRow.diubah_pada.desc(), PermohonanRow.id.desc())
    if status:
        query = query.where(PermohonanRow.status == status)
    if wilayah:
        query = query.where(PermohonanRow.wilayah == wilayah)
    if nomor and nomor.strip():
        query = query.where(PermohonanRow.nomor.contains(normalize_nomor(nomor), autoescape=True))
    return [_to_view(r, with_history=False) for r in session.execute(query.limit(limit)).scalars()]


def count_permohonan(session: Session) -> int:
    return len(session.execute(select(PermohonanRow.id)).all())


# --- validation ---------------------------------------------------------------------------------


def prosedur_langkah(standard: Any) -> list[str]:
    """The numbered steps of a standard's prosedur: its top-level list items, as text."""
    comp = standard.komponen.get("prosedur") if standard is not None else None
    if comp is None:
        return []
    steps = []
    for item in comp.butir:
        teks = item if isinstance(item, str) else item.get("teks", "")
        if teks.strip():
            steps.append(teks.strip())
    return steps


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip()).casefold()


class StandarResolver:
    """Finds a standard by id or exact name, with one query for all rows of an import."""

    def __init__(self, session: Session):
        from bot.knowledge import repository as kb

        self._kb = kb
        self._session = session
        self._by_name: dict[str, list[Any]] = {}
        self._ids: dict[str, Any] = {}
        for summary in kb.list_standards(session):
            self._ids[summary.id] = summary
            self._by_name.setdefault(_norm_name(summary.nama), []).append(summary)
        self._full: dict[str, Any] = {}
        self._regions: dict[str, Any] = {}

    def resolve(self, layanan: str, wilayah: Optional[str]) -> tuple[Optional[Any], Optional[str]]:
        """(summary, None) or (None, reason)."""
        layanan = (layanan or "").strip()
        if not layanan:
            return None, "layanan kosong"
        if layanan in self._ids:
            return self._ids[layanan], None
        matches = self._by_name.get(_norm_name(layanan), [])
        if wilayah:
            matches = [m for m in matches if m.wilayah == wilayah]
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, f"nama layanan {layanan!r} ada di beberapa wilayah: isi kolom wilayah"
        return None, f"layanan {layanan!r} tidak ada di basis pengetahuan (pakai id standar atau nama persis)"

    def region(self, wilayah: Optional[str]) -> Any:
        """The region read model (None for an unknown or missing region), read once per import."""
        if not wilayah:
            return None
        if wilayah not in self._regions:
            self._regions[wilayah] = self._kb.get_region(self._session, wilayah)
        return self._regions[wilayah]

    def standard(self, standard_id: str) -> Any:
        if standard_id not in self._full:
            self._full[standard_id] = self._kb.get_standard(self._session, standard_id)
        return self._full[standard_id]


FIELDS = (
    "nomor_permohonan",
    "layanan",
    "wilayah",
    "nama_pemohon",
    "telepon",
    "tanggal_masuk",
    "status",
    "tahap",
    "catatan",
    "nomor_izin",
    "tanggal_selesai",
)
# Optional: accepted by the CSV import (a trailing column) and the API; absent means "none".
OPTIONAL_FIELDS = ("kode_tanda_terima",)


def _parse_date(value: str, name: str, errors: list[str], required: bool) -> Optional[date]:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(f"{name} kosong")
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        errors.append(f"{name} {value!r} bukan tanggal YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{name} {value!r} bukan tanggal yang ada")
        return None


def validate_record(
    record: dict[str, Any], resolver: StandarResolver, today: Optional[date] = None
) -> tuple[Optional[DataPermohonan], list[str]]:
    """Check one incoming application (the CSV columns as keys); every problem, in Indonesian."""
    errors: list[str] = []
    get = lambda key: str(record.get(key) or "").strip()  # noqa: E731

    nomor = normalize_nomor(get("nomor_permohonan"))
    if not nomor:
        errors.append("nomor_permohonan kosong")
    elif not NOMOR_RE.match(nomor):
        errors.append(f"nomor_permohonan {nomor!r} berisi karakter yang tidak boleh (huruf, angka, / . -)")

    wilayah = get("wilayah") or None
    summary, reason = resolver.resolve(get("layanan"), wilayah)
    if reason:
        errors.append(reason)
    if summary is not None and wilayah and summary.wilayah != wilayah:
        errors.append(f"layanan {summary.id!r} milik wilayah {summary.wilayah!r}, bukan {wilayah!r}")
    if today is None:
        # "Today" at the office: a WITA office's date changes an hour before a WIB server's.
        from bot.knowledge.operasional import hari_ini

        today = hari_ini(resolver.region(summary.wilayah if summary is not None else wilayah))

    nama = get("nama_pemohon")
    if not nama:
        errors.append("nama_pemohon kosong")
    elif len(nama) > 200:
        errors.append("nama_pemohon lebih dari 200 karakter")

    telepon = normalize_telepon(get("telepon"))
    if not get("telepon"):
        errors.append("telepon kosong")
    elif not 8 <= len(telepon) <= 15:
        errors.append(f"telepon {get('telepon')!r} bukan nomor telepon (8-15 angka)")

    tanggal_masuk = _parse_date(get("tanggal_masuk"), "tanggal_masuk", errors, required=True)
    if tanggal_masuk and tanggal_masuk > today:
        errors.append(f"tanggal_masuk {tanggal_masuk} ada di masa depan")
    tanggal_selesai = _parse_date(get("tanggal_selesai"), "tanggal_selesai", errors, required=False)
    if tanggal_masuk and tanggal_selesai and tanggal_selesai < tanggal_masuk:
        errors.append("tanggal_selesai sebelum tanggal_masuk")

    status = get("status").lower().replace(" ", "_")
    if status not in STATUS:
        errors.append(f"status {get('status')!r} tidak dikenal (salah satu dari: {', '.join(STATUS)})")

    tahap_nomor: Optional[int] = None
    tahap_teks: Optional[str] = None
    tahap = get("tahap")
    if tahap.isdigit():
        tahap_nomor = int(tahap)
        if summary is not None:
            steps = prosedur_langkah(resolver.standard(summary.id))
            if not 1 <= tahap_nomor <= len(steps):
                errors.append(
                    f"tahap {tahap_nomor} di luar prosedur {summary.id} ({len(steps)} langkah)"
                    if steps
                    else f"standar {summary.id} tidak punya langkah prosedur bernomor: tulis tahap "
                    "sebagai teks"
                )
    elif tahap:
        tahap_teks = tahap

    nomor_izin = get("nomor_izin") or None
    if status == "selesai" and not nomor_izin:
        errors.append("status selesai tanpa nomor_izin")
    for name, limit in (("catatan", 2000), ("nomor_izin", 200), ("tahap", 500)):
        if len(get(name)) > limit:
            errors.append(f"{name} lebih dari {limit} karakter")
    kode = normalize_kode_tanda_terima(get("kode_tanda_terima")) or None
    if get("kode_tanda_terima") and (kode is None or not 4 <= len(kode) <= 32):
        errors.append("kode_tanda_terima harus 4-32 huruf/angka")

    if errors:
        return None, errors
    return (
        DataPermohonan(
            nomor=nomor,
            standard_id=summary.id,
            wilayah=summary.wilayah,
            nama_pemohon=nama,
            telepon=telepon,
            tanggal_masuk=tanggal_masuk,
            status=status,
            tahap_nomor=tahap_nomor,
            tahap_teks=tahap_teks,
            catatan=get("catatan") or None,
            nomor_izin=nomor_izin,
            tanggal_selesai=tanggal_selesai,
            kode_tanda_terima=kode,
        ),
        [],
    )


# --- changes ------------------------------------------------------------------------------------


def _append_history(row: PermohonanRow, sumber: str) -> None:
    row.riwayat.append(
        PermohonanRiwayatRow(
            status=row.status,
            tahap_nomor=row.tahap_nomor,
            tahap_teks=row.tahap_teks,
            catatan=row.catatan,
            sumber=sumber,
            dicatat_pada=utcnow(),
        )
    )


def upsert_permohonan(session: Session, data: DataPermohonan, sumber: str) -> str:
    """Insert or update by number (as written). Returns 'baru', 'diubah' or 'sama' (nothing changed)."""
    row = session.execute(select(PermohonanRow).where(PermohonanRow.nomor == data.nomor)).scalar_one_or_none()
    values = {k: getattr(data, k) for k in DataPermohonan.__dataclass_fields__ if k != "nomor"}
    if row is None:
        row = PermohonanRow(nomor=data.nomor, nomor_kunci=nomor_kunci(data.nomor), **values)
        session.add(row)
        _append_history(row, sumber)
        session.flush()
        return "baru"
    progress_before = (row.status, row.tahap_nomor, row.tahap_teks)
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if (row.status, row.tahap_nomor, row.tahap_teks) != progress_before:
        _append_history(row, sumber)
    session.flush()
    return "diubah" if changed else "sama"


def ubah_permohonan(
    session: Session,
    nomor: str,
    sumber: str,
    *,
    status: Optional[str] = None,
    tahap: Optional[str] = None,
    catatan: Optional[str] = None,
    nomor_izin: Optional[str] = None,
    tanggal_selesai: Optional[str] = None,
    kode_tanda_terima: Optional[str] = None,
) -> tuple[Optional[Permohonan], list[str]]:
    """Staff change of one application (CLI): only the given fields, validated like an import row."""
    current = get_permohonan(session, nomor)
    if current is None:
        return None, [f"permohonan {normalize_nomor(nomor)} tidak ditemukan"]
    record = {
        "nomor_permohonan": current.nomor,
        "layanan": current.standard_id,
        "wilayah": current.wilayah,
        "nama_pemohon": current.nama_pemohon,
        "telepon": current.telepon,
        "tanggal_masuk": current.tanggal_masuk.isoformat(),
        "status": status if status is not None else current.status,
        "tahap": tahap
        if tahap is not None
        else (str(current.tahap_nomor) if current.tahap_nomor else current.tahap_teks or ""),
        "catatan": catatan if catatan is not None else (current.catatan or ""),
        "nomor_izin": nomor_izin if nomor_izin is not None else (current.nomor_izin or ""),
        "tanggal_selesai": tanggal_selesai
        if tanggal_selesai is not None
        else (current.tanggal_selesai.isoformat() if current.tanggal_selesai else ""),
        "kode_tanda_terima": kode_tanda_terima
        if kode_tanda_terima is not None
        else (current.kode_tanda_terima or ""),
    }
    data, errors = validate_record(record, StandarResolver(session), today=current.tanggal_masuk)
    if errors:
        return None, errors
    upsert_permohonan(session, data, sumber)
    return get_permohonan(session, nomor), []


# --- ownership check and lock-out -----------------------------------------------------------------


@dataclass(frozen=True)
class HasilVerifikasi:
    """`permohonan` is set only when the number exists AND every answer matches."""

    permohonan: Optional[Permohonan]
    terkunci_sampai: Optional[datetime] = None

    @property
    def berhasil(self) -> bool:
        return self.permohonan is not None


def kunci_verifikasi(nomor: Optional[str], pengirim: Optional[str], klien: Optional[str]) -> list:
    """The attempt-limiter keys of one ownership check (bot.security.percobaan)."""
    from bot.security import percobaan

    return [
        (percobaan.NOMOR, nomor_kunci(nomor or "") or None),
        (percobaan.PENGIRIM, pengirim),
        (percobaan.KLIEN, klien),
    ]


def terkunci_sampai(
    session: Session,
    pengirim: str,
    now: Optional[datetime] = None,
    nomor: Optional[str] = None,
    klien: Optional[str] = None,
) -> Optional[datetime]:
    """When the check is locked (for this sender, client address or application number), until when."""
    from bot.security import percobaan

    return percobaan.terkunci_sampai(session, kunci_verifikasi(nomor, pengirim, klien), now)


def kode_tanda_terima_dipakai(session: Session) -> bool:
    """Whether this office imports receipt codes at all (then every check asks for one, so the
    question itself tells nothing about a number)."""
    return session.execute(
        select(PermohonanRow.id).where(PermohonanRow.kode_tanda_terima.is_not(None)).limit(1)
    ).first() is not None


def _sama(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def verifikasi_pemilik(
    session: Session,
    pengirim: str,
    nomor: str,
    empat_digit: str,
    now: Optional[datetime] = None,
    klien: Optional[str] = None,
    kode_tanda_terima: Optional[str] = None,
) -> HasilVerifikasi:
    """Check the last 4 phone digits (and the receipt code, where the office imported one) for an
    application. Failures count per application number (across all senders), per sender and per
    client address (bot.security.percobaan); a success resets nothing. The caller commits.

    Unknown number and wrong answers are the same failure, so the answer never tells whether a
    number exists, and nothing is compared while any of the keys is locked.
    """
    from bot.security import percobaan

    now = now or utcnow()
    keys = kunci_verifikasi(nomor, pengirim, klien)
    locked = percobaan.terkunci_sampai(session, keys, now)
    if locked:
        return HasilVerifikasi(None, locked)
    row = _row(session, nomor) if nomor else None
    digits = re.sub(r"\D", "", empat_digit or "")
    expected = row.telepon[-4:] if row is not None else "----"
    # Compared in constant time even for unknown numbers, so timing tells nothing either.
    ok = _sama(digits, expected) and row is not None and len(digits) == 4
    if row is not None and row.kode_tanda_terima:
        ok = _sama(normalize_kode_tanda_terima(kode_tanda_terima or ""), row.kode_tanda_terima) and ok
    if ok:
        return HasilVerifikasi(_to_view(row))
    return HasilVerifikasi(None, percobaan.catat_gagal(session, keys, now))
