"""The words of each notification (Indonesian, plain text: every channel can carry it).

No name and no phone number: an application number, a ticket, a status, the office's note or
response (what the person would read on "cek status" / "cek pengaduan"), and the way out.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

BERHENTI = 'Ketik "berhenti" bila tidak ingin menerima kabar lagi.'
AJAKAN_SKM = (
    'Bantu kami memperbaiki pelayanan: ketik "isi survei" untuk mengisi Survei Kepuasan Masyarakat '
    "(9 pertanyaan singkat, anonim)."
)
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
TEKS_MAKS = 1500  # a note or response longer than this is cut (the full text is on "cek ...")


def tanggal(day: date) -> str:
    """'14 Desember 2026'."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def _cut(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEKS_MAKS else text[: TEKS_MAKS - 1] + "…"


def status_permohonan(
    nomor: str,
    status: str,
    status_label: str,
    layanan: Optional[str],
    wilayah_nama: Optional[str],
    catatan: Optional[str] = None,
    nomor_izin: Optional[str] = None,
) -> str:
    where = ", ".join(x for x in (layanan, wilayah_nama) if x)
    lines = [f"Kabar permohonan {nomor}" + (f" ({where})" if where else "") + ":"]
    lines.append(f"Status sekarang: {status_label}.")
    if status == "selesai" and nomor_izin:
        lines.append(f"Nomor izin: {nomor_izin}.")
    if catatan:
        label = "Yang perlu dilengkapi" if status == "dikembalikan" else "Catatan petugas"
        lines.append(f"{label}: {_cut(catatan)}")
    lines.append('Rinciannya: ketik "cek status permohonan".')
    if status == "selesai":
        lines.append(AJAKAN_SKM)
    else:
        lines.append(BERHENTI)
    return "\n".join(lines)


def status_pengaduan(kode: str, status: str, status_label: str, tanggapan: Optional[str] = None) -> str:
    lines = [f"Kabar pengaduan {kode}:", f"Status sekarang: {status_label}."]
    if tanggapan:
        lines.append(f"Tanggapan petugas: {_cut(tanggapan)}")
    lines.append(f'Rinciannya: ketik "cek pengaduan {kode}".')
    if status == "selesai":
        lines.append(AJAKAN_SKM)
    elif status != "ditolak":
        lines.append(BERHENTI)
    return "\n".join(lines)


def kanal_nasional_baris(region: Any) -> list[str]:
    """'SP4N-LAPOR!: situs https://www.lapor.go.id, SMS 1708' from the region data (empty if none)."""
    national = getattr(getattr(region, "pengaduan", None), "kanal_nasional", None)
    if national is None:
        return []
    ways = []
    if national.website:
        ways.append(f"situs {national.website}")
    if national.sms:
        ways.append(f"SMS ke {national.sms}")
    return [f"{national.nama}: {', '.join(ways)}" if ways else national.nama]


def lewat_tenggat(
    kode: str,
    tenggat: date,
    hari_kerja: int,
    dasar_label: str,
    region: Any,
    eskalasi_kepada: Optional[str] = None,
) -> str:
    lines = [
        f"Kabar pengaduan {kode}:",
        f"Sampai batas waktu {tanggal(tenggat)} ({hari_kerja} hari kerja menurut {dasar_label}) pengaduan "
        "Anda belum mendapat tanggapan. Mohon maaf atas keterlambatan ini.",
    ]
    if eskalasi_kepada:
        lines.append(f"Pengaduan Anda sudah diteruskan ke {eskalasi_kepada}.")
    national = kanal_nasional_baris(region)
    if national:
        lines.append(
            "Bila Anda ingin melanjutkan, Anda dapat menyampaikan pengaduan ini ke kanal pengaduan "
            "pelayanan publik nasional " + national[0] + f". Sebutkan nomor tiket {kode}."
        )
    lines.append(f'Perkembangannya: ketik "cek pengaduan {kode}".')
    return "\n".join(lines)
