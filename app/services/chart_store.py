"""The Charts page's pre-aggregated figures, kept exactly up to date by SQL triggers.

Every writer (the card's ORM saves, the importer's Core batches, the demo, erasure, a
restore) changes ``purchases``, ``contacts`` and ``clients``; the triggers below follow
each change, so no call site has to remember the aggregates. The series of
app/services/metrics.py read these small tables instead of millions of rows, and keep
their computation over the raw rows as the reference (``from_rows=True``).

Two levels:

* ``chart_client_months``: one row per client and month with a purchase line in it:
  non-credit lines (``n``) and of them those on or before the first purchase day
  (``n_new``: not returning), all lines' amounts in cents (``cents``) and of them those
  not returning (``cents_new``), how many lines (``lines``), and the client's
  first-purchase month and channel. A purchase written is added to its cell, one removed
  is taken out of it (by the client's present first day; an emptied cell is deleted), a
  change is both: constant work per line, however many lines a client has in a month.
  A change of the client's first purchase day or channel computes all of the client's
  cells again from their lines.
* the per-period figures, changed by the difference each cell makes when it is inserted
  (+), deleted (-) or changed (- the old, + the new): ``chart_months`` (counts, cents, clients buying, clients
  returning), ``chart_quarters`` (distinct clients in a quarter: a cell counts there only
  when no other month of the same quarter counts for that client),
  ``chart_cohort_months`` (clients of a first-purchase month buying in a month),
  ``chart_channel_months`` (revenue by the client's channel, and how many cells hold
  it: a channel with lines in the range is listed even when they sum to zero).

Besides: ``chart_new_days`` (clients by first purchase day and channel, with how many
were referred), kept by triggers on ``clients``; ``chart_contact_months`` (outbound calls
by outcome, contacts by tone, declined calls by reason) and ``chart_call_months`` (per
client and month: calls with a duration and their seconds), kept by triggers on
``contacts``.

Per client (``chart_clients``): the first purchase day, the day of the first non-credit
line after it (``second_on``) and the last non-credit day (``last_on``), computed again
for the client on each of their purchase writes (two index look-ups); from them, by
difference, ``chart_first_days`` (clients by first day, how many bought again within 90
days) and ``chart_last_days`` (clients whose last purchase is a returning one, by that
day). ``chart_segments``: clients not in the Trash and their 12-month value by A/B/C
group, by difference on each write of a client's group, value or Trash mark; those with
no revenue in the window (a value of 0 or less) in a row of their own per group (the
group's name and ``NO_REVENUE``), which the Charts show as a band of their own: at a
million clients most may have none, and counting them from the clients table took 0.8 s.

A writer that inserts purchase lines in bulk (the importer) sets the per-line trigger
aside for its transaction and settles the cells its lines fell into in a few set-based
statements at the end (:func:`purchase_batch`): the same figures, without about 20
statements a line.

A row of a text (a channel, a decline reason) whose count falls to zero is deleted, so
that an erased person's words leave no trace in these tables either.

Amounts are summed in whole cents (``round(amount * 100)``: amounts are stored with two
decimals), so a sum is exact whatever the order of the additions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from app.services import kept_tables

CONVERSION_DAYS = 90  # app.services.metrics.CONVERSION_DAYS

TABLES = ("chart_client_months", "chart_months", "chart_quarters", "chart_cohort_months",
          "chart_channel_months", "chart_new_days", "chart_contact_months", "chart_clients",
          "chart_first_days", "chart_last_days", "chart_segments", "chart_call_months")

TRIGGERS = ("chart_purchase_insert", "chart_purchase_delete", "chart_purchase_update",
            "chart_cell_insert", "chart_cell_delete", "chart_cell_update",
            "chart_client_insert",
            "chart_client_delete", "chart_client_update", "chart_client_cells",
            "chart_contact_insert", "chart_contact_delete", "chart_contact_update",
            "chart_clients_insert", "chart_clients_delete", "chart_clients_update",
            "chart_client_firsts", "chart_segment_insert", "chart_segment_delete",
            "chart_segment_update")


def _mk(d: str) -> str:
    """yyyymm of an ISO date or date-time text (NULL stays NULL)."""
    return f"(CAST(substr({d}, 1, 4) AS INTEGER) * 100 + CAST(substr({d}, 6, 2) AS INTEGER))"


def _cents(a: str) -> str:
    return f"CAST(round({a} * 100) AS INTEGER)"


def _qk(m: str) -> str:
    """yyyyq of a yyyymm."""
    return f"(({m}) / 100 * 10 + (({m}) % 100 + 2) / 3)"


def _q_first(m: str) -> str:
    """The first yyyymm of the quarter of a yyyymm."""
    return f"(({m}) / 100 * 100 + ((({m}) % 100 - 1) / 3) * 3 + 1)"


def _line(p: str, first: str) -> tuple[str, str, str, str]:
    """What purchase line ``p`` adds to its cell when the client's first day is
    ``first``: (n, n_new, cents, cents_new)."""
    returning = f"COALESCE({p}.purchased_on > {first}, 0)"
    cents = _cents(f"{p}.amount")
    return (f"({p}.is_credit = 0)", f"({p}.is_credit = 0 AND NOT {returning})", cents,
            f"(CASE WHEN {returning} THEN 0 ELSE {cents} END)")


#: the cells of the purchases ``p`` joined to their client ``c``, grouped by month
_CELLS = f"""
    SELECT p.client_id, {_mk('p.purchased_on')}, {_mk('c.first_purchase_on')},
           COALESCE(c.source_channel, ''), COUNT(*),
           {", ".join(f"SUM({x})" for x in _line("p", "c.first_purchase_on"))}
    FROM purchases p JOIN clients c ON c.id = p.client_id"""

_CELL_COLUMNS = ("(client_id, month, first_month, channel, lines, n, n_new, cents, "
                 "cents_new)")


def _add_line(row: str) -> str:
    """Purchase line ``row`` (NEW) into its cell: a new cell, or added to the one there.
    (A change of the client's first day or channel computes all their cells again, so a
    cell is always of the client's present first day: a line is added and taken away
    against it.)"""
    n, n_new, cents, cents_new = _line(row, "c.first_purchase_on")
    return f"""
    INSERT INTO chart_client_months {_CELL_COLUMNS}
    SELECT {row}.client_id, {_mk(f'{row}.purchased_on')}, {_mk('c.first_purchase_on')},
           COALESCE(c.source_channel, ''), 1, {n}, {n_new}, {cents}, {cents_new}
      FROM clients c WHERE c.id = {row}.client_id
    ON CONFLICT (client_id, month) DO UPDATE SET
        lines = lines + 1, n = n + excluded.n, n_new = n_new + excluded.n_new,
        cents = cents + excluded.cents, cents_new = cents_new + excluded.cents_new;"""


def _take_line(row: str) -> str:
    """Purchase line ``row`` (OLD) out of its cell; an empty cell is deleted. A line of a
    client already deleted is left: their cells go with them (chart_client_delete)."""
    first = f"(SELECT first_purchase_on FROM clients WHERE id = {row}.client_id)"
    n, n_new, cents, cents_new = _line(row, first)
    where = f"client_id = {row}.client_id AND month = {_mk(f'{row}.purchased_on')}"
    return f"""
    UPDATE chart_client_months SET
        lines = lines - 1, n = n - {n}, n_new = n_new - {n_new}, cents = cents - {cents},
        cents_new = cents_new - {cents_new}
     WHERE {where} AND EXISTS (SELECT 1 FROM clients WHERE id = {row}.client_id);
    DELETE FROM chart_client_months WHERE {where} AND lines = 0;"""


def _client_cells(cid: str) -> str:
    return f"""
    DELETE FROM chart_client_months WHERE client_id = {cid};
    INSERT INTO chart_client_months {_CELL_COLUMNS}
    {_CELLS}
     WHERE p.client_id = {cid}
     GROUP BY p.client_id, {_mk('p.purchased_on')};"""


def _firsts(cid: str, first: str) -> str:
    """chart_clients' row of client ``cid`` whose first purchase day is ``first``."""
    return f"""
    DELETE FROM chart_clients WHERE client_id = {cid};
    INSERT INTO chart_clients (client_id, first_on, second_on, last_on)
    SELECT {cid}, {first},
           (SELECT MIN(p.purchased_on) FROM purchases p WHERE p.client_id = {cid}
               AND p.is_credit = 0 AND p.purchased_on > {first}),
           (SELECT MAX(p.purchased_on) FROM purchases p WHERE p.client_id = {cid}
               AND p.is_credit = 0)
     WHERE {first} IS NOT NULL;"""


