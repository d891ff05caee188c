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


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER most things in place (PostgreSQL runs plain ALTERs).
    with op.batch_alter_table("wilayah") as batch:
        batch.add_column(sa.Column("zona_waktu", sa.String(64), nullable=True))
        batch.add_column(sa.Column("jam_layanan", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("jam_layanan_terverifikasi", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("pengaduan", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wilayah") as batch:
        batch.drop_column("pengaduan")
        batch.drop_column("jam_layanan_terverifikasi")
        batch.drop_column("jam_layanan")
        batch.drop_column("zona_waktu")
