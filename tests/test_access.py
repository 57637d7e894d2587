"""Staff logins and roles (issue 17), on both engines: every role against every guarded
service action; passwords only as argon2 hashes; the lockout; the first owner; who
changed what."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.enums import StaffRole
from app.errors import DomainError, ValidationError
from app.models import Client, Contact, EditLog, Staff
from app.office_choice import ServerChoice
from app.services import (
    auth,
    backups,
    calls,
    complaints,
    erasure,
    imports,
    metrics,
    office,
    restoring,
    rules,
    segments,
)
from app.services import clients as client_service
from app.services import staff as staff_service
from app.services.access import ALLOWED, AccessDenied, Action, Actor, least_role, may
from app.services.io import export
from app.services.messages import config as message_config
from app.services.messages import sending, templates

NOW = datetime(2026, 12, 2, 10, 0)

class _Db:
    """The test's session as a database whose sessions are that one (the message
    senders open their own sessions, as the window's executor does)."""

    def __init__(self, session):
        self._session = session

    @contextmanager
    def session(self):
        yield self._session


#: one call of each guarded service function; the arguments need not make sense, the
#: guard is the function's first step
GUARDED = {
    Action.CLIENTS: [
        lambda s: client_service.save_client(s, client_service.ClientData(name="Ala")),
        lambda s: client_service.add_purchase(s, 0, None),
        lambda s: client_service.soft_delete(s, [0]),
        lambda s: client_service.restore(s, [0]),
        lambda s: export.merge_clients(s, 0, 0, NOW.date()),
    ],
    Action.CALLS: [
        lambda s: calls.log_call(s, None, NOW),
        lambda s: calls.undo_call(s, 0),
        lambda s: calls.correct_call(s, 0, None),
        lambda s: calls.complete_task(s, 0, NOW),
        lambda s: calls.snooze(s, 0),
        lambda s: calls.reschedule(s, 0, NOW.date()),
        lambda s: calls.cancel(s, 0, "x"),
        lambda s: calls.add_manual_task(s, 0, NOW.date(), "x"),
        lambda s: sending.begin(s, None),
        lambda s: sending.dismiss(s, 0),
        lambda s: sending.send(_Db(s), []),
        lambda s: sending.retry(_Db(s), 0),
    ],
    Action.COMPLAINTS: [
        lambda s: complaints.open_complaint(s, 0, "x", now=NOW),
        lambda s: complaints.record_apology(s, 0, "x", NOW),
        lambda s: complaints.record_request(s, 0, "x", NOW),
        lambda s: complaints.tick(s, 0, 0, None),
        lambda s: complaints.compensate(s, 0, None, "1", by_staff_id=0, now=NOW),
        lambda s: complaints.set_accountability(s, 0, None),
        lambda s: complaints.resolve(s, 0, NOW),
        lambda s: complaints.close(s, 0, kept=True, satisfied=True),
        lambda s: complaints.review(s, 0, {}, "", NOW),
        lambda s: complaints.save_complaint(s, 0, None, None),
    ],
    Action.CHARTS: [
        lambda s: metrics.report(s, date(2026, 1, 1), NOW.date(), metrics.By.MONTH,
                                 NOW.date()),
    ],
    Action.SEGMENT_REVIEW: [lambda s: segments.record_review(s, NOW.date(), [])],
    Action.EXPORT: [
        lambda s: export.export_table(s, "clients", Path("/nonexistent/x.csv")),
        lambda s: export.client_data(s, 0),
    ],
    Action.IMPORT: [lambda s: imports.import_plan(s, None, None, "clients", {}, None, "PL")],
    Action.SETTINGS: [
        lambda s: rules.save_rules(s, {}),
        lambda s: rules.save_business(s, "Shop", "PL", "PLN"),
        lambda s: message_config.save_email(s, None),
        lambda s: message_config.save_sms(s, None),
        lambda s: templates.save_template(s, None),
        lambda s: templates.reset_template(s, "x", "en", None),
        # this PC's office server (Settings → Office server): an empty choice fails past
        # the guard, before the file or the keyring
        lambda s: office.remember(ServerChoice(""), None, actor=s.info.get("actor"),
                                  path=Path("/nonexistent/office-server.json")),
        lambda s: office.forget(actor=s.info.get("actor"),
                                path=Path("/nonexistent/office-server.json")),
    ],
    Action.STAFF: [
        lambda s: staff_service.save_staff(s, []),
        lambda s: auth.clear_password(s, 0),
        lambda s: auth.set_logins(s, False),
    ],
    Action.BACKUPS: [
        lambda s: restoring.restore_backup(Path("/nonexistent/db.sqlite"),
                                           Path("/nonexistent/b.sqlite"),
                                           actor=s.info.get("actor")),
        lambda s: backups.delete_backup(Path("/nonexistent/db.sqlite"),
                                        Path("/nonexistent/b.sqlite"),
                                        actor=s.info.get("actor")),
        lambda s: backups.choose_folder(Path("/nonexistent/db.sqlite"), None,
                                        actor=s.info.get("actor")),
    ],
    Action.ERASE: [lambda s: erasure.erase_client(s, 0, NOW)],
}

