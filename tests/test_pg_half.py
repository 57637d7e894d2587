"""The PostgreSQL half of the run (issue 17): without the server binaries and without a
server of one's own it is left out, and one line says how to enable it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import conftest


@pytest.fixture
def no_server(monkeypatch):
    monkeypatch.delenv(conftest.PG_ENV, raising=False)
    monkeypatch.delenv(conftest.REQUIRE_PG_ENV, raising=False)
    monkeypatch.setattr(conftest, "find_pg_ctl", lambda: None)


def _item(name: str, fixtures=(), params=None):
    return SimpleNamespace(name=name, fixturenames=list(fixtures),
                           callspec=SimpleNamespace(params=params) if params else None)


def test_without_binaries_the_half_is_left_out_with_one_line_saying_how(no_server):
    assert not conftest._pg_possible()
    header = conftest.pytest_report_header(None)
    assert header.startswith("PostgreSQL tests: not run; to run them, install the "
                             "PostgreSQL server")
    assert conftest.PG_ENV in header
    items = [_item("a[sqlite]", ["db"], {"db": "sqlite"}),
             _item("a[postgresql]", ["db"], {"db": "postgresql"}),
             _item("b", ["pg_url"]), _item("c")]
    left = []
    config = SimpleNamespace(stash={}, hook=SimpleNamespace(
        pytest_deselected=lambda items: left.extend(items)))
    conftest.pytest_collection_modifyitems(config, items)
    assert [i.name for i in items] == ["a[sqlite]", "c"]
    assert [i.name for i in left] == ["a[postgresql]", "b"]


def test_where_it_is_required_nothing_is_left_out(no_server, monkeypatch):
    monkeypatch.setenv(conftest.REQUIRE_PG_ENV, "1")
    items = [_item("a[postgresql]", ["db"], {"db": "postgresql"})]
    config = SimpleNamespace(stash={}, hook=SimpleNamespace(pytest_deselected=None))
    conftest.pytest_collection_modifyitems(config, items)
    assert len(items) == 1
    assert "required" in conftest.pytest_report_header(None)


def test_with_binaries_the_run_starts_its_own_server(monkeypatch):
    monkeypatch.delenv(conftest.PG_ENV, raising=False)
    monkeypatch.setattr(conftest, "find_pg_ctl", lambda: "/usr/lib/postgresql/15/bin/pg_ctl")
    assert conftest._pg_possible()
    assert "a server the run starts in a temporary folder" in conftest.pytest_report_header(None)
