"""Contract between domain.yml and the action server: every action and response exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def registered_actions() -> set[str]:
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def test_every_action_in_the_domain_is_registered_by_the_action_server():
    custom = {a for a in DOMAIN["actions"] if not a.startswith("utter_")}
    assert custom, "domain.yml names no custom action"
    assert custom <= registered_actions()


def test_every_response_the_actions_send_is_in_the_domain():
    used = set()
    for path in (ROOT / "actions").glob("*.py"):
        used |= set(re.findall(r'response="(utter_\w+)"', path.read_text(encoding="utf-8")))
    assert used, "no templated responses found in actions/"
    assert used <= set(DOMAIN["responses"])


def test_rules_and_stories_use_only_domain_actions_and_intents():
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES

    actions = set(DOMAIN["actions"]) | set(DOMAIN["responses"]) | set(DOMAIN.get("forms") or ())
    actions |= set(DEFAULT_ACTION_NAMES)
    intents = set(DOMAIN["intents"]) | {"nlu_fallback"}
    for path in [*(ROOT / "data" / "rules").glob("*.yml"), *(ROOT / "data" / "stories").glob("*.yml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for flow in data.get("rules") or data.get("stories") or ():
            for step in flow["steps"]:
                if "action" in step:
                    assert step["action"] in actions, (path.name, step)
                if "intent" in step:
                    assert step["intent"] in intents, (path.name, step)
