"""This PC's office server (issue 12, Settings → Office server): the choice kept in a JSON
file of the config folder and the password in the keyring; the URL built from its parts
(any password survives); the connection test against the real PostgreSQL server; what
the start opens without --db."""

from __future__ import annotations

import json
import secrets as token
import socket
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app import config, office_choice
from app.enums import StaffRole
from app.errors import DomainError, ValidationError
from app.office_choice import ServerChoice, load_choice, server_url, start_target, write_choice
from app.quick_open import HEAD_REVISION
from app.server import connection_error, parse_url
from app.services import office
from app.services.access import AccessDenied, Actor
from app.services.messages import secrets
from app.ui.messages import error_text
from tests.messages_support import free_port, install_memory_keyring

SHOP = ServerChoice(host="192.168.1.10", port=5433, database="clientcare", user="recepcja")
OWNER = Actor(1, "Maria", StaffRole.OWNER)


@pytest.fixture
def keys():
    mem, before = install_memory_keyring()
    yield mem
    import keyring
    keyring.set_keyring(before)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """This PC's config folder: a folder of the test."""
    folder = tmp_path / "config"
    monkeypatch.setattr(office_choice, "config_dir", lambda: folder)
    monkeypatch.setattr(office_choice, "default_db_path", lambda: tmp_path / "own.sqlite")
    return folder


# --------------------------------------------------------------------------- the file


def test_the_choice_is_kept_and_read_back_without_any_password(here, keys):
    assert load_choice() is None  # nothing chosen: this PC's own file
    office.remember(SHOP, "tajne hasło", actor=OWNER)
    assert load_choice() == SHOP
    kept = json.loads((here / office_choice.CHOICE_FILE).read_text(encoding="utf-8"))
    assert kept == {"format": 1, "host": "192.168.1.10", "port": 5433,
                    "database": "clientcare", "user": "recepcja"}
    assert "tajne" not in (here / office_choice.CHOICE_FILE).read_text(encoding="utf-8")
    assert keys.items == {(secrets.OFFICE_SERVICE, "recepcja@192.168.1.10:5433/clientcare"):
                          "tajne hasło"}
    assert not list(here.glob("*.partial"))


