from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, str_enum
from .enums import Channel, Direction, Outcome, TaskKind, Tone


class Contact(Base):
    """One logged contact (the call log)."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_client_at", "client_id", "at"),
                      Index("ix_contacts_at", "at"),
                      # the calendar's meetings; most calls book none (migration 0010)
                      Index("ix_contacts_meeting_at", "meeting_at",
                            sqlite_where=text("meeting_at IS NOT NULL"),
                            postgresql_where=text("meeting_at IS NOT NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.PHONE)
    direction: Mapped[Direction] = mapped_column(str_enum(Direction), default=Direction.OUTBOUND)
    purpose: Mapped[TaskKind] = mapped_column(str_enum(TaskKind), default=TaskKind.MANUAL)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome))
    tone: Mapped[Tone | None] = mapped_column(str_enum(Tone))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    decline_reason: Mapped[str | None] = mapped_column(String(120))
    meeting_at: Mapped[datetime | None] = mapped_column(DateTime)
    call_back_on: Mapped[date | None] = mapped_column(Date)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"),
                                                index=True)


class ContactEffect(Base):
    """What logging a contact changed, with the state before it, so the call can be undone
    or corrected exactly: ``what`` is "task" (a purpose of the call), "other_task" (a call
    of the same client the outcome closed too), "phone" (the client's number before a
    wrong-number call) or "complaint" (the complaint the call opened)."""

    __tablename__ = "contact_effects"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"),
                                            index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                                index=True)
    what: Mapped[str] = mapped_column(String(20))
    #: JSON of the fields as they were before the contact
    before: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
