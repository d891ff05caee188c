"""Word lists are data (knowledge/lexicon/*.yml), read only by bot/lexicon.py."""

from __future__ import annotations

import pytest

from bot import lexicon


def write(folder, name, text):
    (folder / f"{name}.yml").write_text(text, encoding="utf-8")


def test_a_mapping_is_read_inverted_and_normalized_in_spacing(tmp_path):
    write(tmp_path, "contoh", "ganti:\n  berapa: [brp, 'berapa  kah']\n  saja: aja\n")
    assert lexicon.mapping("contoh", "ganti", tmp_path) == {
        "brp": "berapa",
        "berapa kah": "berapa",
        "aja": "saja",
    }


def test_one_phrase_under_two_values_is_refused(tmp_path):
    write(tmp_path, "dobel", "ganti:\n  berapa: [brp]\n  bagaimana: [brp]\n")
    with pytest.raises(lexicon.LexiconError, match="'brp' is listed under both"):
        lexicon.mapping("dobel", "ganti", tmp_path)


def test_a_key_written_twice_is_refused(tmp_path):
    # plain YAML keeps the second silently: the first one's words would be lost
    write(tmp_path, "ulang", "ganti:\n  angkutan: [transport]\n  halo: [hi]\n  angkutan: [bus]\n")
    with pytest.raises(lexicon.LexiconError, match="angkutan"):
        lexicon.mapping("ulang", "ganti", tmp_path)


def test_word_lists_and_clear_errors(tmp_path):
    write(tmp_path, "kata", "daftar: [Satu, dua]\nteks: tiga empat\nrusak: {a: 1}\n")
    assert lexicon.words("kata", "daftar", tmp_path) == {"satu", "dua"}
    assert lexicon.words("kata", "teks", tmp_path) == {"tiga", "empat"}
    with pytest.raises(lexicon.LexiconError, match="expected a list"):
        lexicon.words("kata", "rusak", tmp_path)
    with pytest.raises(lexicon.LexiconError, match="has no section 'tidak_ada'"):
        lexicon.section("kata", "tidak_ada", tmp_path)
    with pytest.raises(lexicon.LexiconError, match="is missing"):
        lexicon.section("hilang", "x", tmp_path)
    write(tmp_path, "salah", "a: [unclosed\n")
    with pytest.raises(lexicon.LexiconError, match="not valid YAML"):
        lexicon.section("salah", "a", tmp_path)


def test_a_bare_yes_or_no_read_as_a_boolean_is_refused(tmp_path):
    write(tmp_path, "jawab", "ya: [iya, yes]\ntidak: [tidak, 'no']\n")
    with pytest.raises(lexicon.LexiconError, match="read as a boolean"):
        lexicon.words("jawab", "ya", tmp_path)
    assert lexicon.words("jawab", "tidak", tmp_path) == {"tidak", "no"}


def test_the_projects_lexicon_loads_without_conflicts():
    """Every list the assistant reads, merged the way the normalizer and linker merge them."""
    from bot.nlu import linking
    from bot.nlu.normalize import tables

    assert tables().replacements["gmn"] == "bagaimana"
    assert tables().phrases[("how", "long")] == "berapa lama"
    assert linking.words().komponen["berapa lama"] == "jangka_waktu"
    assert linking.words().sektor["peternakan"] == "pertanian"
