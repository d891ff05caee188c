"""Staff console: staff accounts, sessions, audit trail, handoff requests and staff messages.

Revision ID: 0006_konsol
Revises: 0003_pengaduan
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_konsol"
down_revision: Union[str, None] = "0005_keamanan"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "staf",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("nama", sa.String(120), nullable=False),
        sa.Column("peran", sa.String(16), nullable=False),
        sa.Column("hash_sandi", sa.String(255), nullable=False),
        sa.Column("aktif", sa.Boolean(), nullable=False),
        sa.Column("gagal_masuk", sa.Integer(), nullable=False),
        sa.Column("terkunci_sampai", sa.DateTime(), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("diubah_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staf")),
        sa.UniqueConstraint("username", name=op.f("uq_staf_username")),
    )
    op.create_table(
        "sesi_staf",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("staf_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("kedaluwarsa", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sesi_staf")),
        sa.ForeignKeyConstraint(
            ["staf_id"], ["staf.id"], name=op.f("fk_sesi_staf_staf_id_staf"), ondelete="CASCADE"
        ),
    )
    op.create_index(op.f("ix_sesi_staf_staf_id"), "sesi_staf", ["staf_id"])
    op.create_table(
        "catatan_staf",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("waktu", sa.DateTime(), nullable=False),
        sa.Column("staf_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("aksi", sa.String(40), nullable=False),
        sa.Column("objek", sa.String(120), nullable=True),
        sa.Column("keterangan", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catatan_staf")),
        sa.ForeignKeyConstraint(
            ["staf_id"], ["staf.id"], name=op.f("fk_catatan_staf_staf_id_staf"), ondelete="SET NULL"
        ),
    )
    op.create_index(op.f("ix_catatan_staf_waktu"), "catatan_staf", ["waktu"])
    op.create_index(op.f("ix_catatan_staf_staf_id"), "catatan_staf", ["staf_id"])
    op.create_table(
        "permintaan_petugas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("percakapan", sa.String(255), nullable=False),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=True),
        sa.Column("alasan", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("diminta_pada", sa.DateTime(), nullable=False),
        sa.Column("staf_id", sa.Integer(), nullable=True),
        sa.Column("diambil_pada", sa.DateTime(), nullable=True),
        sa.Column("selesai_pada", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permintaan_petugas")),
        sa.ForeignKeyConstraint(
            ["staf_id"], ["staf.id"], name=op.f("fk_permintaan_petugas_staf_id_staf"), ondelete="SET NULL"
        ),
    )
    op.create_index(op.f("ix_permintaan_petugas_percakapan"), "permintaan_petugas", ["percakapan"])
    op.create_index(op.f("ix_permintaan_petugas_wilayah"), "permintaan_petugas", ["wilayah"])
    op.create_index(op.f("ix_permintaan_petugas_status"), "permintaan_petugas", ["status"])
    op.create_table(
        "pesan_petugas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permintaan_id", sa.Integer(), nullable=False),
        sa.Column("percakapan", sa.String(255), nullable=False),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("staf_id", sa.Integer(), nullable=True),
        sa.Column("nama_petugas", sa.String(120), nullable=True),
        sa.Column("jenis", sa.String(16), nullable=False),
        sa.Column("teks", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tercatat", sa.Boolean(), nullable=False),
        sa.Column("keterangan", sa.String(500), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("dikirim_pada", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pesan_petugas")),
        sa.ForeignKeyConstraint(
            ["permintaan_id"],
            ["permintaan_petugas.id"],
            name=op.f("fk_pesan_petugas_permintaan_id_permintaan_petugas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staf_id"], ["staf.id"], name=op.f("fk_pesan_petugas_staf_id_staf"), ondelete="SET NULL"
        ),
    )
    op.create_index(op.f("ix_pesan_petugas_permintaan_id"), "pesan_petugas", ["permintaan_id"])
    op.create_index(op.f("ix_pesan_petugas_percakapan"), "pesan_petugas", ["percakapan"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pesan_petugas_percakapan"), table_name="pesan_petugas")
    op.drop_index(op.f("ix_pesan_petugas_permintaan_id"), table_name="pesan_petugas")
    op.drop_table("pesan_petugas")
    op.drop_index(op.f("ix_permintaan_petugas_status"), table_name="permintaan_petugas")
    op.drop_index(op.f("ix_permintaan_petugas_wilayah"), table_name="permintaan_petugas")
    op.drop_index(op.f("ix_permintaan_petugas_percakapan"), table_name="permintaan_petugas")
    op.drop_table("permintaan_petugas")
    op.drop_index(op.f("ix_catatan_staf_staf_id"), table_name="catatan_staf")
    op.drop_index(op.f("ix_catatan_staf_waktu"), table_name="catatan_staf")
    op.drop_table("catatan_staf")
    op.drop_index(op.f("ix_sesi_staf_staf_id"), table_name="sesi_staf")
    op.drop_table("sesi_staf")
    op.drop_table("staf")
