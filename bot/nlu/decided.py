"""Setting an intent that the message's entities decide, after the classifier (bot/nlu/nomor.py,
bot/nlu/flow_intent.py)."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def decide_intent(message: Message, intent: str) -> None:
    """`intent` with full confidence. The classifier's other guesses keep their order but no weight,
    or the fallback's ambiguity check would fire on a close second (a status question with a
    number taken for a duration question at 0.97)."""
    ranking = [
        {**r, "confidence": 0.0} for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent
    ]
    chosen = {"name": intent, "confidence": 1.0}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
