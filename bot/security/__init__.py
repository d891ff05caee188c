"""Security policy and mechanisms of Pandu Izin (threat model and settings: docs/security.md).

- `config`: start-up policy for `make run`: secrets (generated for local use), which interface may
  serve the Rasa HTTP API, the CORS allow-list.
- `hashing`: HMACs with the server secret (sender ids, client addresses) and masked ids for logs.
- `redaction`: what of a conversation is never written into the tracker's events.
- `action_server`: rasa-sdk's action server behind a shared secret, with bounded requests.
- `retention`, `cli`: `python -m bot data retensi|hapus` (conversations kept only as long as needed).
"""
