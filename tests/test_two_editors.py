"""Two people editing the same client at once (issue 17), on both engines and on two
connections: the second save is refused, says which parts of the card the first one
changed and who saved it, and nothing of either is silently overwritten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.enums import StaffRole
from app.errors import ConflictError
from app.models import Staff
from app.services import clients as client_service
from app.services.access import Actor
from app.services.clients import ClientData, PurchaseData

TODAY = date(2026, 12, 2)


def _people(db) -> tuple[Actor, Actor]:
    with db.session() as s:
        desk = Staff(name="Recepcja Ania", role=StaffRole.RECEPTIONIST)
        office = Staff(name="Kierownik Marek", role=StaffRole.MANAGER)
        s.add_all([desk, office])
        s.flush()
        return (Actor(desk.id, desk.name, StaffRole.RECEPTIONIST),
                Actor(office.id, office.name, StaffRole.MANAGER))


def test_the_second_save_is_refused_with_what_the_first_changed(any_db):
    desk, office = _people(any_db)
    from app.services import auth
    auth.install(any_db.sessions)
    with any_db.session() as s:
        cid = client_service.save_client(s, ClientData(name="Ola Wspólna", phone="601 234 567"),
                                         region="PL", today=TODAY)
    # two desks, two connections, both open at once
    a, b = any_db.sessions(), any_db.sessions()
    a.info["actor"], b.info["actor"] = office, desk
    try:
        with a.begin():
            at_office = client_service.load_client(a, cid)
        with b.begin():
            at_desk = client_service.load_client(b, cid)
        at_office.phone = "602 000 111"
        at_office.purchases.append(PurchaseData(purchased_on=TODAY, amount=Decimal("45.00"),
                                                item="Strzyżenie"))
        with a.begin():
            client_service.save_client(a, at_office, region="PL", today=TODAY)
        at_desk.notes = "woli rano"
        with pytest.raises(ConflictError) as refused, b.begin():
            client_service.save_client(b, at_desk, region="PL", today=TODAY)
    finally:
        a.close()
        b.close()
    exc = refused.value
    assert exc.code == "client.changed"
    assert exc.values["parts"] == ["phone", "purchases"]
    assert exc.values["by"] == "Kierownik Marek" and exc.values["name"] == "Ola Wspólna"
    with any_db.sessions() as s:
        stored = client_service.load_client(s, cid)
    assert stored.phone == "+48602000111" and stored.notes == ""  # the desk's note not in
    assert [p.amount for p in stored.purchases] == [Decimal("45.00")]


def test_a_refusal_says_it_in_the_users_words(qapp):
    from datetime import datetime

    from app.ui.messages import error_text
    exc = ConflictError("client.changed", "x", name="Ola", parts=["phone", "relatives"],
                        by="Marek", at=datetime(2026, 12, 2, 10, 14))
    text = error_text(exc)
    assert text.startswith("“Ola” was changed elsewhere since you opened it")
    assert "nothing was overwritten" in text
    assert "They changed: phone, family." in text
    assert "Saved by Marek," in text and "10:14" in text
