"""Plain, detached read models that the query layer returns.

Actions, the NLU linker and the CLI use these instead of ORM objects, so nothing outside the
knowledge layer holds a database session or triggers lazy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
