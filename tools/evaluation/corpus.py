"""The development corpus: generated, deterministically, from committed data at evaluation time.

Inputs (all committed): the templates in tests/eval/templates/*.yml, the hand-written
conversations in tests/eval/conversations/*.yml, the sample applications (CSV), and the knowledge
base (names, aliases, components, regions; read through `KnowledgeFacts`). Output: conversations of
turns, each with a `kind` and a `style`, split into train / dev / test:

- every standard belongs to one split: standards that must be asked about together (the same
  service in two regions, the candidates of an ambiguous phrase, a family whose follow-ups switch
  between its members, a threshold pair, the standards of one hand-written conversation) form a
  group, and groups are dealt to the splits by a seeded hash, spreading the scarce ones (several
  regions, an empty component, a threshold, an exact title) over dev and test first;
- every template (and every preamble, story, out-of-scope subject) belongs to one split, dealt by a
  seeded hash within its pool;
- a generated turn belongs to a split only when its template and its standard(s) belong to it, so
  the test split has phrasings and standards that training never saw. Turns without a standard
  (office-level, out of scope, small talk, staff sector filters, application numbers) split by
  template only; templates written for one threshold pair follow the pair.

The fresh held-out sets (tests/eval/fresh/, fresh2/, fresh3/ and fresh4/, `fresh_corpus`) are further
corpora whose templates and conversations are all held out, over this corpus's test standards.

Nothing generated is committed. docs/evaluation.md describes kinds, styles and the answer contract.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from tools.evaluation.facts import KnowledgeFacts
from tools.evaluation.model import KOMPONEN_INTENT, Conversation, Turn, load_conversations
from tools.evaluation.names import NameIndex
from tools.evaluation.styles import TRANSFORM_STYLES, apply, join, render, sentence
from tools.evaluation.text import component_lines, fold, stable_int

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "eval"
TEMPLATES_DIR = EVAL_DIR / "templates"
CONVERSATIONS_DIR = EVAL_DIR / "conversations"
SPLITS = ("train", "dev", "test")
# The fresh held-out set: templates and conversations written later by someone who had not seen the
# assistant's errors, over the main corpus's test standards (docs/evaluation.md, "The sets").
FRESH_DIR = EVAL_DIR / "fresh"
FRESH = "fresh"
# The second fresh set: hand-written conversations only, written 2026-12-02 by someone who had read
# neither the assistant's code nor its errors, once both halves of the first had been read.
FRESH2_DIR = EVAL_DIR / "fresh2"
FRESH2 = "fresh2"
# The third fresh set: written the same way on 2026-12-02 by another outside writer, when half A of
# the second had been read; read by its numbers per kind only.
FRESH3_DIR = EVAL_DIR / "fresh3"
FRESH3 = "fresh3"
# The fourth fresh set: written the same way on 2026-12-02 by a third outside writer, when the
# third had been read; measured before and after that session's changes, its turns unread.
FRESH4_DIR = EVAL_DIR / "fresh4"
FRESH4 = "fresh4"
HELD_OUT_SETS = {FRESH: FRESH_DIR, FRESH2: FRESH2_DIR, FRESH3: FRESH3_DIR, FRESH4: FRESH4_DIR}

KOMPONEN_LAYANAN = ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan", "dasar_hukum")
KOMPONEN_INTERNAL = (
    "sarana",
    "kompetensi",
    "pengawasan",
    "jumlah_pelaksana",
    "jaminan",
    "jaminan_keamanan",
    "evaluasi",
)
# Kinds a turn can have (the rows of `make eval`'s table); KINDS_REQUIRED must reach the minimum
# count in dev and test.
KINDS = (
    *(f"komponen/{k}" for k in KOMPONEN_LAYANAN),
    "komponen/internal",
    "ringkasan",
    "preamble",
    "office_level",
    "detail",
    "detail_absent",
    "threshold",
    "english",
    "regional",
    "followup_context",
    "followup_related",
    "followup_switch",
    "region_switch",
    "disambiguation",
    "exact_title",
    "honesty",
    "out_of_scope",
    "staff",
    "application_number",
    "kontak",
    "smalltalk",
)


VERB_ALIASES = ("buka ", "buat ", "bikin ")


def komponen_kind(key: str) -> str:
    return f"komponen/{key}" if key in KOMPONEN_LAYANAN else "komponen/internal"


def komponen_intent(key: str) -> str:
    return KOMPONEN_INTENT.get(key, "ask_komponen_internal")


# --- templates ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    id: str
    text: str
    komponen: Optional[str] = None
    register: str = "netral"  # netral (any style, letters too) | chat (not in a formal letter)
    extra: dict = field(default_factory=dict)

    @staticmethod
    def of(raw: dict, **defaults: Any) -> Template:
        raw = {**defaults, **raw}
        known = {"id", "text", "komponen", "register"}
        return Template(
            id=str(raw["id"]),
            text=str(raw["text"]),
            komponen=raw.get("komponen"),
            register=str(raw.get("register") or "netral"),
            extra={k: v for k, v in raw.items() if k not in known},
        )


def _read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


class Catalog:
    """Every template file of tests/eval/templates, read once."""

    def __init__(self, folder: Path = TEMPLATES_DIR):
        self.folder = folder
        self.data = {p.stem: _read_yaml(p) for p in sorted(folder.glob("*.yml"))}

    def section(self, file: str, key: str, default: Any = None) -> Any:
        return self.data.get(file, {}).get(key, default)

    def templates(self, file: str, key: str, **defaults: Any) -> list[Template]:
        return [Template.of(raw, **defaults) for raw in self.section(file, key, [])]

    def komponen_templates(self) -> dict[str, list[Template]]:
        section = self.section("komponen", "komponen", {})
        return {key: [Template.of(raw, komponen=key) for raw in raws] for key, raws in section.items()}

    def every_template(self) -> list[tuple[str, Template]]:
        """(file, template) for every template with an id (for the held-out checks)."""
        found = []

        def walk(file: str, node: Any) -> None:
            if isinstance(node, dict):
                if "id" in node and "text" in node:
                    found.append((file, Template.of(node)))
                    return
                for value in node.values():
                    walk(file, value)
            elif isinstance(node, list):
                for value in node:
                    walk(file, value)

        for file, data in self.data.items():
            walk(file, data)
        return found


# --- splitting -----------------------------------------------------------------------------------------
class Splitter:
    """Seeded, deterministic assignment of templates and standard groups to splits."""

    def __init__(self, seed: int, shares: dict[str, float]):
        self.seed = seed
        self.shares = shares

    def deal(self, pool: str, ids: Iterable[str]) -> dict[str, str]:
        """Each id of a pool to one split: ordered by a seeded hash, the first share to test, the
        next to dev, the rest to train; a pool of three or more gives each split at least one."""
        order = sorted(dict.fromkeys(ids), key=lambda i: stable_int(self.seed, pool, i))
        n = len(order)
        if n == 0:
            return {}
        if n < 3:
            return dict(zip(order, ("test", "dev")[:n], strict=True))
        n_test = max(1, round(n * self.shares["test"]))
        n_dev = max(1, round(n * self.shares["dev"]))
        while n_test + n_dev > n - 1:
            if n_dev >= n_test and n_dev > 1:
                n_dev -= 1
            else:
                n_test -= 1
        return {
            i: ("test" if k < n_test else "dev" if k < n_test + n_dev else "train")
            for k, i in enumerate(order)
        }

    def deal_groups(self, groups: list[tuple[frozenset[str], frozenset[str]]]) -> dict[str, str]:
        """Standard groups (members, tags) to splits. Groups with scarce tags go first, each to the
        split that lacks that tag most (dev and test before train); then sizes follow the shares."""
        tag_total = Counter(t for _, tags in groups for t in tags)
        tag_share = {"test": 0.4, "dev": 0.4, "train": 0.2}
        tag_have: dict[str, Counter] = {s: Counter() for s in SPLITS}
        size_have: Counter = Counter()
        total = sum(len(members) for members, _ in groups) or 1
        order = sorted(groups, key=lambda g: (-len(g[1]), stable_int(self.seed, "group", *sorted(g[0]))))
        result: dict[str, str] = {}
        for members, tags in order:

            def score(split: str, tags: frozenset[str] = tags) -> float:
                tag_gap = sum(tag_share[split] * tag_total[t] - tag_have[split][t] for t in tags)
                size_gap = (self.shares[split] * total - size_have[split]) / total
                return 3.0 * tag_gap + size_gap

            best = max(("test", "dev", "train"), key=score)
            for t in tags:
                tag_have[best][t] += 1
            size_have[best] += len(members)
            for sid in members:
                result[sid] = best
        return result


class HeldOutSplitter(Splitter):
    """Every template of a held-out folder (the fresh set) belongs to the test part."""

    def deal(self, pool: str, ids: Iterable[str]) -> dict[str, str]:
        return dict.fromkeys(ids, "test")


def turn_standards(turn: Turn) -> set[str]:
    """Standard ids a turn refers to (expectations included)."""
    found: set[str] = set()
    if isinstance(turn.layanan, str) and turn.layanan != "none":
        found.add(turn.layanan)
    elif isinstance(turn.layanan, list):
        found.update(turn.layanan)
    answer = turn.answer
    if answer.get("standard"):
        found.add(answer["standard"])
    found.update(answer.get("pilihan") or ())
    found.update((answer.get("compare") or {}).get("standards") or ())
    return found


def conversation_standards(conversation: Conversation) -> set[str]:
    return {*conversation.standards, *(sid for t in conversation.turns for sid in turn_standards(t))}


# --- the generator ---------------------------------------------------------------------------------------
@dataclass
class _Draft:
    """A conversation being built."""

    kind: str
    source: list[str]
    turns: list[Turn] = field(default_factory=list)


class Corpus:
    """The generated corpus over the knowledge base behind `facts`.

    With `standard_split` (another corpus's, e.g. `main.standard_split`) the corpus is a held-out
    set over that split: every template and hand-written conversation of its folders belongs to
    the test part, so `conversations("test")` holds all of them, over those test standards only
    (plus the turns without a standard). `name` prefixes its conversation ids and is their split.
    """

    def __init__(
        self,
        facts: KnowledgeFacts,
        templates_dir: Path = TEMPLATES_DIR,
        conversations_dir: Path = CONVERSATIONS_DIR,
        seed: Optional[int] = None,
        standard_split: Optional[dict[str, str]] = None,
        name: Optional[str] = None,
    ):
        self.facts = facts
        self.held_out = standard_split is not None
        self.name = name
        self.catalog = Catalog(templates_dir)
        self.conversations_dir = conversations_dir
        config = self.catalog.data.get("corpus", {})
        self.seed = int(seed if seed is not None else config.get("seed", 1))
        self.shares = dict(config.get("shares") or {"train": 0.4, "dev": 0.3, "test": 0.3})
        self.quota = dict(config.get("quota") or {"train": 40, "dev": 28, "test": 28})
        self.quota_kind = dict(config.get("quota_kind") or {})
        self.splitter = (HeldOutSplitter if self.held_out else Splitter)(self.seed, self.shares)
        self.standards = facts.standards()
        self.names = NameIndex(self.standards, facts.regions())
        self.handwritten = self._load_handwritten()
        self.standard_split = dict(standard_split) if standard_split is not None else self._split_standards()
        self._cache: dict[str, list[Conversation]] = {}

    # --- splits -------------------------------------------------------------------------------------
    def _load_handwritten(self) -> list[Conversation]:
        conversations = []
        if self.conversations_dir.is_dir():
            for path in sorted(self.conversations_dir.glob("*.yml")):
                conversations += load_conversations(path, split="")
        return conversations

    def families(self) -> list[dict]:
        return list(self.catalog.section("followup", "keluarga", []))

    def ambiguous_phrases(self) -> list[dict]:
        return list(self.catalog.section("disambiguation", "frasa", []))

    def threshold_pairs(self) -> list[dict]:
        return list(self.catalog.section("threshold", "pasangan", []))

    def _split_standards(self) -> dict[str, str]:
        parent = {s.id: s.id for s in self.standards}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(ids: Iterable[str]) -> None:
            ids = [i for i in ids if i in parent]
            for other in ids[1:]:
                parent[find(other)] = find(ids[0])

        for s in self.standards:
            union([s.id, *self.names.same_service_elsewhere(s.id)])
        for phrase in self.ambiguous_phrases():
            union(self.names.candidates(phrase["text"]))
        family_ids = set()
        for family in self.families():
            if family.get("gabung", True):
                union([m["id"] for m in family["anggota"]])
                family_ids.update(m["id"] for m in family["anggota"])
        for pair in self.threshold_pairs():
            union(pair["standards"])
        for conversation in self.handwritten:
            union(sorted(conversation_standards(conversation)))
        members: dict[str, set[str]] = defaultdict(set)
        for s in self.standards:
            members[find(s.id)].add(s.id)
        threshold_ids = {sid for pair in self.threshold_pairs() for sid in pair["standards"]}
        groups = []
        for ids in members.values():
            tags = set()
            group = [self.facts.standard(i) for i in ids]
            if len({s.wilayah for s in group}) > 1:
                tags.add("multi_region")
            if any(c.is_empty for s in group for c in s.komponen.values()):
                tags.add("honesty")
            if ids & threshold_ids:
                tags.add("threshold")
            if any(self.names.exact_titles(i) for i in ids):
                tags.add("exact")
            if ids & family_ids:
                tags.add("family")
            groups.append((frozenset(ids), frozenset(tags)))
        return self.splitter.deal_groups(groups)

    def template_split(self, pool: str, templates: list[Template]) -> dict[str, str]:
        return self.splitter.deal(pool, [t.id for t in templates])

    def in_split(self, pool: str, templates: list[Template], split: str) -> list[Template]:
        assignment = self.template_split(pool, templates)
        return [t for t in templates if assignment.get(t.id) == split]

    def standards_in(self, split: str) -> list[Any]:
        return [s for s in self.standards if self.standard_split[s.id] == split]

    def texts_in(self, pool: str, texts: list[str], split: str) -> list[str]:
        assignment = self.splitter.deal(pool, texts)
        return [t for t in texts if assignment.get(t) == split]

    # --- public ---------------------------------------------------------------------------------------
    def conversations(self, split: str) -> list[Conversation]:
        """Every conversation of a split (train, dev, test), generated and hand-written."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r} (train, dev, test)")
        if self.held_out and split != "test":
            return []  # a held-out set has nothing to train or tune on
        if split not in self._cache:
            self._cache[split] = self._generate(split)
        return self._cache[split]

    def handwritten_split(self, conversation: Conversation) -> str:
        ids = sorted(conversation_standards(conversation))
        if ids:
            return self.standard_split[ids[0]]
        return self.splitter.deal("handwritten", [c.id for c in self.handwritten])[conversation.id]

    def quota_for(self, kind: str, split: str) -> int:
        per_kind = self.quota_kind.get(kind) or {}
        return int(per_kind.get(split, self.quota[split]) if isinstance(per_kind, dict) else per_kind)

    # --- generation -----------------------------------------------------------------------------------
    def _generate(self, split: str) -> list[Conversation]:
        drafts: list[_Draft] = []
        builders = (
            self._komponen, self._honesty, self._ringkasan, self._preamble, self._detail, self._office,
            self._english, self._regional, self._followup_context, self._followup_related,
            self._followup_switch, self._region_switch, self._disambiguation, self._exact_title,
            self._out_of_scope, self._staff, self._application_number, self._threshold, self._kontak,
            self._smalltalk,
        )  # fmt: skip
        for builder in builders:
            rng = random.Random(stable_int(self.seed, builder.__name__, split))
            drafts += builder(split, rng)
        conversations: list[Conversation] = []
        seen: set[str] = set()
        label = self.name or split
        prefix = f"{self.name}-" if self.name else ""
        for n, draft in enumerate(drafts):
            key = " | ".join(fold(t.text) for t in draft.turns)
            if key in seen:
                continue
            seen.add(key)
            conversations.append(
                Conversation(
                    f"{prefix}{split}-{draft.kind}-{n:04d}", tuple(draft.turns), label, "+".join(draft.source)
                )
            )
        for conversation in self.handwritten:
            if self.handwritten_split(conversation) == split:
                source = f"conversations/{conversation.source}#{conversation.id}"
                conversations.append(
                    Conversation(conversation.id, conversation.turns, label, source, conversation.standards)
                )
        return conversations

    # --- shared pieces -------------------------------------------------------------------------------
    def _styles(
        self, kind: str, template: Template, n: int, allowed: tuple[str, ...] = TRANSFORM_STYLES
    ) -> str:
        """The n-th instance's style, rotating through the allowed ones from a seeded offset."""
        offset = stable_int(self.seed, "style", kind, template.id) % len(allowed)
        return allowed[(offset + n) % len(allowed)]

    def _name(self, sid: str, rng: random.Random, region_chance: float = 0.12) -> tuple[str, Optional[str]]:
        """A way to name a standard in a message, and the region it names (if any)."""
        standard = self.facts.standard(sid)
        names = self.names.plain_names(sid)
        # Aliases that start with a verb ("buka cabang koperasi") read badly after "mau bikin".
        nouns = [n for n in names if not n[0].lower().startswith(VERB_ALIASES)] or list(names)
        name, needs_region = rng.choice(nouns)
        if name == standard.nama and rng.random() < 0.5:
            name = name.lower()
        if needs_region or rng.random() < region_chance:
            region = rng.choice(self.names.region_names(standard.wilayah))
            pattern = rng.choice(("{n} di {r}", "{n} {r}", "{n} di {r}"))
            return pattern.format(n=name, r=region), standard.wilayah
        return name, None

    def _nameable(self, standards: list[Any]) -> list[Any]:
        return [s for s in standards if self.names.plain_names(s.id)]

    @staticmethod
    def _pairs(
        rng: random.Random,
        templates: list[Any],
        subjects: list[Any],
        quota: int,
        valid: Optional[Callable[[Any, Any], bool]] = None,
        rounds: int = 1,
    ) -> list[tuple[Any, Any]]:
        """Up to `quota` (template, subject) pairs: every subject in turn (seeded order) takes the
        least used template it fits; a pair is used at most `rounds` times (few combinations are
        repeated with other styles and first turns)."""
        if not templates or not subjects or quota <= 0:
            return []
        ts, ss = list(templates), list(subjects)
        rng.shuffle(ts)
        rng.shuffle(ss)
        fits = [[valid is None or valid(t, x) for t in ts] for x in ss]
        used_t = [0] * len(ts)
        taken: Counter = Counter()
        chosen: list[tuple[Any, Any]] = []
        for round_ in range(len(ts) * rounds):
            progress = False
            for si in range(len(ss)):
                options = [ti for ti in range(len(ts)) if fits[si][ti] and taken[ti, si] < rounds]
                if not options:
                    continue
                ti = min(options, key=lambda i: (used_t[i], taken[i, si], (i - si - round_) % len(ts)))
                taken[ti, si] += 1
                used_t[ti] += 1
                chosen.append((ts[ti], ss[si]))
                progress = True
                if len(chosen) >= quota:
                    return chosen
            if not progress:
                break
        return chosen

    def _question(self, template: Template, values: dict[str, str], style: str, rng: random.Random) -> str:
        return apply(style, render(template.text, values), rng)

    def _komponen_turn(
        self, split: str, rng: random.Random, sid: str, key: str, template: Template, style: str, kind: str
    ) -> Turn:
        name, region = self._name(sid, rng)
        text = self._question(template, {"layanan": name}, style, rng)
        answer: dict[str, Any] = {"standard": sid, "komponen": key}
        if self.facts.standard(sid).komponen[key].is_empty:
            answer["kosong"] = True
        return Turn(text, komponen_intent(key), sid, region, answer, kind, style)

    def _opening(
        self, split: str, rng: random.Random, sid: str, keys: tuple[str, ...]
    ) -> Optional[tuple[Turn, str]]:
        """A first question about `sid` (a component it has), for the follow-up kinds."""
        by_key = self.catalog.komponen_templates()
        options = [k for k in keys if not self.facts.standard(sid).komponen[k].is_empty]
        if not options:
            return None
        key = rng.choice(options)
        templates = self.in_split(f"komponen/{key}", by_key.get(key, []), split)
        if not templates:
            return None
        template = rng.choice(templates)
        style = rng.choice(TRANSFORM_STYLES)
        return self._komponen_turn(split, rng, sid, key, template, style, komponen_kind(key)), template.id

    # --- builders: one service, one component -----------------------------------------------------------
    def _komponen(self, split: str, rng: random.Random) -> list[_Draft]:
        drafts = []
        by_key = self.catalog.komponen_templates()
        internal_quota = self.quota_for("komponen/internal", split)
        for key in (*KOMPONEN_LAYANAN, *KOMPONEN_INTERNAL):
            kind = komponen_kind(key)
            quota = self.quota_for(kind, split)
            if key in KOMPONEN_INTERNAL:
                quota = -(-internal_quota // len(KOMPONEN_INTERNAL))
            templates = self.in_split(f"komponen/{key}", by_key.get(key, []), split)
            subjects = [s for s in self._nameable(self.standards_in(split)) if not s.komponen[key].is_empty]
            for n, (template, standard) in enumerate(self._pairs(rng, templates, subjects, quota)):
                style = self._styles(kind, template, n)
                turn = self._komponen_turn(split, rng, standard.id, key, template, style, kind)
                drafts.append(_Draft(kind, [template.id], [turn]))
        return drafts

    def _honesty(self, split: str, rng: random.Random) -> list[_Draft]:
        """Components empty in the source, asked directly (every style) and as a follow-up."""
        drafts: list[_Draft] = []
        by_key = self.catalog.komponen_templates()
        konteks = self.in_split("followup/konteks", self.catalog.templates("followup", "konteks"), split)
        empty = [
            (s.id, k)
            for s in self._nameable(self.standards_in(split))
            for k, c in s.komponen.items()
            if c.is_empty
        ]
        if not empty:
            return drafts
        per = -(-self.quota_for("honesty", split) // len(empty))
        for sid, key in empty:
            made = 0
            follow = [t for t in konteks if t.komponen == key]
            for n in range(3 * len(follow)):
                if made >= per // 2:
                    break
                template = follow[n % len(follow)]
                others = tuple(k for k in KOMPONEN_LAYANAN if k != key)
                opening = self._opening(split, rng, sid, others)
                if opening is None:
                    break
                first, first_id = opening
                style = self._styles("honesty", template, n)
                text = self._question(template, {}, style, rng)
                answer = {"standard": sid, "komponen": key, "kosong": True}
                turn = Turn(text, komponen_intent(key), "none", None, answer, "honesty", style)
                drafts.append(_Draft("honesty", [first_id, template.id], [first, turn]))
                made += 1
            templates = self.in_split(f"komponen/{key}", by_key.get(key, []), split)
            for round_ in range(len(TRANSFORM_STYLES)):
                for template in templates:
                    if made >= per:
                        break
                    style = self._styles("honesty", template, round_)
                    turn = self._komponen_turn(split, rng, sid, key, template, style, "honesty")
                    drafts.append(_Draft("honesty", [template.id], [turn]))
                    made += 1
        return drafts

    def _ringkasan(self, split: str, rng: random.Random) -> list[_Draft]:
        templates = self.in_split("ringkasan", self.catalog.templates("komponen", "ringkasan"), split)
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        for n, (template, standard) in enumerate(
            self._pairs(rng, templates, subjects, self.quota_for("ringkasan", split))
        ):
            style = self._styles("ringkasan", template, n)
            name, region = self._name(standard.id, rng)
            text = self._question(template, {"layanan": name}, style, rng)
            answer = {"standard": standard.id, "ringkasan": True}
            drafts.append(
                _Draft(
                    "ringkasan",
                    [template.id],
                    [Turn(text, "ask_ringkasan", standard.id, region, answer, "ringkasan", style)],
                )
            )
        return drafts

    def _preamble(self, split: str, rng: random.Random) -> list[_Draft]:
        """A component question inside a formal letter or a long message with greeting,
        self-introduction and a story; the question part must decide."""
        parts = self.catalog.data.get("preamble", {})
        sapaan = self.texts_in("preamble/sapaan", list(parts.get("sapaan", [])), split)
        formal_frames = self.texts_in("preamble/formal", list(parts.get("formal", [])), split)
        casual_frames = self.texts_in("preamble/santai", list(parts.get("santai", [])), split)
        by_key = self.catalog.komponen_templates()
        pool = [
            (t, key)
            for key in KOMPONEN_LAYANAN
            for t in self.in_split(f"komponen/{key}", by_key.get(key, []), split)
        ]
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        pairs = self._pairs(rng, pool, subjects, self.quota_for("preamble", split))
        for n, ((template, key), standard) in enumerate(pairs):
            if standard.komponen[key].is_empty:
                continue
            formal = template.register == "netral" and n % 2 == 0 and formal_frames
            frame = rng.choice(formal_frames if formal else casual_frames)
            name, region = self._name(standard.id, rng, region_chance=0.0)
            question = sentence(join(render(template.text, {"layanan": name})))
            values, region_named = self._preamble_values(split, rng, standard, sapaan, formal=bool(formal))
            values["pertanyaan"] = question
            values["tanya"] = question[0].lower() + question[1:]
            text = "\n".join(" ".join(line.split()) for line in frame.format(**values).split("\n"))
            style = "formal" if formal else "preamble"
            answer = {"standard": standard.id, "komponen": key}
            wilayah = region or region_named
            drafts.append(
                _Draft(
                    "preamble",
                    [template.id],
                    [Turn(text, komponen_intent(key), standard.id, wilayah, answer, "preamble", style)],
                )
            )
        return drafts

    def _preamble_values(
        self, split: str, rng: random.Random, standard: Any, sapaan: list[str], formal: bool
    ) -> tuple[dict[str, str], Optional[str]]:
        parts = self.catalog.data.get("preamble", {})

        def pick(section: str) -> str:
            by_sector = parts.get(section, {})
            every = [text for texts in by_sector.values() for text in texts]
            mine = set(self.texts_in(f"preamble/{section}", every, split))
            options = [
                t for t in (*by_sector.get(standard.sektor, []), *by_sector.get("umum", [])) if t in mine
            ]
            return rng.choice(options)

        people = list(parts.get("nama", ["Rina"]))
        region_form = rng.choice(self.names.region_names(standard.wilayah))
        intro, story = pick("perkenalan"), pick("cerita")
        named = "{wilayah}" in intro or "{wilayah}" in story
        values = {
            "sapaan": rng.choice(sapaan) if sapaan else "Halo",
            "nama": rng.choice(people),
            "wilayah": region_form,
        }
        values["perkenalan"] = intro.format(**values)
        values["cerita"] = story.format(**values)
        values["Perkenalan"] = _capital(values["perkenalan"])
        values["Cerita"] = _capital(values["cerita"])
        return values, (standard.wilayah if named else None)

    def _detail(self, split: str, rng: random.Random) -> list[_Draft]:
        """Questions answered by one line of a component (detail), and yes/no questions about a
        document the standard does not mention at all (detail_absent)."""
        dokumen = list(self.catalog.section("detail", "dokumen", []))
        tanya = self.in_split(
            "detail/tanya_dokumen", self.catalog.templates("detail", "tanya_dokumen"), split
        )
        fixed = self.in_split("detail/detail", self.catalog.templates("detail", "detail"), split)
        subjects = self._nameable(self.standards_in(split))
        present, absent = [], []
        for standard in subjects:
            for doc in dokumen:
                lines = self.facts.matching_lines(standard.id, "persyaratan", doc["match"])
                if len(lines) == 1:
                    present.append((standard, doc))
                elif not self.facts.mentions(standard.id, doc.get("ada") or doc["match"]):
                    absent.append((standard, doc))
        fixed_subjects = [
            (standard, t)
            for t in fixed
            for standard in subjects
            if len(self.facts.matching_lines(standard.id, t.komponen, t.extra["match"])) == 1
        ]
        drafts = []
        quota = self.quota_for("detail", split)
        half = quota // 2
        for n, (template, (standard, doc)) in enumerate(self._pairs(rng, tanya, present, half)):
            style = self._styles("detail", template, n)
            name, region = self._name(standard.id, rng)
            text = self._question(
                template, {"layanan": name, "dokumen": rng.choice(doc["sebut"])}, style, rng
            )
            answer = {"standard": standard.id, "detail": {"komponen": "persyaratan", "match": doc["match"]}}
            drafts.append(
                _Draft(
                    "detail",
                    [template.id],
                    [Turn(text, None, standard.id, region, answer, "detail", style)],
                )
            )
        fitting = {(template.id, standard.id) for standard, template in fixed_subjects}
        fixed_pairs = self._pairs(
            rng, fixed, subjects, quota - half, valid=lambda t, x: (t.id, x.id) in fitting
        )
        for count, (template, standard) in enumerate(fixed_pairs):
            style = self._styles("detail", template, count)
            name, region = self._name(standard.id, rng)
            text = self._question(template, {"layanan": name}, style, rng)
            answer = {
                "standard": standard.id,
                "detail": {"komponen": template.komponen, "match": template.extra["match"]},
            }
            drafts.append(
                _Draft(
                    "detail", [template.id], [Turn(text, None, standard.id, region, answer, "detail", style)]
                )
            )
        for n, (template, (standard, doc)) in enumerate(
            self._pairs(rng, tanya, absent, self.quota_for("detail_absent", split))
        ):
            style = self._styles("detail_absent", template, n)
            name, region = self._name(standard.id, rng)
            text = self._question(
                template, {"layanan": name, "dokumen": rng.choice(doc["sebut"])}, style, rng
            )
            answer = {"standard": standard.id, "absent": doc.get("ada") or doc["match"]}
            drafts.append(
                _Draft(
                    "detail_absent",
                    [template.id],
                    [Turn(text, None, standard.id, region, answer, "detail_absent", style)],
                )
            )
        return drafts

    # --- builders: the office, not a service --------------------------------------------------------------
    def _office(self, split: str, rng: random.Random) -> list[_Draft]:
        templates = self.in_split("office", self.catalog.templates("office", "office"), split)
        regions = [r.id for r in self.facts.regions()]
        valid = []
        for template in templates:
            for region in regions:
                try:
                    self.facts.office_line(region, template.komponen, template.extra.get("match"))
                except ValueError:
                    continue
                valid.append((template, region))
        drafts = []
        fitting = {(template.id, region) for template, region in valid}
        pairs = self._pairs(
            rng,
            templates,
            regions,
            self.quota_for("office_level", split),
            valid=lambda t, r: (t.id, r) in fitting,
            rounds=3,
        )
        for count, (template, region) in enumerate(pairs):
            style = self._styles("office_level", template, count)
            form = rng.choice(self.names.region_names(region))
            text = self._question(template, {"wilayah": form}, style, rng)
            answer = {
                "office": {
                    "wilayah": region,
                    "komponen": template.komponen,
                    "match": template.extra.get("match"),
                }
            }
            drafts.append(
                _Draft(
                    "office_level",
                    [template.id],
                    [Turn(text, None, "none", region, answer, "office_level", style)],
                )
            )
        return drafts

    def _kontak(self, split: str, rng: random.Random) -> list[_Draft]:
        templates = self.in_split("kontak", self.catalog.templates("smalltalk", "kontak"), split)
        regions = [r.id for r in self.facts.regions()]
        drafts = []
        for n, (template, region) in enumerate(
            self._pairs(rng, templates, regions, self.quota_for("kontak", split), rounds=4)
        ):
            style = self._styles("kontak", template, n)
            text = self._question(
                template, {"wilayah": rng.choice(self.names.region_names(region))}, style, rng
            )
            drafts.append(
                _Draft(
                    "kontak",
                    [template.id],
                    [
                        Turn(
                            text,
                            template.extra.get("intent", "human_handoff"),
                            "none",
                            region,
                            {"kontak": region},
                            "kontak",
                            style,
                        )
                    ],
                )
            )
        return drafts

    # --- builders: languages --------------------------------------------------------------------------
    def _english(self, split: str, rng: random.Random) -> list[_Draft]:
        english_names = self.catalog.section("english", "nama", {}) or {}
        templates = [
            Template.of(raw, komponen=key)
            for key, raws in (self.catalog.section("english", "komponen", {}) or {}).items()
            for raw in raws
        ]
        templates = self.in_split("english", templates, split)
        followups = self.in_split("english/lanjutan", self.catalog.templates("english", "lanjutan"), split)
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        quota = self.quota_for("english", split)
        pairs = self._pairs(rng, templates, subjects, quota)
        turns_made = 0
        for n, (template, standard) in enumerate(pairs):
            if turns_made >= quota:
                break
            key = template.komponen
            if standard.komponen[key].is_empty:
                continue
            own = english_names.get(standard.id) or []
            if own and rng.random() < 0.7:
                name, region = rng.choice(own), None
                if self.names.same_service_elsewhere(standard.id):
                    name, region = (
                        f"{name} in {rng.choice(self.names.region_names(standard.wilayah))}",
                        standard.wilayah,
                    )
            else:
                name, region = self._name(standard.id, rng, region_chance=0.0)
            text = apply("plain", render(template.text, {"layanan": name}), rng)
            answer = {"standard": standard.id, "komponen": key}
            turns = [Turn(text, komponen_intent(key), standard.id, region, answer, "english", "english")]
            source = [template.id]
            options = [
                f for f in followups if f.komponen != key and not standard.komponen[f.komponen].is_empty
            ]
            if options and n % 2 == 0:
                follow = rng.choice(options)
                answer2 = {"standard": standard.id, "komponen": follow.komponen}
                turns.append(
                    Turn(
                        follow.text,
                        komponen_intent(follow.komponen),
                        "none",
                        None,
                        answer2,
                        "english",
                        "english",
                    )
                )
                source.append(follow.id)
            turns_made += len(turns)
            drafts.append(_Draft("english", source, turns))
        return drafts

    def _regional(self, split: str, rng: random.Random) -> list[_Draft]:
        every = self.catalog.templates("regional", "regional")
        languages = sorted({str(t.extra.get("bahasa")) for t in every})
        # Dealt per language, so that every split has each language.
        templates = [
            t
            for language in languages
            for t in self.in_split(
                f"regional/{language}", [t for t in every if t.extra.get("bahasa") == language], split
            )
        ]
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        for template, standard in self._pairs(rng, templates, subjects, self.quota_for("regional", split)):
            key = template.komponen
            if standard.komponen[key].is_empty:
                continue
            name, region = self._name(standard.id, rng, region_chance=0.0)
            text = apply("plain", render(template.text, {"layanan": name}), rng)
            style = str(template.extra.get("bahasa"))
            answer = {"standard": standard.id, "komponen": key}
            drafts.append(
                _Draft(
                    "regional",
                    [template.id],
                    [Turn(text, komponen_intent(key), standard.id, region, answer, "regional", style)],
                )
            )
        return drafts

    # --- builders: conversations --------------------------------------------------------------------------
    def _followup_context(self, split: str, rng: random.Random) -> list[_Draft]:
        """A question about a service, then one naming only another component."""
        templates = self.in_split("followup/konteks", self.catalog.templates("followup", "konteks"), split)
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        for n, (template, standard) in enumerate(
            self._pairs(rng, templates, subjects, self.quota_for("followup_context", split))
        ):
            key = template.komponen
            if standard.komponen[key].is_empty:
                continue
            opening = self._opening(split, rng, standard.id, tuple(k for k in KOMPONEN_LAYANAN if k != key))
            if opening is None:
                continue
            first, first_id = opening
            style = self._styles("followup_context", template, n)
            text = self._question(template, {}, style, rng)
            answer = {"standard": standard.id, "komponen": key}
            follow = Turn(text, komponen_intent(key), "none", None, answer, "followup_context", style)
            drafts.append(_Draft("followup_context", [first_id, template.id], [first, follow]))
        return drafts

    def _followup_switch(self, split: str, rng: random.Random) -> list[_Draft]:
        """A question about a service, then another service named, the component carried over."""
        templates = self.in_split("followup/ganti", self.catalog.templates("followup", "ganti"), split)
        subjects = self._nameable(self.standards_in(split))
        drafts = []
        for n, (template, standard) in enumerate(
            self._pairs(rng, templates, subjects, self.quota_for("followup_switch", split))
        ):
            others = [s for s in subjects if s.id != standard.id and s.sektor == standard.sektor] or [
                s for s in subjects if s.id != standard.id
            ]
            other = rng.choice(others)
            opening = self._opening(
                split, rng, standard.id, tuple(k for k in KOMPONEN_LAYANAN if not other.komponen[k].is_empty)
            )
            if opening is None:
                continue
            first, first_id = opening
            key = first.answer["komponen"]
            name, region = self._name(other.id, rng)
            style = self._styles("followup_switch", template, n)
            text = self._question(template, {"layanan": name}, style, rng)
            answer = {"standard": other.id, "komponen": key}
            follow = Turn(text, None, other.id, region, answer, "followup_switch", style)
            drafts.append(_Draft("followup_switch", [first_id, template.id], [first, follow]))
        return drafts

    def related_pairs(self) -> list[tuple[str, str, str, bool]]:
        """(from, to, key words naming `to`, whether the key takes -nya) within each family."""
        pairs = []
        for family in self.families():
            members = family["anggota"]
            for target in members:
                for source in members:
                    if source["id"] == target["id"]:
                        continue
                    for kunci in target.get("kunci") or ():
                        pairs.append(
                            (
                                source["id"],
                                target["id"],
                                kunci,
                                bool(target.get("nya", family.get("nya", True))),
                            )
                        )
        return pairs

    def _followup_related(self, split: str, rng: random.Random) -> list[_Draft]:
        """After one service, a follow-up naming only part of a related one ("terus izin
        operasionalnya?"): the related service of the same family, the component carried over."""
        every = self.catalog.templates("followup", "terkait")
        # Dealt separately so that every split has templates for names that do not take -nya.
        templates = [
            t
            for nya in (True, False)
            for t in self.in_split(
                f"followup/terkait/{nya}", [t for t in every if bool(t.extra.get("nya")) == nya], split
            )
        ]
        pairs = [
            p for p in self.related_pairs()
            if self.standard_split.get(p[0]) == split and self.standard_split.get(p[1]) == split
            and self.names.plain_names(p[0])
        ]  # fmt: skip
        drafts = []
        combos = self._pairs(
            rng,
            templates,
            pairs,
            self.quota_for("followup_related", split),
            valid=lambda t, p: p[3] or not t.extra.get("nya", False),
            rounds=2,
        )
        for count, (template, (source, target, kunci, _nya)) in enumerate(combos):
            target_std = self.facts.standard(target)
            opening = self._opening(
                split, rng, source, tuple(k for k in KOMPONEN_LAYANAN if not target_std.komponen[k].is_empty)
            )
            if opening is None:
                continue
            first, first_id = opening
            key = first.answer["komponen"]
            style = self._styles("followup_related", template, count)
            text = self._question(template, {"kunci": kunci}, style, rng)
            answer = {"standard": target, "komponen": key}
            follow = Turn(text, None, None, None, answer, "followup_related", style)
            drafts.append(_Draft("followup_related", [first_id, template.id], [first, follow]))
        return drafts

    def _region_switch(self, split: str, rng: random.Random) -> list[_Draft]:
        """A question about a service in one region, then "kalau di <other region>?"."""
        templates = self.in_split("followup/wilayah", self.catalog.templates("followup", "wilayah"), split)
        subjects = [s for s in self.standards_in(split) if self.names.same_service_elsewhere(s.id)]
        drafts = []
        for n, (template, standard) in enumerate(
            self._pairs(rng, templates, subjects, self.quota_for("region_switch", split), rounds=12)
        ):
            other = self.facts.standard(rng.choice(self.names.same_service_elsewhere(standard.id)))
            opening = self._opening(
                split, rng, standard.id, tuple(k for k in KOMPONEN_LAYANAN if not other.komponen[k].is_empty)
            )
            if opening is None:
                continue
            first, first_id = opening
            key = first.answer["komponen"]
            style = self._styles("region_switch", template, n)
            text = self._question(
                template, {"wilayah": rng.choice(self.names.region_names(other.wilayah))}, style, rng
            )
            answer = {"standard": other.id, "komponen": key}
            follow = Turn(text, None, None, other.wilayah, answer, "region_switch", style)
            drafts.append(_Draft("region_switch", [first_id, template.id], [first, follow]))
        return drafts

    def _disambiguation(self, split: str, rng: random.Random) -> list[_Draft]:
        """A phrase several standards fit: the reply offers each as a button; then a choice."""
        phrases = []
        for phrase in self.ambiguous_phrases():
            candidates = self.names.candidates(phrase["text"])
            if candidates and all(self.standard_split[c] == split for c in candidates):
                phrases.append((phrase, candidates))
        by_key = self.catalog.komponen_templates()
        pool = [
            (t, key)
            for key in KOMPONEN_LAYANAN[:6]
            for t in self.in_split(f"komponen/{key}", by_key.get(key, []), split)
        ]
        choices = self.in_split(
            "disambiguation/pilih", self.catalog.templates("disambiguation", "pilih_wilayah"), split
        )
        drafts = []
        quota = self.quota_for("disambiguation", split)
        for n, ((template, key), (phrase, candidates)) in enumerate(
            self._pairs(rng, pool, phrases, -(-quota // 2))
        ):
            style = self._styles("disambiguation", template, n)
            text = self._question(template, {"layanan": phrase["text"]}, style, rng)
            first = Turn(
                text,
                komponen_intent(key),
                list(candidates),
                None,
                {"pilihan": list(candidates)},
                "disambiguation",
                style,
            )
            chosen = self.facts.standard(rng.choice(candidates))
            regions = {self.facts.standard(c).wilayah for c in candidates}
            if len(regions) == len(candidates) and choices and n % 2 == 0:
                choice = rng.choice(choices)
                said = self._question(
                    choice, {"wilayah": rng.choice(self.names.region_names(chosen.wilayah))}, "plain", rng
                )
                second = Turn(
                    said,
                    None,
                    None,
                    chosen.wilayah,
                    {"standard": chosen.id, "komponen": key},
                    "disambiguation",
                    "plain",
                )
                source = [template.id, phrase["id"], choice.id]
            else:
                payload = '/pilih_layanan{"layanan":"' + chosen.id + '"}'
                second = Turn(
                    payload,
                    "pilih_layanan",
                    None,
                    None,
                    {"standard": chosen.id, "komponen": key},
                    "disambiguation",
                    "button",
                )
                source = [template.id, phrase["id"]]
            drafts.append(_Draft("disambiguation", source, [first, second]))
        return drafts

    def _exact_title(self, split: str, rng: random.Random) -> list[_Draft]:
        """A standard's full title or exact alias whose words also occur in a longer title: it
        must link its own standard."""
        by_key = self.catalog.komponen_templates()
        pool = [
            (t, key)
            for key in KOMPONEN_LAYANAN
            for t in self.in_split(f"komponen/{key}", by_key.get(key, []), split)
        ]
        bare = self.in_split("exact_title/bare", self.catalog.templates("komponen", "nama_saja"), split)
        subjects = [
            (s.id, title) for s in self.standards_in(split) for title in self.names.exact_titles(s.id)
        ]
        drafts = []
        quota = self.quota_for("exact_title", split)
        for n, ((template, key), (sid, title)) in enumerate(self._pairs(rng, pool, subjects, quota)):
            if self.facts.standard(sid).komponen[key].is_empty:
                continue
            if bare and n % 4 == 3:
                template = rng.choice(bare)
                style = self._styles("exact_title", template, n)
                text = self._question(template, {"layanan": title}, style, rng)
                turn = Turn(text, "inform_layanan", sid, None, {"standard": sid}, "exact_title", style)
            else:
                style = self._styles("exact_title", template, n)
                text = self._question(template, {"layanan": title}, style, rng)
                turn = Turn(
                    text,
                    komponen_intent(key),
                    sid,
                    None,
                    {"standard": sid, "komponen": key},
                    "exact_title",
                    style,
                )
            drafts.append(_Draft("exact_title", [template.id], [turn]))
        return drafts

    # --- builders: out of scope, staff, applications, small talk ----------------------------------------
    def _out_of_scope(self, split: str, rng: random.Random) -> list[_Draft]:
        section = self.catalog.data.get("out_of_scope", {})
        subjects = self.in_split("out_of_scope/hal", self.catalog.templates("out_of_scope", "hal"), split)
        templates = self.in_split(
            "out_of_scope/templates", self.catalog.templates("out_of_scope", "templates"), split
        )
        sentences = self.in_split(
            "out_of_scope/kalimat", self.catalog.templates("out_of_scope", "kalimat"), split
        )
        drafts = []
        quota = self.quota_for("out_of_scope", split)
        for n, template in enumerate(sentences):
            style = self._styles("out_of_scope", template, n)
            text = self._question(template, {}, style, rng)
            drafts.append(
                _Draft(
                    "out_of_scope",
                    [template.id],
                    [Turn(text, None, "none", None, {"out_of_scope": True}, "out_of_scope", style)],
                )
            )
        for n, (template, subject) in enumerate(
            self._pairs(rng, templates, subjects, max(0, quota - len(drafts)))
        ):
            style = self._styles("out_of_scope", template, n)
            text = self._question(template, {"hal": subject.text}, style, rng)
            drafts.append(
                _Draft(
                    "out_of_scope",
                    [template.id, subject.id],
                    [Turn(text, None, "none", None, {"out_of_scope": True}, "out_of_scope", style)],
                )
            )
        del section
        return drafts

    def _staff(self, split: str, rng: random.Random) -> list[_Draft]:
        """Customer-service staff: one service compared across the regions that have it; the
        services of a sector filtered; a whole component laid out for printing."""
        kata = self.catalog.section("staff", "kata_komponen", {}) or {}
        sektor_kata = self.catalog.section("staff", "sektor", {}) or {}
        dokumen = {d["id"]: d for d in self.catalog.section("detail", "dokumen", [])}
        quota = self.quota_for("staff", split)
        drafts: list[_Draft] = []
        # side by side
        compare_t = self.in_split("staff/banding", self.catalog.templates("staff", "banding"), split)
        services = []
        for s in self.standards_in(split):
            elsewhere = self.names.same_service_elsewhere(s.id)
            group = tuple(sorted([s.id, *elsewhere]))
            if elsewhere and group not in services:
                services.append(group)
        keys = [k for k in kata if k in KOMPONEN_LAYANAN]
        combos = [(g, k) for g in services for k in keys]
        for n, (template, (group, key)) in enumerate(self._pairs(rng, compare_t, combos, quota // 3)):
            ids = list(group)
            shared = [
                n_
                for n_ in self.names.names[ids[0]]
                if all(fold(n_) in map(fold, self.names.names[i]) for i in ids[1:])
            ]
            name = rng.choice(shared) if shared else self.facts.standard(ids[0]).nama
            regions = [rng.choice(self.names.region_names(self.facts.standard(i).wilayah)) for i in ids]
            values = {
                "layanan": name,
                "kata": rng.choice(kata[key]),
                "wilayah_a": regions[0],
                "wilayah_b": regions[-1],
            }
            style = self._styles("staff", template, n, ("plain", "plain", "nopunct", "slang"))
            text = self._question(template, values, style, rng)
            answer = {"compare": {"standards": ids, "komponen": key}}
            drafts.append(
                _Draft("staff", [template.id], [Turn(text, None, None, None, answer, "staff", style)])
            )
        # sector filters
        filter_t = self.in_split("staff/saring", self.catalog.templates("staff", "saring"), split)
        combos = []
        for sektor in sektor_kata:
            for filter_ in ("gratis", "terlama", "tercepat"):
                matching, others = self.facts.sector_split(sektor, filter_)
                if 1 <= len(matching) <= 8 and (others or filter_ == "gratis"):
                    combos.append((sektor, filter_, None))
            for doc in dokumen.values():
                matching, others = self.facts.sector_split(sektor, "dokumen", pattern=doc["match"])
                if 1 <= len(matching) <= 8 and others:
                    combos.append((sektor, "dokumen", doc["id"]))
        filtered = self._pairs(
            rng, filter_t, combos, quota // 3, valid=lambda t, c: t.extra.get("filter") == c[1]
        )
        for made, (template, (sektor, filter_, doc_id)) in enumerate(filtered):
            values = {"sektor": rng.choice(sektor_kata[sektor])}
            if doc_id:
                values["dokumen"] = rng.choice(dokumen[doc_id]["sebut"])
            style = self._styles("staff", template, made, ("plain", "plain", "nopunct", "slang"))
            text = self._question(template, values, style, rng)
            answer = {
                "sektor_filter": {
                    "sektor": sektor,
                    "filter": filter_,
                    "match": dokumen[doc_id]["match"] if doc_id else None,
                }
            }
            drafts.append(
                _Draft("staff", [template.id], [Turn(text, None, None, None, answer, "staff", style)])
            )
        # printable
        print_t = self.in_split("staff/cetak", self.catalog.templates("staff", "cetak"), split)
        print_keys = [k for k in (self.catalog.section("staff", "cetak_komponen", []) or []) if k in kata]
        subjects = [
            (s, k)
            for s in self._nameable(self.standards_in(split))
            for k in print_keys
            if len(component_lines(s.komponen[k])) > 1
        ]
        for n, (template, (standard, key)) in enumerate(
            self._pairs(rng, print_t, subjects, quota - len(drafts))
        ):
            name, region = self._name(standard.id, rng)
            style = self._styles("staff", template, n, ("plain", "plain", "nopunct", "slang"))
            text = self._question(template, {"layanan": name, "kata": rng.choice(kata[key])}, style, rng)
            answer = {"standard": standard.id, "printable": key}
            drafts.append(
                _Draft(
                    "staff", [template.id], [Turn(text, None, standard.id, region, answer, "staff", style)]
                )
            )
        return drafts

    def applications(self) -> list[dict]:
        """The sample applications the evaluation database holds (CSV rows)."""
        rows = []
        for name in self.catalog.section("permohonan", "berkas", []) or []:
            with (ROOT / name).open(encoding="utf-8") as handle:
                rows += list(csv.DictReader(handle))
        return rows

    @staticmethod
    def loose_number(nomor: str, variant: int) -> str:
        """Office numbers as people type them: case, spaces and separators vary."""
        parts = re.split(r"[/\-.]", nomor)
        forms = (
            nomor,
            nomor.lower(),
            " / ".join(parts),
            "-".join(parts),
            " ".join(parts),
            "/".join(p.lower() if n % 2 else p for n, p in enumerate(parts)),
        )
        return forms[variant % len(forms)]

    def _application_number(self, split: str, rng: random.Random) -> list[_Draft]:
        asks = self.in_split("permohonan/nomor", self.catalog.templates("permohonan", "nomor"), split)
        digits_t = self.in_split("permohonan/angka", self.catalog.templates("permohonan", "angka"), split)
        rows = self.applications()
        drafts = []
        quota = self.quota_for("application_number", split)
        for n, (template, row) in enumerate(self._pairs(rng, asks, rows, -(-quota // 2))):
            if not digits_t:
                break
            nomor = self.loose_number(
                row["nomor_permohonan"], n + stable_int(self.seed, row["nomor_permohonan"])
            )
            digits = re.sub(r"\D", "", row["telepon"])[-4:]
            first = Turn(
                self._question(template, {"nomor": nomor}, "plain", rng),
                "cek_status_permohonan",
                "none",
                None,
                {"ask_digits": True},
                "application_number",
                "plain",
            )
            said = self._question(rng.choice(digits_t), {"angka": digits}, "plain", rng)
            second = Turn(
                said,
                "inform",
                "none",
                None,
                {"status": row["nomor_permohonan"]},
                "application_number",
                "plain",
            )
            drafts.append(_Draft("application_number", [template.id], [first, second]))
        return drafts

    def _threshold(self, split: str, rng: random.Random) -> list[_Draft]:
        """Choosing between two services by a threshold the standards state: templates written
        for one pair follow the pair's split; the reply must quote each threshold line."""
        drafts = []
        quota = self.quota_for("threshold", split)
        for pair in self.threshold_pairs():
            if self.standard_split[pair["standards"][0]] != split:
                continue
            values = pair.get("nilai") or {}
            made = 0
            for n, raw in enumerate(pair["templates"]):
                template = Template.of(raw, id=f"{pair['id']}-{n}")
                slots = re.findall(r"\{(\w+)\}", template.text)
                options = [
                    dict(zip(slots, combo, strict=True))
                    for combo in _combinations([values[s] for s in slots])
                ] or [{}]
                rng.shuffle(options)
                for k, filled in enumerate(options[: int(pair.get("per_template", 3))]):
                    if made >= quota:
                        break
                    style = (
                        ("plain", "slang", "nopunct", "typo")[(n + k) % 4]
                        if template.register == "chat"
                        else ("plain", "plain", "typo")[(n + k) % 3]
                    )
                    text = self._question(template, filled, style, rng)
                    contains = list(raw.get("contains") or pair["contains"])
                    drafts.append(
                        _Draft(
                            "threshold",
                            [template.id],
                            [Turn(text, None, None, None, {"contains": contains}, "threshold", style)],
                        )
                    )
                    made += 1
        return drafts

    def _smalltalk(self, split: str, rng: random.Random) -> list[_Draft]:
        templates = self.in_split("smalltalk", self.catalog.templates("smalltalk", "smalltalk"), split)
        drafts = []
        quota = self.quota_for("smalltalk", split)
        for n in range(min(quota, 3 * len(templates))):
            template = templates[n % len(templates)]
            style = self._styles("smalltalk", template, n // len(templates) * 2)
            text = self._question(template, {}, style, rng)
            answer = {"reply": True, "cites_none": True}
            drafts.append(
                _Draft(
                    "smalltalk",
                    [template.id],
                    [Turn(text, template.extra.get("intent"), "none", None, answer, "smalltalk", style)],
                )
            )
        return drafts

    # --- export and statistics ------------------------------------------------------------------------
    def export(self, split: str) -> list[dict]:
        """One record per user turn of a split: text, kind, style, component, expected standards."""
        records = []
        for conversation in self.conversations(split):
            for n, turn in enumerate(conversation.turns):
                answer = turn.answer
                komponen = (
                    answer.get("komponen")
                    or (answer.get("detail") or {}).get("komponen")
                    or (answer.get("office") or {}).get("komponen")
                    or (answer.get("compare") or {}).get("komponen")
                    or answer.get("printable")
                )
                records.append(
                    {
                        "conversation": conversation.id,
                        "turn": n,
                        "text": turn.text,
                        "kind": turn.kind,
                        "style": turn.style,
                        "komponen": komponen,
                        "intent": turn.intent,
                        "layanan": turn.layanan,
                        "wilayah": turn.wilayah,
                        "standards": sorted(turn_standards(turn)),
                    }
                )
        return records

    def counts(self, split: str) -> Counter:
        return Counter(t.kind for c in self.conversations(split) for t in c.turns)


def fresh_corpus(facts: KnowledgeFacts, main: Corpus, folder: Path = FRESH_DIR, name: str = FRESH) -> Corpus:
    """A fresh held-out set: the templates and conversations of `folder`, all held out, over the
    main corpus's test standards. Its turns: `fresh_corpus(...).conversations("test")`."""
    return Corpus(
        facts,
        templates_dir=folder / "templates",
        conversations_dir=folder / "conversations",
        standard_split=main.standard_split,
        name=name,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(value: Any) -> str:
    if hasattr(value, "id"):
        return str(value.id)
    if isinstance(value, tuple):
        return "|".join(_key(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("id") or sorted(value.items()))
    return str(value)


def _combinations(lists: list[list[str]]) -> list[tuple[str, ...]]:
    if not lists:
        return []
    result: list[tuple[str, ...]] = [()]
    for options in lists:
        result = [r + (o,) for r in result for o in options]
    return result