def test_every_action_is_guarded_somewhere():
    assert set(GUARDED) == set(Action)
    assert ALLOWED[StaffRole.RECEPTIONIST] == {Action.CLIENTS, Action.CALLS, Action.COMPLAINTS}
    assert ALLOWED[StaffRole.MANAGER] == ALLOWED[StaffRole.RECEPTIONIST] | {
        Action.CHARTS, Action.SEGMENT_REVIEW, Action.EXPORT, Action.IMPORT}
    assert ALLOWED[StaffRole.OWNER] == set(Action)
    assert least_role(Action.ERASE) == StaffRole.OWNER
    assert least_role(Action.EXPORT) == StaffRole.MANAGER


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_role_against_each_guarded_action(any_db, role):
    """Every guarded service function, called as ``role``: refused with the reason
    exactly when the role may not take its action (each call in a savepoint)."""
    with any_db.sessions() as s:
        person = Staff(name=f"{role.value} person", role=role, active=True)
        s.add(person)
        s.commit()
        s.info["actor"] = Actor(person.id, person.name, role)
        wrong = []
        for action, functions in GUARDED.items():
            for i, call in enumerate(functions):
                refused = None
                point = s.begin_nested()
                try:
                    call(s)
                except AccessDenied as exc:
                    refused = exc
                except Exception:  # noqa: BLE001 - the dummy arguments fail past the guard
                    pass
                if point.is_active:
                    point.rollback()
                if (refused is None) != (action in ALLOWED[role]):
                    wrong.append((action.value, i, "refused" if refused else "allowed"))
                elif refused is not None:
                    assert refused.code == "access.denied"
                    assert refused.values == {"action": action.value, "role": role.value,
                                              "name": person.name}
        assert wrong == []
        s.rollback()


def test_without_anybody_signed_in_everything_is_allowed(db):
    with db.sessions() as s:
        assert all(may(s, a) for a in Action)
        assert s.info.get("actor") is None
        # a call that passes its guard and fails on its dummy arguments, not on access
        with pytest.raises(DomainError) as caught:
            export.client_data(s, 0)
        assert not isinstance(caught.value, AccessDenied)


def test_the_window_signed_in_as_a_receptionist_is_refused_an_erase(db, make_client):
    cid = make_client("Ewa Kowalska")
    with db.session() as s:
        person = Staff(name="Recepcja", role=StaffRole.RECEPTIONIST)
        s.add(person)
        s.flush()
        actor = Actor(person.id, person.name, StaffRole.RECEPTIONIST)
    db.sign_in(actor)
    with pytest.raises(AccessDenied), db.session() as s:
        erasure.erase_client(s, cid, NOW)
    with db.sessions() as s:
        assert s.get(Client, cid).erased_at is None  # nothing was done
        assert s.info["actor"] == actor  # every new session carries the person


# --------------------------------------------------------------------------- passwords


def test_a_password_is_kept_only_as_an_argon2_hash(db, tmp_path):
    with db.session() as s:
        actor = auth.create_owner(s, "Maria", "sekretne-hasło-1", "sekretne-hasło-1")
    with db.sessions() as s:
        stored = s.get(Staff, actor.staff_id).password_hash
    assert stored.startswith("$argon2id$") and "sekretne" not in stored
    if db.path is None:  # a server: the column holds the hash only (checked above)
        return
    db.close()
    raw = Path(db.path).read_bytes()
    for side in Path(db.path).parent.glob(Path(db.path).name + "-*"):
        raw += side.read_bytes()
    assert "sekretne-hasło-1".encode() not in raw


def test_new_passwords_are_checked(db):
    with db.session() as s:
        with pytest.raises(ValidationError) as short:
            auth.create_owner(s, "Maria", "krótkie", "krótkie")
        assert short.value.errors[0].code == "password.short"
        with pytest.raises(ValidationError) as differ:
            auth.create_owner(s, "Maria", "dlugie-haslo", "dlugie-hasl0")
        assert differ.value.errors[0].code == "password.mismatch"
        with pytest.raises(ValidationError) as nameless:
            auth.create_owner(s, "  ", "dlugie-haslo", "dlugie-haslo")
        assert nameless.value.errors[0].code == "name.required"


