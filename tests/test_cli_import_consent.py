"""``clientcare import --consent-source TEXT --consent-date DATE``: marketing consent for
every client of a file of clients, from the command line (app/cli.py)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cli
from app.db import open_database
from app.models import Client, ConsentEvent

GIVEN = date.today() - timedelta(days=30)
CLIENTS = "Name;Phone;Zgoda\nAnna Kowalska;601 234 567;\nJan Nowak;602 345 678;nie\n"


@pytest.fixture
def shop(tmp_path) -> tuple[Path, Path]:
    path = tmp_path / "shop.sqlite"
    assert cli.main(["init", "--db", str(path), "--country", "PL"]) == 0
    src = tmp_path / "clients.csv"
    src.write_text(CLIENTS, encoding="utf-8")
    return path, src


def consent_of(path: Path) -> tuple[dict[str, tuple], list[tuple]]:
    db = open_database(path, create=False)
    try:
        with db.session() as s:
            clients = {c.name: (c.marketing_consent, c.marketing_consent_on)
                       for c in s.scalars(select(Client))}
            log = [(e.consent, e.consent_on, e.note)
                   for e in s.scalars(select(ConsentEvent))]
            return clients, log
    finally:
        db.close()


def test_import_records_the_consent_of_the_whole_file(shop, capsys):
    path, src = shop
    capsys.readouterr()
    assert cli.main(["import", "--db", str(path), str(src), "--consent-source",
                     "paper forms 2025", "--consent-date", GIVEN.isoformat()]) == 0
    out = capsys.readouterr().out
    assert (f"marketing consent recorded for 1 clients (source 'paper forms 2025', given "
            f"on {GIVEN.isoformat()})") in out
    clients, log = consent_of(path)
    assert clients == {"Anna Kowalska": (True, GIVEN), "Jan Nowak": (False, None)}
    assert log == [(True, GIVEN, "paper forms 2025")]


def test_a_dry_run_says_how_many_and_changes_nothing(shop, capsys):
    path, src = shop
    capsys.readouterr()
    assert cli.main(["import", "--db", str(path), str(src), "--dry-run", "--consent-source",
                     "shop", "--consent-date", GIVEN.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "dry run: created 2 clients" in out
    assert "marketing consent recorded for 1 clients (source 'shop'" in out
    assert consent_of(path) == ({}, [])


@pytest.mark.parametrize(("options", "says"), [
    (["--consent-source", "shop", "--consent-date",
      (date.today() + timedelta(days=1)).isoformat()], "--consent-date is after today"),
    (["--consent-source", "   ", "--consent-date", GIVEN.isoformat()],
     "--consent-source is empty"),
    (["--consent-source", "x" * 201, "--consent-date", GIVEN.isoformat()],
     "longer than 200 characters"),
    (["--consent-source", "shop"], "--consent-source and --consent-date go together"),
    (["--consent-date", GIVEN.isoformat()], "go together"),
    (["--consent-source", "shop", "--consent-date", GIVEN.isoformat(), "--kind",
      "purchases"], "for a file of clients only"),
])
def test_a_wrong_consent_is_refused_and_nothing_is_imported(shop, capsys, options, says):
    path, src = shop
    capsys.readouterr()
    assert cli.main(["import", "--db", str(path), str(src), *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clientcare: ") and says in err and "Traceback" not in err
    db = open_database(path, create=False)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Client)) == 0
    finally:
        db.close()


def test_a_date_that_is_no_date_is_refused_by_the_option(shop, capsys):
    path, src = shop
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", "--db", str(path), str(src), "--consent-source", "shop",
                  "--consent-date", "31.02.2026"])
    assert exc.value.code == 2
    assert "not a date in the form YYYY-MM-DD: 31.02.2026" in capsys.readouterr().err
