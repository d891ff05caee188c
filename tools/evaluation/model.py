"""Conversations and turns: the one shape every evaluation set takes (legacy file, hand-written
conversations, generated corpus).

A turn says what the user types and what is expected: the intent (optional), the standard(s) the
linker must find in this message (`layanan`: an id, "none", or a list of ambiguous candidates),
the region named (`wilayah`), and `answer`: the facts the reply must contain, given only as ids,
component keys, regular expressions that locate a line of the standard, or literals copied from
the knowledge base. `tools.evaluation.facts.answer_checks` turns these into checks. The answer keys
are listed in docs/evaluation.md and at the top of tests/eval/conversations.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.knowledge.schema import INTENT_KOMPONEN

KOMPONEN_INTENT = {key: intent for intent, key in INTENT_KOMPONEN.items()}


@dataclass(frozen=True)
class Turn:
    text: str
    intent: Optional[str] = None
    layanan: Any = None  # str id | "none" | list of ids | None (not checked)
    wilayah: Optional[str] = None
    answer: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    style: str = "plain"


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]
    split: str = "legacy"  # legacy | train | dev | test
    source: str = ""  # template id(s) or file it came from
    standards: tuple[str, ...] = ()  # what it is about, besides the turns' expectations (for the split)


def turn_from_dict(raw: dict, default_kind: str = "", default_style: str = "plain") -> Turn:
    turn = Turn(
        text=str(raw["text"]),
        intent=raw.get("intent"),
        layanan=raw.get("layanan"),
        wilayah=raw.get("wilayah"),
        answer=dict(raw.get("answer") or {}),
        kind=str(raw.get("kind") or default_kind),
        style=str(raw.get("style") or default_style),
    )
    if not turn.kind:
        turn = Turn(
            turn.text, turn.intent, turn.layanan, turn.wilayah, turn.answer, legacy_kind(turn), turn.style
        )
    return turn


def load_conversations(path: Path, split: str = "legacy") -> list[Conversation]:
    """A YAML file of conversations (`conversations: [{id, kind?, turns: [...]}, ...]`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    conversations = []
    for raw in data.get("conversations", []):
        kind = str(raw.get("kind") or "")
        style = str(raw.get("style") or "plain")
        turns = tuple(turn_from_dict(t, kind, style) for t in raw["turns"])
        about = tuple(str(s) for s in raw.get("standards") or ())
        conversations.append(
            Conversation(str(raw["id"]), turns, str(raw.get("split") or split), path.name, about)
        )
    return conversations


def legacy_kind(turn: Turn) -> str:
    """A coarse kind for turns written without one (the legacy set), for the per-kind table."""
    answer, intent = turn.answer, turn.intent or ""
    if answer.get("pilihan") or isinstance(turn.layanan, list):
        return "disambiguation"
    if answer.get("kosong"):
        return "honesty"
    if answer.get("ringkasan") or intent == "ask_ringkasan":
        return "ringkasan"
    komponen = answer.get("komponen") or INTENT_KOMPONEN.get(intent)
    if intent == "inform_layanan" and turn.layanan == "none" and turn.wilayah:
        return "region_switch"
    if intent == "inform_layanan" and komponen:
        return "followup_switch"
    if komponen and turn.layanan == "none" and intent != "inform_layanan":
        return "followup_context"
    if komponen in INTENT_KOMPONEN.values():
        return f"komponen/{komponen}"
    if komponen or intent == "ask_komponen_internal":
        return "komponen/internal"
    if intent == "out_of_scope":
        return "out_of_scope"
    if intent == "human_handoff" or answer.get("kontak"):
        return "kontak"
    if intent in ("greet", "goodbye", "thanks", "affirm", "deny", "bot_capabilities") or not intent:
        return "smalltalk"
    return intent
