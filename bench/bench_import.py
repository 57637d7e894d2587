"""Benchmark: importing clients and purchases from CSV.

    .venv/bin/python bench/bench_import.py [--clients 5000] [--purchases 20000]

Writes a Polish client list in cp1250 (names, phones, e-mails, birthdays) and a UTF-8
purchase list (phone, date, amount with a decimal comma), then times reading and
checking (the wizard's preview) and writing (the import, one transaction) of each into a
new database.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import print_table  # noqa: E402
from faker import Faker  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services.io import importer  # noqa: E402


def write_files(folder: Path, clients: int, purchases: int, seed: int = 1) -> tuple[Path, Path]:
    fake, rnd = Faker("pl_PL"), random.Random(seed)
    Faker.seed(seed)
    phones = [f"+48 6{rnd.randrange(10**7, 10**8)}" for _ in range(clients)]
    rows = ["Imię;Nazwisko;Telefon;E-mail;Data urodzenia"]
    rows += [f"{fake.first_name()};{fake.last_name()};{phones[i]};c{i}@example.com;"
             f"{rnd.randrange(1, 28):02d}.{rnd.randrange(1, 13):02d}.19{rnd.randrange(40, 99)}"
             for i in range(clients)]
    c = folder / "clients.csv"
    c.write_text("\n".join(rows), encoding="cp1250")
    lines = ["Telefon;Data;Kwota;Towar"]
    lines += [f"{rnd.choice(phones)};{rnd.randrange(1, 28):02d}.{rnd.randrange(1, 11):02d}.2026;"
              f"{rnd.randrange(1, 90)},{rnd.randrange(0, 100):02d};kawa"
              for _ in range(purchases)]
    p = folder / "purchases.csv"
    p.write_text("\n".join(lines), encoding="utf-8")
    return c, p


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=5000)
    ap.add_argument("--purchases", type=int, default=20000)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    files = write_files(folder, args.clients, args.purchases)
    db = open_database(folder / "bench.sqlite")
    rows = []
    for path, kind in zip(files, ("clients", "purchases"), strict=True):
        t0 = time.perf_counter()
        table = importer.read_table(path)
        mapping = importer.guess_mapping(table.headers, kind)
        with db.sessions() as s:
            plan = importer.plan_import(s, table, mapping, kind, "PL")
        t1 = time.perf_counter()
        with db.session() as s:
            report = importer.apply_import(s, plan, "PL")
        t2 = time.perf_counter()
        rows.append((f"{kind}: read and check", (t1 - t0) * 1000, f"{len(table.rows):,} rows"))
        rows.append((f"{kind}: write (one transaction)", (t2 - t1) * 1000,
                     f"{report.created + report.purchases:,} written"))
    db.close()
    print_table(["what", "ms", "note"], [(w, f"{ms:.0f}", n) for w, ms, n in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
