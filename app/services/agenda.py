"""The day's list as plain data, for paper and for the day-start notice (no Qt here).

:func:`day_sheet` gathers what the printed list shows: the business, the day, and the
call rows of Today in Today's order (the same rows :func:`app.services.calls.today_queue`
makes, read a page at a time as the page reads them), then the day's to-dos.
:func:`claim_day_notice` answers, once a day, the figures of the notice the window shows
on the first start of a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.enums import DateKind
from app.models import Client, PersonalDate, Task
from app.models.enums import TaskKind
from app.services import calls
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.calls import OPEN_STATES, QueueCursor, QueueRow

#: call rows printed at most: about 40 pages. A queue longer than this (a large file
#: whose calls were left for weeks) is not worked from paper; the sheet says how many
#: were left out, and Today lists them all
PRINT_LIMIT = 1000
#: to-dos printed at most after the calls
TODO_LIMIT = 200
#: rows read at a time while the sheet is gathered (as Today reads its pages)
_PAGE = 250

#: the setting that turns the day-start notice on or off, and the day it was last shown
NOTICE_SETTING = "notice.day_start"
NOTICE_SHOWN_ON = "internal.day_notice_on"


@dataclass(frozen=True)
class DaySheet:
    """What the printed list of a day holds."""

    day: date
    business: str
    region: str  #: the country the phone numbers are written for
    currency: str  #: the 12-month value in a win-back call's mark
    calls: list[QueueRow]
    todos: list[QueueRow]
    #: every call row of the day (more than ``len(calls)`` when the list was cut)
    total_calls: int

    @property
    def left_out(self) -> int:
        return self.total_calls - len(self.calls)


def day_sheet(session: Session, day: date, limit: int = PRINT_LIMIT,
              todo_limit: int = TODO_LIMIT) -> DaySheet:
    """The day's list for paper: Today's call rows in Today's order (overdue ones and
    those logged today included, as the page shows them), at most ``limit`` of them,
    then at most ``todo_limit`` to-dos."""
    rows: list[QueueRow] = []
    cursor = QueueCursor(day)
    while not cursor.done and len(rows) < limit:
        page, cursor = calls.today_calls_page(session, cursor, min(_PAGE, limit - len(rows)))
        if not page:
            break
        rows += page
    if cursor.done:
        total = len(rows)
    else:
        counts = calls.today_counts(session, day)
        total = max(len(rows), counts.to_make + counts.logged)
    todos, _after = calls.today_todos_page(session, QueueCursor(day), todo_limit)
    return DaySheet(day=day, business=settings_service.get(session, "business.name"),
                    region=settings_service.get(session, "business.region"),
                    currency=settings_service.get(session, "business.currency"),
                    calls=rows, todos=todos, total_calls=total)


# --------------------------------------------------------------------------- the day-start notice


@dataclass(frozen=True)
class DayCounts:
    """The figures of the day-start notice."""

    calls: int  #: calls still to make today (one per client)
    overdue: int  #: of those, calls due before today
    birthdays: int  #: birthdays and name days of clients and their relatives today


def day_counts(session: Session, day: date) -> DayCounts:
    """Today's calls to make, the overdue ones among them (as Today's summary counts
    them), and the birthdays and name days whose congratulation call is due today."""
    counts = calls.today_counts(session, day)
    birthdays = session.scalar(
        select(func.count()).select_from(Task)
        .join(PersonalDate, PersonalDate.id == Task.source_id)
        .join(Client, Client.id == Task.client_id)
        .where(Task.kind == TaskKind.PERSONAL_DATE, Task.source_kind == "personal_date",
               Task.status.in_(OPEN_STATES), Task.due_on == day,
               PersonalDate.kind.in_((DateKind.BIRTHDAY, DateKind.NAME_DAY)),
               Client.deleted_at.is_(None)))
    return DayCounts(counts.to_make, counts.overdue, int(birthdays or 0))


def set_day_notice(session: Session, on: bool) -> bool:
    """Turn the day-start notice on or off (Settings: the owner's)."""
    require(session, Action.SETTINGS)
    return settings_service.put(session, NOTICE_SETTING, on)


def claim_day_notice(session: Session, day: date) -> DayCounts | None:
    """The notice's figures on the first start of ``day`` (and the day noted, so a later
    start the same day shows none); None when it was shown that day already, or the
    owner turned it off."""
    if not settings_service.get(session, NOTICE_SETTING):
        return None
    if settings_service.get(session, NOTICE_SHOWN_ON) == day.isoformat():
        return None
    settings_service.put(session, NOTICE_SHOWN_ON, day.isoformat())
    return day_counts(session, day)
