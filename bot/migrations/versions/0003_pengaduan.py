"""Complaints (pengaduan) and their history.

Revision ID: 0003_pengaduan
Revises: 0002_permohonan
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_pengaduan"
down_revision: Union[str, None] = "0002_permohonan"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "pengaduan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kode_tiket", sa.String(16), nullable=False),
        sa.Column("jenis", sa.String(16), nullable=False),
        sa.Column("kategori", sa.String(40), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=True),
        sa.Column("standard_id", sa.String(200), nullable=True),
        sa.Column("nomor_permohonan", sa.String(64), nullable=True),
        sa.Column("uraian", sa.Text(), nullable=False),
        sa.Column("waktu_kejadian", sa.String(200), nullable=True),
        sa.Column("nama", sa.String(200), nullable=True),
        sa.Column("kontak", sa.String(200), nullable=True),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("pengirim", sa.String(64), nullable=True),
        sa.Column("kunci_idempotensi", sa.String(128), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("tanggapan", sa.Text(), nullable=True),
        sa.Column("ditanggapi_pada", sa.DateTime(), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("diubah_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pengaduan")),
        sa.UniqueConstraint("kode_tiket", name=op.f("uq_pengaduan_kode_tiket")),
        sa.UniqueConstraint("kunci_idempotensi", name=op.f("uq_pengaduan_kunci_idempotensi")),
    )
    op.create_index(op.f("ix_pengaduan_wilayah"), "pengaduan", ["wilayah"])
    op.create_index(op.f("ix_pengaduan_status"), "pengaduan", ["status"])
    op.create_table(
        "pengaduan_riwayat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pengaduan_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("oleh", sa.String(64), nullable=False),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pengaduan_riwayat")),
        sa.ForeignKeyConstraint(
            ["pengaduan_id"],
            ["pengaduan.id"],
            name=op.f("fk_pengaduan_riwayat_pengaduan_id_pengaduan"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_pengaduan_riwayat_pengaduan_id"), "pengaduan_riwayat", ["pengaduan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pengaduan_riwayat_pengaduan_id"), table_name="pengaduan_riwayat")
    op.drop_table("pengaduan_riwayat")
    op.drop_index(op.f("ix_pengaduan_status"), table_name="pengaduan")
    op.drop_index(op.f("ix_pengaduan_wilayah"), table_name="pengaduan")
    op.drop_table("pengaduan")
