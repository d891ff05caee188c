"""Plain, detached read models that the query layer returns.

Actions, the NLU linker and the CLI use these instead of ORM objects, so nothing outside the
knowledge layer holds a database session or triggers lazy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any, Optional, Union

# A list item is a string or {"teks": str, "butir": [Item, ...]} (nested lists kept nested).
Item = Union[str, dict]


@dataclass(frozen=True)
class Source:
    dokumen: str
    judul: Optional[str] = None
    nomor_keputusan: tuple[str, ...] = ()
    tanggal: Optional[str] = None
    baris: Optional[int] = None


@dataclass(frozen=True)
class Component:
    standard_id: str
    key: str  # one of schema.KOMPONEN
    label: str
    teks: str
    butir: tuple[Item, ...] = ()
    # Parsed extras: jangka_waktu -> hari_kerja_maks/min, biaya -> rupiah, pengaduan -> kanal.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.teks.strip() and not self.butir


@dataclass(frozen=True)
class StandardSummary:
    id: str
    wilayah: str
    nomor: Optional[int]
    nama: str
    sektor: str
    alias: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standard:
    id: str
    wilayah: str
    wilayah_nama: str
    nomor: Optional[int]
    nama: str
    sektor: str
    alias: tuple[str, ...]
    sumber: Source
    komponen: dict[str, Component]  # all 14 keys


@dataclass(frozen=True)
class JamLayanan:
    """Opening hours on some days of the week, in the region's time zone: 07:30-16:00 on `hari`."""

    hari: tuple[str, ...]  # values of schema.HARI, Monday first (index = date.weekday())
    buka: time
    tutup: time


@dataclass(frozen=True)
class Eskalasi:
    """One escalation step of a complaint: to `kepada` once `setelah_hari_kerja` working days have
    passed since it was received without an answer. `setelah_hari_kerja` is None when the standard
    names the step but no day count (a person decides when)."""

    kepada: str
    setelah_hari_kerja: Optional[int] = None
    dasar: Optional[str] = None  # the standard's own words, for citations


@dataclass(frozen=True)
class KanalNasional:
    """The national complaint channel (SP4N-LAPOR!), the next step when an office does not answer."""

    nama: str
    website: Optional[str] = None
    sms: Optional[str] = None


@dataclass(frozen=True)
class PengaduanWilayah:
    """An office's complaint follow-up defaults (used when a standard states nothing itself)."""

    waktu_tanggapan_hari_kerja: Optional[int] = None  # None: no standard of the office states one
    dasar: Optional[str] = None  # where the response time comes from (standard and its words)
    eskalasi: tuple[Eskalasi, ...] = ()
    kanal_nasional: Optional[KanalNasional] = None


@dataclass(frozen=True)
class Region:
    id: str
    nama: str
    kantor: str
    provinsi: Optional[str] = None
    alias: tuple[str, ...] = ()
    alamat: tuple[str, ...] = ()
    telepon: tuple[str, ...] = ()
    whatsapp: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    website: tuple[str, ...] = ()
    # Operating data (bot.knowledge.operasional reads it): IANA time zone, e.g. "Asia/Makassar";
    # None only for a Region built in code without it (then Asia/Jakarta is assumed).
    zona_waktu: Optional[str] = None
    jam_layanan: tuple[JamLayanan, ...] = ()
    # False while the hours are the usual local-government hours not yet confirmed by the office.
    jam_layanan_terverifikasi: bool = False
    pengaduan: PengaduanWilayah = field(default_factory=PengaduanWilayah)
