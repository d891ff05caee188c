"""Fixtures of the follow-through tests: see tests/tindak_lanjut_support.py."""

from tests.permohonan_support import db_url  # noqa: F401  (fixtures for this folder)
from tests.tindak_lanjut_support import tl_factory, tl_url  # noqa: F401
