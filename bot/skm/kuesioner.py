"""The SKM questionnaire and grade table, read once from knowledge/skm/kuesioner.yaml."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from bot.skm.models import UNSUR

PATH = Path(__file__).resolve().parents[2] / "knowledge" / "skm" / "kuesioner.yaml"


@dataclass(frozen=True)
class Unsur:
    kunci: str
    nama: str
    tanya: str
    jawaban: tuple[str, str, str, str]  # the words for scores 1, 2, 3, 4


@dataclass(frozen=True)
class Mutu:
    mutu: str
    kinerja: str
    dari: float
    sampai: float


@dataclass(frozen=True)
class Kuesioner:
    sumber: str
    unsur: tuple[Unsur, ...]
    mutu: tuple[Mutu, ...]

    def nama(self, kunci: str) -> str:
        return next(u.nama for u in self.unsur if u.kunci == kunci)


def baca(path: Optional[Path] = None) -> Kuesioner:
    """Read and check the questionnaire (ValueError names what is wrong)."""
    path = Path(path or PATH)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = data.get("unsur") or []
    keys = tuple(str(item.get("kunci")) for item in items)
    if keys != UNSUR:
        raise ValueError(
            f"{path}: unsur must be exactly {', '.join(UNSUR)} in this order, got {', '.join(keys)}"
        )
    unsur = []
    for item in items:
        answers = tuple(str(a) for a in item.get("jawaban") or ())
        if len(answers) != 4 or not item.get("tanya") or not item.get("nama"):
            raise ValueError(f"{path}: {item.get('kunci')}: needs nama, tanya and 4 jawaban")
        unsur.append(Unsur(item["kunci"], str(item["nama"]), str(item["tanya"]), answers))  # type: ignore[arg-type]
    mutu = tuple(
        Mutu(str(m["mutu"]), str(m["kinerja"]), float(m["dari"]), float(m["sampai"]))
        for m in data.get("mutu") or ()
    )
    if not mutu:
        raise ValueError(f"{path}: mutu (grade table) is empty")
    return Kuesioner(str(data.get("sumber") or ""), tuple(unsur), mutu)


@functools.lru_cache(maxsize=1)
def kuesioner() -> Kuesioner:
    return baca()
