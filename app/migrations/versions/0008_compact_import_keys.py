"""compact import keys; indexes for an import's look-ups of e-mails and card numbers

- ``purchases.import_key`` was ``"import:"`` and 32 hex digits of a SHA-1 (in a unique
  index: a third of the file at ten purchases a client); it is now the first 8 bytes of
  the same SHA-1 as a signed 64-bit integer (app/services/io/importer.py:
  ``purchase_import_key``). The upgrade converts every key from its first 16 hex digits,
  so a file imported before still finds its rows when it is imported again. The
  downgrade writes ``"import:"`` and those 16 hex digits back (an import of the old
  version then no longer recognises rows imported before: it made 32 digits).
- An import finds the clients of a file's rows by e-mail and card number whatever the
  letter case, a batch of rows at a time: ``lower(email) IN (...)`` and
  ``lower(external_ref) IN (...)``; two expression indexes make those look-ups indexed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:05:00
"""
from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from alembic import op

from app import dialect

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_OLD = re.compile(r"import:([0-9a-f]{16})")
_CHUNK = 20_000


def compact_key(old: str) -> int:
    """The 64-bit key of an old text key: its first 16 hex digits (the first 8 bytes of
    the SHA-1 the new key takes too); a key of another form, its own SHA-1's."""
    m = _OLD.match(old)
    raw = bytes.fromhex(m[1]) if m else hashlib.sha1(old.encode()).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


def text_key(key: int) -> str:
    return "import:" + key.to_bytes(8, "big", signed=True).hex()


def _convert(source: str, target: str, convert) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.exec_driver_sql(dialect.placeholders(
            conn, f"SELECT id, {source} FROM purchases WHERE id > ? AND {source} IS NOT NULL "
            "ORDER BY id LIMIT ?"), (last, _CHUNK)).fetchall()
        if not rows:
            break
        conn.exec_driver_sql(
            dialect.placeholders(conn, f"UPDATE purchases SET {target} = ? WHERE id = ?"),
            [(convert(key), pid) for pid, key in rows])
        last = rows[-1][0]


def upgrade() -> None:
    op.add_column('purchases', sa.Column('import_key_new', sa.BigInteger(), nullable=True))
    _convert('import_key', 'import_key_new', compact_key)
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_constraint('uq_purchases_import_key', type_='unique')
        batch_op.drop_column('import_key')
        batch_op.alter_column('import_key_new', new_column_name='import_key',
                              existing_type=sa.BigInteger(), existing_nullable=True)
    with op.batch_alter_table('purchases', schema=None) as batch_op:  # after the drop
        batch_op.create_unique_constraint('uq_purchases_import_key', ['import_key'])
    op.create_index('ix_clients_email_lower', 'clients', [sa.text('lower(email)')])
    op.create_index('ix_clients_external_ref_lower', 'clients',
                    [sa.text('lower(external_ref)')])


def downgrade() -> None:
    op.drop_index('ix_clients_external_ref_lower', table_name='clients')
    op.drop_index('ix_clients_email_lower', table_name='clients')
    op.add_column('purchases', sa.Column('import_key_old', sa.String(length=120),
                                         nullable=True))
    _convert('import_key', 'import_key_old', text_key)
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_constraint('uq_purchases_import_key', type_='unique')
        batch_op.drop_column('import_key')
        batch_op.alter_column('import_key_old', new_column_name='import_key',
                              existing_type=sa.String(length=120), existing_nullable=True)
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_purchases_import_key', ['import_key'])
