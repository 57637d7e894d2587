"""membership sale

A membership's price is a sale: a purchase line linked to the membership
(purchases.membership_id), so it counts in revenue, visits and the client's status
like any purchase. Memberships priced before this revision get their line now, dated
their start (or today, for one that starts later).

Texts are compared in Unicode NFC from now on: the clients' names, search text and card
numbers already stored decomposed (a file from a Mac) are put in NFC, so they are found
the way they are typed (a card number whose NFC form another client already has is left
as it is, for the owner to merge the two).

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from app import dialect

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_purchases_membership_id'), ['membership_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_purchases_membership_id_memberships'),
                                    'memberships', ['membership_id'], ['id'],
                                    ondelete='CASCADE')
    # the start, or today for one that starts later: SQLite's two-value MIN, LEAST elsewhere
    least = "MIN" if dialect.is_sqlite(op.get_bind()) else "LEAST"
    op.execute(
        "INSERT INTO purchases (client_id, purchased_on, amount, item, quantity, note, "
        "is_credit, membership_id) "
        f"SELECT client_id, {least}(starts_on, {dialect.today_sql(op.get_bind())}), price, "
        "plan, 1, '', false, id "
        "FROM memberships WHERE price IS NOT NULL AND price > 0")
    _clients_in_nfc()


def _clients_in_nfc() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, name, sort_name, search_text, external_ref FROM clients")).fetchall()
    refs = {r.external_ref for r in rows if r.external_ref}
    for r in rows:
        nfc = {k: unicodedata.normalize("NFC", v) if v else v
               for k, v in (("name", r.name), ("sort_name", r.sort_name),
                            ("search_text", r.search_text), ("external_ref", r.external_ref))}
        if nfc["external_ref"] != r.external_ref and nfc["external_ref"] in refs:
            nfc["external_ref"] = r.external_ref  # the same number as another client's
        if (nfc["name"], nfc["sort_name"], nfc["search_text"], nfc["external_ref"]) != (
                r.name, r.sort_name, r.search_text, r.external_ref):
            refs.discard(r.external_ref)
            refs.add(nfc["external_ref"])
            conn.execute(sa.text(
                "UPDATE clients SET name = :name, sort_name = :sort_name, "
                "search_text = :search_text, external_ref = :external_ref WHERE id = :id"),
                {**nfc, "id": r.id})


def downgrade() -> None:
    op.execute("DELETE FROM purchases WHERE membership_id IS NOT NULL")
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchases_membership_id_memberships'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_purchases_membership_id'))
        batch_op.drop_column('membership_id')
