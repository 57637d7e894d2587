"""The kept churn-risk scores: computed from the history, written to ``client_risk``,
read by the list, the card, the Today queue and ``clientcare risk``.

``refresh_risk`` recomputes them for a date in three steps that the window runs apart, so
the one database executor is held only for the short ones (at a million clients the
scoring takes about a minute of CPU):

1. :func:`read_history`: the purchase days known on the date (one read, a few seconds);
2. :func:`score`: the model chosen by backtest, fitted and scored, with no Session at
   all (a plain worker thread);
3. :func:`store`: the scores written back in batches in one short write.

A kept score is the client's while their last purchase day is the one it was computed
with (``client_risk.last_on``); a newer purchase makes it stale and the at-risk status
follows the gap rule again until the next refresh (app/services/clients.py
``status_expr``). No Qt here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Date, bindparam, delete, func, select, text
from sqlalchemy.orm import Session

from app import dialect
from app.models import Client, ClientRisk
from app.progress import NO_PROGRESS, Progress
from app.services import settings as settings_service
from app.services.risk_explain import Explanation, explanation_code, explanation_values

if TYPE_CHECKING:
    from app.services import risk

#: the setting keys (defaults in app/config.py)
HORIZON_KEY = "risk.horizon_days"
THRESHOLD_KEY = "risk.threshold_percent"
#: what the last refresh was (as of, horizon, model, why, how many)
RUN_KEY = "internal.risk_run"
#: rows per INSERT batch
WRITE_BATCH = 20_000
#: the list's index on the scores (app/models/risk.py, migration 0014)
SCORE_INDEX = "ix_client_risk_score"


@dataclass(frozen=True)
class RiskRun:
    """What one refresh kept."""

    as_of: date
    horizon: int
    model: str
    reason: str
    aucs: dict
    tested_at: date | None
    clients: int

    def to_json(self) -> str:
        return json.dumps({"as_of": self.as_of.isoformat(), "horizon": self.horizon,
                           "model": self.model, "reason": self.reason, "aucs": self.aucs,
                           "tested_at": self.tested_at.isoformat() if self.tested_at
                           else None, "clients": self.clients}, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> RiskRun | None:
        try:
            d = json.loads(raw)
            return cls(date.fromisoformat(d["as_of"]), int(d["horizon"]), d["model"],
                       d["reason"], dict(d["aucs"]),
                       date.fromisoformat(d["tested_at"]) if d["tested_at"] else None,
                       int(d["clients"]))
        except (ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class KeptRisk:
    """A client's kept score as the card and the queue show it."""

    client_id: int
    score: float
    level: str
    explanation: Explanation
    model: str
    as_of: date
    horizon: int
    #: the client's last purchase day is still the one the score was computed with
    fresh: bool

    @property
    def overdue_days(self) -> int:
        """Days past the client's usual gap (the business's without one of their own),
        as of the day the score was computed; 0 when not past it."""
        v = self.explanation.values
        return max(0, int(v["since"]) - int(v["gap"]))


def horizon(session: Session) -> int:
    return int(settings_service.get(session, HORIZON_KEY))


def threshold(session: Session) -> float:
    """The score from which a client is at risk (0..1)."""
    return settings_service.get(session, THRESHOLD_KEY) / 100


def last_run(session: Session) -> RiskRun | None:
    raw = settings_service.get(session, RUN_KEY) or ""
    return RiskRun.from_json(raw) if raw else None


# --------------------------------------------------------------------------- the steps


def read_history(session: Session, as_of: date,
                 progress: Progress = NO_PROGRESS) -> risk.History:
    """Step 1: every purchase day known on ``as_of`` (one read; ``progress`` is asked to
    stop between blocks of rows)."""
    from app.services import risk  # lazy: numpy and scipy (the reading needs neither)
    return risk.load_history(session, as_of, progress)


def score(h: risk.History, as_of: date, days: int,
          progress: Progress = NO_PROGRESS) -> risk.ScoreTable:
    """Step 2, no Session: choose the model on the business's own past, fit it and score
    every client with a purchase (``progress`` is asked to stop between the steps)."""
    from app.services import risk  # lazy: numpy and scipy (the reading needs neither)
    risk._check_horizon(days)
    progress.check()
    progress.report(1, 4, "summaries")
    risk.summarize(h, as_of)
    progress.check()
    progress.report(2, 4, "model")
    choice = risk.choose_model(h, as_of, days)
    progress.check()
    progress.report(3, 4, "scores")
    table = risk.score_table(h, as_of, days, choice)
    progress.check()
    progress.report(4, 4, "scores")
    return table


