"""Benchmark: the churn-risk score (app/services/risk.py), its time and how well it ranks.

    .venv/bin/python bench/bench_risk.py [--clients 100000] [--skip-db] [--skip-sim]
                                         [--cdnow CDNOW_master.txt]

- the benchmark database (bench/dataset.py, cached): the time of reading the history,
  choosing the model (its backtest one horizon back) and scoring every client, wall and
  CPU seconds; then backtests at several cuts: the AUC of the score, of each model, of
  days since the last purchase alone and of the old at-risk flag, with its precision and
  recall;
- simulated BG/NBD populations of several shapes: the parameters recovered and the same
  AUCs;
- with --cdnow, the public CDNOW master file (Fader & Hardie: 23,570 clients, first
  purchase in Q1 1997, up to June 1998; not shipped): the fit on the usual 39-week
  calibration and backtests. Nothing of it is written anywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dataset import cached_database  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Purchase  # noqa: E402
from app.services import risk  # noqa: E402


def _timed(label: str, fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    print(f"  {label:<44} {time.perf_counter() - w:7.2f} s wall  "
          f"{time.process_time() - c:7.2f} s CPU")
    return out


def _f(v) -> str:
    return "-" if v is None else f"{v:.4f}"


def _bt_line(bt: risk.Backtest) -> str:
    models = ", ".join(f"{m} {_f(a)}" for m, a in bt.auc_models.items())
    return (f"  cut {bt.cut} +{bt.horizon}d: {bt.clients} clients, {bt.lost} lost "
            f"({bt.lost / max(bt.clients, 1):.1%}); chosen {bt.model} "
            f"[{bt.choice.reason}]: AUC score {_f(bt.auc_score)}; models {models}; "
            f"days-since {_f(bt.auc_days_since)}; old flag {_f(bt.auc_flag)} "
            f"(precision {_f(bt.flag_precision)}, recall {_f(bt.flag_recall)})")


def bench_database(clients: int) -> None:
    path = cached_database(clients)
    print(f"## {path.name}")
    db = open_database(path, create=False)
    with db.sessions() as s:
        last = s.execute(select(func.max(Purchase.purchased_on))).scalar()
        as_of = last
        h = _timed("read the history (SQL, numpy)", lambda: risk.load_history(s, as_of))
    print(f"  {len(h.day):,} client-days; last purchase {last}")
    sm = _timed("summaries as of the last day", lambda: risk.summarize(h, as_of))
    print(f"  {len(sm):,} clients with a purchase, {int((sm.x > 0).sum()):,} with a repeat")
    fit = _timed("BG/NBD fit (every client)", lambda: risk.fit_bgnbd(sm.x, sm.t_x, sm.T))
    print(f"  r={fit.r:.4f} alpha={fit.alpha:.3f} a={fit.a:.4f} b={fit.b:.4f} "
          f"converged={fit.converged}")
    choice = _timed("choose the model (backtest one horizon back)",
                    lambda: risk.choose_model(h, as_of, 90))
    print(f"  chosen {choice.model}: " + ", ".join(
        f"{m} {_f(a)}" for m, a in choice.aucs.items()))
    _timed("score every client with its explanation",
           lambda: risk.score_history(h, as_of, 90, choice))
    with db.sessions() as s:
        rep = _timed("risk.compute end to end (fresh read)", lambda: risk.compute(s, as_of))
    print(f"  {len(rep.clients):,} scores; levels: " + ", ".join(
        f"{lv} {sum(1 for c in rep.clients if c.level == lv):,}"
        for lv in ("high", "medium", "low")))
    for back, horizon in ((90, 90), (180, 90), (365, 90), (270, 270)):
        cut = last - timedelta(days=back)
        with db.sessions() as s:
            hb = risk.load_history(s, cut + timedelta(days=horizon))
        print(_bt_line(_timed(f"backtest at {cut} (+{horizon} days)",
                              lambda hb=hb, cut=cut, horizon=horizon:
                              risk.backtest(hb, cut, horizon))))
    db.close()


SHAPES = {
    # name: (r, alpha in days, a, b)
    "CDNOW-like (rare, many leave)": (0.25, 30.0, 0.8, 2.4),
    "regulars (monthly, few leave)": (3.0, 90.0, 0.3, 6.0),
    "mixed": (0.8, 40.0, 0.8, 2.5),
    "busy, churny": (2.0, 20.0, 1.5, 1.5),
    "rare and loyal": (0.5, 120.0, 0.2, 8.0),
}


def bench_simulated() -> None:
    print("## simulated BG/NBD populations (whole days, 900 days of births, 1095 observed)")
    for name, params in SHAPES.items():
        for n in (300, 5000, 20000):
            times = risk.simulate_bgnbd(n, *params, span=900, end=1095, seed=n)
            events = [np.floor(t).astype(int) for t in times]
            origin = date(2020, 1, 1)
            h = risk.History.from_events(events, origin + timedelta(days=1095),
                                         origin=origin)
            cut = h.until - timedelta(days=90)
            bt = risk.backtest(h, cut, 90)
            fit = risk.fit_bgnbd(*risk.observed(times, 1095))
            err = "/".join(f"{(got - true) / true:+.0%}" for got, true in zip(
                (fit.r, fit.alpha, fit.a, fit.b), params, strict=True))
            print(f"### {name} {params}, {n} clients: fit error r/alpha/a/b {err}")
            print(_bt_line(bt))


def read_cdnow(path: Path) -> risk.History:
    """CDNOW_master.txt: id, yyyymmdd, CDs, dollars; a day's lines are one purchase day."""
    raw = np.loadtxt(path, dtype=np.float64)
    cid = raw[:, 0].astype(np.int64)
    ymd = raw[:, 1].astype(np.int64)
    day = np.array([date(y // 10000, y // 100 % 100, y % 100).toordinal() for y in ymd])
    cents = np.round(raw[:, 3] * 100).astype(np.int64)
    key = cid * 1_000_000 + day
    uk, inv = np.unique(key, return_inverse=True)
    total = np.bincount(inv, weights=cents).astype(np.int64)
    return risk.History(date.fromordinal(int(day.max())), uk // 1_000_000,
                        uk % 1_000_000, total, np.ones(len(uk), bool),
                        {int(c): None for c in np.unique(cid)})


def bench_cdnow(path: Path) -> None:
    h = read_cdnow(path)
    print(f"## CDNOW master ({len(np.unique(h.cid)):,} clients, {len(h.day):,} purchase "
          f"days, to {h.until})")
    cal = date(1997, 9, 30)  # 39 weeks, as Fader, Hardie & Lee (2005)
    s = risk.summarize(h, cal)
    fit = _timed("BG/NBD fit on the 39-week calibration", lambda: risk.fit_bgnbd(
        s.x, s.t_x, s.T))
    print(f"  r={fit.r:.4f} alpha={fit.alpha:.3f} days ({fit.alpha / 7:.3f} weeks) "
          f"a={fit.a:.4f} b={fit.b:.4f} LL={fit.loglik:.1f}")
    for cut, horizon in ((cal, 90), (cal, 273), (date(1997, 12, 31), 90),
                         (date(1997, 12, 31), 181), (date(1998, 3, 31), 91)):
        print(_bt_line(risk.backtest(h, cut, horizon)))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=100_000)
    p.add_argument("--skip-db", action="store_true")
    p.add_argument("--skip-sim", action="store_true")
    p.add_argument("--cdnow", type=Path)
    args = p.parse_args()
    if not args.skip_db:
        bench_database(args.clients)
    if not args.skip_sim:
        bench_simulated()
    if args.cdnow:
        bench_cdnow(args.cdnow)


if __name__ == "__main__":
    main()