def test_wrong_passwords_lock_signing_in_for_longer_each_time(any_db):
    with any_db.session() as s:
        owner = auth.create_owner(s, "Maria", "correct horse", "correct horse")
    t = NOW
    for left in (4, 3, 2, 1):
        with any_db.session() as s, pytest.raises(DomainError) as wrong:
            auth.sign_in(s, owner.staff_id, "wrong", t)
        assert wrong.value.code == "auth.wrong_password"
        assert wrong.value.values["left"] == left
    with any_db.session() as s, pytest.raises(DomainError) as locked:
        auth.sign_in(s, owner.staff_id, "wrong", t)  # the fifth
    assert locked.value.code == "auth.locked" and locked.value.values["seconds"] == 30
    # while locked even the right password waits
    with any_db.session() as s, pytest.raises(DomainError) as still:
        auth.sign_in(s, owner.staff_id, "correct horse", t + timedelta(seconds=10))
    assert still.value.code == "auth.locked" and 0 < still.value.values["seconds"] <= 21
    with any_db.session() as s, pytest.raises(DomainError) as longer:
        auth.sign_in(s, owner.staff_id, "wrong", t + timedelta(seconds=31))
    assert longer.value.values["seconds"] == 60  # the sixth: twice as long
    with any_db.session() as s:
        actor = auth.sign_in(s, owner.staff_id, "correct horse", t + timedelta(seconds=92))
    assert actor == Actor(owner.staff_id, "Maria", StaffRole.OWNER)
    with any_db.sessions() as s:
        person = s.get(Staff, owner.staff_id)
        assert person.failed_logins == 0 and person.locked_until is None
    assert auth.lock_for(40) == auth.MAX_LOCK


def test_the_lockout_is_kept_in_the_database_for_every_window(any_db):
    """A refusal is committed: a second window (another session) sees the count."""
    with any_db.session() as s:
        owner = auth.create_owner(s, "Maria", "correct horse", "correct horse")
    for _ in range(5):
        with any_db.session() as s, pytest.raises(DomainError):
            auth.sign_in(s, owner.staff_id, "nope", NOW)
    other = any_db.sessions()
    try:
        with pytest.raises(DomainError) as locked:
            auth.sign_in(other, owner.staff_id, "correct horse", NOW)
        assert locked.value.code == "auth.locked"
    finally:
        other.close()


def test_logins_are_required_on_a_server_and_optional_on_a_file(any_db):
    with any_db.session() as s:
        on_server = s.get_bind().dialect.name != "sqlite"
        assert auth.logins_required(s) is on_server
        assert auth.needs_owner(s)
        with pytest.raises(DomainError) as first:
            auth.set_logins(s, True)
        assert first.value.code == "auth.owner_first"
        auth.create_owner(s, "Maria", "correct horse", "correct horse")
        assert not auth.needs_owner(s)
        with pytest.raises(DomainError) as twice:
            auth.create_owner(s, "Jan", "another one", "another one")
        assert twice.value.code == "auth.owner_exists"
        auth.set_logins(s, True)
        assert auth.logins_required(s)
        assert [p.name for p in auth.people_who_sign_in(s)] == ["Maria"]


def test_own_password_anyone_another_ones_only_the_owner(any_db):
    with any_db.session() as s:
        desk = Staff(name="Desk", role=StaffRole.RECEPTIONIST)
        boss = Staff(name="Boss", role=StaffRole.MANAGER)
        s.add_all([desk, boss])
        s.flush()
        s.info["actor"] = Actor(desk.id, desk.name, StaffRole.RECEPTIONIST)
        auth.set_password(s, desk.id, "my own password")
        with pytest.raises(AccessDenied):
            auth.set_password(s, boss.id, "not mine to set")
        assert s.get(Staff, boss.id).password_hash is None


# --------------------------------------------------------------------------- who did it


def test_every_save_records_who_made_it(any_db):
    with any_db.session() as s:
        person = Staff(name="Anna", role=StaffRole.RECEPTIONIST)
        s.add(person)
        s.flush()
        pid = person.id
    any_db.sign_in(Actor(pid, "Anna", StaffRole.RECEPTIONIST))
    try:
        with any_db.session() as s:
            cid = client_service.save_client(s, client_service.ClientData(
                name="Olga Petrova", phone="+48 601 234 567"), region="PL", today=NOW.date())
        with any_db.session() as s:
            data = client_service.load_client(s, cid)
            data.notes = "prefers mornings"
            client_service.save_client(s, data, region="PL", today=NOW.date())
        with any_db.session() as s:
            s.add(Contact(client_id=cid, at=NOW, channel="phone", outcome="reached",
                          note=""))
        with any_db.sessions() as s:
            contact = s.scalar(select(Contact).where(Contact.client_id == cid))
            assert contact.staff_id == pid  # logged without a staff id: the one signed in
            edits = auth.edits_of_client(s, cid)
            assert [(e.by, e.subject) for e in edits][-2:] == [("Anna", "client"),
                                                               ("Anna", "client")]
            assert edits[-1].fields == ("created",)
            assert any("notes" in e.fields for e in edits)
            assert ("Anna", "contact") in {(e.by, e.subject) for e in edits}
            assert s.scalar(select(EditLog.staff_id).limit(1)) == pid
    finally:
        any_db.actor = None
        any_db.sessions.configure(info={})


def test_the_refused_message_names_the_role_that_may(qapp):
    from app.ui.messages import error_text
    exc = AccessDenied(message="x", action="erase", role="receptionist", name="Anna")
    text = error_text(exc)
    assert "Anna" in text and "Receptionist" in text and "Owner" in text
    assert "erasing a client's data" in text
