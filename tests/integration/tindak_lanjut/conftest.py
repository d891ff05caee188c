"""Fixtures of the follow-through tests: see tests/tindak_lanjut_support.py."""

from tests.tindak_lanjut_support import tl_factory, tl_url  # noqa: F401  (fixtures for this folder)
