"""The packaged program itself (issue 19), when a build is there: dist/clientcare after
`make package`, or the folder in CLIENTCARE_PACKAGE_DIR (packaging/smoke.sh points it at
the .deb's /opt/clientcare, and CLIENTCARE_PORTABLE_DIR at the unzipped portable zip).

Without a build these tests are skipped (``make test`` runs before ``make package``);
with CLIENTCARE_REQUIRE_PACKAGE=1 (smoke.sh, CI) a missing build fails instead."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from app import __version__
from app.quick_open import HEAD_REVISION
from app.services.demo import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(os.environ.get("CLIENTCARE_PACKAGE_DIR") or ROOT / "dist" / "clientcare")
REQUIRED = os.environ.get("CLIENTCARE_REQUIRE_PACKAGE") == "1"
#: the first start of a cold build on a slow CI machine imports a lot from the disk
TIMEOUT_S = 300

if not (PACKAGE / "clientcare-cli").exists() and not (PACKAGE / "clientcare-cli.exe").exists():
    if REQUIRED:
        raise RuntimeError(f"CLIENTCARE_REQUIRE_PACKAGE=1 but no packaged build in {PACKAGE}")
    pytest.skip(f"no packaged build in {PACKAGE} (make package)", allow_module_level=True)


def _program(folder: Path, name: str) -> str:
    exe = folder / (name + ".exe")
    return str(exe if exe.exists() else folder / name)


@pytest.fixture
def home(tmp_path) -> Path:
    """A user of their own: the data folder (platformdirs) lands in it."""
    path = tmp_path / "home"
    path.mkdir()
    return path


def run(home: Path, *args: str, folder: Path = PACKAGE, gui: bool = False,
        check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLIENTCARE_", "XDG_", "PYTHON"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
               QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8")
    done = subprocess.run([_program(folder, "clientcare" if gui else "clientcare-cli"),
                           *args], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S, cwd=str(home))
    if check:
        assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _smoke_counts(out: str) -> tuple[int, int, str]:
    found = re.search(r"painted (\d+) rows of (\d+) clients; pages shown: (.*)", out)
    assert found, out
    return int(found[1]), int(found[2]), found[3]


def test_version_and_help_name_the_version(home):
    assert run(home, "--version").stdout.strip() == f"ClientCare {__version__}"
    helped = run(home, "--help").stdout
    assert f"ClientCare {__version__}" in helped and "demo" in helped
    assert "--smoke-test" not in helped  # for CI, not a user's option
    # the window's program answers the command line too (on Linux it has a console)
    assert run(home, "--version", gui=True).stdout.strip() == f"ClientCare {__version__}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_demo_in_every_locale_of_the_demo(home, tmp_path, locale):
    demo = tmp_path / f"{locale}.sqlite"
    made = run(home, "demo", str(demo), "--locale", locale, "--clients", "25")
    assert "created" in made.stdout and "clients=25" in made.stdout


def test_a_demo_then_the_window_shows_its_client_list_and_every_page(home, tmp_path):
    demo = tmp_path / "x.sqlite"
    made = run(home, "demo", str(demo), "--locale", "pl_PL")
    assert "created" in made.stdout and "clients=300" in made.stdout
    shown = run(home, "--smoke-test", "--db", str(demo), gui=True)
    rows, total, pages = _smoke_counts(shown.stdout)
    assert rows > 0 and total == 300
    assert pages == "Today, Calendar, Complaints, Charts, Settings"
    # the exit backup was made: the backups work in the build
    assert any((demo.parent / "backups").glob("x-exit-*.sqlite"))


def test_the_window_speaks_russian_from_the_bundled_translations(home, tmp_path):
    demo = tmp_path / "ru.sqlite"
    run(home, "demo", str(demo), "--locale", "ru_RU", "--clients", "40")
    shown = run(home, "--smoke-test", "--lang", "ru", "--db", str(demo), gui=True)
    _rows, total, pages = _smoke_counts(shown.stdout)
    assert total == 40
    assert pages.split(", ")[0] == "Сегодня" and "Графики" in pages


def test_without_a_path_the_data_is_in_the_user_s_folder_as_from_source(home):
    run(home, "init")
    # platformdirs' user data folder, the same as `make run` (README "Where the data lives")
    assert (home / ".local" / "share" / "ClientCare" / "clientcare.sqlite").is_file()


def _old_database(path: Path, revision: str = "0012") -> None:
    """A database an older ClientCare left: the demo, then downgraded by the source's
    own migrations to ``revision``."""
    from alembic import command

    from app.db import open_database
    from app.services.demo_file import create_demo_file
    from app.sqlite_file import alembic_config
    create_demo_file(path, clients=60, locale="en_US", seed=7)
    db = open_database(path)
    try:
        with db.engine.begin() as conn:
            command.downgrade(alembic_config(conn), revision)
    finally:
        db.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_an_older_database_is_upgraded_after_a_backup(home, tmp_path):
    old = tmp_path / "shop.sqlite"
    _old_database(old)
    assert _revision(old) == "0012"
    shown = run(home, "--smoke-test", "--db", str(old), gui=True)
    assert _smoke_counts(shown.stdout)[1] == 60
    assert _revision(old) == HEAD_REVISION
    before = sorted((tmp_path / "backups").glob(f"shop-before-{HEAD_REVISION}*.sqlite"))
    assert len(before) == 1
    assert _revision(before[0]) == "0012"  # the file as it was, kept


@pytest.fixture
def portable(tmp_path) -> Path:
    """The portable program: CLIENTCARE_PORTABLE_DIR, else the zip of dist/ unzipped."""
    given = os.environ.get("CLIENTCARE_PORTABLE_DIR")
    if given:
        return Path(given)
    zips = sorted((ROOT / "dist").glob("clientcare-*-portable.zip"))
    if not zips:
        if REQUIRED:
            raise AssertionError("no portable zip in dist/")
        pytest.skip("no portable zip in dist/ (make package)")
    with zipfile.ZipFile(zips[-1]) as z:
        z.extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / "clientcare"
    for name in ("clientcare", "clientcare-cli"):  # zipfile does not keep the modes
        (folder / name).chmod(0o755)
    return folder


def test_the_portable_program_keeps_its_data_beside_it(home, portable):
    assert (portable / "portable.txt").is_file()
    run(home, "init", folder=portable)
    assert (portable / "data" / "clientcare.sqlite").is_file()
    run(home, "backup", folder=portable)
    assert list((portable / "data" / "backups").glob("clientcare-manual-*.sqlite"))
    assert not (home / ".local" / "share" / "ClientCare").exists()


def test_the_risk_scores_of_a_large_file_are_computed_in_a_child_of_the_program(home, tmp_path):
    """A file from CHILD_FROM_BYTES up has its risk scores computed in a child process
    (app/services/risk_worker.py, multiprocessing spawn): in the packaged build the child
    is the program itself, started through main.py's freeze_support."""
    from app.services.risk_worker import CHILD_FROM_BYTES
    path = tmp_path / "large.sqlite"
    run(home, "demo", str(path), "--clients", "120")
    con = sqlite3.connect(path)
    try:  # free pages make the file large without rows the app would read
        con.execute("CREATE TABLE pad(x BLOB)")
        con.executemany("INSERT INTO pad VALUES (zeroblob(1048576))",
                        [()] * (CHILD_FROM_BYTES // 1048576 + 4))
        con.commit()
        con.execute("DROP TABLE pad")
        con.execute("DELETE FROM client_risk")
        con.execute("UPDATE settings SET value = '\"\"' WHERE key = 'internal.risk_run'")
        con.commit()
    finally:
        con.close()
    assert path.stat().st_size >= CHILD_FROM_BYTES
    run(home, "--smoke-test", "--db", str(path), gui=True)
    con = sqlite3.connect(path)
    try:
        kept = con.execute("SELECT count(*) FROM client_risk").fetchone()[0]
    finally:
        con.close()
    assert kept > 0
