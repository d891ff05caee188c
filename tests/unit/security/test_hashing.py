"""Keyed hashes: not reversible by enumeration without the server secret."""

from __future__ import annotations

import hashlib
import os
import stat

from bot.security import hashing


def test_sender_hashes_depend_on_the_server_secret(monkeypatch):
    from bot.permohonan.repository import hash_pengirim

    monkeypatch.setenv("PANDU_HASH_SECRET", "one")
    first = hash_pengirim("whatsapp:6281234567890")
    monkeypatch.setenv("PANDU_HASH_SECRET", "two")
    second = hash_pengirim("whatsapp:6281234567890")
    assert first != second and len(first) == 64
    # not the unsalted digest an attacker could compute from a phone number
    assert first != hashlib.sha256(b"pandu-izin:whatsapp:6281234567890").hexdigest()


def test_without_a_configured_secret_one_is_created_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("PANDU_HASH_SECRET", raising=False)
    monkeypatch.setenv("PANDU_DATA_DIR", str(tmp_path))
    value = hashing.keyed_hash("x", "y")
    path = tmp_path / hashing.SECRET_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and len(path.read_text().strip()) == 64
    assert hashing.keyed_hash("x", "y") == value  # stable across calls (and processes: same file)


def test_masked_ids_keep_the_channel_and_hide_the_number(monkeypatch):
    monkeypatch.setenv("PANDU_HASH_SECRET", "s")
    masked = hashing.mask_id("whatsapp:6281234567890")
    assert masked.startswith("whatsapp:#") and "6281234567890" not in masked
    assert masked == hashing.mask_id("whatsapp:6281234567890") != hashing.mask_id("whatsapp:6281234567891")
    assert hashing.mask_id("warga-1").startswith("#")