def _seconds(cid: str) -> str:
    """A purchase of client ``cid`` was written: their second and last days again."""
    return f"""
    UPDATE chart_clients SET
        second_on = (SELECT MIN(p.purchased_on) FROM purchases p
                      WHERE p.client_id = {cid} AND p.is_credit = 0
                        AND p.purchased_on > chart_clients.first_on),
        last_on = (SELECT MAX(p.purchased_on) FROM purchases p
                    WHERE p.client_id = {cid} AND p.is_credit = 0)
     WHERE client_id = {cid};"""


def _first_effect(r: str, s: str) -> str:
    converted = (f"({r}.second_on IS NOT NULL AND "
                 f"julianday({r}.second_on) - julianday({r}.first_on) <= {CONVERSION_DAYS})")
    return f"""
    INSERT INTO chart_first_days (day, clients, converted)
    VALUES ({r}.first_on, {s}, {s} * {converted})
    ON CONFLICT (day) DO UPDATE SET
        clients = clients + excluded.clients, converted = converted + excluded.converted;
    INSERT INTO chart_last_days (day, clients)
    SELECT {r}.last_on, {s} WHERE {r}.last_on > {r}.first_on
    ON CONFLICT (day) DO UPDATE SET clients = clients + excluded.clients;"""


#: the suffix of a group's row in ``chart_segments`` for its clients with no revenue
NO_REVENUE = ":none"


