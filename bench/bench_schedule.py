"""Benchmark: the scheduling engine, the start of a day and the day's queue.

    .venv/bin/python bench/bench_schedule.py [--clients 100000] [--keep PATH]

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
import shutil
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
