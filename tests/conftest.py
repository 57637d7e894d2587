"""Shared fixtures: a fresh database file per test; Qt runs offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

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
