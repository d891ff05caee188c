"""Rasa replies -> Telegram messages (pure)."""

from __future__ import annotations

from bot.channels.rasa_rest import Button, Reply
from bot.channels.telegram.convert import (
    BUTTONS_ONLY_TEXT,
    MESSAGE_LIMIT,
    CallbackKeys,
    messages_for,
    sender_id,
)


def test_sender_id_is_the_chat_id_rasa_keys_it_in_the_telegram_namespace():
    assert sender_id(12345) == "12345"
    assert sender_id(-100987) == "-100987"  # group chats have negative ids


def test_plain_reply_is_one_message_without_keyboard():
    [message] = messages_for(Reply("Halo"), CallbackKeys())
    assert message.text == "Halo" and message.keyboard is None


def test_buttons_become_one_row_each_with_callback_data_within_64_bytes():
    keys = CallbackKeys()
    long_payload = '/pilih_layanan{"layanan":"kabupaten-purwakarta/izin-usaha-toko-obat-dan-apotek"}'
    reply = Reply("Pilih:", (Button("Toko Obat", long_payload), Button("Apotek", '/pilih{"x":1}')))
    [message] = messages_for(reply, keys)
    rows = message.keyboard.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["Toko Obat"], ["Apotek"]]
    data = [row[0].callback_data for row in rows]
    assert all(len(d.encode("utf-8")) <= 64 for d in data)
    assert [keys.decode(d) for d in data] == [long_payload, '/pilih{"x":1}']


def test_buttons_without_text_still_get_a_message():
    [message] = messages_for(Reply("", (Button("Ya", "/affirm"),)), CallbackKeys())
    assert message.text == BUTTONS_ONLY_TEXT and message.keyboard is not None


def test_long_reply_is_split_and_keyboard_goes_on_the_last_part():
    text = "\n".join("persyaratan " + str(n) + " " + "a" * 200 for n in range(60))
    messages = messages_for(Reply(text, (Button("Lanjut", "/lanjut"),)), CallbackKeys())
    assert len(messages) == 4
    assert all(len(m.text) <= MESSAGE_LIMIT for m in messages)
    assert "\n".join(m.text for m in messages) == text
    assert [m.keyboard is not None for m in messages] == [False, False, False, True]
