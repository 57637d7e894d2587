"""The command line (main.py, app/cli.py): works without a display and without Qt."""

from __future__ import annotations

import contextlib
import csv as csv_module
import hashlib
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app import __version__
from app import db as db_module
from app.cli import main
from app.config import backup_dir_for
from app.models import Client
from app.services import backups, metrics
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.metrics import By
from tests.conftest import db_target
from tests.test_db import _hot_journal

ROOT = Path(__file__).resolve().parents[1]


# commands whose own tests need no fresh interpreter (nothing about start-up, imports or
# the display): run in this process, a second instead of a Python start each
IN_PROCESS = {"demo", "export", "import", "init"}


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``clientcare ARGS``: what it exits with and writes. The commands of IN_PROCESS are
    called in this process (``app.cli.main``, what main.py calls); the others, and every
    --help, in a new one without a display."""
    if args[0] in IN_PROCESS and "--help" not in args:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse refusing an argument
                code = exc.code if isinstance(exc.code, int) else 1
        return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_help_without_a_display():
    start = time.monotonic()
    done = run("--help", timeout=30)
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: clientcare")
    for word in ("--db", "--demo", "--lang", "--version", "demo"):
        assert word in done.stdout
    assert "PySide6" not in done.stderr
    assert elapsed < 10


def test_version_without_a_display():
    start = time.monotonic()
    done = run("--version", timeout=30)
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ClientCare {__version__}"
    assert done.stdout.startswith("ClientCare 0.1")
    assert elapsed < 10


def test_demo_help():
    done = run("demo", "--help", timeout=30)
    assert done.returncode == 0, done.stderr
    for word in ("--clients", "--locale", "--seed", "--force"):
        assert word in done.stdout


def test_unknown_option_is_a_usage_error():
    done = run("--no-such-option", timeout=30)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def _clients(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM clients").fetchone()[0]
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_creates_a_database_and_refuses_to_overwrite_it(tmp_path):
    pytest.importorskip("app.services.demo")
    path = tmp_path / "demo" / "demo.sqlite"
    done = run("demo", str(path), "--clients", "20")
    assert done.returncode == 0, done.stderr
    assert path.is_file()
    assert _clients(path) == 20
    assert str(path) in done.stdout

    before = _digest(path)
    again = run("demo", str(path), "--clients", "5")
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert _clients(path) == 20
    assert _digest(path) == before


def test_demo_refuses_a_file_that_is_not_a_database(tmp_path):
    pytest.importorskip("app.services.demo")
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n")
    done = run("demo", str(path), "--clients", "3")
    assert done.returncode == 2
    assert done.stderr.startswith("clientcare: ")
    assert path.read_text() == "not a database\n"


def test_demo_needs_at_least_one_client(tmp_path):
    path = tmp_path / "demo.sqlite"
    done = run("demo", str(path), "--clients", "0", timeout=30)
    assert done.returncode == 2
    assert "--clients" in done.stderr
    assert not path.exists()


# --------------------------------------------------------------------------- metrics
# A small business seen from AS_OF = 2026-06-15; the default range is the last 12 months,
# 2025-07-01 .. 2026-06-15.
#   Anna  2026-01-10 100 (first) | 06-02 50 | 06-10 30     -> June: 2 returning lines
#   Bob   2026-06-05 200 (first)                           -> June: new client, new line
#   Cara  2025-12-20 80 (first)  | 2026-03-01 40           -> nothing in June
# June so far: revenue 280, returning 80 -> 80/280 = 0.2857 by revenue; 3 lines,
# 2 returning -> 0.6667 by count; clients buying: Anna, Bob; returning: Anna -> 0.5;
# new clients (first purchase in June): Bob -> 1.

AS_OF = "2026-06-15"


@pytest.fixture
def shop(db, make_client):

    make_client("Anna Nowak", purchases=[(date(2026, 1, 10), "100"), (date(2026, 6, 2), "50"),
                                         (date(2026, 6, 10), "30")])
    make_client("Bob Smith", purchases=[(date(2026, 6, 5), "200")])
    make_client("Cara Lis", purchases=[(date(2025, 12, 20), "80"), (date(2026, 3, 1), "40")])
    return db


def _metrics(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["metrics", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _direct(db, start, end, by, as_of):
    with db.sessions() as s:
        return metrics.to_jsonable(metrics.report(s, start, end, by, as_of))


def test_metrics_json_equals_the_service(shop, capsys):

    code, out, err = _metrics(capsys, "--db", db_target(shop), "--as-of", AS_OF, "--json")
    assert code == 0, err
    got = json.loads(out)
    assert (got["start"], got["end"], got["by"]) == ("2025-07-01", AS_OF, "month")
    want = _direct(shop, date(2025, 7, 1), date(2026, 6, 15), By.MONTH, date(2026, 6, 15))
    assert got["dashboard"] == want["dashboard"]
    assert got["repeat_share"] == want["repeat_share"]
    assert {k: v for k, v in got.items() if k != "definitions"} == want
    # the numbers worked out above
    dash = got["dashboard"]
    assert dash["month"] == 202606
    # full precision: the shares read back as the exact quotient, not rounded
    assert dash["repeat_share_revenue"] == 80 / 280
    assert dash["repeat_share_count"] == 2 / 3
    assert dash["returning_rate"] == 0.5
    assert (dash["clients_buying"], dash["new_clients"]) == (2, 1)
    assert [r["period"] for r in got["repeat_share"]] == [
        202507, 202508, 202509, 202510, 202511, 202512, 202601, 202602, 202603, 202604,
        202605, 202606]
    june = got["repeat_share"][-1]
    assert (june["purchases"], june["returning_purchases"], june["revenue"],
            june["returning_revenue"]) == (3, 2, "280.00", "80.00")
    assert set(got["definitions"]) == {"repeat_purchase_share", "returning_client_rate",
                                       "second_purchase_conversion"}
    assert all(v and "\n" not in v for v in got["definitions"].values())


def test_metrics_json_keeps_non_ascii_and_is_indented(db, make_client, capsys):
    make_client("Zoë Łukasiewicz", source_channel="Polecenie – sąsiad",
                purchases=[(date(2026, 6, 1), "10")])
    code, out, err = _metrics(capsys, "--db", db_target(db), "--as-of", AS_OF, "--json")
    assert code == 0, err
    assert "Polecenie – sąsiad" in out
    assert out.startswith("{\n  \"")
    assert json.loads(out)["channels"][0]["channel"] == "Polecenie – sąsiad"


def test_metrics_range_and_quarters(shop, capsys):

    code, out, err = _metrics(capsys, "--db", db_target(shop), "--as-of", AS_OF,
                              "--from", "2025-12-01", "--to", "2026-06-30", "--by", "quarter",
                              "--json")
    assert code == 0, err
    got = json.loads(out)
    # the range ends at --as-of at the latest: nothing after it is known then
    assert (got["start"], got["end"], got["by"]) == ("2025-12-01", "2026-06-15", "quarter")
    assert [r["period"] for r in got["repeat_share"]] == [20254, 20261, 20262]
    assert [r["period"] for r in got["returning_clients"]] == [20254, 20261, 20262]
    want = _direct(shop, date(2025, 12, 1), date(2026, 6, 30), By.QUARTER, date(2026, 6, 15))
    assert got["repeat_share"] == want["repeat_share"]
    assert got["dashboard"] == want["dashboard"]
    # 2025Q4: Cara's first purchase 80; 2026Q1: Anna's first 100 + Cara's returning 40;
    # 2026Q2: Anna 50 + 30 returning, Bob 200 new
    assert [(r["revenue"], r["returning_revenue"]) for r in got["repeat_share"]] == [
        ("80.00", "0.00"), ("140.00", "40.00"), ("280.00", "80.00")]


def test_metrics_dashboard_in_plain_text(shop, capsys):
    code, out, err = _metrics(capsys, "--db", db_target(shop), "--as-of", AS_OF)
    assert code == 0, err
    assert err == ""
    assert "2026-06" in out
    assert "28.6%" in out and "66.7%" in out  # repeat share by revenue and by count
    assert "50.0%" in out  # returning-client rate
    lines = {line.split(":")[0].strip(): line.split(":", 1)[1].strip()
             for line in out.splitlines() if line.startswith("  ")}
    assert lines["new clients"] == "1"
    assert lines["open complaints"] == "0"
    assert lines["overdue calls"] == "0"


def test_metrics_missing_database_is_not_created(tmp_path):
    path = tmp_path / "none" / "missing.sqlite"
    done = run("metrics", "--db", str(path), "--json", timeout=30)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("clientcare: ")
    assert str(path) in done.stderr and "does not exist" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not path.exists()
    assert not path.parent.exists()
    assert "PySide6" not in done.stderr


def test_metrics_runs_without_a_display_or_qt(shop):
    done = run("metrics", "--db", db_target(shop), "--as-of", AS_OF, "--json", timeout=60)
    assert done.returncode == 0, done.stderr
    assert '"dashboard"' in done.stdout
    code = ("import sys; from app.cli import main; "
            f"main(['metrics', '--db', {str(shop.path)!r}, '--as-of', {AS_OF!r}]); "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    probe = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, check=False)
    assert probe.returncode == 0, probe.stderr


@pytest.mark.parametrize("args", [("--from", "2026-02-30"), ("--to", "yesterday"),
                                  ("--as-of", "2026/06/15"), ("--by", "week")])
def test_metrics_bad_arguments(shop, capsys, args):
    with pytest.raises(SystemExit) as info:
        _metrics(capsys, "--db", str(shop.path), *args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert args[0] in err
    assert "Traceback" not in err


@pytest.mark.sqlite_only("checks that the SQLite file's bytes stay as they were")
def test_metrics_from_after_to(shop, capsys):
    before = _digest(shop.path)
    code, out, err = _metrics(capsys, "--db", db_target(shop), "--from", "2026-05-01",
                              "--to", "2026-04-30", "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("clientcare: ") and len(err.strip().splitlines()) == 1
    assert "2026-05-01" in err and "2026-04-30" in err
    assert _digest(shop.path) == before


# --------------------------------------------------------------------------- backup and check


def _main(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _damage_middle(path: Path) -> None:
    """Overwrite whole pages in the middle of a closed file with random bytes."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    n = len(data) // page
    rng = random.Random(11)
    for i in range(n // 2 - 3, n // 2 + 3):
        data[i * page:(i + 1) * page] = rng.randbytes(page)
    path.write_bytes(bytes(data))


@pytest.fixture
def big(db):
    """A closed database of a few hundred pages."""
    with db.session() as s:
        for i in range(150):
            client_service.save_client(s, client_service.ClientData(name=f"Client {i:04d}", notes="n" * 400),
                           region="PL")
    db.close()
    return db.path


def test_backup_and_check_help():
    for command in ("backup", "check"):
        done = run(command, "--help", timeout=30)
        assert done.returncode == 0, done.stderr
        assert "--db" in done.stdout
    done = run("--help", timeout=30)
    assert "backup" in done.stdout and "check" in done.stdout


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_backup_makes_a_manual_backup(db, make_client, capsys):
    make_client("Anna Nowak")
    make_client("Bob Smith")
    db.close()
    code, out, err = _main(capsys, "backup", "--db", str(db.path))
    assert code == 0, err
    assert err == ""
    made = Path(out.strip())
    assert len(out.strip().splitlines()) == 1
    assert made.parent == backup_dir_for(db.path)
    assert made.is_file()
    assert made.name.startswith("test-manual-") and made.name.endswith(".sqlite")
    assert _clients(made) == 2
    listed = backups.list_backups(db.path)
    assert [(b.path, b.kind) for b in listed] == [(made, "manual")]
    assert backups.check_backup(made) == []


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_backup_rotates_with_the_settings_of_the_database(db, capsys):

    with db.session() as s:
        settings_service.put(s, "backup.keep_daily", 2)
        settings_service.put(s, "backup.keep_weekly", 0)
    # five automatic backups on five days and one made by hand before them all
    old = datetime(2026, 3, 1, 8, 0, 0)
    hand = backups.make_backup(db.path, "manual", now=old - timedelta(days=30))
    made = [backups.make_backup(db.path, "start", now=old + timedelta(days=i))
            for i in range(5)]
    db.close()
    code, out, err = _main(capsys, "backup", "--db", str(db.path))
    assert code == 0, err
    new = Path(out.strip())
    # the settings' 2 days (not the default 7): only the two newest automatic ones stay
    kept = {b.path for b in backups.list_backups(db.path)}
    assert kept == {new, hand.path, made[4].path, made[3].path}
    assert sorted(p.name for p in backup_dir_for(db.path).iterdir()
                  if p.suffix == ".sqlite") == sorted(p.name for p in kept)


def test_backup_missing_database_is_not_created(tmp_path):
    path = tmp_path / "none" / "missing.sqlite"
    done = run("backup", "--db", str(path), timeout=30)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("clientcare: ")
    assert str(path) in done.stderr and "does not exist" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not path.parent.exists()
    assert "PySide6" not in done.stderr


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_check_ok(db, make_client, capsys):
    make_client("Anna Nowak")
    db.close()
    before = _digest(db.path)
    code, out, err = _main(capsys, "check", "--db", str(db.path))
    assert (code, out, err) == (0, "ok\n", "")
    assert _digest(db.path) == before


@pytest.mark.sqlite_only("the check is of the SQLite file")
def test_check_runs_without_a_display_or_qt(db, make_client):
    make_client("Anna Nowak")
    db.close()
    done = run("check", "--db", str(db.path), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
    code = ("import sys; from app.cli import main; "
            f"main(['check', '--db', {str(db.path)!r}]); "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    probe = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, check=False)
    assert probe.returncode == 0, probe.stderr


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_check_leaves_the_folder_as_it_was(db, make_client, capsys):
    """check only reads: no -wal/-shm is left beside the closed database."""
    make_client("Anna Nowak")
    db.close()
    before = _listing(db.path.parent)
    assert before == ["test.sqlite"]
    code, _out, err = _main(capsys, "check", "--db", str(db.path))
    assert code == 0, err
    assert _listing(db.path.parent) == before


def test_check_missing_database_is_not_created(tmp_path):
    path = tmp_path / "none" / "missing.sqlite"
    done = run("check", "--db", str(path), timeout=30)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("clientcare: ")
    assert str(path) in done.stderr and "does not exist" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not path.parent.exists()


@pytest.mark.parametrize("command", ["backup", "check"])
@pytest.mark.parametrize("content, words", [("text", "not a ClientCare database"),
                                            ("foreign", "another program")])
def test_backup_and_check_refuse_a_file_that_is_not_clientcare(tmp_path, capsys, command,
                                                               content, words):
    path = tmp_path / "other.sqlite"
    if content == "text":
        path.write_text("not a database\n")
    else:
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
        con.commit()
        con.close()
    before = _digest(path)
    code, out, err = _main(capsys, command, "--db", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("clientcare: ") and len(err.strip().splitlines()) == 1
    assert words in err and str(path) in err
    assert _digest(path) == before


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_check_a_file_damaged_in_the_middle(big, capsys):
    _damage_middle(big)
    before = _digest(big)
    code, out, err = _main(capsys, "check", "--db", str(big))
    # refused at the open (quick_check) with exit 2, or found by the full check: exit 1
    assert code in (1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert out == ""
        assert err.startswith("clientcare: ") and len(err.strip().splitlines()) == 1
        assert "damaged" in err and str(big) in err
    else:
        assert out.strip() and out.strip() != "ok"
    assert _digest(big) == before


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_check_finds_what_only_the_full_check_sees(db, make_client, capsys):
    """An index that no longer matches its table passes quick_check (so the file opens)
    but not integrity_check: exit 1 and the problems on stdout."""

    make_client("Anna Nowak", purchases=[(date(2026, 1, d), "10") for d in range(1, 6)])
    db.close()
    con = sqlite3.connect(db.path)
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_purchases_date "
                "ON purchases (amount)' WHERE name = 'ix_purchases_date'")
    con.commit()
    con.close()
    code, out, err = _main(capsys, "check", "--db", str(db.path))
    assert code == 1, err
    assert err == ""
    lines = out.strip().splitlines()
    assert lines and "ok" not in lines
    assert any("ix_purchases_date" in line for line in lines)


def test_export_writes_the_table(tmp_path, db, make_client):
    make_client("Łucja Żak", purchases=[(date(2026, 3, 1), "19.90"), (date(2026, 4, 1), "5.00")])
    path = db_target(db)
    db.close()
    out = tmp_path / "purchases.csv"
    done = run("export", "--db", str(path), "--what", "purchases", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"2 purchases written to {out}"
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv_module.reader(fh, delimiter=";"))
    assert [r[rows[0].index("amount")] for r in rows[1:]] == ["19.90", "5.00"]
    assert rows[1][rows[0].index("client")] == "Łucja Żak"


def test_export_refuses_a_missing_database_and_a_bad_format(tmp_path, db):
    missing = tmp_path / "none" / "x.sqlite"
    done = run("export", "--db", str(missing), str(tmp_path / "x.csv"))
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not missing.parent.exists()
    path = db.path
    db.close()
    done = run("export", "--db", str(path), str(tmp_path / "x.txt"))
    assert done.returncode == 2 and done.stderr.startswith("clientcare:")
    assert not (tmp_path / "x.txt").exists()


def _open(target: str):
    """The database a command's --db names: the file, or the server's database."""
    from app.config import is_server_url
    from app.db import open_database
    from app.server import open_server
    return open_server(target) if is_server_url(target) else open_database(Path(target),
                                                                          create=False)


def _client_names(target) -> list[str]:
    db = _open(str(target))
    try:
        with db.sessions() as s:
            return list(s.scalars(select(Client.name).order_by(Client.name)))
    finally:
        db.close()


def test_import_reports_bad_rows_and_imports_the_good_ones(tmp_path, db):
    path = db_target(db)
    db.close()
    src = tmp_path / "clients.csv"
    src.write_text("Imię;Nazwisko;Telefon;E-mail\nŁucja;Żak;601 234 567;lucja@example.com\n"
                   "Jan;Nowak;602 345 678;jan@@example.com\n", encoding="cp1250")
    dry = run("import", "--db", str(path), str(src), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "row 3, column 'E-mail': email.invalid ('jan@@example.com')" in dry.stdout
    assert "nothing was changed" in dry.stdout
    assert _client_names(path) == []
    done = run("import", "--db", str(path), str(src))
    assert done.returncode == 0, done.stderr
    assert "created 1 clients" in done.stdout and "1 rows rejected" in done.stdout
    assert _client_names(path) == ["Łucja Żak"]
    again = run("import", "--db", str(path), str(src))
    assert "created 0 clients, merged 0, skipped 1" in again.stdout  # a duplicate: skipped
    assert _client_names(path) == ["Łucja Żak"]


def test_import_with_a_mapping_file(tmp_path, db):
    path = db_target(db)
    db.close()
    src = tmp_path / "odd.csv"
    src.write_text("A,B\nAnna Nowak,anna@example.com\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text('{"A": "name", "1": "email"}', encoding="utf-8")
    done = run("import", "--db", str(path), str(src), "--mapping", str(mapping))
    assert done.returncode == 0, done.stderr
    assert _client_names(path) == ["Anna Nowak"]
    mapping.write_text('{"Nope": "name"}', encoding="utf-8")
    bad = run("import", "--db", str(path), str(src), "--mapping", str(mapping))
    assert bad.returncode == 2 and "no column 'Nope'" in bad.stderr


def test_import_of_a_missing_file_fails_cleanly(tmp_path, db):
    path = db.path
    db.close()
    done = run("import", "--db", str(path), str(tmp_path / "none.csv"))
    assert done.returncode == 2 and done.stderr.startswith("clientcare:")


# --------------------------------------------------------------------------- init and import
# (issue [6]: an import that never loses a client over one field)

def _db_rows(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- never modify, never a traceback


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_check_never_modifies_the_file_it_checks(db, make_client, capsys):
    """A DELETE-journal file of an older schema: today check switched it to WAL (and
    open_database would migrate it first). Bytes, journal mode and revision stay."""
    make_client("Anna Nowak")
    db.close()
    con = sqlite3.connect(db.path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.commit()
    con.close()
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()
    listing = _listing(db.path.parent)
    code, out, err = _main(capsys, "check", "--db", str(db.path))
    assert (code, out.strip(), err) == (0, "ok", "")
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
    assert _listing(db.path.parent) == listing  # no -wal, no backup, nothing
    con = sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
    finally:
        con.close()


@pytest.fixture
def polish_db(tmp_path) -> Path:
    path = tmp_path / "salon.sqlite"
    done = run("init", "--db", str(path), "--country", "PL", "--currency", "PLN")
    assert done.returncode == 0, done.stderr
    return path


def test_init_creates_an_empty_database_and_keeps_an_existing_one(tmp_path):
    path = tmp_path / "new" / "clients.sqlite"
    done = run("init", "--db", str(path), "--country", "bg", "--currency", "eur")
    assert done.returncode == 0, done.stderr
    assert "created the empty database" in done.stdout and "country BG" in done.stdout
    assert _db_rows(path, "SELECT count(*) FROM clients") == [(0,)]
    assert _db_rows(path, "SELECT value FROM settings WHERE key='business.region'") == [('"BG"',)]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    again = run("init", "--db", str(path), "--country", "PL")
    assert again.returncode == 0 and "kept as it is" in again.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("not a database")
    refused = run("init", "--db", str(foreign))
    assert refused.returncode == 2 and "not a ClientCare database" in refused.stderr
    assert foreign.read_text() == "not a database"
    bad = run("init", "--db", str(path), "--country", "Narnia")
    assert bad.returncode == 2 and "not a country code" in bad.stderr


def test_import_into_a_missing_or_empty_database_says_which(tmp_path):
    src = tmp_path / "c.csv"
    src.write_text("Name\nAnna\n", encoding="utf-8")
    missing = run("import", "--db", str(tmp_path / "none.sqlite"), str(src))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert "clientcare init" in missing.stderr and not (tmp_path / "none.sqlite").exists()
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    refused = run("import", "--db", str(empty), str(src))
    assert refused.returncode == 2 and "is empty (0 bytes)" in refused.stderr
    assert "does not exist" not in refused.stderr and empty.stat().st_size == 0
    assert run("init", "--db", str(empty)).returncode == 0  # an empty file becomes one
    assert run("import", "--db", str(empty), str(src)).returncode == 0
    assert _client_names(empty) == ["Anna"]


RUSSIAN_CLIENTS = ("ФИО;Телефон;Номер карты;Дата рождения\n"
                   + "".join(f"Иванова Анна {i};8 916 123-45-{i:02d};R-{i};21.05.1985\n"
                             for i in range(12)))


def test_a_russian_file_into_a_polish_business(tmp_path, polish_db):
    src = tmp_path / "klienty.csv"
    src.write_bytes(RUSSIAN_CLIENTS.encode("cp1251"))
    first = run("import", "--db", str(polish_db), str(src))
    assert first.returncode == 0, first.stderr
    assert "12 of 12 phones are not valid numbers of PL, but 12 of the 12 tried are " \
           "numbers of RU: run again with --phone-country RU" in first.stdout
    assert "row 2, column 'Телефон': kept to check, not a valid phone number of PL " \
           "('8 916 123-45-00')" in first.stdout
    assert "created 12 clients" in first.stdout and "12 phone numbers to check" in first.stdout
    assert _db_rows(polish_db, "SELECT name, phone, phone_unchecked, external_ref FROM clients "
                               "WHERE external_ref = 'R-3'") == [
        ("Иванова Анна 3", None, "8 916 123-45-03", "R-3")]
    # the same file read as Russian numbers: the clients are there (same card), and a new
    # file of Russians gets E.164 phones
    other = tmp_path / "more.csv"
    other.write_bytes(RUSSIAN_CLIENTS.replace("R-", "S-").replace("123-45", "765-43")
                      .encode("cp1251"))
    second = run("import", "--db", str(polish_db), str(other), "--phone-country", "RU")
    assert second.returncode == 0, second.stderr
    assert "phones are not valid" not in second.stdout and "created 12 clients" in second.stdout
    assert _db_rows(polish_db, "SELECT phone, phone_unchecked FROM clients "
                               "WHERE external_ref = 'S-3'") == [("+79167654303", None)]


def test_a_file_with_its_headings_on_row_4(tmp_path, polish_db):
    src = tmp_path / "export.csv"
    src.write_text("Lista klientów salonu Róża\nstan na 01.12.2026\n\n"
                   "Imię;Nazwisko;Telefon;Numer karty\nAnna;Nowak;601 234 567;K-1\n"
                   "Jan;Lis;602 345 678;K-2\n", encoding="utf-8")
    done = run("import", "--db", str(polish_db), str(src))
    assert done.returncode == 0, done.stderr
    assert "the headings are on row 4" in done.stdout and "created 2 clients" in done.stdout
    assert _db_rows(polish_db, "SELECT name, phone, external_ref FROM clients ORDER BY name") \
        == [("Anna Nowak", "+48601234567", "K-1"), ("Jan Lis", "+48602345678", "K-2")]
    chosen = tmp_path / "chosen.csv"
    chosen.write_text("Kolumny:\nName;Phone\nOla Kot;603 456 789\n", encoding="utf-8")
    picked = run("import", "--db", str(polish_db), str(chosen), "--header-row", "2")
    assert picked.returncode == 0, picked.stderr
    assert "Ola Kot" in _client_names(polish_db)
    wrong = run("import", "--db", str(polish_db), str(chosen), "--header-row", "9")
    assert wrong.returncode == 2 and "row 9" in wrong.stderr
    assert run("import", "--db", str(polish_db), str(chosen), "--header-row", "0") \
        .returncode == 2


def test_a_utf16_file_as_excel_saves_unicode_text(tmp_path, polish_db):
    src = tmp_path / "unicode.txt"
    src.write_bytes("Name\tPhone\tNotes\r\nRenée Dupont\t601 234 567\tcafé\r\n"
                    "Łucja Żak\t602 345 678\tзаметка\r\n".encode("utf-16"))
    done = run("import", "--db", str(polish_db), str(src))
    assert done.returncode == 0, done.stderr
    assert _db_rows(polish_db, "SELECT name, notes FROM clients ORDER BY name") == [
        ("Renée Dupont", "café"), ("Łucja Żak", "заметка")]


def test_an_encoding_chosen_on_the_command_line(tmp_path, polish_db):
    src = tmp_path / "english.csv"
    src.write_bytes("Name;Notes\r\nRenée;ok\r\n".encode("cp1252"))
    done = run("import", "--db", str(polish_db), str(src), "--encoding", "cp1252")
    assert done.returncode == 0, done.stderr
    assert _client_names(polish_db) == ["Renée"]
    bad = run("import", "--db", str(polish_db), str(src), "--encoding", "ebcdic")
    assert bad.returncode == 2 and "not one of utf-8" in bad.stderr
    wrong = run("import", "--db", str(polish_db), str(src), "--encoding", "utf-8")
    assert wrong.returncode == 2 and "row 2" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_purchases_file_without_a_mapped_key_column(tmp_path, polish_db):
    src = tmp_path / "sales.csv"
    src.write_text("Kto;Data;Kwota\nK-1;01.05.2026;120,50\n", encoding="utf-8")
    done = run("import", "--db", str(polish_db), str(src), "--kind", "purchases",
               "--create-unknown")
    assert done.returncode == 2
    assert "the file has: Kto, Data, Kwota" in done.stderr and "Traceback" not in done.stderr
    assert _db_rows(polish_db, "SELECT count(*) FROM purchases") == [(0,)]
    assert _client_names(polish_db) == []
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Kto": "card_number", "Data": "date", "Kwota": "amount"}')
    mapped = run("import", "--db", str(polish_db), str(src), "--kind", "purchases",
                 "--mapping", str(mapping), "--create-unknown")
    assert mapped.returncode == 0, mapped.stderr
    assert _db_rows(polish_db, "SELECT amount FROM purchases") == [(120.5,)]


def test_a_clients_mapping_without_the_card_column_is_refused(tmp_path, polish_db):
    src = tmp_path / "c.csv"
    src.write_text("Name;Customer ID\nAnna;C-1\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Name": "name"}')
    done = run("import", "--db", str(polish_db), str(src), "--mapping", str(mapping))
    assert done.returncode == 2 and "'Customer ID'" in done.stderr
    for text, words in (("[1, 2]", "not an object"), ('{"Name": "colour"}', "not a field"),
                        ("{", "cannot read the mapping")):
        mapping.write_text(text)
        bad = run("import", "--db", str(polish_db), str(src), "--mapping", str(mapping))
        assert bad.returncode == 2 and words in bad.stderr and "Traceback" not in bad.stderr


def test_the_dry_run_says_exactly_what_the_import_does(tmp_path, polish_db):
    src = tmp_path / "bad.csv"
    src.write_text("Name;Phone;E-mail;Card\nAnna Nowak;601 234 567;anna@mail.pl;K-1\n"
                   f"Jan Lis;;;{'9' * 65}\nEwa;;ewa(at)mail.pl;K-3\nIga;+48 70 123 45;;K-4\n"
                   "Anna N.;601 234 567;;K-5\n;;;K-6\n", encoding="utf-8")
    dry = run("import", "--db", str(polish_db), str(src), "--dry-run", "--duplicates", "new")
    assert dry.returncode == 0, dry.stderr
    assert "row 3, column 'Card': text.too_long" in dry.stdout
    done = run("import", "--db", str(polish_db), str(src), "--duplicates", "new")
    assert done.returncode == 0, done.stderr
    predicted = dry.stdout.splitlines()[-1]
    assert predicted == f"dry run: {done.stdout.splitlines()[-1]}; nothing was changed"
    assert "created 3 clients" in predicted and "3 rows rejected" in predicted
    assert len(_client_names(polish_db)) == 3


@pytest.mark.parametrize("name, content, words", [
    ("no-sheet.xlsx", b"PK\x03\x04garbage", "not an Excel workbook"),
    ("nul.csv", b"Name;Notes\nAnna;a\x00b\n", "row 2"),
    ("broken.vcf", (b"BEGIN:VCARD\r\nFN;CHARSET=idna;ENCODING=QUOTED-PRINTABLE:=FF=FE\r\n"
                    b"TEL:601234567\r\nEND:VCARD\r\n"), "line 2"),
    ("wide.csv", b"x;" * 5000 + b"\n", "more than 1000 columns")])
def test_no_traceback_and_no_exit_status_1_on_a_bad_file(tmp_path, polish_db, name, content,
                                                        words):
    src = tmp_path / name
    src.write_bytes(content)
    done = run("import", "--db", str(polish_db), str(src))
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("clientcare: ") and words in done.stderr
    assert "Traceback" not in done.stderr


def _write_lock(path: Path) -> sqlite3.Connection:
    """The window (or another program) in the middle of a save: it holds the write lock."""
    con = sqlite3.connect(path, timeout=0, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    return con


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_agenda_on_a_busy_database_is_a_message_not_a_traceback(db, make_client, capsys,
                                                                 monkeypatch):
    from app import sqlite_file
    make_client("Anna Nowak")
    db.close()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 100)
    holder = _write_lock(db.path)
    try:
        code, _out, err = _main(capsys, "agenda", "--db", str(db.path))
    finally:
        holder.rollback()
        holder.close()
    assert code == 2
    assert "Traceback" not in err
    assert err.strip() == ("clientcare: the database is busy in another program; nothing "
                           "was changed, try again in a moment")


def _clients_csv(tmp_path: Path) -> Path:
    src = tmp_path / "clients.csv"
    src.write_text("Name;Phone\nŁucja Żak;601 234 567\nJan Nowak;601 234 568\n",
                   encoding="utf-8")
    return src


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_import_while_the_window_saves_refuses_with_a_message(tmp_path, db, capsys,
                                                             monkeypatch):
    """The import waits its turn for the busy timeout; still busy: a clear refusal,
    exit 2, nothing imported."""
    from app import sqlite_file
    path = db.path
    db.close()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)
    holder = _write_lock(path)
    try:
        code, _out, err = _main(capsys, "import", "--db", str(path),
                                str(_clients_csv(tmp_path)))
    finally:
        holder.rollback()
        holder.close()
    assert code == 2
    assert "Traceback" not in err and "busy in another program" in err
    assert _client_names(path) == []


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_import_waits_its_turn_while_the_window_saves(tmp_path, db, capsys):
    path = db.path
    db.close()
    holder = _write_lock(path)
    release = threading.Timer(0.5, lambda: (holder.rollback(), holder.close()))
    release.start()
    started = time.monotonic()
    code, out, err = _main(capsys, "import", "--db", str(path), str(_clients_csv(tmp_path)))
    release.join()
    assert code == 0, err
    assert time.monotonic() - started >= 0.4  # it waited for the save to end
    assert "created 2 clients" in out
    assert sorted(_client_names(path)) == ["Jan Nowak", "Łucja Żak"]


@pytest.mark.sqlite_only("a read-only SQLite file")
def test_a_read_only_database_on_the_command_line_is_a_message(db, make_client, capsys,
                                                              monkeypatch):
    make_client("Anna Nowak")
    db.close()
    real = db_module._make_engine

    def read_only_engine(p):
        engine = real(p)
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA query_only=ON"))
        return engine

    monkeypatch.setattr(db_module, "_make_engine", read_only_engine)
    code, _out, err = _main(capsys, "agenda", "--db", str(db.path))
    assert code == 2 and "Traceback" not in err
    assert "cannot be written (read-only)" in err


def test_check_of_a_file_left_mid_save_says_so_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "shop.sqlite"
    before = _hot_journal(path)
    code, out, err = _main(capsys, "check", "--db", str(path))
    assert code == 2 and out == ""
    assert "left mid-save" in err and "Traceback" not in err
    assert path.read_bytes() == before and Path(f"{path}-journal").exists()


@pytest.mark.sqlite_only("about the SQLite file itself (its check, backups or write lock)")
def test_backup_warns_when_the_clock_looks_wrong(db, make_client, capsys):
    make_client("Anna Nowak")
    backups.make_backup(db.path, "start", now=datetime.now() + timedelta(weeks=4))
    code, out, err = _main(capsys, "backup", "--db", str(db.path))
    assert code == 0 and out.strip()
    assert "check the computer's clock" in err
    assert len(backups.list_backups(db.path)) == 2  # the new one was not rotated away


@pytest.mark.parametrize("command", [
    ["backup"], ["check"], ["agenda"], ["metrics"], ["export", "OUT"], ["export-ics", "OUT"]])
def test_a_0_byte_database_is_empty_not_missing(tmp_path, command):
    """Every command that needs a database says an empty file is empty (and how to make
    it one), not that it does not exist, and leaves it as it is."""
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    args = [str(tmp_path / ("out.ics" if command[0] == "export-ics" else "out.csv"))
            if a == "OUT" else a for a in command]
    done = run(args[0], "--db", str(empty), *args[1:])
    assert done.returncode == 2, done.stdout
    assert "is empty (0 bytes)" in done.stderr and "does not exist" not in done.stderr
    assert "Traceback" not in done.stderr and empty.stat().st_size == 0


def test_import_shows_its_progress_on_a_terminal_only(tmp_path, db, monkeypatch, capsys):
    """On a terminal the check and the writing of a file are shown on stderr, one line
    written over; piped, stderr stays quiet. The import remembers the mapping, as the
    window does (one use case for both)."""
    import io

    from app import cli
    from app.services import settings as settings_service
    path = db_target(db)
    db.close()
    src = tmp_path / "clients.csv"
    src.write_text("Name;Phone\n" + "".join(f"Client {i};60{i:07d}\n" for i in range(30)),
                   encoding="utf-8")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["import", "--db", str(path), str(src)]) == 0
    shown = terminal.getvalue()
    assert "checking the file: row 30 of 30" in shown
    assert "importing: 30 of 30 rows" in shown
    assert "planning the calls of the imported clients" in shown
    assert shown.endswith("\r\x1b[K")  # the line is cleared before the report
    assert "created 30 clients" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # piped: no progress
    assert cli.main(["import", "--db", str(path), str(src)]) == 0
    assert sys.stderr.getvalue() == ""
    again = _open(path)
    try:
        with again.sessions() as s:
            assert "clients:" in settings_service.get(s, "import.mappings")
    finally:
        again.close()


def test_agenda_runs_the_windows_start_of_the_day_before_it_prints(db, make_client, capsys):
    """The agenda is the day's list as Today shows it: the same start of the day first
    (the 12-month values moved to today, once a day; the due calls brought up to date)."""
    from app.models import Client
    from app.services import startup
    today = date.today()
    anna = make_client("Anna", phone="601 234 567",
                       purchases=[(today - timedelta(days=3), "50.00")])
    with db.session() as s:  # values as of a year ago: the window was not opened since
        s.get(Client, anna).value_12m = 0
        settings_service.put(s, startup.STATS_AS_OF, (today - timedelta(days=365)).isoformat())
    code, out, _err = _main(capsys, "agenda", "--db", db_target(db), "--json")
    assert code == 0
    printed = json.loads(out)
    assert [c["client"] for c in printed["calls"]] == ["Anna"]  # her follow-up is due
    with db.sessions() as s:
        assert settings_service.get(s, startup.STATS_AS_OF) == today.isoformat()
        assert s.get(Client, anna).value_12m == 50
    later = today + timedelta(days=30)
    code, out, _err = _main(capsys, "agenda", "--db", db_target(db), "--date",
                            later.isoformat(), "--json")
    assert code == 0 and json.loads(out)["date"] == later.isoformat()
    with db.sessions() as s:  # another day's list does not move the values to that day
        assert settings_service.get(s, startup.STATS_AS_OF) == today.isoformat()


def test_metrics_from_after_as_of_is_refused(shop, capsys):
    code, out, err = _metrics(capsys, "--db", str(shop.path), "--from", "2026-05-01",
                              "--as-of", "2026-04-30", "--json")
    assert (code, out) == (2, "")
    assert "--from 2026-05-01 is after --as-of 2026-04-30" in err
    assert "Traceback" not in err


def test_metrics_as_of_counts_nothing_after_it(shop, capsys):
    """A purchase after --as-of (in its month) is not in the month's figures."""
    code, out, err = _metrics(capsys, "--db", db_target(shop), "--as-of", "2026-06-01",
                              "--json")
    assert code == 0, err
    got = json.loads(out)
    assert got["end"] == "2026-06-01"
    want = _direct(shop, date(2025, 7, 1), date(2026, 6, 1), By.MONTH, date(2026, 6, 1))
    assert {k: v for k, v in got.items() if k != "definitions"} == want
    with shop.sessions() as s:
        raw = metrics.to_jsonable(metrics.report(s, date(2025, 7, 1), date(2026, 6, 1),
                                                 By.MONTH, date(2026, 6, 1), from_rows=True))
    assert {k: v for k, v in got.items() if k != "definitions"} == raw
