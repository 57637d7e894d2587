"""Benchmark: importing clients and purchases from CSV, beside plain sqlite3.

    .venv/bin/python bench/bench_import.py [--rows 100000]     # --rows 1000000: the million

Writes a Polish client list in cp1250 (names, phones, e-mails, birthdays) and a UTF-8
purchase list of as many rows (phone, date, amount with a decimal comma, item), then,
for clients and then for purchases (into the database the clients were imported into):

- the app: ``clientcare import``'s way through (read the file, check it, write it in one
  transaction, make the figures and calls of the imported clients again), in a process
  of its own, timed stage by stage: the check pass (read and check, the preview), the
  write pass (the rows inserted), the refresh (figures and calls) and the whole;
- the floor: plain sqlite3 ``executemany`` inserting the same rows (the same columns and
  values the app wrote, read back from the app's database) into the same tables of a
  fresh copy of the same database, in one transaction, in a process of its own.

Each process reports its peak resident memory (``ru_maxrss``). The table gives rows/s and
the app's rows/s as a share of the floor's (the brief's target: the write pass >= 50 %);
the floor runs three times (its median counts: the machine is shared), and the load is
printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import print_table  # noqa: E402

#: runs of the floor (its median is the figure)
FLOOR_RUNS = 3
#: the tables each import writes
TABLES = {"clients": ("clients", "personal_dates", "consent_events"), "purchases": ("purchases",)}

FIRST = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa",
         "Krystyna", "Elżbieta", "Zofia", "Piotr", "Krzysztof", "Andrzej", "Tomasz",
         "Paweł", "Michał", "Marcin", "Jakub", "Łukasz", "Grzegorz", "Żaneta", "Jerzy"]
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowski",
        "Zielińska", "Szymański", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur",
        "Kwiatkowski", "Krawczyk", "Piotrowska", "Grabowski", "Nowakowska", "Pawłowski",
        "Michalska", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Stępień", "Górski"]


def write_files(folder: Path, clients: int, purchases: int, seed: int = 1) -> tuple[Path, Path]:
    """A client list (cp1250, ";") and a purchase list of their phones (UTF-8), written
    line by line (a million rows take no memory)."""
    rnd = random.Random(seed)
    phones = rnd.sample(range(10**7, 10**8), clients)
    c = folder / "clients.csv"
    with c.open("w", encoding="cp1250", newline="") as fh:
        fh.write("Imię;Nazwisko;Telefon;E-mail;Data urodzenia\n")
        for i, phone in enumerate(phones):
            fh.write(f"{rnd.choice(FIRST)};{rnd.choice(LAST)};+48 6{phone};c{i}@example.com;"
                     f"{rnd.randrange(1, 28):02d}.{rnd.randrange(1, 13):02d}."
                     f"19{rnd.randrange(40, 99)}\n")
    p = folder / "purchases.csv"
    items = ["kawa", "herbata", "strzyżenie", "manicure", "karnet", "masaż", "krem"]
    with p.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Telefon;Data;Kwota;Towar\n")
        for _ in range(purchases):
            fh.write(f"+48 6{rnd.choice(phones)};{rnd.randrange(1, 28):02d}."
                     f"{rnd.randrange(1, 11):02d}.2026;{rnd.randrange(1, 90)},"
                     f"{rnd.randrange(0, 100):02d};{rnd.choice(items)}\n")
    return c, p


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- in a process

def run_app(db_path: Path, path: Path, kind: str, consent: bool = False) -> dict:
    """The import as ``clientcare import`` runs it (without its backup, which the
    benchmark of backups measures), stage by stage; ``consent``: with marketing consent
    recorded for the whole file of clients (``--consent-source``)."""
    from app.db import open_database
    from app.services import imports
    from app.services.io import importer

    class Clock:
        def __init__(self) -> None:
            self.marks: dict[str, float] = {}

        def report(self, done, total=None, text=None) -> None:
            now = time.perf_counter()
            if text == importer.STAGE_SCHEDULE and text not in self.marks:
                # the rows are written: their figures now, beside the database (a run
                # of a million rows takes long to make the calls of every client)
                Path(f"{db_path}.rows.json").write_text(json.dumps({
                    "check": t1 - t0, "write": self.marks["rows done"]
                    - self.marks[importer.STAGE_ROWS], "peak_mb": peak_mb()}))
            self.marks.setdefault(text, now)
            if text == importer.STAGE_ROWS:
                self.marks["rows done"] = now

        def check(self) -> None:
            pass

    db = open_database(db_path, create=False)
    clock = Clock()
    t0 = t1 = time.perf_counter()
    table = importer.read_table(path, region="PL")
    mapping = importer.guess_mapping(table.headers, kind)
    with db.sessions() as s:
        plan = importer.plan_import(s, table, mapping, kind, "PL")
    t1 = time.perf_counter()
    with db.session() as s:
        given = importer.FileConsent(date(2026, 1, 5), "bench") if consent and \
            kind == "clients" else None
        report = imports.import_plan(s, db.path, table, kind, mapping, plan, "PL",
                                     progress=clock, backup=False, consent=given).report
        t3 = time.perf_counter()
    t4 = time.perf_counter()
    db.close()
    t2 = clock.marks.get(importer.STAGE_SCHEDULE, t3)
    rows_from = clock.marks.get(importer.STAGE_ROWS, t1)
    rows_to = clock.marks.get("rows done", t2)
    return {"rows": len(table.rows), "check": t1 - t0, "write": rows_to - rows_from,
            "before": rows_from - t1, "refresh": t3 - rows_to,
            "commit": t4 - t3, "whole": t4 - t0, "written": report.created + report.purchases,
            "rejected": report.rejected, "peak_mb": peak_mb()}


def rows_written(before: Path, after: Path, kind: str) -> dict[str, tuple[list[str], list]]:
    """The rows the app added to each table, every column as stored."""
    out = {}
    with sqlite3.connect(after) as new, sqlite3.connect(before) as old:
        for table in TABLES[kind]:
            last = old.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            cur = new.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", (last,))
            out[table] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def run_floor(db_path: Path, before: Path, after: Path, kind: str) -> dict:
    """Plain sqlite3: the same rows into the same tables of a copy of the same file,
    ``executemany`` in one transaction, with the app's pragmas (WAL, synchronous)."""
    from app import db as db_module

    data = rows_written(before, after, kind)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={db_module.SYNCHRONOUS}")
    conn.execute("PRAGMA foreign_keys=ON")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for table, (columns, rows) in data.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    conn.execute("COMMIT")
    t1 = time.perf_counter()
    conn.close()
    return {"insert": t1 - t0, "rows": {t: len(r) for t, (_c, r) in data.items()},
            "peak_mb": peak_mb()}


