"""Win-back calls follow the at-risk status (issue 15 [10]): a client at risk by their
kept score gets the call, a client the gap rule alone would flag but whose score is low
does not; without a kept score of theirs (none yet, or a newer purchase) the gap rule
decides as before. The SQL engine and the reference computation agree, and keeping new
scores schedules the clients they put at risk in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Client, ClientRisk, Task
from app.models.enums import TaskKind, TaskStatus
from app.services import clients as client_service
from app.services import risk_store, schedule
from app.services import settings as settings_service

TODAY = date(2026, 6, 30)


def _client(s, name: str, days_ago: list[int]) -> int:
    data = client_service.ClientData(name=name, marketing_consent=True,
                                     marketing_consent_on=TODAY - timedelta(days=400))
    data.purchases = [client_service.PurchaseData(
        purchased_on=TODAY - timedelta(days=d), amount=Decimal("50")) for d in days_ago]
    return client_service.save_client(s, data, region="PL", today=TODAY)


def _keep(s, cid: int, score: float, gap: int, last_on: date | None = None) -> None:
    """A kept score row as a refresh writes it (the explanation's gap among it)."""
    last = last_on or s.get(Client, cid).last_purchase_on
    since = (TODAY - last).days
    s.add(ClientRisk(client_id=cid, score=score, level="high" if score >= 0.6 else "low",
                     code="risk.own_gap", since_days=since, gap_days=gap,
                     ratio=since / gap, purchase_days=4, value_cents=20_000,
                     value_level="medium", expected_gap=None, model="bgnbd", as_of=TODAY,
                     last_on=last, horizon=90))
    s.flush()


@pytest.fixture
def world(db):
    """Four clients with a 35-day rhythm (the gap rule's limit: 70 days)."""
    rhythm = [35 * k for k in range(4)]
    with db.session() as s:
        ids = {
            # 50 days since: under the gap rule's 70, but the model says high risk
            "early": _client(s, "Ewa Early", [50 + d for d in rhythm]),
            # 100 days since: over 70, but the model says low risk
            "calm": _client(s, "Celina Calm", [100 + d for d in rhythm]),
            # high score of an older episode; bought again 10 days ago
            "stale": _client(s, "Stefan Stale", [10, *[60 + d for d in rhythm]]),
            # no kept score: the gap rule (100 days > 70)
            "plain": _client(s, "Piotr Plain", [100 + d for d in rhythm]),
        }
        _keep(s, ids["early"], 0.9, 35)
        _keep(s, ids["calm"], 0.2, 35)
        _keep(s, ids["stale"], 0.9, 35, last_on=TODAY - timedelta(days=60))
        s.query(Task).delete()  # the saves' own scheduling: made again below
    return ids


def _winbacks(db) -> dict[int, tuple[date, date]]:
    with db.sessions() as s:
        return {t.client_id: (t.rule_due_on, t.due_on) for t in s.scalars(
            select(Task).where(Task.kind == TaskKind.WIN_BACK,
                               Task.status == TaskStatus.OPEN))}


@pytest.mark.parametrize("full", [False, True], ids=["sql", "reference"])
def test_win_back_calls_follow_the_kept_score(db, world, full):
    with db.session() as s:
        schedule.regenerate(s, TODAY, full=full)
    calls = _winbacks(db)
    assert set(calls) == {world["early"], world["plain"]}
    # the early one: called from the day past their usual gap (50 days ago + 36)
    assert calls[world["early"]][0] == TODAY - timedelta(days=50) + timedelta(days=36)
    # the plain one: the gap rule's day (100 days ago + 71)
    assert calls[world["plain"]][0] == TODAY - timedelta(days=100) + timedelta(days=71)
    # both already past: due today, not months overdue
    assert calls[world["early"]][1] == calls[world["plain"]][1] == TODAY


def test_both_engines_make_the_same_win_back_calls(db, world, tmp_path):
    with db.session() as s:
        schedule.regenerate(s, TODAY)
    sql = _winbacks(db)
    with db.session() as s:
        s.query(Task).delete()
        schedule.regenerate(s, TODAY, full=True)
    assert _winbacks(db) == sql and sql


def test_without_the_score_threshold_the_gap_rule_alone_decides(db, world):
    rules = None
    with db.sessions() as s:
        rules = schedule.ScheduleRules.from_settings(s)
    from dataclasses import replace
    with db.session() as s:
        schedule.regenerate(s, TODAY, rules=replace(rules, risk_threshold=None))
    assert set(_winbacks(db)) == {world["calm"], world["plain"]}


def test_a_higher_threshold_takes_the_call_away_from_a_new_episode(db, world):
    with db.session() as s:
        settings_service.put(s, "risk.threshold_percent", 95)
        schedule.regenerate(s, TODAY)
    assert set(_winbacks(db)) == {world["plain"]}


def test_keeping_new_scores_schedules_the_clients_they_put_at_risk(db, make_client):
    """A refresh that flags a client makes their call at once; a quiet start of the next
    day does not add a gap-rule call for a scored client the score keeps calm."""
    with db.session() as s:
        settings_service.put(s, "risk.threshold_percent", 1)  # every scored client
        cid = _client(s, "Ola Nowa", [20, 55, 90, 125])  # 20 days since: not by the gap
        schedule.regenerate(s, TODAY)
    assert cid not in _winbacks(db)
    with db.session() as s:
        risk_store.refresh_risk(s, TODAY)
        score = s.get(ClientRisk, cid).score
    assert score >= 0.01
    calls = _winbacks(db)
    assert cid in calls
    with db.sessions() as s:
        gap = s.get(ClientRisk, cid).gap_days
    assert calls[cid][0] == TODAY - timedelta(days=20) + timedelta(days=gap + 1)


def test_a_quiet_day_leaves_a_scored_client_to_the_score(db, world):
    """On a quiet day the gap rule brings in only clients without a kept score: Celina
    (score 0.2) passes her gap limit but stays uncalled, as her status says."""
    with db.session() as s:
        schedule.regenerate(s, TODAY - timedelta(days=40))
        s.query(Task).filter(Task.kind == TaskKind.WIN_BACK).delete()
        # the quiet day after: everyone who fell at risk by the gap since then
        schedule.regenerate(s, TODAY, since=TODAY - timedelta(days=40))
    calls = _winbacks(db)
    assert world["calm"] not in calls
    assert world["plain"] in calls


def test_many_flagged_clients_are_scheduled_chunk_by_chunk(db, monkeypatch):
    """The first keeping of a large file flags a fifth of it: they are scheduled a chunk
    at a time (one statement of 200,000 ids would pass SQLite's limit of variables), and
    a lapsed client, for whom no win-back is made, is not among them."""
    with db.session() as s:
        settings_service.put(s, "risk.threshold_percent", 1)
        fresh = [_client(s, f"Klient {k}", [20 + k, 55 + k, 90 + k, 125 + k]) for k in range(5)]
        lapsed = _client(s, "Dawny Klient", [400, 435, 470])
        schedule.regenerate(s, TODAY)
    monkeypatch.setattr(risk_store, "SCHEDULE_CHUNK", 2)
    asked: list[list[int]] = []
    real = schedule.regenerate

    def spy(session, today=None, client_ids=None, *args, **kwargs):
        asked.append(list(client_ids))
        return real(session, today, client_ids, *args, **kwargs)

    monkeypatch.setattr(schedule, "regenerate", spy)
    with db.session() as s:
        risk_store.refresh_risk(s, TODAY)
    assert [len(chunk) for chunk in asked] == [2, 2, 1]
    assert sorted(sum(asked, [])) == sorted(fresh) and lapsed not in sum(asked, [])
    assert set(fresh) <= set(_winbacks(db))
