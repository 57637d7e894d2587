"""The risk scores of a large file computed in a child process (app/services/
risk_worker.py): the same table as in the window's own process, nothing when nothing
is due, a stop that ends the child at once, and a failure that comes back as an error
(the old scores stay), never a hang."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest

from app.progress import Cancelled
from app.services import risk_store, risk_worker

TODAY = date(2026, 6, 30)


@pytest.fixture
def shop(db, make_client):
    for k in range(12):
        make_client(f"Klient {k}", purchases=[
            (TODAY - timedelta(days=3 * k + 20 + (25 + k) * n), "40") for n in range(1 + k % 5)])
    return db


def _kept(db) -> list[tuple]:
    from sqlalchemy import text
    with db.sessions() as s:
        return [tuple(r) for r in s.execute(text("SELECT * FROM client_risk ORDER BY client_id"))]


@pytest.mark.sqlite_only("the child process reads the SQLite file itself; on a server the scores are computed on the window's executor")
def test_the_child_scores_as_the_window_does(shop):
    steps: list[tuple[int, int]] = []
    scored = risk_worker.score_in_child(shop.path, TODAY, False, threading.Event(),
                                        lambda d, t: steps.append((d, t)))
    with shop.sessions() as s:
        here = risk_store.score(risk_store.read_history(s, TODAY), TODAY, risk_store.horizon(s))
    assert len(scored) == len(here) == 12
    assert scored.choice == here.choice and scored.as_of == TODAY
    assert steps and steps[-1][0] == steps[-1][1]  # the child's steps reached the parent
    try:
        with shop.session() as s:  # the child's rows kept as a table computed here is
            assert risk_store.store(s, scored).clients == 12
    finally:
        scored.close()
    assert not scored.path.exists()  # the scratch file is gone with it
    from_child = _kept(shop)
    with shop.session() as s:
        risk_store.store(s, here)
    assert _kept(shop) == from_child and len(from_child) == 12


@pytest.mark.sqlite_only("the child process reads the SQLite file itself; on a server the scores are computed on the window's executor")
def test_nothing_is_computed_when_the_scores_are_of_that_day(shop):
    with shop.session() as s:
        risk_store.refresh_risk(s, TODAY)
    assert risk_worker.score_in_child(shop.path, TODAY, True, threading.Event(),
                                      lambda d, t: None) is None


def test_a_stop_ends_the_child_at_once(shop):
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    began = time.perf_counter()
    with pytest.raises(Cancelled):
        risk_worker.score_in_child(shop.path, TODAY, False, stop, lambda d, t: None)
    assert time.perf_counter() - began < 10
    assert not [p for p in __import__("multiprocessing").active_children()
                if p.name == "clientcare-risk"]


def test_a_file_the_child_cannot_read_is_an_error_not_a_hang(tmp_path):
    bad = tmp_path / "not-a-database.sqlite"
    bad.write_bytes(b"this is not a ClientCare file" * 100)
    with pytest.raises(risk_worker.RiskWorkerError) as failed:
        risk_worker.score_in_child(bad, TODAY, False, threading.Event(), lambda d, t: None)
    assert "DatabaseError" in str(failed.value) or "not a database" in str(failed.value)


def test_only_a_large_file_goes_to_a_child(tmp_path, monkeypatch):
    small = tmp_path / "small.sqlite"
    small.write_bytes(b"x" * 1000)
    assert not risk_worker.wants_child(small)
    assert not risk_worker.wants_child(tmp_path / "missing.sqlite")
    monkeypatch.setattr(risk_worker, "CHILD_FROM_BYTES", 1000)
    assert risk_worker.wants_child(small)


@pytest.mark.sqlite_only("the child process reads the SQLite file itself")
def test_the_window_reads_the_childs_scores_without_numpy_or_scipy(shop):
    """The window's process only writes what the child computed: importing scipy to read
    the child's answer back cost it about 75 MiB at a million clients."""
    import subprocess
    import sys
    from pathlib import Path
    code = (
        "import sys, threading\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from app.db import open_database\n"
        "from app.services import risk_store, risk_worker\n"
        f"path, day = Path({str(shop.path)!r}), date.fromordinal({TODAY.toordinal()})\n"
        "db = open_database(path, create=False)\n"
        "t = risk_worker.score_in_child(path, day, False, threading.Event(), lambda d, n: None)\n"
        "with db.session() as s:\n"
        "    run = risk_store.store(s, t)\n"
        "t.close()\n"
        "db.close()\n"
        "print(run.clients, run.model, sorted(m for m in ('numpy', 'scipy') if m in sys.modules))\n")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    clients, model, heavy = out.stdout.split(maxsplit=2)
    assert int(clients) == 12 and model in {"bgnbd", "logistic", "fallback"}
    assert heavy.strip() == "[]"


def test_a_backtest_choice_is_sent_back_in_plain_numbers():
    import pickle

    import numpy as np

    from app.services.risk_choice import Choice
    c = Choice("bgnbd", "backtest", {"bgnbd": np.float64(0.71), "logistic": None},
               date(2026, 3, 1))
    plain = c.plain()
    assert plain == c and type(plain.aucs["bgnbd"]) is float
    assert b"numpy" not in pickle.dumps(plain) and b"app.services.risk\n" not in pickle.dumps(plain)
