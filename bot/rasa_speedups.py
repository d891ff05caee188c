"""Measured speed-ups of the Rasa server (installed by `bot.tracker_store` at start-up).

1. Check action server responses with a compiled validator.

Rasa 3.6 checks every custom action's response with `jsonschema.validate(result, schema)`, and
`validate` first re-checks the (large, constant) events schema against the JSON Schema meta-schema,
on every call. Profiled on this project: 40-80 ms per custom action, more than the whole rest of a
turn (NLU + policies + action + tracker store). `install()` swaps `RemoteAction._validate_action_result`
for the same check against a validator built once: same schema, same `best_match` error, same
message. Installed by the tracker store (`bot.tracker_store`), which every Rasa server of this
project creates at start-up; the action server never imports it.

2. Find an event's class by its type name from a table. `Event.resolve_by_type` walks the whole
Event class tree (with an `inspect.isabstract` check per class) for every event it deserialises:
the conversation loaded from the tracker store each turn, and the events an action returns. Profiled:
about 35 walks per turn, the largest CPU item of a turn outside TensorFlow. The table keeps Rasa's
order (the first matching class wins) and is rebuilt when a name is missing (a class imported
later), so the answers are Rasa's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_MARKER = "_pandu_compiled_validator"


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of once per action call
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is not None:
        # Rasa's own wording (rasa/core/actions/action.py).
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


setattr(_validate_action_result, _MARKER, True)


_event_classes: dict[str, Any] = {}
ORIGINALS: dict[str, Any] = {}  # Rasa's own functions, kept when replaced (tests compare with them)


def _event_class_table() -> dict[str, Any]:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, Any] = {}
    for cls in all_subclasses(Event):  # Rasa's order: the first class with a name wins
        table.setdefault(cls.type_name, cls)
    return table


def _resolve_by_type(type_name: str, default: Any = None) -> Any:
    cls = _event_classes.get(type_name)
    if cls is None:
        _event_classes.clear()
        _event_classes.update(_event_class_table())
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    # Rasa's own fallbacks (rasa/shared/core/events.py, Event.resolve_by_type).
    if type_name == "topic":
        return None
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


setattr(_resolve_by_type, _MARKER, True)


def install() -> None:
    """Replace Rasa's per-call schema check and event class lookup (idempotent)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    if not getattr(RemoteAction._validate_action_result, _MARKER, False):
        RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    if not getattr(Event.resolve_by_type, _MARKER, False):
        ORIGINALS["resolve_by_type"] = Event.__dict__["resolve_by_type"]
        Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]


def installed() -> bool:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    return bool(getattr(RemoteAction._validate_action_result, _MARKER, False)) and bool(
        getattr(Event.resolve_by_type, _MARKER, False)
    )
