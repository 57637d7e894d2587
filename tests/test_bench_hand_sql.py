"""The hand-written SQL of bench/hand_sql.py (the floor of the Charts benchmark) computes
exactly the app's numbers: on the demo database and on a small benchmark dataset, by
month and by quarter, every series equals app/services/metrics.py's."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402
import hand_sql  # noqa: E402
import hand_sql_agg  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services import metrics  # noqa: E402
from app.services.demo import create_demo  # noqa: E402

DEMO_TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path)
    try:
        with db.session() as s:
            create_demo(s, clients=300, locale="pl_PL", seed=2026, today=DEMO_TODAY)
    finally:
        db.close()
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "bench.sqlite"
    dataset.build(path, 400, log=lambda _s: None)
    return path


def _compare(path: Path, start: date, end: date, by: metrics.By, as_of: date) -> int:
    db = open_database(path, check=False)
    con = sqlite3.connect(path)
    checked = 0
    try:
        hand = hand_sql.series(start, end, by, as_of)
        kept = hand_sql_agg.series(start, end, by, as_of)
        app = hand_sql.app_series(start, end, by, as_of)
        assert hand.keys() == app.keys() and kept.keys() <= app.keys()
        with db.sessions() as s:
            for name, fn in app.items():
                want = fn(s)
                got = hand[name](con)
                assert got == want, name
                if name in kept:  # the floor over the kept figures (migration 0011)
                    assert kept[name](con) == want, name
                checked += 1
    finally:
        con.close()
        db.close()
    return checked


@pytest.mark.parametrize("by", [metrics.By.MONTH, metrics.By.QUARTER])
def test_hand_sql_equals_the_app_on_the_demo(demo, by):
    start, end = metrics.default_range(DEMO_TODAY)
    assert _compare(demo, start, end, by, DEMO_TODAY) == 13


def test_hand_sql_equals_the_app_on_the_demo_over_a_longer_range(demo):
    assert _compare(demo, date(2023, 2, 1), DEMO_TODAY, metrics.By.MONTH, DEMO_TODAY) == 13


@pytest.mark.parametrize("by", [metrics.By.MONTH, metrics.By.QUARTER])
def test_hand_sql_equals_the_app_over_a_range_cut_in_months_with_rows_outside(demo, by):
    # both ends in the middle of a month with purchases and calls on either side: the
    # cut months are read from their rows, by the app and by hand_sql_agg alike
    assert _compare(demo, date(2025, 10, 17), date(2026, 8, 12), by, DEMO_TODAY) == 13


@pytest.mark.parametrize("by", [metrics.By.MONTH, metrics.By.QUARTER])
def test_hand_sql_equals_the_app_on_the_benchmark_data(small, by):
    start, end = metrics.default_range(dataset.TODAY)
    assert _compare(small, start, end, by, dataset.TODAY) == 13


def test_the_numbers_are_not_all_empty(demo):
    """The comparison means something: the demo has purchases, calls and complaints in
    the range."""
    start, end = metrics.default_range(DEMO_TODAY)
    con = sqlite3.connect(demo)
    try:
        shares = hand_sql.repeat_share(con, start, end, metrics.By.MONTH)
        assert sum(r.purchases for r in shares) > 100
        assert sum(r.returning_purchases for r in shares) > 0
        assert hand_sql.complaints(con, start, end).opened > 0
        assert hand_sql.call_outcomes(con, start, end, metrics.By.MONTH)
        assert hand_sql.time_and_value(con, start, end)[1]
        assert hand_sql.recovery_comparison(con, start, end)[1].clients > 0
    finally:
        con.close()
