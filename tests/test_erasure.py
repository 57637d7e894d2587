"""A person's right to erasure (app/services/erasure.py): nothing of them stays in the
database, its WAL, its free pages, the backups or any export, and a restored backup
never brings them back."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import threading
import time
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, update

from app.db import _sqlite_pragmas, alembic_config, open_database
from app.errors import NotFoundError, ValidationError
from app.models import (
    Base,
    Client,
    ClientRisk,
    Complaint,
    ComplaintCheck,
    ConsentEvent,
    Contact,
    ContactEffect,
    EditLog,
    Erasure,
    Membership,
    OutgoingMessage,
    PersonalDate,
    Purchase,
    Relative,
    SegmentHistory,
    Tag,
    Task,
    client_tags,
)
from app.models.enums import Channel, Outcome, Relation, Segment, TaskKind, TaskStatus
from app.services import backups, calls, erasure, restoring
from app.services import clients as client_service
from app.services.io.export import client_data, export_table, merge_clients

NOW = datetime(2026, 11, 1, 10, 0)
#: the mark of a business in Poland (the default country): what replaces the person
PL_MARK = erasure.MARKS["pl"]

# the markers: the person's name, phone, e-mail, card number and a note only they have
NAME = "Zbigniew Żółtański"
PHONE_TYPED = "607 111 222"
PHONE = "+48607111222"
EMAIL = "zbyszek.marker@example.org"
REF = "MRK-99107"
NOTE = "Sekretna-notatka-QX7"
#: how other people's text may write the same person
MENTION = (f"spoke to ZBIGNIEW ŻÓŁTAŃSKI (żółtański zbigniew), tel +48 607-111-222 or "
           f"0048 607 111 222, {EMAIL.upper()}, card {REF.lower()}")


def needles() -> list[bytes]:
    """Every marker as its bytes could sit in a file: UTF-8 and UTF-16 (both orders), in
    its own, lower, upper and casefolded spelling; the phone in its usual forms."""
    texts = [NAME, "Żółtański", EMAIL, REF, NOTE, PHONE, "607111222", "607 111 222",
             "607-111-222", "48607111222"]
    out = set()
    for t in texts:
        for v in (t, t.lower(), t.upper(), t.casefold()):
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                out.add(v.encode(enc))
    return sorted(out)


def found_in(data: bytes) -> list[bytes]:
    return [n for n in needles() if n in data]


def file_bytes(path: Path) -> bytes:
    """A file's bytes; an XLSX (a zip) is searched in its unpacked members."""
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return b"".join(z.read(n) for n in z.namelist())
    return data


# --------------------------------------------------------------------------- pragmas


@pytest.mark.sqlite_only("SQLite's secure_delete pragma")
def test_every_app_connection_turns_secure_delete_on(db):
    raw = sqlite3.connect(":memory:")
    raw.execute("PRAGMA secure_delete=OFF")  # as CPython's Windows build has it
    _sqlite_pragmas(raw, None)
    assert raw.execute("PRAGMA secure_delete").fetchone()[0] == 1
    raw.close()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


# --------------------------------------------------------------------------- the big one


