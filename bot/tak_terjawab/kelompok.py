"""Grouping unanswered questions that ask the same thing.

A question's key is its content words: the words with the NLU's word tables applied
(`bot.nlu.normalize.tables`: slang and spelling variants, particles, "-nya"), without masks,
the word labelling a masked value ("wa [telepon]"), punctuation, question words, chat filler and
function words (the lexicon's `pertanyaan.tanya`, `umum.bukan_nama`, `umum.pengisi`,
`umum.fungsi`). Two questions belong together when their keys are similar (the mean of
rapidfuzz's token-set and token-sort ratios >= AMBANG): "kak syarat izin karaoke apa aja?" and
"izin karaoke syaratnya gimana" do, "izin tambang pasir" and "izin tambang batu" do not, and
"izin" alone does not swallow every "izin ...". A short question (one or two content words) goes
with a longer one that contains its telling words ("bisa bikin paspor di sini?" with "mau bikin
paspor buat umroh, bisa di dinas ini?"). A question with no content word at all ("??", "ok") is
compared as a whole.
"""

from __future__ import annotations

import functools
import logging
import re

from rapidfuzz import fuzz

logger = logging.getLogger(__name__)

AMBANG = 85.0
PANJANG_KHAS = 5  # letters of a word that tells what a short question is about
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r"\[[a-zA-Z ]+\]|[^\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=1)
def _kata_umum() -> frozenset[str]:
    from bot import lexicon

    words: set[str] = set()
    sections = (("pertanyaan", "tanya"), ("umum", "bukan_nama"), ("umum", "pengisi"), ("umum", "fungsi"))
    for name, key in sections:
        try:
            words |= set(lexicon.words(name, key))
        except (KeyError, OSError, ValueError):  # a lexicon without that section: fewer words dropped
            logger.warning("lexicon %s.%s not found: grouping keeps those words", name, key)
    return frozenset(words)


def _normal_words(text: str) -> list[str]:
    """Lower-case words with the NLU's word tables applied (slang and variants to the standard word,
    address particles dropped, "-nya" off a known word). The tables only, not the NLU's spaCy
    tokenizer: importing spaCy here would load TensorFlow into the follow-up worker."""
    words = _WORD.findall((text or "").casefold())
    try:
        from bot.nlu.normalize import is_known_word, tables

        t = tables()
    except Exception:  # noqa: BLE001 - grouping must work even if the word tables cannot load
        logger.warning("word tables unavailable: grouping by lower-case words")
        return words
    out: list[str] = []
    for word in words:
        if word in t.particles or word in t.dropped:
            continue
        if word not in t.replacements and word.endswith("nya") and is_known_word(word[:-3]):
            word = word[:-3]
        out.extend((t.replacements.get(word) or t.norms.get(word) or word).split())
    return out


def _without_masks(text: str) -> list[str]:
    """The words of a masked text without the masks and the words labelling them: "wa saya
    [telepon]", "email [email]" say nothing of the question."""
    common = _kata_umum()
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith("["):
            if out:
                dropped = out.pop()
                if dropped.casefold() in common and out:
                    out.pop()
            continue
        out.append(token)
    return out


def kunci(text: str) -> str:
    """The grouping key of a (masked) question."""
    words = _normal_words(" ".join(_without_masks(text or "")))
    content = [w for w in words if w not in _kata_umum()]
    return " ".join(content) if content else "~" + " ".join(words)


def mirip(a: str, b: str) -> float:
    """0-100: how alike two keys are."""
    if a.startswith("~") != b.startswith("~"):
        return 0.0
    if a.startswith("~"):
        return float(fuzz.ratio(a, b))
    # The set ratio alone would put "izin" with every "izin ...": the sort ratio weighs what differs.
    score = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    # A short question whose telling words all recur in a longer one asks about the same thing
    # ("paspor sini" and "paspor umroh dinas"); short words ("izin", "oss") tell too little alone.
    short, other = sorted((a.split(), b.split()), key=len)
    telling = {w for w in short if len(w) >= PANJANG_KHAS}
    if len(short) <= 2 and telling and telling <= set(other):
        score = max(score, AMBANG)
    return score


def paling_mirip(key: str, candidates: list[tuple[int, str]]) -> tuple[int, float] | None:
    """(id, score) of the most similar candidate at or above AMBANG, else None."""
    best: tuple[int, float] | None = None
    for group_id, other in candidates:
        score = mirip(key, other)
        if score >= AMBANG and (best is None or score > best[1]):
            best = (group_id, score)
    return best
