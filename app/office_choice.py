"""The office server this PC opens (Settings → Office server): its host, port, database
and user in a small JSON file of this PC's config folder (app/config.py ``config_dir``),
the password in the system keyring (app/services/messages/secrets.py), never in the file.

Read at every start before the first paint, so this module imports only the standard
library and light app modules: SQLAlchemy (the URL) and the keyring are imported only
when a server was chosen. The owner's actions on the choice (check, test, save, forget)
are in app/services/office.py.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import config_dir, default_db_path
from app.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

CHOICE_FILE = "office-server.json"
DEFAULT_PORT = 5432
#: the form of the file; a file of another form is refused as unreadable
FORMAT = 1


@dataclass(frozen=True)
class ServerChoice:
    """A PostgreSQL database of the office server, without its password."""

    host: str
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""

    @property
    def account(self) -> str:
        """The password's name in the keyring: one per user, server and database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def choice_path() -> Path:
    return config_dir() / CHOICE_FILE


def load_choice(path: Path | None = None) -> ServerChoice | None:
    """The remembered server, or None when this PC opens its own file. A file that
    cannot be read or is not one of ours: ``office.choice_unreadable``."""
    path = path or choice_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, str(exc)) from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise _unreadable(path, str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _unreadable(path, "not a choice of an office server")
    host, port = data.get("host"), data.get("port")
    database, user = data.get("database"), data.get("user")
    if not all(isinstance(v, str) and v for v in (host, database, user)) \
            or not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise _unreadable(path, "a value is missing or has the wrong form")
    return ServerChoice(host=host, port=port, database=database, user=user)


def _unreadable(path: Path, detail: str) -> DomainError:
    return DomainError("office.choice_unreadable", f"the office server's choice {path} "
                       f"cannot be read: {detail}", path=str(path), detail=detail)


def write_choice(choice: ServerChoice, path: Path | None = None) -> None:
    """Keep ``choice`` (written whole beside, then moved over the old file: a stop midway
    leaves the old choice). Cannot be written: ``office.choice_unwritable``."""
    path = path or choice_path()
    data = {"format": FORMAT, "host": choice.host, "port": choice.port,
            "database": choice.database, "user": choice.user}
    tmp = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise _unwritable(path, exc) from exc


def remove_choice(path: Path | None = None) -> None:
    """Forget the choice (this PC opens its own file again)."""
    path = path or choice_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def _unwritable(path: Path, exc: OSError) -> DomainError:
    return DomainError("office.choice_unwritable", f"the office server's choice {path} "
                       f"cannot be written: {exc}", path=str(path), detail=str(exc))


def kept_password(choice: ServerChoice) -> str | None:
    """The password kept in the keyring for ``choice`` (None: none kept); the keyring
    cannot be used: ``keyring.unavailable``."""
    from app.services.messages import secrets  # lazy: the keyring only for a server

    return secrets.get_secret(secrets.OFFICE_SERVICE, choice.account)


def server_url(choice: ServerChoice, password: str | None = None) -> URL:
    """The SQLAlchemy URL of ``choice`` (built from its parts, so an "@", a ":" or a
    Cyrillic letter in the password is kept as it is)."""
    from sqlalchemy.engine import URL  # lazy: start-up, only a server needs SQLAlchemy

    return URL.create("postgresql+psycopg", username=choice.user, password=password or None,
                      host=choice.host, port=choice.port, database=choice.database)


@dataclass(frozen=True)
class StartTarget:
    """What the window opens."""

    #: a database file's path, or a server's URL (with its password, as --db takes it)
    target: Path | str
    #: the remembered server the URL is of (None: given on the command line, or a file)
    choice: ServerChoice | None = None
    #: the remembered choice could not be read: this PC's own file opens, and the user
    #: is told why
    problem: DomainError | None = None


def start_target(given: Path | str | None, path: Path | None = None) -> StartTarget:
    """``--db`` (``given``) wins; without it, the server chosen in Settings → Office
    server (its password from the keyring), else this PC's own file."""
    if given is not None:
        return StartTarget(given)
    try:
        choice = load_choice(path)
    except DomainError as exc:
        log.warning("office server's choice not read: %s", exc)
        return StartTarget(default_db_path(), problem=exc)
    if choice is None:
        return StartTarget(default_db_path())
    try:
        password = kept_password(choice)
    except DomainError as exc:  # the server will say it misses the password
        log.warning("no password for the office server: %s", exc)
        password = None
    return StartTarget(server_url(choice, password).render_as_string(hide_password=False),
                       choice=choice)
