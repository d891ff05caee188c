"""How the channels plug into the project: CLI group, `make run` service, credentials.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.__main__ import build_parser
from bot.run import Settings

ROOT = Path(__file__).resolve().parents[3]


def test_telegram_command_is_registered():
    args = build_parser().parse_args(["telegram", "--rasa-url", "http://127.0.0.1:1"])
    assert args.rasa_url == "http://127.0.0.1:1" and args.webhook_url is None and callable(args.func)


def test_telegram_command_without_token_explains_and_exits_2(monkeypatch, capsys):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    args = build_parser().parse_args(["telegram"])
    assert args.func(args) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_the_gateway_needs_the_shared_secret_of_rasas_telegram_input(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.delenv("PANDU_GATEWAY_SECRET", raising=False)
    args = build_parser().parse_args(["telegram"])
    assert args.func(args) == 2
    assert "PANDU_GATEWAY_SECRET" in capsys.readouterr().err


def test_webhook_mode_needs_a_secret(monkeypatch, capsys):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("PANDU_GATEWAY_SECRET", "shared")
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    args = build_parser().parse_args(["telegram", "--webhook-url", "https://bot.example.org/telegram"])
    assert args.func(args) == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err


def test_make_run_starts_the_gateway_only_with_a_token(monkeypatch):
    from bot.channels.telegram.service import telegram_gateway

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert telegram_gateway(Settings()) is None
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = Settings(rasa_port=5999)
    service = telegram_gateway(settings)
    assert service.command[-4:] == ["bot", "telegram", "--rasa-url", "http://127.0.0.1:5999"]
    assert "123:abc" not in " ".join(service.command)  # the secret stays in the environment
    assert service.env["PANDU_GATEWAY_SECRET"] == settings.gateway_secret  # the one Rasa gets too
    assert settings.gateway_secret not in " ".join(service.command)


def test_credentials_register_whatsapp_and_webchat_by_module_path():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "bot.channels.whatsapp.WhatsAppInput" in credentials
    assert "bot.channels.webchat.channel.WebchatInput" in credentials
    from rasa.shared.utils.common import class_from_module_path

    names = {
        "bot.channels.whatsapp.WhatsAppInput": "whatsapp",
        "bot.channels.webchat.channel.WebchatInput": "webchat",
        "bot.channels.telegram.rasa_input.TelegramGatewayInput": "telegram",
    }
    for path, name in names.items():
        channel = class_from_module_path(path).from_credentials(credentials[path])
        assert channel.url_prefix() == name  # served under /webhooks/<name>/
