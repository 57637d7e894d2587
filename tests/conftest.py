"""Shared fixtures: a fresh database file per test; Qt runs offscreen; a PostgreSQL
database per test module for the tests of office mode (issue 17)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
import warnings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from contextlib import closing  # noqa: E402
from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError, ProgrammingError  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Staff  # noqa: E402
from app.models.enums import StaffRole  # noqa: E402
from app.services import clients as client_service  # noqa: E402
from tests.pg_server import TestServer, find_pg_ctl  # noqa: E402

# CI runs the property tests with a fixed seed, so a red run is reproducible and never
# depends on luck; developers' runs keep exploring new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

#: ``make test-deep`` (CLIENTCARE_DEEP_TESTS=1): the long random walks and the heaviest
#: property tests run several times as far; ``make test`` keeps to its ten minutes
DEEP = os.environ.get("CLIENTCARE_DEEP_TESTS") == "1"


def depth(quick: int, deep: int) -> int:
    """How far a random walk or a property test goes: ``quick`` in ``make test``,
    ``deep`` in ``make test-deep``."""
    return deep if DEEP else quick


#: the marker of a service test that is about the SQLite file itself (its pages, WAL,
#: backups, locks...) and so runs on SQLite only; every other service test that uses
#: ``db`` runs on both engines (issue 17)
SQLITE_ONLY = "sqlite_only"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{SQLITE_ONLY}(reason): a service test of the SQLite file itself; "
        "it does not run on PostgreSQL")


def _service_test(metafunc) -> bool:
    """A test of the services (tests/*.py, not the window's tests/ui/)."""
    return os.path.basename(os.path.dirname(str(metafunc.definition.path))) == "tests"


def pytest_generate_tests(metafunc):
    """Every service test that uses ``db`` runs on a SQLite file and on the PostgreSQL
    server, unless it is marked ``sqlite_only`` with its reason."""
    if ("db" in metafunc.fixturenames and _service_test(metafunc)
            and metafunc.definition.get_closest_marker(SQLITE_ONLY) is None):
        metafunc.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A new, empty ClientCare file made once per test worker by ``open_database``:
    each test's file is a copy of it (a copy and an open take ~17 ms, making a file with
    its schema ~115 ms; the suite makes over a thousand)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path).close()
    with closing(sqlite3.connect(path)) as con:  # every page in the file itself
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def fresh_sqlite(template: Path, folder: Path):
    """A new ClientCare file in ``folder`` (named test.sqlite), open."""
    target = folder / "test.sqlite"
    shutil.copyfile(template, target)
    return open_database(target)


@pytest.fixture
def db(request, tmp_path, sqlite_template):
    """The test's database: a fresh SQLite file, or (the PostgreSQL case of a service
    test) the module's server database, emptied first."""
    if getattr(request, "param", "sqlite") == "postgresql":
        database = request.getfixturevalue("pg_database")
        empty_pg(database)
        yield database
        signed_out(database)
        return
    database = fresh_sqlite(sqlite_template, tmp_path)
    yield database
    database.close()


@pytest.fixture
def make_client(db):
    """Create a client through the service; returns its id."""

    def make(name: str = "Anna Kowalska", phone: str = "", email: str = "",
             purchases: list[tuple[date, str]] | None = None, **fields) -> int:
        data = client_service.ClientData(name=name, phone=phone, email=email, **fields)
        data.purchases = [client_service.PurchaseData(purchased_on=d, amount=Decimal(a))
                          for d, a in (purchases or [])]
        with db.session() as s:
            return client_service.save_client(s, data, region="PL")

    return make


@pytest.fixture
def staff(db):
    """One person of each role (owner, manager, receptionist): role -> staff id."""
    with db.session() as s:
        people = {r: Staff(name=r.value, role=r) for r in StaffRole}
        s.add_all(people.values())
        s.flush()
        return {r: p.id for r, p in people.items()}


# --------------------------------------------------------------------------- PostgreSQL

#: a server of one's own for the PostgreSQL tests, instead of the one the run starts: a
#: URL of a user who may create databases, e.g.
#: postgresql+psycopg://USER:PASSWORD@HOST/postgres
PG_ENV = "CLIENTCARE_TEST_PG"
#: set (CI): a PostgreSQL test that has no server fails instead of skipping
REQUIRE_PG_ENV = "CLIENTCARE_REQUIRE_PG"
_HOW = ("install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; the run "
        f"starts its own server from its binaries), or set {PG_ENV}=postgresql+psycopg://"
        "USER:PASSWORD@HOST/postgres (a user who may create databases)")


def _pg_possible() -> bool:
    return bool(os.environ.get(PG_ENV)) or find_pg_ctl() is not None


def pytest_report_header(config):
    """One line at the top of the run: where the PostgreSQL half runs, or how to run it."""
    server = os.environ.get(PG_ENV)
    if server:
        shown = make_url(server).render_as_string(hide_password=True)
        return f"PostgreSQL tests: on {shown} (a database per test module)"
    pg_ctl = find_pg_ctl()
    if pg_ctl:
        return (f"PostgreSQL tests: on a server the run starts in a temporary folder "
                f"({pg_ctl}; a database per test module)")
    if os.environ.get(REQUIRE_PG_ENV):
        return f"PostgreSQL tests: required ({REQUIRE_PG_ENV}) but no server: they fail"
    return f"PostgreSQL tests: not run; to run them, {_HOW}"


def _needs_pg(item) -> bool:
    """The test runs on the server: it uses the module's database, or it is the
    PostgreSQL case of a test parametrized over both engines."""
    if "pg_url" in getattr(item, "fixturenames", ()):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


def pytest_collection_modifyitems(config, items):
    """Without a server (and not in CI, which requires one) the PostgreSQL half is left
    out of the run and one line at its end says so (not a skip line for each test)."""
    if _pg_possible() or os.environ.get(REQUIRE_PG_ENV):
        return
    left = [item for item in items if _needs_pg(item)]
    if left:
        items[:] = [item for item in items if not _needs_pg(item)]
        config.hook.pytest_deselected(items=left)
        config.stash[_PG_LEFT] = len(left)


_PG_LEFT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    left = config.stash.get(_PG_LEFT, 0)
    # under pytest -n the workers collect: the controller knows only that it had none
    spread = config.pluginmanager.getplugin("dsession") is not None
    if left or (spread and not _pg_possible() and not os.environ.get(REQUIRE_PG_ENV)):
        how_many = f"{left} test(s)" if left else "its tests"
        terminalreporter.write_line(f"PostgreSQL half: {how_many} not run; to run them, {_HOW}")


def pg_unavailable(reason: str):
    if os.environ.get(REQUIRE_PG_ENV):
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_PG_ENV} is set): {reason}",
                    pytrace=False)
    pytest.skip(f"PostgreSQL half skipped: {reason}; to run it, {_HOW}")


@pytest.fixture(scope="session")
def pg_server():
    """The server of this run (of this xdist worker): the one of ``CLIENTCARE_TEST_PG``,
    or one started in a temporary folder; the URL of its ``postgres`` database."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pg_unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    server = os.environ.get(PG_ENV)
    if server:
        yield server
        return
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        pg_unavailable("no PostgreSQL server binaries (pg_ctl) on this machine")
    own = TestServer(pg_ctl)
    try:
        url = own.start()
    except Exception as exc:  # noqa: BLE001 - said once, as the reason of the half
        own.stop()
        pg_unavailable(f"the test server did not start ({exc}); see {own.folder}")
    try:
        yield url
    finally:
        own.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database of the run at this program's schema, made once by the migrations:
    each module's database is copied from it (CREATE DATABASE ... TEMPLATE is a file
    copy; the migrations take a second each time). Dropped at the end of the run."""
    from app.server import open_server
    name = f"cc_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{secrets.token_hex(3)}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        made = open_server(make_url(pg_server).set(database=name)
                           .render_as_string(hide_password=False))
        made.close()
        yield name
    finally:
        _drop_database(admin, name)
        admin.dispose()


@pytest.fixture(scope="module")
def pg_url(request, pg_server):
    """A new, empty PostgreSQL database for the test module (dropped after it): its URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])[:30]
    name = f"cc_{worker}_{module}_{secrets.token_hex(3)}".lower()
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:
        admin.dispose()
        pg_unavailable(f"cannot reach the PostgreSQL server: {exc.orig}")
    try:
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin, name: str) -> None:
    """Drop a test database; an autovacuum worker of the server's own in it (which this
    user may not end) is waited for, a few times, before the database is left behind."""
    for attempt in range(20):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (OperationalError, ProgrammingError) as exc:
            last = exc
            time.sleep(0.25 * (attempt + 1))
    warnings.warn(f"test database {name} left on the server: {last.orig}", stacklevel=1)


@pytest.fixture(scope="module")
def pg_database(request, pg_url, pg_server):
    """The module's PostgreSQL database with the ClientCare schema: copied from the
    run's template while the module's database is still empty, else by the migrations."""
    from app.server import open_server
    url = make_url(pg_url)
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    try:
        probe = create_engine(url)
        with probe.connect() as conn:
            empty = conn.execute(text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            )).scalar() == 0
        probe.dispose()
        if empty:
            template = request.getfixturevalue("pg_template")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{url.database}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')
    finally:
        admin.dispose()
    database = open_server(pg_url)
    yield database
    database.close()


#: every table with a row, and every used sequence, back to empty in one round trip
#: (a TRUNCATE of every table costs ~80 ms a test; most tests touch a few tables)
_EMPTY_PG = """
DO $$
DECLARE r record; dirty text[] := '{}'; has boolean;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables
           WHERE schemaname = current_schema() AND tablename <> 'alembic_version' LOOP
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || quote_ident(r.tablename) || ')' INTO has;
    IF has THEN dirty := dirty || quote_ident(r.tablename); END IF;
  END LOOP;
  IF cardinality(dirty) > 0 THEN
    EXECUTE 'TRUNCATE ' || array_to_string(dirty, ', ') || ' RESTART IDENTITY CASCADE';
  END IF;
  FOR r IN SELECT sequencename FROM pg_sequences
           WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
    EXECUTE 'ALTER SEQUENCE ' || quote_ident(r.sequencename) || ' RESTART';
  END LOOP;
END $$
"""


def db_target(database) -> str:
    """What a command's ``--db`` takes for the test's database: the SQLite file, or the
    server's URL with its password."""
    if database.path is not None:
        return str(database.path)
    return database.engine.url.render_as_string(hide_password=False)


def signed_out(database) -> None:
    """The module's shared database as a new one: nobody signed in (a test that signed
    in must not sign in the next test)."""
    database.actor = None
    database.sessions.configure(info={})


def empty_pg(database) -> None:
    """Every row of every table gone, the ids counted from 1 again (the schema kept)."""
    with database.engine.begin() as conn:
        conn.exec_driver_sql(_EMPTY_PG)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path):
    """The test once on a fresh SQLite file and once on the module's PostgreSQL
    database, emptied first."""
    if request.param == "sqlite":
        database = fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
        yield database
        database.close()
    else:
        database = request.getfixturevalue("pg_database")
        empty_pg(database)
        yield database
        signed_out(database)
