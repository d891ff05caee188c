"""knowledge base: regions, standards, components, list items, aliases

Revision ID: 0001_knowledge
Revises:
Create Date: 2026-11-23

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001_knowledge"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "wilayah",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("kantor", sa.Text(), nullable=False),
        sa.Column("provinsi", sa.String(200), nullable=True),
        sa.Column("alias", sa.JSON(), nullable=False),
        sa.Column("alamat", sa.JSON(), nullable=False),
        sa.Column("telepon", sa.JSON(), nullable=False),
        sa.Column("whatsapp", sa.JSON(), nullable=False),
        sa.Column("email", sa.JSON(), nullable=False),
        sa.Column("website", sa.JSON(), nullable=False),
        sa.Column("sumber", sa.JSON(), nullable=False),
        sa.Column("berkas", sa.String(300), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wilayah")),
    )
    op.create_table(
        "standar",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("wilayah_id", sa.String(80), nullable=False),
        sa.Column("nomor", sa.Integer(), nullable=True),
        sa.Column("nama", sa.Text(), nullable=False),
        sa.Column("sektor", sa.String(40), nullable=False),
        sa.Column("sumber_dokumen", sa.String(300), nullable=False),
        sa.Column("sumber_judul", sa.Text(), nullable=True),
        sa.Column("sumber_nomor_keputusan", sa.JSON(), nullable=False),
        sa.Column("sumber_tanggal", sa.String(10), nullable=True),
        sa.Column("sumber_baris", sa.Integer(), nullable=True),
        sa.Column("berkas", sa.String(300), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["wilayah_id"], ["wilayah.id"], name=op.f("fk_standar_wilayah_id_wilayah")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standar")),
    )
    op.create_index(op.f("ix_standar_wilayah_id"), "standar", ["wilayah_id"])
    op.create_index(op.f("ix_standar_sektor"), "standar", ["sektor"])
    op.create_table(
        "komponen",
        sa.Column("standar_id", sa.String(200), nullable=False),
        sa.Column("kunci", sa.String(40), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("teks", sa.Text(), nullable=False),
        sa.Column("hari_kerja_maks", sa.Integer(), nullable=True),
        sa.Column("hari_kerja_min", sa.Integer(), nullable=True),
        sa.Column("rupiah", sa.BigInteger(), nullable=True),
        sa.Column("ekstra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standar_id"], ["standar.id"], name=op.f("fk_komponen_standar_id_standar"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("standar_id", "kunci", name=op.f("pk_komponen")),
    )
    op.create_table(
        "butir",
        sa.Column("standar_id", sa.String(200), nullable=False),
        sa.Column("kunci", sa.String(40), nullable=False),
        sa.Column("urutan", sa.Integer(), nullable=False),
        sa.Column("induk", sa.Integer(), nullable=True),
        sa.Column("posisi", sa.Integer(), nullable=False),
        sa.Column("teks", sa.Text(), nullable=False),
        sa.Column("grup", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standar_id", "kunci"],
            ["komponen.standar_id", "komponen.kunci"],
            name="fk_butir_komponen",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["standar_id", "kunci", "induk"],
            ["butir.standar_id", "butir.kunci", "butir.urutan"],
            name="fk_butir_induk",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("standar_id", "kunci", "urutan", name=op.f("pk_butir")),
    )
    op.create_table(
        "standar_alias",
        sa.Column("standar_id", sa.String(200), nullable=False),
        sa.Column("posisi", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["standar_id"],
            ["standar.id"],
            name=op.f("fk_standar_alias_standar_id_standar"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("standar_id", "posisi", name=op.f("pk_standar_alias")),
    )


def downgrade() -> None:
    op.drop_table("standar_alias")
    op.drop_table("butir")
    op.drop_table("komponen")
    op.drop_index(op.f("ix_standar_sektor"), table_name="standar")
    op.drop_index(op.f("ix_standar_wilayah_id"), table_name="standar")
    op.drop_table("standar")
    op.drop_table("wilayah")
