"""What never reaches the tracker's events: answers to secret form questions, their slots, summaries."""

from __future__ import annotations

from bot.security.redaction import PERSONAL_MARK, REDACTED, redact, secret_values


def user(text: str) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": [{"value": text}],
            "text": text,
            "text_normalized": text,
            "metadata": {"pandu_klien": "k"},
        },
        "metadata": {},
    }


def slot(name: str, value) -> dict:  # noqa: ANN001
    return {"event": "slot", "name": name, "value": value}


def test_answers_to_secret_questions_and_their_slots_are_redacted():
    events = [
        slot("requested_slot", "pengaduan_uraian"),
        user("Petugas minta uang Rp 250.000"),
        slot("pengaduan_uraian", "Petugas minta uang Rp 250.000"),
        slot("requested_slot", "pengaduan_konfirmasi"),
        {
            "event": "bot",
            "text": "Ringkasan: Petugas minta uang",
            "metadata": {PERSONAL_MARK: True},
            "data": {},
        },
        user("ya"),
        {"event": "bot", "text": "Tersimpan", "metadata": {}, "data": {}},
    ]
    stored = redact(events)
    text = repr(stored)
    assert "250.000" not in text and "Petugas" not in text
    assert stored[1]["text"] == REDACTED and stored[1]["parse_data"]["intent"]["name"] == "inform"
    assert stored[1]["parse_data"]["entities"] == [] and stored[1]["parse_data"]["metadata"] == {
        "pandu_klien": "k"
    }
    assert stored[2]["value"] == REDACTED and stored[4]["text"] == REDACTED
    assert stored[5]["text"] == "ya" and stored[6]["text"] == "Tersimpan"  # the rest is untouched
    assert events[1]["text"] == "Petugas minta uang Rp 250.000"  # the live tracker keeps its data


def test_the_form_state_before_the_new_events_decides():
    stored = redact(
        [user("4401"), slot("kode_verifikasi", "4401"), slot("kode_verifikasi", None)], "kode_verifikasi"
    )
    assert stored[0]["text"] == REDACTED and stored[1]["value"] == REDACTED and stored[2]["value"] is None
    after_form = redact(
        [{"event": "active_loop", "name": None}, user("syarat izin apotek")], "kode_verifikasi"
    )
    assert after_form[1]["text"] == "syarat izin apotek"


def test_secret_values_are_kept_or_deleted():
    values = secret_values(
        [
            ("pengaduan_nama", "Budi"),
            ("pengaduan_kontak", None),
            ("layanan", "x"),
            ("kode_verifikasi", REDACTED),
        ]
    )
    assert values == {"pengaduan_nama": "Budi", "pengaduan_kontak": None, "kode_verifikasi": None}
