"""How people actually type: the style transforms of the generated corpus.

A rendered template is a list of segments; names of services and regions are protected segments
(slang never rewrites them, typos rarely touch them), the rest is the template's own wording.
Every transform takes a seeded `random.Random`, so the corpus is the same on every run.

Styles (docs/evaluation.md): plain (as written), slang (chat abbreviations, address words,
particles, lower case), typo (one or two keyboard slips), nopunct (no punctuation, lower case),
caps (ALL CAPS). `formal` and `preamble` wrap a question in a letter or a story (see corpus.py);
english / banjar / jawa / sunda are the language of the template itself.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

TRANSFORM_STYLES = ("plain", "slang", "typo", "nopunct", "caps")


@dataclass(frozen=True)
class Segment:
    text: str
    protected: bool = False  # a name from the knowledge base, a number, a code


Rendered = list[Segment]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(template: str, values: dict[str, str]) -> Rendered:
    """Fill `{placeholders}`; filled values are protected segments."""
    segments: Rendered = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            segments.append(Segment(template[position : match.start()]))
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {template!r} needs {{{key}}}")
        segments.append(Segment(values[key], protected=True))
        position = match.end()
    if position < len(template):
        segments.append(Segment(template[position:]))
    return segments


def join(segments: Rendered) -> str:
    return " ".join("".join(s.text for s in segments).split())


# --- slang ------------------------------------------------------------------------------------------
# Standard word -> how it is typed in chat (several forms: one is picked).
SLANG = {
    "yang": ("yg",),
    "saja": ("aja",),
    "berapa": ("brp", "berapa"),
    "bagaimana": ("gimana", "gmn", "gmana"),
    "tidak": ("gak", "ga", "nggak", "tdk"),
    "sudah": ("udah", "udh", "sdh"),
    "untuk": ("utk", "buat"),
    "dengan": ("dgn", "sama"),
    "saya": ("sy", "aku", "saya"),
    "mau": ("mo", "mw", "mau"),
    "bisa": ("bs", "bisa"),
    "kalau": ("kalo", "klo", "kl"),
    "terus": ("trus", "trs"),
    "juga": ("jg",),
    "tolong": ("tlg",),
    "apakah": ("apa",),
    "seperti": ("kayak", "kyk"),
    "sekarang": ("skrg",),
    "tahu": ("tau",),
    "hari": ("hr", "hari"),
    "harus": ("hrs", "mesti"),
    "mengurus": ("ngurus", "urus"),
    "membuat": ("bikin", "buat"),
    "mengajukan": ("ngajuin", "ajuin"),
    "menyiapkan": ("nyiapin", "siapin"),
    "informasi": ("info",),
    "mohon": ("mhn", "mohon"),
    "terima kasih": ("makasih", "mksh", "trims"),
    "lagi": ("lg",),
    "dong": ("dong", "donk"),
    "sih": ("sih", "si"),
}
ADDRESS = ("kak", "min", "gan", "pak", "bu", "mbak", "bang", "sis")
PARTICLES = ("ya", "dong", "sih", "kak", "min", "ya kak", "yaa")
_SLANG_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SLANG), key=len, reverse=True)) + r")\b")


def slang(segments: Rendered, rng: random.Random) -> Rendered:
    def replace(match: re.Match) -> str:
        forms = SLANG[match.group(1)]
        return rng.choice(forms) if rng.random() < 0.75 else match.group(1)

    out: Rendered = []
    for seg in segments:
        if seg.protected:
            out.append(Segment(seg.text.lower() if rng.random() < 0.5 else seg.text, True))
        else:
            out.append(Segment(_SLANG_RE.sub(replace, seg.text.lower())))
    text = join(out).lower()
    first = text.split(" ", 1)[0] if text else ""
    if rng.random() < 0.5 and first not in ADDRESS:
        out.insert(0, Segment(rng.choice(ADDRESS) + " "))
    if rng.random() < 0.5:
        last = out[-1]
        if not last.protected and last.text.rstrip().endswith("?"):
            ending = rng.choice(("??", "", " ya?", "?"))
            out[-1] = Segment(last.text.rstrip()[:-1].rstrip() + ending)
        elif not any(join(out).rstrip(" ?").endswith(p) for p in PARTICLES):
            out.append(Segment(" " + rng.choice(PARTICLES)))
    return out


# --- typos --------------------------------------------------------------------------------------------
_NEIGHBOURS = {
    "a": "sqw", "b": "vnh", "c": "xvd", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht", "h": "gjy",
    "i": "uok", "j": "hku", "k": "jli", "l": "kop", "m": "nj", "n": "bmh", "o": "ipl", "p": "ol",
    "q": "wa", "r": "etf", "s": "adw", "t": "ryg", "u": "yij", "v": "cbf", "w": "qes", "x": "zcs",
    "y": "tuh", "z": "xa",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
_VOWELS = "aiueo"


def _slip(word: str, rng: random.Random) -> str:
    """One keyboard slip inside a word (never its first letter)."""
    i = rng.randrange(1, len(word))
    kind = rng.choice(("drop", "swap", "double", "neighbour"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "neighbour" and word[i].lower() in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[word[i].lower()]) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _mild_slip(word: str, rng: random.Random) -> str:
    """A slip that keeps a name readable: a doubled last letter or a dropped inner vowel."""
    inner = [i for i in range(1, len(word) - 1) if word[i].lower() in _VOWELS]
    if inner and rng.random() < 0.5:
        i = rng.choice(inner)
        return word[:i] + word[i + 1 :]
    return word + word[-1]


def typo(segments: Rendered, rng: random.Random) -> Rendered:
    spots = [
        (n, m.start(), m.end())
        for n, seg in enumerate(segments)
        if not seg.protected
        for m in _WORD.finditer(seg.text)
        if len(m.group()) >= 4
    ]
    chosen = rng.sample(spots, min(len(spots), rng.choice((1, 2))))
    name_spots = [
        (n, m.start(), m.end())
        for n, seg in enumerate(segments)
        if seg.protected
        for m in _WORD.finditer(seg.text)
        if len(m.group()) >= 7 and not m.group().isupper()
    ]
    if name_spots and rng.random() < 0.3:
        chosen.append(rng.choice(name_spots))
    texts = [seg.text for seg in segments]
    for n, start, end in sorted(chosen, key=lambda spot: (spot[0], -spot[1])):
        word = texts[n][start:end]
        slipped = _mild_slip(word, rng) if segments[n].protected else _slip(word, rng)
        texts[n] = texts[n][:start] + slipped + texts[n][end:]
    return [Segment(t, seg.protected) for t, seg in zip(texts, segments, strict=True)]


def nopunct(segments: Rendered) -> Rendered:
    return [Segment(re.sub(r"[?!.,;:]+", " ", seg.text).lower(), seg.protected) for seg in segments]


def caps(segments: Rendered) -> Rendered:
    return [Segment(seg.text.upper(), seg.protected) for seg in segments]


def apply(style: str, segments: Rendered, rng: random.Random) -> str:
    """The message text of `segments` typed in `style` (one of TRANSFORM_STYLES)."""
    if style == "slang":
        segments = slang(segments, rng)
    elif style == "typo":
        segments = typo(segments, rng)
    elif style == "nopunct":
        segments = nopunct(segments)
    elif style == "caps":
        segments = caps(segments)
    elif style != "plain":
        raise ValueError(f"unknown style {style!r}")
    return join(segments)


def sentence(text: str) -> str:
    """A question as the sentence of a letter: capital first letter, one final mark."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in "?.!" else text + "?"
