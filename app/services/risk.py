"""Churn risk: the probability that a client makes no purchase in the next N days.

DOMAIN.md "Churn risk": estimated from the client's own rhythm and the business's own
history, computable as of any past date from what was known then. Three models:

- **BG/NBD** (Fader, Hardie & Lee 2005), fitted by maximum likelihood on every buyer's
  (x = repeat purchase days, t_x = day of the last one after the first, T = tenure);
  the score is 1 - P(alive) + P(alive) * ((alpha + T) / (alpha + T + N)) ** (r + x).
- **logistic**: an L2-regularised logistic regression on recency, frequency, monetary
  value, tenure and the overdue ratio, trained on the business's own past: features at
  as_of - N, label = no purchase in the N days after (all of it known on as_of).
- **fallback** (few buyers or a short history): a transparent score from the days since
  the last purchase over the client's usual gap (or the business's median gap).

Which one is used is measured, not assumed: each is backtested on the business's own
past (scored at as_of - N, labelled by as_of) and the best AUC wins; the result says
which and why. A *purchase day* is a day with a line that is not a credit (as the
charts count); the 12-month value is the client's value (every line, refunds net) in
(cut - window, cut], as the card shows it.

No Qt here: explanations are a code and values; the UI words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from scipy import optimize, special, stats
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dialect
from app.client_list import RISK_LEVELS
from app.errors import DomainError
from app.models import Client, Purchase
from app.progress import NO_PROGRESS, Progress
from app.services.risk_choice import Choice
from app.services.risk_explain import Explanation, explanation_code, explanation_values

#: the horizon N of "no purchase in the next N days" (DOMAIN.md: default 90)
HORIZON_DAYS = 90
#: below this many buyers with a repeat purchase the models are not fitted
MIN_REPEAT_BUYERS = 200
#: below this many days of history (times the horizon) the models are not fitted
MIN_HISTORY_HORIZONS = 2
#: risk levels by score
HIGH_RISK, MEDIUM_RISK = RISK_LEVELS["high"][0], RISK_LEVELS["medium"][0]
#: the L2 penalty of the logistic model (on standardised features, per client)
L2_PENALTY = 1e-3

MODEL_BGNBD, MODEL_LOGISTIC, MODEL_FALLBACK = "bgnbd", "logistic", "fallback"


# --------------------------------------------------------------------------- history


@dataclass
class History:
    """Every client's days with purchases up to ``until`` (sorted by client, day).

    ``day`` is a date's ordinal; ``cents`` the day's net total of every line (credits
    included, as the client value counts them); ``real`` whether the day has a line that
    is not a credit (a purchase day)."""

    until: date
    cid: np.ndarray
    day: np.ndarray
    cents: np.ndarray
    real: np.ndarray
    refs: dict[int, str | None] = field(default_factory=dict)
    #: the settings the scores use (defaults of app/config.py unless read from a file)
    min_purchases_for_gap: int = 3
    default_gap_days: int = 90
    gap_multiplier: float = 2.0
    window_days: int = 365
    #: summaries already computed, by cut (a history does not change once read)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_events(cls, events: dict[int, list[int]] | list[np.ndarray], until: date,
                    *, origin: date | None = None, **settings) -> History:
        """From purchase days per client (day numbers from ``origin``; a simulator's
        output); every purchase 1.00."""
        origin = origin or date(2000, 1, 1)
        items = events.items() if isinstance(events, dict) else enumerate(events, 1)
        cids, days = [], []
        for c, ds in items:
            u = np.unique(np.asarray(ds, dtype=np.int64))
            cids.append(np.full(len(u), c, dtype=np.int64))
            days.append(u + origin.toordinal())
        cid = np.concatenate(cids) if cids else np.zeros(0, np.int64)
        day = np.concatenate(days) if days else np.zeros(0, np.int64)
        keep = day <= until.toordinal()
        order = np.lexsort((day[keep], cid[keep]))
        cid, day = cid[keep][order], day[keep][order]
        return cls(until, cid, day, np.full(len(day), 100, np.int64),
                   np.ones(len(day), bool), {int(c): None for c in np.unique(cid)},
                   **settings)

    def first_day(self) -> int | None:
        days = self.day[self.real]
        return int(days.min()) if len(days) else None


#: rows of the history read into an array at a time
READ_BLOCK = 200_000


_HISTORY_SQL = (
    "SELECT p.client_id, CAST(julianday(p.purchased_on) - 1721424.5 AS INTEGER), "
    "SUM(CAST(ROUND(p.amount * 100) AS INTEGER)), MAX(p.is_credit = 0) "
    "FROM purchases p WHERE p.purchased_on <= ? AND p.client_id NOT IN "
    "(SELECT id FROM clients WHERE deleted_at IS NOT NULL) "
    "GROUP BY p.client_id, p.purchased_on ORDER BY p.client_id, p.purchased_on")
#: the same on a server (PostgreSQL): a date's ordinal by date subtraction (1 for
#: 0001-01-01, as Python's ``date.toordinal``), booleans as booleans
_HISTORY_SERVER_SQL = (
    "SELECT p.client_id, p.purchased_on - DATE '0001-01-01' + 1, "
    "SUM(CAST(ROUND(p.amount * 100) AS BIGINT)), "
    "MAX(CASE WHEN p.is_credit THEN 0 ELSE 1 END) "
    "FROM purchases p WHERE p.purchased_on <= CAST(%s AS DATE) AND p.client_id NOT IN "
    "(SELECT id FROM clients WHERE deleted_at IS NOT NULL) "
    "GROUP BY p.client_id, p.purchased_on ORDER BY p.client_id, p.purchased_on")


def load_history(session: Session, until: date,
                 progress: Progress = NO_PROGRESS) -> History:
    """The purchase days of every client not in the trash, on or before ``until`` only
    (``progress`` is asked to stop between blocks of rows)."""
    # lazy: the settings module reads the database; only here it is needed
    from app.services import settings as settings_service

    # the purchases in the order of their (client, day) index, trashed clients left out;
    # numbers only (a date's ordinal is its Julian day less 1721424.5)
    conn = session.connection()
    cursor = conn.connection.cursor()  # plain tuples: 1,000,000 rows
    cursor.execute(_HISTORY_SQL if dialect.is_sqlite(conn) else _HISTORY_SERVER_SQL,
                   (until.isoformat(),))
    # a block of tuples at a time into one compact array per column: at a million
    # clients (9.4 million client-days) all the tuples at once took some 1.5 GB; four
    # int64 columns 300 MB (and twice that while joined); ids and days as int32, the
    # cents as int64, the purchase flag as bool take 160 MB
    columns: tuple[list, list, list, list] = ([], [], [], [])
    try:
        while rows := cursor.fetchmany(READ_BLOCK):
            block = np.array(rows, dtype=np.int64).reshape(-1, 4)
            wide = block[:, 0].max() >= 2**31  # an id beyond int32 (never made by the app)
            for out, column, dtype in zip(columns, block.T, (
                    np.int64 if wide else np.int32, np.int32, np.int64, np.bool_),
                    strict=True):
                out.append(column.astype(dtype))
            del block
            progress.check()
    finally:
        cursor.close()

    def joined(parts: list, dtype) -> np.ndarray:
        out = np.concatenate(parts) if parts else np.zeros(0, dtype)
        parts.clear()  # each column's blocks freed once it is whole
        return out

    cid = joined(columns[0], np.int32)
    day = joined(columns[1], np.int32)
    cen = joined(columns[2], np.int64)
    rea = joined(columns[3], np.bool_)
    ids = np.unique(cid[rea]).tolist()
    refs: dict[int, str | None] = {}
    for at in range(0, len(ids), 10_000):
        part = ids[at:at + 10_000]
        refs.update(session.execute(select(Client.id, Client.external_ref)
                                    .where(Client.id.in_(part))).all())
    g = settings_service.get_all(session)
    return History(until, cid, day, cen, rea, refs,
                   min_purchases_for_gap=g["status.min_purchases_for_own_gap"],
                   default_gap_days=g["status.default_gap_days"],
                   gap_multiplier=float(g["status.gap_multiplier"]),
                   window_days=g["value.window_days"])


@dataclass
class Summary:
    """Per client with a purchase day on or before ``cut`` (arrays in client order)."""

    cut: date
    client_id: np.ndarray
    days: np.ndarray  #: purchase days
    x: np.ndarray  #: repeat purchase days (days - 1)
    t_x: np.ndarray  #: days from the first purchase day to the last
    T: np.ndarray  #: days from the first purchase day to the cut (tenure)
    since: np.ndarray  #: days since the last purchase day
    gap: np.ndarray  #: the usual (median) gap in days, NaN with too few purchase days
    value_cents: np.ndarray  #: 12-month value in cents

    def value(self, i: int) -> Decimal:
        return Decimal(int(self.value_cents[i])).scaleb(-2)

    def __len__(self) -> int:
        return len(self.client_id)


def summarize(h: History, cut: date) -> Summary:
    """The summaries as of ``cut`` (on or before the history's end): only days <= cut."""
    if cut > h.until:
        raise ValueError("the history does not reach the cut")
    if cut not in h.cache:
        h.cache[cut] = _summarize(h, cut)
    return h.cache[cut]


def _summarize(h: History, cut: date) -> Summary:
    c = cut.toordinal()
    known = h.day <= c
    # the value: every line in (cut - window, cut]
    inwin = known & (h.day > c - h.window_days)
    rmask = known & h.real
    cid, day = h.cid[rmask], h.day[rmask]
    ids, start, count = np.unique(cid, return_index=True, return_counts=True)
    first = day[start]
    last = day[start + count - 1]
    vids, vpos = np.unique(h.cid[inwin], return_inverse=True)
    vsum = np.bincount(vpos, weights=h.cents[inwin], minlength=len(vids)).astype(np.int64)
    value = np.zeros(len(ids), np.int64)
    where = np.searchsorted(vids, ids)
    ok = (where < len(vids)) & (vids[np.minimum(where, max(len(vids) - 1, 0))] == ids) \
        if len(vids) else np.zeros(len(ids), bool)
    value[ok] = vsum[where[ok]]
    # the median gap between consecutive purchase days, as clients.py _refresh_gaps
    gap = np.full(len(ids), np.nan)
    if len(day) > 1:
        same = cid[1:] == cid[:-1]
        gcid, gval = cid[1:][same], (day[1:] - day[:-1])[same]
        order = np.lexsort((gval, gcid))
        gcid, gval = gcid[order], gval[order]
        gids, gstart, gcount = np.unique(gcid, return_index=True, return_counts=True)
        med = (gval[gstart + (gcount - 1) // 2] + gval[gstart + gcount // 2]) / 2
        pos = np.searchsorted(ids, gids)
        enough = count[pos] >= h.min_purchases_for_gap
        gap[pos[enough]] = np.floor(med[enough])
    return Summary(cut, ids, count, count - 1, (last - first).astype(float),
                   (c - first).astype(float), (c - last).astype(float), gap, value)


def lost_after(h: History, s: Summary, horizon: int) -> np.ndarray:
    """Label: True where the client made no purchase day in (cut, cut + horizon]."""
    c = s.cut.toordinal()
    if c + horizon > h.until.toordinal():
        raise ValueError("the history does not reach the end of the horizon")
    m = h.real & (h.day > c) & (h.day <= c + horizon)
    bought = np.isin(s.client_id, h.cid[m])
    return ~bought


# --------------------------------------------------------------------------- BG/NBD


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    converged: bool

    def p_alive(self, x, t_x, T) -> np.ndarray:
        x, t_x, T = map(np.asarray, (x, t_x, T))
        xs = np.maximum(x, 1)
        z = (np.log(self.a) - np.log(self.b + xs - 1)
             + (self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + t_x)))
        return np.where(x > 0, special.expit(-z), 1.0)

    def p_no_purchase(self, x, t_x, T, horizon: int) -> np.ndarray:
        """The probability of no purchase in (T, T + horizon]."""
        x, T = np.asarray(x), np.asarray(T)
        pa = self.p_alive(x, t_x, T)
        stay = np.exp((self.r + x) * (np.log(self.alpha + T)
                                      - np.log(self.alpha + T + horizon)))
        return 1 - pa + pa * stay


def bgnbd_loglik(params, x, t_x, T, weights=None) -> float:
    """The BG/NBD log-likelihood of (r, alpha, a, b) over the clients' (x, t_x, T)."""
    r, alpha, a, b = params
    x, t_x, T = map(np.asarray, (x, t_x, T))
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    t1 = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
    xs = np.maximum(x, 1)
    t2 = (special.betaln(a + 1, b + xs - 1) - special.betaln(a, b)
          - (r + x) * np.log(alpha + t_x))
    ll = common + np.where(x > 0, np.logaddexp(t1, t2), t1)
    w = np.ones_like(ll) if weights is None else weights
    return float(np.sum(w * ll))


def bgnbd_gradient(params, x, t_x, T, weights=None) -> np.ndarray:
    """The gradient of ``bgnbd_loglik`` in (r, alpha, a, b)."""
    r, alpha, a, b = params
    x, t_x, T = map(np.asarray, (x, t_x, T))
    w = np.ones(len(x)) if weights is None else weights
    dg = special.digamma
    t1 = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
    xs = np.maximum(x, 1)
    t2 = (special.betaln(a + 1, b + xs - 1) - special.betaln(a, b)
          - (r + x) * np.log(alpha + t_x))
    has = x > 0
    top = np.where(has, np.logaddexp(t1, t2), t1)
    w1 = np.exp(t1 - top)
    w2 = np.where(has, np.exp(t2 - top), 0.0)
    ab = dg(a + b)
    d_r = dg(r + x) - dg(r) + np.log(alpha) - w1 * np.log(alpha + T) \
        - w2 * np.log(alpha + t_x)
    d_alpha = r / alpha - w1 * (r + x) / (alpha + T) - w2 * (r + x) / (alpha + t_x)
    d_a = (w1 * (dg(a) - dg(a + b + x)) + w2 * (dg(a + 1) - dg(a + b + x))
           - (w1 + w2) * (dg(a) - ab))
    d_b = (w1 * (dg(b + x) - dg(a + b + x)) + w2 * (dg(b + xs - 1) - dg(a + b + x))
           - (w1 + w2) * (dg(b) - ab))
    return np.array([np.sum(w * d) for d in (d_r, d_alpha, d_a, d_b)])


def fit_bgnbd(x, t_x, T) -> BgNbd:
    """Maximum likelihood over log-parameters (bounded, so no exp overflows), with the
    analytic gradient; identical (x, t_x, T) are summed once with their count as
    weight (whole days repeat a lot)."""
    x, t_x, T = (np.asarray(v, float) for v in (x, t_x, T))
    whole = all(np.all(v == np.floor(v)) and (len(v) == 0 or v.max() < 2**20)
                for v in (x, t_x, T))
    if whole and len(x):
        key = (x.astype(np.int64) << 40) | (t_x.astype(np.int64) << 20) | T.astype(np.int64)
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        ux, ut, uT, w = x[first], t_x[first], T[first], counts.astype(float)
    else:
        ux, ut, uT, w = x, t_x, T, np.ones(len(x))
    n = max(w.sum(), 1.0)

    def nll(lp):
        p = np.exp(lp)
        val = -bgnbd_loglik(p, ux, ut, uT, w) / n
        if not np.isfinite(val):
            return 1e10, np.zeros(4)
        return val, -bgnbd_gradient(p, ux, ut, uT, w) * p / n

    scale = max(float(np.average(uT, weights=w)), 1.0) if len(ux) else 1.0
    mean_x = float(np.average(ux, weights=w)) if len(ux) else 0.0
    start = np.log([1.0, scale / max(mean_x, 0.1), 1.0, 3.0])
    bounds = [(-9.0, 9.0), (-9.0, 12.0), (-9.0, 9.0), (-9.0, 9.0)]
    res = optimize.minimize(nll, start, jac=True, method="L-BFGS-B", bounds=bounds)
    r, alpha, a, b = np.exp(res.x)
    return BgNbd(float(r), float(alpha), float(a), float(b), float(-res.fun * n),
                 bool(res.success))


# --------------------------------------------------------------------------- logistic


def _business_gap(h: History, s: Summary) -> float:
    known = s.gap[~np.isnan(s.gap)]
    return float(np.median(known)) if len(known) else float(h.default_gap_days)


def features(h: History, s: Summary) -> np.ndarray:
    gap = np.where(np.isnan(s.gap), _business_gap(h, s), s.gap)
    gap = np.maximum(gap, 1.0)
    return np.column_stack([
        np.log1p(s.x), np.log1p(s.since), np.log1p(s.T), np.log1p(s.t_x),
        np.log((s.since + 1) / (gap + 1)), np.log1p(gap),
        np.log1p(np.maximum(s.value_cents, 0) / 100.0),
        (s.x == 0).astype(float), np.isnan(s.gap).astype(float)])


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    std: np.ndarray
    w: np.ndarray  #: intercept first
    converged: bool

    def predict(self, f: np.ndarray) -> np.ndarray:
        z = (f - self.mean) / self.std
        return special.expit(self.w[0] + z @ self.w[1:])


def fit_logistic(f: np.ndarray, y: np.ndarray, penalty: float = L2_PENALTY) -> Logistic:
    mean = f.mean(axis=0)
    std = f.std(axis=0)
    std[std == 0] = 1.0
    z = (f - mean) / std
    yy = y.astype(float)
    n = len(yy)

    def loss(w):
        eta = w[0] + z @ w[1:]
        # log(1 + e^eta) - y * eta, stable
        val = np.sum(np.logaddexp(0, eta) - yy * eta) / n + penalty / 2 * w[1:] @ w[1:]
        p = special.expit(eta)
        grad = np.concatenate([[np.sum(p - yy)], z.T @ (p - yy)]) / n
        grad[1:] += penalty * w[1:]
        return val, grad

    res = optimize.minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B")
    return Logistic(mean, std, res.x, bool(res.success))


# --------------------------------------------------------------------------- scores


#: the fallback's gap counts the business's usual gap as this many gaps of the client's
#: own (a client with two purchases has one gap of their own: a noisy one)
FALLBACK_PRIOR_GAPS = 8


def fallback_gap(h: History, s: Summary) -> np.ndarray:
    """The client's expected gap: (days from the first purchase to the last + 8 x the
    business's usual gap) / (repeat purchases + 8), in days."""
    g = (s.t_x + FALLBACK_PRIOR_GAPS * _business_gap(h, s)) / (s.x + FALLBACK_PRIOR_GAPS)
    return np.maximum(g, 1.0)


def fallback_score(h: History, s: Summary, horizon: int) -> np.ndarray:
    """Transparent: the chance of no purchase in the horizon if the client keeps their
    expected gap (exp(-N / gap)), weighed by how overdue they are: a client at the
    multiplier times that gap (the old at-risk line) is counted half gone."""
    gap = fallback_gap(h, s)
    keep = 1 / (1 + (s.since / (h.gap_multiplier * gap)) ** 3)
    return 1 - keep * (1 - np.exp(-horizon / gap))


def old_rule_flag(h: History, s: Summary) -> np.ndarray:
    """The at-risk rule of clients.status_expr: days since the last purchase over the
    multiplier times the usual gap, or over the default gap without one (lapsed
    clients meet it too)."""
    limit = np.where(np.isnan(s.gap), float(h.default_gap_days),
                     s.gap * h.gap_multiplier)
    return s.since > limit


def auc(score: np.ndarray, positive: np.ndarray) -> float | None:
    """Mann-Whitney AUC (ties count a half): the chance that a lost client scores above
    a kept one. None when either class is empty."""
    pos = np.asarray(positive, bool)
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if n1 == 0 or n0 == 0:
        return None
    ranks = stats.rankdata(np.asarray(score, float))
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _model_scores(h: History, cut: date, horizon: int, model: str) -> np.ndarray:
    s = summarize(h, cut)
    if model == MODEL_BGNBD:
        fit = fit_bgnbd(s.x, s.t_x, s.T)
        return fit.p_no_purchase(s.x, s.t_x, s.T, horizon)
    if model == MODEL_LOGISTIC:
        train = cut - timedelta(days=horizon)
        st = summarize(h, train)
        lr = fit_logistic(features(h, st), lost_after(h, st, horizon))
        return lr.predict(features(h, s))
    return fallback_score(h, s, horizon)


def _fallback_reason(h: History, s: Summary, horizon: int) -> str | None:
    first = h.first_day()
    if first is None or s.cut.toordinal() - first < MIN_HISTORY_HORIZONS * horizon:
        return "short_history"
    if int((s.x > 0).sum()) < MIN_REPEAT_BUYERS:
        return "few_buyers"
    return None


def choose_model(h: History, as_of: date, horizon: int) -> Choice:
    """The model that ranks best on this business's own past: each candidate scores the
    clients as of ``as_of - horizon`` from what was known then and is judged by who
    bought in the horizon after (all known on ``as_of``)."""
    s = summarize(h, as_of)
    why = _fallback_reason(h, s, horizon)
    if why is not None:
        return Choice(MODEL_FALLBACK, why, {}, None)
    test = as_of - timedelta(days=horizon)
    st = summarize(h, test)
    y = lost_after(h, st, horizon)
    aucs: dict[str, float | None] = {}
    for model in (MODEL_BGNBD, MODEL_LOGISTIC, MODEL_FALLBACK):
        if model == MODEL_LOGISTIC and not _can_train(h, test, horizon):
            aucs[model] = None
            continue
        if model == MODEL_BGNBD and int((st.x > 0).sum()) < MIN_REPEAT_BUYERS:
            aucs[model] = None
            continue
        aucs[model] = auc(_model_scores(h, test, horizon, model), y)
    best = max((m for m in aucs if aucs[m] is not None), key=lambda m: aucs[m],
               default=MODEL_FALLBACK)
    return Choice(best, "backtest", aucs, test)


def _can_train(h: History, cut: date, horizon: int) -> bool:
    """The logistic model needs clients known at cut - N with both outcomes."""
    first = h.first_day()
    train = cut - timedelta(days=horizon)
    if first is None or train.toordinal() < first:
        return False
    y = lost_after(h, summarize(h, train), horizon)
    return int(y.sum()) >= 20 and int((~y).sum()) >= 20


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class ClientRisk:
    client_id: int
    external_ref: str | None
    score: float
    level: str  #: "high", "medium" or "low"
    explanation: Explanation


@dataclass(frozen=True)
class RiskReport:
    as_of: date
    horizon: int
    choice: Choice
    clients: list[ClientRisk]


def level_of(score: float) -> str:
    return "high" if score >= HIGH_RISK else "medium" if score >= MEDIUM_RISK else "low"


@dataclass
class ScoreTable:
    """Every scored client as columns (what :func:`score_history` turns into objects and
    app/services/risk_store.py keeps): no Python object per client."""

    as_of: date
    horizon: int
    choice: Choice
    client_id: np.ndarray
    score: np.ndarray
    level: np.ndarray  #: "high", "medium", "low"
    own_gap: np.ndarray  #: the client's own usual gap is known (else the business's)
    gap: np.ndarray
    since: np.ndarray
    ratio: np.ndarray
    purchase_days: np.ndarray
    value_cents: np.ndarray
    value_level: np.ndarray  #: "high", "medium", "low", "none"
    expected_gap: np.ndarray | None  #: the fallback's own gap (None: a fitted model)

    def __len__(self) -> int:
        return len(self.client_id)


def score_table(h: History, as_of: date, horizon: int = HORIZON_DAYS,
                choice: Choice | None = None) -> ScoreTable:
    """The scores and the explanations' values of every client with a purchase day on or
    before ``as_of``, from that history only, as columns."""
    choice = choice or choose_model(h, as_of, horizon)
    s = summarize(h, as_of)
    scores = _model_scores(h, as_of, horizon, choice.model) if len(s) else np.zeros(0)
    bgap = _business_gap(h, s)
    positive = s.value_cents[s.value_cents > 0]
    lo, hi = (np.quantile(positive, [1 / 3, 2 / 3]) if len(positive) else (0, 0))
    cents = s.value_cents
    vlevel = np.where(cents <= 0, "none", np.where(cents >= hi, "high",
                                                    np.where(cents >= lo, "medium", "low")))
    scores = np.clip(scores, 0.0, 1.0)
    levels = np.where(scores >= HIGH_RISK, "high",
                      np.where(scores >= MEDIUM_RISK, "medium", "low"))
    own = ~np.isnan(s.gap)
    gaps = np.where(own, np.nan_to_num(s.gap), round(bgap)).astype(np.int64)
    ratio = np.round(s.since / np.maximum(gaps, 1), 1)
    fb = (np.round(fallback_gap(h, s)).astype(np.int64)
          if choice.model == MODEL_FALLBACK else None)
    return ScoreTable(as_of, horizon, choice, s.client_id, scores, levels, own, gaps,
                      s.since.astype(np.int64), ratio, s.days, cents, vlevel, fb)


def score_history(h: History, as_of: date, horizon: int = HORIZON_DAYS,
                  choice: Choice | None = None) -> RiskReport:
    """Every client with a purchase day on or before ``as_of``, from that history only."""
    t = score_table(h, as_of, horizon, choice)
    fb = t.expected_gap.tolist() if t.expected_gap is not None else [None] * len(t)
    out = []
    for cid, score, lvl, o, gap, since, rat, days, cent, vl, fg in zip(
            t.client_id.tolist(), t.score.tolist(), t.level.tolist(), t.own_gap.tolist(),
            t.gap.tolist(), t.since.tolist(), t.ratio.tolist(),
            t.purchase_days.tolist(), t.value_cents.tolist(), t.value_level.tolist(), fb,
            strict=True):
        values = explanation_values(since, gap, rat, days, cent, vl, lvl, score, fg)
        out.append(ClientRisk(cid, h.refs.get(cid), score, lvl, Explanation(
            explanation_code(o), values)))
    return RiskReport(as_of, horizon, t.choice, out)


def compute(session: Session, as_of: date | None = None,
            horizon: int = HORIZON_DAYS) -> RiskReport:
    """The risk of every client with a purchase, from the history known on ``as_of``."""
    _check_horizon(horizon)
    as_of = as_of or date.today()
    return score_history(load_history(session, as_of), as_of, horizon)


def _check_horizon(horizon: int) -> None:
    if not 1 <= horizon <= 3650:
        raise DomainError("risk.horizon_range", f"the horizon must be 1 to 3650 days, "
                          f"not {horizon}", field="horizon", minimum=1, maximum=3650)


# --------------------------------------------------------------------------- backtest


@dataclass(frozen=True)
class Backtest:
    cut: date
    horizon: int
    clients: int
    lost: int
    model: str
    choice: Choice
    auc_score: float | None
    auc_days_since: float | None
    auc_flag: float | None
    flag_precision: float | None
    flag_recall: float | None
    #: every candidate's AUC at this cut (the one chosen included)
    auc_models: dict[str, float | None]
    #: the at-risk flag is "score >= threshold" (the app's status) when a threshold is
    #: given, else the old gap rule; the old rule's own figures beside it either way
    threshold: float | None = None
    auc_old_rule: float | None = None
    old_rule_precision: float | None = None
    old_rule_recall: float | None = None


def backtest(h: History, cut: date, horizon: int = HORIZON_DAYS,
             models: tuple[str, ...] = (MODEL_BGNBD, MODEL_LOGISTIC, MODEL_FALLBACK),
             threshold: float | None = None) -> Backtest:
    """Cut the history at ``cut``, score as the app would have then (its own model
    choice), label who bought nothing in (cut, cut + horizon]; the AUCs of the score,
    of days since the last purchase alone and of the at-risk flag: ``score >=
    threshold`` as the app flags today when ``threshold`` is given, else the old gap
    rule (whose figures are given beside it either way)."""
    s = summarize(h, cut)
    y = lost_after(h, s, horizon)
    choice = choose_model(h, cut, horizon)
    rep = score_history(h, cut, horizon, choice)
    score = np.array([c.score for c in rep.clients])
    old = old_rule_flag(h, s)
    flag = score >= threshold if threshold is not None else old

    def precision_recall(f: np.ndarray) -> tuple[float | None, float | None]:
        tp = int((f & y).sum())
        return (tp / int(f.sum()) if f.any() else None,
                tp / int(y.sum()) if y.any() else None)
    flag_pr, old_pr = precision_recall(flag), precision_recall(old)
    each: dict[str, float | None] = {}
    for m in models:
        if m == choice.model:
            each[m] = auc(score, y)
        elif m == MODEL_LOGISTIC and not _can_train(h, cut, horizon):
            each[m] = None
        else:
            each[m] = auc(_model_scores(h, cut, horizon, m), y)
    return Backtest(cut, horizon, len(s), int(y.sum()), choice.model, choice,
                    auc(score, y), auc(s.since, y), auc(flag.astype(float), y),
                    *flag_pr, each, threshold, auc(old.astype(float), y), *old_pr)


def check(session: Session, cut: date, horizon: int = HORIZON_DAYS,
          threshold: float | None = None) -> Backtest:
    """``risk-check``: the backtest on the business's own file (``threshold``: the
    at-risk setting, so the flag is the one the app shows)."""
    _check_horizon(horizon)
    end = cut + timedelta(days=horizon)
    last = session.scalar(select(func.max(Purchase.purchased_on))
                          .where(Purchase.is_credit.is_(False)))
    if last is None or last < end:
        raise DomainError("risk.horizon_unknown",
                          f"the purchases known end on {last or '-'}: the {horizon} days "
                          f"after {cut.isoformat()} (to {end.isoformat()}) are not all "
                          "known yet; choose an earlier date",
                          field="as_of", last=last.isoformat() if last else "-",
                          end=end.isoformat(), days=horizon, cut=cut.isoformat())
    h = load_history(session, end)
    if not len(summarize(h, cut)):
        raise DomainError("risk.no_buyers", f"no client had bought anything by "
                          f"{cut.isoformat()}", field="as_of", cut=cut.isoformat())
    return backtest(h, cut, horizon, threshold=threshold)


# --------------------------------------------------------------------------- simulation


def simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float, *,
                   span: float, end: float, seed: int) -> list[np.ndarray]:
    """Purchase times of ``n`` clients of a BG/NBD process: each is born (first
    purchase) uniformly in [0, span), buys at rate lambda ~ Gamma(r, 1/alpha) while
    alive, and after each repeat purchase leaves for good with p ~ Beta(a, b); observed
    up to ``end``. Times are days (floats)."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    born = rng.uniform(0, span, n)
    out = []
    for i in range(n):
        t, times = born[i], [born[i]]
        while True:
            t += rng.exponential(1 / lam[i])
            if t > end:
                break
            times.append(t)
            if rng.random() < p[i]:
                break
        out.append(np.array(times))
    return out


def observed(times: list[np.ndarray], end: float) -> tuple[np.ndarray, ...]:
    """(x, t_x, T) of simulated clients observed up to ``end`` (continuous time)."""
    x = np.array([len(t) - 1 for t in times], float)
    t_x = np.array([t[-1] - t[0] for t in times])
    T = np.array([end - t[0] for t in times])
    return x, t_x, T
