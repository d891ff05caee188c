"""Staff (petugas): accounts, the audit trail, conversations handed to a person, and staff messages.

The tables live in `models.py` (migration 0006_konsol), the queries in `repository.py`; office
hours come from the region data (`bot/knowledge/operasional.py`); the conversation history is read
from Rasa's tracker store by `riwayat.py`. The web console that staff use is `bot/konsol/`; the
dialogue side (asking for a person, cancelling) is `actions/handoff.py`.
"""