def _segment_key(r: str) -> str:
    """The row of ``chart_segments`` the client ``r`` counts in."""
    return (f"COALESCE({r}.segment_override, {r}.segment, '-') || "
            f"CASE WHEN {r}.value_12m <= 0 THEN '{NO_REVENUE}' ELSE '' END")


def _segment_effect(r: str, s: str) -> str:
    return f"""
    INSERT INTO chart_segments (segment, clients, cents)
    SELECT {_segment_key(r)}, {s},
           {s} * {_cents(f'COALESCE({r}.value_12m, 0)')}
     WHERE {r}.deleted_at IS NULL
    ON CONFLICT (segment) DO UPDATE SET
        clients = clients + excluded.clients, cents = cents + excluded.cents;"""


def _cell_effect(r: str, s: str) -> str:
    """Add (s = 1) or take away (s = -1) the cell ``r`` from the per-period figures."""
    buying = f"({r}.n > 0 AND {r}.first_month IS NOT NULL)"
    returning = f"({r}.n > {r}.n_new)"
    other = (f"EXISTS (SELECT 1 FROM chart_client_months o WHERE o.client_id = {r}.client_id"
             f" AND o.month BETWEEN {_q_first(f'{r}.month')} AND {_q_first(f'{r}.month')} + 2"
             f" AND o.month <> {r}.month AND {{cond}})")
    other_buying = other.format(cond="o.n > 0 AND o.first_month IS NOT NULL")
    other_returning = other.format(cond="o.n > o.n_new")
    return f"""
    INSERT INTO chart_months (month, n, n_ret, cents, cents_ret, clients, ret_clients)
    VALUES ({r}.month, {s} * {r}.n, {s} * ({r}.n - {r}.n_new), {s} * {r}.cents,
            {s} * ({r}.cents - {r}.cents_new), {s} * {buying}, {s} * {returning})
    ON CONFLICT (month) DO UPDATE SET
        n = n + excluded.n, n_ret = n_ret + excluded.n_ret, cents = cents + excluded.cents,
        cents_ret = cents_ret + excluded.cents_ret, clients = clients + excluded.clients,
        ret_clients = ret_clients + excluded.ret_clients;
    INSERT INTO chart_quarters (quarter, clients, ret_clients)
    VALUES ({_qk(f'{r}.month')}, {s} * ({buying} AND NOT {other_buying}),
            {s} * ({returning} AND NOT {other_returning}))
    ON CONFLICT (quarter) DO UPDATE SET
        clients = clients + excluded.clients, ret_clients = ret_clients + excluded.ret_clients;
    INSERT INTO chart_channel_months (month, channel, cells, cents, cents_ret)
    VALUES ({r}.month, {r}.channel, {s}, {s} * {r}.cents, {s} * ({r}.cents - {r}.cents_new))
    ON CONFLICT (month, channel) DO UPDATE SET cells = cells + excluded.cells,
        cents = cents + excluded.cents, cents_ret = cents_ret + excluded.cents_ret;
    DELETE FROM chart_channel_months WHERE month = {r}.month AND channel = {r}.channel
       AND cells = 0;
    INSERT INTO chart_cohort_months (cohort, month, clients)
    SELECT {r}.first_month, {r}.month, {s} WHERE {buying}
    ON CONFLICT (cohort, month) DO UPDATE SET clients = clients + excluded.clients;"""


def _new_day(r: str, s: str) -> str:
    gone = "" if s == "1" else f"""
    DELETE FROM chart_new_days WHERE day = {r}.first_purchase_on
       AND channel = COALESCE({r}.source_channel, '') AND clients = 0;"""
    return f"""
    INSERT INTO chart_new_days (day, channel, clients, referred)
    SELECT {r}.first_purchase_on, COALESCE({r}.source_channel, ''), {s},
           {s} * ({r}.referred_by_id IS NOT NULL)
     WHERE {r}.first_purchase_on IS NOT NULL
    ON CONFLICT (day, channel) DO UPDATE SET
        clients = clients + excluded.clients, referred = referred + excluded.referred;{gone}"""


def _contact(r: str, s: str) -> str:
    month = _mk(f"{r}.at")
    labels = (("outcome", f"{r}.outcome", f"{r}.direction = 'outbound'"),
              ("tone", f"{r}.tone", f"{r}.tone IS NOT NULL"),
              ("declined", f"COALESCE({r}.decline_reason, '')", f"{r}.outcome = 'declined'"))
    out = []
    for kind, label, when in labels:
        out.append(f"""
    INSERT INTO chart_contact_months (month, kind, label, n)
    SELECT {month}, '{kind}', {label}, {s} WHERE {when}
    ON CONFLICT (month, kind, label) DO UPDATE SET n = n + excluded.n;""")
        if s != "1":  # a label no row has any more leaves no trace (erasure)
            out.append(f"""
    DELETE FROM chart_contact_months WHERE month = {month} AND kind = '{kind}'
       AND label = {label} AND n = 0;""")
    out.append(f"""
    INSERT INTO chart_call_months (client_id, month, calls, seconds)
    SELECT {r}.client_id, {month}, {s}, {s} * {r}.duration_seconds
     WHERE {r}.duration_seconds IS NOT NULL
    ON CONFLICT (client_id, month) DO UPDATE SET
        calls = calls + excluded.calls, seconds = seconds + excluded.seconds;""")
    return "".join(out)


