"""Rasa components: the normalizer (first in the pipeline) and the tokenizer.

`TextNormalizer` normalizes the user's text once (bot.nlu.normalize: chat Indonesian, English and
regional words → standard words, spans kept in the original text), links it once against the
knowledge base (bot.nlu.linking), stores both on the message, and replaces the words of a linked
service by `__layanan__` and of a region by `__wilayah__`: DIET learns "syarat __layanan__" once
instead of 86 names it could never all see in examples. `IndonesianTokenizer` turns the stored
tokens into Rasa tokens. `bot.nlu.linker.ServiceLinker` later turns the stored links into entities.

**The message text is never rewritten**: the featurizers see normalized words; the
RegexEntityExtractor and the entities see the user's own text; `/model/parse` returns the user's
text plus `text_normalized` for debugging.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import linking
from bot.nlu.normalize import NormalizedToken, normalize, normalized_text

__all__ = [
    "IndonesianTokenizer",
    "KNOWLEDGE_ENTITIES",
    "NORMALIZED_TEXT",
    "NORMALIZED_TOKENS",
    "NormalizedToken",
    "TextNormalizer",
    "mask",
    "mask_knowledge",
    "normalize",
    "normalized_text",
]

logger = logging.getLogger(__name__)

# Tokens that stand for a linked service / region.
PLACEHOLDER_LAYANAN = "__layanan__"
PLACEHOLDER_WILAYAH = "__wilayah__"
_PLACEHOLDERS = {
    linking.ENTITY_LAYANAN: PLACEHOLDER_LAYANAN,
    linking.ENTITY_KANDIDAT: PLACEHOLDER_LAYANAN,
    linking.ENTITY_WILAYAH: PLACEHOLDER_WILAYAH,
}

# Message keys the normalizer sets (the tokenizer and the linker read them).
NORMALIZED_TEXT = "text_normalized"
NORMALIZED_TOKENS = "normalized_tokens"
KNOWLEDGE_ENTITIES = "knowledge_entities"


def mask(tokens: list[NormalizedToken], result: linking.LinkResult, index: Any) -> list[NormalizedToken]:
    """The tokens with each linked service or region replaced by one placeholder token (same span).
    Component words stay even inside a mention ("syarat" in a whole-text match): they carry the
    question; not when they belong to names ("Pengolahan Hasil Perikanan")."""
    spans = sorted(
        {
            (link.start, link.end, _PLACEHOLDERS[link.entity])
            for link in result.links
            if link.entity in _PLACEHOLDERS and link.start < link.end
        }
    )
    if not spans:
        return tokens
    component_words = linking.words().komponen
    name_words = getattr(index, "name_words", frozenset())
    masked: list[NormalizedToken] = []
    used: set[tuple[int, int, str]] = set()
    for token in tokens:
        span = next((sp for sp in spans if token.start < sp[1] and sp[0] < token.end), None)
        if span is None or (token.norm in component_words and token.norm not in name_words):
            masked.append(token)
        elif span not in used:
            used.add(span)
            masked.append(NormalizedToken(span[0], span[1], result.text[span[0] : span[1]], span[2], span[2]))
    return masked


def mask_knowledge(text: str, tokens: list[NormalizedToken], index: Any) -> list[NormalizedToken]:
    """Link `text` and mask its linked names (for callers that have no link result yet)."""
    return mask(tokens, linking.link(index, text, tokens), index)


def focus(text: str, tokens: list[NormalizedToken], masked: list[NormalizedToken]) -> list[NormalizedToken]:
    """The words of the sentence that asks (`linking.question_part`), plus the placeholders of
    services and regions named anywhere: a greeting, a self-introduction or a story before the
    question ("Assalamualaikum bu, saya perawat ... Untuk SIP perawat, berkas apa saja?") would
    otherwise dilute what the classifier sees."""
    asking = linking.question_part(text, tokens)
    if not asking or len(asking) == len(tokens):
        return masked
    start, end = asking[0].start, asking[-1].end
    kept = [t for t in masked if (start <= t.start and t.end <= end) or t.norm.startswith("__")]
    return kept or masked


def _tokens_as_data(tokens: list[NormalizedToken]) -> list[list[Any]]:
    # Plain lists: message data must stay fingerprintable and serialisable.
    return [[t.start, t.end, t.norm, t.lemma] for t in tokens]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormalizer(GraphComponent):
    """First pipeline step: normalizes and links the user's text once, stores tokens and links."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Replace words by spacy-lookups-data lemmas (persyaratan → syarat). Off: it over-stems
            # (ketentuan → tentu, pelayanan → layan); see docs/nlu.md.
            "lemmatize": False,
            # Replace linked service and region names by placeholders (needs the knowledge base;
            # without it, training and parsing go on unmasked).
            "mask_knowledge": True,
            # Let the classifier see only the sentence that asks (plus the placeholders).
            "focus_question": True,
            # None: DATABASE_URL.
            "database_url": None,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Masking depends on the knowledge base's names and on the lexicon: both are part of what
        decides whether `rasa train` must train again (docs/nlu.md)."""
        if not config.get("mask_knowledge", True):
            return None
        from bot.nlu.knowledge_index import masking_fingerprint

        return masking_fingerprint(config.get("database_url"))

    def __init__(self, config: Dict[str, Any]) -> None:
        self._lemmatize = bool(config.get("lemmatize", False))
        self._mask = bool(config.get("mask_knowledge", True))
        self._focus = bool(config.get("focus_question", True))
        self._database_url = config.get("database_url")
        self._warned = False

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextNormalizer:
        return cls(config)

    def _index(self) -> Any:
        from bot.nlu.knowledge_index import cached_index

        index = cached_index(self._database_url)
        if index is None and not self._warned:
            self._warned = True
            logger.warning(
                "TextNormalizer: no knowledge base, so service and region names are not masked. "
                "Load it (python -m bot kb load) before training for the accuracy in docs/nlu.md."
            )
        return index

    def _annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        tokens = normalize(text, lemmatize=self._lemmatize)
        if self._mask and tokens:
            index = self._index()
            result = linking.link(index, text, tokens)
            message.set(KNOWLEDGE_ENTITIES, result.entities())
            masked = mask(tokens, result, index) if index is not None else tokens
            tokens = focus(text, tokens, masked) if self._focus else masked
        message.set(NORMALIZED_TOKENS, _tokens_as_data(tokens))
        message.set(NORMALIZED_TEXT, " ".join(t.norm for t in tokens), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._annotate(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._annotate(message)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class IndonesianTokenizer(Tokenizer):
    """Tokens = normalized words with spans in the original text (see the module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "lemmatize": False,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self._lemmatize = bool(config.get("lemmatize", False))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IndonesianTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        stored: Optional[list] = message.get(NORMALIZED_TOKENS) if attribute == TEXT else None
        if stored is None:
            stored = _tokens_as_data(normalize(text, lemmatize=self._lemmatize))
        tokens = [Token(norm, start, end=end, lemma=lemma) for start, end, norm, lemma in stored]
        if not tokens:
            # Emoji only, punctuation only, empty: one token so featurizers still have input.
            tokens = [Token(text, 0, end=len(text))]
        return self._apply_token_pattern(tokens)
