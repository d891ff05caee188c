"""WhatsApp Cloud API JSON <-> Rasa messages: pure code, no network, no Rasa import.

Inbound: a webhook body becomes a list of `Incoming` (statuses ignored, interactive replies mapped
back to their Rasa payloads). Outbound: Rasa text and buttons become Graph API message bodies within
WhatsApp's limits (reply buttons <= 3, list rows <= 10, titles 20/24 chars, body 1024, text 4096).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.channels.payload_keys import PayloadKeys
from bot.channels.text import split_text, truncate

TEXT_LIMIT = 4096
BODY_LIMIT = 1024
MAX_REPLY_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200  # reply-button ids may be 256, list-row ids 200: use the smaller for both
LIST_BUTTON_LABEL = "Lihat pilihan"
LIST_SECTION_TITLE = "Pilihan"
CHOOSE_TEXT = "Silakan pilih:"
NUMBERED_INTRO = "Balas dengan nomor pilihan Anda:"

# Message types that carry something we cannot read: answered with "saya hanya bisa membaca pesan teks".
TEXT = "text"
PAYLOAD = "payload"  # a button or list reply, or a template quick-reply button
UNSUPPORTED = "unsupported"
# Not addressed to us as a question: no reply at all.
_SILENT_TYPES = {"reaction", "system", "request_welcome", "ephemeral", "errors"}


class InvalidWebhook(ValueError):
    """The body is not a WhatsApp Business Account webhook at all (answered with 400)."""


@dataclass(frozen=True)
class Incoming:
    """One user message from a webhook."""

    message_id: str
    sender: str  # business-scoped user id when present, else the phone number
    kind: str  # TEXT, PAYLOAD or UNSUPPORTED
    text: str = ""  # the text, or the Rasa payload of a pressed button ("" if forgotten)
    phone: str | None = None
    message_type: str = ""  # WhatsApp's own type ("text", "image", "interactive", ...)


def parse_webhook(body: Any, keys: PayloadKeys) -> list[Incoming]:
    """Webhook JSON -> user messages. Raises InvalidWebhook only for a body that is not a webhook.

    Entries with missing or odd fields are skipped one by one, so one bad entry loses nothing else.
    """
    if not isinstance(body, dict) or body.get("object") != "whatsapp_business_account":
        raise InvalidWebhook("not a whatsapp_business_account webhook")
    entries = body.get("entry")
    if not isinstance(entries, list):
        raise InvalidWebhook("webhook without an entry list")
    incoming: list[Incoming] = []
    for entry in entries:
        for change in _dicts(entry.get("changes") if isinstance(entry, dict) else None):
            value = change.get("value")
            if isinstance(value, dict):
                contacts = list(_dicts(value.get("contacts")))
                incoming.extend(
                    filter(None, (_parse_message(m, contacts, keys) for m in _dicts(value.get("messages"))))
                )
    return incoming


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _parse_message(
    message: dict[str, Any], contacts: list[dict[str, Any]], keys: PayloadKeys
) -> Incoming | None:
    message_id = message.get("id")
    phone = _str(message.get("from"))
    contact = _contact_for(phone, contacts)
    user_id = _str(message.get("from_user_id")) or _str(contact.get("user_id"))
    sender = user_id or phone or _str(contact.get("wa_id"))
    message_type = _str(message.get("type")) or ""
    if not isinstance(message_id, str) or not message_id or not sender or message_type in _SILENT_TYPES:
        return None
    common = {"message_id": message_id, "sender": sender, "phone": phone, "message_type": message_type}

    if message_type == "text":
        body = message.get("text", {}).get("body") if isinstance(message.get("text"), dict) else None
        if not isinstance(body, str) or not body.strip():
            return None
        return Incoming(kind=TEXT, text=body, **common)
    if message_type == "interactive" and isinstance(message.get("interactive"), dict):
        interactive = message["interactive"]
        reply = (
            interactive.get(interactive.get("type"))
            if interactive.get("type") in ("button_reply", "list_reply")
            else None
        )
        if isinstance(reply, dict):
            return Incoming(kind=PAYLOAD, text=keys.decode(_str(reply.get("id"))) or "", **common)
    if message_type == "button" and isinstance(message.get("button"), dict):
        # A quick-reply button of a template message: its payload (or label) is the answer.
        button = message["button"]
        text = _str(button.get("payload")) or _str(button.get("text"))
        if text:
            return Incoming(kind=TEXT, text=text, **common)
    return Incoming(kind=UNSUPPORTED, **common)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _contact_for(phone: str | None, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    for contact in contacts:
        if phone and contact.get("wa_id") == phone:
            return contact
    return contacts[0] if len(contacts) == 1 else {}


# --- outbound ---------------------------------------------------------------------------------
def address(recipient_id: str) -> dict[str, str]:
    """Phone numbers go in `to`; business-scoped user ids (e.g. "ID.1234...") in `recipient`."""
    if recipient_id.isdigit():
        return {"to": recipient_id}
    return {"recipient": recipient_id}


def message_body(recipient_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """The full Graph API body for one message built by the functions below."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        **address(recipient_id),
        **message,
    }