CREATE_TABLES = (
    """CREATE TABLE IF NOT EXISTS chart_client_months (
        client_id INTEGER NOT NULL, month INTEGER NOT NULL, first_month INTEGER,
        channel TEXT NOT NULL, lines INTEGER NOT NULL, n INTEGER NOT NULL,
        n_new INTEGER NOT NULL,
        cents INTEGER NOT NULL, cents_new INTEGER NOT NULL,
        PRIMARY KEY (client_id, month)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_months (
        month INTEGER PRIMARY KEY, n INTEGER NOT NULL, n_ret INTEGER NOT NULL,
        cents INTEGER NOT NULL, cents_ret INTEGER NOT NULL, clients INTEGER NOT NULL,
        ret_clients INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS chart_quarters (
        quarter INTEGER PRIMARY KEY, clients INTEGER NOT NULL, ret_clients INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS chart_cohort_months (
        cohort INTEGER NOT NULL, month INTEGER NOT NULL, clients INTEGER NOT NULL,
        PRIMARY KEY (cohort, month)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_channel_months (
        month INTEGER NOT NULL, channel TEXT NOT NULL, cells INTEGER NOT NULL,
        cents INTEGER NOT NULL,
        cents_ret INTEGER NOT NULL, PRIMARY KEY (month, channel)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_new_days (
        day DATE NOT NULL, channel TEXT NOT NULL, clients INTEGER NOT NULL,
        referred INTEGER NOT NULL, PRIMARY KEY (day, channel)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_contact_months (
        month INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, kind, label)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_clients (
        client_id INTEGER PRIMARY KEY, first_on DATE NOT NULL, second_on DATE, last_on DATE)""",
    """CREATE TABLE IF NOT EXISTS chart_first_days (
        day DATE PRIMARY KEY, clients INTEGER NOT NULL, converted INTEGER NOT NULL)
        WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_last_days (
        day DATE PRIMARY KEY, clients INTEGER NOT NULL) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_call_months (
        client_id INTEGER NOT NULL, month INTEGER NOT NULL, calls INTEGER NOT NULL,
        seconds INTEGER NOT NULL, PRIMARY KEY (client_id, month)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS chart_segments (
        segment TEXT PRIMARY KEY, clients INTEGER NOT NULL, cents INTEGER NOT NULL)
        WITHOUT ROWID""",
)

_FILL_SEGMENTS = f"""INSERT INTO chart_segments (segment, clients, cents)
       SELECT {_segment_key('clients')}, COUNT(*), SUM({_cents('COALESCE(value_12m, 0)')})
       FROM clients WHERE deleted_at IS NULL GROUP BY 1"""
_SEGMENT_TRIGGERS = ("chart_segment_insert", "chart_segment_delete", "chart_segment_update")

