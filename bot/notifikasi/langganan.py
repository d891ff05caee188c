"""Consent and what follows from it: subscribing, opting out, and turning status changes into
notifications (the `kabar` table), for applications and complaints alike.

Status changes are read from the records' own history (`permohonan_riwayat`, `pengaduan_riwayat`),
which every way of changing a status appends to (console, staff API, CSV import, CLI): each active
subscription remembers the last history row it looked at, and a pass of the follow-up worker turns
the newer rows into notifications. Nothing else needs to call in, and nothing is sent to a
conversation without an active subscription: consent is checked again when sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.notifikasi import teks
from bot.notifikasi.models import SIAP_KIRIM, KabarRow, LanggananKabarRow
from bot.pengaduan.models import STATUS as STATUS_PENGADUAN
from bot.pengaduan.models import PengaduanRiwayatRow, PengaduanRow
from bot.permohonan.models import STATUS as STATUS_PERMOHONAN
from bot.permohonan.models import STATUS_AKHIR, PermohonanRiwayatRow, PermohonanRow, utcnow
from bot.permohonan.repository import hash_pengirim, normalize_nomor
from bot.tindak_lanjut.tenggat import AWALAN_TANGGAPAN

# Channels a notification can reach on its own (the REST test channel and the terminal cannot).
KANAL_KABAR = ("webchat", "telegram", "whatsapp")
STATUS_AKHIR_PENGADUAN = ("selesai", "ditolak")


@dataclass(frozen=True)
class Keadaan:
    """The current status and last history row of the record a subscription follows."""

    status: str
    riwayat_terakhir: int
    wilayah: Optional[str]


def keadaan(session: Session, jenis: str, rujukan: str) -> Optional[Keadaan]:
    if jenis == "permohonan":
        row = session.execute(
            select(PermohonanRow).where(PermohonanRow.nomor == normalize_nomor(rujukan))
        ).scalar_one_or_none()
        model, key = PermohonanRiwayatRow, PermohonanRiwayatRow.permohonan_id
    else:
        row = session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket == rujukan)
        ).scalar_one_or_none()
        model, key = PengaduanRiwayatRow, PengaduanRiwayatRow.pengaduan_id
    if row is None:
        return None
    last = session.execute(select(func.max(model.id)).where(key == row.id)).scalar_one_or_none() or 0
    return Keadaan(row.status, last, row.wilayah)


def langganan(
    session: Session, jenis: str, rujukan: str, percakapan: str, kanal: str, now: Optional[datetime] = None
) -> tuple[Optional[LanggananKabarRow], str]:
    """Subscribe the conversation to one application or complaint. Returns (subscription, outcome):
    'baru', 'sudah' (already active), 'aktif_lagi', or None with 'tidak_ada' / 'kanal' (a channel
    that cannot receive notifications). The caller commits."""
    if kanal not in KANAL_KABAR:
        return None, "kanal"
    rujukan = normalize_nomor(rujukan) if jenis == "permohonan" else rujukan
    state = keadaan(session, jenis, rujukan)
    if state is None:
        return None, "tidak_ada"
    now = now or utcnow()
    pengirim = hash_pengirim(percakapan)
    row = session.execute(
        select(LanggananKabarRow).where(
            LanggananKabarRow.jenis == jenis,
            LanggananKabarRow.rujukan == rujukan,
            LanggananKabarRow.pengirim == pengirim,
        )
    ).scalar_one_or_none()
    if row is not None and row.aktif:
        return row, "sudah"
    outcome = "aktif_lagi" if row is not None else "baru"
    if row is None:
        row = LanggananKabarRow(jenis=jenis, rujukan=rujukan, pengirim=pengirim, dibuat_pada=now)
        session.add(row)
    row.percakapan, row.kanal, row.wilayah, row.aktif = percakapan, kanal[:32], state.wilayah, True
    row.riwayat_terakhir, row.status_terakhir = state.riwayat_terakhir, state.status
    row.berhenti_pada = row.alasan_berhenti = None
    session.flush()
    return row, outcome


def aktif_untuk(session: Session, percakapan: str, jenis: Optional[str] = None) -> list[LanggananKabarRow]:
    query = select(LanggananKabarRow).where(
        LanggananKabarRow.pengirim == hash_pengirim(percakapan), LanggananKabarRow.aktif.is_(True)
    )
    if jenis:
        query = query.where(LanggananKabarRow.jenis == jenis)
    return list(session.execute(query.order_by(LanggananKabarRow.id)).scalars())


def berhenti(session: Session, percakapan: str, now: Optional[datetime] = None) -> list[str]:
    """Opt out of every notification of this conversation: subscriptions end, their address is
    erased, unsent notifications are cancelled. Returns the references stopped. The caller commits."""
    now = now or utcnow()
    rows = aktif_untuk(session, percakapan)
    for row in rows:
        _akhiri(row, "berhenti", now, hapus_alamat=True)
    if rows:
        session.execute(
            update(KabarRow)
            .where(
                KabarRow.langganan_id.in_([r.id for r in rows]),
                KabarRow.status.in_((*SIAP_KIRIM, "menunggu_widget")),
            )
            .values(status="dibatalkan", keterangan="pemohon berhenti berlangganan")
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return [r.rujukan for r in rows]


def _akhiri(row: LanggananKabarRow, alasan: str, now: datetime, hapus_alamat: bool) -> None:
    row.aktif = False
    row.alasan_berhenti = alasan
    row.berhenti_pada = now
    if hapus_alamat:
        row.percakapan = None


def _kabar(
    session: Session, sub: LanggananKabarRow, jenis: str, kunci: str, text: str, now: datetime
) -> Optional[KabarRow]:
    """Add one notification unless this subscription already has it (the unique `kunci`)."""
    key = f"{sub.id}:{kunci}"[:120]
    if session.execute(select(KabarRow.id).where(KabarRow.kunci == key)).first() is not None:
        return None
    row = KabarRow(
        kunci=key,
        langganan_id=sub.id,
        jenis=jenis,
        rujukan=sub.rujukan,
        kanal=sub.kanal,
        teks=text,
        status="antre",
        percobaan=0,
        dibuat_pada=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another worker added it between our look and our insert
        return None
    return row


def _names(
    session: Session, standard_id: Optional[str], wilayah: Optional[str]
) -> tuple[Optional[str], Optional[str]]:
    from bot.knowledge import repository as kb

    standard = kb.get_standard(session, standard_id) if standard_id else None
    region = kb.get_region(session, wilayah) if wilayah else None
    return (standard.nama if standard else None), (region.nama if region else None)


def _aktif(session: Session, jenis: str) -> list[LanggananKabarRow]:
    """The active subscriptions to applications or complaints."""
    row = LanggananKabarRow
    return list(session.execute(select(row).where(row.aktif.is_(True), row.jenis == jenis)).scalars())


def pindai_permohonan(session: Session, now: Optional[datetime] = None) -> int:
    """Notifications for the status changes of applications with active subscriptions."""
    now = now or utcnow()
    subs = _aktif(session, "permohonan")
    made = 0
    for sub in subs:
        app = session.execute(
            select(PermohonanRow).where(PermohonanRow.nomor == sub.rujukan)
        ).scalar_one_or_none()
        if app is None:  # deleted by the office: nothing more to tell
            _akhiri(sub, "tidak_ada", now, hapus_alamat=True)
            continue
        newer = [r for r in app.riwayat if r.id > sub.riwayat_terakhir]
        if not newer:
            continue
        layanan, wilayah_nama = _names(session, app.standard_id, app.wilayah)
        for entry in newer:
            if entry.status != sub.status_terakhir:
                text = teks.status_permohonan(
                    app.nomor,
                    entry.status,
                    STATUS_PERMOHONAN.get(entry.status, entry.status),
                    layanan,
                    wilayah_nama,
                    entry.catatan,
                    app.nomor_izin if entry.status == "selesai" else None,
                )
                if _kabar(session, sub, "status", f"status:{entry.id}", text, now) is not None:
                    made += 1
                sub.status_terakhir = entry.status
            sub.riwayat_terakhir = entry.id
        if sub.status_terakhir in STATUS_AKHIR:
            # The last word was said; the address stays until that notification is delivered.
            _akhiri(sub, "selesai", now, hapus_alamat=False)
    session.flush()
    return made


def pindai_pengaduan(session: Session, now: Optional[datetime] = None) -> int:
    """Notifications for complaints with active subscriptions: a status change or a staff response."""
    now = now or utcnow()
    subs = _aktif(session, "pengaduan")
    made = 0
    for sub in subs:
        complaint = session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket == sub.rujukan)
        ).scalar_one_or_none()
        if complaint is None:
            _akhiri(sub, "tidak_ada", now, hapus_alamat=True)
            continue
        for entry in [r for r in complaint.riwayat if r.id > sub.riwayat_terakhir]:
            response = (
                (entry.catatan or "")[len(AWALAN_TANGGAPAN) :]
                if (entry.catatan or "").startswith(AWALAN_TANGGAPAN)
                else None
            )
            if response is not None or entry.status != sub.status_terakhir:
                text = teks.status_pengaduan(
                    complaint.kode_tiket,
                    entry.status,
                    STATUS_PENGADUAN.get(entry.status, entry.status),
                    response,
                )
                jenis = "tanggapan" if response is not None else "status"
                if _kabar(session, sub, jenis, f"{jenis}:{entry.id}", text, now) is not None:
                    made += 1
                sub.status_terakhir = entry.status
            sub.riwayat_terakhir = entry.id
        if sub.status_terakhir in STATUS_AKHIR_PENGADUAN:
            _akhiri(sub, "selesai", now, hapus_alamat=False)
    session.flush()
    return made


def kabar_lewat_tenggat(session: Session, now: Optional[datetime] = None) -> int:
    """Tell each subscribed complainant whose complaint passed its due date unanswered, once, with
    the national channel (SP4N-LAPOR!) of the region data as the next step."""
    from bot.knowledge import repository as kb
    from bot.tindak_lanjut.eskalasi import langkah_pengaduan
    from bot.tindak_lanjut.tenggat import pastikan_tenggat, posisi

    now = now or utcnow()
    subs = _aktif(session, "pengaduan")
    made = 0
    for sub in subs:
        complaint = session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket == sub.rujukan)
        ).scalar_one_or_none()
        if complaint is None:
            continue
        stored = pastikan_tenggat(session, [complaint])[complaint.id]
        where = posisi(complaint, stored, now)
        if where.keadaan != "terlambat":
            continue
        region = kb.get_region(session, complaint.wilayah) if complaint.wilayah else None
        escalated = [s for s in langkah_pengaduan(session, complaint) if s.dicatat_pada is not None]
        text = teks.lewat_tenggat(
            complaint.kode_tiket,
            where.tenggat,
            where.hari_kerja,
            where.dasar_label,
            region,
            escalated[-1].kepada if escalated else None,
        )
        if _kabar(session, sub, "lewat_tenggat", "lewat_tenggat", text, now) is not None:
            made += 1
    session.flush()
    return made


def rapikan(
    session: Session, now: Optional[datetime] = None, simpan_widget: timedelta = timedelta(days=30)
) -> None:
    """Housekeeping: a widget notification never picked up within `simpan_widget` is given up (staff
    see it); an ended subscription with nothing left to deliver forgets its address."""
    now = now or utcnow()
    session.execute(
        update(KabarRow)
        .where(KabarRow.status == "menunggu_widget", KabarRow.dibuat_pada < now - simpan_widget)
        .values(status="gagal_akhir", keterangan=f"widget tidak dibuka dalam {simpan_widget.days} hari")
        .execution_options(synchronize_session=False)
    )
    pending = select(KabarRow.langganan_id).where(
        KabarRow.status.in_((*SIAP_KIRIM, "mengirim", "menunggu_widget"))
    )
    session.execute(
        update(LanggananKabarRow)
        .where(
            LanggananKabarRow.aktif.is_(False),
            LanggananKabarRow.percakapan.is_not(None),
            LanggananKabarRow.id.not_in(pending),
        )
        .values(percakapan=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def kabar_untuk(session: Session, jenis: str, rujukan: str) -> list[tuple[KabarRow, LanggananKabarRow]]:
    """Notifications of one application or complaint, newest first (the console's detail pages)."""
    if jenis == "permohonan":
        rujukan = normalize_nomor(rujukan)
    rows = session.execute(
        select(KabarRow, LanggananKabarRow)
        .join(LanggananKabarRow, KabarRow.langganan_id == LanggananKabarRow.id)
        .where(LanggananKabarRow.jenis == jenis, KabarRow.rujukan == rujukan)
        .order_by(KabarRow.id.desc())
    ).all()
    return [(k, s) for k, s in rows]


def jumlah_langganan(session: Session, jenis: str, rujukan: str) -> int:
    if jenis == "permohonan":
        rujukan = normalize_nomor(rujukan)
    return session.execute(
        select(func.count())
        .select_from(LanggananKabarRow)
        .where(
            LanggananKabarRow.jenis == jenis,
            LanggananKabarRow.rujukan == rujukan,
            LanggananKabarRow.aktif.is_(True),
        )
    ).scalar_one()


def subjek_selesai(session: Session, percakapan: str) -> Optional[Any]:
    """The latest finished application or closed complaint this conversation followed (the survey's
    subject when the person answers a notification's invitation)."""
    rows = session.execute(
        select(LanggananKabarRow)
        .where(LanggananKabarRow.pengirim == hash_pengirim(percakapan))
        .order_by(LanggananKabarRow.id.desc())
    ).scalars()
    for row in rows:
        if row.status_terakhir == "selesai":
            return row
    return None


def daftar_kabar(
    session: Session, status: Optional[str] = None, limit: int = 200
) -> list[tuple[KabarRow, LanggananKabarRow]]:
    """Notifications for the console's *Kabar* page, newest first; by default those that need staff
    (given up) and those still trying, then the latest delivered."""
    query = (
        select(KabarRow, LanggananKabarRow)
        .join(LanggananKabarRow, KabarRow.langganan_id == LanggananKabarRow.id)
        .order_by(KabarRow.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(KabarRow.status == status)
    rows = session.execute(query).all()
    for kabar, sub in rows:
        session.expunge(kabar)
        session.expunge(sub)
    return [(k, s) for k, s in rows]


def hitung_kabar(session: Session) -> dict[str, int]:
    """How many notifications are in each delivery status."""
    return dict(session.execute(select(KabarRow.status, func.count()).group_by(KabarRow.status)).all())
