"""``clientcare migrate-to-postgres``: a database file moved onto a PostgreSQL server
(issue 17) with every row of every table, the same values (money as Decimal, dates, times
to the microsecond, non-ASCII text), ids that continue after the copy, and clear refusals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.cli import main
from app.errors import DomainError
from app.models import Base, Client, Purchase
from app.server import open_server
from app.services import clients as client_service
from app.services.demo_file import create_demo_file
from app.services.to_server import migrate_to_server
from tests.conftest import empty_pg


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_file(path, clients=120, locale="pl_PL", seed=7)
    return path


def _rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(
                    select(*t.columns).order_by(*t.primary_key.columns))]
                for t in Base.metadata.sorted_tables}


def test_the_demo_moves_with_every_row_and_value(demo_file, pg_url, pg_database, capsys):
    empty_pg(pg_database)
    assert main(["migrate-to-postgres", "--from", str(demo_file), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "every count is equal" in out and "DIFFERENT" not in out
    assert any(line.split() == ["purchases", *[line.split()[1]] * 2]
               for line in out.splitlines() if line.startswith("purchases"))

    source = create_engine(f"sqlite:///{demo_file}")
    try:
        before = _rows(source)
    finally:
        source.dispose()
    after = _rows(pg_database.engine)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert before["clients"] and before["purchases"] and before["contacts"]
    for table in before:  # every value of every row, not only the counts
        assert after[table] == before[table], table

    with pg_database.session() as s:
        p = s.scalars(select(Purchase).order_by(Purchase.id)).first()
        assert isinstance(p.amount, Decimal) and p.amount == before["purchases"][0][3]
        assert isinstance(p.purchased_on, date)
        assert isinstance(p.created_at, datetime)
        names = list(s.scalars(select(Client.name)))
    assert any(not n.isascii() for n in names)  # Polish names: ł, ś, ż... kept as typed


def test_ids_continue_after_the_copy(demo_file, pg_url, pg_database):
    empty_pg(pg_database)
    migrate_to_server(demo_file, pg_url)
    with pg_database.session() as s:
        top = s.scalar(select(func.max(Client.id)))
        new = client_service.save_client(s, client_service.ClientData(name="Nowa Klientka"),
                                         region="PL")
    assert new == top + 1


def test_a_database_with_data_is_refused_unless_replace(demo_file, pg_url, pg_database):
    empty_pg(pg_database)
    with pg_database.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Already here"),
                                   region="PL")
    with pytest.raises(DomainError) as info:
        migrate_to_server(demo_file, pg_url)
    assert info.value.code == "server.not_empty"
    with pg_database.session() as s:  # nothing copied, nothing removed
        assert list(s.scalars(select(Client.name))) == ["Already here"]
    counts = migrate_to_server(demo_file, pg_url, replace=True)
    assert all(c.equal for c in counts)
    with pg_database.session() as s:
        assert "Already here" not in set(s.scalars(select(Client.name)))
        assert s.scalar(select(func.count()).select_from(Client)) == 120


def test_a_failed_copy_leaves_the_server_as_it_was(demo_file, pg_url, pg_database, monkeypatch):
    from app.services import to_server
    empty_pg(pg_database)
    real = to_server._copy_table

    def failing(src, dst, table, batch, progress):
        if table.name == "purchases":
            raise RuntimeError("the network went away")
        return real(src, dst, table, batch, progress)

    monkeypatch.setattr(to_server, "_copy_table", failing)
    with pytest.raises(RuntimeError):
        migrate_to_server(demo_file, pg_url)
    with pg_database.session() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 0


@pytest.mark.parametrize("change, code", [
    (lambda u: u.set(password="wrong"), "server.password"),
    (lambda u: u.set(database="no_such_database_here"), "server.no_database"),
    (lambda u: u.set(port=1), "server.refused"),
])
def test_connection_problems_have_their_codes(demo_file, pg_url, change, code, capsys):
    url = change(make_url(pg_url)).render_as_string(hide_password=False)
    with pytest.raises(DomainError) as info:
        migrate_to_server(demo_file, url)
    assert info.value.code == code
    assert main(["migrate-to-postgres", "--from", str(demo_file), "--to", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clientcare: ") and "Traceback" not in err
    assert "wrong" not in err  # never the password


@pytest.mark.parametrize("url", ["not a url", "mysql://user@host/db",
                                 "postgresql+psycopg://user@host"])
def test_a_wrong_url_is_refused_before_anything(demo_file, url):
    with pytest.raises(DomainError) as info:
        migrate_to_server(demo_file, url)
    assert info.value.code == "server.bad_url"


def test_a_missing_file_is_refused(tmp_path, capsys):
    assert main(["migrate-to-postgres", "--from", str(tmp_path / "none.sqlite"),
                 "--to", "postgresql+psycopg://u@h/d"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()


def test_the_server_database_opens_at_head(pg_database):
    with pg_database.engine.connect() as conn:
        from app.sqlite_file import head_revision
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            head_revision()
    again = open_server(pg_database.engine.url.render_as_string(hide_password=False))
    again.close()
