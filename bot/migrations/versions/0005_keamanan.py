"""Security: failed-attempt counters, normalized application numbers, optional receipt codes.

- `verifikasi_percobaan`: failures and locks per application number, sender, client address
  (bot/security/percobaan.py); replaces the per-sender `verifikasi_gagal` (left in place, unused).
- `permohonan.nomor_kunci`: the number without case, spaces or separators ("sip 0117 blg 2026" and
  "SIP/0117/BLG/2026" are one number), filled for existing rows.
- `permohonan.kode_tanda_terima`: an optional receipt code an office may import for a stronger check.

Revision ID: 0005_keamanan
Revises: 0003_pengaduan
"""

import re
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_keamanan"
down_revision: Union[str, None] = "0004_wilayah_operasional"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _kunci(nomor: str) -> str:  # the same rule as bot.permohonan.repository.nomor_kunci
    return re.sub(r"[^0-9A-Za-z]", "", nomor or "").upper()


def upgrade() -> None:
    op.create_table(
        "verifikasi_percobaan",
        sa.Column("jenis", sa.String(16), nullable=False),
        sa.Column("kunci", sa.String(64), nullable=False),
        sa.Column("gagal", sa.Integer(), nullable=False),
        sa.Column("jendela_mulai", sa.DateTime(), nullable=False),
        sa.Column("gagal_terakhir", sa.DateTime(), nullable=False),
        sa.Column("terkunci_sampai", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("jenis", "kunci", name=op.f("pk_verifikasi_percobaan")),
    )
    with op.batch_alter_table("permohonan") as batch:
        batch.add_column(sa.Column("nomor_kunci", sa.String(64), nullable=True))
        batch.add_column(sa.Column("kode_tanda_terima", sa.String(64), nullable=True))
        batch.create_index(op.f("ix_permohonan_nomor_kunci"), ["nomor_kunci"])
    connection = op.get_bind()
    table = sa.table(
        "permohonan",
        sa.column("id", sa.Integer),
        sa.column("nomor", sa.String),
        sa.column("nomor_kunci", sa.String),
    )
    for row_id, nomor in connection.execute(sa.select(table.c.id, table.c.nomor)).all():
        connection.execute(table.update().where(table.c.id == row_id).values(nomor_kunci=_kunci(nomor)))


def downgrade() -> None:
    with op.batch_alter_table("permohonan") as batch:
        batch.drop_index(op.f("ix_permohonan_nomor_kunci"))
        batch.drop_column("kode_tanda_terima")
        batch.drop_column("nomor_kunci")
    op.drop_table("verifikasi_percobaan")
