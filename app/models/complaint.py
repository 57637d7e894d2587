from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamps, str_enum
from .enums import Channel, CheckState, CompensationKind, ComplaintStatus, Fault, Severity


class Complaint(Timestamps, Base):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_complaints_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.PHONE)
    category: Mapped[str] = mapped_column(String(80), default="", server_default="")
    client_words: Mapped[str] = mapped_column(Text, default="", server_default="")
    severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.MEDIUM)
    fault: Mapped[Fault] = mapped_column(str_enum(Fault), default=Fault.UNCLEAR)
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus),
                                                    default=ComplaintStatus.OPEN)
    apology: Mapped[str] = mapped_column(Text, default="", server_default="")
    apology_given_at: Mapped[datetime | None] = mapped_column(DateTime)
    client_request: Mapped[str] = mapped_column(Text, default="", server_default="")
    compensation_kind: Mapped[CompensationKind] = mapped_column(
        str_enum(CompensationKind), default=CompensationKind.NONE)
    compensation_value: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"),
                                                        server_default="0")
    compensation_approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"))
    accountable_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"))
    corrective_action: Mapped[str] = mapped_column(Text, default="", server_default="")
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(Integer)
    # The seven review questions of DOMAIN.md, answered after cool-down.
    review_main_complaint: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_presentation: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_our_view: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_helped: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_hurt: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_care_shown: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_differently: Mapped[str] = mapped_column(Text, default="", server_default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    lesson: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: why the complaint was closed without its call-back (kept for the record)
    close_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    checks: Mapped[list[ComplaintCheck]] = relationship(
        cascade="all, delete-orphan", order_by="ComplaintCheck.item", lazy="selectin")


class ComplaintCheck(Base):
    """One of the eight items of what an upset client needs, ticked with who and when."""

    __tablename__ = "complaint_checks"
    __table_args__ = (
        UniqueConstraint("complaint_id", "item"),
        CheckConstraint("item BETWEEN 1 AND 8", name="item_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    item: Mapped[int] = mapped_column(Integer)
    state: Mapped[CheckState] = mapped_column(str_enum(CheckState), default=CheckState.OPEN)
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    at: Mapped[datetime | None] = mapped_column(DateTime)
