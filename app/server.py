"""A ClientCare database on a PostgreSQL server (office mode, issue 17): the engine, the
schema by the same Alembic migrations as a file's, and what a failed connection means for
the user (a translated code: app/ui/messages.py).

A URL names the server: ``postgresql+psycopg://user:password@host[:port]/dbname`` (the
``postgresql://`` and ``postgres://`` forms are taken as psycopg 3's).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import sessionmaker

from app.errors import DatabaseOpenError
from app.sqlite_file import alembic_command, alembic_config, current_revision, known_revisions

log = logging.getLogger(__name__)

#: seconds a connection attempt waits for the server before saying it is not there
CONNECT_TIMEOUT = 10


def parse_url(text: str) -> URL:
    """The URL of a PostgreSQL database, or ``server.bad_url``."""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseOpenError("server.bad_url", f"{text!r} is not a database URL",
                                url=shown_url(text), detail=str(exc)) from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg" or not url.database:
        raise DatabaseOpenError(
            "server.bad_url", f"{shown_url(text)} is not postgresql+psycopg://user@host/dbname",
            url=shown_url(text))
    return url


def shown_url(url: str | URL) -> str:
    """A URL as it may be printed: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True) if isinstance(url, str) \
            else url.render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "…"


def server_engine(url: str | URL) -> Engine:
    """An engine on the server; every session in UTC, as SQLite's ``CURRENT_TIMESTAMP``
    is (the timestamps the database writes itself are UTC on both engines)."""
    url = parse_url(url) if isinstance(url, str) else url
    try:
        return create_engine(url, pool_pre_ping=True, connect_args={
            "options": "-c timezone=UTC", "connect_timeout": CONNECT_TIMEOUT})
    except NoSuchModuleError as exc:  # pragma: no cover - psycopg is a dependency
        raise DatabaseOpenError("server.bad_url", str(exc), url=shown_url(url)) from exc


def connection_error(url: str | URL, exc: BaseException) -> DatabaseOpenError:
    """A failed connection as the user's message: refused (no server there), wrong user
    or password, no such database, or what the server said."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    low = text.lower()
    shown = shown_url(url)
    if "password authentication failed" in low or "no password supplied" in low \
            or "authentication failed" in low:
        return DatabaseOpenError("server.password", f"the server refused the user or "
                                 f"password of {shown}", url=shown, detail=text)
    if "does not exist" in low and "database" in low:
        return DatabaseOpenError("server.no_database", f"{shown}: no such database on the "
                                 "server", url=shown, detail=text)
    if "connection refused" in low or "could not connect" in low or "timeout" in low \
            or "could not translate host name" in low or "name or service not known" in low:
        return DatabaseOpenError("server.refused", f"no database server answers at {shown}",
                                 url=shown, detail=text)
    return DatabaseOpenError("server.unexpected", f"the database server reported an error: "
                             f"{text}", url=shown, detail=text)


def upgrade_schema(engine: Engine, url: str | URL) -> str | None:
    """Create or bring up to date the schema of a ClientCare database on the server, by
    the migrations (app/migrations). Refuses a database of another program or one of a
    newer ClientCare, changing nothing. Returns the revision it was at (None: new)."""
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
            tables = set(inspect(conn).get_table_names())
    except OperationalError as exc:
        raise connection_error(url, exc) from exc
    if current is None and tables - {"alembic_version"}:
        raise DatabaseOpenError("server.not_clientcare", f"{shown_url(url)} holds the tables of "
                                "another program", url=shown_url(url))
    if current is not None and current not in known_revisions():
        raise DatabaseOpenError("server.newer", f"{shown_url(url)} was written by a newer "
                                f"ClientCare (schema {current})", url=shown_url(url),
                                revision=current)
    with engine.begin() as conn:
        alembic_command().upgrade(alembic_config(conn), "head")
    return current


def open_server(url: str):
    """Open (creating or migrating its schema) the ClientCare database at ``url``: an
    :class:`app.db.Database` without a file (``path`` None)."""
    from app.db import Database  # lazy: app.db imports the services

    parsed = parse_url(url)
    engine = server_engine(parsed)
    try:
        upgrade_schema(engine, parsed)
    except BaseException:
        engine.dispose()
        raise
    return Database(path=None, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False),
                    url=shown_url(parsed))
