"""The generated development corpus (tools/evaluation/corpus.py) over the real knowledge base:
deterministic, split by template and by standard, every kind big enough, every standard and
component covered, and the committed data it is made from consistent with the knowledge base."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tools.evaluation.corpus import (
    FRESH,
    FRESH_DIR,
    HELD_OUT_SETS,
    KINDS,
    SPLITS,
    TEMPLATES_DIR,
    Catalog,
    Corpus,
    conversation_standards,
    fresh_corpus,
    turn_standards,
)
from tools.evaluation.facts import KnowledgeFacts
from tools.evaluation.names import NameIndex
from tools.evaluation.text import contains_phrase, fold

# Kinds that need standards dealt to dev and test first (too few groups for train too).
ONLY_HELD_OUT = {"region_switch", "honesty"}
MINIMUM = 20


@pytest.fixture(scope="module")
def facts(real_knowledge_factory) -> KnowledgeFacts:
    return KnowledgeFacts(real_knowledge_factory)


@pytest.fixture(scope="module")
def corpus(facts) -> Corpus:
    return Corpus(facts)


@pytest.fixture(scope="module")
def fresh(facts, corpus) -> Corpus:
    return fresh_corpus(facts, corpus)


# The sets written later as hand-written conversations only, oldest first, with their id prefixes.
HANDWRITTEN_SETS = {"fresh2": "f2-", "fresh3": "f3-", "fresh4": "f4-"}


@pytest.fixture(scope="module")
def handwritten_sets(facts, corpus) -> dict[str, Corpus]:
    assert set(HANDWRITTEN_SETS) == set(HELD_OUT_SETS) - {FRESH}
    return {name: fresh_corpus(facts, corpus, HELD_OUT_SETS[name], name) for name in HANDWRITTEN_SETS}


@pytest.fixture(scope="module")
def both(corpus, fresh) -> tuple[Corpus, Corpus]:
    """The main corpus and the fresh held-out set: the committed data of each must fit the KB."""
    return corpus, fresh


@pytest.fixture(scope="module")
def names(facts) -> NameIndex:
    return NameIndex(facts.standards(), facts.regions())


def _fingerprint(conversations) -> list:
    return [
        (c.id, c.source, [(t.text, t.kind, t.style, t.layanan, t.wilayah, t.answer) for t in c.turns])
        for c in conversations
    ]


def test_generation_is_deterministic(facts, corpus) -> None:
    again = Corpus(facts)
    for split in SPLITS:
        assert _fingerprint(again.conversations(split)) == _fingerprint(corpus.conversations(split))
    assert again.standard_split == corpus.standard_split


def test_another_seed_gives_another_corpus(facts, corpus) -> None:
    other = Corpus(facts, seed=corpus.seed + 1)
    assert _fingerprint(other.conversations("test")) != _fingerprint(corpus.conversations("test"))


def test_size_and_every_kind_in_dev_and_test(corpus) -> None:
    counts = {split: corpus.counts(split) for split in SPLITS}
    assert sum(sum(c.values()) for c in counts.values()) >= 1500
    assert sum(counts["test"].values()) >= 450
    for split in ("dev", "test"):
        for kind in KINDS:
            assert counts[split][kind] >= MINIMUM, (split, kind, counts[split][kind])
    for kind in set(KINDS) - ONLY_HELD_OUT:
        assert counts["train"][kind] >= MINIMUM, ("train", kind)
    assert set().union(*counts.values()) <= set(KINDS)


def test_test_split_has_standards_and_phrasings_the_others_never_saw(corpus) -> None:
    standards = {s: set() for s in SPLITS}
    sources = {s: set() for s in SPLITS}
    for split in SPLITS:
        for conversation in corpus.conversations(split):
            for turn in conversation.turns:
                standards[split] |= turn_standards(turn)
            sources[split] |= set(conversation.source.split("+"))
    for held_out in ("test", "dev"):
        others = [s for s in SPLITS if s != held_out]
        for other in others:
            assert not standards[held_out] & standards[other], (held_out, other)
            assert not sources[held_out] & sources[other], (held_out, other)
        for sid in standards[held_out]:
            assert corpus.standard_split[sid] == held_out


def test_templates_and_standards_are_dealt_to_one_split_each(corpus) -> None:
    komponen = corpus.catalog.komponen_templates()
    for key, templates in komponen.items():
        assignment = corpus.template_split(f"komponen/{key}", templates)
        assert set(assignment) == {t.id for t in templates}
        assert {"dev", "test"} <= set(assignment.values()), key
    assert set(corpus.standard_split) == {s.id for s in corpus.standards}
    sizes = Counter(corpus.standard_split.values())
    assert all(sizes[s] >= 15 for s in SPLITS), sizes


def test_template_ids_are_unique(corpus) -> None:
    ids = Counter(t.id for _, t in corpus.catalog.every_template())
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_standard_and_component_is_covered(corpus, facts) -> None:
    seen_standards: set[str] = set()
    seen_components: set[str] = set()
    for split in SPLITS:
        for conversation in corpus.conversations(split):
            for turn in conversation.turns:
                seen_standards |= turn_standards(turn)
                answer = turn.answer
                for key in (
                    answer.get("komponen"),
                    (answer.get("detail") or {}).get("komponen"),
                    (answer.get("office") or {}).get("komponen"),
                    (answer.get("compare") or {}).get("komponen"),
                    answer.get("printable"),
                ):
                    if key:
                        seen_components.add(key)
    assert seen_standards == {s.id for s in facts.standards()}
    assert len(seen_components) == 14


def test_every_style_occurs_in_the_test_split(corpus) -> None:
    styles = Counter(t.style for c in corpus.conversations("test") for t in c.turns)
    for style in (
        "plain",
        "slang",
        "typo",
        "nopunct",
        "caps",
        "formal",
        "preamble",
        "english",
        "banjar",
        "jawa",
        "sunda",
    ):
        assert styles[style] >= 4, style


# --- the committed data is consistent with the knowledge base ------------------------------------------
def test_ambiguous_phrases_fit_two_to_five_standards(both, names) -> None:
    for corpus in both:
        for phrase in corpus.ambiguous_phrases():
            candidates = names.candidates(phrase["text"])
            assert 2 <= len(candidates) <= 5, (phrase["text"], candidates)


def test_family_keys_name_exactly_their_member(both, names) -> None:
    for corpus in both:
        for family in corpus.families():
            members = [m["id"] for m in family["anggota"]]
            for member in family["anggota"]:
                for kunci in member.get("kunci") or ():
                    holders = [m for m in members if any(contains_phrase(n, kunci) for n in names.names[m])]
                    assert holders == [member["id"]], (family["nama"], kunci, holders)


def test_out_of_scope_subjects_name_no_service(both, names) -> None:
    every_name = [n for sid in names.names for n in names.names[sid]]
    for corpus in both:
        catalog = corpus.catalog
        subjects = catalog.templates("out_of_scope", "hal") + catalog.templates("out_of_scope", "kalimat")
        assert subjects, catalog.folder
        for subject in subjects:
            named = [n for n in every_name if contains_phrase(subject.text, n) and len(n) > 3]
            assert named == [], (subject.text, named)


def test_preambles_never_name_a_service(both, names) -> None:
    every_name = [n for sid in names.names for n in names.names[sid]]
    for corpus in both:
        parts = corpus.catalog.data["preamble"]
        texts = [
            t for section in ("perkenalan", "cerita") for group in parts[section].values() for t in group
        ]
        for text in texts:
            named = [n for n in every_name if contains_phrase(text, n)]
            assert named == [], (text, named)


def test_questions_without_a_service_name_none(corpus, fresh, names) -> None:
    """Office-level, out-of-scope, contact, small-talk and sector-filter questions must not contain
    a name of a standard ("izin perdagangan" is the alias of SIUP, not the trade sector)."""
    every_name = [n for sid in names.names for n in names.names[sid] if len(n) > 3]
    parts = [corpus.conversations(split) for split in SPLITS] + [fresh.conversations("test")]
    for conversations in parts:
        for conversation in conversations:
            for turn in conversation.turns:
                free = turn.kind in ("office_level", "out_of_scope", "kontak", "smalltalk")
                if not (free or "sektor_filter" in turn.answer):
                    continue
                named = [n for n in every_name if contains_phrase(turn.text, n)]
                document = (turn.answer.get("sektor_filter") or {}).get("match")
                # a document that is also a service ("izin lingkungan") may be asked about as a document
                named = [n for n in named if not (document and re.search(document, n, re.IGNORECASE))]
                assert named == [], (turn.text, named)


def test_threshold_lines_are_copied_from_their_standards(both, facts) -> None:
    for corpus in both:
        for pair in corpus.threshold_pairs():
            literals = list(pair["contains"]) + [
                c for t in pair["templates"] for c in t.get("contains") or ()
            ]
            for literal in literals:
                assert any(fold(literal) in facts.standard_text(sid) for sid in pair["standards"]), literal


def test_documents_are_listed_somewhere(both, facts) -> None:
    """A document asked about is required by at least one standard (so 'not listed' is news)."""
    for corpus in both:
        for doc in corpus.catalog.section("detail", "dokumen"):
            holders = [
                s.id for s in facts.standards() if facts.matching_lines(s.id, "persyaratan", doc["match"])
            ]
            assert holders, doc["id"]


def test_english_names_belong_to_standards(both, facts) -> None:
    for corpus in both:
        for sid in corpus.catalog.section("english", "nama"):
            facts.standard(sid)


def test_sample_applications_import_and_answer_with_their_status(corpus, db_url) -> None:
    from bot.db import session_factory
    from bot.knowledge.loader import load
    from bot.permohonan.importer import impor_csv
    from tests.conftest import KNOWLEDGE_DIR
    from tools.evaluate import ROOT

    load(KNOWLEDGE_DIR, db_url)
    for name in corpus.catalog.section("permohonan", "berkas"):
        assert impor_csv(ROOT / name, session_factory(db_url)).salah == []
    facts = KnowledgeFacts(session_factory(db_url))
    checks = facts.status_checks("SIP/0117/BLG/2026")
    reply = fold(
        "Layanan: Surat Izin Praktik Perawat (Kabupaten Balangan)\nStatus: Berkas sedang diverifikasi"
    )
    assert all(ok(reply) for _, ok in checks)
    assert not all(ok(fold("Status: Berkas sedang diverifikasi")) for _, ok in checks)


def test_loose_application_numbers_keep_their_parts() -> None:
    forms = {Corpus.loose_number("SIP/0117/BLG/2026", n) for n in range(6)}
    assert {"SIP/0117/BLG/2026", "sip/0117/blg/2026", "SIP / 0117 / BLG / 2026", "SIP-0117-BLG-2026"} <= forms
    assert all(fold(f).replace(" ", "").replace("/", "").replace("-", "") == "sip0117blg2026" for f in forms)


# --- the fresh held-out set (tests/eval/fresh/) ----------------------------------------------------------
def test_fresh_set_is_deterministic(facts, corpus, fresh) -> None:
    again = fresh_corpus(facts, Corpus(facts))
    assert _fingerprint(again.conversations("test")) == _fingerprint(fresh.conversations("test"))


def test_fresh_set_has_every_kind(fresh) -> None:
    counts = fresh.counts("test")
    assert sum(counts.values()) >= 800
    for kind in KINDS:
        assert counts[kind] >= MINIMUM, (kind, counts[kind])
    assert set(counts) <= set(KINDS)
    styles = Counter(t.style for c in fresh.conversations("test") for t in c.turns)
    for style in ("plain", "slang", "typo", "nopunct", "caps", "formal", "preamble", "english"):
        assert styles[style] >= 4, style
    for style in ("banjar", "jawa", "sunda"):
        assert styles[style] >= 2, style


def test_fresh_set_is_all_held_out_over_the_test_standards(corpus, fresh) -> None:
    """Every fresh template and conversation is held out; its standards are the main corpus's test
    standards (or none), so nothing tuned on (train, dev) is asked about."""
    assert fresh.standard_split == corpus.standard_split
    assert fresh.conversations("train") == [] and fresh.conversations("dev") == []
    test_ids = {s.id for s in corpus.standards_in("test")}
    conversations = fresh.conversations("test")
    for conversation in conversations:
        assert conversation.split == "fresh" and conversation.id.startswith("f")
        for turn in conversation.turns:
            assert turn_standards(turn) <= test_ids, (conversation.id, turn.text)
    for hand in fresh.handwritten:
        assert conversation_standards(hand) <= test_ids, hand.id
    assert {c.id for c in fresh.handwritten} <= {c.id for c in conversations}
    for _, template in fresh.catalog.every_template():
        assert template.id.startswith("f-"), template.id
    used = {sid for c in conversations for t in c.turns for sid in turn_standards(t)}
    assert len(used) >= 0.8 * len(test_ids)


def test_template_ids_are_unique_across_main_and_fresh(corpus, fresh) -> None:
    ids = Counter(t.id for c in (corpus, fresh) for _, t in c.catalog.every_template())
    ids.update(c.id for c in (*corpus.handwritten, *fresh.handwritten))
    ids.update(p["id"] for c in (corpus, fresh) for p in c.threshold_pairs())
    assert [i for i, n in ids.items() if n > 1] == []


def _phrasings(catalog: Catalog) -> set[str]:
    """Every written text of a template folder (not the structural ambiguous phrases): template
    texts, threshold templates, preamble frames, greetings, introductions, stories."""
    structural = {p["id"] for p in catalog.section("disambiguation", "frasa", [])}
    texts = {fold(t.text) for _, t in catalog.every_template() if t.id not in structural}
    texts |= {fold(t["text"]) for p in catalog.section("threshold", "pasangan", []) for t in p["templates"]}
    parts = catalog.data.get("preamble", {})
    for section in ("formal", "santai", "sapaan"):
        texts |= {fold(t) for t in parts.get(section, [])}
    for section in ("perkenalan", "cerita"):
        texts |= {fold(t) for group in parts.get(section, {}).values() for t in group}
    return texts


def test_fresh_texts_are_new(corpus, fresh) -> None:
    """No fresh phrasing repeats one of tests/eval/templates or of the main hand-written conversations."""
    main = _phrasings(Catalog(TEMPLATES_DIR))
    main |= {fold(t.text) for c in corpus.handwritten for t in c.turns}
    new = _phrasings(Catalog(FRESH_DIR / "templates"))
    new |= {fold(t.text) for c in fresh.handwritten for t in c.turns if not t.text.startswith("/")}
    assert len(new) >= 300
    assert sorted(new & main) == []


def test_the_fresh_set_has_two_halves_of_similar_size(fresh) -> None:
    """tools.fresh_halves: half A may be read, half B stays unread; both must be real samples."""
    from collections import Counter

    from tools.fresh_halves import half

    sizes = Counter(half(c.source) for c in fresh.conversations("test") for _ in c.turns)
    assert set(sizes) == {"A", "B"}
    assert min(sizes.values()) >= 0.35 * sum(sizes.values())


# --- the later fresh sets (tests/eval/fresh2/ to fresh4/): hand-written conversations only ----------------
@pytest.mark.parametrize("name", HANDWRITTEN_SETS)
def test_handwritten_fresh_set_is_held_out_over_the_test_standards(corpus, handwritten_sets, name) -> None:
    fresh = handwritten_sets[name]
    assert fresh.catalog.every_template() == []
    test_ids = {s.id for s in corpus.standards_in("test")}
    conversations = fresh.conversations("test")
    assert {c.id for c in conversations} == {c.id for c in fresh.handwritten}
    for conversation in conversations:
        assert conversation.split == name, conversation.id
        assert conversation.id.startswith(HANDWRITTEN_SETS[name]), conversation.id
        for turn in conversation.turns:
            assert turn_standards(turn) <= test_ids, (conversation.id, turn.text)
    counts = fresh.counts("test")
    assert sum(counts.values()) >= 250
    assert set(counts) <= set(KINDS)
    for kind in ("detail", "office_level", "out_of_scope", "followup_related", "region_switch", "english"):
        assert counts[kind] >= 6, (kind, counts[kind])
    # tools.fresh_halves deals it into a half that may be read and one that stays unread
    from tools.fresh_halves import half

    sizes = Counter(half(c.source) for c in conversations for _ in c.turns)
    assert min(sizes.values()) >= 0.35 * sum(sizes.values())


def test_handwritten_fresh_sets_texts_are_new(corpus, fresh, handwritten_sets) -> None:
    """No text of a later fresh set repeats a phrasing of the main corpus or of an earlier set."""
    seen = _phrasings(Catalog(TEMPLATES_DIR)) | _phrasings(Catalog(FRESH_DIR / "templates"))
    seen |= {fold(t.text) for c in (*corpus.handwritten, *fresh.handwritten) for t in c.turns}
    ids = Counter(c.id for c in (*corpus.handwritten, *fresh.handwritten))
    for name, later in handwritten_sets.items():
        new = {fold(t.text) for c in later.handwritten for t in c.turns if not t.text.startswith("/")}
        assert sorted(new & seen) == [], name
        seen |= new
        ids.update(c.id for c in later.handwritten)
    assert [i for i, n in ids.items() if n > 1] == []
