"""Benchmark: what durability on power loss costs (``synchronous=FULL`` against NORMAL).

    .venv/bin/python bench/bench_durability.py [--saves 200] [--clients 2000] [--purchases 8000]

In one run, for each setting on its own fresh database: the median time of a card save
(load a client, change the notes, save: one transaction, as the card's Ctrl+S does) over
``--saves`` saves, and the time of an import of ``--clients`` clients then
``--purchases`` purchases (bench/bench_import.py's files). Prints both figures and the
ratio FULL / NORMAL. The app uses FULL (app/db.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import print_table
from bench_import import write_files

from app import db as db_module
from app.services import clients as client_service
from app.services.io import importer


def card_saves(path: Path, saves: int) -> float:
    """Median ms of one card save."""
    db = db_module.open_database(path)
    try:
        with db.session() as s:
            ids = [client_service.save_client(s, client_service.ClientData(name=f"Client {i}"), region="PL")
                   for i in range(20)]
        times = []
        for n in range(saves):
            t0 = time.perf_counter()
            with db.session() as s:
                data = client_service.load_client(s, ids[n % len(ids)])
                data.notes = f"call {n}"
                client_service.save_client(s, data, region="PL")
            times.append(time.perf_counter() - t0)
    finally:
        db.close()
    return statistics.median(times) * 1000


def import_files(path: Path, files: tuple[Path, Path]) -> float:
    """ms of reading, checking and writing both files."""
    db = db_module.open_database(path)
    try:
        t0 = time.perf_counter()
        for src, kind in zip(files, ("clients", "purchases"), strict=True):
            table = importer.read_table(src)
            mapping = importer.guess_mapping(table.headers, kind)
            with db.sessions() as s:
                plan = importer.plan_import(s, table, mapping, kind, "PL")
            with db.session() as s:
                importer.apply_import(s, plan, "PL")
        return (time.perf_counter() - t0) * 1000
    finally:
        db.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--purchases", type=int, default=8000)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-durability-"))
    files = write_files(folder, args.clients, args.purchases)
    results: dict[str, tuple[float, float]] = {}
    chosen = db_module.SYNCHRONOUS
    try:
        for level in ("NORMAL", "FULL"):
            db_module.SYNCHRONOUS = level
            save_ms = card_saves(folder / f"saves-{level}.sqlite", args.saves)
            import_ms = import_files(folder / f"import-{level}.sqlite", files)
            results[level] = (save_ms, import_ms)
    finally:
        db_module.SYNCHRONOUS = chosen
    normal, full = results["NORMAL"], results["FULL"]
    print(f"folder {folder}; the app uses synchronous={chosen}")
    print_table(["what", "NORMAL ms", "FULL ms", "FULL / NORMAL"], [
        (f"card save (median of {args.saves})", f"{normal[0]:.2f}", f"{full[0]:.2f}",
         f"{full[0] / normal[0]:.2f}"),
        (f"import {args.clients:,} clients + {args.purchases:,} purchases",
         f"{normal[1]:.0f}", f"{full[1]:.0f}", f"{full[1] / normal[1]:.2f}"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