def _rows_of_every_table(s, pid: int, oid: int) -> None:
    """At least one row of the person and of another client in every client table."""
    for cid in (pid, oid):
        rel = Relative(client_id=cid, name="x", relation=Relation.SPOUSE, note="x")
        s.add(rel)
        s.flush()
        s.add_all([
            PersonalDate(client_id=cid, month=3, day=14, year=1980, label="x"),
            PersonalDate(client_id=cid, relative_id=rel.id, month=7, day=26, label="x"),
            Purchase(client_id=cid, purchased_on=date(2026, 3, 1), amount=Decimal("12.50"),
                     item="x", note="x", import_key=10_000 + cid),
            Membership(client_id=cid, plan="x", starts_on=date(2026, 10, 1),
                       ends_on=date(2026, 10, 31), special_conditions="x", note="x"),
            Contact(client_id=cid, at=datetime(2026, 6, 1, 10), outcome=Outcome.DECLINED,
                    note="x", decline_reason="x"),
            Task(client_id=cid, kind=TaskKind.MANUAL, due_on=date(2026, 11, 10),
                 source_kind="manual", source_key=f"manual:{cid}", rule="x", reason="x",
                 note="x"),
            SegmentHistory(client_id=cid, quarter="2026Q3", segment=Segment.A, reason="x",
                           reason_kind="other"),
            ConsentEvent(client_id=cid, consent=True, consent_on=date(2026, 1, 10), note="x"),
            ClientRisk(client_id=cid, score=0.5, level="x", code="x", since_days=1,
                       gap_days=1, ratio=1.0, purchase_days=1, value_cents=1250,
                       value_level="x", model="x", as_of=date(2026, 3, 1),
                       last_on=date(2026, 3, 1), horizon=90),
            EditLog(client_id=cid, subject="client", subject_id=cid, fields="x"),
            OutgoingMessage(client_id=cid, kind="x", channel=Channel.SMS, language="x",
                            to_address="x", body="x", status="failed",
                            created_at=datetime(2026, 6, 2, 10)),
        ])
        k = Complaint(client_id=cid, opened_at=datetime(2026, 6, 15, 9), category="x")
        s.add(k)
        s.flush()
        s.add(ComplaintCheck(complaint_id=k.id, item=1))
    own = Tag(name=f"{NAME} family", key=f"{NAME} family".casefold())
    shared = Tag(name="VIP", key="vip")
    about = Tag(name=f"friends of {NAME}", key=f"friends of {NAME}".casefold())
    s.add_all([own, shared, about])
    s.flush()
    s.execute(client_tags.insert(), [{"client_id": pid, "tag_id": own.id},
                                     {"client_id": pid, "tag_id": shared.id},
                                     {"client_id": oid, "tag_id": shared.id},
                                     {"client_id": oid, "tag_id": about.id}])


def _fill_every_text_column(s, pid: int, oid: int) -> list[str]:
    """Write the markers into every text column of every client table, taken from the
    ORM metadata: a column added later is filled (and so checked) without a change here.
    The person's rows get everything (their KEPT columns only the identifiers); another
    client's rows get a mention of the person. Returns the tables filled."""
    full = f"{NAME} {PHONE} {EMAIL} {REF} {NOTE}"
    ids_only = f"{NAME} {PHONE_TYPED} {EMAIL} {REF}"
    filled = []
    for table in erasure.client_tables():
        cols = erasure.text_columns(table)
        if not cols:
            continue
        key = table.c.client_id
        for cid in (pid, oid):
            n = s.scalar(select(func.count()).select_from(table).where(key == cid))
            assert n, f"add a row of {table.name} to the test's fixture"
            for row_id in s.scalars(select(table.primary_key.columns.values()[0])
                                    .where(key == cid)):
                values = {}
                for col in cols:
                    unique = f" {table.name}-{row_id}" if col.unique or col.key in (
                        "source_key", "import_key") else ""
                    if cid == oid:
                        values[col.key] = MENTION + unique
                    elif (table.name, col.key) in erasure.KEPT:
                        values[col.key] = ids_only + unique
                    else:
                        values[col.key] = full + unique
                pk = table.primary_key.columns.values()[0]
                s.execute(update(table).where(pk == row_id).values(**values))
        filled.append(table.name)
    # the clients table: the person's identity as it is stored, everything else marked;
    # the other client keeps their own identity and mentions the person elsewhere
    person = {col.key: f"{NOTE} {NAME}" for col in erasure.text_columns(Client.__table__)}
    person.update(name=NAME, sort_name=NAME.casefold(), phone=PHONE,
                  phone_digits="48607111222", email=EMAIL, external_ref=REF,
                  contact_days="135",
                  search_text=client_service.search_text_for(NAME, EMAIL, REF, NOTE, NOTE))
    s.execute(update(Client).where(Client.id == pid).values(**person))
    other = {col.key: MENTION for col in erasure.text_columns(Client.__table__)
             if col.key not in erasure.OWN_IDENTITY}
    s.execute(update(Client).where(Client.id == oid).values(**other))
    return filled


