"""Fixtures of the application/complaint tests (issue 4): see tests/permohonan_support.py."""

from tests.permohonan_support import db_url, factory  # noqa: F401  (fixtures for this folder)
