"""The compiled check of action server responses gives Rasa's own verdicts."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "layanan", "value": "balangan-x"}], "responses": [{"text": "hai"}]},
    {"events": [{"event": "slot", "name": "layanan_kandidat", "value": ["a", "b"]}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event needs a name
    {"events": [{"event": "no_such_event"}]},
    {"responses": "text"},
]


@pytest.fixture
def patched():
    original = RemoteAction._validate_action_result
    rasa_speedups.install()
    rasa_speedups.install()  # idempotent
    yield RemoteAction._validate_action_result
    RemoteAction._validate_action_result = original


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_like_rasa(patched, result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())  # Rasa's own check
    assert patched(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_like_rasa(patched, result):
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response") as ours:
        patched(None, result)
    assert ours.value.message.startswith(rasa_error.value.message)


def test_install_marks_the_method(patched):
    assert rasa_speedups.installed()