@pytest.mark.parametrize("content", [
    "{not json", "[1, 2]", '{"format": 1, "host": "h", "port": "5432", "database": "d", '
    '"user": "u"}', '{"format": 1, "host": "h", "port": true, "database": "d", "user": "u"}',
    '{"format": 1, "host": "", "port": 5432, "database": "d", "user": "u"}',
    '{"format": 1, "host": "h", "port": 70000, "database": "d", "user": "u"}',
    '{"format": 2, "host": "h", "port": 5432, "database": "d", "user": "u"}',
    '{"host": "h", "port": 5432, "database": "d"}',
])
def test_a_damaged_choice_is_a_clear_error(here, content):
    here.mkdir(parents=True)
    (here / office_choice.CHOICE_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        load_choice()
    assert caught.value.code == "office.choice_unreadable"
    assert str(here) in error_text(caught.value) and "{" not in error_text(caught.value)


def test_a_choice_that_cannot_be_read_is_a_clear_error(here):
    (here / office_choice.CHOICE_FILE).mkdir(parents=True)  # a folder where the file goes
    with pytest.raises(DomainError) as caught:
        load_choice()
    assert caught.value.code == "office.choice_unreadable"
    (here / office_choice.CHOICE_FILE).rmdir()
    (here / office_choice.CHOICE_FILE).write_bytes(b"\xff\xfe\x00not text")
    with pytest.raises(DomainError) as caught:
        load_choice()
    assert caught.value.code == "office.choice_unreadable"


def test_a_choice_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch, keys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setattr(office_choice, "config_dir", lambda: blocker / "ClientCare")
    with pytest.raises(DomainError) as caught:
        office.remember(SHOP, "pass", actor=OWNER)
    assert caught.value.code == "office.choice_unwritable"
    assert "cannot be saved" in error_text(caught.value)
    assert keys.items == {}  # the password of a choice not kept is not kept either


def test_a_read_only_config_folder_is_said_and_leaves_the_old_choice(here, keys, monkeypatch):
    office.remember(SHOP, "pass", actor=OWNER)

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(office_choice.os, "replace", refuse)
    other = ServerChoice("10.0.0.2", 5432, "shop2", "anna")
    with pytest.raises(DomainError) as caught:
        office.remember(other, "new", actor=OWNER)
    assert caught.value.code == "office.choice_unwritable"
    assert load_choice() == SHOP and not list(here.glob("*.partial"))
    assert set(keys.items) == {(secrets.OFFICE_SERVICE, SHOP.account)}


def test_the_config_folder_is_the_users_or_the_portable_programs(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "program_dir", lambda: None)
    assert config.config_dir() == Path(platformdirs.user_config_dir("ClientCare",
                                                                    "ClientCare"))
    program = tmp_path / "ClientCare"
    program.mkdir()
    (program / config.PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(config, "program_dir", lambda: program)
    assert config.config_dir() == program / "data"
    assert office_choice.choice_path() == program / "data" / office_choice.CHOICE_FILE


# --------------------------------------------------------------------------- the password


def test_a_new_server_forgets_the_old_ones_password(here, keys):
    office.remember(SHOP, "first", actor=OWNER)
    office.remember(SHOP, None, actor=OWNER)  # the same server, no password typed: kept
    assert office.kept_password(SHOP) == "first"
    other = ServerChoice("10.0.0.2", 5432, "shop2", "anna")
    office.remember(other, "second", actor=OWNER)
    assert keys.items == {(secrets.OFFICE_SERVICE, other.account): "second"}


def test_forgetting_removes_the_choice_and_its_password(here, keys):
    assert office.forget(actor=OWNER) is None  # nothing chosen: nothing to do
    office.remember(SHOP, "pass", actor=OWNER)
    keys.items[("ClientCare SMTP", "mail")] = "kept"  # another secret stays
    assert office.forget(actor=OWNER) == SHOP
    assert load_choice() is None and not (here / office_choice.CHOICE_FILE).exists()
    assert keys.items == {("ClientCare SMTP", "mail"): "kept"}


def test_a_damaged_choice_can_be_forgotten_or_replaced(here, keys):
    here.mkdir(parents=True)
    (here / office_choice.CHOICE_FILE).write_text("{oops", encoding="utf-8")
    office.remember(SHOP, "pass", actor=OWNER)
    assert load_choice() == SHOP
    (here / office_choice.CHOICE_FILE).write_text("{oops", encoding="utf-8")
    assert office.forget(actor=OWNER) is None
    assert not (here / office_choice.CHOICE_FILE).exists()


@pytest.mark.parametrize("role", [StaffRole.RECEPTIONIST, StaffRole.MANAGER])
def test_only_the_owner_chooses_the_server(here, keys, role):
    actor = Actor(2, "Ewa", role)
    with pytest.raises(AccessDenied):
        office.remember(SHOP, "pass", actor=actor)
    assert load_choice() is None and keys.items == {}
    office.remember(SHOP, "pass", actor=OWNER)
    with pytest.raises(AccessDenied):
        office.forget(actor=actor)
    assert load_choice() == SHOP


def test_a_keyring_that_cannot_be_used_is_said(here, keys, monkeypatch):
    import keyring
    from keyring.errors import KeyringError

    def broken(*_a):
        raise KeyringError("no Secret Service on this desktop")

    monkeypatch.setattr(keyring, "set_password", broken)
    with pytest.raises(DomainError) as caught:
        office.remember(SHOP, "pass", actor=OWNER)
    assert caught.value.code == "keyring.unavailable"
    assert load_choice() is None  # nothing half kept


# --------------------------------------------------------------------------- the values


def test_each_wrong_value_is_said_beside_its_field():
    with pytest.raises(ValidationError) as caught:
        office.check_choice("  ", 0, "", " ")
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("host", "office.host_required"), ("port", "smtp.port_range"),
        ("database", "office.database_required"), ("user", "office.user_required")}
    with pytest.raises(ValidationError) as caught:
        office.check_choice("user@server", 5432, "db", "u")
    assert caught.value.for_field("host").code == "office.host_invalid"
    assert office.check_choice(" server.local ", 5432, " db ", " anna ") == ServerChoice(
        "server.local", 5432, "db", "anna")


HOSTILE = ["p@ss:word/?#%", "пароль с пробелом", "zażółć gęślą jaźń", "a+b=c&d", "%40%3A",
           "'\"\\", "@@::", " "]


@pytest.mark.parametrize("password", HOSTILE)
def test_a_hostile_password_survives_the_url(password):
    url = server_url(SHOP, password)
    assert url.password == password and url.host == SHOP.host
    text = url.render_as_string(hide_password=False)
    back = parse_url(text)  # what --db and the start parse
    assert (back.password, back.username, back.host, back.port, back.database) == (
        password, SHOP.user, SHOP.host, SHOP.port, SHOP.database)
    assert ":***@" in url.render_as_string(hide_password=True)


@given(password=st.text(min_size=1), user=st.text(min_size=1))
def test_any_password_and_user_survive_the_url_round_trip(password, user):
    choice = ServerChoice("server", 5432, "clientcare", user)
    back = make_url(server_url(choice, password).render_as_string(hide_password=False))
    assert back.password == password and back.username == user
    assert back.host == "server" and back.database == "clientcare"


# --------------------------------------------------------------------------- the start


def test_without_db_the_start_opens_the_remembered_server(here, keys, tmp_path):
    assert start_target(None).target == tmp_path / "own.sqlite"  # nothing chosen
    office.remember(SHOP, "с@крет:1", actor=OWNER)
    chosen = start_target(None)
    assert chosen.choice == SHOP and chosen.problem is None
    url = parse_url(chosen.target)
    assert (url.host, url.port, url.database, url.username, url.password) == (
        "192.168.1.10", 5433, "clientcare", "recepcja", "с@крет:1")
    # --db wins, a file or another server
    assert start_target(tmp_path / "x.sqlite").target == tmp_path / "x.sqlite"
    assert start_target("postgresql+psycopg://a@b/c").target == "postgresql+psycopg://a@b/c"


def test_a_damaged_choice_starts_the_own_file_and_says_why(here, tmp_path):
    here.mkdir(parents=True)
    (here / office_choice.CHOICE_FILE).write_text("{oops", encoding="utf-8")
    chosen = start_target(None)
    assert chosen.target == tmp_path / "own.sqlite" and chosen.choice is None
    assert chosen.problem is not None and chosen.problem.code == "office.choice_unreadable"


def test_a_remembered_server_without_a_kept_password_is_tried_without(here, keys):
    write_choice(SHOP)
    assert parse_url(start_target(None).target).password is None


# --------------------------------------------------------------------------- the server


@pytest.fixture
def fresh_db(pg_url):
    """A new database of its own on the test server (dropped after): its choice and the
    password."""
    server = make_url(pg_url)
    name = f"cc_office_{token.token_hex(3)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield ServerChoice(server.host, server.port or 5432, name, server.username), \
            server.password
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _choice(url: str) -> tuple[ServerChoice, str]:
    u = make_url(url)
    return ServerChoice(u.host, u.port or 5432, u.database, u.username), u.password


def test_an_empty_database_is_found_empty_with_the_servers_version(fresh_db):
    choice, password = fresh_db
    report = office.test_connection(choice, password)
    assert report.state == office.EMPTY and report.revision is None
    assert report.version.split(".")[0].isdigit() and int(report.version.split(".")[0]) >= 12
    assert report.head == HEAD_REVISION


def test_a_database_at_the_head_is_ready(pg_database, pg_url):
    choice, password = _choice(pg_url)
    report = office.test_connection(choice, password)
    assert report.state == office.CURRENT and report.revision == HEAD_REVISION


def test_older_newer_and_foreign_schemas(fresh_db):
    choice, password = fresh_db
    engine = create_engine(server_url(choice, password))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE alembic_version (version_num varchar(32))")
            conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('0016')")
            conn.exec_driver_sql("CREATE TABLE clients (id integer)")
        report = office.test_connection(choice, password)
        assert report.state == office.OLDER and report.revision == "0016"
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(DomainError) as newer:
            office.test_connection(choice, password)
        assert newer.value.code == "server.newer"
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")
        with pytest.raises(DomainError) as foreign:
            office.test_connection(choice, password)
        assert foreign.value.code == "server.not_clientcare"
    finally:
        engine.dispose()


def test_a_user_who_may_not_create_the_schema_is_refused(fresh_db):
    """An empty database whose public schema the user may not create tables in (as the
    cluster's own ``postgres`` database since PostgreSQL 15): the first open could not
    set it up, so the test says so now."""
    choice, password = fresh_db
    engine = create_engine(server_url(choice, password), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM pg_database_owner, "
                                 "PUBLIC")
    finally:
        engine.dispose()
    with pytest.raises(DomainError) as caught:
        office.test_connection(choice, password)
    assert caught.value.code == "server.no_create"
    assert choice.user in error_text(caught.value)


def test_a_user_who_may_not_work_in_the_tables_is_refused(pg_database, pg_url):
    choice, password = _choice(pg_url)
    with pg_database.engine.begin() as conn:
        conn.exec_driver_sql("REVOKE DELETE ON clients FROM CURRENT_USER")
    try:
        with pytest.raises(DomainError) as caught:
            office.test_connection(choice, password)
        assert caught.value.code == "server.no_permission"
    finally:
        with pg_database.engine.begin() as conn:
            conn.exec_driver_sql("GRANT DELETE ON clients TO CURRENT_USER")
    assert office.test_connection(choice, password).state == office.CURRENT


def test_a_user_the_server_does_not_let_in_is_refused(fresh_db, pg_url):
    choice, password = fresh_db
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'REVOKE CONNECT ON DATABASE "{choice.database}" FROM '
                                 "PUBLIC, CURRENT_USER")
    finally:
        admin.dispose()
    with pytest.raises(DomainError) as caught:
        office.test_connection(choice, password)
    assert caught.value.code == "server.no_permission"
    text = error_text(caught.value)
    assert choice.user in text and choice.database in text


