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


def connection_error(url: str | URL, exc: BaseException, *,
                     seconds: int = CONNECT_TIMEOUT) -> DatabaseOpenError:
    """A failed connection as the user's message: wrong user or password, no permission
    (the server lets the user or this PC not in), no such database, an unknown server
    name, no answer in ``seconds``, refused (no server on that port), or what the server
    said. Every one carries the URL without its password, its host, port, user and
    database."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    low = text.lower()
    shown = shown_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        parsed = None
    values = {"url": shown, "detail": text, "seconds": seconds,
              "host": (parsed and parsed.host) or "localhost",
              "port": (parsed and parsed.port) or 5432,
              "user": (parsed and parsed.username) or "",
              "database": (parsed and parsed.database) or ""}
    if "password authentication failed" in low or "no password supplied" in low \
            or "authentication failed" in low or ("role" in low and "does not exist" in low):
        return DatabaseOpenError("server.password", f"the server refused the user or "
                                 f"password of {shown}", **values)
    if "permission denied" in low or "no pg_hba.conf entry" in low \
            or "connect privilege" in low:
        return DatabaseOpenError("server.no_permission", f"the server does not let the user "
                                 f"of {shown} in: {text}", **values)
    if "does not exist" in low and "database" in low:
        return DatabaseOpenError("server.no_database", f"{shown}: no such database on the "
                                 "server", **values)
    if "could not translate host name" in low or "failed to resolve host" in low \
            or "name or service not known" in low or "nodename nor servname" in low \
            or "no such host" in low:
        return DatabaseOpenError("server.unknown_host", f"the server name {values['host']} "
                                 "is not known", **values)
    if "timeout" in low or "timed out" in low:
        return DatabaseOpenError("server.timeout", f"{shown} did not answer within "
                                 f"{seconds} s", **values)
    if "connection refused" in low or "could not connect" in low:
        return DatabaseOpenError("server.refused", f"no database server answers at {shown}",
                                 **values)
    return DatabaseOpenError("server.unexpected", f"the database server reported an error: "
                             f"{text}", **values)


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
