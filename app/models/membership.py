from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamps, str_enum
from .enums import MembershipStatus

if TYPE_CHECKING:
    from .client import Client


class Membership(Timestamps, Base):
    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_client_end", "client_id", "ends_on"),
                      Index("ix_memberships_end", "ends_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    plan: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[MembershipStatus] = mapped_column(str_enum(MembershipStatus),
                                                     default=MembershipStatus.ACTIVE)
    frozen_from: Mapped[date | None] = mapped_column(Date)
    frozen_until: Mapped[date | None] = mapped_column(Date)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    promo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    discount: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    special_conditions: Mapped[str] = mapped_column(Text, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    client: Mapped[Client] = relationship(back_populates="memberships")
