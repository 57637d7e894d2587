from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamps, str_enum
from .enums import Channel, ClientKind, DateKind, Relation, Segment

if TYPE_CHECKING:
    from .membership import Membership
    from .purchase import Purchase

client_tags = Table(
    "client_tags",
    Base.metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_client_tags_tag_id", "tag_id"),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    # casefolded name: one tag whatever the letter case
    key: Mapped[str] = mapped_column(String(60), unique=True)


#: the rows of the start of a day's partial indexes (migration 0012), on either engine
GAP_LAST_WHERE = "deleted_at IS NULL AND last_purchase_on IS NOT NULL"
A_CREATED_WHERE = "COALESCE(segment_override, segment) = 'A' AND deleted_at IS NULL"


class Client(Timestamps, Base):
    __tablename__ = "clients"
    __table_args__ = (
        # The list's sorts: each starts with deleted_at because the list shows either the
        # live clients or the Trash.
        Index("ix_clients_list", "deleted_at", "sort_name"),
        Index("ix_clients_list_value", "deleted_at", "value_12m"),
        Index("ix_clients_list_last", "deleted_at", "last_purchase_on"),
        Index("ix_clients_list_due", "deleted_at", "next_due_on"),
        Index("ix_clients_phone_digits", "phone_digits"),
        # an import's look-ups of a batch of e-mails and card numbers, any letter case
        Index("ix_clients_email_lower", text("lower(email)")),
        Index("ix_clients_external_ref_lower", text("lower(external_ref)")),
        # the start of a day: who fell at risk since the last start (a range of last
        # purchase days for each usual gap), who came due for keep-in-touch without a
        # positive contact (the A clients by the day they were added)
        Index("ix_clients_gap_last", "usual_gap_days", "last_purchase_on",
              sqlite_where=text(GAP_LAST_WHERE), postgresql_where=text(GAP_LAST_WHERE)),
        Index("ix_clients_a_created", "created_at",
              sqlite_where=text(A_CREATED_WHERE), postgresql_where=text(A_CREATED_WHERE)),
        UniqueConstraint("external_ref", name="uq_clients_external_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ClientKind] = mapped_column(str_enum(ClientKind), default=ClientKind.PERSON)
    name: Mapped[str] = mapped_column(String(200))
    #: casefolded name for sorting and case-insensitive search in any alphabet
    sort_name: Mapped[str] = mapped_column(String(200), default="")
    #: casefolded name, e-mail, external reference and notes, for search as you type
    search_text: Mapped[str] = mapped_column(Text, default="")
    external_ref: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164
    #: the digits of the phone (or of the unchecked number) for search and matching
    phone_digits: Mapped[str | None] = mapped_column(String(32))
    #: a number kept exactly as a file gave it because it is not a valid phone number of
    #: the business's country ("check this number"); None once a valid phone is saved
    phone_unchecked: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_channel: Mapped[Channel | None] = mapped_column(str_enum(Channel))
    contact_from: Mapped[time | None] = mapped_column(Time)
    contact_to: Mapped[time | None] = mapped_column(Time)
    #: ISO weekdays the client likes to be contacted on, e.g. "12345"; empty = any day
    contact_days: Mapped[str] = mapped_column(String(7), default="", server_default="")
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    marketing_consent_on: Mapped[date | None] = mapped_column(Date)
    source_channel: Mapped[str | None] = mapped_column(String(60))
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    segment: Mapped[Segment | None] = mapped_column(str_enum(Segment, 1))
    segment_override: Mapped[Segment | None] = mapped_column(str_enum(Segment, 1))
    segment_override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    preferences: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: set when personal data was erased on the client's request; purchases stay anonymous
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Summary kept by the services so that the list sorts 100,000 clients in SQL.
    first_purchase_on: Mapped[date | None] = mapped_column(Date)
    last_purchase_on: Mapped[date | None] = mapped_column(Date)
    purchase_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: median days between purchases, when there are enough purchases to know it
    usual_gap_days: Mapped[int | None] = mapped_column(Integer)
    value_12m: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"),
                                               server_default="0")
    next_due_on: Mapped[date | None] = mapped_column(Date)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    tags: Mapped[list[Tag]] = relationship(secondary=client_tags, lazy="selectin",
                                           order_by=Tag.key)
    relatives: Mapped[list[Relative]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Relative.id")
    personal_dates: Mapped[list[PersonalDate]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="PersonalDate.id")
    purchases: Mapped[list[Purchase]] = relationship(
        back_populates="client", cascade="all, delete-orphan",
        # the newest first; of one day, the last written first (on every engine: SQLite
        # gave that order from its index, PostgreSQL needs it said)
        order_by="[Purchase.purchased_on.desc(), Purchase.id.desc()]")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="client", cascade="all, delete-orphan",
        order_by="[Membership.starts_on.desc(), Membership.id.desc()]")
    referred_by: Mapped[Client | None] = relationship(remote_side=[id])


class Relative(Base):
    __tablename__ = "relatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[Relation] = mapped_column(str_enum(Relation), default=Relation.OTHER)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    client: Mapped[Client] = relationship(back_populates="relatives")
    dates: Mapped[list[PersonalDate]] = relationship(back_populates="relative",
                                                      cascade="all, delete-orphan")


class PersonalDate(Base):
    """A yearly date of the client or of one of their relatives (year optional)."""

    __tablename__ = "personal_dates"
    __table_args__ = (
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("day BETWEEN 1 AND 31", name="day_range"),
        Index("ix_personal_dates_month_day", "month", "day"),
        # a client's dates (the foreign key's look-ups), with their month and day: the
        # calendar counts the dates of the Trash's clients from this index alone
        Index("ix_personal_dates_client", "client_id", "month", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    relative_id: Mapped[int | None] = mapped_column(
        ForeignKey("relatives.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DateKind] = mapped_column(str_enum(DateKind), default=DateKind.BIRTHDAY)
    label: Mapped[str] = mapped_column(String(120), default="", server_default="")
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    #: days before the date to remind about a gift; None = the business default
    gift_reminder_days: Mapped[int | None] = mapped_column(Integer)

    client: Mapped[Client] = relationship(back_populates="personal_dates")
    relative: Mapped[Relative | None] = relationship(back_populates="dates")


class ConsentEvent(Base):
    """Every change of marketing consent, with its date (a legal record in the EU)."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    consent: Mapped[bool] = mapped_column(Boolean)
    consent_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