@pytest.mark.sqlite_only("searches the SQLite file, its WAL and its backups")
def test_no_trace_of_the_person_in_the_file_wal_backups_or_exports(db, tmp_path):
    with db.session() as s:
        pid = client_service.save_client(s, client_service.ClientData(name=NAME, phone=PHONE_TYPED, email=EMAIL,
                                              external_ref=REF, notes=NOTE,
                                              marketing_consent=True,
                                              marketing_consent_on=date(2026, 1, 10)),
                             region="PL")
        oid = client_service.save_client(s, client_service.ClientData(name="Halina Obok", phone="601 234 567"),
                             region="PL")
        _rows_of_every_table(s, pid, oid)
    with db.session() as s:
        filled = _fill_every_text_column(s, pid, oid)
    assert {"purchases", "complaints", "memberships", "contacts", "relatives",
            "segment_history", "tasks", "personal_dates", "consent_events"} <= set(filled)
    assert found_in(db.path.read_bytes() + Path(f"{db.path}-wal").read_bytes())
    old = [backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9)).path,
           backups.make_backup(db.path, "start", datetime(2026, 10, 2, 9)).path]
    assert all(found_in(p.read_bytes()) for p in old)

    holding = erasure.backups_holding(db.path, [pid])
    assert sorted(holding) == sorted(old)
    steps = []

    class Steps:
        def report(self, done, total=None, text=None):
            steps.append((done, total, text))

        def check(self):
            pass

    report = erasure.erase_everywhere(db.sessions, db.path, pid, NOW, holding, Steps())
    assert steps == [(1, 4, erasure.STAGE_ERASED), (2, 4, erasure.STAGE_COMPACTED),
                     (3, 4, erasure.STAGE_BACKUP), (4, 4, erasure.STAGE_BACKUP)]
    assert report.wal_empty and report.backups_failed == []
    assert sorted(report.backups_cleaned) == sorted(old)

    exports = []
    with db.session() as s:
        for what in ("clients", "purchases", "contacts"):
            for suffix in (".csv", ".xlsx"):
                exports.append(tmp_path / f"{what}{suffix}")
                export_table(s, what, exports[-1])
        (tmp_path / "person.json").write_text(json.dumps(client_data(s, pid)),
                                              encoding="utf-8")
        exports.append(tmp_path / "person.json")
    wal = Path(f"{db.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    places = [db.path, wal, *old, *exports, erasure.log_path(db.path)]
    leaks = {str(p): found_in(file_bytes(p)) for p in places if p.exists()}
    assert leaks == {str(p): [] for p in places if p.exists()}

    with db.session() as s:
        # what stays: the sale (amount, date, item without the name), the call, the
        # complaint's category; the other client keeps their own name and phone
        p = s.scalar(select(Purchase).where(Purchase.client_id == pid))
        assert (p.amount, p.purchased_on) == (Decimal("12.50"), date(2026, 3, 1))
        assert PL_MARK in p.item and p.note == "" and p.import_key is None
        other = s.get(Client, oid)
        assert (other.name, other.phone) == ("Halina Obok", "+48601234567")
        assert PL_MARK in other.notes and "spoke to" in other.notes
        assert [t for t in s.scalars(select(Tag.name).order_by(Tag.name))] == [
            "VIP", f"friends of {PL_MARK}"]
        assert s.get(Erasure, pid).erased_on == NOW.date()


@pytest.mark.sqlite_only("fills every text column past its declared length, which SQLite allows and a server refuses; the erasure's statements are the same on both engines (the other erasure tests run on both)")
def test_the_person_rows_text_is_cleared_or_masked_column_by_column(db):
    """The same rule, read back from the database: each text column of the person's rows
    is empty, or (KEPT) holds no identifier."""
    with db.session() as s:
        pid = client_service.save_client(s, client_service.ClientData(name=NAME, phone=PHONE_TYPED, email=EMAIL,
                                              external_ref=REF), region="PL")
        oid = client_service.save_client(s, client_service.ClientData(name="Halina Obok"), region="PL")
        _rows_of_every_table(s, pid, oid)
    with db.session() as s:
        _fill_every_text_column(s, pid, oid)
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        for table in erasure.client_tables():
            for row in s.execute(select(table).where(table.c.client_id == pid)).mappings():
                for col in erasure.text_columns(table):
                    v = row[col.key]
                    if (table.name, col.key) in erasure.KEPT:
                        assert not found_in((v or "").encode()), (table.name, col.key, v)
                    elif (table.name, col.key) == ("tasks", "reason"):
                        assert v in ("", "client erased")
                    elif (table.name, col.key) == ("consent_events", "note"):
                        assert v in ("", erasure.CONSENT_NOTE)
                    else:
                        assert v in ("", None), (table.name, col.key, v)
        c = s.get(Client, pid)
        for col in erasure.text_columns(Client.__table__):
            assert getattr(c, col.key) in ("", None, f"#{pid}"), col.key


# --------------------------------------------------------------------------- in other text


def test_a_namesake_keeps_their_name_but_mentions_are_masked(db, make_client):
    pid = make_client("Anna Nowak", phone="601 234 567", email="anna@example.com")
    twin = make_client("Anna Nowak", notes="not the same person")
    friend = make_client("Ewa Lis", notes="Sister of ANNA NOWAK; calls from 601-234-567 "
                                          "or +48 601 234 567. Anna Nowakowska is other.")
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert s.get(Client, twin).name == "Anna Nowak"
        notes = s.get(Client, friend).notes
        assert notes == (f"Sister of {PL_MARK}; calls from {PL_MARK} or {PL_MARK}. "
                         "Anna Nowakowska is other.")
        assert "anna nowak;" not in s.get(Client, friend).search_text


def test_masking_a_client_bumps_its_version_so_an_open_card_cannot_save_old_text(
        db, make_client):
    pid = make_client("Anna Nowak")
    friend = make_client("Ewa Lis", notes="knows Anna Nowak")
    with db.session() as s:
        before = s.get(Client, friend).version
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert s.get(Client, friend).version == before + 1


def test_a_shared_tag_stays_and_the_persons_own_tag_goes(db, make_client):
    pid = make_client("Anna Nowak", tags=["VIP", "Only hers"])
    other = make_client("Jan Obok", tags=["VIP"])
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert list(s.scalars(select(Tag.name))) == ["VIP"]
        links = s.execute(select(client_tags.c.client_id)).scalars().all()
        assert links == [other]


def test_erasing_twice_changes_nothing_more(db, make_client):
    pid = make_client("Anna Nowak", purchases=[(date(2026, 5, 1), "10.00")])
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        erasure.erase_client(s, pid, datetime(2026, 12, 1))
        assert s.get(Erasure, pid).erased_on == NOW.date()
        assert s.get(Client, pid).erased_at == NOW


# --------------------------------------------------------------------------- after a restore


@pytest.mark.sqlite_only("the SQLite file's backups")
def test_a_restored_backup_never_brings_the_person_back(db, make_client):
    pid = make_client("Anna Nowak", phone="601 234 567", notes="secret",
                      purchases=[(date(2026, 5, 1), "80.00")])
    make_client("Ewa Lis", notes="friend of Anna Nowak")
    before = backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9))
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    assert erasure.read_log(db.path) == {pid: NOW.date()}  # beside the file, committed
    db.close()
    restoring.restore_backup(db.path, before.path)
    again = open_database(db.path)
    try:
        with again.session() as s:
            c = s.get(Client, pid)
            assert (c.name, c.phone, c.notes) == (f"#{pid}", None, "")
            assert s.scalar(select(func.sum(Purchase.amount))) == Decimal("80.00")
            assert "Anna Nowak" not in s.scalar(select(Client.notes)
                                                .where(Client.name == "Ewa Lis"))
            assert s.get(Erasure, pid) is not None
    finally:
        again.close()
    assert not found_in(db.path.read_bytes())


