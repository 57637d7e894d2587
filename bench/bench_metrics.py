"""Benchmark: the Charts page's numbers and the A/B/C groups with many clients.

    .venv/bin/python bench/bench_metrics.py [--clients 100000] [--keep PATH]

Builds (or reuses, with --keep) the same database as bench_clients.py, adds about two
logged calls per client, then times every series of app/services/metrics.py for the last
12 months by month, the whole report (what opening the Charts page asks for), the A/B/C
assignment and the quarterly review.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import TODAY, bench_database, print_table  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Contact  # noqa: E402
from app.models.enums import Outcome, Tone  # noqa: E402
from app.services import metrics, segments  # noqa: E402


def add_contacts(db, n_clients: int, seed: int = 11) -> int:
    rnd = random.Random(seed)
    rows = []
    outcomes, tones = list(Outcome), [None, *Tone]
    for cid in range(1, n_clients + 1):
        for _ in range(rnd.choice((0, 1, 2, 3, 4))):
            at = datetime.combine(TODAY, datetime.min.time()) - timedelta(
                minutes=rnd.randrange(60, 60 * 24 * 400))
            o = rnd.choice(outcomes)
            rows.append({"client_id": cid, "at": at, "outcome": o, "tone": rnd.choice(tones),
                         "duration_seconds": rnd.randrange(30, 900),
                         "decline_reason": rnd.choice(("price", "moved", "no time"))
                         if o == Outcome.DECLINED else None})
    with db.session() as s:
        s.execute(insert(Contact), rows)
    return len(rows)


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, result


def main() -> int:
    args, path = bench_database(__doc__.splitlines()[0])
    db = open_database(path)
    with db.sessions() as s:
        contacts = s.scalar(select(func.count()).select_from(Contact))
    if not contacts:
        contacts = add_contacts(db, args.clients)
    start, end = metrics.default_range(TODAY)
    by = metrics.By.MONTH
    series = [
        ("repeat_share", lambda s: metrics.repeat_share(s, start, end, by)),
        ("returning_clients", lambda s: metrics.returning_clients(s, start, end, by)),
        ("second_purchase", lambda s: metrics.second_purchase_conversion(s, start, end, TODAY)),
        ("cohort_retention", lambda s: metrics.cohort_retention(s, start, end, TODAY)),
        ("channels", lambda s: metrics.channels(s, start, end)),
        ("segment_distribution", metrics.segment_distribution),
        ("call_outcomes", lambda s: metrics.call_outcomes(s, start, end, by)),
        ("decline_reasons", lambda s: metrics.decline_reasons(s, start, end)),
        ("contact_tone", lambda s: metrics.contact_tone(s, start, end, by)),
        ("complaints", lambda s: metrics.complaints(s, start, end)),
        ("recovery_comparison", lambda s: metrics.recovery_comparison(s, start, end)),
        ("time_and_value (2,000 clients)",
         lambda s: metrics.time_and_value(s, start, end, limit=2000)),
        ("dashboard", lambda s: metrics.dashboard(s, TODAY)),
        ("whole report (the Charts page)",
         lambda s: metrics.report(s, start, end, by, TODAY, heavy_limit=2000,
                                      today=TODAY)),
    ]
    rows = []
    for label, fn in series:
        def run(fn=fn):
            with db.sessions() as s:
                return fn(s)
        ms, _ = timed(run)
        rows.append((label, ms, "median of 3"))

    def assign():
        with db.session() as s:
            segments.assign_segments(s, TODAY)
    ms, _ = timed(assign)
    rows.append(("A/B/C assignment (start of day)", ms, "median of 3"))

    def review():
        with db.sessions() as s:
            return segments.review(s, TODAY)
    ms, rev = timed(review)
    rows.append(("quarterly review list", ms, f"{len(rev.rows)} moved clients"))
    db.close()
    print(f"\n{args.clients:,} clients, {contacts:,} logged calls\n")
    print_table(["what", "ms", "note"], [(label, f"{ms:.1f}", note) for label, ms, note in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
