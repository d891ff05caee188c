"""The evaluation sets are valid against the knowledge base and really held out: no text of the
legacy set, the hand-written conversations, the generated dev and test splits or the fresh
held-out sets (tests/eval/fresh*/) is in the training data (data/nlu). The
train split may be used for training later; dev, test and the fresh sets never."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tools.evaluate import LEGACY
from tools.evaluation.corpus import CONVERSATIONS_DIR, HELD_OUT_SETS, Corpus, fresh_corpus
from tools.evaluation.facts import KnowledgeFacts, MissingFact, answer_checks
from tools.evaluation.model import Conversation, Turn, load_conversations
from tools.evaluation.runner import check_link
from tools.evaluation.text import fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def conversations():
    return load_conversations(LEGACY)


@pytest.fixture(scope="module")
def facts(real_knowledge_factory) -> KnowledgeFacts:
    return KnowledgeFacts(real_knowledge_factory)


@pytest.fixture(scope="module")
def corpus(facts) -> Corpus:
    return Corpus(facts)


@pytest.fixture(scope="module")
def fresh(facts, corpus) -> Corpus:
    return fresh_corpus(facts, corpus)


@pytest.fixture(scope="module")
def held_out(facts, corpus) -> list[Conversation]:
    """Every conversation of the fresh held-out sets."""
    sets = [fresh_corpus(facts, corpus, folder, name) for name, folder in HELD_OUT_SETS.items()]
    return [c for fresh in sets for c in fresh.conversations("test")]


def _training_examples() -> set[str]:
    examples = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
                examples.add(fold(text))
    return examples


def test_size_and_coverage(conversations) -> None:
    turns = [t for c in conversations for t in c.turns]
    assert len(turns) >= 300
    assert sum(1 for c in conversations if len(c.turns) > 1) >= 60
    komponen = {t.answer.get("komponen") for t in turns} | {t.intent for t in turns}
    for key in (
        "sarana",
        "kompetensi",
        "pengawasan",
        "jumlah_pelaksana",
        "jaminan",
        "jaminan_keamanan",
        "evaluasi",
        "ask_persyaratan",
        "ask_prosedur",
        "ask_jangka_waktu",
        "ask_biaya",
        "ask_produk",
        "ask_pengaduan",
        "ask_dasar_hukum",
        "ask_ringkasan",
        "out_of_scope",
    ):
        assert key in komponen, key
    regions = {t.wilayah for t in turns}
    assert {"balangan", "ogan-komering-ilir", "purwakarta"} <= regions


def test_intents_are_in_the_domain(conversations, corpus, held_out) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    every = [
        *conversations,
        *corpus.conversations("dev"),
        *corpus.conversations("test"),
        *held_out,
    ]
    for conversation in every:
        for turn in conversation.turns:
            assert turn.intent is None or turn.intent in intents, (conversation.id, turn.intent)


def test_no_turn_is_copied_from_the_training_data(conversations, corpus, held_out) -> None:
    examples = _training_examples()
    held_out = [
        *conversations,
        *load_conversations_dir(),
        *(c for folder in HELD_OUT_SETS.values() for c in load_conversations_dir(folder / "conversations")),
        *corpus.conversations("dev"),
        *corpus.conversations("test"),
        *held_out,
    ]
    copied = sorted({t.text for c in held_out for t in c.turns if fold(t.text) in examples})
    assert copied == []


def test_no_fresh_template_is_in_the_training_data(fresh) -> None:
    """The fresh templates' own wording (placeholders aside) is not a training example either; the
    ambiguous phrases are names from the knowledge base, not wording."""
    examples = _training_examples()
    phrases = {p["id"] for p in fresh.ambiguous_phrases()}
    texts = {
        fold(t.text) for _, t in fresh.catalog.every_template() if "{" not in t.text and t.id not in phrases
    }
    assert sorted(texts & examples) == []


def load_conversations_dir(folder=CONVERSATIONS_DIR):
    return [c for path in sorted(folder.glob("*.yml")) for c in load_conversations(path)]


def test_every_expectation_refers_to_the_knowledge_base(conversations, facts: KnowledgeFacts) -> None:
    standards_seen = set()
    for conversation in conversations:
        current = None
        for turn in conversation.turns:
            # Builds every check: raises on an unknown standard/region or a wrong "kosong".
            checks, current, pilihan = answer_checks(turn, facts, current)
            for sid in pilihan:
                facts.standard(sid)
            if isinstance(turn.layanan, str) and turn.layanan != "none":
                standards_seen.add(facts.standard(turn.layanan).id)
            if turn.wilayah:
                facts.region(turn.wilayah)
    assert len(standards_seen) >= 60


def test_every_corpus_expectation_builds(corpus, held_out, facts: KnowledgeFacts) -> None:
    """Generated and hand-written turns of every split and of the fresh sets: each expectation fits
    the knowledge base (a line pattern finds exactly one line, an absent document is nowhere, ...)."""
    missing = 0
    parts = [corpus.conversations(split) for split in ("train", "dev", "test")]
    for conversations in [*parts, held_out]:
        for conversation in conversations:
            current = None
            for turn in conversation.turns:
                try:
                    checks, current, pilihan = answer_checks(turn, facts, current)
                except MissingFact:
                    missing += 1  # the sample applications live in the evaluation database only
                    assert turn.kind == "application_number"
                    continue
                assert checks or pilihan, (conversation.id, turn.text)
                for literal in turn.answer.get("contains") or ():
                    assert any(fold(literal) in facts.standard_text(s.id) for s in facts.standards()), literal
    assert missing > 0


def test_empty_component_expects_honesty_and_the_office_contact(facts: KnowledgeFacts) -> None:
    turn = Turn(
        "syarat kantor kas",
        "ask_persyaratan",
        "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam",
        None,
        {"kosong": True},
    )
    checks, _, _ = answer_checks(turn, facts, None)
    names = " ".join(name for name, _ in checks)
    assert "not listed" in names and "office contact" in names
    region = facts.region("balangan")
    honest = fold(
        f"Persyaratan untuk Izin Pembukaan Kantor Kas Koperasi Simpan Pinjam: tidak tercantum. "
        f"Telepon: {region.telepon[0]}"
    )
    assert all(ok(honest) for _, ok in checks)
    assert not all(ok(fold("1. Surat permohonan")) for _, ok in checks)


def test_component_checks_read_first_and_last_items(facts: KnowledgeFacts) -> None:
    standard = facts.standard("balangan-surat-izin-praktik-bidan")
    items = standard.komponen["persyaratan"].butir
    checks = facts.component_checks(standard.id, "persyaratan")
    texts = [i if isinstance(i, str) else i["teks"] for i in items]
    assert all(ok(fold("\n".join([standard.nama, *texts]))) for _, ok in checks)
    without_last = fold("\n".join([standard.nama, *texts[:-1]]))
    assert not all(ok(without_last) for _, ok in checks)


@pytest.mark.parametrize(
    "expected, entities, ok",
    [
        ("none", [], True),
        ("none", [{"entity": "layanan", "value": "x"}], False),
        ("x", [{"entity": "layanan", "value": "x"}], True),
        ("x", [{"entity": "layanan_kandidat", "value": "x"}], False),
        (["x", "y"], [{"entity": "layanan_kandidat", "value": v} for v in "xyz"], True),
        (["x", "y"], [{"entity": "layanan", "value": "x"}], False),
    ],
)
def test_check_link(expected, entities, ok) -> None:
    assert check_link(Turn("t", None, expected, None, {}), {"entities": entities})[0] is ok


def test_a_fresh_sets_half_b_is_never_shown_turn_by_turn(capsys) -> None:
    from tools.evaluate import report
    from tools.evaluation.runner import TurnResult
    from tools.fresh_halves import half

    sources = [f"f9-conversation-{n}" for n in range(40)]
    assert {half(s) for s in sources} == {"A", "B"}
    results = [
        TurnResult(s, f"question of {s}", "detail", "plain", None, None, None, None, "", False, source=s)
        for s in sources
    ]
    report("second fresh set", results, errors=100, sweep=False, held_out=True)
    printed = capsys.readouterr().out
    assert all((f"question of {s}'" in printed) == (half(s) == "A") for s in sources)
    assert "detail" in printed and "40" in printed  # the breakdown still counts every turn
