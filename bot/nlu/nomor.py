"""Rasa component: a message that carries an office-format application number asks for its status.

DIET learns the status question from examples, but a number in a frame it never saw ("posisi berkas
no 503/0099/SS/2026 di mana sekarang?") can come out as an unsure intent or as a question about a
service whose acronym is one of the number's codes (SIPB, TDG). The number is the stronger sign:
when the message has one (the shapes `bot.nlu.linking.code_spans` knows, with a part of letters and
two parts with digits: not a date, not an amount) and no complaint ticket, and the intent is not
one that carries numbers by itself (a complaint, cancelling, a form's answer that is only the
number), the intent becomes
`cek_status_permohonan`. The status form then reads the number (actions/applications.py) and asks
for the phone digits. The other way round, a status question without a number about a permit no
office here issues ("tolong bantu saya buat izin senjata api": `luar_layanan`) is no application
of ours: `out_of_scope`, which says so with the office's contacts, instead of a form asking for a
number. Placed after DIET and the entity extractors, before the fallback classifier.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.decided import decide_intent
from bot.nlu.linking import code_spans

STATUS_INTENT = "cek_status_permohonan"
_PART = re.compile(r"[A-Za-z0-9]+")


def application_number_in(text: str) -> bool:
    """Whether `text` holds something shaped like an office's application number: parts joined by
    separators, at least one of letters only and two with digits ("SIP/0117/BLG/2026",
    "503 / 0612 / SIPB / 2026", "sip 0117 blg 2026"); "01/12/2026" and "1.500.000" are not."""
    for start, end in code_spans(text):
        parts = _PART.findall(text[start:end])
        letters = sum(part.isalpha() for part in parts)
        digits = sum(any(ch.isdigit() for ch in part) for part in parts)
        if letters >= 1 and digits >= 2:
            return True
    return False


def bare_number(text: str) -> bool:
    """Whether `text` is nothing but a number (a form's answer: "503/0451/IZ/2026", "SIP 0117 BLG
    2026.")."""
    covered = "".join(text[start:end] for start, end in code_spans(text))
    return len(_PART.findall(covered)) >= len(_PART.findall(text)) > 0


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ApplicationNumberIntent(GraphComponent):
    """`cek_status_permohonan` for a message with an application number; `out_of_scope` for a
    status question about a permit no office here issues (see the module)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Intents that stay as they are: they carry a number by themselves.
            "keep": [STATUS_INTENT, "cek_pengaduan", "ajukan_pengaduan", "batal"],
            # Intents that stay when the message is nothing but the number: a form's answer. A
            # number inside a sentence DIET took for one ("posisi berkas no ... di mana?") asks.
            "keep_when_bare": ["inform"],
            # Entities that say the code is something else (a complaint's ticket).
            "unless_entities": ["kode_tiket"],
            # A status question about what no office here issues is this intent instead.
            "outside_entity": "luar_layanan",
            "outside_intent": "out_of_scope",
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._keep = set(config.get("keep") or [])
        self._keep_bare = set(config.get("keep_when_bare") or [])
        self._unless = set(config.get("unless_entities") or [])
        self._outside_entity = config.get("outside_entity")
        self._outside_intent = config.get("outside_intent")

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ApplicationNumberIntent:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        text = message.get(TEXT)
        intent = (message.get(INTENT) or {}).get("name")
        if not isinstance(text, str):
            return
        entities = {e.get("entity") for e in message.get(ENTITIES, []) or []}
        if entities & self._unless:
            return
        numbered = application_number_in(text)
        kept = intent in self._keep or (intent in self._keep_bare and bare_number(text))
        if numbered and (intent == STATUS_INTENT or not kept):
            # Also when the classifier guessed the status question but unsure of it: the number
            # decides, so the fallback's threshold does not turn it into "belum memahami".
            decide_intent(message, STATUS_INTENT)
        elif intent == STATUS_INTENT and not numbered and self._outside_entity in entities:
            decide_intent(message, self._outside_intent)
