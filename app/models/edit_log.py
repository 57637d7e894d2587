"""Who changed what (issue 17): one row per saved change of a client, a complaint or a
logged contact, with the person signed in and the fields it touched. Written by the
session listener of app/services/auth.py; the client's card shows the latest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class EditLog(Base):
    __tablename__ = "edit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    #: "client", "complaint" or "contact"
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: the client it belongs to (the card lists its rows), kept after the subject is gone
    client_id: Mapped[int | None] = mapped_column(Integer)
    #: "created", or the changed fields' names separated by spaces
    fields: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_edit_log_client", "client_id", "at"),)
