"""`python -m bot.security.rasa_server run ...`: Rasa's command line, with the API credentials taken
from the environment instead of the command line.

Every user of a machine can read every process's command line (`ps`); a token passed as
`--auth-token` would be readable too. This wrapper reads `PANDU_RASA_TOKEN`, `PANDU_RASA_JWT_SECRET`
and `PANDU_RASA_JWT_METHOD` (default HS256), removes them from the environment, and hands them to
Rasa's own argument parser inside the process.
"""

from __future__ import annotations

import os
import sys


def rasa_argv(argv: list[str], env: dict[str, str]) -> list[str]:
    """The arguments for Rasa: `argv` plus the credentials found in `env` (which are removed)."""
    token = env.pop("PANDU_RASA_TOKEN", "").strip()
    jwt_secret = env.pop("PANDU_RASA_JWT_SECRET", "").strip()
    jwt_method = env.pop("PANDU_RASA_JWT_METHOD", "").strip() or "HS256"
    argv = list(argv)
    if token:
        argv += [f"--auth-token={token}"]  # one argument: a random token may start with "-"
    if jwt_secret:
        argv += ["--jwt-secret", jwt_secret, "--jwt-method", jwt_method]
    return argv


def main() -> None:
    argv = rasa_argv(sys.argv[1:], os.environ)  # type: ignore[arg-type]
    sys.argv = ["rasa", *argv]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
