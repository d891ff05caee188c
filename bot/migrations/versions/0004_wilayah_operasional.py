"""Region operating data: time zone, office hours, complaint follow-up defaults.

Revision ID: 0004_wilayah_operasional
Revises: 0003_pengaduan
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_wilayah_operasional"
down_revision: Union[str, None] = "0003_pengaduan"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ("zona_waktu", "jam_layanan", "jam_layanan_terverifikasi", "pengaduan")


def upgrade() -> None:
    # Plain ADD COLUMN on both SQLite and PostgreSQL: no table rebuild, so the standards that refer
    # to the regions (foreign keys, enforced on SQLite too) are never in the way.
    op.add_column("wilayah", sa.Column("zona_waktu", sa.String(64), nullable=True))
    op.add_column("wilayah", sa.Column("jam_layanan", sa.JSON(), nullable=True))
    op.add_column(
        "wilayah",
        sa.Column("jam_layanan_terverifikasi", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("wilayah", sa.Column("pengaduan", sa.JSON(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # A batch rebuild would DROP the table the standards refer to, which the enforced foreign
        # keys refuse; SQLite >= 3.35 drops a plain column in place.
        for column in reversed(COLUMNS):
            op.execute(f"ALTER TABLE wilayah DROP COLUMN {column}")
        return
    for column in reversed(COLUMNS):
        op.drop_column("wilayah", column)
