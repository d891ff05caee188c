"""Rasa custom actions (rasa-sdk), one module per concern.

`rasa run actions --actions actions` imports every module here and registers each concrete
`Action` subclass; nothing in this package may open a database connection at import time.
"""
