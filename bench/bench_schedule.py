"""Benchmark: the scheduling engine, the start of a day and the day's queue.

    .venv/bin/python bench/bench_schedule.py [--clients 100000] [--keep PATH] [--new-only]

Builds (or reuses, with --keep) the same database as bench_clients.py and gives its
clients what the rules read (personal dates, relatives, memberships, calls, complaints,
do-not-contact and consent) when the file has none. Then, on copies of the file as it
was at the end of yesterday (yesterday's start of day done), it times ``start_of_day``:
the first start of today, a second start the same day, a start after one edited client,
each with the old full computation beside it (``full=True``) and a floor (plain sqlite3
reading the same rows); then the engine after one client's edit and the Today queue.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import TODAY, bench_database, print_table  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models.enums import Outcome, Tone  # noqa: E402
from app.services import calls, schedule, startup  # noqa: E402
from app.services import clients as client_service  # noqa: E402


def enrich(path: Path, today: date, seed: int = 11) -> bool:
    """Personal dates (29 February among them), relatives, memberships (some frozen),
    calls with tones, complaints (some resolved), do-not-contact, consent and preferred
    days, for a fair measure of the rules. Plain sqlite3: this is test data, written once."""
    con = sqlite3.connect(path)
    if con.execute("SELECT count(*) FROM personal_dates").fetchone()[0]:
        con.close()
        return False
    rnd = random.Random(seed)
    ids = [r[0] for r in con.execute("SELECT id FROM clients")]
    rel, dates, mems, calls_, comps, dnc, consent, days = [], [], [], [], [], [], [], []
    rel_id = pd_id = 0

    def a_date() -> tuple[int, int]:
        if rnd.random() < 0.004:
            return 2, 29
        d = date(2001, 1, 1) + timedelta(days=rnd.randrange(365))
        return d.month, d.day

    for cid in ids:
        if rnd.random() < 0.35:
            m, d = a_date()
            pd_id += 1
            dates.append((pd_id, cid, None, "birthday", m, d, rnd.choice([None, 1980, 1995]),
                          rnd.choice([None, None, None, 0, 7])))
        if rnd.random() < 0.10:
            m, d = a_date()
            pd_id += 1
            dates.append((pd_id, cid, None, "name_day", m, d, None, None))
        if rnd.random() < 0.15:
            rel_id += 1
            rel.append((rel_id, cid, f"Kid {rel_id}", "child"))
            m, d = a_date()
            pd_id += 1
            dates.append((pd_id, cid, rel_id, "birthday", m, d, 2015, None))
        if rnd.random() < 0.5:
            start = today - timedelta(days=rnd.randrange(0, 420))
            end = start + timedelta(days=rnd.choice([30, 90, 180, 365]))
            status = "active" if end >= today - timedelta(days=10) else "expired"
            ff = fu = None
            if status == "active" and rnd.random() < 0.08:
                ff = start + timedelta(days=rnd.randrange(0, 20))
                fu = ff + timedelta(days=rnd.randrange(3, 30))
                status = rnd.choice(["active", "frozen"])
            mems.append((cid, "Plan", start.isoformat(), end.isoformat(), status,
                         ff and ff.isoformat(), fu and fu.isoformat()))
        for _ in range(int(rnd.expovariate(1 / 2))):
            at = datetime.combine(today - timedelta(days=rnd.randrange(1, 150)),
                                  datetime.min.time()) + timedelta(minutes=rnd.randrange(480, 1080))
            calls_.append((cid, at.isoformat(" ", "microseconds"), "phone",
                           "outbound" if rnd.random() < 0.8 else "inbound", "manual", "reached",
                           rnd.choice(["positive", "positive", "neutral", "negative", None]),
                           rnd.randrange(30, 600)))
        if rnd.random() < 0.05:
            opened = datetime.combine(today - timedelta(days=rnd.randrange(2, 90)),
                                      datetime.min.time()) + timedelta(hours=10)
            resolved = opened + timedelta(days=rnd.randrange(0, 10)) \
                if rnd.random() < 0.6 else None
            closed = resolved + timedelta(days=5) if resolved and rnd.random() < 0.5 else None
            status = "closed_kept" if closed else ("resolved" if resolved else "open")
            fmt = "microseconds"
            comps.append((cid, opened.isoformat(" ", fmt), status,
                          resolved and resolved.isoformat(" ", fmt),
                          closed and closed.isoformat(" ", fmt)))
        if rnd.random() < 0.03:
            dnc.append((cid,))
        if rnd.random() < 0.4:
            consent.append((cid,))
        if rnd.random() < 0.05:
            days.append((cid,))
    con.executemany("INSERT INTO relatives (id, client_id, name, relation, note) "
                    "VALUES (?, ?, ?, ?, '')", rel)
    con.executemany("INSERT INTO personal_dates (id, client_id, relative_id, kind, label, month,"
                    " day, year, gift_reminder_days) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)", dates)
    con.executemany("INSERT INTO memberships (client_id, plan, starts_on, ends_on, status, "
                    "frozen_from, frozen_until) VALUES (?, ?, ?, ?, ?, ?, ?)", mems)
    con.executemany("INSERT INTO contacts (client_id, at, channel, direction, purpose, outcome,"
                    " tone, duration_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", calls_)
    con.executemany("INSERT INTO complaints (client_id, opened_at, channel, severity, fault, "
                    "status, compensation_kind, resolved_at, closed_at) "
                    "VALUES (?, ?, 'phone', 'medium', 'us', ?, 'none', ?, ?)", comps)
    con.executemany("UPDATE clients SET do_not_contact = 1 WHERE id = ?", dnc)
    con.executemany("UPDATE clients SET marketing_consent = 1, marketing_consent_on = "
                    "'2025-01-01' WHERE id = ?", consent)
    con.executemany("UPDATE clients SET contact_days = '135' WHERE id = ?", days)
    con.commit()
    con.close()
    print(f"enriched: {len(dates):,} personal dates, {len(mems):,} memberships, "
          f"{len(calls_):,} calls, {len(comps):,} complaints", flush=True)
    return True


YESTERDAY = TODAY - timedelta(days=1)


def _copy(src: Path, name: str) -> Path:
    dst = src.with_name(f"{src.stem}.{name}.sqlite")
    for side in ("-wal", "-shm"):
        Path(f"{dst}{side}").unlink(missing_ok=True)
    con, out = sqlite3.connect(src), sqlite3.connect(dst)
    con.backup(out)
    con.close()
    out.close()
    return dst


def _work(db, clients: list[int], day: date) -> None:
    """A day's work after the start: a call logged for each of these clients, a purchase
    for every fourth (as the card and the call dialog write them)."""
    with db.session() as s:
        for n, cid in enumerate(clients):
            calls.log_call(s, calls.CallLog(client_id=cid, outcome=Outcome.REACHED,
                                            tone=Tone.POSITIVE),
                           now=datetime.combine(day, datetime.min.time()).replace(hour=11))
            if n % 4 == 0:
                client_service.add_purchase(s, cid, client_service.PurchaseData(
                    purchased_on=day, amount=Decimal("120.00"), future_confirmed=True),
                    today=day)
                schedule.regenerate(s, day, client_ids=[cid])


def _start(db, day: date, full: bool) -> tuple[float, startup.StartOfDay]:
    t0 = time.perf_counter()
    with db.session() as s:
        r = startup.start_of_day(s, day, full=full)
    return time.perf_counter() - t0, r


def _floor(path: Path, day: date) -> float:
    """Plain sqlite3 reading what a start must read at least: the personal dates of the
    next 30 days and the purchases that entered or left the 12-month window today."""
    horizon = [((day + timedelta(days=k)).month, (day + timedelta(days=k)).day)
               for k in range(31)]
    con = sqlite3.connect(path)
    t0 = time.perf_counter()
    con.execute("SELECT count(*) FROM personal_dates WHERE (month, day) IN (VALUES "
                + ", ".join(f"({m}, {d})" for m, d in horizon) + ")").fetchone()
    edge = (day - timedelta(days=365)).isoformat()
    con.execute("SELECT count(DISTINCT client_id) FROM purchases WHERE purchased_on > ? AND "
                "purchased_on <= ? OR purchased_on = ?",
                (edge, (day - timedelta(days=364)).isoformat(), day.isoformat())).fetchone()
    took = time.perf_counter() - t0
    con.close()
    return took


def _describe(r: startup.StartOfDay) -> str:
    st = r.schedule
    values = "all" if r.values_recomputed is None else f"{r.values_recomputed:,}"
    return (f"values {values}, {st.created} created, {st.moved} moved, "
            f"{st.cancelled} cancelled")


def main() -> int:
    new_only = "--new-only" in sys.argv  # the old full computation takes minutes at 1M
    if new_only:
        sys.argv.remove("--new-only")
    _args, path = bench_database(__doc__.splitlines()[0])
    enrich(path, TODAY)
    # the file as yesterday's start of day left it (the new start: it also leaves the
    # span of the values and the watch of what is written)
    yday = path.with_name(f"{path.stem}.yesterday.sqlite")
    if not yday.exists():
        print("yesterday's start of day ...", flush=True)
        tmp = _copy(path, "making-yesterday")
        db = open_database(tmp)
        took, _ = _start(db, YESTERDAY, False)
        db.close()
        tmp.rename(yday)
        print(f"yesterday's start took {took:.1f} s", flush=True)
    with sqlite3.connect(yday) as con:
        n_clients = con.execute("SELECT count(*) FROM clients").fetchone()[0]
    rnd = random.Random(5)
    worked = rnd.sample(range(1, n_clients + 1), 200)
    rows = []
    modes = [(False, "new")] + ([] if new_only else [(True, "old (full=True)")])
    for full, label in modes:
        for quiet in (True, False):
            work = _copy(yday, "work")
            db = open_database(work)
            if not quiet:
                _work(db, worked, YESTERDAY)
            took, r = _start(db, TODAY, full)
            what = "first start of the day" + ("" if quiet else ", 200 clients worked on yesterday")
            rows.append((f"{what}: {label}", took * 1000, _describe(r)))
            if not quiet:
                took, r = _start(db, TODAY, full)
                rows.append((f"second start the same day: {label}", took * 1000, _describe(r)))
                _work(db, worked[:1], TODAY)
                took, r = _start(db, TODAY, full)
                rows.append((f"start after one edited client: {label}", took * 1000,
                             _describe(r)))
            db.close()
            print(rows[-1], flush=True)
    rows.append(("floor: plain sqlite3, the horizon's dates + the window's edges",
                 _floor(yday, TODAY) * 1000, "count(*)"))
    db = open_database(_copy(yday, "work"))
    times = []
    for cid in worked[:20]:
        t0 = time.perf_counter()
        with db.session() as s:
            schedule.regenerate(s, TODAY, client_ids=[cid])
        times.append(time.perf_counter() - t0)
    rows.append(("regeneration after one client's edit", statistics.median(times) * 1000,
                 "median of 20"))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        with db.sessions() as s:
            n = len(calls.today_queue(s, TODAY))
        times.append(time.perf_counter() - t0)
    rows.append(("the Today queue", statistics.median(times) * 1000, f"{n} calls"))
    db.close()
    print(f"\n{n_clients:,} clients, {yday.stat().st_size / 2**20:.0f} MiB, "
          f"load {Path('/proc/loadavg').read_text().split()[0]}\n")
    print_table(["what", "ms", "note"], [(label, f"{ms:,.0f}", note)
                                         for label, ms, note in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