def run_floor_from_staging(staging: Path, base: Path, target: Path) -> dict:
    """The purchases' floor without waiting for the app's commit (a million clients'
    calls take long to make): the very values the app's insert passed, read from the
    import's staging file, into a copy of ``base`` (the database before the import)."""
    from app import db as db_module

    with sqlite3.connect(f"file:{base}?mode=ro", uri=True) as src, \
            sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(staging) as st:
        rows = [(r[0], r[3], r[4], r[5], r[6], r[7], r[8]) for r in (
            marshal.loads(b) for (b,) in st.execute("SELECT rec FROM staged ORDER BY row"))]
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={db_module.SYNCHRONOUS}")
    conn.execute("PRAGMA foreign_keys=ON")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO purchases (client_id, purchased_on, amount, quantity, item, "
                     "note, import_key) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    t1 = time.perf_counter()
    conn.close()
    return {"insert": t1 - t0, "rows": len(rows), "rows_s": len(rows) / (t1 - t0),
            "peak_mb": peak_mb()}


def in_process(*args: str) -> dict:
    """One measure in a fresh ``nice``d process (its own peak memory)."""
    got = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=False, env={**os.environ, "PYTHONPATH": str(
                             Path(__file__).resolve().parents[1])})
    if got.returncode:
        raise SystemExit(got.stderr)
    return json.loads(got.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the run

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000,
                    help="rows of each file (clients, then purchases of those clients)")
    ap.add_argument("--keep", action="store_true", help="keep the files and databases")
    ap.add_argument("--consent", action="store_true",
                    help="import the clients with marketing consent for the whole file")
    ap.add_argument("--_app", nargs=4, metavar=("DB", "FILE", "KIND", "CONSENT"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--_floor", nargs=4, metavar=("DB", "BEFORE", "AFTER", "KIND"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--floor-from-staging", nargs=3, metavar=("STAGING", "BASE", "TARGET"),
                    help="the purchases' floor from an import's staging file (a run of a "
                         "million rows, while the app's refresh still runs)")
    args = ap.parse_args()
    if args._app:
        print(json.dumps(run_app(Path(args._app[0]), Path(args._app[1]), args._app[2],
                                 args._app[3] == "1")))
        return 0
    if args.floor_from_staging:
        print(json.dumps(run_floor_from_staging(*map(Path, args.floor_from_staging))))
        return 0
    if args._floor:
        a = args._floor
        print(json.dumps(run_floor(Path(a[0]), Path(a[1]), Path(a[2]), a[3])))
        return 0

    from app.db import open_database

    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        t = time.perf_counter()
        files = dict(zip(("clients", "purchases"), write_files(folder, args.rows, args.rows),
                         strict=True))
        print(f"files of {args.rows:,} rows written in {time.perf_counter() - t:.0f} s "
              f"({folder})", file=sys.stderr)
        base = folder / "empty.sqlite"
        open_database(base).close()
        results = []
        for kind in ("clients", "purchases"):
            app_db, floor_db = folder / f"app-{kind}.sqlite", folder / f"floor-{kind}.sqlite"
            shutil.copy(base, app_db)
            app = in_process("--_app", str(app_db), str(files[kind]), kind,
                             "1" if args.consent else "0")
            print(f"{kind}: app {app}", file=sys.stderr)
            floors = []
            for _ in range(FLOOR_RUNS):  # the median of three: the machine is shared
                shutil.copy(base, floor_db)
                floors.append(in_process("--_floor", str(floor_db), str(base), str(app_db),
                                         kind))
                print(f"{kind}: floor {floors[-1]}", file=sys.stderr)
            floor = sorted(floors, key=lambda f: f["insert"])[len(floors) // 2]
            results.append((kind, app, floor))
            base = app_db  # the purchases go into the database with the clients
        rows = []
        for kind, app, floor in results:
            n = app["rows"]
            floor_rate = n / floor["insert"]
            tables = ", ".join(f"{c:,} {t}" for t, c in floor["rows"].items())
            for stage, seconds in (("check pass (read, check)", app["check"]),
                                   ("write pass (rows inserted)", app["write"]),
                                   ("between (mapping remembered, next id)", app["before"]),
                                   ("refresh (figures, calls) + commit",
                                    app["refresh"] + app["commit"]),
                                   ("whole import", app["whole"])):
                rate = n / seconds if seconds else float("inf")
                counted = not stage.startswith("between")
                rows.append((f"{kind}: app {stage}", f"{seconds:.1f}",
                             f"{rate:,.0f}" if counted else "",
                             f"{100 * rate / floor_rate:.0f} %" if counted else "",
                             f"{app['peak_mb']:.0f}" if stage == "whole import" else ""))
            rows.append((f"{kind}: floor, sqlite3 executemany ({tables}), median of "
                         f"{FLOOR_RUNS}",
                         f"{floor['insert']:.1f}", f"{floor_rate:,.0f}", "100 %",
                         f"{floor['peak_mb']:.0f}"))
        print(f"{args.rows:,} rows a file, {date.today()}, load {load:.2f} at the start, "
              f"{os.getloadavg()[0]:.2f} at the end")
        print_table(["what", "s", "rows/s", "of the floor", "peak RSS MB"], rows)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