CREATE_TRIGGERS = (
    f"""CREATE TRIGGER chart_purchase_insert AFTER INSERT ON purchases BEGIN
        {_add_line('NEW')} {_seconds('NEW.client_id')} END""",
    f"""CREATE TRIGGER chart_purchase_delete AFTER DELETE ON purchases BEGIN
        {_take_line('OLD')} {_seconds('OLD.client_id')} END""",
    f"""CREATE TRIGGER chart_purchase_update
        AFTER UPDATE OF client_id, purchased_on, amount, is_credit ON purchases BEGIN
        {_take_line('OLD')} {_add_line('NEW')} {_seconds('OLD.client_id')}
        {_seconds('NEW.client_id')} END""",
    f"""CREATE TRIGGER chart_cell_insert AFTER INSERT ON chart_client_months BEGIN
        {_cell_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_cell_delete AFTER DELETE ON chart_client_months BEGIN
        {_cell_effect('OLD', '-1')} END""",
    f"""CREATE TRIGGER chart_cell_update AFTER UPDATE ON chart_client_months BEGIN
        {_cell_effect('OLD', '-1')} {_cell_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_client_insert AFTER INSERT ON clients BEGIN
        {_new_day('NEW', '1')} {_firsts('NEW.id', 'NEW.first_purchase_on')} END""",
    f"""CREATE TRIGGER chart_client_delete AFTER DELETE ON clients BEGIN
        {_new_day('OLD', '-1')}
        DELETE FROM chart_client_months WHERE client_id = OLD.id;
        DELETE FROM chart_clients WHERE client_id = OLD.id; END""",
    f"""CREATE TRIGGER chart_client_firsts AFTER UPDATE OF first_purchase_on ON clients
        WHEN OLD.first_purchase_on IS NOT NEW.first_purchase_on BEGIN
        {_firsts('NEW.id', 'NEW.first_purchase_on')} END""",
    f"""CREATE TRIGGER chart_clients_insert AFTER INSERT ON chart_clients BEGIN
        {_first_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_clients_delete AFTER DELETE ON chart_clients BEGIN
        {_first_effect('OLD', '-1')} END""",
    f"""CREATE TRIGGER chart_clients_update AFTER UPDATE ON chart_clients
        WHEN OLD.second_on IS NOT NEW.second_on OR OLD.last_on IS NOT NEW.last_on BEGIN
        {_first_effect('OLD', '-1')} {_first_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_segment_insert AFTER INSERT ON clients BEGIN
        {_segment_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_segment_delete AFTER DELETE ON clients BEGIN
        {_segment_effect('OLD', '-1')} END""",
    f"""CREATE TRIGGER chart_segment_update
        AFTER UPDATE OF segment, segment_override, value_12m, deleted_at ON clients
        WHEN OLD.segment IS NOT NEW.segment OR OLD.segment_override IS NOT NEW.segment_override
          OR OLD.value_12m IS NOT NEW.value_12m OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN
        {_segment_effect('OLD', '-1')} {_segment_effect('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_client_update
        AFTER UPDATE OF first_purchase_on, source_channel, referred_by_id ON clients
        WHEN OLD.first_purchase_on IS NOT NEW.first_purchase_on
          OR OLD.source_channel IS NOT NEW.source_channel
          OR OLD.referred_by_id IS NOT NEW.referred_by_id BEGIN
        {_new_day('OLD', '-1')} {_new_day('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_client_cells
        AFTER UPDATE OF first_purchase_on, source_channel ON clients
        WHEN OLD.first_purchase_on IS NOT NEW.first_purchase_on
          OR COALESCE(OLD.source_channel, '') IS NOT COALESCE(NEW.source_channel, '') BEGIN
        {_client_cells('NEW.id')} END""",
    f"""CREATE TRIGGER chart_contact_insert AFTER INSERT ON contacts BEGIN
        {_contact('NEW', '1')} END""",
    f"""CREATE TRIGGER chart_contact_delete AFTER DELETE ON contacts BEGIN
        {_contact('OLD', '-1')} END""",
    f"""CREATE TRIGGER chart_contact_update
        AFTER UPDATE OF client_id, at, direction, outcome, tone, decline_reason,
                        duration_seconds ON contacts BEGIN
        {_contact('OLD', '-1')} {_contact('NEW', '1')} END""",
)

#: the figures computed from the raw rows (a new file, the migration, the reference)
FILL = (
    f"""INSERT INTO chart_client_months {_CELL_COLUMNS}
        {_CELLS} GROUP BY p.client_id, {_mk('p.purchased_on')}""",
    """INSERT INTO chart_months (month, n, n_ret, cents, cents_ret, clients, ret_clients)
       SELECT month, SUM(n), SUM(n - n_new), SUM(cents), SUM(cents - cents_new),
              SUM(n > 0 AND first_month IS NOT NULL), SUM(n > n_new)
       FROM chart_client_months GROUP BY month""",
    f"""INSERT INTO chart_quarters (quarter, clients, ret_clients)
       SELECT {_qk('month')},
              COUNT(DISTINCT CASE WHEN n > 0 AND first_month IS NOT NULL THEN client_id END),
              COUNT(DISTINCT CASE WHEN n > n_new THEN client_id END)
       FROM chart_client_months GROUP BY 1""",
    """INSERT INTO chart_cohort_months (cohort, month, clients)
       SELECT first_month, month, COUNT(*) FROM chart_client_months
       WHERE n > 0 AND first_month IS NOT NULL GROUP BY first_month, month""",
    """INSERT INTO chart_channel_months (month, channel, cells, cents, cents_ret)
       SELECT month, channel, COUNT(*), SUM(cents), SUM(cents - cents_new)
       FROM chart_client_months
       GROUP BY month, channel""",
    """INSERT INTO chart_new_days (day, channel, clients, referred)
       SELECT first_purchase_on, COALESCE(source_channel, ''), COUNT(*),
              SUM(referred_by_id IS NOT NULL)
       FROM clients WHERE first_purchase_on IS NOT NULL GROUP BY 1, 2""",
    f"""INSERT INTO chart_contact_months (month, kind, label, n)
       SELECT {_mk('at')}, 'outcome', outcome, COUNT(*) FROM contacts
       WHERE direction = 'outbound' GROUP BY 1, 3""",
    f"""INSERT INTO chart_contact_months (month, kind, label, n)
       SELECT {_mk('at')}, 'tone', tone, COUNT(*) FROM contacts
       WHERE tone IS NOT NULL GROUP BY 1, 3""",
    f"""INSERT INTO chart_contact_months (month, kind, label, n)
       SELECT {_mk('at')}, 'declined', COALESCE(decline_reason, ''), COUNT(*) FROM contacts
       WHERE outcome = 'declined' GROUP BY 1, 3""",
    """INSERT INTO chart_clients (client_id, first_on, second_on, last_on)
       SELECT c.id, c.first_purchase_on,
              (SELECT MIN(p.purchased_on) FROM purchases p WHERE p.client_id = c.id
                  AND p.is_credit = 0 AND p.purchased_on > c.first_purchase_on),
              (SELECT MAX(p.purchased_on) FROM purchases p WHERE p.client_id = c.id
                  AND p.is_credit = 0)
       FROM clients c WHERE c.first_purchase_on IS NOT NULL""",
    f"""INSERT INTO chart_first_days (day, clients, converted)
       SELECT first_on, COUNT(*), SUM(second_on IS NOT NULL AND
              julianday(second_on) - julianday(first_on) <= {CONVERSION_DAYS})
       FROM chart_clients GROUP BY first_on""",
    """INSERT INTO chart_last_days (day, clients)
       SELECT last_on, COUNT(*) FROM chart_clients WHERE last_on > first_on GROUP BY last_on""",
    _FILL_SEGMENTS,
    f"""INSERT INTO chart_call_months (client_id, month, calls, seconds)
       SELECT client_id, {_mk('at')}, COUNT(*), SUM(duration_seconds) FROM contacts
       WHERE duration_seconds IS NOT NULL GROUP BY 1, 2""",
)


