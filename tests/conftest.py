"""Shared fixtures: a fresh database file per test; Qt runs offscreen; a PostgreSQL
database per test module for the tests of office mode (issue 17)."""

from __future__ import annotations

import os
import re
import secrets
import time
import warnings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError, ProgrammingError  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Staff  # noqa: E402
from app.models.enums import StaffRole  # noqa: E402
from app.services import clients as client_service  # noqa: E402

# CI runs the property tests with a fixed seed, so a red run is reproducible and never
# depends on luck; developers' runs keep exploring new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.sqlite")
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

#: the server of the PostgreSQL tests: a URL of a user who may create databases, e.g.
#: postgresql+psycopg://clientcare_test:clientcare_test@127.0.0.1/postgres (.ci/run
#: starts the server and sets it)
PG_ENV = "CLIENTCARE_TEST_PG"
#: set (CI): a PostgreSQL test that has no server fails instead of skipping
REQUIRE_PG_ENV = "CLIENTCARE_REQUIRE_PG"


def pytest_report_header(config):
    """One line at the top of the run: where the PostgreSQL half runs, or how to run it."""
    server = os.environ.get(PG_ENV)
    if server:
        shown = make_url(server).render_as_string(hide_password=True)
        return f"PostgreSQL tests: on {shown} (a database per test module)"
    if os.environ.get(REQUIRE_PG_ENV):
        return f"PostgreSQL tests: required ({REQUIRE_PG_ENV}) but {PG_ENV} is not set: they fail"
    return (f"PostgreSQL tests: skipped; set {PG_ENV}=postgresql+psycopg://USER:PASSWORD@HOST/"
            "postgres (a user who may create databases) to run them")


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
    if os.environ.get(PG_ENV) or os.environ.get(REQUIRE_PG_ENV):
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
    if left or (spread and not os.environ.get(PG_ENV) and not os.environ.get(REQUIRE_PG_ENV)):
        how_many = f"{left} test(s)" if left else "its tests"
        terminalreporter.write_line(
            f"PostgreSQL half: {how_many} not run; set {PG_ENV}=postgresql+psycopg://"
            "USER:PASSWORD@HOST/postgres (a user who may create databases) to run them")


def pg_unavailable(reason: str):
    if os.environ.get(REQUIRE_PG_ENV):
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_PG_ENV} is set): {reason}",
                    pytrace=False)
    pytest.skip(f"PostgreSQL half skipped: {reason}; to run it set {PG_ENV}="
                "postgresql+psycopg://USER:PASSWORD@HOST/postgres (a user who may create "
                "databases; .ci/run shows how)")


@pytest.fixture(scope="module")
def pg_url(request):
    """A new, empty PostgreSQL database for the test module (dropped after it): its URL."""
    server = os.environ.get(PG_ENV)
    if not server:
        pg_unavailable(f"{PG_ENV} is not set")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pg_unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])[:30]
    name = f"cc_{worker}_{module}_{secrets.token_hex(3)}".lower()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:
        admin.dispose()
        pg_unavailable(f"cannot reach the server of {PG_ENV}: {exc.orig}")
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
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
def pg_database(pg_url):
    """The module's PostgreSQL database with the ClientCare schema (by the migrations)."""
    from app.server import open_server
    database = open_server(pg_url)
    yield database
    database.close()


def empty_pg(database) -> None:
    """Every row of every table gone, the ids counted from 1 again (the schema kept)."""
    with database.engine.begin() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version'"))]
        if names:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, tmp_path):
    """The test once on a fresh SQLite file and once on the module's PostgreSQL
    database, emptied first."""
    if request.param == "sqlite":
        database = open_database(tmp_path / "test.sqlite")
        yield database
        database.close()
    else:
        database = request.getfixturevalue("pg_database")
        empty_pg(database)
        yield database
