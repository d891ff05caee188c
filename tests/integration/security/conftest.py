"""Fixtures of the security tests: the databases of tests/permohonan_support.py."""

from tests.permohonan_support import db_url  # noqa: F401  (fixture for this folder)