@pytest.mark.sqlite_only("the SQLite file's backups")
def test_a_backup_older_than_the_person_keeps_their_number_taken(db, make_client):
    before = backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9))
    pid = make_client("Anna Nowak")
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    db.close()
    restoring.restore_backup(db.path, before.path)
    again = open_database(db.path)
    try:
        with again.session() as s:
            assert s.get(Client, pid).name == f"#{pid}"
            assert s.get(Client, pid).erased_at is not None
            new = client_service.save_client(s, client_service.ClientData(name="Someone New"), region="PL")
            assert new != pid
    finally:
        again.close()


def test_reapply_erasures_counts_the_clients_erased_again(db, make_client):
    a = make_client("Anna Nowak")
    b = make_client("Beata Lis")
    with db.session() as s:
        assert erasure.reapply_erasures(s) == 0
        s.add(Erasure(client_id=a, erased_on=NOW.date()))
    with db.session() as s:
        assert erasure.reapply_erasures(s, {b: NOW.date()}) == 2
        assert erasure.reapply_erasures(s) == 0
    with db.session() as s:
        assert {s.get(Client, a).name, s.get(Client, b).name} == {f"#{a}", f"#{b}"}


@pytest.mark.sqlite_only("the SQLite file's backups")
def test_clean_backup_in_place_and_backups_holding(db, make_client):
    pid = make_client("Anna Nowak", email="anna@example.com")
    keep = make_client("Jan Obok")
    b1 = backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9)).path
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    b2 = backups.make_backup(db.path, "manual", datetime(2026, 10, 2, 9)).path
    assert erasure.backups_holding(db.path, [pid]) == [b1]
    assert erasure.backups_holding(db.path, [keep]) == [b2, b1]
    assert erasure.clean_backup(b1, {pid: NOW.date()}) == 1
    assert erasure.backups_holding(db.path, [pid]) == []
    assert not found_in(b1.read_bytes()) and b"anna@example.com" not in b1.read_bytes()
    assert backups.check_backup(b1) == []  # still a good backup to restore


