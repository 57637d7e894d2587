"""The client search index (``client_search``) of a new file.

An FTS5 trigram table over ``clients.search_text`` and ``clients.phone_digits`` and the
triggers that keep it exact, created with ``clients`` by ``Base.metadata.create_all``.
An existing file gets them from migration 0009 (app/migrations/versions/
0009_search_index.py, which keeps its own copy of this SQL as it was then);
tests/test_search_index.py checks that both give the same schema. The search that reads
it: app/services/clients.py ``_filtered``."""

from __future__ import annotations

from sqlalchemy import DDL, event

from .client import Client

TABLE_NAME = "client_search"

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

for _sql in (TABLE, *TRIGGERS):
    event.listen(Client.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
