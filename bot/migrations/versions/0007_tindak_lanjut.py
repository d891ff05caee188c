"""Follow-through: complaint deadlines and escalations, notification consent and notifications, the
satisfaction survey (SKM), unanswered questions.

Revision ID: 0007_tindak_lanjut
Revises: 0006_konsol
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_tindak_lanjut"
down_revision: Union[str, None] = "0006_konsol"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UNSUR = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)


def _index(table: str, *columns: str, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=unique)


def upgrade() -> None:
    op.create_table(
        "tenggat_pengaduan",
        sa.Column("pengaduan_id", sa.Integer(), nullable=False),
        sa.Column("hari_kerja", sa.Integer(), nullable=True),
        sa.Column("dasar", sa.String(16), nullable=True),
        sa.Column("tenggat", sa.Date(), nullable=True),
        sa.Column("zona", sa.String(64), nullable=False),
        sa.Column("dihitung_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pengaduan_id", name=op.f("pk_tenggat_pengaduan")),
        sa.ForeignKeyConstraint(
            ["pengaduan_id"],
            ["pengaduan.id"],
            name=op.f("fk_tenggat_pengaduan_pengaduan_id_pengaduan"),
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "eskalasi_pengaduan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pengaduan_id", sa.Integer(), nullable=False),
        sa.Column("langkah", sa.Integer(), nullable=False),
        sa.Column("kepada", sa.String(300), nullable=False),
        sa.Column("setelah_hari_kerja", sa.Integer(), nullable=True),
        sa.Column("jatuh_tempo", sa.Date(), nullable=True),
        sa.Column("oleh", sa.String(64), nullable=False),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eskalasi_pengaduan")),
        sa.ForeignKeyConstraint(
            ["pengaduan_id"],
            ["pengaduan.id"],
            name=op.f("fk_eskalasi_pengaduan_pengaduan_id_pengaduan"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("pengaduan_id", "langkah", name=op.f("uq_eskalasi_pengaduan_pengaduan_id")),
    )
    _index("eskalasi_pengaduan", "pengaduan_id")

    op.create_table(
        "langganan_kabar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jenis", sa.String(16), nullable=False),
        sa.Column("rujukan", sa.String(64), nullable=False),
        sa.Column("pengirim", sa.String(64), nullable=False),
        sa.Column("percakapan", sa.String(255), nullable=True),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=True),
        sa.Column("aktif", sa.Boolean(), nullable=False),
        sa.Column("riwayat_terakhir", sa.Integer(), nullable=False),
        sa.Column("status_terakhir", sa.String(32), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("berhenti_pada", sa.DateTime(), nullable=True),
        sa.Column("alasan_berhenti", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_langganan_kabar")),
        sa.UniqueConstraint("jenis", "rujukan", "pengirim", name=op.f("uq_langganan_kabar_jenis")),
    )
    for column in ("rujukan", "pengirim", "aktif"):
        _index("langganan_kabar", column)
    op.create_table(
        "kabar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kunci", sa.String(120), nullable=False),
        sa.Column("langganan_id", sa.Integer(), nullable=False),
        sa.Column("jenis", sa.String(24), nullable=False),
        sa.Column("rujukan", sa.String(64), nullable=False),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("teks", sa.Text(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("percobaan", sa.Integer(), nullable=False),
        sa.Column("coba_lagi_pada", sa.DateTime(), nullable=True),
        sa.Column("diklaim_pada", sa.DateTime(), nullable=True),
        sa.Column("keterangan", sa.String(500), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(), nullable=False),
        sa.Column("dikirim_pada", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kabar")),
        sa.ForeignKeyConstraint(
            ["langganan_id"],
            ["langganan_kabar.id"],
            name=op.f("fk_kabar_langganan_id_langganan_kabar"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("kunci", name=op.f("uq_kabar_kunci")),
    )
    for column in ("langganan_id", "rujukan", "status", "dibuat_pada"):
        _index("kabar", column)

    op.create_table(
        "skm_respon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kunci", sa.String(64), nullable=False),
        sa.Column("pengirim", sa.String(64), nullable=True),
        sa.Column("subjek", sa.String(16), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=False),
        sa.Column("standard_id", sa.String(200), nullable=True),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("tanggal", sa.Date(), nullable=False),
        *(sa.Column(unsur, sa.SmallInteger(), nullable=True) for unsur in UNSUR),
        sa.Column("berikut", sa.Integer(), nullable=False),
        sa.Column("komentar", sa.Text(), nullable=True),
        sa.Column("selesai", sa.Boolean(), nullable=False),
        sa.Column("dimulai_pada", sa.DateTime(), nullable=False),
        sa.Column("diubah_pada", sa.DateTime(), nullable=False),
        sa.Column("selesai_pada", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skm_respon")),
        sa.UniqueConstraint("kunci", name=op.f("uq_skm_respon_kunci")),
    )
    for column in ("pengirim", "wilayah", "standard_id", "tanggal", "selesai"):
        _index("skm_respon", column)

    op.create_table(
        "tak_terjawab_kelompok",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contoh", sa.Text(), nullable=False),
        sa.Column("kunci", sa.Text(), nullable=False),
        sa.Column("jumlah", sa.Integer(), nullable=False),
        sa.Column("pertama_pada", sa.DateTime(), nullable=False),
        sa.Column("terakhir_pada", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column("diselesaikan_oleh", sa.String(64), nullable=True),
        sa.Column("diselesaikan_pada", sa.DateTime(), nullable=True),
        sa.Column("muncul_lagi", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tak_terjawab_kelompok")),
    )
    for column in ("terakhir_pada", "status"):
        _index("tak_terjawab_kelompok", column)
    op.create_table(
        "tak_terjawab",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kunci", sa.String(64), nullable=False),
        sa.Column("kelompok_id", sa.Integer(), nullable=False),
        sa.Column("teks", sa.Text(), nullable=False),
        sa.Column("jenis", sa.String(16), nullable=False),
        sa.Column("kanal", sa.String(32), nullable=False),
        sa.Column("wilayah", sa.String(64), nullable=True),
        sa.Column("dicatat_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tak_terjawab")),
        sa.ForeignKeyConstraint(
            ["kelompok_id"],
            ["tak_terjawab_kelompok.id"],
            name=op.f("fk_tak_terjawab_kelompok_id_tak_terjawab_kelompok"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("kunci", name=op.f("uq_tak_terjawab_kunci")),
    )
    for column in ("kelompok_id", "dicatat_pada"):
        _index("tak_terjawab", column)
    op.create_table(
        "penanda_baca",
        sa.Column("nama", sa.String(64), nullable=False),
        sa.Column("nilai", sa.Integer(), nullable=False),
        sa.Column("diubah_pada", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nama", name=op.f("pk_penanda_baca")),
    )


def downgrade() -> None:
    for table in (
        "penanda_baca",
        "tak_terjawab",
        "tak_terjawab_kelompok",
        "skm_respon",
        "kabar",
        "langganan_kabar",
        "eskalasi_pengaduan",
        "tenggat_pengaduan",
    ):
        op.drop_table(table)
