"""Start-up policy of `make run`: which interface may serve what, secrets, browser origins.

Pure functions over the environment and a few files; `bot.run` calls them and passes the results
to the processes it starts. Nothing here starts a process.

- The Rasa HTTP API (trackers, events, model) always needs a token. On a loopback interface a
  random one is created once and kept in `$PANDU_DATA_DIR/rasa_api_token` (mode 0600) for local
  tools; on any other interface the operator must set `PANDU_RASA_TOKEN` or `PANDU_RASA_JWT_SECRET`
  (an unknown generated token on a public port would be a trap), else `make run` refuses to start.
- The action server and the Telegram gateway authenticate with shared secrets, random per run
  unless set (`PANDU_ACTIONS_SECRET`, `PANDU_GATEWAY_SECRET`: needed when a process runs alone).
- Browser origins (`PANDU_CORS`): an explicit comma-separated list of `scheme://host[:port]`;
  no wildcard. They apply to the widget's endpoint only, never to the API.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

TOKEN_FILE = "rasa_api_token"
# Request body limits (bytes) of the Sanic servers; SANIC_REQUEST_MAX_SIZE in the environment wins.
RASA_MAX_REQUEST_BYTES = 1_000_000  # webhooks and chat messages are small; 1 MB is generous
ACTIONS_MAX_REQUEST_BYTES = 8_000_000  # a tracker with a long session of answers


class SecurityConfigError(ValueError):
    """A setting that would expose something private; the message says what to set."""


def new_secret() -> str:
    """A random secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or "localhost"."""
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_cors(value: Optional[str]) -> tuple[str, ...]:
    """`PANDU_CORS` -> origins. Empty: none. A wildcard or anything but an origin is refused."""
    origins: list[str] = []
    for raw in (value or "").replace(" ", ",").split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        if "*" in origin:
            raise SecurityConfigError(
                "PANDU_CORS: no wildcard; list the office site's origin(s), e.g. https://dpmptsp.example.go.id"
            )
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
            raise SecurityConfigError(f"PANDU_CORS: {origin!r} is not an origin (scheme://host[:port])")
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


def check_environment(env: Mapping[str, str]) -> None:
    """Refuse settings that would serve the Rasa HTTP API unauthenticated beyond this machine."""
    host = env.get("PANDU_HOST", "127.0.0.1")
    if not is_loopback(host) and not (env.get("PANDU_RASA_TOKEN") or env.get("PANDU_RASA_JWT_SECRET")):
        raise SecurityConfigError(
            f"PANDU_HOST={host} would serve Rasa's HTTP API (conversations, model) beyond this machine: "
            "set PANDU_RASA_TOKEN (or PANDU_RASA_JWT_SECRET) as well, and expose only /webhooks/ "
            "through the reverse proxy (docs/security.md)"
        )
    parse_cors(env.get("PANDU_CORS"))


def local_token(folder: Path) -> str:
    """The Rasa API token kept in `folder/rasa_api_token` (created once, mode 0600)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / TOKEN_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        token = path.read_text(encoding="ascii").strip()
        if token:
            return token
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    token = new_secret()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    return token


def sanic_limit(default_bytes: int) -> dict[str, str]:
    """SANIC_REQUEST_MAX_SIZE for a server's environment, unless the operator set one."""
    if os.environ.get("SANIC_REQUEST_MAX_SIZE"):
        return {}
    return {"SANIC_REQUEST_MAX_SIZE": str(default_bytes)}
