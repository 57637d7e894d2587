"""A/B/C groups right after an import (app/services/io/importer.py ``_Writer.refresh``):
every client has the group the start of a day gives, the same day, in the window's use
case and on the command line; a client the import moves out of A loses the keep-in-touch
call at once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text

from app import cli
from app.models import Client, Task
from app.models.enums import TaskKind, TaskStatus
from app.services import imports, startup
from app.services import settings as settings_service
from app.services.clients import STATS_AS_OF
from app.services.io.importer import guess_mapping, plan_import, read_table

REGION = "PL"
TODAY = date.today()


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def day(n: int) -> str:
    return (TODAY - timedelta(days=n)).strftime("%d.%m.%Y")


def run(db, path: Path, kind: str) -> None:
    """The import as the wizard runs it (the use case), without its backup."""
    with db.session() as s:
        table = read_table(path)
        mapping = guess_mapping(table.headers, kind)
        plan = plan_import(s, table, mapping, kind, REGION, today=TODAY)
        imports.import_plan(s, db.path, table, kind, mapping, plan, REGION, today=TODAY,
                            backup=False, create_unknown=True)


def groups(db) -> dict[str, str | None]:
    with db.session() as s:
        return {name: seg for name, seg in s.execute(select(Client.name, Client.segment))}


def shop(db, make_client) -> None:
    """Twelve clients with purchases, grouped by a start of the day."""
    for i in range(12):
        make_client(f"Old {i}", phone=f"+48 601 000 {i:03d}",
                    purchases=[(TODAY - timedelta(days=10 * k + i), f"{(i + 1) * 10}")
                               for k in range(1 + i % 4)])
    with db.session() as s:
        startup.start_of_day(s, TODAY)


def test_an_import_the_same_day_groups_every_client_as_the_next_start_would(
        db, make_client, tmp_path):
    shop(db, make_client)
    before = groups(db)
    assert None not in before.values()
    new = write(tmp_path, "clients.csv", ["Name;Phone"] + [
        f"New {i};+48 602 000 {i:03d}" for i in range(20)])
    run(db, new, "clients")
    # purchases of new clients and of old ones: the ranking of everyone moves
    bought = ["Telefon;Data;Kwota"]
    bought += [f"+48 602 000 {i:03d};{day(d)};{500 + 40 * i},00"
               for i in range(0, 20, 3) for d in (3, 9, 27)]
    bought += [f"+48 601 000 {i:03d};{day(2)};{5 * i},50" for i in range(12)]
    bought += [f"+48 603 000 001;{day(4)};75,00"]  # a client the file creates
    run(db, write(tmp_path, "purchases.csv", bought), "purchases")
    got = groups(db)
    assert None not in got.values(), [n for n, g in got.items() if g is None]
    assert len(got) == 33
    assert got != before | dict.fromkeys(set(got) - set(before), "C")  # some moved
    assert {"A", "B", "C"} <= set(got.values())
    # the reference: a start of the day that recomputes and ranks everybody
    with db.session() as s:
        startup.start_of_day(s, TODAY, full=True)
    assert groups(db) == got


def test_a_command_line_import_groups_the_clients_of_a_new_file(tmp_path, capsys):
    path = tmp_path / "shop.sqlite"
    assert cli.main(["init", "--db", str(path), "--country", "PL"]) == 0
    src = write(tmp_path, "clients.csv", ["Name;Phone", "Anna Kowalska;601 234 567",
                                          "Jan Nowak;602 345 678"])
    assert cli.main(["import", "--db", str(path), str(src)]) == 0
    bought = write(tmp_path, "purchases.csv", ["Telefon;Data;Kwota"] + [
        f"601 234 567;{day(d)};100,00" for d in (5, 15, 25)] + ["602 345 678;" + day(3)
                                                               + ";5,00"])
    assert cli.main(["import", "--db", str(path), "--kind", "purchases", str(bought)]) == 0
    capsys.readouterr()
    from app.db import open_database
    db = open_database(path, create=False)
    try:
        assert groups(db) == {"Anna Kowalska": "A", "Jan Nowak": "C"}
        with db.session() as s:
            assert settings_service.get(s, STATS_AS_OF) == TODAY.isoformat()
    finally:
        db.close()


def test_a_client_the_import_moves_out_of_a_loses_the_keep_in_touch_call(
        db, make_client, tmp_path):
    carl = make_client("Carl", phone="+48 601 111 111", marketing_consent=True,
                       marketing_consent_on=TODAY - timedelta(days=200),
                       purchases=[(TODAY - timedelta(days=d), "300") for d in (5, 15, 25)])
    make_client("Dora", phone="+48 601 222 222",
                purchases=[(TODAY - timedelta(days=d), "10") for d in (5, 15, 25)])
    with db.session() as s:  # Carl has been a client for 100 days, no positive contact
        s.execute(text("UPDATE clients SET created_at = :t"),
                  {"t": f"{TODAY - timedelta(days=100)} 09:00:00"})
        startup.start_of_day(s, TODAY, full=True)

    def keep_in_touch(db) -> list[str]:
        with db.session() as s:
            return [t.status.value for t in s.scalars(select(Task).where(
                Task.client_id == carl, Task.kind == TaskKind.KEEP_IN_TOUCH))]

    assert groups(db)["Carl"] == "A"
    assert keep_in_touch(db) == [TaskStatus.OPEN.value]
    # a new client who buys far more: Carl is no longer in the first 80 % of the revenue
    big = write(tmp_path, "purchases.csv", ["Telefon;Data;Kwota;Klient"] + [
        f"+48 605 000 000;{day(d)};9000,00;Ewa Big" for d in (4, 8, 12)])
    run(db, big, "purchases")
    got = groups(db)
    assert (got["Ewa Big"], got["Carl"]) == ("A", "C")
    assert TaskStatus.OPEN.value not in keep_in_touch(db)  # Carl was not written, yet
