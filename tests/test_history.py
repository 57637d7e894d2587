"""Who changed what (app/services/history.py, issue 17 [12]), on SQLite and PostgreSQL:
every save of a client, complaint or contact is one row with the person signed in (or
nobody), in the card's words, and the card reads the latest of them."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.enums import StaffRole
from app.models import Complaint, ComplaintCheck, Contact, EditLog, Staff
from app.models.enums import CheckState, CompensationKind, Outcome
from app.services import calls, card, complaints, history
from app.services import clients as client_service
from app.services.access import Actor
from app.services.clients import ClientData, PurchaseData, RelativeData

TODAY = date.today()
NOW = datetime.now().replace(microsecond=0)


def _people(db) -> dict[str, Actor]:
    with db.session() as s:
        staff = {n: Staff(name=n, role=r) for n, r in (
            ("Anna Nowak", StaffRole.RECEPTIONIST), ("Marek Zięba", StaffRole.MANAGER),
            ("Olga Owner", StaffRole.OWNER))}
        s.add_all(staff.values())
        s.flush()
        return {n: Actor(p.id, p.name, StaffRole(p.role)) for n, p in staff.items()}


@contextmanager
def signed_in(db, actor: Actor | None):
    """Every session of ``db`` works as ``actor`` in the block (None: nobody)."""
    if actor is not None:
        db.sign_in(actor)
    try:
        yield
    finally:
        db.actor = None
        db.sessions.configure(info={})


def _new_client(db, **fields) -> int:
    with db.session() as s:
        return card.save_card(s, ClientData(name="Olga Petrova", phone="601 234 567",
                                            **fields), "PL", TODAY)


def _history(db, cid: int, limit: int = 50) -> history.ClientHistory:
    with db.sessions() as s:
        return history.client_history(s, cid, limit)


def test_one_save_of_the_card_is_one_change_named_in_the_cards_parts(any_db):
    anna = _people(any_db)["Anna Nowak"]
    with signed_in(any_db, anna):
        cid = _new_client(any_db)
        with any_db.session() as s:
            data = client_service.load_client(s, cid)
            data.phone = "601 234 568"
            data.tags = ["VIP"]
            data.relatives.append(RelativeData(name="Ivan", relation="child"))
            data.purchases.append(PurchaseData(purchased_on=TODAY, amount=Decimal("80")))
            card.save_card(s, data, "PL", TODAY)
    found = _history(any_db, cid)
    assert found.total == 2
    latest, first = found.entries
    assert (first.by, first.subject, first.action) == ("Anna Nowak", "client", "created")
    assert (latest.by, latest.subject, latest.action) == ("Anna Nowak", "client", "changed")
    # the phone's digits, the summary of purchases, the version: never "what she changed"
    assert latest.parts == ("phone", "tags", "relatives", "purchases")
    with any_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(EditLog)) == 2


def test_a_change_made_while_nobody_is_signed_in_is_recorded_without_a_name(any_db):
    cid = _new_client(any_db)
    with any_db.session() as s:
        data = client_service.load_client(s, cid)
        data.notes = "prefers mornings"
        card.save_card(s, data, "PL", TODAY)
    entries = _history(any_db, cid).entries
    assert [(e.by, e.action, e.parts) for e in entries] == [
        (None, "changed", ("notes",)), (None, "created", ())]
    with any_db.sessions() as s:
        assert s.scalar(select(EditLog.staff_id).limit(1)) is None


def test_calls_and_complaint_steps_are_done_by_the_person_signed_in(any_db):
    people = _people(any_db)
    anna, owner = people["Anna Nowak"], people["Olga Owner"]
    cid = _new_client(any_db)
    with signed_in(any_db, anna):
        with any_db.session() as s:
            logged = calls.log_call(s, calls.CallLog(client_id=cid, outcome=Outcome.REACHED),
                                    NOW)
        with any_db.session() as s:
            k = complaints.open_complaint(s, cid, "The cut was uneven", now=NOW)
        with any_db.session() as s:
            # the dialog names the owner as the one handling it: Anna did the tick
            complaints.tick(s, k, 1, CheckState.DONE, owner.staff_id, NOW)
            complaints.record_apology(s, k, "I am sorry", NOW)
    with any_db.sessions() as s:
        assert s.get(Contact, logged.contact_id).staff_id == anna.staff_id
        assert [r.by for r in client_service.contact_rows(s, cid)] == ["Anna Nowak"]
        check = s.scalar(select(ComplaintCheck).where(ComplaintCheck.complaint_id == k,
                                                      ComplaintCheck.item == 1))
        assert check.by_staff_id == anna.staff_id
        view = complaints.load_complaint(s, k)
        assert view.checks[0].by_name == "Anna Nowak"
        assert view.done_by["created"] == "Anna Nowak"
        assert view.done_by["apology_given_at"] == "Anna Nowak"
        assert "resolved_at" not in view.done_by
    entries = _history(any_db, cid).entries
    steps = [(e.subject, e.action, e.parts, e.by) for e in entries]
    assert steps[:4] == [
        ("complaint", "changed", ("checks", "apology", "status"), "Anna Nowak"),
        ("complaint", "created", (), "Anna Nowak"),
        ("contact", "created", (), "Anna Nowak"),
        ("client", "created", (), None)]
    assert entries[2].channel == "phone"
    with signed_in(any_db, anna), any_db.session() as s:
        calls.undo_call(s, logged.contact_id)
    undone = _history(any_db, cid).entries[0]
    assert (undone.subject, undone.action, undone.by) == ("contact", "deleted", "Anna Nowak")


def test_a_receptionist_who_names_the_owner_still_grants_only_her_own_limit(any_db):
    people = _people(any_db)
    anna, owner = people["Anna Nowak"], people["Olga Owner"]
    cid = _new_client(any_db, purchases=[PurchaseData(purchased_on=TODAY - timedelta(days=3),
                                                      amount=Decimal("900"))])
    with any_db.session() as s:
        k = complaints.open_complaint(s, cid, "Late", now=NOW)
        limit = complaints.role_limit(s, StaffRole.RECEPTIONIST)
    over = limit + Decimal("10")
    with signed_in(any_db, anna), pytest.raises(Exception) as refused:
        with any_db.session() as s:
            complaints.compensate(s, k, CompensationKind.DISCOUNT, over,
                                  by_staff_id=owner.staff_id, now=NOW)
    assert getattr(refused.value, "code", "") == "compensation.needs_approval"
    with signed_in(any_db, owner), any_db.session() as s:  # the owner may
        complaints.compensate(s, k, CompensationKind.DISCOUNT, over,
                              by_staff_id=anna.staff_id, now=NOW)
    with any_db.sessions() as s:
        assert s.get(Complaint, k).compensation_value == over
        assert history.who_did(s, "complaint", k)["compensation"] == "Olga Owner"


def test_the_history_is_the_latest_few_newest_first_with_how_many_in_all(any_db):
    cid = _new_client(any_db)
    for i in range(6):
        with any_db.session() as s:
            data = client_service.load_client(s, cid)
            data.notes = f"note {i}"
            card.save_card(s, data, "PL", TODAY)
    found = _history(any_db, cid, limit=5)
    assert found.total == 7 and len(found.entries) == 5
    ats = [e.at for e in found.entries]
    assert ats == sorted(ats, reverse=True)
    assert _history(any_db, cid, limit=50).total == 7


def test_the_trash_and_back_are_in_the_history(any_db):
    cid = _new_client(any_db)
    with any_db.session() as s:
        client_service.soft_delete(s, [cid])
    with any_db.session() as s:
        client_service.restore(s, [cid])
    assert [e.parts for e in _history(any_db, cid).entries[:2]] == [("restored",),
                                                                    ("trashed",)]


def test_a_failed_save_records_nothing(any_db):
    cid = _new_client(any_db)
    with pytest.raises(RuntimeError), any_db.session() as s:
        data = client_service.load_client(s, cid)
        data.notes = "never stored"
        card.save_card(s, data, "PL", TODAY)
        raise RuntimeError("the transaction rolls back")
    with any_db.session() as s:  # the same sessions go on: nothing left over
        data = client_service.load_client(s, cid)
        data.email = "olga@example.com"
        card.save_card(s, data, "PL", TODAY)
    assert [e.parts for e in _history(any_db, cid).entries] == [("email",), ()]


def test_the_old_rows_read_in_the_cards_words_and_nothing_raw():
    assert history.parts_of("client", "phone phone_digits") == ("changed", ("phone",))
    assert history.parts_of("client", "contact_from contact_to notes")[1] == (
        "contact_hours", "notes")
    assert history.parts_of("client", "something_new")[1] == ("other",)
    assert history.parts_of("complaint", "status resolved_at corrective_action")[1] == (
        "corrective_action", "status")
    assert history.parts_of("contact", "outcome note tone")[1] == ("outcome", "tone", "note")
    assert history.parts_of("contact", "created") == ("created", ())


def test_what_is_noted_holds_ids_not_the_objects_it_wrote(db, make_client):
    """A purchase deleted by a bulk statement (its client's ON DELETE CASCADE) does not
    stay in the session because the history noted it: a new purchase given the same id
    in the same transaction meets no stale object (SQLAlchemy's identity-map warning is
    an error in the tests). Found by tests/test_chart_store.py's random writes."""
    from sqlalchemy import delete

    from app.models import Client, Purchase
    first = make_client("Ala")
    with db.session() as s:
        s.add(Purchase(client_id=first, purchased_on=date(2026, 3, 1), amount=Decimal("5")))
        s.flush()
        pending = s.info.get(history.PENDING, [])
        assert pending and all(n.obj is None and n.child is None for n, _ in pending)
        s.execute(delete(Client).where(Client.id == first))
        other = Client(name="Ola", sort_name="ola")
        s.add(other)
        s.flush()
        s.add(Purchase(client_id=other.id, purchased_on=date(2026, 3, 2), amount=Decimal("6")))
        s.flush()
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) == 1



@pytest.mark.sqlite_only("sessionmakers of one SQLite file")
def test_every_new_sessionmaker_records_even_at_a_dead_ones_address(db):
    # a restore or a reopen makes a new sessionmaker; its session class often lands at the
    # address of one collected before, which SQLAlchemy's event registry still names
    import gc

    from sqlalchemy.orm import sessionmaker

    anna = _people(db)["Anna Nowak"]
    cid = _new_client(db)
    for n in range(30):
        sessions = sessionmaker(db.engine, expire_on_commit=False, info={"actor": anna})
        history.install(sessions)
        with sessions() as s, s.begin():
            contact = Contact(client_id=cid, at=NOW, outcome=Outcome.REACHED)
            s.add(contact)
            s.flush()
            assert contact.staff_id == anna.staff_id, n
        del sessions, s
        gc.collect()
