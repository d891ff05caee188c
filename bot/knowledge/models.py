"""SQLAlchemy models of the knowledge base (regions, standards, components, list items, aliases).

The curated YAML files are the source of truth; these tables are a loaded copy for queries. Ids of
regions and standards are the YAML ids, so they stay stable across loads. Queries use explicit
selects (no ORM relationships), so nothing lazy-loads outside a session. Schema changes go through
Alembic revisions in `bot/migrations/versions/` (the models and the revisions must agree; a test
compares them).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    false,
)

from bot.db import Base


class WilayahRow(Base):
    """One region and its licensing office (`knowledge/wilayah/<id>.yaml`)."""

    __tablename__ = "wilayah"

    id = Column(String(80), primary_key=True)
    nama = Column(String(200), nullable=False)
    kantor = Column(Text, nullable=False)
    provinsi = Column(String(200))
    # Short ordered lists of strings, only ever read with the region: JSON keeps them whole.
    alias = Column(JSON, nullable=False, default=list)
    alamat = Column(JSON, nullable=False, default=list)
    telepon = Column(JSON, nullable=False, default=list)
    whatsapp = Column(JSON, nullable=False, default=list)
    email = Column(JSON, nullable=False, default=list)
    website = Column(JSON, nullable=False, default=list)
    sumber = Column(JSON, nullable=False, default=list)
    # Operating data (revision 0004_wilayah_operasional). Nullable: rows loaded before it have none.
    zona_waktu = Column(String(64))  # IANA name
    jam_layanan = Column(JSON)  # [{hari: [...], buka: "HH:MM", tutup: "HH:MM"}] as written
    jam_layanan_terverifikasi = Column(Boolean, nullable=False, default=False, server_default=false())
    pengaduan = Column(JSON)  # {waktu_tanggapan_hari_kerja, dasar, eskalasi, kanal_nasional} as written
    berkas = Column(String(300), nullable=False)  # the YAML file, relative to the knowledge dir
    checksum = Column(String(64), nullable=False)  # of the file's content, to skip unchanged files


class StandarRow(Base):
    """One service standard (`knowledge/standards/<wilayah>/<slug>.yaml`)."""

    __tablename__ = "standar"

    id = Column(String(200), primary_key=True)
    wilayah_id = Column(String(80), ForeignKey("wilayah.id"), nullable=False, index=True)
    nomor = Column(Integer)
    nama = Column(Text, nullable=False)
    sektor = Column(String(40), nullable=False, index=True)
    sumber_dokumen = Column(String(300), nullable=False)
    sumber_judul = Column(Text)
    sumber_nomor_keputusan = Column(JSON, nullable=False, default=list)
    sumber_tanggal = Column(String(10))
    sumber_baris = Column(Integer)
    berkas = Column(String(300), nullable=False)
    checksum = Column(String(64), nullable=False)


class KomponenRow(Base):
    """One of the 14 components of a standard, with its parsed extras."""

    __tablename__ = "komponen"

    standar_id = Column(String(200), ForeignKey("standar.id", ondelete="CASCADE"), primary_key=True)
    kunci = Column(String(40), primary_key=True)  # schema.KOMPONEN key
    label = Column(Text, nullable=False)
    teks = Column(Text, nullable=False)
    # Parsed extras kept as columns where queries may filter on them.
    hari_kerja_maks = Column(Integer)
    hari_kerja_min = Column(Integer)
    rupiah = Column(BigInteger)
    # Every other extra key of the component as written (e.g. pengaduan.kanal).
    ekstra = Column(JSON, nullable=False, default=dict)


class ButirRow(Base):
    """One list item of a component. Items are numbered in document order (pre-order) within their
    component; a nested item names its parent's number, and `posisi` orders siblings."""

    __tablename__ = "butir"
    __table_args__ = (
        ForeignKeyConstraint(
            ["standar_id", "kunci"],
            ["komponen.standar_id", "komponen.kunci"],
            ondelete="CASCADE",
            name="fk_butir_komponen",
        ),
        ForeignKeyConstraint(
            ["standar_id", "kunci", "induk"],
            ["butir.standar_id", "butir.kunci", "butir.urutan"],
            ondelete="CASCADE",
            name="fk_butir_induk",
        ),
    )

    standar_id = Column(String(200), primary_key=True)
    kunci = Column(String(40), primary_key=True)
    urutan = Column(Integer, primary_key=True)  # 0-based, document order within the component
    induk = Column(Integer)  # `urutan` of the parent item; NULL for a top-level item
    posisi = Column(Integer, nullable=False)  # 0-based among its siblings
    teks = Column(Text, nullable=False)
    # True when the YAML wrote a mapping {teks, butir}, even with no sub-items: kept for round trips.
    grup = Column(Boolean, nullable=False, default=False)


class AliasRow(Base):
    """A name people use for a standard (abbreviation, informal spelling)."""

    __tablename__ = "standar_alias"

    standar_id = Column(String(200), ForeignKey("standar.id", ondelete="CASCADE"), primary_key=True)
    posisi = Column(Integer, primary_key=True)
    alias = Column(String(300), nullable=False)
