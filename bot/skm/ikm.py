"""The community satisfaction index (IKM) by the method of Permenpan RB 14/2017.

- NRR (nilai rata-rata) of an element: the mean of its scores (1-4) over the respondents who
  answered it (a skipped question is no score, not a zero);
- each of the 9 elements weighs the same, 1/9; IKM = sum of NRR x 1/9, i.e. the mean of the 9 NRR
  (the regulation's "total unsur yang terisi": an element nobody answered is left out and said so);
- the index converted to 25-100: IKM x 25, rounded to two decimals like the regulation's table,
  then graded A (88.31-100, sangat baik), B (76.61-88.30, baik), C (65.00-76.60, kurang baik),
  D (25.00-64.99, tidak baik): knowledge/skm/kuesioner.yaml.

Pure functions: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Mapping, Optional

from bot.skm.kuesioner import Kuesioner, Mutu, kuesioner
from bot.skm.models import UNSUR

BOBOT = 1 / len(UNSUR)
KONVERSI = 25


@dataclass(frozen=True)
class HasilIkm:
    responden: int
    nrr: dict[str, Optional[float]]  # element -> mean score (None: nobody answered it)
    jawaban: dict[str, int]  # element -> how many answered it
    ikm: Optional[float]  # converted, 25-100, two decimals (None: no answer at all)
    mutu: Optional[Mutu]

    @property
    def unsur_terisi(self) -> int:
        return sum(1 for v in self.nrr.values() if v is not None)

    @property
    def lengkap(self) -> bool:
        return self.unsur_terisi == len(UNSUR)


def mutu_dari(nilai: float, table: Optional[Kuesioner] = None) -> Optional[Mutu]:
    for grade in (table or kuesioner()).mutu:
        if grade.dari <= nilai <= grade.sampai:
            return grade
    return None


def hitung(responses: Iterable[Mapping[str, Optional[int]]], table: Optional[Kuesioner] = None) -> HasilIkm:
    """IKM of a set of answer sets (each maps element -> 1..4 or None)."""
    totals = dict.fromkeys(UNSUR, 0)
    counts = dict.fromkeys(UNSUR, 0)
    respondents = 0
    for answers in responses:
        answered = False
        for key in UNSUR:
            score = answers.get(key)
            if score is None:
                continue
            if not 1 <= int(score) <= 4:
                raise ValueError(f"{key}: score {score} outside 1-4")
            totals[key] += int(score)
            counts[key] += 1
            answered = True
        respondents += answered
    exact = {key: Fraction(totals[key], counts[key]) for key in UNSUR if counts[key]}
    nrr = {key: (float(exact[key]) if key in exact else None) for key in UNSUR}
    if not exact:
        return HasilIkm(respondents, nrr, counts, None, None)
    # Exact arithmetic, then half-up to two decimals: 81.245 is 81.25 whatever floats would say.
    weight = Fraction(1, len(exact))  # = BOBOT when all nine were answered
    converted = sum(exact.values(), Fraction(0)) * weight * KONVERSI
    index = float(
        (Decimal(converted.numerator) / Decimal(converted.denominator)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    )
    return HasilIkm(respondents, nrr, counts, index, mutu_dari(index, table))
