"""``clientcare risk`` and ``clientcare risk-check`` (app/cli.py) over a database file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import insert

from app.cli import main
from app.models import Client, Purchase
from app.services import risk, risk_store
from tests.conftest import db_target

AS_OF = date(2026, 6, 30)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def shop(db, make_client):
    make_client("Anna Nowak", external_ref="A-1",
                purchases=[(AS_OF - timedelta(days=80 + 35 * k), "100") for k in range(5)])
    make_client("Bob Smith", purchases=[(AS_OF - timedelta(days=3), "40")])
    make_client("Cara Lis", external_ref="C-3",
                purchases=[(date(2025, 1, 10), "70"), (date(2025, 2, 10), "70")])
    make_client("Dan Brak")  # no purchase: no score
    return db


def _simulated_file(db, n: int, end_day: int = 1095, seed: int = 7) -> date:
    """A file of ``n`` clients drawn from a BG/NBD process (whole days); returns the
    day of its last purchase."""
    origin = date(2023, 1, 1)
    times = risk.simulate_bgnbd(n, 0.8, 40.0, 0.8, 2.5, span=900, end=end_day, seed=seed)
    with db.session() as s:
        s.execute(insert(Client.__table__), [
            {"id": i, "name": f"Client {i}", "sort_name": f"client {i}",
             "external_ref": f"S-{i}"} for i in range(1, n + 1)])
        s.execute(insert(Purchase.__table__), [
            {"client_id": i, "purchased_on": origin + timedelta(days=int(d)),
             "amount": Decimal("25.50")}
            for i, t in enumerate(times, 1) for d in np.unique(np.floor(t))])
    return origin + timedelta(days=int(max(np.floor(t).max() for t in times)))


def test_risk_json_is_one_object_per_client_with_a_purchase(shop, capsys):
    code, out, err = _run(capsys, "risk", "--db", db_target(shop), "--as-of",
                          AS_OF.isoformat(), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == AS_OF.isoformat() and data["horizon_days"] == 90
    assert data["model"] == "fallback" and data["reason"] == "few_buyers"
    rows = {r["external_ref"]: r for r in data["clients"]}
    assert len(data["clients"]) == 3 and set(rows) == {"A-1", None, "C-3"}
    with shop.sessions() as s:
        direct = {c.client_id: c for c in risk.compute(s, AS_OF, 90).clients}
    for r in data["clients"]:
        c = direct[r["client_id"]]
        assert r["score"] == c.score and 0 <= r["score"] <= 1
        assert r["status"] == c.level and r["model"] == "fallback"
        assert r["explanation"]["code"] == c.explanation.code
        assert r["explanation"]["values"] == c.explanation.values
        assert r["explanation"]["text"] == c.explanation.text()
    anna = rows["A-1"]["explanation"]["values"]
    assert (anna["gap"], anna["since"], anna["ratio"]) == (35, 80, 2.3)
    # Cara, 505 days since her last purchase, is more likely lost than Bob of 3 days ago
    bob = next(r for r in data["clients"] if r["external_ref"] is None)
    assert rows["C-3"]["score"] > bob["score"]


def test_risk_as_of_ignores_what_was_bought_after_it(shop, make_client, capsys):
    args = ("risk", "--db", db_target(shop), "--as-of", AS_OF.isoformat(), "--json")
    _, before, _ = _run(capsys, *args)
    make_client("Late Comer", purchases=[(AS_OF + timedelta(days=1), "10")])
    with shop.session() as s:
        anna = s.query(Client).filter_by(external_ref="A-1").one()
        anna.purchases.append(Purchase(purchased_on=AS_OF + timedelta(days=2),
                                       amount=Decimal("5")))
    _, after, _ = _run(capsys, *args)
    assert after == before
    _, later, _ = _run(capsys, "risk", "--db", db_target(shop), "--as-of",
                       (AS_OF + timedelta(days=2)).isoformat(), "--json")
    assert len(json.loads(later)["clients"]) == 4


def test_risk_table_is_by_score_with_the_explanation(shop, capsys):
    code, out, err = _run(capsys, "risk", "--db", db_target(shop), "--as-of",
                          AS_OF.isoformat(), "--horizon", "60")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("2026-06-30: 3 client(s) with a purchase, the probability of no "
                        "purchase in the next 60 days")
    assert lines[1].startswith("model: fallback (fewer than 200 clients bought more")
    scores = [float(line.split()[0]) for line in lines[2:]]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert any("A-1" in line and "usual gap 35 days, 80 days since the last purchase "
               "(2.3x)" in line for line in lines[2:])


def test_risk_of_a_file_without_purchases_is_empty(db, capsys):
    code, out, err = _run(capsys, "risk", "--db", db_target(db), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["clients"] == [] and data["model"] == "fallback"
    assert data["reason"] == "short_history"


def test_risk_check_prints_the_aucs_of_the_score_days_since_and_the_flag(db, capsys):
    end = _simulated_file(db, 1500)
    cut = end - timedelta(days=90)
    code, out, err = _run(capsys, "risk-check", "--db", db_target(db), "--as-of",
                          cut.isoformat())
    assert code == 0, err
    with db.sessions() as s:  # the flag the app sets: a score at or over the threshold
        bt = risk.check(s, cut, 90, risk_store.threshold(s))
        old = risk.check(s, cut, 90)  # no threshold: the old gap rule
    assert bt.threshold == 0.6 and bt.auc_flag != old.auc_flag
    assert (bt.auc_old_rule, bt.old_rule_precision, bt.old_rule_recall) == (
        old.auc_flag, old.flag_precision, old.flag_recall)
    assert (f"the old gap rule: AUC {bt.auc_old_rule:.4f}, precision "
            f"{bt.old_rule_precision:.4f}") in out
    assert bt.model in ("bgnbd", "logistic") and bt.choice.reason == "backtest"
    assert f"AUC of the risk score ({bt.model}):    {bt.auc_score:.4f}" in out
    assert f"AUC of days since the last purchase: {bt.auc_days_since:.4f}" in out
    assert f"AUC of the at-risk flag:             {bt.auc_flag:.4f}" in out
    assert (f"at-risk flag: precision {bt.flag_precision:.4f}, recall "
            f"{bt.flag_recall:.4f}") in out
    assert bt.auc_score > bt.auc_days_since and bt.auc_score > bt.auc_flag
    code, out, err = _run(capsys, "risk-check", "--db", db_target(db), "--as-of",
                          cut.isoformat(), "--json")
    data = json.loads(out)
    assert data["auc_score"] == bt.auc_score and data["auc_at_risk_flag"] == bt.auc_flag
    assert data["at_risk_threshold"] == 0.6 and data["auc_old_gap_rule"] == bt.auc_old_rule
    assert data["clients"] == bt.clients and data["lost"] == bt.lost
    assert data["model"] == bt.model and data["tested_at"] == bt.choice.tested_at.isoformat()
    # risk on the same file picks its model by the same backtest
    code, out, err = _run(capsys, "risk", "--db", db_target(db), "--as-of",
                          cut.isoformat(), "--json")
    assert json.loads(out)["model"] == bt.model


def test_risk_check_refuses_a_horizon_not_known_yet(shop, capsys):
    code, out, err = _run(capsys, "risk-check", "--db", db_target(shop), "--as-of",
                          AS_OF.isoformat())
    assert code == 2 and out == ""
    assert err.startswith("clientcare: the purchases known end on 2026-06-27: the 90 days "
                          "after 2026-06-30")
    assert "Traceback" not in err


def test_risk_commands_on_a_missing_file_create_nothing(tmp_path, capsys):
    path = tmp_path / "none" / "x.sqlite"
    for cmd in (["risk"], ["risk-check", "--as-of", "2026-01-01"]):
        code, out, err = _run(capsys, *cmd, "--db", str(path))
        assert code == 2 and "does not exist" in err
    assert not path.parent.exists()


@pytest.mark.parametrize("bad", ["0", "-5", "ten", "3651"])
def test_a_bad_horizon_is_a_usage_error(shop, bad, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["risk", "--db", db_target(shop), "--horizon", bad])
    assert exc.value.code == 2
    assert "not a number of days from 1 to 3650" in capsys.readouterr().err


def test_risk_check_needs_its_date(shop, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["risk-check", "--db", db_target(shop)])
    assert exc.value.code == 2
    assert "--as-of" in capsys.readouterr().err