_run = kept_tables.run
_KEPT = kept_tables.KeptTables(tuple(TABLES), tuple(TRIGGERS), tuple(CREATE_TABLES),
                               tuple(CREATE_TRIGGERS), tuple(FILL))
drop_triggers = _KEPT.drop_triggers
create_triggers = _KEPT.create_triggers
rebuild = _KEPT.rebuild  # every figure computed again from the rows
install = _KEPT.install  # a new database, or the migration that brought the tables
drop = _KEPT.drop


def refill_segments(conn: Connection) -> None:
    """``chart_segments`` and its triggers made again (a migration that changed them):
    one GROUP BY over the clients, the other figures left as they are."""
    _run(conn, [f"DROP TRIGGER IF EXISTS {t}" for t in _SEGMENT_TRIGGERS])
    _run(conn, ["DELETE FROM chart_segments", _FILL_SEGMENTS])
    _run(conn, [sql for sql in CREATE_TRIGGERS
                if sql.split()[2] in _SEGMENT_TRIGGERS])


def snapshot(conn: Connection) -> dict[str, list[tuple]]:
    """Every aggregate row, zero rows left out (a cell's effect can net to zero), for
    comparing the figures kept by the triggers with a :func:`rebuild`."""
    out = {}
    for t in TABLES:
        rows = conn.exec_driver_sql(f"SELECT * FROM {t}").fetchall()
        out[t] = sorted((tuple(r) for r in rows
                         if t in ("chart_client_months", "chart_clients")
                         or any(v != 0 for v in _numbers(t, r))),
                        key=lambda r: tuple((v is None, 0 if v is None else v) for v in r))
    return out


def _numbers(table: str, row) -> tuple:
    keys = {"chart_months": 1, "chart_quarters": 1, "chart_cohort_months": 2,
            "chart_channel_months": 2, "chart_new_days": 2, "chart_contact_months": 3,
            "chart_first_days": 1, "chart_last_days": 1, "chart_segments": 1,
            "chart_call_months": 2}
    return tuple(row[keys[table]:])

# ------------------------------------------------------------------ a batch of purchases

#: the lines a batch inserted: client, month (yyyymm), day and amount (as stored), credit
_LINES = "temp.chart_lines"
#: the row triggers a batch of inserted purchases sets aside for its transaction
_BATCH_TRIGGERS = ("chart_purchase_insert", "chart_cell_insert", "chart_cell_update")


def _trigger_sql(name: str) -> str:
    return next(sql for sql in CREATE_TRIGGERS if sql.split()[2] == name)


def _month_text(m: str, plus: int = 0) -> str:
    """The ISO first day of yyyymm ``m`` (``plus`` = 1: of the month after)."""
    if not plus:
        return f"printf('%04d-%02d-01', ({m}) / 100, ({m}) % 100)"
    return f"printf('%04d-%02d-01', ({m}) / 100 + (({m}) % 100 = 12), ({m}) % 100 % 12 + 1)"


def _key_cells() -> str:
    """The cells the batch wrote into (client and month): each old cell (if any) plus its
    new lines, as a line is added to its cell by the row trigger (against the client's
    present first day; a cell there keeps its first month and channel)."""
    n, n_new, cents, cents_new = (f"SUM({x})" for x in _line("l", "c.first_purchase_on"))
    return f"""
    SELECT g.client_id, g.month,
           CASE WHEN o.client_id IS NULL THEN {_mk('c.first_purchase_on')}
                ELSE o.first_month END,
           CASE WHEN o.client_id IS NULL THEN COALESCE(c.source_channel, '')
                ELSE o.channel END,
           COALESCE(o.lines, 0) + g.lines, COALESCE(o.n, 0) + g.n,
           COALESCE(o.n_new, 0) + g.n_new, COALESCE(o.cents, 0) + g.cents,
           COALESCE(o.cents_new, 0) + g.cents_new
      FROM (SELECT l.client_id, l.month, COUNT(*) AS lines, {n} AS n, {n_new} AS n_new,
                   {cents} AS cents, {cents_new} AS cents_new
              FROM {_LINES} l JOIN clients c ON c.id = l.client_id
             GROUP BY l.client_id, l.month) g
      JOIN clients c ON c.id = g.client_id
      LEFT JOIN chart_client_months o ON o.client_id = g.client_id AND o.month = g.month"""


