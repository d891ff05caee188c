"""The chat-Indonesian normalizer and its tokenizer, called like Rasa calls them."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalizer import (
    NORMALIZED_TEXT,
    IndonesianTokenizer,
    TextNormalizer,
    normalize,
    normalized_text,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        # slang and abbreviations
        ("gimana caranya", "bagaimana cara"),
        ("brp biayanya", "berapa biaya"),
        ("yg gak ada", "yang tidak ada"),
        ("ga nggak tdk", "tidak tidak tidak"),
        ("udh sy kirim dgn lengkap", "sudah saya kirim dengan lengkap"),
        # address particles are dropped
        ("kak syarat apa", "syarat apa"),
        ("min, gan, syarat", "syarat"),
        ("kantor mpp nya dimana", "kantor mpp di mana"),
        # spelling variants
        ("ijin praktek apotik", "izin praktik apotek"),
        ("fotocopy ktp", "fotokopi ktp"),
        # case, repeated letters
        ("BIAYANYA BERAPAAA", "biaya berapa"),
        ("bangettt pleasee", "banget tolong"),
        ("maaaf", "maaf"),
        # clitics, but not on words that merely end like one
        ("syaratnya biayanya berapakah", "syarat biaya berapa"),
        ("masalah tanya hanya sekolah", "masalah tanya hanya sekolah"),
        ("persyaratanya", "persyaratan"),
        ("jaminan keamanannya", "jaminan keamanan"),
        ("jumlah pelaksananya", "jumlah pelaksana"),
        ("semuanya", "semua"),
        # a word that ends like the Javanese clitic "-e" but is slang for another word
        ("pake sistem apa", "pakai sistem apa"),
        ("formulirnya dipake buat apa", "formulir dipakai buat apa"),
        # reduplication
        ("syarat-syarat", "syarat"),
        ("syarat2nya apa aja", "syarat apa saja"),
        # acronyms are kept as they are (lowercased), never treated as slang
        ("SIUP NIB OSS SLF PBG", "siup nib oss slf pbg"),
        ("SIP-ATLM UKL-UPL SIPTTK", "sip atlm ukl upl sipttk"),
        ("makasih min", "terima kasih"),
        # a bracket written against a word still parts it, as the standards write abbreviations
        ("Nomor Induk Berusaha(NIB)", "nomor induk berusaha nib"),
        ("[SIP]bidan", "sip bidan"),
    ],
)
def test_normalized_text(text: str, expected: str) -> None:
    assert normalized_text(text) == expected


def test_tokens_keep_spans_in_the_original_text() -> None:
    text = "Kak, syarat2nya bikin SIP bidan gmn??"
    tokens = normalize(text)
    assert [t.norm for t in tokens] == ["syarat", "buat", "sip", "bidan", "bagaimana"]
    for token in tokens:
        assert text[token.start : token.end] == token.original
    assert tokens[0].original == "syarat2nya"


def test_a_bracket_inside_a_token_parts_it_with_spans_in_the_original_text() -> None:
    text = "Kartu Identitas Anak (KIA)secepatnya"
    tokens = normalize(text)
    assert [t.original for t in tokens] == ["Kartu", "Identitas", "Anak", "KIA", "secepatnya"]
    for token in tokens:
        assert text[token.start : token.end] == token.original


def test_expansion_to_several_words_shares_the_span() -> None:
    tokens = normalize("oke makasih")
    assert [t.norm for t in tokens] == ["oke", "terima", "kasih"]
    assert (tokens[1].start, tokens[1].end) == (tokens[2].start, tokens[2].end) == (4, 11)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀🙏",
        "مرحبا بكم",
        "你好世界",
        "' OR 1=1; DROP TABLE standar; --",
        "<b>syarat</b>",
        "syarat " * 1500,
    ],
)
def test_any_input_is_accepted(text: str) -> None:
    tokens = normalize(text)
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)


def test_text_of_any_length_is_bounded() -> None:
    from bot.nlu.normalize import MAX_TEXT_CHARS, MAX_TOKENS

    text = ("kak syarat bikin sip bidan apa aja 🙏 " * 3000)[:100_000]
    tokens = normalize(text)
    assert 100 < len(tokens) <= MAX_TOKENS
    assert all(t.end <= MAX_TEXT_CHARS for t in tokens)
    assert {t.norm for t in tokens} <= {"syarat", "buat", "sip", "bidan", "apa", "saja"}


def test_lemmatize_option_uses_the_lookup_table() -> None:
    lemmas = [t.lemma for t in normalize("persyaratan pendaftaran", lemmatize=True)]
    assert lemmas == ["syarat", "daftar"]
    assert [t.lemma for t in normalize("persyaratan")] == ["persyaratan"]


# Masking needs the knowledge base: tested in test_linker.py. Here: normalization alone.
UNMASKED = {**TextNormalizer.get_default_config(), "mask_knowledge": False}


def _message(text: str) -> Message:
    return Message(data={TEXT: text})


def test_components_produce_normalized_tokens_on_the_original_text() -> None:
    normalizer = TextNormalizer(UNMASKED)
    tokenizer = IndonesianTokenizer(IndonesianTokenizer.get_default_config())
    message = _message("Berapa lama ijin praktek bidan? ADU-7KQ2-9XFD")
    tokenizer.process(normalizer.process([message]))

    assert message.get(TEXT) == "Berapa lama ijin praktek bidan? ADU-7KQ2-9XFD"  # never rewritten
    assert message.get(NORMALIZED_TEXT) == "berapa lama izin praktik bidan adu 7kq2 9xfd"
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens][:5] == ["berapa", "lama", "izin", "praktik", "bidan"]
    assert [(t.start, t.end) for t in tokens][2:4] == [(12, 16), (17, 24)]
    assert NORMALIZED_TEXT in message.as_dict(only_output_properties=True)


def test_training_data_is_normalized_too() -> None:
    normalizer = TextNormalizer(UNMASKED)
    tokenizer = IndonesianTokenizer(IndonesianTokenizer.get_default_config())
    data = TrainingData([Message(data={TEXT: "syarat2nya apa aja", "intent": "ask_persyaratan"})])
    tokenizer.process_training_data(normalizer.process_training_data(data))
    tokens = data.training_examples[0].get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["syarat", "apa", "saja"]


@pytest.mark.parametrize("text", ["", "😀😀", "?!"])
def test_tokenizer_always_gives_at_least_one_token(text: str) -> None:
    tokenizer = IndonesianTokenizer(IndonesianTokenizer.get_default_config())
    message = _message(text)
    tokenizer.process(TextNormalizer(UNMASKED).process([message]))
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert len(tokens) == 1 and tokens[0].text == text


def test_tokenizer_normalizes_by_itself_without_the_normalizer() -> None:
    tokenizer = IndonesianTokenizer(IndonesianTokenizer.get_default_config())
    message = _message("gmn caranya")
    tokenizer.process([message])
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])] == ["bagaimana", "cara"]


@pytest.mark.parametrize(
    "written, standard",
    [
        ("ngawasin", "mengawasi"),
        ("ngajuin", "mengajukan"),
        ("nanyain", "menanyai"),
        ("ngurusinnya", "mengurus"),
    ],
)
def test_jakarta_style_verbs_become_the_standard_ones(written: str, standard: str) -> None:
    from bot.nlu.normalize import normalize

    assert [t.norm for t in normalize(written)] == [standard]


@pytest.mark.parametrize("word", ["main", "ingin", "latihan", "bikinin"])
def test_words_ending_in_in_stay_when_no_standard_verb_is_known(word: str) -> None:
    from bot.nlu.normalize import normalize

    assert [t.norm for t in normalize(word)] == [word]
