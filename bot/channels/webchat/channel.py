"""Serves the chat widget and its demo page from the Rasa server (no separate web server).

credentials.yml:

    bot.channels.webchat.channel.WebchatInput:

The widget itself posts to the REST channel (`rest:` in credentials.yml); a page on another origin
needs that origin in Rasa's `--cors` list (see docs/channels.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.webchat import asset


class WebchatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_widget", __name__)

        @webchat.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            return response.redirect("demo")  # relative: /webhooks/webchat/demo

        @webchat.route("/<name>", methods=["GET"])
        async def serve(request: Request, name: str) -> HTTPResponse:
            found = asset(name)
            if found is None:
                return response.text("not found", status=404)
            body, headers = found
            content_type = headers.pop("Content-Type")
            return response.raw(body, headers=headers, content_type=content_type)

        return webchat
