"""Staff HTTP API (bearer token): applications pushed by the office's system, complaint handling."""
