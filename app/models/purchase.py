from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .types import NOW_MICROS, EpochMicros

if TYPE_CHECKING:
    from .client import Client
    from .membership import Membership


class Purchase(Base):
    __tablename__ = "purchases"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_purchases_client_date", "client_id", "purchased_on"),
        Index("ix_purchases_date", "purchased_on"),
        # the sale line of a membership; 95 % of purchases sell none, and a NULL is never
        # looked up (migration 0010: a partial index)
        Index("ix_purchases_membership_id", "membership_id",
              sqlite_where=text("membership_id IS NOT NULL"),
              postgresql_where=text("membership_id IS NOT NULL")),
        # the key of an imported row; most purchases are typed, not imported (92 % of the
        # benchmark's), and a NULL is never looked up (migration 0013: a partial index; it
        # was a UNIQUE of every row)
        Index("ix_purchases_import_key", "import_key", unique=True,
              sqlite_where=text("import_key IS NOT NULL"),
              postgresql_where=text("import_key IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    purchased_on: Mapped[date] = mapped_column(Date)
    #: total of the line; a refund or credit is a negative amount with is_credit set
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    item: Mapped[str] = mapped_column(String(200), default="", server_default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 3), default=Decimal("1"),
                                              server_default="1")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_credit: Mapped[bool] = mapped_column(default=False, server_default="0")
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"))
    #: the membership this line sold (its price): kept in step with the membership by
    #: the card's save, removed with it
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"))
    #: key of the imported row, so that a re-import does not double the data: 8 bytes of
    #: a hash of the row (app/services/io/importer.py: purchase_import_key)
    import_key: Mapped[int | None] = mapped_column(BigInteger)
    #: when the line was written (the day a membership was sold: its sale line's date);
    #: 8 bytes of microseconds (migration 0013: was 26 characters of text, beside an
    #: ``updated_at`` that nothing read)
    created_at: Mapped[datetime] = mapped_column(EpochMicros, server_default=NOW_MICROS)

    client: Mapped[Client] = relationship(back_populates="purchases")
    # known to the unit of work, so a sale line is deleted before its membership
    membership: Mapped[Membership | None] = relationship()
