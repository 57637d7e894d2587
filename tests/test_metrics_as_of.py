"""Every chart number as of a date (issue 15, "numbers exact at any date").

Property: with random purchases, refunds, calls, complaints and tasks dated up to a
random day D, the report as of D from the kept figures equals the report from the raw
rows; then rows dated after D are added (purchases, refunds, new clients, calls,
complaints opened, complaints closed, tasks done, clients put in the Trash), and no
figure as of D changes, on either path."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.models import Client, Complaint, Contact, Purchase, Task
from app.models.enums import ComplaintStatus, Direction, Outcome, TaskKind, TaskStatus, Tone
from app.services import metrics
from app.services.clients import refresh_client_stats, refresh_values
from app.services.metrics import NO_PURCHASES, By
from tests.conftest import depth, fresh_sqlite

DAY0 = date(2025, 9, 1)
APP_TODAY = date(2027, 6, 30)  # after every row: D is always a past day
CREATED = datetime(2025, 1, 1)

offsets = st.integers(0, 10_000)
amounts = st.integers(-3000, 40000).map(lambda c: Decimal(c).scaleb(-2))
row = st.tuples(st.sampled_from(["buy", "refund", "call", "complaint", "task"]),
                offsets, st.integers(0, 400), amounts, st.integers(0, 7))


def _client_id(s, i: int) -> int:
    ids = s.scalars(select(Client.id).order_by(Client.id)).all()
    return ids[i % len(ids)]


def _add(s, kind: str, who: int, day: date, amount: Decimal, pick: int) -> None:
    cid = _client_id(s, who)
    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=9 + pick)
    if kind == "buy":
        s.add(Purchase(client_id=cid, purchased_on=day, amount=abs(amount) or Decimal(1)))
    elif kind == "refund":
        s.add(Purchase(client_id=cid, purchased_on=day, amount=-abs(amount),
                       is_credit=True))
    elif kind == "call":
        outcome = list(Outcome)[pick % len(Outcome)]
        s.add(Contact(client_id=cid, at=at, direction=Direction.OUTBOUND, outcome=outcome,
                      tone=[None, *Tone][pick % 4], duration_seconds=37 * (pick + 1),
                      decline_reason="price" if outcome == Outcome.DECLINED else None))
    elif kind == "complaint":
        s.add(Complaint(client_id=cid, opened_at=at, category=["delay", "price"][pick % 2],
                        status=ComplaintStatus.OPEN))
    else:
        s.add(Task(client_id=cid, kind=TaskKind.FOLLOW_UP, due_on=day,
                   status=TaskStatus.OPEN))
    s.flush()


def _report(s, start: date, by: By, as_of: date, **kw) -> dict:
    rep = metrics.report(s, start, as_of, by, as_of, heavy_limit=20, today=APP_TODAY, **kw)
    return json.loads(json.dumps(metrics.to_jsonable(rep)))


@settings(max_examples=depth(20, 100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=st.lists(row, min_size=1, max_size=30), after=st.lists(row, max_size=20),
       d=st.integers(30, 330), back=st.integers(0, 400), by=st.sampled_from(list(By)),
       closes=st.lists(st.tuples(offsets, st.integers(1, 90), st.booleans()), max_size=4),
       trash=st.lists(offsets, max_size=2))
def test_rows_after_the_day_change_no_figure_and_kept_equals_raw(
        tmp_path_factory, sqlite_template, before, after, d, back, by, closes, trash):
    as_of = DAY0 + timedelta(days=d)
    start = max(DAY0 - timedelta(days=60), as_of - timedelta(days=back))
    db = fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("asof"))
    try:
        with db.session() as s:
            for name in "ABCDE":
                s.add(Client(name=name, sort_name=name.lower(), created_at=CREATED,
                             source_channel=["Google", None][ord(name) % 2]))
            s.flush()
            for kind, who, day, amount, pick in before:
                _add(s, kind, who, DAY0 + timedelta(days=day % (d + 1)), amount, pick)
            refresh_client_stats(s, today=APP_TODAY)
            want = _report(s, start, by, as_of)
            assert _report(s, start, by, as_of, from_rows=True) == want

            # rows dated after the day: new clients, purchases, calls, complaints...
            s.add(Client(name="Later", sort_name="later"))
            s.flush()
            for kind, who, day, amount, pick in after:
                _add(s, kind, who, as_of + timedelta(days=1 + day % 180), amount, pick)
            # ... complaints closed and tasks done after the day
            complaints = s.scalars(select(Complaint.id).order_by(Complaint.id)).all()
            tasks = s.scalars(select(Task.id).order_by(Task.id)).all()
            for i, days_later, kept in closes:
                moment = datetime.combine(as_of, datetime.min.time()) + timedelta(
                    days=days_later)
                if complaints:
                    s.execute(update(Complaint).where(
                        Complaint.id == complaints[i % len(complaints)]).values(
                        status=ComplaintStatus.CLOSED_KEPT if kept
                        else ComplaintStatus.CLOSED_LOST,
                        resolved_at=moment, closed_at=moment))
                if tasks:
                    s.execute(update(Task).where(Task.id == tasks[i % len(tasks)]).values(
                        status=TaskStatus.DONE, closed_at=moment))
            for i in trash:  # put in the Trash after the day
                s.execute(update(Client).where(Client.id == _client_id(s, i)).values(
                    deleted_at=datetime.combine(as_of, datetime.min.time())
                    + timedelta(days=3)))
            refresh_client_stats(s, today=APP_TODAY)
            assert _report(s, start, by, as_of) == want
            assert _report(s, start, by, as_of, from_rows=True) == want
    finally:
        db.close()


def _shop(s, day: date) -> None:
    """Clients with purchases up to ``day``: A/B/C by their 12-month value, one with
    purchases only before the 12 months, one with none."""
    for i, (name, spend) in enumerate((("Big", [5000, 4000, 3000]), ("Mid", [3000]),
                                       ("Small", [40]), ("Old", []), ("None", []))):
        c = Client(name=name, sort_name=name.lower(), created_at=CREATED)
        s.add(c)
        s.flush()
        for k, cents in enumerate(spend):
            s.add(Purchase(client_id=c.id, purchased_on=day - timedelta(days=20 * k + i),
                           amount=Decimal(cents)))
        if name == "Old":
            s.add(Purchase(client_id=c.id, purchased_on=day - timedelta(days=500),
                           amount=Decimal(300)))
    s.flush()


def test_groups_as_of_a_day_equal_the_regrouping_of_that_day(db):
    day = date(2026, 3, 31)
    with db.session() as s:
        _shop(s, day)
        refresh_client_stats(s, today=day)
        refresh_values(s, day, full=True)  # the app's own regrouping, as of the day
        stored = metrics.segment_distribution(s)
        assert metrics.segment_distribution(s, day) == stored
        assert metrics.segment_distribution(s, day, from_rows=True) == stored
        assert metrics.segment_distribution(s, from_rows=True) == stored
        # of 15,040: Big 12,000 on 3 days is A; Mid (within 80 % but on 1 day) B; Small
        # C; Old and None: the band of no purchases in 12 months, not C
        assert [(g.segment, g.clients) for g in stored] == [
            ("A", 1), ("B", 1), ("C", 1), (NO_PURCHASES, 2)]
        assert metrics.groups_day(s) == day
        # later purchases move nothing as of the day; today's groups are the stored ones
        c = s.scalar(select(Client.id).where(Client.name == "Old"))
        s.add(Purchase(client_id=c, purchased_on=day + timedelta(days=5),
                       amount=Decimal(99999)))
        s.flush()
        assert metrics.segment_distribution(s, day) == stored
        rep = metrics.report(s, date(2026, 1, 1), day, By.MONTH, day, today=day)
        assert rep.segments == stored and rep.segments_on == day
        past = metrics.report(s, date(2026, 1, 1), day, By.MONTH, day - timedelta(days=1),
                              today=day)
        assert past.segments_on == day - timedelta(days=1)


def test_a_second_purchase_after_the_day_does_not_convert_as_of_the_day(db, make_client):
    make_client("A", purchases=[(date(2026, 3, 2), "10"), (date(2026, 4, 20), "5")])
    with db.session() as s:
        as_of = date(2026, 3, 31)
        for raw in (False, True):
            conv = metrics.second_purchase_conversion(s, date(2026, 3, 1), as_of, as_of,
                                                      from_rows=raw)
            assert [(c.clients, c.converted) for c in conv] == [(1, 0)]
            cohort = metrics.cohort_retention(s, date(2026, 3, 1), as_of, as_of,
                                              from_rows=raw)
            assert cohort[0].active[:2] == [1, None]
        later = metrics.second_purchase_conversion(s, date(2026, 3, 1), date(2026, 3, 31),
                                                   date(2026, 6, 30))
        assert [(c.clients, c.converted) for c in later] == [(1, 1)]


def test_the_range_ends_at_the_day_and_the_cut_month_is_marked(db, make_client):
    make_client("A", purchases=[(date(2026, 3, 2), "10"), (date(2026, 3, 25), "5")])
    with db.session() as s:
        rep = metrics.report(s, date(2026, 1, 1), date(2026, 12, 31), By.MONTH,
                             date(2026, 3, 10), today=date(2026, 12, 31))
        assert rep.end == date(2026, 3, 10)
        assert [r.period for r in rep.repeat_share] == [202601, 202602, 202603]
        assert rep.repeat_share[-1].revenue == Decimal("10.00")
        assert rep.partial_period == 202603
        whole = metrics.report(s, date(2026, 1, 1), date(2026, 3, 31), By.MONTH,
                               date(2026, 3, 31), today=date(2026, 12, 31))
        assert whole.partial_period is None
