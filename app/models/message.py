"""Messages to clients (issue 18): the templates they are written from, and every
message sent or tried.

A message that reached the gateway or the mail server is also a logged ``Contact``
(channel e-mail or SMS, outcome "left a message"): it is on the card, it counts for the
contact cap and it closes the tasks it was for, like a call. ``OutgoingMessage`` keeps
what a contact row has no room for: the text, the address, the gateway's id, and for a
message that failed the error; a failed one has no contact (nothing reached the client)
and stays listed, on the card and in Today, until it is sent again or dismissed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, str_enum
from .enums import Channel

#: OutgoingMessage.status
STATUS_PENDING, STATUS_SENT, STATUS_FAILED, STATUS_DISMISSED = (
    "pending", "sent", "failed", "dismissed")


class MessageTemplate(Base):
    """A template the owner wrote or edited: a kind of message in one language for one
    channel (an e-mail has a subject, an SMS none). ``kind`` is a code of
    app/services/messages/templates.py (``KINDS``).

    ClientCare's own templates (app/services/messages/defaults.py, in the four languages)
    are not rows: every database, new or migrated, has them, a row here stands in for
    one, and deleting the row brings the default back. So a database copied to a server
    is still "empty" before the copy, and a better default in a new version reaches
    every template the owner never touched."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("kind", "language", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(5))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class OutgoingMessage(Base):
    """One message to a client, sent or tried."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_client", "client_id", "created_at"),
                      # the few not sent, per client: Today marks its rows from it (a
                      # page of 200 clients among 200,000 messages: 80 ms without it)
                      Index("ix_messages_unsent", "client_id", "created_at",
                            sqlite_where=text("status IN ('failed', 'pending')"),
                            postgresql_where=text("status IN ('failed', 'pending')")))

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    #: the logged contact of a message that went out (None while pending or failed)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("message_templates.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    language: Mapped[str] = mapped_column(String(5))
    #: the e-mail address or the phone number (E.164) it went to
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the tasks it is for, ids separated by commas ("" = none)
    task_ids: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: pending (being sent), sent, failed, dismissed (a failure the user let go)
    status: Mapped[str] = mapped_column(String(10), default=STATUS_PENDING)
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_detail: Mapped[str | None] = mapped_column(Text)
    #: the mail's Message-ID or the SMS gateway's id
    gateway_id: Mapped[str | None] = mapped_column(String(200))
    #: SMS parts billed (None for an e-mail)
    segments: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def task_id_list(self) -> list[int]:
        return [int(x) for x in self.task_ids.split(",") if x.strip()]
