"""Applications (permohonan), their status history and the verification lock-out.

Revision ID: 0002_permohonan
Revises: 0001_knowledge
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_permohonan"
down_revision: Union[str, None] = "0001_knowledge"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "permohonan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomor", sa.String(64), nullable=False),
        sa.Column("standard_id", sa.String(200), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=False),
        sa.Column("nama_pemohon", sa.String(200), nullable=False),
        sa.Column("telepon", sa.String(32), nullable=False),
        sa.Column("tanggal_masuk", sa.Date(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("tahap_nomor", sa.Integer(), nullable=True),
        sa.Column("tahap_teks", sa.Text(), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("nomor_izin", sa.String(200), nullable=True),
        sa.Column("tanggal_selesai", sa.Date(), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("diubah_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permohonan")),
        sa.UniqueConstraint("nomor", name=op.f("uq_permohonan_nomor")),
    )
    op.create_index(op.f("ix_permohonan_standard_id"), "permohonan", ["standard_id"])
    op.create_index(op.f("ix_permohonan_wilayah"), "permohonan", ["wilayah"])
    op.create_table(
        "permohonan_riwayat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permohonan_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("tahap_nomor", sa.Integer(), nullable=True),
        sa.Column("tahap_teks", sa.Text(), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("sumber", sa.String(32), nullable=False),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permohonan_riwayat")),
        sa.ForeignKeyConstraint(
            ["permohonan_id"],
            ["permohonan.id"],
            name=op.f("fk_permohonan_riwayat_permohonan_id_permohonan"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_permohonan_riwayat_permohonan_id"), "permohonan_riwayat", ["permohonan_id"])
    op.create_table(
        "verifikasi_gagal",
        sa.Column("pengirim", sa.String(64), nullable=False),
        sa.Column("gagal", sa.Integer(), nullable=False),
        sa.Column("gagal_terakhir", sa.DateTime(), nullable=True),
        sa.Column("terkunci_sampai", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("pengirim", name=op.f("pk_verifikasi_gagal")),
    )


def downgrade() -> None:
    op.drop_table("verifikasi_gagal")
    op.drop_index(op.f("ix_permohonan_riwayat_permohonan_id"), table_name="permohonan_riwayat")
    op.drop_table("permohonan_riwayat")
    op.drop_index(op.f("ix_permohonan_wilayah"), table_name="permohonan")
    op.drop_index(op.f("ix_permohonan_standard_id"), table_name="permohonan")
    op.drop_table("permohonan")
