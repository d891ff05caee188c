"""Login sessions and CSRF for the console.

- The session cookie carries a random token and its HMAC-SHA256 signature (key: PANDU_KONSOL_SECRET,
  see bot/petugas/rahasia.py); the database keeps only the token's SHA-256 (`sesi_staf`), so logout
  and a disabled account end the session at once. HttpOnly, SameSite=Strict, path /konsol, Secure
  behind HTTPS.
- Every form carries the session's CSRF token (the login form a signed pre-session token, double
  submitted); every POST without the right one is refused with 403 before anything is done.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any, Optional

COOKIE = "pandu_konsol"
COOKIE_CSRF_LOGIN = "pandu_konsol_masuk"
PATH = "/konsol"


def sign(key: bytes, value: str) -> str:
    mac = hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()
    return value + "." + base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def unsign(key: bytes, signed: Optional[str]) -> Optional[str]:
    """The value of a signed cookie, or None when it is missing or tampered with."""
    if not signed or "." not in signed or len(signed) > 512:
        return None
    value, _, _sig = signed.rpartition(".")
    return value if hmac.compare_digest(sign(key, value).encode("utf-8"), signed.encode("utf-8")) else None


def same(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected).encode(), str(given).encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def https(request: Any, forced: bool) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").lower()
    return forced or forwarded == "https" or request.scheme == "https"


def set_cookie(response: Any, name: str, value: str, max_age: Optional[int], secure: bool) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = PATH
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if max_age is not None:
        cookie["max-age"] = max_age
    if secure:
        cookie["secure"] = True


def clear_cookie(response: Any, name: str, secure: bool) -> None:
    set_cookie(response, name, "", 0, secure)
