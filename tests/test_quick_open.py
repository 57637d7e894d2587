"""The client list's first page read by sqlite3 (app.quick_open) is the list's own first
page, and the quick reading steps aside for every file that is not an ordinary one."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app import quick_open
from app.client_list import ClientColumn, ClientQuery
from app.db import open_database
from app.services import clients as client_service
from app.services import schedule
from app.services import settings as settings_service
from app.services.demo import create_demo
from app.sqlite_file import head_revision, revisions

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A demo database with the list's every kind of value: tags, open complaints,
    clients in the Trash, no purchase yet, and settings that are not the defaults."""
    path = tmp_path_factory.mktemp("quick") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo(s, clients=90, locale="pl_PL", seed=11, today=TODAY)
        schedule.regenerate(s, TODAY)
        settings_service.put(s, "status.gap_multiplier", Decimal("1.5"))
        settings_service.put(s, "status.new_until_purchases", 4)
        settings_service.put(s, "business.currency", "EUR")
    with db.session() as s:
        ids = client_service.client_ids(s, ClientQuery(),
                                        client_service.StatusRules.from_settings(s), "PL")
        client_service.soft_delete(s, ids[3:9])
    db.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    return copy


def _real_page(path: Path, query: ClientQuery, limit: int):
    db = open_database(path, check=False)
    try:
        with db.session() as s:
            rules = client_service.StatusRules.from_settings(s)
            region = settings_service.get(s, "business.region")
            currency = settings_service.get(s, "business.currency")
            ids = client_service.client_ids(s, query, rules, region)
            rows = client_service.client_rows(s, ids[:limit], rules)
            tags = client_service.all_tags(s)
        return rules, region, currency, len(ids), [rows[i] for i in ids[:limit]], tags
    finally:
        db.close()


def test_the_head_revision_is_the_migration_chains_head():
    assert quick_open.HEAD_REVISION == head_revision()
    assert quick_open.HEAD_REVISION in revisions()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", list(ClientColumn))
def test_the_first_page_equals_the_lists_first_page(demo, column, descending):
    query = ClientQuery(sort=column, descending=descending)
    page = quick_open.read_first_page(demo, query, limit=30)
    assert page is not None
    rules, region, currency, count, rows, tags = _real_page(demo, query, 30)
    assert (page.rules, page.region, page.currency, page.count, page.tags) == (
        rules, region, currency, count, tags)
    assert len(page.rows) == 30
    assert page.ids == [r.id for r in rows]
    for mine, real in zip(page.rows, rows, strict=True):  # column by column
        assert mine == real


def test_the_page_has_every_kind_of_value(demo):
    """The demo file shows what the comparison above covers (not only empty cells)."""
    page = quick_open.read_first_page(demo, ClientQuery(), limit=200)
    assert page is not None and page.count == 84  # 90 clients, 6 in the Trash
    assert page.currency == "EUR" and page.rules.gap_multiplier == Decimal("1.5")
    rows = page.rows
    assert any(r.tags for r in rows) and any(r.open_complaint for r in rows)
    assert len({r.status for r in rows}) >= 3
    assert any(r.last_purchase_on for r in rows) and any(r.next_due_on for r in rows)
    assert any(r.value_12m > 0 for r in rows) and any(r.phone for r in rows)


def test_the_reading_leaves_no_side_file(demo):
    for suffix in ("-wal", "-shm"):
        Path(f"{demo}{suffix}").unlink(missing_ok=True)
    assert quick_open.read_first_page(demo) is not None
    assert not Path(f"{demo}-wal").exists() and not Path(f"{demo}-shm").exists()


def test_steps_aside_for_a_missing_file_or_folder(tmp_path):
    assert quick_open.read_first_page(tmp_path / "none.sqlite") is None
    assert quick_open.read_first_page(tmp_path) is None
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert quick_open.read_first_page(tmp_path / "empty.sqlite") is None


def test_steps_aside_for_an_older_schema(demo):
    con = sqlite3.connect(demo)
    con.execute("UPDATE alembic_version SET version_num = ?",
                (revisions()[quick_open.HEAD_REVISION],))
    con.commit()
    con.close()
    assert quick_open.read_first_page(demo) is None


def test_steps_aside_for_another_programs_file(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    assert quick_open.read_first_page(other) is None


def test_steps_aside_for_a_locked_file(demo):
    holder = sqlite3.connect(demo)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE settings SET value = value")
    try:
        assert quick_open.read_first_page(demo) is None
    finally:
        holder.rollback()
        holder.close()
    assert quick_open.read_first_page(demo) is not None


def test_steps_aside_for_a_damaged_file(demo):
    for suffix in ("-wal", "-shm"):
        Path(f"{demo}{suffix}").unlink(missing_ok=True)
    data = bytearray(demo.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema's page, after the header
    demo.write_bytes(bytes(data))
    assert quick_open.read_first_page(demo) is None


def test_steps_aside_for_a_file_that_is_no_database(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert quick_open.read_first_page(junk) is None


def test_steps_aside_when_a_restore_or_a_recovery_is_pending(demo):
    pending = Path(f"{demo}{quick_open.RESTORE_PARTIAL}")
    pending.write_bytes(b"x")
    assert quick_open.read_first_page(demo) is None
    pending.unlink()
    journal = Path(f"{demo}-journal")
    journal.write_bytes(b"x")
    assert quick_open.read_first_page(demo) is None
    journal.unlink()
    assert quick_open.read_first_page(demo) is not None


def test_steps_aside_for_a_file_that_cannot_be_written(demo, monkeypatch):
    monkeypatch.setattr(quick_open, "not_writable", lambda p: "folder")
    assert quick_open.read_first_page(demo) is None


def test_only_the_start_up_query_is_read(demo):
    assert quick_open.read_first_page(demo, ClientQuery(text="Nowak")) is None
    assert quick_open.read_first_page(demo, ClientQuery(trash=True)) is None


def test_the_light_modules_import_no_heavy_one():
    """What the window paints first with imports no SQLAlchemy, models, services,
    phonenumbers, email-validator or alembic."""
    code = ("import sys\n"
            "import app.quick_open, app.client_list, app.enums, app.setting_values\n"
            "import app.ui.app, app.ui.main_window, app.ui.clients_page\n"
            "import app.ui.client_model, app.ui.formatting, app.ui.labels\n"
            "heavy = ('sqlalchemy', 'app.models', 'app.services', 'phonenumbers',\n"
            "         'email_validator', 'alembic', 'matplotlib', 'holidays', 'app.db',\n"
            "         'babel', 'app.countries')\n"
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(ROOT),
                                                     "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
