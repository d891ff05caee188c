"""One measured speed-up of the Rasa server: check action server responses with a compiled validator.

Rasa 3.6 checks every custom action's response with `jsonschema.validate(result, schema)`, and
`validate` first re-checks the (large, constant) events schema against the JSON Schema meta-schema,
on every call. Profiled on this project: 40-80 ms per custom action, more than the whole rest of a
turn (NLU + policies + action + tracker store). `install()` swaps `RemoteAction._validate_action_result`
for the same check against a validator built once: same schema, same `best_match` error, same
message. Installed by the tracker store (`bot.tracker_store`), which every Rasa server of this
project creates at start-up; the action server never imports it.
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


def install() -> None:
    """Replace Rasa's per-call schema check (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    if not getattr(RemoteAction._validate_action_result, _MARKER, False):
        RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def installed() -> bool:
    from rasa.core.actions.action import RemoteAction

    return bool(getattr(RemoteAction._validate_action_result, _MARKER, False))
