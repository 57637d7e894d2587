from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps, str_enum
from .enums import TaskKind, TaskStatus


class Task(Timestamps, Base):
    """A due contact (or internal to-do) made by a rule or by hand."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_status_due", "status", "due_on"),
        # the calendar (migration 0010): a day's tasks in the order its list shows them
        # (priority, id), a page at a time. Migration 0015 dropped ix_tasks_month (a
        # month's calls counted from the index: the calendar keeps its counts now) and
        # ix_tasks_source (no query looks a task up by its source's kind and id): each
        # was written on every task a morning makes (13% of its pages at a million)
        Index("ix_tasks_day", "due_on", "priority"),
        Index("ix_tasks_client_status", "client_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[TaskKind] = mapped_column(str_enum(TaskKind))
    due_on: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    #: the date the rule asked for; ``due_on`` may differ (contact cap, preferred days,
    #: snooze, no answer). When the source moves this date, the open task moves with it.
    rule_due_on: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.OPEN)
    #: what made the task: e.g. source_kind "purchase", source_id 12
    source_kind: Mapped[str | None] = mapped_column(String(30))
    source_id: Mapped[int | None] = mapped_column(Integer)
    #: unique key of the occurrence, so that regeneration is idempotent
    source_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    #: the rule (setting prefix) that made it, shown to the user; "" for manual tasks
    rule: Mapped[str] = mapped_column(String(60), default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    #: why the due date moved (contact cap, preferred days) or why it was cancelled
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    assigned_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
