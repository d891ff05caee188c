"""Rasa component: a question about a named service's component does not start a form.

DIET learns the start of a complaint from examples, and a component question in a frame it never
saw ("perlu keluar uang gak buat bikin izin X?") can come out as `ajukan_pengaduan`: the person asks
the fee and gets the complaint form. The entities are the stronger sign: when the intent starts a
flow (config `flows`) and the knowledge-base linker found a service (or an ambiguous name's
candidates) and a component the flow is not about (a complaint is about `pengaduan`), the intent
becomes the question about that component (`ask_biaya`, or `ask_komponen_internal` for the office's
internal components); an intent of `informs` with a service and no component names the service
(`inform_layanan`). Placed after the linker, before the fallback classifier.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.schema import INTENT_KOMPONEN, KOMPONEN
from bot.nlu.decided import decide_intent

INTERNAL_INTENT = "ask_komponen_internal"
INFORM_INTENT = "inform_layanan"
# A service named, or the candidates of an ambiguous name ("izin pangan rumahan").
SERVICE_ENTITIES = ("layanan", "layanan_kandidat")
_COMPONENT_INTENT = {key: intent for intent, key in INTENT_KOMPONEN.items()}


def component_intent(key: str) -> str:
    return _COMPONENT_INTENT.get(key, INTERNAL_INTENT)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionNotFlow(GraphComponent):
    """The component question for a flow-starting intent whose entities ask about a service."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # flow-starting intent -> the components that belong to it (a complaint about complaints)
        # `informs`: flow intents that, with a service named and no component asked, name it
        return {
            "flows": {"ajukan_pengaduan": ["pengaduan"], "kembali_ke_asisten": []},
            "informs": ["kembali_ke_asisten"],
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._flows = {intent: set(keys or ()) for intent, keys in (config.get("flows") or {}).items()}
        self._informs = set(config.get("informs") or ())

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuestionNotFlow:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent not in self._flows:
            return
        entities = message.get(ENTITIES, []) or []
        if not any(e.get("entity") in SERVICE_ENTITIES for e in entities):
            return
        asked = [
            e.get("value") for e in entities if e.get("entity") == "komponen" and e.get("value") in KOMPONEN
        ]
        if asked and not set(asked) & self._flows[intent]:
            decide_intent(message, component_intent(asked[0]))
        elif not asked and intent in self._informs:
            # "MIN, TANYA IZIN RUMAH SAKIT DONG" is no "ga jadi minta admin": the service named.
            decide_intent(message, INFORM_INTENT)
