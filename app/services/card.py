"""Saving a client's card, as one use case: the client with everything on the card
(family, dates, purchases, memberships) is stored, then that client's due contacts are
brought in line with the edit, in the caller's one transaction. The window's card and
any other caller use this, never the two steps apart."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.services import schedule
from app.services.clients import ClientData, save_client


def save_card(session: Session, data: ClientData, region: str,
              today: date | None = None) -> int:
    """Validate and store ``data`` (a new client when ``data.id`` is None) and
    regenerate the schedule of that client; returns the client's id. Refusals raise
    ValidationError (per field) or DomainError, and nothing is stored."""
    client_id = save_client(session, data, region=region)
    schedule.regenerate(session, today, client_ids=[client_id])  # due contacts follow the edit
    return client_id
