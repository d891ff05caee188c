"""Word lists are data: every list of words the assistant uses lives in `knowledge/lexicon/*.yml`,
and this module is the only one that reads them.

Two shapes of file section:

- a **mapping** `{value: [phrase, ...]}` ("persyaratan: [syarat, berkas, ...]"), read inverted as
  `{phrase: value}` by `mapping()`; a phrase may appear under one value only (checked);
- a **word list** `[word, ...]`, read as a frozenset by `words()`.

Phrases are written in normalized form (lower case, standard spelling, words separated by single
spaces), the form `bot.nlu.normalizer` produces, so they can be matched against normalized text.
Files are read once per process; `clear()` forgets them (tests, a reload).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Optional

import yaml

LEXICON_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "lexicon"


class LexiconError(ValueError):
    """A lexicon file that is missing, malformed, or maps one phrase to two values."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key written twice in one mapping: plain YAML keeps the last silently,
    and a word list loses the words of the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in one section", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@functools.cache
def _file(name: str, folder: Path) -> dict[str, Any]:
    path = folder / f"{name}.yml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError as error:
        raise LexiconError(f"lexicon file {path} is missing") from error
    except yaml.YAMLError as error:
        raise LexiconError(f"lexicon file {path} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon file {path}: the top level must be a mapping of sections")
    return data


def section(name: str, key: str, folder: Optional[Path] = None) -> Any:
    """One section of `knowledge/lexicon/<name>.yml` as written."""
    data = _file(name, folder or LEXICON_DIR)
    if key not in data:
        raise LexiconError(f"lexicon {name}.yml has no section {key!r}")
    return data[key]


def _phrase(value: Any, where: str) -> str:
    if isinstance(value, bool):
        # YAML reads a bare yes/no/on/off as true/false: the word is lost unless quoted.
        raise LexiconError(f"{where}: {value!r} was read as a boolean; write the word in quotes ('no', 'on')")
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise LexiconError(f"{where}: {value!r} is not a phrase")
    return " ".join(str(value).lower().split())


@functools.cache
def _mapping(name: str, key: str, folder: Path) -> dict[str, str]:
    raw = section(name, key, folder)
    if not isinstance(raw, dict):
        raise LexiconError(f"lexicon {name}.yml, {key}: expected {{value: [phrase, ...]}}")
    inverted: dict[str, str] = {}
    for value, phrases in raw.items():
        if isinstance(phrases, str):
            phrases = [phrases]
        if not isinstance(phrases, list):
            raise LexiconError(f"lexicon {name}.yml, {key}.{value}: expected a list of phrases")
        for phrase in phrases:
            phrase = _phrase(phrase, f"lexicon {name}.yml, {key}.{value}")
            if inverted.get(phrase, value) != value:
                raise LexiconError(
                    f"lexicon {name}.yml, {key}: {phrase!r} is listed under both "
                    f"{inverted[phrase]!r} and {value!r}"
                )
            inverted[phrase] = str(value)
    return inverted


def mapping(name: str, key: str, folder: Optional[Path] = None) -> dict[str, str]:
    """`{phrase: value}` from a section written as `{value: [phrase, ...]}`."""
    return dict(_mapping(name, key, folder or LEXICON_DIR))


@functools.cache
def _words(name: str, key: str, folder: Path) -> frozenset[str]:
    raw = section(name, key, folder)
    if isinstance(raw, str):
        raw = raw.split()
    if not isinstance(raw, list):
        raise LexiconError(f"lexicon {name}.yml, {key}: expected a list of words")
    return frozenset(_phrase(w, f"lexicon {name}.yml, {key}") for w in raw)


def words(name: str, key: str, folder: Optional[Path] = None) -> frozenset[str]:
    """A section written as a list (or one whitespace-separated string) of words or phrases."""
    return _words(name, key, folder or LEXICON_DIR)


def clear() -> None:
    """Forget what was read (tests; after editing a lexicon file in a running process)."""
    _file.cache_clear()
    _mapping.cache_clear()
    _words.cache_clear()
