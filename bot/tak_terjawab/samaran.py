"""Masking personal data in what people typed, before it is stored for staff (unanswered questions,
survey comments).

Masked: e-mail addresses, NIK (16 digits), phone numbers (Indonesian: 0..., +62..., 62..., 8 to 15
digits with spaces, dots, dashes or brackets), application numbers (503/0451/IZ/2026), complaint
tickets, names after "nama saya / atas nama / a.n.", and any value the conversation gave as a name or
a verification code in a form (passed in as `nama_dikenal` / `kode_dikenal`). What remains is the
question itself: "syarat izin karaoke di balangan?".
"""

from __future__ import annotations

import re
from typing import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
NIK = re.compile(r"(?<!\d)\d{6}[\s.]?\d{6}[\s.]?\d{4}(?!\d)")
# A phone number starts with 0, 62 or +62; up to 15 digits in all, separators between them.
TELEPON = re.compile(r"(?<![\w/])(?:\+?62|\(?0)[\d\s().-]{6,20}\d(?![\w/])")
NOMOR_PERMOHONAN = re.compile(r"(?<![\w/])[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){2,6}(?![\w/])")
TIKET = re.compile(r"\bADU[\s-]?[A-Z0-9]{4}[\s-]?[A-Z0-9]{4}\b", re.IGNORECASE)
# "nama saya Budi Santoso", "atas nama Siti", "a.n. Rahmat": the (up to three) words after it.
NAMA = re.compile(
    r"\b(nama\s+(?:saya|aku|sy|ku|gue|gw|lengkap(?:\s+saya)?)|namaku|atas\s+nama|a\.?\s?n\.)"
    r"(\s*(?:adalah|:)?\s*)((?:[A-Za-z'.-]+)(?:\s+[A-Za-z'.-]+){0,2})",
    re.IGNORECASE,
)

TANDA = {
    "email": "[email]",
    "nik": "[NIK]",
    "telepon": "[telepon]",
    "nomor": "[nomor permohonan]",
    "tiket": "[tiket]",
    "nama": "[nama]",
    "kode": "[kode]",
}


def _name(match: re.Match[str]) -> str:
    """The name after the cue: its capitalised words when it has any ("a.n. Rahmat Hidayat tolong"),
    else the first two words ("atas nama siti rahma"); what follows stays."""
    words = match.group(3).split()
    capitalised = 0
    while capitalised < len(words) and words[capitalised][:1].isupper():
        capitalised += 1
    taken = capitalised or min(2, len(words))
    rest = " ".join(words[taken:])
    # A sentence's full stop after the name ("nama saya Rina.") is not part of it.
    stop = "." if words[taken - 1].endswith(".") and len(words[taken - 1]) > 2 else ""
    return match.group(1) + match.group(2) + TANDA["nama"] + stop + (" " + rest if rest else "")


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return TANDA["telepon"] if 8 <= len(digits) <= 15 else match.group(0)


def samarkan(text: str, nama_dikenal: Iterable[str] = (), kode_dikenal: Iterable[str] = ()) -> str:
    """`text` with personal data replaced by [email], [NIK], [telepon], [nomor permohonan], [tiket],
    [nama], [kode]."""
    # E-mail addresses first: a name inside one ("rahmat@...") must not break it up.
    text = EMAIL.sub(TANDA["email"], str(text or ""))
    text = NAMA.sub(_name, text)
    for name in sorted({n.strip() for n in nama_dikenal if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(name) + r"(?!\w)", TANDA["nama"], text, flags=re.IGNORECASE)
        for part in name.split():
            if len(part) >= 3:
                text = re.sub(
                    r"(?<!\w)" + re.escape(part) + r"(?!\w)", TANDA["nama"], text, flags=re.IGNORECASE
                )
    text = TIKET.sub(TANDA["tiket"], text)
    text = NOMOR_PERMOHONAN.sub(TANDA["nomor"], text)
    text = NIK.sub(TANDA["nik"], text)
    text = TELEPON.sub(_phone, text)
    for code in {c.strip() for c in kode_dikenal if c and c.strip().isdigit()}:
        text = re.sub(r"(?<!\d)" + re.escape(code) + r"(?!\d)", TANDA["kode"], text)
    return re.sub(r"(\[nama\])(\s+\[nama\])+", r"\1", text)
