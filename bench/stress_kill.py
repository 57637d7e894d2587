"""Stress: SIGKILL a writer process N times for each kind of write, then check the file.

    .venv/bin/python bench/stress_kill.py [--kills 100] [--kinds client,purchase,...]
                                          [--seed 1] [--keep FOLDER]

Kinds: client, purchase, call, card (a card save), regeneration, import, backup, restore.
For each kill a writer (this script with ``--writer KIND DB``) opens the database the way
the app does and writes in a loop, printing a key only after its commit returned; it is
killed (SIGKILL) after a random 0.05–0.8 s. Then the database must open (else: "files
refused"), pass the full integrity check, and hold every key that was printed ("lost
rows" counts the missing ones). For backups every promised backup must be listed and
pass the full check, and no ``.partial`` may stay after the next start's clean-up; for
restores the file must be whole and hold exactly the old or the restored data.

"committed rows checked" sums, over the kills, the rows promised so far (each is checked
again after every later kill); for backups the promised backup files; for restores the
rows of the file; for regeneration one check per kill.

Not part of the unit suite (tests/test_crash_safety.py and tests/test_backups.py run a
few kills); POSIX only. Bounded: N kills per kind, each writer at most 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("client", "purchase", "call", "card", "regeneration", "import", "backup", "restore")


# --------------------------------------------------------------------------- the writers


def _say(key: str) -> None:
    sys.stdout.write(key + "\n")
    sys.stdout.flush()


def writer(kind: str, path: Path, tag: str) -> None:
    from sqlalchemy import select

    from app.db import open_database
    from app.models import Client
    from app.models.enums import Outcome
    from app.services import backups, calls, schedule
    from app.services import clients as client_service
    from app.services import settings as settings_service
    from app.services.io import importer

    if kind == "restore":  # the database must be closed while it is replaced
        a, b = path.parent / "A.sqlite", path.parent / "B.sqlite"
        print("ready", flush=True)
        n = 0
        while True:
            source = a if n % 2 == 0 else b
            backups.restore(path, source)
            _say(f"{tag}-{n}-{source.stem}")
            n += 1
    db = open_database(path)
    with db.session() as s:
        client_id = s.scalar(select(Client.id).order_by(Client.id).limit(1))
    print("ready", flush=True)
    n = 0
    while True:
        key = f"{tag}-{n}"
        if kind == "client":
            with db.session() as s:
                client_service.save_client(s, client_service.ClientData(name=key, notes=key * 30), region="PL")
        elif kind == "purchase":
            with db.session() as s:
                client_service.add_purchase(s, client_id, client_service.PurchaseData(
                    purchased_on=date(2026, 1, 1), amount=Decimal("1.00"), note=key * 20))
        elif kind == "call":
            with db.session() as s:
                calls.log_call(s, calls.CallLog(client_id=client_id,
                                                outcome=Outcome.REACHED, note=key),
                               now=datetime(2026, 6, 1, 10))
        elif kind == "card":
            with db.session() as s:
                data = client_service.load_client(s, client_id)
                data.notes = key
                data.purchases.append(client_service.PurchaseData(purchased_on=date(2026, 2, 1),
                                                      amount=Decimal("2.00"), note=key))
                client_service.save_client(s, data, region="PL")
        elif kind == "regeneration":
            with db.session() as s:
                schedule.regenerate(s, date(2026, 1, 1) + timedelta(days=n % 400))
                settings_service.put(s, "business.name", key)
        elif kind == "import":
            src = path.parent / f"import-{tag}.csv"
            src.write_text("Name;Phone\n" + "\n".join(f"{key}-{i};" for i in range(5)),
                           encoding="utf-8")
            table = importer.read_table(src)
            mapping = importer.guess_mapping(table.headers, "clients")
            with db.sessions() as s:
                plan = importer.plan_import(s, table, mapping, "clients", "PL")
            with db.session() as s:
                importer.apply_import(s, plan, "PL")
        elif kind == "backup":
            key = str(backups.make_backup(path, "manual").path)
        _say(key)
        n += 1


# --------------------------------------------------------------------------- the checks


def _stored(kind: str, path: Path) -> tuple[set[str] | None, int]:
    """(keys found or None when the file was refused, rows checked)."""
    from sqlalchemy import func, select

    from app.db import integrity_check, open_database
    from app.errors import DomainError
    from app.models import Client, Contact, Purchase
    from app.services import settings as settings_service

    try:  # as the app does: the open finishes SQLite's recovery, then the full check
        db = open_database(path, create=False)
    except DomainError:
        return None, 0
    if integrity_check(path):
        db.close()
        return None, 0
    try:
        with db.sessions() as s:
            if kind in ("client", "import"):
                keys = set(s.scalars(select(Client.name)))
            elif kind == "purchase":
                keys = {n[: len(n) // 20] for n in s.scalars(select(Purchase.note))}
            elif kind == "call":
                keys = set(s.scalars(select(Contact.note)))
            elif kind == "card":
                keys = set(s.scalars(select(Purchase.note)))
            elif kind == "regeneration":
                keys = {settings_service.get(s, "business.name")}
            else:
                keys = set(s.scalars(select(Client.name)))
            rows = s.scalar(select(func.count()).select_from(Client)) + \
                s.scalar(select(func.count()).select_from(Purchase))
    finally:
        db.close()
    return keys, rows


def _seed(path: Path) -> None:
    from app.db import open_database
    from app.services import clients as client_service
    db = open_database(path)
    try:
        with db.session() as s:
            client_service.save_client(s, client_service.ClientData(name="Stress Test", phone="+48601234567"),
                           region="PL")
    finally:
        db.close()


def _restore_sources(folder: Path, path: Path) -> dict[str, set[str]]:
    """Two different databases A and B the restores alternate between."""
    from app.services import backups
    content = {}
    for name, clients in (("A", 40), ("B", 70)):
        src = folder / f"{name}-live.sqlite"
        from app.db import open_database
        from app.services import clients as client_service
        db = open_database(src)
        with db.session() as s:
            for i in range(clients):
                client_service.save_client(s, client_service.ClientData(name=f"{name}{i:03d}", notes="n" * 500),
                               region="PL")
        db.close()
        backups.copy_database(src, folder / f"{name}.sqlite")
        content[name] = {f"{name}{i:03d}" for i in range(clients)}
    shutil.copyfile(folder / "A.sqlite", path)
    return content


def _index(key: str) -> int:
    """The order of a key ``r<run>-<n>`` ("" = before any)."""
    if not key:
        return -1
    run, n = key[1:].split("-")
    return int(run) * 10**6 + int(n)


def run_kind(kind: str, kills: int, rng: random.Random, folder: Path) -> dict[str, int]:
    from app.services import backups

    work = folder / kind
    work.mkdir(parents=True, exist_ok=True)
    path = work / "stress.sqlite"
    content = _restore_sources(work, path) if kind == "restore" else None
    if content is None:
        _seed(path)
    promised: set[str] = set()
    last_promised = -1
    totals = {"kills": 0, "checked": 0, "lost": 0, "refused": 0}
    for run in range(kills):
        tag = f"r{run}"
        proc = subprocess.Popen([sys.executable, __file__, "--writer", kind, str(path), tag],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        lines: list[str] = []
        ready = threading.Event()

        def read(p=proc, out=lines, ev=ready) -> None:
            for line in p.stdout:
                if line == "ready\n":
                    ev.set()
                elif line.endswith("\n"):  # a key cut off by the kill was never promised
                    out.append(line.rstrip("\n"))
            ev.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if not ready.wait(30) or proc.poll() is not None:
            err = proc.stderr.read() if proc.poll() is not None else ""
            proc.kill()
            raise SystemExit(f"{kind}: the writer did not start: {err}")
        time.sleep(rng.uniform(0.05, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        reader.join(10)
        proc.stdout.close()
        proc.stderr.close()
        totals["kills"] += 1
        if kind == "backup":
            listed = {str(b.path) for b in backups.list_backups(path)}
            for key in lines:
                totals["checked"] += 1
                if key not in listed:
                    totals["lost"] += 1
                elif backups.check_backup(Path(key), full=True):
                    totals["refused"] += 1
            backups.clean_partials(path, older_than_s=0)  # what the next start does
            if any(p.name.endswith(".partial") for p in backups.backup_dir_for(path).iterdir()):
                totals["refused"] += 1
            for b in backups.list_backups(path):  # keep the disk small
                b.path.unlink()
            continue
        if kind == "restore":
            backups.clean_partials(path, older_than_s=0)
            keys, rows = _stored(kind, path)
            totals["checked"] += rows
            if keys is None:
                totals["refused"] += 1
            elif keys not in (content["A"], content["B"]):
                totals["lost"] += 1  # a mixture: neither the old nor the restored data
            for b in backups.list_backups(path):
                b.path.unlink()
            for p in work.glob("stress.sqlite.damaged-*"):
                p.unlink()
            continue
        keys, _rows = _stored(kind, path)
        if keys is None:
            totals["refused"] += 1
            break
        if kind == "regeneration":  # the last promised regeneration (or a later) is there
            if lines:
                last_promised = max(last_promised, _index(lines[-1]))
            totals["checked"] += 1
            if _index(next(iter(keys))) < last_promised:
                totals["lost"] += 1
            continue
        if kind == "import":
            promised.update(f"{k}-{i}" for k in lines for i in range(5))
        else:
            promised.update(lines)
        totals["checked"] += len(promised)
        totals["lost"] += len(promised - keys)
        promised &= keys  # count each loss once
    return totals


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "--writer":
        writer(sys.argv[2], Path(sys.argv[3]), sys.argv[4])
        return 0
    if os.name == "nt":
        print("SIGKILL is POSIX only", file=sys.stderr)
        return 2
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=100, help="kills per kind (default 100)")
    ap.add_argument("--kinds", default=",".join(KINDS),
                    help=f"comma-separated, of: {', '.join(KINDS)}")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = ap.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown or args.kills < 1:
        ap.error(f"unknown kind(s) {sorted(unknown)}" if unknown else "--kills must be >= 1")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="stress-kill-"))
    rng = random.Random(args.seed)
    rows = []
    started = time.monotonic()
    try:
        for kind in kinds:
            t0 = time.monotonic()
            r = run_kind(kind, args.kills, rng, folder)
            rows.append((kind, r["kills"], r["checked"], r["lost"], r["refused"],
                         time.monotonic() - t0))
            print(f"{kind}: {r}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    from bench_clients import print_table
    print_table(["write", "kills", "committed rows checked", "lost rows", "files refused",
                 "s"], [(k, str(a), f"{b:,}", str(c), str(d), f"{t:.0f}")
                        for k, a, b, c, d, t in rows])
    print(f"total {time.monotonic() - started:.0f} s")
    return 1 if any(r[3] or r[4] for r in rows) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
