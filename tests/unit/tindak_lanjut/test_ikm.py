"""The satisfaction index by the method of Permenpan RB 14/2017, against values computed by hand."""

from __future__ import annotations

import pytest

from bot.skm.ikm import hitung, mutu_dari
from bot.skm.kuesioner import baca, kuesioner
from bot.skm.models import UNSUR

# Four respondents, the nine elements in the regulation's order (None: the question was skipped).
JAWABAN = [
    dict(zip(UNSUR, (4, 3, 3, 4, 3, 4, 4, 3, 3), strict=True)),
    dict(zip(UNSUR, (3, 3, 2, 4, 3, 3, 4, None, 3), strict=True)),
    dict(zip(UNSUR, (4, 4, 3, 4, 4, 4, 4, 4, 2), strict=True)),
    dict(zip(UNSUR, (3, 2, 2, 4, 3, 3, 3, 2, 3), strict=True)),
]


def test_ikm_of_a_known_set_equals_the_hand_computation():
    # By hand: NRR per element = sum of its scores / respondents who answered it.
    #   persyaratan (4+3+4+3)/4 = 3.5      prosedur (3+3+4+2)/4 = 3.0     waktu (3+2+3+2)/4 = 2.5
    #   biaya (4+4+4+4)/4 = 4.0            produk (3+3+4+3)/4 = 3.25      kompetensi (4+3+4+3)/4 = 3.5
    #   perilaku (4+4+4+3)/4 = 3.75        pengaduan (3+4+2)/3 = 3.0       sarana (3+3+2+3)/4 = 2.75
    # Weighted: each NRR x 1/9, summed: 29.25 / 9 = 3.25; converted x 25 = 81.25, between 76.61 and
    # 88.30: B, "baik".
    hasil = hitung(JAWABAN)
    assert hasil.responden == 4
    assert hasil.nrr == {
        "persyaratan": 3.5, "prosedur": 3.0, "waktu": 2.5, "biaya": 4.0, "produk": 3.25, "kompetensi": 3.5,
        "perilaku": 3.75, "pengaduan": 3.0, "sarana": 2.75,
    }  # fmt: skip
    assert hasil.jawaban["pengaduan"] == 3 and hasil.jawaban["sarana"] == 4
    assert hasil.ikm == 81.25
    assert (hasil.mutu.mutu, hasil.mutu.kinerja) == ("B", "Baik")
    assert hasil.lengkap


def test_rounding_is_half_up_on_the_exact_value():
    # 3 x 4 and 6 x 3: 30 / 9 x 25 = 83.333... -> 83.33
    one = dict(zip(UNSUR, (4, 4, 4, 3, 3, 3, 3, 3, 3), strict=True))
    assert hitung([one]).ikm == 83.33
    # Eight answers summing to 25 (one skipped): 25 / 8 x 25 = 78.125 exactly -> 78.13 (half up; Python's
    # round() on the float would give 78.12)
    eight = dict(zip(UNSUR, (4, 4, 3, 3, 3, 3, 3, 2, None), strict=True))
    assert hitung([eight]).ikm == 78.13
    perfect = dict.fromkeys(UNSUR, 4)
    assert hitung([perfect]).ikm == 100.0 and hitung([perfect]).mutu.mutu == "A"
    lowest = dict.fromkeys(UNSUR, 1)
    assert hitung([lowest]).ikm == 25.0 and hitung([lowest]).mutu.mutu == "D"


@pytest.mark.parametrize(
    "nilai, mutu",
    [(100.0, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D")]
    + [(25.0, "D")],
)
def test_grade_boundaries_of_the_regulation(nilai, mutu):
    assert mutu_dari(nilai).mutu == mutu


def test_an_element_nobody_answered_is_left_out_and_said_so():
    skipped = [{**JAWABAN[0], "biaya": None}, {**JAWABAN[2], "biaya": None}]
    hasil = hitung(skipped)
    assert hasil.nrr["biaya"] is None and hasil.unsur_terisi == 8 and not hasil.lengkap
    # By hand: the eight NRR (4, 3.5, 3, 3.5, 4, 4, 3.5, 2.5) sum to 28; 28 / 8 x 25 = 87.5
    assert hasil.ikm == 87.5
    assert hitung([]).ikm is None and hitung([dict.fromkeys(UNSUR)]).responden == 0


def test_scores_outside_one_to_four_are_refused():
    with pytest.raises(ValueError):
        hitung([{"persyaratan": 5}])


def test_the_questionnaire_has_the_nine_elements_in_order(tmp_path):
    q = kuesioner()
    assert tuple(u.kunci for u in q.unsur) == UNSUR
    assert all(len(u.jawaban) == 4 and u.tanya.endswith("?") for u in q.unsur)
    assert [m.mutu for m in q.mutu] == ["A", "B", "C", "D"] and "14 Tahun 2017" in q.sumber
    bad = tmp_path / "kuesioner.yaml"
    bad.write_text("unsur: [{kunci: persyaratan, nama: x, tanya: y, jawaban: [a, b, c, d]}]\nmutu: []\n")
    with pytest.raises(ValueError, match="unsur must be exactly"):
        baca(bad)
