"""Rasa component: the knowledge-base entities of a message (the NLU contract, docs/ARCHITECTURE.md).

DIET never learns the 86 service names: they change when staff edit the knowledge base, and
examples could never cover every alias and typo. The one pass of `bot.nlu.linking` finds them: the
TextNormalizer runs it first (it needs the result to mask names) and stores the entities on the
message; this component, placed after DIET and the RegexEntityExtractor, adds them to the message's
entities. Without a TextNormalizer in the pipeline it links by itself.

A link that overlaps an entity found before it (an application number, a ticket code) is dropped:
those are not service names. When the database is missing, the index loader logs one clear error
and only keyword entities (component, sector, choices) are set; the assistant keeps answering.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import linking
from bot.nlu.knowledge_index import cached_index
from bot.nlu.linking import KnowledgeIndex
from bot.nlu.normalizer import KNOWLEDGE_ENTITIES

__all__ = ["KnowledgeIndex", "ServiceLinker", "link_entities"]

IndexProvider = Callable[[], Optional[KnowledgeIndex]]


def link_entities(index: Optional[KnowledgeIndex], text: str) -> list[dict[str, Any]]:
    """The contract's entities for `text` (spans in `text`); keywords only when `index` is None."""
    return linking.link(index, text).entities()


def _overlaps(entity: dict[str, Any], others: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(o.get("start"), int)
        and isinstance(o.get("end"), int)
        and entity["start"] < o["end"]
        and o["start"] < entity["end"]
        for o in others
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ServiceLinker(GraphComponent, EntityExtractorMixin):
    """Adds the linked entities (layanan, layanan_kandidat, layanan_terkait, wilayah, komponen,
    sektor, pilihan, kantor, perbandingan, saringan, luar_layanan, rincian) to the message."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # None: DATABASE_URL (bot.db.database_url()). A URL here only for experiments.
            "database_url": None,
            # After a failed load, wait this long before trying the database again.
            "retry_seconds": 30.0,
        }

    def __init__(self, config: Dict[str, Any], index_provider: Optional[IndexProvider] = None) -> None:
        database_url = config.get("database_url")
        retry_seconds = float(config.get("retry_seconds", 30.0))
        self._index_provider: IndexProvider = index_provider or (
            lambda: cached_index(database_url, retry_seconds)
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ServiceLinker:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            found = message.get(KNOWLEDGE_ENTITIES)
            if found is None:
                found = self.link(text)
            existing = list(message.get(ENTITIES, []))
            new = [dict(e) for e in found if not _overlaps(e, existing)]
            if new:
                message.set(ENTITIES, existing + self.add_extractor_name(new), add_to_output=True)
        return messages

    def link(self, text: str) -> list[dict[str, Any]]:
        """The contract's entities for `text`, spans in `text`."""
        return link_entities(self._index_provider(), text)