def row_batches(t: risk.ScoreTable) -> Iterable[list[tuple]]:
    """The rows of ``_INSERT`` by batches of :data:`WRITE_BATCH` (plain tuples: at a
    million clients a dict per row cost more than the writing), each batch's Python
    values made from its slice of the columns only: the whole table as Python objects
    at once was half a gigabyte at a million."""
    n = len(t)
    as_of, model, horizon = t.as_of.isoformat(), t.choice.model, t.horizon
    base = t.as_of.toordinal()
    for at in range(0, n, WRITE_BATCH):
        part = slice(at, min(at + WRITE_BATCH, n))
        size = part.stop - part.start
        fb = (t.expected_gap[part].tolist() if t.expected_gap is not None
              else [None] * size)
        last = [date.fromordinal(d).isoformat() for d in (base - t.since[part]).tolist()]
        code = [explanation_code(o) for o in t.own_gap[part].tolist()]
        cid = t.client_id[part].tolist()
        yield list(zip(cid, t.score[part].tolist(), t.level[part].tolist(), code,
                       t.since[part].tolist(), t.gap[part].tolist(), t.ratio[part].tolist(),
                       t.purchase_days[part].tolist(), t.value_cents[part].tolist(),
                       t.value_level[part].tolist(), fb, [model] * size, [as_of] * size,
                       last, [horizon] * size, cid, strict=True))


#: a client purged between the read and the write is left out (no row of a client gone)
_INSERT = (
    "INSERT INTO client_risk (client_id, score, level, code, since_days, gap_days, ratio, "
    "purchase_days, value_cents, value_level, expected_gap, model, as_of, last_on, "
    "horizon) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?)")


#: the same on a server (PostgreSQL): each value of the SELECT typed as its column
_INSERT_SERVER = (
    "INSERT INTO client_risk (client_id, score, level, code, since_days, gap_days, ratio, "
    "purchase_days, value_cents, value_level, expected_gap, model, as_of, last_on, "
    "horizon) SELECT CAST(%s AS INTEGER), CAST(%s AS DOUBLE PRECISION), %s, %s, "
    "CAST(%s AS INTEGER), CAST(%s AS INTEGER), CAST(%s AS DOUBLE PRECISION), "
    "CAST(%s AS INTEGER), CAST(%s AS INTEGER), %s, CAST(%s AS INTEGER), %s, "
    "CAST(%s AS DATE), CAST(%s AS DATE), CAST(%s AS INTEGER) "
    "WHERE EXISTS (SELECT 1 FROM clients WHERE id = %s)")


#: the clients at risk by their kept score (the status's rule: live, bought, not lapsed),
#: before and after a new keeping
_FLAGGED = ("SELECT r.client_id FROM client_risk r JOIN clients c ON c.id = r.client_id "
            "AND c.last_purchase_on = r.last_on WHERE r.score >= :threshold "
            "AND c.deleted_at IS NULL AND c.last_purchase_on >= :lapsed_since")
#: clients scheduled again per regeneration when new scores flag many (the first keeping
#: of a large file flags a fifth of it: one statement per chunk, never one of 200,000;
#: 2,000 rather than 20,000: the window's peak at a million 479 MiB against 495)
SCHEDULE_CHUNK = 2_000


def _flagged(sql: str):
    """``sql`` with the lapsed day bound as a date on either engine."""
    return text(sql).bindparams(bindparam("lapsed_since", type_=Date))


def store(session: Session, t: risk.ScoreTable, progress: Progress = NO_PROGRESS,
          today: date | None = None) -> RiskRun:
    """Step 3: the scores replace the kept ones, in batches, in the caller's transaction
    (a stop asked between batches rolls the whole write back). The statements go through
    the engine, so the change record names ``client_risk``. ``t``: a table computed in
    this process, or the rows a child process wrote (app/services/risk_worker.py
    ``ScoresFile``: the same ``as_of``, ``horizon``, ``choice`` and length, and its rows
    by ``batches``).

    The clients the new scores put at risk (not at risk by a kept score before) get
    their win-back call in the same transaction: the schedule of ``today`` (default: the
    scores' day) is made again for them (app/services/schedule.py), so the queue and the
    status never disagree."""
    conn = session.connection()
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS risk_flagged "
                         "(id INTEGER PRIMARY KEY)")
    conn.exec_driver_sql("DELETE FROM risk_flagged")
    day = today or t.as_of
    lapsed = settings_service.get(session, "status.lapsed_after_days")
    which = {"threshold": threshold(session), "lapsed_since": day - timedelta(days=lapsed)}
    session.execute(_flagged("INSERT INTO risk_flagged (id) " + _FLAGGED), which)
    session.execute(delete(ClientRisk))
    conn = session.connection()
    # the score's index built once at the end, from sorted rows: kept up row by row it
    # took most of the write at a million clients (each insert a random place in it)
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {SCORE_INDEX}")
    done = 0
    # a table computed here, or the rows a child process wrote (app/services/
    # risk_worker.py ScoresFile), batch by batch either way
    batches = t.batches(WRITE_BATCH) if hasattr(t, "batches") else row_batches(t)
    for batch in batches:
        progress.check()
        conn.exec_driver_sql(_INSERT if dialect.is_sqlite(conn) else _INSERT_SERVER, batch)
        done += len(batch)
        progress.report(done, len(t), "write")
    conn.exec_driver_sql(f"CREATE INDEX {SCORE_INDEX} ON client_risk (score, client_id)")
    flagged = list(session.scalars(_flagged(
        _FLAGGED + " AND r.client_id NOT IN (SELECT id FROM risk_flagged) "
        "ORDER BY r.client_id"), which))
    conn.exec_driver_sql("DELETE FROM risk_flagged")
    if flagged:
        from app.services import schedule  # lazy: the scheduler is not needed to read
        for at in range(0, len(flagged), SCHEDULE_CHUNK):
            progress.check()
            schedule.regenerate(session, day, flagged[at:at + SCHEDULE_CHUNK])
    c = t.choice
    kept_rows = kept_count(session)
    run = RiskRun(t.as_of, t.horizon, c.model, c.reason, dict(c.aucs), c.tested_at,
                  kept_rows)
    settings_service.put(session, RUN_KEY, run.to_json())
    progress.report(done, len(t), "write")
    return run


