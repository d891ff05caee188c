"""Passwords of staff accounts: Argon2id (argon2-cffi, its recommended parameters)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PANJANG_MINIMAL = 10
PANJANG_MAKSIMAL = 256  # hashing megabytes of "password" is a denial of service, not a login


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def masalah_sandi(sandi: str) -> list[str]:
    """Why a new password is refused (empty list: acceptable)."""
    problems = []
    if len(sandi) < PANJANG_MINIMAL:
        problems.append(f"kata sandi minimal {PANJANG_MINIMAL} karakter")
    if len(sandi) > PANJANG_MAKSIMAL:
        problems.append(f"kata sandi maksimal {PANJANG_MAKSIMAL} karakter")
    if sandi.strip() != sandi or not sandi.strip():
        problems.append("kata sandi tidak boleh diawali/diakhiri spasi")
    return problems


def hash_sandi(sandi: str) -> str:
    return _hasher().hash(sandi)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("bukan-sandi-siapa-pun")


def cocok(hash_tersimpan: str | None, sandi: str) -> bool:
    """Constant-effort check: an unknown user costs the same as a wrong password."""
    if len(sandi) > PANJANG_MAKSIMAL:
        return False
    try:
        return _hasher().verify(hash_tersimpan or _dummy_hash(), sandi) and hash_tersimpan is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def perlu_hash_ulang(hash_tersimpan: str) -> bool:
    """True when the stored hash uses older parameters than the library's current ones."""
    try:
        return _hasher().check_needs_rehash(hash_tersimpan)
    except InvalidHashError:
        return True
