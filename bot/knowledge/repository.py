"""Queries of the knowledge base, returning the detached read models of `bot.knowledge.views`.

Every function takes an open `Session` and copies what it needs out of it, so callers (actions, the
NLU linker, the CLI) never hold ORM objects or trigger lazy loads after the session closes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import time
from typing import TYPE_CHECKING, Any, Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.knowledge.models import AliasRow, ButirRow, KomponenRow, StandarRow, WilayahRow
from bot.knowledge.schema import KOMPONEN
from bot.knowledge.views import (
    Component,
    Eskalasi,
    Item,
    JamLayanan,
    KanalNasional,
    PengaduanWilayah,
    Region,
    Source,
    Standard,
    StandardSummary,
)

if TYPE_CHECKING:
    from bot.knowledge.search import SearchIndex

_EXTRA_COLUMNS = {"jangka_waktu": ("hari_kerja_maks", "hari_kerja_min"), "biaya": ("rupiah",)}


def _items(rows: Iterable[ButirRow]) -> tuple[Item, ...]:
    """Rebuild the nested list from rows numbered in document order."""
    children: dict[Optional[int], list[ButirRow]] = defaultdict(list)
    for row in rows:
        children[row.induk].append(row)

    def build(parent: Optional[int]) -> list[Item]:
        out: list[Item] = []
        for row in sorted(children.get(parent, ()), key=lambda r: r.posisi):
            if row.grup:
                out.append({"teks": row.teks, "butir": build(row.urutan)})
            else:
                out.append(row.teks)
        return out

    return tuple(build(None))


def _component(row: KomponenRow, items: Iterable[ButirRow]) -> Component:
    extra = dict(row.ekstra or {})
    for name in _EXTRA_COLUMNS.get(row.kunci, ()):
        extra[name] = getattr(row, name)
    return Component(
        standard_id=row.standar_id,
        key=row.kunci,
        label=row.label,
        teks=row.teks,
        butir=_items(items),
        extra=extra,
    )


def _aliases(session: Session, ids: Optional[list[str]] = None) -> dict[str, tuple[str, ...]]:
    query = select(AliasRow.standar_id, AliasRow.alias).order_by(AliasRow.standar_id, AliasRow.posisi)
    if ids is not None:
        query = query.where(AliasRow.standar_id.in_(ids))
    found: dict[str, list[str]] = defaultdict(list)
    for sid, alias in session.execute(query):
        found[sid].append(alias)
    return {sid: tuple(names) for sid, names in found.items()}


def _summary(row: StandarRow, alias: tuple[str, ...]) -> StandardSummary:
    return StandardSummary(
        id=row.id, wilayah=row.wilayah_id, nomor=row.nomor, nama=row.nama, sektor=row.sektor, alias=alias
    )


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _hours(raw: Any) -> tuple[JamLayanan, ...]:
    return tuple(
        JamLayanan(hari=tuple(entry["hari"]), buka=_clock(entry["buka"]), tutup=_clock(entry["tutup"]))
        for entry in raw or ()
    )


def _complaint_defaults(raw: Any) -> PengaduanWilayah:
    if not raw:
        return PengaduanWilayah()
    national = raw.get("kanal_nasional")
    return PengaduanWilayah(
        waktu_tanggapan_hari_kerja=raw.get("waktu_tanggapan_hari_kerja"),
        dasar=raw.get("dasar"),
        eskalasi=tuple(
            Eskalasi(
                kepada=step["kepada"],
                setelah_hari_kerja=step.get("setelah_hari_kerja"),
                dasar=step.get("dasar"),
            )
            for step in raw.get("eskalasi") or ()
        ),
        kanal_nasional=(
            KanalNasional(nama=national["nama"], website=national.get("website"), sms=national.get("sms"))
            if national
            else None
        ),
    )


def _region(row: WilayahRow) -> Region:
    return Region(
        id=row.id,
        nama=row.nama,
        kantor=row.kantor,
        provinsi=row.provinsi,
        alias=tuple(row.alias or ()),
        alamat=tuple(row.alamat or ()),
        telepon=tuple(row.telepon or ()),
        whatsapp=tuple(row.whatsapp or ()),
        email=tuple(row.email or ()),
        website=tuple(row.website or ()),
        zona_waktu=row.zona_waktu,
        jam_layanan=_hours(row.jam_layanan),
        jam_layanan_terverifikasi=bool(row.jam_layanan_terverifikasi),
        pengaduan=_complaint_defaults(row.pengaduan),
    )


def get_standard(session: Session, standard_id: str) -> Optional[Standard]:
    """The whole standard with its 14 components, or None for an unknown id."""
    row = session.get(StandarRow, standard_id)
    if row is None:
        return None
    region = session.get(WilayahRow, row.wilayah_id)
    komponen = (
        session.execute(select(KomponenRow).where(KomponenRow.standar_id == standard_id)).scalars().all()
    )
    butir = session.execute(select(ButirRow).where(ButirRow.standar_id == standard_id)).scalars().all()
    by_key: dict[str, list[ButirRow]] = defaultdict(list)
    for item in butir:
        by_key[item.kunci].append(item)
    components = {c.kunci: _component(c, by_key.get(c.kunci, ())) for c in komponen}
    return Standard(
        id=row.id,
        wilayah=row.wilayah_id,
        wilayah_nama=region.nama if region is not None else row.wilayah_id,
        nomor=row.nomor,
        nama=row.nama,
        sektor=row.sektor,
        alias=_aliases(session, [row.id]).get(row.id, ()),
        sumber=Source(
            dokumen=row.sumber_dokumen,
            judul=row.sumber_judul,
            nomor_keputusan=tuple(row.sumber_nomor_keputusan or ()),
            tanggal=row.sumber_tanggal,
            baris=row.sumber_baris,
        ),
        # In schema order, whatever order the rows came back in.
        komponen={key: components[key] for key in KOMPONEN if key in components},
    )


def get_component(session: Session, standard_id: str, key: str) -> Optional[Component]:
    """One component of a standard (None for an unknown standard or key)."""
    row = session.get(KomponenRow, (standard_id, key))
    if row is None:
        return None
    query = select(ButirRow).where(ButirRow.standar_id == standard_id, ButirRow.kunci == key)
    return _component(row, session.execute(query).scalars().all())


def list_standards(
    session: Session, wilayah: Optional[str] = None, sektor: Optional[str] = None
) -> list[StandardSummary]:
    """Standards ordered by region, then number in the document, then name."""
    query = select(StandarRow)
    if wilayah:
        query = query.where(StandarRow.wilayah_id == wilayah)
    if sektor:
        query = query.where(StandarRow.sektor == sektor)
    query = query.order_by(
        StandarRow.wilayah_id, StandarRow.nomor.is_(None), StandarRow.nomor, StandarRow.nama
    )
    rows = session.execute(query).scalars().all()
    aliases = _aliases(session) if not (wilayah or sektor) else _aliases(session, [r.id for r in rows])
    return [_summary(r, aliases.get(r.id, ())) for r in rows]


def get_summaries(session: Session, standard_ids: Iterable[str]) -> list[StandardSummary]:
    """Summaries of the given standards in the given order (unknown ids are left out)."""
    ids = list(dict.fromkeys(standard_ids))
    if not ids:
        return []
    rows = {r.id: r for r in session.execute(select(StandarRow).where(StandarRow.id.in_(ids))).scalars()}
    aliases = _aliases(session, list(rows))
    return [_summary(rows[i], aliases.get(i, ())) for i in ids if i in rows]


def list_sectors(session: Session, wilayah: Optional[str] = None) -> list[tuple[str, int]]:
    """(sektor, number of standards), most populated first."""
    count = func.count(StandarRow.id)
    query = select(StandarRow.sektor, count).group_by(StandarRow.sektor)
    if wilayah:
        query = query.where(StandarRow.wilayah_id == wilayah)
    rows = session.execute(query).all()
    return sorted(((s, int(n)) for s, n in rows), key=lambda pair: (-pair[1], pair[0]))


def get_region(session: Session, wilayah: str) -> Optional[Region]:
    row = session.get(WilayahRow, wilayah)
    return _region(row) if row is not None else None


def list_regions(session: Session) -> list[Region]:
    return [_region(r) for r in session.execute(select(WilayahRow).order_by(WilayahRow.nama)).scalars()]


def same_service_elsewhere(session: Session, standard_id: str) -> list[StandardSummary]:
    """The same service in other regions ("and in OKI?"): matched by normalized name or a shared
    specific alias (see `search.same_service`), best match first."""
    from bot.knowledge.search import same_service

    summaries = list_standards(session)
    target = next((s for s in summaries if s.id == standard_id), None)
    if target is None:
        return []
    return same_service(target, summaries)


def load_index(session: Session) -> SearchIndex:
    """An in-memory search index of every standard and region (build once, reuse)."""
    from bot.knowledge.search import SearchIndex

    return SearchIndex(list_standards(session), list_regions(session))
