"""Rasa replies <-> Telegram messages: pure code, no network."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.payload_keys import PayloadKeys
from bot.channels.rasa_rest import Button, Reply
from bot.channels.text import split_text, truncate, utf16_length

MESSAGE_LIMIT = 4096  # Telegram's maximum text length (UTF-16 code units)
CALLBACK_DATA_LIMIT = 64  # bytes
BUTTON_TEXT_LIMIT = 64  # longer labels are cut by clients anyway
BUTTONS_ONLY_TEXT = "Silakan pilih:"

START_TEXT = (
    "Halo! Saya Pandu Izin, asisten informasi perizinan DPMPTSP.\n"
    "Tanyakan persyaratan, prosedur, biaya, jangka waktu, atau dasar hukum suatu izin, misalnya:\n"
    "• syarat izin praktik bidan\n"
    "• berapa lama proses izin toko obat?\n"
    "Ketik /help untuk bantuan."
)
HELP_TEXT = (
    "Cara memakai Pandu Izin:\n"
    '• Ketik pertanyaan Anda dengan kalimat biasa, misalnya "biaya izin apotek di OKI".\n'
    "• Tekan tombol pilihan bila saya menawarkan beberapa layanan.\n"
    "• Sebutkan nama kabupaten bila layanan berbeda antar daerah.\n"
    "Saya hanya bisa membaca pesan teks (bukan foto, stiker, lokasi, atau pesan suara)."
)


def sender_id(chat_id: int) -> str:
    """The sender the gateway posts for a Telegram chat: its id. Rasa's Telegram input keeps the
    conversation as `telegram:<chat id>`, apart from every other channel."""
    return str(chat_id)


class CallbackKeys(PayloadKeys):
    """Button payloads as callback data (at most 64 bytes)."""

    def __init__(self, capacity: int = 10_000) -> None:
        super().__init__(CALLBACK_DATA_LIMIT, capacity)


def keyboard_for(buttons: tuple[Button, ...], keys: CallbackKeys) -> InlineKeyboardMarkup | None:
    """One button per row: titles of permit services are long and read best stacked."""
    if not buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(
                truncate(button.title, BUTTON_TEXT_LIMIT), callback_data=keys.encode(button.payload)
            )
        ]
        for button in buttons
    ]
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class OutgoingMessage:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def messages_for(reply: Reply, keys: CallbackKeys) -> list[OutgoingMessage]:
    """One Rasa reply -> Telegram messages: split to the limit, keyboard on the last chunk."""
    chunks = split_text(reply.text, MESSAGE_LIMIT, measure=utf16_length)
    keyboard = keyboard_for(reply.buttons, keys)
    if keyboard is not None and not chunks:
        chunks = [BUTTONS_ONLY_TEXT]
    messages = [OutgoingMessage(chunk) for chunk in chunks]
    if keyboard is not None:
        messages[-1] = OutgoingMessage(messages[-1].text, keyboard)
    return messages
