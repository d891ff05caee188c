"""Telling people on their own channel: application status changes and complaint follow-up, to
those who agreed, recorded and retried (docs/tindak-lanjut.md)."""
