from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.fallback import ReadableTextFallbackClassifier, is_readable


def classified(text: str, confidence: float = 0.85) -> Message:
    intent = {INTENT_NAME_KEY: "affirm", "confidence": confidence}
    ranking = [intent, {INTENT_NAME_KEY: "greet", "confidence": 0.05}]
    return Message(data={TEXT: text, INTENT: intent, INTENT_RANKING_KEY: ranking})


def classify(text: str, confidence: float = 0.85) -> str:
    component = ReadableTextFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.05})
    [message] = component.process([classified(text, confidence)])
    return message.get(INTENT)[INTENT_NAME_KEY]


def test_unreadable_scripts_fall_back_even_with_high_confidence():
    for text in ["你好，我想申请许可证", "مرحبا كيف حالك", "😀😀🙏", "   ", "!!!???"]:
        assert not is_readable(text)
        assert classify(text) == "nlu_fallback", text


def test_readable_text_keeps_rasa_behaviour():
    assert classify("iya betul") == "affirm"
    assert classify("Ok 👍") == "affirm"
    assert classify("iya betul", confidence=0.3) == "nlu_fallback"  # below the threshold
    assert is_readable("café") and is_readable("503")
