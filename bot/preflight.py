"""Checks made before anything starts, each failing with one line that says what to do.

    check_database(url)     the URL parses and the server answers (a missing PostgreSQL database
                            is created when the server lets us)
    check_redis(url)        Redis answers PING
    check_cluster(...)      what several Rasa processes need: a shared tracker store, Redis, nginx

A traceback helps nobody who just typed a wrong DATABASE_URL; these errors name the setting, show
the URL without its password, and give the reason in a few words.
"""

from __future__ import annotations

from typing import Optional


class PreflightError(RuntimeError):
    """A setting that cannot work; the message is one line for the person running the assistant."""


def safe_url(url: str) -> str:
    """The URL with its password hidden (for messages and logs)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a database URL at all: show only its scheme
        return url.split("://", 1)[0] + "://..." if "://" in url else "(not a URL)"


def _reason(exc: BaseException) -> str:
    """The first line of a driver error, without SQLAlchemy's background links."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [exc.__class__.__name__])[0].strip()


def check_database(url: str, setting: str = "DATABASE_URL", create_missing: bool = True) -> Optional[str]:
    """Connect once (5 s timeout). Returns a note when a missing PostgreSQL database was created."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise PreflightError(
            f"{setting} is not a database URL ({safe_url(url)}): expected e.g. "
            "sqlite:////var/lib/pandu-izin/pandu_izin.db or postgresql://user@host:5432/pandu_izin"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise PreflightError(f"{setting}: unsupported database {backend!r} (use sqlite or postgresql)")
    connect_args = {"connect_timeout": 5} if backend == "postgresql" else {}
    try:
        engine = create_engine(url, future=True, connect_args=connect_args)
    except (ArgumentError, ImportError) as exc:
        raise PreflightError(f"{setting} ({safe_url(url)}): {_reason(exc)}") from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        if backend == "postgresql" and create_missing and "does not exist" in reason and parsed.database:
            return _create_postgres_database(url, setting)
        raise PreflightError(f"cannot use {setting} ({safe_url(url)}): {reason}") from None
    finally:
        engine.dispose()


def _create_postgres_database(url: str, setting: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    parsed = make_url(url)
    admin_url = parsed.set(database="postgres")
    engine = create_engine(
        admin_url, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = parsed.database.replace('"', '""')
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        raise PreflightError(
            f"{setting} ({safe_url(url)}): database {parsed.database!r} does not exist and could not be "
            f"created ({_reason(exc)}); create it: createdb -h {parsed.host or 'localhost'} "
            f"-U {parsed.username or 'postgres'} {parsed.database}"
        ) from None
    finally:
        engine.dispose()
    return f"created PostgreSQL database {parsed.database!r} on {parsed.host or 'localhost'}"


def check_redis(url: Optional[str], setting: str = "PANDU_REDIS_URL") -> None:
    if not url:
        raise PreflightError(
            f"{setting} is not set: several Rasa processes share their conversation locks and WhatsApp "
            "de-duplication in Redis, e.g. redis://127.0.0.1:6379/0"
        )
    import redis

    from bot.lock_store import redis_kwargs

    try:
        kwargs = redis_kwargs(url)
    except ValueError as exc:
        raise PreflightError(str(exc)) from None
    kwargs.pop("key_prefix")
    use_ssl = kwargs.pop("use_ssl")
    client = redis.Redis(ssl=use_ssl, socket_timeout=5, socket_connect_timeout=5, **kwargs)
    try:
        client.ping()
    except redis.RedisError as exc:
        host = f"{kwargs['host']}:{kwargs['port']}/{kwargs['db']}"
        raise PreflightError(f"cannot use {setting} (redis://{host}): {_reason(exc)}") from None
    finally:
        client.close()


def check_cluster(tracker_url: str, redis_url: Optional[str], nginx: Optional[str]) -> None:
    """Several Rasa processes: conversations in PostgreSQL, locks in Redis, nginx in front."""
    if tracker_url.startswith("sqlite"):
        raise PreflightError(
            "several Rasa processes share the conversations through PostgreSQL: set DATABASE_URL (or "
            "TRACKER_DATABASE_URL) to postgresql://user@host:5432/pandu_izin (`make run-cluster` "
            "uses the local server)"
        )
    if nginx is None:
        raise PreflightError("several Rasa processes need nginx as load balancer: run `make nginx`")
    check_redis(redis_url)