def text_messages(text: str) -> list[dict[str, Any]]:
    return [
        {"type": "text", "text": {"body": chunk, "preview_url": False}}
        for chunk in split_text(text, TEXT_LIMIT)
    ]


@dataclass(frozen=True)
class Outgoing:
    messages: list[dict[str, Any]]
    # Payloads offered as a numbered list (more than 10 buttons): a reply "2" means numbered[1].
    numbered: tuple[str, ...] = ()


def button_messages(text: str, buttons: list[dict[str, Any]], keys: PayloadKeys) -> Outgoing:
    """Rasa text + buttons -> reply buttons (<= 3), a list message (<= 10) or numbered text."""
    options = [
        (str(b.get("title") or b.get("payload")), str(b.get("payload") or b.get("title")))
        for b in buttons
        if isinstance(b, dict) and (b.get("title") or b.get("payload"))
    ]
    if not options:
        return Outgoing(text_messages(text))
    ids = [keys.encode(payload) for _, payload in options]
    if len(set(ids)) == len(ids):
        if len(options) <= MAX_REPLY_BUTTONS:
            titles = [truncate(title, BUTTON_TITLE_LIMIT) for title, _ in options]
            if len(set(titles)) == len(titles):  # WhatsApp refuses two buttons with one title
                action = {
                    "buttons": [
                        {"type": "reply", "reply": {"id": button_id, "title": title}}
                        for button_id, title in zip(ids, titles, strict=True)
                    ]
                }
                return _interactive(text, {"type": "button", "action": action})
        if len(options) <= MAX_LIST_ROWS:
            rows = []
            for row_id, (title, _) in zip(ids, options, strict=True):
                row: dict[str, Any] = {"id": row_id, "title": truncate(title, ROW_TITLE_LIMIT)}
                if row["title"] != " ".join(title.split()):  # cut: the full name goes below it
                    row["description"] = truncate(title, ROW_DESCRIPTION_LIMIT)
                rows.append(row)
            action = {"button": LIST_BUTTON_LABEL, "sections": [{"title": LIST_SECTION_TITLE, "rows": rows}]}
            return _interactive(text, {"type": "list", "action": action})
    numbered = "\n".join(f"{n}. {' '.join(title.split())}" for n, (title, _) in enumerate(options, start=1))
    full = f"{text}\n\n{NUMBERED_INTRO}\n{numbered}" if text.strip() else f"{NUMBERED_INTRO}\n{numbered}"
    return Outgoing(text_messages(full), numbered=tuple(payload for _, payload in options))


def _interactive(text: str, interactive: dict[str, Any]) -> Outgoing:
    """Text beyond the interactive body's 1024 characters goes first as plain text messages."""
    chunks = split_text(text, TEXT_LIMIT)
    body = CHOOSE_TEXT
    if chunks and len(chunks[-1]) <= BODY_LIMIT:
        body = chunks.pop()
    leading = [m for chunk in chunks for m in text_messages(chunk)]
    return Outgoing(
        [*leading, {"type": "interactive", "interactive": {**interactive, "body": {"text": body}}}]
    )


class NumberedChoices:
    """Remembers, per sender, the payloads last offered as a numbered list (bounded)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._choices: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def offer(self, sender: str, payloads: tuple[str, ...]) -> None:
        self._choices[sender] = payloads
        self._choices.move_to_end(sender)
        while len(self._choices) > self.capacity:
            self._choices.popitem(last=False)

    def resolve(self, sender: str, text: str) -> str:
        """The payload when `text` is the number of an offered choice, else the text unchanged."""
        payloads = self._choices.get(sender)
        number = text.strip().rstrip(".")
        if payloads and number.isdigit() and 1 <= int(number) <= len(payloads):
            del self._choices[sender]
            return payloads[int(number) - 1]
        return text
