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
    from rasa.shared.core.events import Event

    original, original_resolve = RemoteAction._validate_action_result, Event.__dict__["resolve_by_type"]
    rasa_speedups.install()
    rasa_speedups.install()  # idempotent
    yield RemoteAction._validate_action_result
    RemoteAction._validate_action_result = original
    Event.resolve_by_type = original_resolve


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


def test_event_classes_are_found_like_rasa_finds_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    before = Event.__dict__["resolve_by_type"]
    rasa = rasa_speedups.ORIGINALS.get("resolve_by_type", before).__func__  # Rasa's own, even if patched
    names = {cls.type_name for cls in all_subclasses(Event)}
    expected = {name: rasa(name) for name in names}
    try:
        rasa_speedups.install()
        assert Event.resolve_by_type is not rasa
        assert {name: Event.resolve_by_type(name) for name in names} == expected
        assert Event.resolve_by_type("topic") is None
        assert Event.resolve_by_type("no_such_event", default=Event) is Event
        with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
            Event.resolve_by_type("no_such_event")
        # Whole events round-trip exactly as before.
        event = {"event": "slot", "name": "layanan", "value": "balangan-x", "timestamp": 1.0}
        assert Event.from_parameters(event).as_dict() == event
    finally:
        Event.resolve_by_type = before


def test_an_event_class_defined_later_is_found():
    from rasa.shared.core.events import Event, SlotSet

    before = Event.__dict__["resolve_by_type"]
    try:
        rasa_speedups.install()
        Event.resolve_by_type("slot")  # the table is built now

        class LateEvent(SlotSet):
            type_name = "pandu_late_event"

        assert Event.resolve_by_type("pandu_late_event") is LateEvent
    finally:
        Event.resolve_by_type = before
