"""The numbers of one month's office report, from the project's own records:

- conversations (the tracker store's `events`): conversations and messages per channel, questions
  per service and per component, the share of messages the assistant could not answer (its failure
  replies, as the unanswered-questions log counts them) and of conversations handed to a person;
- the unanswered questions of the month, grouped (bot/tak_terjawab);
- complaints filed in the month: per category and status, and against their due dates
  (bot/tindak_lanjut), with the escalations recorded;
- applications received in the month: their status at the month's end (from their history) and
  those past the standard's deadline then;
- the satisfaction survey (IKM per element and per service, bot/skm).

The month is the calendar month in one time zone: the region's when the report is about one region,
else the console's (PANDU_KONSOL_ZONA, default Asia/Jakarta). Conversations are counted for the whole
deployment (a conversation is not tied to one office); the rest follows the region filter.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from bot.knowledge.schema import INTENT_KOMPONEN, KOMPONEN
from bot.permohonan.models import utcnow

BULAN_RE = re.compile(r"^(\d{4})-(\d{2})$")
KANAL_LABEL = {
    "webchat": "Widget situs",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "rest": "REST (uji coba)",
    "cmdline": "Terminal",
    "-": "Tidak diketahui",
}
TERATAS = 10


def bulan_dari_teks(text: str) -> date:
    """'2026-11' -> date(2026, 11, 1); ValueError with the reason otherwise."""
    match = BULAN_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"bulan {text!r} harus berbentuk YYYY-MM, misalnya 2026-11")
    return date(int(match.group(1)), int(match.group(2)), 1)


def zona_laporan(region: Any) -> ZoneInfo:
    if region is not None:
        from bot.knowledge import operasional

        return operasional.zona(region)
    return ZoneInfo(os.environ.get("PANDU_KONSOL_ZONA", "").strip() or "Asia/Jakarta")


@dataclass(frozen=True)
class Periode:
    bulan: date  # the first day
    zona: str
    awal: datetime  # naive UTC, inclusive
    akhir: datetime  # naive UTC, exclusive

    @property
    def hari_terakhir(self) -> date:
        return (self.bulan.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def periode(bulan: date, zone: ZoneInfo) -> Periode:
    nxt = (bulan.replace(day=28) + timedelta(days=4)).replace(day=1)

    def utc(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)

    return Periode(bulan, zone.key, utc(bulan), utc(nxt))


# --- conversations -----------------------------------------------------------------------------
@dataclass
class Percakapan:
    per_kanal: dict[str, dict[str, int]] = field(default_factory=dict)  # channel -> percakapan, pesan
    per_layanan: list[tuple[str, str, int]] = field(default_factory=list)  # (id, name, messages)
    per_komponen: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, messages)
    percakapan: int = 0
    pesan: int = 0
    tidak_terjawab: int = 0  # messages answered with a failure reply
    dialihkan: int = 0  # conversations handed to a person (requests in the month)

    @property
    def rasio_tidak_terjawab(self) -> Optional[float]:
        return self.tidak_terjawab / self.pesan if self.pesan else None

    @property
    def rasio_dialihkan(self) -> Optional[float]:
        return self.dialihkan / self.percakapan if self.percakapan else None


def _json(raw: Any) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def hitung_percakapan(session: Session, tracker: Session, p: Periode) -> Percakapan:
    from bot.petugas.models import PermintaanPetugasRow
    from bot.petugas.riwayat import EVENTS
    from bot.tak_terjawab.pencatat import GAGAL

    start = p.awal.replace(tzinfo=timezone.utc).timestamp()
    end = p.akhir.replace(tzinfo=timezone.utc).timestamp()
    query = (
        select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.data)
        .where(EVENTS.c.timestamp >= start, EVENTS.c.timestamp < end, EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.id)
    )
    try:
        # Streamed: a busy month holds many events; they are counted one by one, never all in memory.
        rows: Any = tracker.execute(query.execution_options(stream_results=True, yield_per=5000))
    except (OperationalError, ProgrammingError):  # Rasa never ran against this database
        tracker.rollback()
        rows = []
    out = Percakapan()
    senders: dict[str, set[str]] = {}
    messages: Counter[str] = Counter()
    layanan: Counter[str] = Counter()
    komponen: Counter[str] = Counter()
    last_message: dict[str, bool] = {}  # sender -> the latest message was already counted as failed
    for sender, kind, raw in rows:
        data = _json(raw)
        if kind == "user":
            metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
            channel = str(metadata.get("channel") or data.get("input_channel") or "-")
            senders.setdefault(channel, set()).add(sender)
            messages[channel] += 1
            out.pesan += 1
            last_message[sender] = False
            parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
            entities = [e for e in parse.get("entities") or [] if isinstance(e, dict)]
            for standard_id in {e.get("value") for e in entities if e.get("entity") == "layanan"}:
                if isinstance(standard_id, str):
                    layanan[standard_id] += 1
            keys = {e.get("value") for e in entities if e.get("entity") == "komponen"}
            intent = (
                ((parse.get("intent") or {}).get("name")) if isinstance(parse.get("intent"), dict) else None
            )
            if not keys and intent in INTENT_KOMPONEN:
                keys = {INTENT_KOMPONEN[intent]}
            for key in keys:
                if key in KOMPONEN:
                    komponen[key] += 1
        else:
            metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
            if metadata.get("utter_action") in GAGAL and last_message.get(sender) is False:
                last_message[sender] = True
                out.tidak_terjawab += 1
    out.per_kanal = {
        channel: {"percakapan": len(senders[channel]), "pesan": messages[channel]}
        for channel in sorted(senders, key=lambda c: -messages[c])
    }
    out.percakapan = len({s for group in senders.values() for s in group})
    from bot.knowledge import repository as kb

    regions = {r.id: r.nama for r in kb.list_regions(session)}
    names = {s.id: f"{s.nama} ({regions.get(s.wilayah, s.wilayah)})" for s in kb.list_standards(session)}
    out.per_layanan = [(k, names.get(k, k), n) for k, n in layanan.most_common(TERATAS)]
    out.per_komponen = [(k, KOMPONEN[k], n) for k, n in komponen.most_common()]
    out.dialihkan = len(
        {
            r
            for (r,) in session.execute(
                select(PermintaanPetugasRow.percakapan).where(
                    PermintaanPetugasRow.diminta_pada >= p.awal, PermintaanPetugasRow.diminta_pada < p.akhir
                )
            ).all()
        }
    )
    return out


# --- complaints ---------------------------------------------------------------------------------
@dataclass
class Pengaduan:
    jumlah: int = 0
    saran: int = 0
    per_kategori: list[tuple[str, int]] = field(default_factory=list)  # (label, n)
    per_status: list[tuple[str, int]] = field(default_factory=list)
    tepat_waktu: int = 0
    terlambat: int = 0  # answered after the due date
    lewat_belum: int = 0  # unanswered and past the due date at the report's moment
    berjalan: int = 0  # unanswered, due date not reached
    tanpa_tenggat: int = 0
    eskalasi: int = 0
    lewat: list[tuple[str, str, date, int]] = field(
        default_factory=list
    )  # (ticket, category, due, days late)

    @property
    def kepatuhan(self) -> Optional[float]:
        judged = self.tepat_waktu + self.terlambat + self.lewat_belum
        return self.tepat_waktu / judged if judged else None


def hitung_pengaduan(session: Session, p: Periode, wilayah: Optional[str], saat: datetime) -> Pengaduan:
    """Complaints filed in the month, judged against their due dates at `saat` (naive UTC) or at the
    end of the month at their office, whichever comes first."""
    from bot.pengaduan.models import KATEGORI, STATUS, PengaduanRow
    from bot.tindak_lanjut.models import EskalasiPengaduanRow
    from bot.tindak_lanjut.tenggat import pastikan_tenggat, posisi

    query = select(PengaduanRow).where(PengaduanRow.dibuat_pada >= p.awal, PengaduanRow.dibuat_pada < p.akhir)
    if wilayah:
        query = query.where(PengaduanRow.wilayah == wilayah)
    rows = list(session.execute(query.order_by(PengaduanRow.dibuat_pada)).scalars())
    out = Pengaduan(jumlah=len(rows), saran=sum(r.jenis == "saran" for r in rows))
    categories = Counter(r.kategori for r in rows)
    out.per_kategori = [(KATEGORI[k], categories[k]) for k in KATEGORI if categories[k]]
    statuses = Counter(r.status for r in rows)
    out.per_status = [(STATUS[k], statuses[k]) for k in STATUS if statuses[k]]
    stored = pastikan_tenggat(session, rows)

    def judged_at(zone: str) -> datetime:
        # The month's last moment at that office (a WITA office's 30th ends an hour before WIB's).
        end = datetime.combine(p.hari_terakhir, time(23, 59, 59), tzinfo=ZoneInfo(zone))
        return min(saat, end.astimezone(timezone.utc).replace(tzinfo=None))

    for row in rows:
        w = posisi(row, stored[row.id], judged_at(stored[row.id].zona))
        if w.keadaan == "dijawab" and w.tenggat is not None:
            out.tepat_waktu += 1
        elif w.keadaan == "dijawab_terlambat":
            out.terlambat += 1
        elif w.keadaan == "terlambat":
            out.lewat_belum += 1
            out.lewat.append(
                (row.kode_tiket, KATEGORI.get(row.kategori, row.kategori), w.tenggat, w.terlambat_hari_kerja)
            )
        elif w.keadaan in ("berjalan", "segera"):
            out.berjalan += 1
        else:
            out.tanpa_tenggat += 1
    ids = [r.id for r in rows]
    if ids:
        out.eskalasi = len(
            session.execute(
                select(EskalasiPengaduanRow.id).where(EskalasiPengaduanRow.pengaduan_id.in_(ids))
            ).all()
        )
    out.lewat.sort(key=lambda item: -item[3])
    return out


# --- applications -------------------------------------------------------------------------------
@dataclass
class Permohonan:
    jumlah: int = 0
    per_status: list[tuple[str, int]] = field(default_factory=list)
    selesai_tepat: int = 0
    selesai_terlambat: int = 0
    terlambat: list[tuple[str, str, date, int]] = field(default_factory=list)  # (number, service, due, days)
    kabar_terkirim: int = 0
    kabar_gagal: int = 0


def hitung_permohonan(session: Session, p: Periode, wilayah: Optional[str]) -> Permohonan:
    from bot.knowledge import repository as kb
    from bot.notifikasi.models import KabarRow
    from bot.permohonan.kalender import hitung_tenggat, kalender
    from bot.permohonan.models import STATUS, STATUS_AKHIR, PermohonanRow

    query = select(PermohonanRow).where(
        PermohonanRow.tanggal_masuk >= p.bulan, PermohonanRow.tanggal_masuk <= p.hari_terakhir
    )
    if wilayah:
        query = query.where(PermohonanRow.wilayah == wilayah)
    rows = list(session.execute(query.order_by(PermohonanRow.tanggal_masuk, PermohonanRow.id)).scalars())
    out = Permohonan(jumlah=len(rows))
    statuses: Counter[str] = Counter()
    standards: dict[str, Any] = {}
    cal = kalender()
    for row in rows:
        # The status at the month's end: the last history entry recorded before it.
        history = [r for r in row.riwayat if r.dicatat_pada < p.akhir]
        status = history[-1].status if history else row.status
        statuses[status] += 1
        if row.standard_id not in standards:
            standards[row.standard_id] = kb.get_standard(session, row.standard_id)
        standard = standards[row.standard_id]
        jangka = standard.komponen.get("jangka_waktu") if standard is not None else None
        days = jangka.extra.get("hari_kerja_maks") if jangka is not None else None
        if not days or status == "dikembalikan":
            continue
        if status == "selesai":
            done = row.tanggal_selesai or (history[-1].dicatat_pada.date() if history else p.hari_terakhir)
            late = hitung_tenggat(row.tanggal_masuk, int(days), done, cal)
            out.selesai_terlambat += late.terlambat
            out.selesai_tepat += not late.terlambat
        elif status not in STATUS_AKHIR:
            late = hitung_tenggat(row.tanggal_masuk, int(days), p.hari_terakhir, cal)
            if late.terlambat:
                name = standard.nama if standard is not None else row.standard_id
                out.terlambat.append((row.nomor, name, late.batas, late.terlambat_hari_kerja))
    out.per_status = [(STATUS[k], statuses[k]) for k in STATUS if statuses[k]]
    out.terlambat.sort(key=lambda item: -item[3])
    kabar = select(KabarRow.status).where(
        KabarRow.dibuat_pada >= p.awal,
        KabarRow.dibuat_pada < p.akhir,
        KabarRow.rujukan.in_([r.nomor for r in rows] or [""]),
    )
    sent = Counter(s for (s,) in session.execute(kabar).all())
    out.kabar_terkirim = sent["terkirim"]
    out.kabar_gagal = sent["gagal_akhir"]
    return out


# --- the whole report -----------------------------------------------------------------------------
@dataclass
class Laporan:
    periode: Periode
    wilayah: Optional[str]
    wilayah_nama: str
    dibuat_pada: datetime
    percakapan: Percakapan
    tak_terjawab: list[Any]  # bot.tak_terjawab.repository.Kelompok, top groups of the month
    pengaduan: Pengaduan
    permohonan: Permohonan
    ikm_semua: Any  # BarisIkm or None
    ikm_layanan: list[Any]  # BarisIkm per service
    unsur: list[tuple[str, str]]  # (key, name) of the nine elements


def buat_laporan(
    session: Session,
    tracker: Session,
    bulan: date,
    wilayah: Optional[str] = None,
    now: Optional[datetime] = None,
) -> Laporan:
    """Every number of the month's report (`now`: naive UTC, the moment it is made)."""
    from bot.knowledge import repository as kb
    from bot.skm.kuesioner import kuesioner
    from bot.skm.repository import ikm_per
    from bot.tak_terjawab.repository import daftar_kelompok

    region = kb.get_region(session, wilayah) if wilayah else None
    if wilayah and region is None:
        raise ValueError(f"wilayah {wilayah!r} tidak ada di basis pengetahuan")
    p = periode(bulan, zona_laporan(region))
    now = now or utcnow()
    saat = now  # a past month is judged at its end (per office: hitung_pengaduan)
    overall = ikm_per(session, "semua", p.bulan, p.hari_terakhir, wilayah)
    return Laporan(
        periode=p,
        wilayah=wilayah,
        wilayah_nama=region.nama if region else "Semua wilayah",
        dibuat_pada=now,
        percakapan=hitung_percakapan(session, tracker, p),
        tak_terjawab=daftar_kelompok(session, dari=p.awal, sampai=p.akhir, wilayah=wilayah, limit=TERATAS),
        pengaduan=hitung_pengaduan(session, p, wilayah, saat),
        permohonan=hitung_permohonan(session, p, wilayah),
        ikm_semua=overall[0] if overall else None,
        ikm_layanan=[r for r in ikm_per(session, "layanan", p.bulan, p.hari_terakhir, wilayah)],
        unsur=[(u.kunci, u.nama) for u in kuesioner().unsur],
    )