_DIFF = ("WITH d AS (SELECT 1 AS s, * FROM temp.chart_cells_new "
         "UNION ALL SELECT -1 AS s, * FROM temp.chart_cells_old)")


def _quarter_flags(table: str) -> str:
    """Per client and quarter the batch wrote into: buying, returning (any cell of it)."""
    return f"""INSERT INTO {table} (client_id, quarter, buying, ret)
    SELECT q.client_id, q.quarter, MAX(m.n > 0 AND m.first_month IS NOT NULL),
           MAX(m.n > m.n_new)
      FROM temp.chart_qkeys q CROSS JOIN chart_client_months m
        ON m.client_id = q.client_id AND m.month BETWEEN q.q0 AND q.q0 + 2
     GROUP BY q.client_id, q.quarter"""


def _lines_day(agg: str, cond: str = "") -> str:
    """The earliest or latest day of a client's new non-credit lines (``cond``: of the
    day)."""
    more = f" AND l.purchased_on {cond}" if cond else ""
    return (f"SELECT {agg}(l.purchased_on) FROM {_LINES} l "
            f"WHERE l.client_id = chart_clients.client_id AND l.is_credit = 0{more}")


#: the cells the batch wrote into made again from their lines, and every figure moved by
#: the difference between the new and the old cells: set-based, what the row triggers do
#: a line at a time (a batch only inserts, so only those cells change, and a client's
#: second and last days can only move to one of the new lines)
SETTLE = (
    *(f"DROP TABLE IF EXISTS temp.{t}" for t in (
        "chart_keys", "chart_qkeys", "chart_cells_new", "chart_cells_old", "chart_q_old",
        "chart_q_new")),
    f"CREATE TEMP TABLE chart_keys AS SELECT DISTINCT client_id, month FROM {_LINES}",
    "CREATE TEMP TABLE chart_cells_new AS SELECT * FROM chart_client_months WHERE 0",
    f"INSERT INTO temp.chart_cells_new {_CELL_COLUMNS} {_key_cells()}",
    """CREATE TEMP TABLE chart_cells_old AS SELECT m.* FROM temp.chart_keys k
        CROSS JOIN chart_client_months m ON m.client_id = k.client_id AND m.month = k.month""",
    f"""{_DIFF}
    INSERT INTO chart_months (month, n, n_ret, cents, cents_ret, clients, ret_clients)
    SELECT month, SUM(s * n), SUM(s * (n - n_new)), SUM(s * cents),
           SUM(s * (cents - cents_new)), SUM(s * (n > 0 AND first_month IS NOT NULL)),
           SUM(s * (n > n_new))
      FROM d WHERE true GROUP BY month
    ON CONFLICT (month) DO UPDATE SET
        n = n + excluded.n, n_ret = n_ret + excluded.n_ret, cents = cents + excluded.cents,
        cents_ret = cents_ret + excluded.cents_ret, clients = clients + excluded.clients,
        ret_clients = ret_clients + excluded.ret_clients""",
    f"""{_DIFF}
    INSERT INTO chart_channel_months (month, channel, cells, cents, cents_ret)
    SELECT month, channel, SUM(s), SUM(s * cents), SUM(s * (cents - cents_new))
      FROM d WHERE true GROUP BY month, channel
    ON CONFLICT (month, channel) DO UPDATE SET cells = cells + excluded.cells,
        cents = cents + excluded.cents, cents_ret = cents_ret + excluded.cents_ret""",
    "DELETE FROM chart_channel_months WHERE cells = 0",
    f"""{_DIFF}
    INSERT INTO chart_cohort_months (cohort, month, clients)
    SELECT first_month, month, SUM(s) FROM d WHERE n > 0 AND first_month IS NOT NULL
     GROUP BY first_month, month
    ON CONFLICT (cohort, month) DO UPDATE SET clients = clients + excluded.clients""",
    # a quarter counts a client once: its flags over all the quarter's cells, before and
    # after the cells are replaced
    f"""CREATE TEMP TABLE chart_qkeys AS SELECT DISTINCT client_id, {_qk('month')} AS quarter,
        {_q_first('month')} AS q0 FROM temp.chart_keys""",
    "CREATE TEMP TABLE chart_q_old (client_id, quarter, buying, ret)",
    "CREATE TEMP TABLE chart_q_new (client_id, quarter, buying, ret)",
    _quarter_flags("temp.chart_q_old"),
    f"""INSERT INTO chart_client_months {_CELL_COLUMNS}
        SELECT * FROM temp.chart_cells_new WHERE true
        ON CONFLICT (client_id, month) DO UPDATE SET lines = excluded.lines, n = excluded.n,
            n_new = excluded.n_new, cents = excluded.cents, cents_new = excluded.cents_new""",
    _quarter_flags("temp.chart_q_new"),
    """WITH d AS (SELECT 1 AS s, * FROM temp.chart_q_new
                  UNION ALL SELECT -1 AS s, * FROM temp.chart_q_old)
    INSERT INTO chart_quarters (quarter, clients, ret_clients)
    SELECT quarter, SUM(s * buying), SUM(s * ret) FROM d WHERE true GROUP BY quarter
    ON CONFLICT (quarter) DO UPDATE SET
        clients = clients + excluded.clients, ret_clients = ret_clients + excluded.ret_clients""",
    # each client's second and last day: the earliest / latest of the old one and the new
    # non-credit lines (chart_clients_update moves the figures by day)
    "CREATE INDEX temp.chart_lines_client ON chart_lines (client_id, is_credit, purchased_on)",
    f"""UPDATE chart_clients SET
        second_on = COALESCE(min(second_on, ({_lines_day('MIN', '> chart_clients.first_on')})),
                             second_on, ({_lines_day('MIN', '> chart_clients.first_on')})),
        last_on = COALESCE(max(last_on, ({_lines_day('MAX')})), last_on, ({_lines_day('MAX')}))
     WHERE client_id IN (SELECT client_id FROM {_LINES})""",
    *(f"DROP TABLE temp.{t}" for t in (
        "chart_keys", "chart_qkeys", "chart_cells_new", "chart_cells_old", "chart_q_old",
        "chart_q_new", "chart_lines")),
)


