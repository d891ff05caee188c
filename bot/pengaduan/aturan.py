"""What a region's standard says about complaints, read from the text of its `pengaduan` component.

Nothing here is per region: the rules are found in the knowledge base's own words (e.g. Purwakarta:
"paling lambat 14 (empat belas) hari kerja sejak diterimanya pengaduan", "paling lambat 30 (tiga
puluh) hari kalender sejak pemohon menerima pelayanan", "Pengaduan yang tidak disertai dengan
identitas pelapor ... diperlakukan sebagai saran atau masukan"). Where a standard says nothing, the
field stays None/False and the assistant promises nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

_NUM = r"(\d{1,3})\s*(?:\([^)]{0,40}\))?\s*"
_RESPONSE_RE = re.compile(
    r"paling\s+lambat\s+" + _NUM + r"hari\s+kerja\s+sejak\s+diterima(?:nya)?\s+pengaduan", re.IGNORECASE
)
_FILING_RE = re.compile(
    r"paling\s+lambat\s+" + _NUM + r"hari(?:\s+kalender)?\s+sejak\s+pemohon", re.IGNORECASE
)
_NO_IDENTITY_RE = re.compile(
    r"tidak\s+disertai\s+(?:dengan\s+)?identitas.{0,120}?diperlakukan\s+sebagai\s+saran",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class AturanPengaduan:
    """Complaint rules of one standard, each with the sentence it comes from (for citations)."""

    standard_id: Optional[str]
    waktu_tanggapan_hari_kerja: Optional[int] = None
    batas_pengajuan_hari: Optional[int] = None
    tanpa_identitas_jadi_saran: bool = False
    kanal: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kutipan: tuple[str, ...] = ()


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind(";", 0, start), text.rfind("\n", 0, start))
    right_candidates = [
        i for i in (text.find(";", end), text.find("\n", end), text.find(". ", end)) if i >= 0
    ]
    right = min(right_candidates) if right_candidates else len(text)
    return " ".join(text[left + 1 : right].split())


def waktu_tanggapan_dari_teks(text: str) -> Optional[tuple[int, str]]:
    """(working days, the sentence that says so) when a complaint text states a response time."""
    m = _RESPONSE_RE.search(text or "")
    if m is None:
        return None
    return int(m.group(1)), _sentence(text, m.start(), m.end())


def aturan_dari_standar(standard: Any) -> AturanPengaduan:
    """Read the rules from a `views.Standard` (None -> no rules)."""
    if standard is None:
        return AturanPengaduan(None)
    comp = standard.komponen.get("pengaduan")
    if comp is None:
        return AturanPengaduan(standard.id)
    text = comp.teks or ""
    kutipan: list[str] = []
    waktu = batas = None
    if found := waktu_tanggapan_dari_teks(text):
        waktu = found[0]
        kutipan.append(found[1])
    if m := _FILING_RE.search(text):
        batas = int(m.group(1))
        kutipan.append(_sentence(text, m.start(), m.end()))
    saran = False
    if m := _NO_IDENTITY_RE.search(text):
        saran = True
        kutipan.append(_sentence(text, m.start(), m.end()))
    kanal = {k: tuple(v) for k, v in (comp.extra.get("kanal") or {}).items() if v}
    return AturanPengaduan(standard.id, waktu, batas, saran, kanal, tuple(kutipan))


def standar_acuan(session: Any, wilayah: Optional[str], standard_id: Optional[str]) -> Any:
    """The standard whose complaint component applies: the related one, else the region's first
    standard (a region's standards share one complaint procedure in the decrees)."""
    from bot.knowledge import repository as kb

    if standard_id:
        standard = kb.get_standard(session, standard_id)
        if standard is not None:
            return standard
    if wilayah:
        summaries = kb.list_standards(session, wilayah=wilayah)
        if summaries:
            return kb.get_standard(session, summaries[0].id)
    return None
