from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, str_enum
from .enums import Segment


class SegmentHistory(Base):
    """A client's A/B/C group at a quarterly review, and why it moved."""

    __tablename__ = "segment_history"
    __table_args__ = (UniqueConstraint("client_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # e.g. "2026Q4"
    segment: Mapped[Segment] = mapped_column(str_enum(Segment, 1))
    previous: Mapped[Segment | None] = mapped_column(str_enum(Segment, 1))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: why the client moved: competitor_prices, delivery, personality, other (None: no move)
    reason_kind: Mapped[str | None] = mapped_column(String(20))
    value_12m: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    call_minutes: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime,
                                                  server_default=func.current_timestamp())
