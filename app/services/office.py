"""Settings → Office server (issue 17): the owner points this PC at the office's
PostgreSQL server. The values are checked, the connection is tried (the server's
version, and what the database holds: nothing yet, this program's schema, an older one
to upgrade; a newer ClientCare's or another program's tables are refused), and the choice
is kept for the next start (app/office_choice.py: a JSON file of this PC, the password in
the system keyring), or forgotten.

Every failure is a :class:`~app.errors.DomainError` with a code the window words
(app/ui/messages.py); the connection's own codes are app/server.py ``connection_error``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.errors import DatabaseOpenError, DomainError, FieldError, ValidationError
from app.office_choice import (
    DEFAULT_PORT,
    ServerChoice,
    kept_password,
    load_choice,
    remove_choice,
    server_url,
    write_choice,
)
from app.quick_open import HEAD_REVISION
from app.server import connection_error, shown_url
from app.services.access import Action, Actor, require
from app.services.messages import secrets
from app.sqlite_file import current_revision, known_revisions

__all__ = ["DEFAULT_PORT", "ServerChoice", "ConnectionReport", "check_choice", "forget",
           "kept_password", "load_choice", "remember", "test_connection"]

#: seconds the test of the connection waits for the server
TEST_TIMEOUT = 5

#: what the database holds, as the test found it
EMPTY, CURRENT, OLDER = "empty", "current", "older"


@dataclass(frozen=True)
class ConnectionReport:
    """A connection that worked: the server's version and what its database holds."""

    version: str
    #: EMPTY (the migrations create the schema at the first open), CURRENT (this
    #: program's schema), OLDER (the first open upgrades it)
    state: str
    revision: str | None
    head: str = HEAD_REVISION


def check_choice(host: str, port: int, database: str, user: str) -> ServerChoice:
    """The values of the form, trimmed; every wrong one a :class:`FieldError` of its
    field (host, port, database, user)."""
    host, database, user = host.strip(), database.strip(), user.strip()
    errors: list[FieldError] = []
    if not host:
        errors.append(FieldError("host", "office.host_required", "give the server's name"))
    elif any(c.isspace() or c in "/@?#" for c in host):
        errors.append(FieldError("host", "office.host_invalid", "not a server's name",
                                 {"value": host}))
    if not 0 < port < 65536:
        errors.append(FieldError("port", "smtp.port_range", "a port is 1 to 65535"))
    if not database:
        errors.append(FieldError("database", "office.database_required",
                                 "give the database's name"))
    if not user:
        errors.append(FieldError("user", "office.user_required", "give the user's name"))
    if errors:
        raise ValidationError(errors)
    return ServerChoice(host=host, port=port, database=database, user=user)


def test_connection(choice: ServerChoice, password: str | None, *,
                    timeout: int = TEST_TIMEOUT) -> ConnectionReport:
    """Connect to ``choice`` (waiting at most ``timeout`` seconds) and say what its
    database holds. Refused: a newer ClientCare's schema (``server.newer``), another
    program's tables (``server.not_clientcare``), a user who may not create the schema
    or work in its tables (``server.no_create``, ``server.no_permission``), and every
    connection failure (app/server.py ``connection_error``). Nothing is written."""
    timeout = max(2, timeout)  # psycopg waits at least 2 s
    url = server_url(choice, password)
    shown = shown_url(url)
    engine = create_engine(url, poolclass=NullPool, connect_args={
        "connect_timeout": timeout, "options": "-c timezone=UTC"})
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SHOW server_version").scalar())
            revision = current_revision(conn)
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
            if revision is None and tables:
                raise DatabaseOpenError("server.not_clientcare", f"{shown} holds the tables "
                                        "of another program", url=shown)
            if revision is not None and revision not in known_revisions():
                raise DatabaseOpenError("server.newer", f"{shown} was written by a newer "
                                        f"ClientCare (schema {revision})", url=shown,
                                        revision=revision)
            state = EMPTY if revision is None else CURRENT if revision == HEAD_REVISION \
                else OLDER
            values = {"url": shown, "user": choice.user, "database": choice.database}
            if state != CURRENT and not conn.scalar(text(
                    "SELECT has_schema_privilege(current_schema(), 'CREATE')")):
                raise DatabaseOpenError("server.no_create", f"{choice.user} may not create "
                                        f"tables in {shown}", **values)
            # each privilege on its own: with several, PostgreSQL says whether any is held
            if state != EMPTY and not conn.scalar(text(
                    "SELECT has_table_privilege('clients', 'SELECT') AND "
                    "has_table_privilege('clients', 'INSERT') AND "
                    "has_table_privilege('clients', 'UPDATE') AND "
                    "has_table_privilege('clients', 'DELETE')")):
                raise DatabaseOpenError("server.no_permission", f"{choice.user} may not "
                                        f"work in the tables of {shown}", **values,
                                        detail="clients")
    except DBAPIError as exc:
        raise connection_error(url, exc, seconds=timeout) from exc
    finally:
        engine.dispose()
    return ConnectionReport(version=version, state=state, revision=revision)


test_connection.__test__ = False  # not a test, where a test module imports it


def remember(choice: ServerChoice, password: str | None, *, actor: Actor | None = None,
             path: Path | None = None) -> ServerChoice:
    """This PC opens ``choice`` from its next start (the owner's: settings). ``password``
    goes to the keyring (None: the one kept for the same server and user stays). The
    password of a server chosen before is forgotten."""
    require(actor, Action.SETTINGS)
    choice = check_choice(choice.host, choice.port, choice.database, choice.user)
    try:
        before = load_choice(path)
    except DomainError:  # a choice that cannot be read is replaced
        before = None
    if password is not None:
        secrets.set_secret(secrets.OFFICE_SERVICE, choice.account, password)
    try:
        write_choice(choice, path)
    except Exception:
        if password is not None and (before is None or before.account != choice.account):
            secrets.delete_secret(secrets.OFFICE_SERVICE, choice.account)
        raise
    if before is not None and before.account != choice.account:
        secrets.delete_secret(secrets.OFFICE_SERVICE, before.account)
    return choice


def forget(*, actor: Actor | None = None, path: Path | None = None) -> ServerChoice | None:
    """This PC opens its own file from its next start: the choice and its password are
    forgotten. Returns what was forgotten (None: nothing was chosen)."""
    require(actor, Action.SETTINGS)
    try:
        before = load_choice(path)
    except DomainError:  # a choice that cannot be read is removed all the same
        before = None
    remove_choice(path)
    if before is not None:
        secrets.delete_secret(secrets.OFFICE_SERVICE, before.account)
    return before
