"""Alembic environment: the URL comes from bot.db, the target schema from the models' metadata.

`bot.db.migrate()` passes an open connection in `config.attributes["connection"]` (so an in-memory
SQLite database is migrated in place and logging is left alone); the `alembic` command line does not,
and then the engine is built from `DATABASE_URL`.
"""

from __future__ import annotations

import importlib
from logging.config import fileConfig

from alembic import context

from bot.db import Base, database_url, get_engine

# Every module that declares tables on Base: autogenerate compares the database with all of them.
MODEL_MODULES = (
    "bot.knowledge.models",
    "bot.permohonan.models",
    "bot.pengaduan.models",
    "bot.petugas.models",
    "bot.security.percobaan",
    "bot.tindak_lanjut.models",
    "bot.notifikasi.models",
    "bot.skm.models",
    "bot.tak_terjawab.models",
)
for module in MODEL_MODULES:
    importlib.import_module(module)

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    with get_engine(database_url()).begin() as connection:
        _configure(connection)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
