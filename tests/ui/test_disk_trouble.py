"""A full disk or a file that became read-only while ClientCare runs: the user gets a
clear message in their language, the change is not half-saved, and nothing saved before
is lost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event, func, select

from app.models import Client
from app.services import clients as client_service


@pytest.fixture
def warnings_shown(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    return said


def _count(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Client))


def _save(name: str, purchases: int = 0):
    def work(s):
        data = client_service.ClientData(name=name, notes="x" * 2000, purchases=[
            client_service.PurchaseData(purchased_on=__import__("datetime").date(2026, 1, 1),
                            amount=Decimal("10.00"), note="y" * 3000)
            for _ in range(purchases)])
        return client_service.save_client(s, data, region="PL")
    return work


def test_a_full_disk_keeps_what_was_saved(qtbot, ops, db, make_client, warnings_shown):
    make_client("Anna")
    # SQLite's own limit on the file's size gives the "database or disk is full" error
    # that a full disk gives, without filling the test machine's disk
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    db.engine.dispose()  # new connections get the cap
    result = ops.run(None, _save("Bartek", purchases=200))
    assert result is None
    assert warnings_shown == ["The disk is full; your change was not saved. "
                              "Free some space and try again."]
    assert _count(db) == 1  # Anna is there, Bartek was not half-saved
    event.remove(db.engine, "connect", _cap)
    db.engine.dispose()
    assert ops.run(None, _save("Bartek")) is not None  # space again
    assert _count(db) == 2


def test_a_database_that_became_read_only(qtbot, ops, db, make_client, warnings_shown):
    make_client("Anna")
    # what SQLite answers when the file or its folder turned read-only (a USB stick
    # locked, permissions changed): query_only gives the same "readonly database" error,
    # also for root, who ignores permission bits
    @event.listens_for(db.engine, "connect")
    def _read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only=ON")

    db.engine.dispose()
    assert ops.run(None, _save("Bartek")) is None
    assert warnings_shown == ["The database cannot be written (read-only). "
                              "Your change was not saved."]
    event.remove(db.engine, "connect", _read_only)
    db.engine.dispose()
    assert _count(db) == 1
