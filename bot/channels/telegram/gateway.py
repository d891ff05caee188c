"""The Telegram gateway: handlers that forward each message to Rasa and relay the replies.

Polling is the default (an office behind NAT needs no public HTTPS); `webhook.py` adds the
optional webhook mode. The network part stays thin: conversion lives in `convert.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.rasa_rest import TELEGRAM_PATH, AssistantUnavailable, RasaRestClient, Reply
from bot.channels.telegram.convert import HELP_TEXT, START_TEXT, CallbackKeys, messages_for, sender_id
from bot.channels.text import (
    EXPIRED_BUTTON_REPLY,
    NON_TEXT_REPLY,
    is_too_long,
    too_long_reply,
    trouble_reply,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_ATTEMPTS = 3
MAX_RETRY_WAIT_S = 60.0
TYPING_REFRESH_S = 4.0  # Telegram shows "typing…" for about 5 seconds per call


def _retry_delay(exc: RetryAfter) -> float:
    delay = exc.retry_after
    seconds = delay.total_seconds() if isinstance(delay, dtm.timedelta) else float(delay)
    return min(max(seconds, 0.0), MAX_RETRY_WAIT_S)


async def with_retry(call: Callable[[], Awaitable[T]], attempts: int = RETRY_ATTEMPTS) -> T:
    """Run a Bot API call, waiting as long as Telegram says after a flood-control error."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == attempts:
                raise
            delay = _retry_delay(exc)
            logger.info("Telegram rate limit: retrying in %.1f s (attempt %d)", delay, attempt)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


class TelegramGateway:
    """Holds the Rasa client and the button-payload map; its methods are the PTB handlers."""

    def __init__(
        self, rasa_url: str | None = None, rasa_timeout: float = 30.0, secret: str | None = None
    ) -> None:
        self.rasa_url = rasa_url
        self.rasa_timeout = rasa_timeout
        self.secret = secret
        self.keys = CallbackKeys()
        self._rasa: RasaRestClient | None = None
        # One lock per chat keeps a chat's messages in order while chats run concurrently.
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def install(self, application: Application) -> None:
        # New messages only: an edited message or a channel post gets no second answer.
        new = filters.UpdateType.MESSAGE
        application.add_handler(CommandHandler("start", self.on_start, filters=new))
        application.add_handler(CommandHandler("help", self.on_help, filters=new))
        application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.on_text))
        # Any other command (also a typed "/intent{...}") gets the help text, never reaches Rasa.
        application.add_handler(MessageHandler(new & filters.COMMAND, self.on_help))
        application.add_handler(CallbackQueryHandler(self.on_button))
        # Photos, stickers, locations, voice... in a private chat (not group service messages).
        non_text = new & filters.ChatType.PRIVATE & ~filters.TEXT
        application.add_handler(MessageHandler(non_text, self.on_non_text))
        application.add_error_handler(self.on_error)

    async def post_init(self, application: Application) -> None:
        self._rasa = self._client()

    def _client(self) -> RasaRestClient:
        return RasaRestClient(
            self.rasa_url, timeout=self.rasa_timeout, path=TELEGRAM_PATH, secret=self.secret
        )

    async def post_shutdown(self, application: Application) -> None:
        if self._rasa is not None:
            await self._rasa.aclose()
            self._rasa = None

    # --- handlers ----------------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, START_TEXT)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, HELP_TEXT)

    async def on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, NON_TEXT_REPLY)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if is_too_long(message.text):  # answered here: the text never travels to Rasa
            await self._say(context, message.chat_id, too_long_reply(len(message.text)))
            return
        metadata = {"telegram_message_id": message.message_id, "chat_type": update.effective_chat.type}
        await self._converse(context, message.chat_id, message.text, metadata)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        # Answer first: it stops the spinner on the button, whatever happens next.
        try:
            await with_retry(lambda: query.answer())
        except TelegramError as exc:  # e.g. "query is too old": still act on the press
            logger.info("could not answer callback query: %s", exc)
        if query.message is None:
            return  # a button on a message too old for Telegram to include: nothing to reply to
        chat_id = query.message.chat.id
        payload = self.keys.decode(query.data)
        if payload is None:
            await self._say(context, chat_id, EXPIRED_BUTTON_REPLY)
            return
        metadata = {"telegram_callback": True, "chat_type": query.message.chat.type}
        await self._converse(context, chat_id, payload, metadata)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        logger.error("Telegram update failed: %s", context.error, exc_info=context.error)

    # --- plumbing ----------------------------------------------------------------------------
    async def _converse(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, metadata: dict[str, Any]
    ) -> None:
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        async with lock:
            try:
                async with self._typing(context, chat_id):
                    replies = await self._ask_rasa(chat_id, text, metadata)
            except AssistantUnavailable:
                await self._say(context, chat_id, trouble_reply())
                return
            for reply in replies:
                await self._relay(context, chat_id, reply)

    async def _ask_rasa(self, chat_id: int, text: str, metadata: dict[str, Any]) -> list[Reply]:
        if self._rasa is None:  # handlers ran without post_init (should not happen)
            self._rasa = self._client()
        return await self._rasa.send(sender_id(chat_id), text, {"channel": "telegram", **metadata})

    async def _relay(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> None:
        for message in messages_for(reply, self.keys):
            await self._say(context, chat_id, message.text, message.keyboard)

    async def _say(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, keyboard: Any = None
    ) -> None:
        # Plain text, no parse_mode: replies are never interpreted as Markdown or HTML.
        await with_retry(lambda: context.bot.send_message(chat_id=chat_id, text=text, reply_markup=keyboard))

    @contextlib.asynccontextmanager
    async def _typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
        """Keep "typing…" visible until the block ends; a failed indicator never fails the reply."""

        async def keep_typing() -> None:
            while True:
                try:
                    await context.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
                except TelegramError as exc:
                    logger.debug("typing indicator failed: %s", exc)
                await asyncio.sleep(TYPING_REFRESH_S)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def build_application(
    token: str,
    rasa_url: str | None = None,
    base_url: str | None = None,
    rasa_timeout: float = 30.0,
    secret: str | None = None,
) -> Application:
    """A PTB Application wired to the gateway. `base_url` points at another Bot API server (tests);
    `secret` is the shared secret of Rasa's Telegram input (PANDU_GATEWAY_SECRET)."""
    gateway = TelegramGateway(rasa_url, rasa_timeout=rasa_timeout, secret=secret)
    builder: ApplicationBuilder = (
        Application.builder()
        .token(token)
        .concurrent_updates(True)
        .post_init(gateway.post_init)
        .post_shutdown(gateway.post_shutdown)
    )
    if base_url:
        builder = builder.base_url(base_url)
    application = builder.build()
    gateway.install(application)
    application.bot_data["gateway"] = gateway
    return application
