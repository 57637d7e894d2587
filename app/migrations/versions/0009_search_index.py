"""search index: an FTS5 trigram index of what the client list's search matches

``client_search`` is a contentless FTS5 table (``content=''``, ``detail='none'``,
``columnsize=0``: only the trigrams and the rowids that hold them, ~180 bytes a client)
over ``clients.search_text`` and ``clients.phone_digits``, its rowid the client's id.
Three triggers on ``clients`` keep it exact for every writer (the services' ORM, the
importer's Core batches, erasure, merge, the demo) without code at any call site; a
contentless table deletes a row by being given its old values, which only a trigger
knows for sure. The search (app/services/clients.py ``_filtered``) uses it to find the
candidates and checks them with the same LIKE as before, so the results are those of
the scan.

A later migration that recreates ``clients`` (Alembic's batch "move and copy") drops
these triggers with the old table: it must create them again (``TRIGGERS``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:30:00
"""
from __future__ import annotations

from alembic import op

from app import dialect

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLE = ("CREATE VIRTUAL TABLE client_search USING fts5(search_text, phone_digits, "
         "tokenize='trigram', content='', detail='none', columnsize=0)")

_NEW = "new.id, new.search_text, coalesce(new.phone_digits, '')"
_OLD = "'delete', old.id, old.search_text, coalesce(old.phone_digits, '')"
TRIGGERS = (
    "CREATE TRIGGER client_search_insert AFTER INSERT ON clients BEGIN "
    f"INSERT INTO client_search(rowid, search_text, phone_digits) VALUES ({_NEW}); END",
    "CREATE TRIGGER client_search_delete AFTER DELETE ON clients BEGIN "
    "INSERT INTO client_search(client_search, rowid, search_text, phone_digits) "
    f"VALUES ({_OLD}); END",
    "CREATE TRIGGER client_search_update AFTER UPDATE OF id, search_text, phone_digits "
    "ON clients WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text "
    "OR old.phone_digits IS NOT new.phone_digits BEGIN "
    "INSERT INTO client_search(client_search, rowid, search_text, phone_digits) "
    f"VALUES ({_OLD}); "
    f"INSERT INTO client_search(rowid, search_text, phone_digits) VALUES ({_NEW}); END",
)


def upgrade() -> None:
    if not dialect.has_search_index(op.get_bind()):
        return  # FTS5 is SQLite's: elsewhere the search scans (app/services/clients.py)
    op.execute(TABLE)
    op.execute("INSERT INTO client_search(rowid, search_text, phone_digits) "
               "SELECT id, search_text, coalesce(phone_digits, '') FROM clients")
    for sql in TRIGGERS:
        op.execute(sql)


def downgrade() -> None:
    if not dialect.has_search_index(op.get_bind()):
        return
    for name in ("client_search_update", "client_search_delete", "client_search_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS client_search")
