"""FallbackClassifier that also falls back on text the model cannot read.

The featurizers only know Latin-script Indonesian: a message in Arabic or Chinese script, or only
emoji, has (almost) no features, and DIET then returns its prior with high confidence (measured:
Chinese text came out as `affirm` at 0.85). Such a message must get the fallback answer, not be
treated as a "yes".
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

# At least one Latin letter or digit (incl. accented Latin): otherwise nothing to classify.
_READABLE = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")


def is_readable(text: str | None) -> bool:
    """True when the text has something the Latin-script NLU can read."""
    return bool(text) and bool(_READABLE.search(text))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReadableTextFallbackClassifier(FallbackClassifier):
    """Rasa's FallbackClassifier (same thresholds), plus: unreadable text -> nlu_fallback."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ReadableTextFallbackClassifier:
        return cls(config)

    def _should_fallback(self, message: Message) -> bool:
        if not is_readable(message.get(TEXT)):
            return True
        return super()._should_fallback(message)
