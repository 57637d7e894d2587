"""What the client list is made of, as plain values: its columns, its query, one row's
values and the status rules its status column is computed with.

A light module (the standard library and :mod:`app.enums` only): the window paints the
first page of the list from these before SQLAlchemy, the models and the services are
imported (:mod:`app.quick_open`). :mod:`app.services.clients` re-exports them and holds the
SQL that uses them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import TYPE_CHECKING

from app.config import SETTINGS
from app.enums import ClientStatus, Segment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


#: ids the list reads by one query: a screenful and more (each page after it: twice the
#: one before, up to :data:`MAX_PAGE`, so scrolling far takes few queries)
PAGE = 200
MAX_PAGE = 5000


class ClientColumn(IntEnum):
    NAME = 0
    PHONE = 1
    SEGMENT = 2
    STATUS = 3
    LAST_PURCHASE = 4
    VALUE_12M = 5
    NEXT_DUE = 6
    TAGS = 7
    RISK = 8  #: the kept churn-risk score (app/services/risk_store.py)


#: the risk levels the list filters on: (lowest score, below this score)
RISK_LEVELS = {"high": (0.75, None), "medium": (0.5, 0.75), "low": (None, 0.5)}


#: the settings the status column is computed from (their defaults: app/config.py)
STATUS_KEYS = ("status.new_until_purchases", "status.default_gap_days",
               "status.gap_multiplier", "status.lapsed_after_days", "risk.threshold_percent")


@dataclass(frozen=True)
class StatusRules:
    today: date
    new_until_purchases: int
    default_gap_days: int
    gap_multiplier: Decimal
    lapsed_after_days: int
    #: a client with a kept score is at risk from this score (0..1); without one the gap
    #: rule above decides
    risk_threshold: float = SETTINGS["risk.threshold_percent"].default / 100

    @classmethod
    def from_values(cls, values: dict, today: date | None = None) -> StatusRules:
        """From the settings' values (``settings.get_all`` or the same read by sqlite3)."""
        return cls(today=today or date.today(),
                   new_until_purchases=values["status.new_until_purchases"],
                   default_gap_days=values["status.default_gap_days"],
                   gap_multiplier=values["status.gap_multiplier"],
                   lapsed_after_days=values["status.lapsed_after_days"],
                   risk_threshold=values.get(
                       "risk.threshold_percent", SETTINGS["risk.threshold_percent"].default)
                   / 100)

    @classmethod
    def from_settings(cls, session: Session, today: date | None = None) -> StatusRules:
        # lazy: start-up, this module is imported before SQLAlchemy and the services
        from app.services import settings as settings_service
        return cls.from_values(settings_service.get_all(session), today)


@dataclass
class ClientQuery:
    text: str = ""
    segment: Segment | None = None
    status: ClientStatus | None = None
    tag_id: int | None = None
    #: a risk level of RISK_LEVELS: only the clients whose kept score is of it
    risk: str | None = None
    trash: bool = False
    sort: ClientColumn = ClientColumn.NAME
    descending: bool = False


@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    phone: str | None
    segment: str | None
    status: str
    last_purchase_on: date | None
    value_12m: Decimal
    next_due_on: date | None
    tags: str
    do_not_contact: bool
    deleted_at: datetime | None
    open_complaint: bool = False
    #: the number as a file gave it, to be checked (``phone`` is then None)
    phone_unchecked: str | None = None
    #: the kept churn-risk score while it is the client's (None: none yet, or a purchase
    #: came after it: the status then follows the gap rule)
    risk: float | None = None