class PurchaseBatch:
    """The purchase lines a bulk writer inserts: see :func:`purchase_batch`."""

    def __init__(self, conn: Connection | None) -> None:
        self.conn = conn

    def wrote(self, rows) -> None:
        """These purchase rows were inserted (call after each batch): dicts with
        ``client_id``, ``purchased_on`` (a date, or its ISO text as bound) and, when
        given, ``is_credit``."""
        if self.conn is None or not rows:
            return  # none written (a batch of rows whose client is unknown): nothing to note
        lines = []
        for r in rows:
            day, amount = r["purchased_on"], r["amount"]
            day = day.isoformat() if isinstance(day, date) else str(day)
            # as SQLAlchemy binds a Numeric on SQLite (a REAL): the value stored
            amount = float(amount) if isinstance(amount, Decimal) else amount
            lines.append((int(r["client_id"]), int(day[:4]) * 100 + int(day[5:7]), day,
                          amount, int(bool(r.get("is_credit", False)))))
        self.conn.exec_driver_sql(f"INSERT INTO {_LINES} VALUES (?, ?, ?, ?, ?)", lines)


def _settle(conn: Connection) -> None:
    _run(conn, [f"DROP TRIGGER IF EXISTS {t}" for t in _BATCH_TRIGGERS[1:]])
    _run(conn, SETTLE)
    _run(conn, [f"DROP TRIGGER IF EXISTS {t}" for t in _BATCH_TRIGGERS])
    _run(conn, [_trigger_sql(t) for t in _BATCH_TRIGGERS])


@contextmanager
def purchase_batch(conn: Connection) -> Iterator[PurchaseBatch]:
    """For a writer that only **inserts** purchase lines in bulk (the importer), in its
    own transaction: the per-line trigger is set aside (about 20 small statements a
    line), the block notes the lines written (:meth:`PurchaseBatch.wrote`), and at its
    end the cells those lines fell into are made again from their lines and every figure
    moved by the difference, in a few set-based statements (:data:`SETTLE`); then the
    trigger is back.

    It is all in the caller's transaction (SQLite's DDL is transactional; the block
    opens the transaction if nothing did yet): a rollback brings back the trigger and the
    figures as they were, and no other connection ever sees the file without the
    trigger (the writer holds the write lock from the first statement). Should the block
    fail, the figures are settled all the same before the error goes on, so a caller
    that commits what was written keeps them exact too. Elsewhere than SQLite, or where
    the figures are not kept, nothing is set aside."""
    if conn.dialect.name != "sqlite" or not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'chart_purchase_insert'").first():
        yield PurchaseBatch(None)
        return
    raw = conn.connection.dbapi_connection
    if not raw.in_transaction:  # pysqlite runs DDL outside a transaction otherwise
        conn.exec_driver_sql("BEGIN")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_LINES}")
    conn.exec_driver_sql("CREATE TEMP TABLE chart_lines (client_id INTEGER NOT NULL, "
                         "month INTEGER NOT NULL, purchased_on TEXT NOT NULL, "
                         "amount NUMERIC NOT NULL, is_credit INTEGER NOT NULL)")
    conn.exec_driver_sql("DROP TRIGGER chart_purchase_insert")
    try:
        yield PurchaseBatch(conn)
    except BaseException:
        try:
            _settle(conn)
        except Exception:  # the caller rolls back: the trigger returns with its transaction
            pass
        raise
    _settle(conn)
