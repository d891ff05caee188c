"""CSV import of applications from an office's own licensing system.

All or nothing: every row is validated first; one bad row and nothing is written, and the report
lists every bad row with its line number and reason, so the office fixes the file in one pass.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Union

from sqlalchemy.orm import sessionmaker

from bot.permohonan.repository import (
    FIELDS,
    DataPermohonan,
    StandarResolver,
    upsert_permohonan,
    validate_record,
)

HEADER = list(FIELDS)
# Optional trailing columns: a file may have them or not (the header says which).
OPTIONAL_COLUMNS = ["kode_tanda_terima"]


@dataclass(frozen=True)
class BarisSalah:
    baris: int  # line number in the file (the header is line 1)
    alasan: tuple[str, ...]

    def __str__(self) -> str:
        return f"baris {self.baris}: " + "; ".join(self.alasan)


@dataclass
class HasilImpor:
    baru: int = 0
    diubah: int = 0
    sama: int = 0
    salah: list[BarisSalah] = field(default_factory=list)

    @property
    def berhasil(self) -> bool:
        return not self.salah


def _read_rows(text: str) -> tuple[list[tuple[int, dict]], list[BarisSalah]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [BarisSalah(1, ("berkas kosong",))]
    header = [h.strip().lstrip("\ufeff") for h in header]
    if header not in (HEADER, HEADER + OPTIONAL_COLUMNS):
        expected = ",".join(HEADER)
        return [], [BarisSalah(1, (f"header harus persis: {expected} (boleh ditambah ,kode_tanda_terima)",))]
    rows: list[tuple[int, dict]] = []
    bad: list[BarisSalah] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) != len(header):
            bad.append(BarisSalah(line, (f"{len(values)} kolom, seharusnya {len(header)}",)))
            continue
        rows.append((line, dict(zip(header, values, strict=True))))
    return rows, bad


def impor_csv(
    source: Union[str, Path],
    factory: sessionmaker,
    today: Optional[date] = None,
    sumber: str = "import",
) -> HasilImpor:
    """Validate the whole file, then upsert every row in one transaction (or none at all)."""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return HasilImpor(salah=[BarisSalah(1, ("berkas bukan teks UTF-8",))])
    rows, bad = _read_rows(text)
    hasil = HasilImpor(salah=bad)
    with factory() as session:
        resolver = StandarResolver(session)
        valid: list[DataPermohonan] = []
        first_line: dict[str, int] = {}
        for line, record in rows:
            data, errors = validate_record(record, resolver, today=today)
            if data is not None and data.nomor in first_line:
                errors = [f"nomor_permohonan {data.nomor} sudah ada di baris {first_line[data.nomor]}"]
                data = None
            if errors:
                hasil.salah.append(BarisSalah(line, tuple(errors)))
            else:
                first_line[data.nomor] = line
                valid.append(data)
        hasil.salah.sort(key=lambda b: b.baris)
        if hasil.salah:
            return hasil
        try:
            for data in valid:
                outcome = upsert_permohonan(session, data, sumber)
                setattr(hasil, outcome, getattr(hasil, outcome) + 1)
            session.commit()
        except Exception:
            session.rollback()
            raise
    return hasil
