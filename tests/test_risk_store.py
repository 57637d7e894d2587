"""The kept risk scores (app/services/risk_store.py): what they keep, the at-risk status
that follows them (app/services/clients.py ``status_expr``), the list sorted and filtered
by them, a refresh after an import, and ``clientcare risk`` reading them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.cli import main
from app.client_list import ClientColumn, ClientQuery, StatusRules
from app.enums import ClientStatus
from app.errors import ValidationError
from app.models import ClientRisk
from app.progress import Cancelled
from app.services import clients as client_service
from app.services import risk, risk_store
from app.services import settings as settings_service
from app.services.io.importer import apply_import, guess_mapping, plan_import, read_table
from tests.conftest import db_target
from tests.test_risk_cli import _simulated_file

AS_OF = date(2026, 6, 30)


@pytest.fixture
def shop(db, make_client):
    ids = {
        "anna": make_client("Anna Nowak", external_ref="A-1", purchases=[
            (AS_OF - timedelta(days=80 + 35 * k), "100") for k in range(5)]),
        "bob": make_client("Bob Smith", purchases=[(AS_OF - timedelta(days=3), "40")]),
        "cara": make_client("Cara Lis", purchases=[(date(2025, 1, 10), "70"),
                                                   (date(2025, 2, 10), "70")]),
        "dan": make_client("Dan Brak", external_ref="D-4"),  # no purchase: no score
    }
    return ids


def _rules(db, today: date = AS_OF) -> StatusRules:
    with db.sessions() as s:
        return StatusRules.from_settings(s, today)


def _kept_rows(db) -> dict[int, ClientRisk]:
    with db.sessions() as s:
        return {r.client_id: r for r in s.scalars(select(ClientRisk))}


def test_kept_scores_equal_compute_for_the_same_date(db, shop):
    with db.session() as s:
        run = risk_store.refresh_risk(s, AS_OF)
    with db.sessions() as s:
        direct = {c.client_id: c for c in risk.compute(s, AS_OF, 90).clients}
        kept = risk_store.kept(s, list(shop.values()))
    assert (run.as_of, run.horizon, run.model, run.clients) == (AS_OF, 90, "fallback", 3)
    assert set(kept) == set(direct) == {shop["anna"], shop["bob"], shop["cara"]}
    for cid, c in direct.items():
        k = kept[cid]
        assert (k.score, k.level, k.model, k.as_of, k.horizon, k.fresh) == (
            c.score, c.level, "fallback", AS_OF, 90, True)
        assert k.explanation == c.explanation
    rows = _kept_rows(db)
    anna = rows[shop["anna"]]
    assert (anna.code, anna.gap_days, anna.since_days, anna.ratio) == (
        "risk.own_gap", 35, 80, 2.3)
    assert anna.last_on == AS_OF - timedelta(days=80)
    assert kept[shop["anna"]].overdue_days == 45


def test_a_fitted_model_is_kept_as_computed(db):
    last = _simulated_file(db, 400)
    with db.session() as s:
        run = risk_store.refresh_risk(s, last)
    with db.sessions() as s:
        direct = risk.compute(s, last, 90)
        kept = risk_store.kept(s, [c.client_id for c in direct.clients])
        assert risk_store.last_run(s) == run
    assert run.model == direct.choice.model != "fallback" and run.reason == "backtest"
    assert run.aucs == direct.choice.aucs
    assert len(kept) == len(direct.clients) == run.clients
    for c in direct.clients:
        assert kept[c.client_id].score == c.score
        assert kept[c.client_id].explanation == c.explanation


def test_a_refresh_replaces_the_kept_scores(db, shop, make_client):
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    with db.session() as s:
        client_service.soft_delete(s, [shop["cara"]])
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF + timedelta(days=10), 60)
    rows = _kept_rows(db)
    assert set(rows) == {shop["anna"], shop["bob"]}  # the trashed client's score is gone
    assert {(r.as_of, r.horizon) for r in rows.values()} == {(AS_OF + timedelta(days=10), 60)}


def _status(db, cid: int, today: date = AS_OF) -> str:
    with db.sessions() as s:
        return client_service.client_rows(s, [cid], _rules(db, today))[cid].status


def test_the_at_risk_status_follows_the_kept_score_and_the_threshold(db, shop):
    # before any score: the gap rule (Anna: 80 days > 2 x her 35-day gap)
    assert _status(db, shop["anna"]) == ClientStatus.AT_RISK
    assert _status(db, shop["bob"]) == ClientStatus.NEW
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    anna = _kept_rows(db)[shop["anna"]].score
    bob = _kept_rows(db)[shop["bob"]].score
    assert bob < anna
    for percent, anna_status in ((int(anna * 100), ClientStatus.AT_RISK),
                                 (int(anna * 100) + 1, ClientStatus.ACTIVE)):
        with db.session() as s:
            settings_service.put(s, "risk.threshold_percent", percent)
        assert _status(db, shop["anna"]) == anna_status
    # a threshold under Bob's score: he is at risk too, by his score
    with db.session() as s:
        settings_service.put(s, "risk.threshold_percent", max(1, int(bob * 100)))
    assert _status(db, shop["bob"]) == ClientStatus.AT_RISK
    # the list's status filter is the same rule
    with db.sessions() as s:
        at_risk = client_service.client_ids(s, ClientQuery(status=ClientStatus.AT_RISK),
                                            _rules(db), "PL")
    assert set(at_risk) == {shop["anna"], shop["bob"]}


def test_a_purchase_after_the_score_brings_back_the_gap_rule(db, shop):
    with db.session() as s:
        settings_service.put(s, "risk.threshold_percent", 1)  # every scored client
        risk_store.refresh_risk(s, AS_OF)
    assert _status(db, shop["bob"]) == ClientStatus.AT_RISK
    with db.session() as s:
        client_service.add_purchase(s, shop["bob"], client_service.PurchaseData(
            purchased_on=AS_OF, amount=5), today=AS_OF)
    with db.sessions() as s:
        row = client_service.client_rows(s, [shop["bob"]], _rules(db))[shop["bob"]]
        assert risk_store.kept(s, [shop["bob"]])[shop["bob"]].fresh is False
    assert row.risk is None and row.status == ClientStatus.NEW  # the gap rule's answer


def test_the_threshold_and_horizon_settings_are_checked():
    from app.setting_values import coerce
    assert coerce("risk.threshold_percent", 60) == 60
    assert coerce("risk.horizon_days", 120) == 120
    for key, bad in (("risk.threshold_percent", 0), ("risk.threshold_percent", 100),
                     ("risk.threshold_percent", "2.5"), ("risk.horizon_days", 6),
                     ("risk.horizon_days", 731)):
        with pytest.raises(ValidationError) as err:
            coerce(key, bad)
        assert err.value.errors[0].field == key


def _listed(db, **query) -> list[int]:
    with db.sessions() as s:
        q = ClientQuery(**query)
        return client_service.client_ids(s, q, _rules(db), "PL")


def _paged(db, size: int, **query) -> list[int]:
    out: list[int] = []
    with db.sessions() as s:
        q = ClientQuery(**query)
        while True:
            page = client_service.client_ids(s, q, _rules(db), "PL", limit=size,
                                             offset=len(out))
            out += page
            if len(page) < size:
                return out


def test_the_list_sorts_by_the_kept_score_and_pages_the_same(db, shop, make_client):
    extra = make_client("Eve", purchases=[(AS_OF - timedelta(days=200), "10")])
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    late = make_client("Fred")  # added after the scores: none kept
    scores = {cid: r.score for cid, r in _kept_rows(db).items()}
    by_score = sorted(scores, key=lambda c: (-scores[c], -c))
    unscored = sorted({shop["dan"], late}, reverse=True)
    assert _listed(db, sort=ClientColumn.RISK, descending=True) == by_score + unscored
    ascending = sorted(scores, key=lambda c: (scores[c], c)) + sorted(unscored)
    assert _listed(db, sort=ClientColumn.RISK) == ascending
    for size in (1, 2, 3, 4, 5, 10):  # pages across the scored and unscored parts
        assert _paged(db, size, sort=ClientColumn.RISK, descending=True) == (
            by_score + unscored)
        assert _paged(db, size, sort=ClientColumn.RISK) == ascending
    with db.sessions() as s:
        q = ClientQuery(sort=ClientColumn.RISK, descending=True)
        assert list(client_service.client_id_array(s, q, _rules(db), "PL")) == (
            by_score + unscored)
        assert client_service.client_position(s, q, _rules(db), "PL", extra) == (
            by_score.index(extra))
        rows = client_service.client_rows(s, list(scores) + [late], _rules(db))
    assert {cid: rows[cid].risk for cid in scores} == scores and rows[late].risk is None


def test_the_list_filters_by_risk_level(db, shop):
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    scores = {cid: r.score for cid, r in _kept_rows(db).items()}
    for level, (lo, hi) in (("high", (0.75, 2)), ("medium", (0.5, 0.75)),
                            ("low", (-1, 0.5))):
        want = {c for c, v in scores.items() if lo <= v < hi}
        assert set(_listed(db, risk=level)) == want
        assert set(_paged(db, 1, risk=level, sort=ClientColumn.RISK,
                          descending=True)) == want
        with db.sessions() as s:
            assert client_service.count_listed(s, ClientQuery(risk=level),
                                               _rules(db), "PL") == len(want)
    assert set(_listed(db, risk="high")) | set(_listed(db, risk="medium")) | set(
        _listed(db, risk="low")) == set(scores)


def test_a_refresh_after_an_import_scores_the_imported_purchases(db, shop, tmp_path):
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    assert shop["dan"] not in _kept_rows(db)
    path = tmp_path / "sales.csv"
    days = [AS_OF - timedelta(days=n) for n in (20, 50, 80)]
    path.write_text("Numer karty;Data;Kwota\n" + "".join(
        f"D-4;{d:%d.%m.%Y};30\n" for d in days), encoding="utf-8")
    table = read_table(path)
    with db.session() as s:
        plan = plan_import(s, table, guess_mapping(table.headers, "purchases"),
                           "purchases", "PL")
        report = apply_import(s, plan, "PL", today=AS_OF)
    assert report.purchases == 3
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    dan = _kept_rows(db)[shop["dan"]]
    assert (dan.purchase_days, dan.since_days, dan.gap_days) == (3, 20, 30)
    with db.sessions() as s:
        direct = {c.client_id: c.score for c in risk.compute(s, AS_OF).clients}
    assert dan.score == direct[shop["dan"]]


class _StopAfter:
    def __init__(self, checks: int) -> None:
        self.left = checks

    def report(self, done, total=None, text=None) -> None:
        pass

    def check(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise Cancelled("risk")


def test_a_stopped_refresh_keeps_the_old_scores(db, shop, monkeypatch):
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    before = {c: r.score for c, r in _kept_rows(db).items()}
    monkeypatch.setattr(risk_store, "WRITE_BATCH", 1)
    with pytest.raises(Cancelled), db.session() as s:
        risk_store.refresh_risk(s, AS_OF + timedelta(days=30), progress=_StopAfter(5))
    assert {c: r.score for c, r in _kept_rows(db).items()} == before
    with db.sessions() as s:
        assert risk_store.last_run(s).as_of == AS_OF


def test_due_after_a_new_day_or_another_horizon(db, shop):
    with db.session() as s:
        assert risk_store.due(s, AS_OF)
        risk_store.refresh_risk(s, AS_OF)
        assert not risk_store.due(s, AS_OF)
        assert risk_store.due(s, AS_OF + timedelta(days=1))
        settings_service.put(s, "risk.horizon_days", 60)
        assert risk_store.due(s, AS_OF)


def _cli(capsys, *args: str) -> tuple[int, dict]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, json.loads(out.out) if code == 0 else out.err


def test_cli_risk_reads_the_scores_kept_today_and_computes_as_of(db, shop, capsys):
    today = date.today()
    code, data = _cli(capsys, "risk", "--db", db_target(db), "--json")
    assert code == 0 and data["source"] == "computed"
    code, kept = _cli(capsys, "risk", "--db", db_target(db), "--keep", "--json")
    assert code == 0 and kept["as_of"] == today.isoformat()
    code, read = _cli(capsys, "risk", "--db", db_target(db), "--json")
    assert code == 0 and read["source"] == "kept"
    assert read["clients"] == data["clients"] and read["model"] == data["model"]
    with db.sessions() as s:
        assert risk_store.last_run(s).as_of == today
    # --as-of always computes from the history known on that day
    code, past = _cli(capsys, "risk", "--db", db_target(db), "--as-of", AS_OF.isoformat(),
                      "--json")
    with db.sessions() as s:
        direct = {c.client_id: c.score for c in risk.compute(s, AS_OF).clients}
    assert code == 0 and past["source"] == "computed" and past["as_of"] == AS_OF.isoformat()
    assert {r["client_id"]: r["score"] for r in past["clients"]} == direct


def test_a_refresh_is_announced_as_risk_scores_only(db, shop):
    from app.changes import Concern, Entity, recording
    with db.session() as s, recording(s) as recorder:
        risk_store.refresh_risk(s, AS_OF)
        changes = recorder.changes()
    assert Entity.RISK in changes.entities and changes.all_clients
    assert not changes.entities & {Entity.CLIENT, Entity.PURCHASE, Entity.TASK}
    assert changes.concerns(Concern.CLIENT_LIST) and changes.concerns(Concern.QUEUE)
    assert not changes.concerns(Concern.CHARTS)


def test_the_score_index_is_there_after_a_refresh(db, shop):
    from sqlalchemy import inspect, text
    for _ in range(2):  # built at the end of each write, once
        with db.session() as s:
            risk_store.refresh_risk(s, AS_OF)
    with db.sessions() as s:
        if db.path is None:  # a server: the index as the catalogue knows it
            indexes = {i["name"]: i["column_names"]
                       for i in inspect(s.connection()).get_indexes("client_risk")}
            assert indexes.get(risk_store.SCORE_INDEX) == ["score", "client_id"]
            return
        sql = s.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"),
                       {"n": risk_store.SCORE_INDEX})
    assert sql == "CREATE INDEX ix_client_risk_score ON client_risk (score, client_id)"


def test_a_stop_during_the_read_stops_it(db, shop):
    with pytest.raises(Cancelled), db.sessions() as s:
        risk_store.read_history(s, AS_OF, _StopAfter(0))


def test_erasing_a_person_drops_their_kept_score(db, shop):
    from datetime import datetime

    from app.services import erasure
    with db.session() as s:
        risk_store.refresh_risk(s, AS_OF)
    with db.session() as s:
        erasure.erase_client(s, shop["anna"], datetime(2026, 7, 1, 9))
    assert set(_kept_rows(db)) == {shop["bob"], shop["cara"]}
