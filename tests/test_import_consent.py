"""Marketing consent recorded for a whole imported file (app/services/io/importer.py:
``FileConsent``, ``file_consent``, ``consent_count``; the use case app/services/imports.py):
the consent log gets the source and the date, a row's own consent cell wins, a later
withdrawal wins, a file of purchases is refused, the import stays all or nothing, and the
win-back and keep-in-touch calls of the consenting clients follow."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import DomainError, ValidationError
from app.models import Client, ConsentEvent, Task
from app.models.enums import TaskKind, TaskStatus
from app.progress import Cancelled
from app.services import imports, startup
from app.services.backups import list_backups
from app.services.clients import load_client, save_client
from app.services.io import importer
from app.services.io.importer import (
    FileConsent,
    apply_import,
    consent_count,
    file_consent,
    guess_mapping,
    plan_import,
    read_table,
)

REGION = "PL"
TODAY = date.today()
GIVEN = TODAY - timedelta(days=400)
SOURCE = "signed forms at the reception"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def plan_for(s, path: Path, kind: str = "clients"):
    table = read_table(path)
    return table, plan_import(s, table, guess_mapping(table.headers, kind), kind, REGION,
                              today=TODAY)


def import_file(db, path: Path, kind: str = "clients", **options):
    with db.session() as s:
        _table, plan = plan_for(s, path, kind)
        return apply_import(s, plan, REGION, today=TODAY, **options)


def log_of(s) -> list[tuple[str, bool, date | None, str]]:
    return sorted((c.name, e.consent, e.consent_on, e.note) for e, c in s.execute(
        select(ConsentEvent, Client).join(Client, Client.id == ConsentEvent.client_id)))


# --------------------------------------------------------------------------- the choice

def test_file_consent_needs_a_source_and_a_day_not_after_today():
    got = file_consent(GIVEN, "  signed   forms\tat the reception ", TODAY)
    assert got == FileConsent(GIVEN, SOURCE)
    assert file_consent(TODAY, "shop", TODAY).given_on == TODAY  # today itself is fine
    with pytest.raises(ValidationError) as exc:
        file_consent(TODAY + timedelta(days=1), "", TODAY)
    assert {(e.field, e.code) for e in exc.value.errors} == {
        ("consent_on", "consent.date_future"), ("consent_source", "consent.source_required")}
    with pytest.raises(ValidationError) as exc:
        file_consent(None, "x" * (importer.MAX_CONSENT_SOURCE + 1), TODAY)
    assert {(e.field, e.code) for e in exc.value.errors} == {
        ("consent_on", "consent.date_required"), ("consent_source", "text.too_long")}
    assert exc.value.for_field("consent_source").values == {
        "maximum": importer.MAX_CONSENT_SOURCE}
    assert file_consent(GIVEN, "x" * importer.MAX_CONSENT_SOURCE, TODAY).source


# --------------------------------------------------------------------------- new clients

CLIENTS = ("Name;Phone;Consent\n"
           "Anna Kowalska;601 234 567;\n"
           "Jan Nowak;602 345 678;nie\n"
           "Ewa Lis;603 456 789;tak\n"
           "Olga Zając;604 567 890;\n")


def test_every_new_client_without_an_answer_of_their_own_gets_the_files_consent(db, tmp_path):
    path = write(tmp_path, CLIENTS)
    with db.session() as s:
        _table, plan = plan_for(s, path)
        expected = consent_count(s, plan, FileConsent(GIVEN, SOURCE))
        report = apply_import(s, plan, REGION, today=TODAY,
                              consent=FileConsent(GIVEN, SOURCE))
    assert expected == report.consented == 2
    assert report.created == 4
    with db.session() as s:
        consent = {c.name: (c.marketing_consent, c.marketing_consent_on)
                   for c in s.scalars(select(Client))}
        assert consent == {"Anna Kowalska": (True, GIVEN), "Olga Zając": (True, GIVEN),
                           "Jan Nowak": (False, None),  # the row said no: it wins
                           "Ewa Lis": (True, TODAY)}  # the row said yes: as before
        # the consent log: the file's date and source; the row's own yes as before
        assert log_of(s) == [("Anna Kowalska", True, GIVEN, SOURCE),
                             ("Ewa Lis", True, TODAY, ""),
                             ("Olga Zając", True, GIVEN, SOURCE)]


def test_without_the_choice_nothing_changes(db, tmp_path):
    report = import_file(db, write(tmp_path, CLIENTS))
    assert report.consented == 0
    with db.session() as s:
        assert log_of(s) == [("Ewa Lis", True, TODAY, "")]
        assert s.scalar(select(func.count()).where(Client.marketing_consent)) == 1


def test_a_file_without_a_consent_column_consents_everyone(db, tmp_path):
    rows = "".join(f"Client {i};+48 600 000 {i:03d}\n" for i in range(12_000))
    report = import_file(db, write(tmp_path, "Name;Phone\n" + rows),
                         consent=FileConsent(GIVEN, SOURCE))
    assert (report.created, report.consented) == (12_000, 12_000)  # beyond one batch
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ConsentEvent).where(
            ConsentEvent.note == SOURCE, ConsentEvent.consent_on == GIVEN)) == 12_000
        assert s.scalar(select(func.count()).where(
            Client.marketing_consent, Client.marketing_consent_on == GIVEN)) == 12_000


# --------------------------------------------------------------------------- merged clients

def test_merged_clients_get_it_unless_they_withdrew_since(db, make_client, tmp_path):
    never = make_client("Anna Kowalska", phone="601 234 567")
    withdrew_after = make_client("Jan Nowak", phone="602 345 678",
                                 marketing_consent=True, marketing_consent_on=GIVEN)
    withdrew_before = make_client("Ewa Lis", phone="603 456 789",
                                  marketing_consent=True, marketing_consent_on=GIVEN)
    has_it = make_client("Olga Zając", phone="604 567 890", marketing_consent=True,
                         marketing_consent_on=TODAY - timedelta(days=3))
    with db.session() as s:
        for cid in (withdrew_after, withdrew_before):  # as the card withdraws it
            data = load_client(s, cid)
            data.marketing_consent = False
            save_client(s, data, region=REGION)
        # Ewa's "no" is older than the file's consent; Jan's is not
        s.execute(ConsentEvent.__table__.update().where(
            ConsentEvent.client_id == withdrew_before, ConsentEvent.consent.is_(False))
            .values(changed_at=datetime.combine(GIVEN - timedelta(days=30), datetime.min.time())))
        versions = {c.id: c.version for c in s.scalars(select(Client))}
    path = write(tmp_path, "Name;Phone\nA. K.;601 234 567\nJ. N.;602 345 678\n"
                           "E. L.;603 456 789\nO. Z.;604 567 890\nNew One;605 678 901\n"
                           "A. K. again;601 234 567\n")
    consent = FileConsent(GIVEN, SOURCE)
    choices = {r: "merge" for r in range(2, 8)}
    with db.session() as s:
        _table, plan = plan_for(s, path)
        expected = consent_count(s, plan, consent, duplicates=choices)
        report = apply_import(s, plan, REGION, today=TODAY, consent=consent,
                              duplicates=choices)
    assert (report.merged, report.created) == (5, 1)
    assert expected == report.consented == 3  # Anna (once, for two rows), Ewa, New One
    with db.session() as s:
        got = {c.id: (c.marketing_consent, c.marketing_consent_on)
               for c in s.scalars(select(Client))}
        assert got[never] == (True, GIVEN) and got[withdrew_before] == (True, GIVEN)
        assert got[withdrew_after] == (False, None)
        assert got[has_it] == (True, TODAY - timedelta(days=3))  # kept as it was
        # the card's optimistic lock sees the change (a card open meanwhile is refused)
        assert s.get(Client, never).version > versions[never]
        imported = [(n, ok, on) for n, ok, on, note in log_of(s) if note == SOURCE]
        assert imported == [("Anna Kowalska", True, GIVEN), ("Ewa Lis", True, GIVEN),
                            ("New One", True, GIVEN)]
    # skipped duplicates are not marked
    with db.session() as s:
        _table, plan = plan_for(s, path)
        assert consent_count(s, plan, consent) == 0  # every row is a duplicate, skipped


# --------------------------------------------------------------------------- refusals

def test_a_file_of_purchases_is_refused_before_anything_is_done(db, make_client, tmp_path):
    make_client("Anna Kowalska", phone="601 234 567")
    path = write(tmp_path, "Telefon;Data;Kwota\n601 234 567;01.02.2026;10,00\n")
    with db.session() as s:
        table, plan = plan_for(s, path, "purchases")
        mapping = guess_mapping(table.headers, "purchases")
        with pytest.raises(DomainError) as exc:
            imports.import_plan(s, db.path, table, "purchases", mapping, plan, REGION,
                                today=TODAY, consent=FileConsent(GIVEN, SOURCE))
    assert exc.value.code == "import.consent_kind"
    if db.path is not None:
        assert list_backups(db.path) == []  # refused before the backup
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ConsentEvent)) == 0


class StopAtSchedule:
    """Stops the import once its rows (and their consent) are written."""

    stage = None

    def report(self, done, total=None, text=None) -> None:
        self.stage = text

    def check(self) -> None:
        if self.stage == importer.STAGE_SCHEDULE:
            raise Cancelled()


def test_a_stopped_import_keeps_no_consent(db, tmp_path):
    path = write(tmp_path, CLIENTS)
    with pytest.raises(Cancelled), db.session() as s:
        table, plan = plan_for(s, path)
        imports.import_plan(s, db.path, table, "clients", guess_mapping(table.headers,
                                                                        "clients"),
                            plan, REGION, today=TODAY, progress=StopAtSchedule(),
                            consent=FileConsent(GIVEN, SOURCE), backup=False)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ConsentEvent)) == 0
        assert s.scalar(select(func.count()).select_from(Client)) == 0


# --------------------------------------------------------------------------- the calls

def days_ago(*days: int) -> str:
    return "".join(f"{(TODAY - timedelta(days=d)).strftime('%d.%m.%Y')}" for d in days)


def marketing_calls(db, day: date) -> dict[tuple[str, str], str]:
    with db.session() as s:
        startup.start_of_day(s, day)
    with db.session() as s:
        return {(c.name, t.kind.value): t.status.value for t, c in s.execute(
            select(Task, Client).join(Client, Client.id == Task.client_id)
            .where(Task.kind.in_([TaskKind.WIN_BACK, TaskKind.KEEP_IN_TOUCH])))}


@pytest.mark.parametrize("with_consent", [True, False])
def test_the_start_of_day_gives_the_consenting_imported_clients_their_calls(
        db, tmp_path, with_consent):
    """Anna stopped coming (win-back); Bea bought much and often (A: keep in touch, once
    60 days passed since she was added)."""
    clients = write(tmp_path, "Name;Phone\nAnna Kowalska;601 234 567\nBea Nowak;602 345 678\n")
    lines = ["Telefon;Data;Kwota"]
    lines += [f"601 234 567;{days_ago(d)};10,00" for d in (200, 170, 140)]
    lines += [f"602 345 678;{days_ago(d)};900,00" for d in (30, 20, 10)]
    purchases = write(tmp_path, "\n".join(lines) + "\n", "purchases.csv")
    import_file(db, clients, consent=FileConsent(GIVEN, SOURCE) if with_consent else None)
    import_file(db, purchases, "purchases")
    later = TODAY + timedelta(days=61)
    got = marketing_calls(db, later)
    # by then Bea too is overdue (71 days since her last visit, her gap is 10)
    calls = {("Anna Kowalska", "win_back"): TaskStatus.OPEN.value,
             ("Bea Nowak", "keep_in_touch"): TaskStatus.OPEN.value,
             ("Bea Nowak", "win_back"): TaskStatus.OPEN.value}
    assert got == (calls if with_consent else {})  # without consent: no marketing call
