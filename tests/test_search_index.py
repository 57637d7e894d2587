"""The client search index (app/models/search_index.py, migration 0009): the list's search
through it gives exactly what the LIKE scan it replaces gave, for any client and any
query; every writer keeps it exact through its triggers; an erased client leaves nothing
of themselves in it."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, insert, text, update

from app.db import alembic_config, open_database
from app.models import Client
from app.services import clients as client_service
from app.services import erasure
from app.services.clients import ClientColumn, ClientQuery, StatusRules
from app.services.io.export import merge_clients
from app.services.validation import nfc, phone_search_keys
from tests.conftest import depth

RULES = StatusRules.from_values({"status.new_until_purchases": 2,
                                 "status.default_gap_days": 60,
                                 "status.gap_multiplier": 2,
                                 "status.lapsed_after_days": 365})

#: what names, notes and queries are made of: Latin, Polish and Cyrillic letters in both
#: cases, digits, and what LIKE (``%``, ``_``, ``/``) and FTS5 (``"``, ``*``, ``-``, ``^``,
#: ``:``, parentheses, ``+``) read as syntax
ALPHABET = "aAbkKnoOsz" + "ąćęłńóśźżŻŁ" + "аАнНяЯёЁ" + "0123456789" + "%_/\\\"'*-^:()+. "
FTS_WORDS = ["NEAR", "AND", "OR", "NOT", "near", "and"]


def like_search(con: sqlite3.Connection, query: ClientQuery, region: str = "PL") -> list[int]:
    """Today's search before the index, in plain SQL: every word LIKE in search_text, or
    a phone key LIKE in the digits, of the live (or trashed) clients, by name."""
    def like(word: str) -> str:
        return "%" + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    text_ = " ".join(nfc(query.text).split())
    where = "deleted_at IS NOT NULL" if query.trash else "deleted_at IS NULL"
    args: list[str] = []
    if text_:
        words = nfc(text_.casefold()).split()
        conds = ["(" + " AND ".join(["search_text LIKE ? ESCAPE '/'"] * len(words)) + ")"]
        args = [like(w) for w in words]
        for key in phone_search_keys(text_, region):
            conds.append("phone_digits LIKE ? ESCAPE '/'")
            args.append(like(key))
        where += " AND (" + " OR ".join(conds) + ")"
    return [r[0] for r in con.execute(
        f"SELECT id FROM clients WHERE {where} ORDER BY sort_name, id", args)]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = open_database(tmp_path_factory.mktemp("search") / "search.sqlite")
    yield d
    d.close()


def _fill(d, people: list[tuple[str, str, str | None, bool]]) -> None:
    """Replace every client by these (name, notes, phone digits, in the Trash), written
    with Core statements as the importer writes (the triggers keep the index)."""
    with d.engine.begin() as conn:
        conn.execute(delete(Client))
        if people:
            conn.execute(insert(Client), [
                {"name": n or "x", "sort_name": (n or "x").casefold(),
                 "search_text": client_service.search_text_for(n or "x", None, None, notes),
                 "phone_digits": digits, "notes": notes,
                 "deleted_at": datetime(2026, 1, 1) if trash else None}
                for n, notes, digits, trash in people])


def _index_check(d) -> None:
    with d.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO client_search(client_search, rank) VALUES ('integrity-check', 0)")


texts = st.text(alphabet=ALPHABET, max_size=24)
people_st = st.lists(st.tuples(texts, texts,
                               st.one_of(st.none(), st.from_regex(r"48[0-9]{5,9}", fullmatch=True)),
                               st.booleans()), max_size=25)


@st.composite
def queries(draw, people):
    """A query: a piece of someone's name or notes (so it often finds them), random
    characters, FTS5 words, or a mix, in any letter case."""
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["piece", "random", "fts", "digits"]))
        if kind == "piece" and people:
            name, notes, digits, _t = draw(st.sampled_from(people))
            source = draw(st.sampled_from([name, notes, digits or ""]))
            start = draw(st.integers(0, max(0, len(source) - 1)))
            piece = source[start:start + draw(st.integers(1, 8))]
            pieces.append(piece.upper() if draw(st.booleans()) else piece)
        elif kind == "fts":
            pieces.append(draw(st.sampled_from(FTS_WORDS)))
        elif kind == "digits":
            pieces.append(draw(st.from_regex(r"[0-9 +-]{1,12}", fullmatch=True)))
        else:
            pieces.append(draw(texts))
    return " ".join(pieces)


@settings(max_examples=depth(60, 400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), people=people_st)
def test_the_indexed_search_finds_exactly_what_the_like_scan_found(db, data, people):
    _fill(db, people)
    con = sqlite3.connect(db.path)
    try:
        with db.sessions() as s:
            for _ in range(4):
                q = ClientQuery(text=data.draw(queries(people)), trash=data.draw(st.booleans()))
                want = like_search(con, q)
                assert client_service.client_ids(s, q, RULES, "PL") == want, q
                assert client_service.count_listed(s, q, RULES, "PL") == len(want)
                # a page of it (the list's first screenful, and one further on)
                assert client_service.client_ids(s, q, RULES, "PL", limit=3) == want[:3]
                assert client_service.client_ids(s, q, RULES, "PL", limit=3,
                                                 offset=2) == want[2:5]
    finally:
        con.close()
    _index_check(db)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), people=people_st.filter(bool))
def test_updates_and_deletes_keep_the_index_exact(db, data, people):
    """The update trigger (a rename, new notes, a new phone) and the delete trigger."""
    _fill(db, people)
    with db.engine.begin() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM clients ORDER BY id")]
        for cid in data.draw(st.lists(st.sampled_from(ids), max_size=5, unique=True)):
            notes = data.draw(texts)
            conn.execute(update(Client).where(Client.id == cid).values(
                search_text=client_service.search_text_for("r", None, None, notes),
                phone_digits=data.draw(st.one_of(st.none(), st.just("48601234567")))))
        for cid in data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
            conn.execute(delete(Client).where(Client.id == cid))
    con = sqlite3.connect(db.path)
    try:
        with db.sessions() as s:
            for _ in range(4):
                q = ClientQuery(text=data.draw(queries(people)))
                assert client_service.client_ids(s, q, RULES, "PL") == like_search(con, q)
    finally:
        con.close()
    _index_check(db)


@pytest.mark.parametrize("q", ['"', '""', '*', 'a*', '-', '-ann', 'NEAR(ann kow)', 'AND',
                               'ann AND', 'OR kow', '^ann', 'name:ann', '(ann', 'ann)',
                               '%', '_', '50%', 'a_n', "o'brien", '601 23', '+48 601-234-567'])
def test_query_syntax_is_plain_text(db, q):
    _fill(db, [("Anna Kowalska", "NEAR(ann kow) AND -ann ^ann name:ann (ann) \"q\" * 50%",
                "48601234567", False),
               ("Jan O'Brien", "a_n a*b", None, False), ("Anna Nowak", "", None, False)])
    con = sqlite3.connect(db.path)
    try:
        with db.sessions() as s:
            query = ClientQuery(text=q)
            assert client_service.client_ids(s, query, RULES, "PL") == like_search(con, query)
    finally:
        con.close()


def test_services_keep_the_index_on_save_and_merge(db):
    """The ORM path (save, rename, delete for good) goes through the same triggers."""
    _fill(db, [])
    with db.session() as s:
        cid = client_service.save_client(s, client_service.ClientData(
            name="Bożena Szczęsna", phone="601 555 444"), region="PL")
    with db.sessions() as s:
        assert client_service.client_ids(s, ClientQuery(text="szczę"), RULES, "PL") == [cid]
        assert client_service.client_ids(s, ClientQuery(text="555 444"), RULES, "PL") == [cid]
    with db.session() as s:
        data = client_service.load_client(s, cid)
        client_service.save_client(s, client_service.replace(data, name="Bożena Wiśniewska"),
                                   region="PL")
    with db.sessions() as s:
        assert client_service.client_ids(s, ClientQuery(text="szczę"), RULES, "PL") == []
        assert client_service.client_ids(s, ClientQuery(text="wiśni"), RULES, "PL") == [cid]
    with db.session() as s:  # a merge joins the notes and removes the other client
        other = client_service.save_client(s, client_service.ClientData(
            name="Bogna Zduńska", notes="Karnet roczny"), region="PL")
    with db.session() as s:
        merge_clients(s, cid, other, date(2026, 11, 1))
    with db.sessions() as s:
        assert client_service.client_ids(s, ClientQuery(text="karnet"), RULES, "PL") == [cid]
        assert client_service.client_ids(s, ClientQuery(text="zduńs"), RULES, "PL") == []
    _index_check(db)


def test_an_erased_client_leaves_nothing_in_the_index(tmp_path):
    d = open_database(tmp_path / "erase.sqlite")
    try:
        with d.session() as s:
            pid = client_service.save_client(s, client_service.ClientData(
                name="Qwzyxa Żwirblówna", notes="Vrqpkt"), region="PL")
            other = client_service.save_client(s, client_service.ClientData(
                name="Anna Kowalska"), region="PL")
        with d.session() as s:
            erasure.erase_client(s, pid, datetime(2026, 11, 1))
        with d.sessions() as s:
            for q in ("qwzyxa", "żwirbl", "vrqpkt"):
                assert client_service.client_ids(s, ClientQuery(text=q), RULES, "PL") == []
            assert client_service.client_ids(s, ClientQuery(text="kowal"), RULES, "PL") == [
                other]
        path = d.path
    finally:
        d.close()
    erasure.compact(path)
    data = path.read_bytes()
    for word in ("qwzyxa", "żwirblówna", "vrqpkt"):
        for i in range(len(word) - 2):  # not even one of its trigrams
            gram = word[i:i + 3]
            if gram in "anna kowalska":
                continue
            assert gram.encode() not in data, gram
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT rowid FROM client_search WHERE client_search MATCH "
                           "'\"qwz\"'").fetchall() == []
    finally:
        con.close()


def _schema(conn) -> dict[str, str]:
    return dict(conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE name LIKE 'client_search%' "
        "AND sql IS NOT NULL").fetchall())


def test_a_new_file_and_a_migrated_one_have_the_same_index(tmp_path):
    new = create_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    old = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        from app.models import Base
        Base.metadata.create_all(new)
        with old.begin() as conn:
            command.upgrade(alembic_config(conn), "0008")
            conn.exec_driver_sql(
                "INSERT INTO clients (id, kind, name, sort_name, search_text, phone_digits, "
                "do_not_contact, marketing_consent, value_12m, purchase_count, version, "
                "created_at, updated_at) VALUES (7, 'person', 'Ewa Żak', 'ewa żak', "
                "'ewa żak notes', '48601000111', 0, 0, 0, 0, 1, '2026-01-01', '2026-01-01')")
            command.upgrade(alembic_config(conn), "head")
        with new.connect() as a, old.connect() as b:
            schema = _schema(a)
            assert set(schema) >= {"client_search", "client_search_insert",
                                   "client_search_update", "client_search_delete"}
            assert schema == _schema(b)
            # the rows that were there before the migration are in its index
            assert b.execute(text("SELECT rowid FROM client_search WHERE client_search "
                                  "MATCH '\"żak\"'")).fetchall() == [(7,)]
        with old.begin() as conn:
            command.downgrade(alembic_config(conn), "0008")
            assert _schema(conn) == {}
    finally:
        new.dispose()
        old.dispose()


def test_every_sort_pages_as_the_whole_list(db):
    _fill(db, [(f"Klient {i % 7} {chr(0x430 + i % 5)}", f"n{i % 3}", None, i % 9 == 0)
               for i in range(40)])
    with db.sessions() as s:
        for col in ClientColumn:
            for desc in (False, True):
                q = ClientQuery(text="klient" if desc else "", sort=col, descending=desc)
                whole = client_service.client_ids(s, q, RULES, "PL")
                pages = [cid for at in range(0, 40, 7) for cid in client_service.client_ids(
                    s, q, RULES, "PL", limit=7, offset=at)]
                assert pages == whole, col


def test_a_count_stops_when_asked(db):
    """The list's background count gives way to a newer search (SQLite's progress
    handler): None, and the connection counts normally afterwards."""
    _fill(db, [(f"Anna {i}", "notatki", None, False) for i in range(3000)])
    query = ClientQuery(text="a")
    with db.sessions() as s:
        assert client_service.count_listed(s, query, RULES, "PL", stop=lambda: True) is None
        assert client_service.count_listed(s, query, RULES, "PL", stop=lambda: False) == 3000
        assert client_service.count_listed(s, ClientQuery(text="anna 12"), RULES, "PL") == len(
            [i for i in range(3000) if "12" in str(i)])


def test_a_page_walks_the_name_index_when_the_candidates_are_many(db):
    """Both plans of a page by name (look each candidate up, or walk the name index and
    check them) give the same rows; which one runs depends on how many candidates."""
    _fill(db, [(f"{'Anna' if i % 2 else 'Ewa'} {i:04d}", "", None, False) for i in range(400)]
              + [("Rzadka Osoba", "", None, False)])
    con = sqlite3.connect(db.path)
    try:
        with db.sessions() as s:
            many, few = ClientQuery(text="anna"), ClientQuery(text="rzadka")
            assert client_service._walks(s, many, "PL", 10)
            assert not client_service._walks(s, few, "PL", 10)
            for q in (many, few, ClientQuery(text="ewa 01")):
                want = like_search(con, q)
                for offset in (0, 7, 150):
                    assert client_service.client_ids(s, q, RULES, "PL", limit=10,
                                                     offset=offset) == want[offset:offset + 10]
    finally:
        con.close()


def test_a_short_word_keeps_the_page_off_the_walk(db):
    _fill(db, [(f"Anna {i:04d}", "", None, False) for i in range(400)])
    with db.sessions() as s:
        assert client_service._walks(s, ClientQuery(text="anna"), "PL", 10)
        assert not client_service._walks(s, ClientQuery(text="anna 01"), "PL", 10)
