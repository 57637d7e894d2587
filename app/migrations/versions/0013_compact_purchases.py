"""purchases in fewer bytes (issue [9]: the file's size)

The purchases are a third of the file; half of each row was two 26-character times.

- ``updated_at`` is dropped: nothing reads it (a line's edits are not shown anywhere; the
  call log and the card's history read other tables).
- ``created_at`` (read for a membership's sale line: the day it was sold) becomes an
  INTEGER of microseconds from 1970-01-01 (``app.models.types.EpochMicros``: 8 bytes, the
  same naive time exactly; its default the moment of the write, UTC as before).
- the UNIQUE of ``import_key`` becomes a partial unique index (``import_key IS NOT
  NULL``): the key of an imported row, NULL on every line typed in, which was indexed all
  the same.

The table is written again (SQLite cannot change a column's type in place): a new table,
the rows copied with their times converted in SQL (the whole seconds by ``strftime('%s')``,
the microseconds from the text's fraction: no floating point), the old one dropped, the new
one renamed, the indexes made and **every trigger on purchases created again from its own
text** (the Charts figures' ``chart_purchase_*``, the start of day's ``sod_watch_*`` and
``sod_abc_*``, and whatever else is there): dropping a table drops its triggers. The
triggers elsewhere that read purchases (on clients, chart_clients) name the table, not its
storage, and stay. All of it in one transaction.

The downgrade writes the old table again: ``created_at`` as the text SQLAlchemy writes,
``updated_at`` (not kept) set to ``created_at``.

Revision ID: 0013
Revises: 0015 (written against 0012; chained after the calendar counts at the merge)
Create Date: 2026-12-01 20:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0015'  # chained at the merge after 0015 (calendar counts)
branch_labels = None
depends_on = None

_COLUMNS = ("id", "client_id", "purchased_on", "amount", "item", "quantity", "staff_id",
            "note", "is_credit", "complaint_id", "membership_id", "import_key")

_CONSTRAINTS = """
    CONSTRAINT pk_purchases PRIMARY KEY (id),
    CONSTRAINT ck_purchases_quantity_positive CHECK (quantity > 0),
    CONSTRAINT fk_purchases_client_id_clients FOREIGN KEY(client_id)
        REFERENCES clients (id) ON DELETE CASCADE,
    CONSTRAINT fk_purchases_staff_id_staff FOREIGN KEY(staff_id)
        REFERENCES staff (id) ON DELETE SET NULL,
    CONSTRAINT fk_purchases_complaint_id_complaints FOREIGN KEY(complaint_id)
        REFERENCES complaints (id) ON DELETE SET NULL,
    CONSTRAINT fk_purchases_membership_id_memberships FOREIGN KEY(membership_id)
        REFERENCES memberships (id) ON DELETE CASCADE"""

_BODY = """
    id INTEGER NOT NULL,
    client_id INTEGER NOT NULL,
    purchased_on DATE NOT NULL,
    amount NUMERIC(12, 2) NOT NULL,
    item VARCHAR(200) DEFAULT '' NOT NULL,
    quantity NUMERIC(10, 3) DEFAULT '1' NOT NULL,
    staff_id INTEGER,
    note TEXT DEFAULT '' NOT NULL,
    is_credit BOOLEAN DEFAULT '0' NOT NULL,
    complaint_id INTEGER,
    membership_id INTEGER,
    import_key BIGINT,"""

NEW_TABLE = f"""CREATE TABLE purchases_new ({_BODY}
    created_at BIGINT DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000000) NOT NULL,
    {_CONSTRAINTS.strip()}
)"""

OLD_TABLE = f"""CREATE TABLE purchases_new ({_BODY}
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    {_CONSTRAINTS.strip()},
    CONSTRAINT uq_purchases_import_key UNIQUE (import_key)
)"""

#: the ISO text of a time (``2026-08-13 12:00:00.000000`` as SQLAlchemy writes it, or
#: ``2026-08-13 12:00:00`` as CURRENT_TIMESTAMP does) as microseconds, exactly: the whole
#: seconds by strftime of the first 19 characters (of the whole text it rounds the
#: fraction to milliseconds: .9995 would be the next second), the fraction's digits apart
TEXT_TO_MICROS = """CASE WHEN typeof(created_at) = 'integer' THEN created_at ELSE
    CAST(strftime('%s', substr(created_at, 1, 19)) AS INTEGER) * 1000000
    + CASE WHEN instr(created_at, '.') > 0 THEN CAST(substr(substr(created_at,
        instr(created_at, '.') + 1) || '000000', 1, 6) AS INTEGER) ELSE 0 END END"""

#: microseconds as SQLAlchemy's DATETIME text (a floor division: before 1970 too)
_FRAC = "((created_at % 1000000 + 1000000) % 1000000)"
MICROS_TO_TEXT = (f"strftime('%Y-%m-%d %H:%M:%S', (created_at - {_FRAC}) / 1000000, "
                  f"'unixepoch') || '.' || printf('%06d', {_FRAC})")

INDEXES = (
    "CREATE INDEX ix_purchases_client_date ON purchases (client_id, purchased_on)",
    "CREATE INDEX ix_purchases_date ON purchases (purchased_on)",
    "CREATE INDEX ix_purchases_membership_id ON purchases (membership_id) "
    "WHERE membership_id IS NOT NULL",
)
NEW_INDEXES = (*INDEXES, "CREATE UNIQUE INDEX ix_purchases_import_key ON purchases "
               "(import_key) WHERE import_key IS NOT NULL")


def _rebuild(table_sql: str, copy_columns: str, select_columns: str,
             indexes: tuple[str, ...]) -> None:
    conn = op.get_bind()
    raw = conn.connection.dbapi_connection
    if not raw.in_transaction:  # DDL first: pysqlite would run it outside a transaction
        conn.exec_driver_sql("BEGIN")
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'purchases' ORDER BY name").fetchall()
    conn.exec_driver_sql("DROP TABLE IF EXISTS purchases_new")
    conn.exec_driver_sql(table_sql)
    conn.exec_driver_sql(f"INSERT INTO purchases_new ({copy_columns}) "
                         f"SELECT {select_columns} FROM purchases ORDER BY id")
    conn.exec_driver_sql("DROP TABLE purchases")
    # the triggers of other tables that read purchases name a table that is gone until the
    # rename: the legacy rename does not check (nor rewrite) them
    conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        conn.exec_driver_sql("ALTER TABLE purchases_new RENAME TO purchases")
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
    for sql in indexes:
        conn.exec_driver_sql(sql)
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


#: PostgreSQL changes a column's type in place (no table written again, the triggers stay):
#: the times as exact microseconds of UTC (EXTRACT of a time without zone reads it as UTC,
#: a numeric: no floating point); the default as app/models/types.py ``NOW_MICROS``
PG_UPGRADE = (
    "ALTER TABLE purchases DROP COLUMN updated_at",
    "ALTER TABLE purchases ALTER COLUMN created_at DROP DEFAULT",
    "ALTER TABLE purchases ALTER COLUMN created_at TYPE BIGINT "
    "USING CAST(EXTRACT(EPOCH FROM created_at) * 1000000 AS BIGINT)",
    "ALTER TABLE purchases ALTER COLUMN created_at SET DEFAULT "
    "(CAST(EXTRACT(EPOCH FROM date_trunc('second', CURRENT_TIMESTAMP)) AS BIGINT) * 1000000)",
    "ALTER TABLE purchases DROP CONSTRAINT uq_purchases_import_key",
    "CREATE UNIQUE INDEX ix_purchases_import_key ON purchases (import_key) "
    "WHERE import_key IS NOT NULL",
)
PG_DOWNGRADE = (
    "DROP INDEX ix_purchases_import_key",
    "ALTER TABLE purchases ADD CONSTRAINT uq_purchases_import_key UNIQUE (import_key)",
    "ALTER TABLE purchases ALTER COLUMN created_at DROP DEFAULT",
    "ALTER TABLE purchases ALTER COLUMN created_at TYPE TIMESTAMP WITHOUT TIME ZONE "
    "USING (TIMESTAMP '1970-01-01' + created_at * INTERVAL '1 microsecond')",
    "ALTER TABLE purchases ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP",
    "ALTER TABLE purchases ADD COLUMN updated_at TIMESTAMP WITHOUT TIME ZONE "
    "DEFAULT CURRENT_TIMESTAMP NOT NULL",
    "UPDATE purchases SET updated_at = created_at",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for sql in PG_UPGRADE:
            op.execute(sql)
        return
    names = ", ".join(_COLUMNS)
    _rebuild(NEW_TABLE, f"{names}, created_at", f"{names}, {TEXT_TO_MICROS}", NEW_INDEXES)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for sql in PG_DOWNGRADE:
            op.execute(sql)
        return
    names = ", ".join(_COLUMNS)
    text = MICROS_TO_TEXT
    _rebuild(OLD_TABLE, f"{names}, created_at, updated_at", f"{names}, {text}, {text}",
             INDEXES)