def refresh_risk(session: Session, as_of: date | None = None, days: int | None = None,
                 progress: Progress = NO_PROGRESS, today: date | None = None) -> RiskRun:
    """The three steps in one Session (the command line, tests): every client's score
    as of ``as_of`` (default today) over the horizon setting (or ``days``), kept; the
    clients it puts at risk are scheduled as of ``today`` (default ``as_of``)."""
    as_of = as_of or date.today()
    days = days or horizon(session)
    h = read_history(session, as_of, progress)
    return store(session, score(h, as_of, days, progress), progress, today)


def due(session: Session, today: date) -> bool:
    """Are the kept scores not of ``today`` and the horizon setting (the window's start
    of a day refreshes them then)?"""
    run = last_run(session)
    return run is None or run.as_of != today or run.horizon != horizon(session)


# --------------------------------------------------------------------------- reading


def _kept(row: ClientRisk, last_purchase_on: date | None) -> KeptRisk:
    values = explanation_values(row.since_days, row.gap_days, row.ratio,
                                     row.purchase_days, row.value_cents, row.value_level,
                                     row.level, row.score, row.expected_gap)
    return KeptRisk(row.client_id, row.score, row.level,
                    Explanation(row.code, values), row.model, row.as_of, row.horizon,
                    row.last_on == last_purchase_on)


def kept(session: Session, client_ids: Sequence[int]) -> dict[int, KeptRisk]:
    """The kept scores of some clients (those without one are left out)."""
    out: dict[int, KeptRisk] = {}
    ids = list(client_ids)
    for at in range(0, len(ids), 10_000):
        part = ids[at:at + 10_000]
        for row, last in session.execute(
                select(ClientRisk, Client.last_purchase_on)
                .join(Client, Client.id == ClientRisk.client_id)
                .where(ClientRisk.client_id.in_(part))):
            out[row.client_id] = _kept(row, last)
    return out


def kept_report(session: Session) -> tuple[RiskRun, list[tuple[KeptRisk, str | None]]] | None:
    """Every kept score with the client's external reference, ordered by client, and
    the run they came from; None when nothing is kept."""
    run = last_run(session)
    if run is None:
        return None
    rows = session.execute(
        select(ClientRisk, Client.last_purchase_on, Client.external_ref)
        .join(Client, Client.id == ClientRisk.client_id)
        .where(Client.deleted_at.is_(None)).order_by(ClientRisk.client_id))
    return run, [(_kept(r, last), ref) for r, last, ref in rows]


def kept_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ClientRisk)) or 0


def winback_facts(session: Session, client_ids: Sequence[int], today: date
                  ) -> dict[int, tuple[KeptRisk | None, int]]:
    """For the win-back calls of Today: each client's kept score while it is theirs (None
    without one) and how many days past their usual gap they are on ``today`` (the
    business's default gap for a client without one of their own)."""
    ids = sorted(set(client_ids))
    if not ids:
        return {}
    default_gap = settings_service.get(session, "status.default_gap_days")
    scores = kept(session, ids)
    out: dict[int, tuple[KeptRisk | None, int]] = {}
    for at in range(0, len(ids), 10_000):
        for cid, last, gap in session.execute(
                select(Client.id, Client.last_purchase_on, Client.usual_gap_days)
                .where(Client.id.in_(ids[at:at + 10_000]))):
            if last is None:
                continue
            k = scores.get(cid)
            k = k if k is not None and k.fresh else None
            usual = int(k.explanation.values["gap"]) if k is not None else (gap or default_gap)
            out[cid] = (k, (today - last).days - usual)
    return out