def test_a_wrong_password_is_said(pg_url):
    choice, _password = _choice(pg_url)
    with pytest.raises(DomainError) as caught:
        office.test_connection(choice, "not-the-password")
    assert caught.value.code == "server.password"
    assert "not-the-password" not in str(caught.value) + error_text(caught.value)


def test_a_database_that_does_not_exist_is_said(pg_url):
    choice, password = _choice(pg_url)
    missing = ServerChoice(choice.host, choice.port, "no_such_database_here", choice.user)
    with pytest.raises(DomainError) as caught:
        office.test_connection(missing, password)
    assert caught.value.code == "server.no_database"


def test_a_port_where_nothing_listens_is_refused_at_once():
    with pytest.raises(DomainError) as caught:
        office.test_connection(ServerChoice("127.0.0.1", free_port(), "db", "u"), "p")
    assert caught.value.code == "server.refused"
    assert "No database server answers" in error_text(caught.value)


def test_a_server_that_never_answers_is_a_timeout():
    with socket.socket() as silent:  # takes the connection, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(DomainError) as caught:
            office.test_connection(ServerChoice("127.0.0.1", port, "db", "u"), "p",
                                   timeout=2)
    assert caught.value.code == "server.timeout"
    assert caught.value.values["seconds"] == 2
    assert "did not answer within 2 seconds" in error_text(caught.value)


@pytest.mark.parametrize("said, code", [
    ("failed to resolve host 'no-such-host': [Errno -2] Name or service not known",
     "server.unknown_host"),
    ('could not translate host name "shop-server" to address: Name or service not known',
     "server.unknown_host"),
    ('connection to server at "10.0.0.2", port 5432 failed: FATAL:  no pg_hba.conf entry '
     'for host "10.0.0.9", user "anna", database "clientcare", no encryption',
     "server.no_permission"),
    ('FATAL:  permission denied for database "clientcare"\nDETAIL:  User does not have '
     'CONNECT privilege.', "server.no_permission"),
    ('FATAL:  role "anna" does not exist', "server.password"),
    ("connection timeout expired", "server.timeout"),
    ('FATAL:  database "shop" does not exist', "server.no_database"),
    ("something else entirely", "server.unexpected"),
])
def test_what_the_server_said_has_its_code(said, code):
    url = server_url(ServerChoice("shop-server", 5432, "clientcare", "anna"), "secret")
    error = connection_error(url, RuntimeError(said))
    assert error.code == code
    text = error_text(error)
    assert "secret" not in text and "{" not in text
    assert error.values["host"] == "shop-server" and error.values["user"] == "anna"