def test_the_migration_logs_clients_erased_before_the_log_existed(tmp_path):
    path = tmp_path / "old.sqlite"
    d = open_database(path)
    with d.session() as s:
        c = Client(name="#1", sort_name="#1", erased_at=NOW)
        s.add(c)
    with d.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
        assert "erasures" not in {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    d.close()
    d = open_database(path)
    try:
        with d.session() as s:
            assert [(e.client_id, e.erased_on) for e in s.scalars(select(Erasure))] == [
                (1, NOW.date())]
    finally:
        d.close()


def test_erase_unknown_client_is_not_found(db):
    with db.session() as s, pytest.raises(NotFoundError):
        erasure.erase_client(s, 4242, NOW)


def test_every_table_is_classified():
    """A new table is either about clients (a client_id) or listed as not about them."""
    for table in Base.metadata.sorted_tables:
        assert ("client_id" in table.c or table.name in erasure.NOT_ABOUT_CLIENTS
                or table.name in ("clients", "tags", "complaint_checks", "contact_effects")
                ), table.name
    assert not erasure.text_columns(ComplaintCheck.__table__)
    assert TaskStatus.CANCELLED  # the cancelled tasks keep their reason (above)


@pytest.mark.parametrize("erased_first", [True, False])
def test_an_erased_client_cannot_be_merged(db, make_client, erased_first):
    a = make_client("Anna Nowak", purchases=[(date(2026, 5, 1), "10.00")])
    b = make_client("Anna Nowak (2)", email="anna@example.com")
    with db.session() as s:
        erasure.erase_client(s, a, NOW)
    keep, other = (a, b) if erased_first else (b, a)
    with db.session() as s, pytest.raises(ValidationError) as err:
        merge_clients(s, keep, other, NOW.date())
    assert [e.code for e in err.value.errors] == ["merge.erased"]
    with db.session() as s:
        assert s.get(Client, b).email == "anna@example.com"
        assert s.get(Client, a).name == f"#{a}"


@pytest.mark.sqlite_only("the SQLite file's compaction (VACUUM)")
def test_compaction_waits_for_a_reader_to_finish(db, make_client):
    pid = make_client("Anna Nowak", notes="secret words")
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    reader = sqlite3.connect(str(db.path), check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM clients").fetchone()  # holds a read snapshot
    threading.Thread(target=lambda: (time.sleep(0.5), reader.rollback()), daemon=True).start()
    assert erasure.compact(db.path)
    reader.close()
    wal = Path(f"{db.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert b"secret words" not in db.path.read_bytes()


def test_a_lone_first_name_is_not_masked_in_everyone_elses_notes(db, make_client):
    pid = make_client("Anna", phone="601 234 567")
    friend = make_client("Ewa Lis", notes="Anna Kowalska's friend; old number 601234567")
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert s.get(Client, friend).notes == f"Anna Kowalska's friend; old number {PL_MARK}"


def test_a_russian_full_name_in_any_order_is_masked(db, make_client):
    pid = make_client("Иван Петрович Сидоров")
    friend = make_client("Ewa Lis", notes="СИДОРОВ ИВАН ПЕТРОВИЧ и сидоров иван петрович")
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert s.get(Client, friend).notes == f"{PL_MARK} и {PL_MARK}"


def test_a_decomposed_spelling_of_the_name_is_masked_too(db, make_client):
    pid = make_client("Łucja Żółtowska")
    nfd = unicodedata.normalize("NFD", "wrote to łucja żółtowska")
    assert nfd != unicodedata.normalize("NFC", nfd)
    friend = make_client("Ewa Lis", notes=nfd)
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    with db.session() as s:
        assert s.get(Client, friend).notes == f"wrote to {PL_MARK}"


@pytest.mark.sqlite_only("the SQLite file's backups")
def test_a_backup_copied_back_by_hand_is_erased_again_at_start(db, make_client):
    pid = make_client("Anna Nowak", email="anna@example.com")
    before = backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9))
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    assert erasure.reapply_on_open(db) == 0  # nothing to do: nothing written
    db.close()
    for side in ("-wal", "-shm"):
        Path(f"{db.path}{side}").unlink(missing_ok=True)
    shutil.copy(before.path, db.path)  # behind ClientCare's back
    again = open_database(db.path)
    try:
        assert erasure.reapply_on_open(again) == 1
        with again.session() as s:
            assert s.get(Client, pid).email is None
            assert s.get(Erasure, pid) is not None
        assert erasure.reapply_on_open(again) == 0
    finally:
        again.close()
    assert b"anna@example.com" not in db.path.read_bytes()


def test_what_the_persons_calls_changed_goes_with_them(db, make_client):
    """A wrong-number call keeps the number it replaced (for undo); erasing the person
    removes that record too, so the old number is nowhere in the file."""
    pid = make_client("Olga Zając", phone="601 234 567")
    with db.session() as s:
        calls.log_call(s, calls.CallLog(client_id=pid, outcome=Outcome.WRONG_NUMBER,
                                        right_phone="602 345 678"), now=NOW)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ContactEffect)) > 0
    with db.session() as s:
        erasure.erase_client(s, pid, NOW)
    if db.path is not None:  # a file: its free pages compacted too
        erasure.compact(db.path)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ContactEffect)) == 0
    if db.path is not None:
        assert b"601234567" not in file_bytes(db.path)


@pytest.mark.parametrize(("region", "mark"), [
    ("PL", "[usunięto]"), ("RU", "[удалено]"), ("BG", "[изтрито]"), ("US", "[erased]")])
def test_the_mark_is_written_in_the_language_of_the_business(db, make_client, region, mark):
    """The mark goes into the business's own notes, so it is a word of its staff's
    language; English for a country whose language ClientCare does not speak."""
    from app.services import settings as settings_service
    with db.session() as s:
        settings_service.put(s, "business.region", region)
        assert erasure.mark_for(s) == mark
    person = make_client("Zofia Mrówka")
    friend = make_client("Ola Kowal", notes="przyjaciółka Zofia Mrówka")
    with db.session() as s:
        erasure.erase_client(s, person, NOW)
    with db.session() as s:
        assert s.get(Client, friend).notes == f"przyjaciółka {mark}"
