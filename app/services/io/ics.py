"""Calendar export (.ics, RFC 5545) with icalendar.

* every open due call from a day on (overdue ones on their due day), all-day, with the
  client and the phone;
* booked meetings from a day on, one hour at the booked time;
* birthdays, name days and other personal dates of clients and relatives as yearly
  all-day events. 29 February repeats on the last day of February, so it shows on
  28 February in other years.

Labels come in as a function so the window can export in the user's language; the
command line uses English. A long export reports the events made (:data:`STAGE_EVENTS`)
and may be stopped (then no file is written).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app import __version__
from app.models import Client, Contact, PersonalDate, Relative, Task
from app.models.enums import DateKind, TaskKind, TaskStatus
from app.progress import NO_PROGRESS, Progress
from app.services.schedule import INTERNAL_KINDS

#: what an export is doing, as the ``text`` of its progress reports: events made
STAGE_EVENTS = "ics.events"
#: events made between two progress reports (and checks for "stop")
PROGRESS_BATCH = 500

ENGLISH_KINDS = {
    TaskKind.FOLLOW_UP: "Follow-up after purchase", TaskKind.ONBOARDING: "Onboarding check-in",
    TaskKind.RENEWAL: "Renewal", TaskKind.PERSONAL_DATE: "Congratulations",
    TaskKind.GIFT: "Gift reminder", TaskKind.COMPLAINT_CALLBACK: "Complaint call-back",
    TaskKind.COMPLAINT_REVIEW: "Complaint review", TaskKind.WIN_BACK: "Win-back",
    TaskKind.KEEP_IN_TOUCH: "Keep in touch", TaskKind.QUARTERLY_REVIEW: "Quarterly A/B/C review",
    TaskKind.MANUAL: "Call",
}
ENGLISH_DATES = {DateKind.BIRTHDAY: "Birthday", DateKind.NAME_DAY: "Name day",
                 DateKind.ANNIVERSARY: "Anniversary", DateKind.CUSTOM: "Date"}
ENGLISH_MEETING = "Meeting"


def build_calendar(session: Session, since: date, *,
                   kind_label: Callable[[TaskKind], str] = lambda k: ENGLISH_KINDS[k],
                   date_label: Callable[[DateKind], str] = lambda k: ENGLISH_DATES[k],
                   meeting_label: str = ENGLISH_MEETING,
                   format_phone: Callable[[str | None], str] = lambda p: p or "",
                   progress: Progress = NO_PROGRESS) -> Calendar:
    tasks_q = (select(Task, Client).outerjoin(Client, Client.id == Task.client_id)
               .where(Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)))
               .where((Client.id.is_(None)) | Client.deleted_at.is_(None))
               .order_by(Task.due_on, Task.id))
    meetings_q = (select(Contact, Client).join(Client, Client.id == Contact.client_id)
                  .where(Contact.meeting_at.is_not(None),
                         Contact.meeting_at >= datetime.combine(since, datetime.min.time()),
                         Client.deleted_at.is_(None)).order_by(Contact.meeting_at))
    rel = aliased(Relative)
    dates_q = (select(PersonalDate, Client.name, rel.name)
               .join(Client, Client.id == PersonalDate.client_id)
               .outerjoin(rel, rel.id == PersonalDate.relative_id)
               .where(Client.deleted_at.is_(None)).order_by(PersonalDate.id))
    total = None
    if progress is not NO_PROGRESS:
        total = sum(session.scalar(select(func.count()).select_from(q.subquery())) or 0
                    for q in (tasks_q, meetings_q, dates_q))
    made = 0

    def counted(cal: Calendar, ev: Event) -> None:
        nonlocal made
        cal.add_component(ev)
        made += 1
        if made % PROGRESS_BATCH == 0:
            progress.report(made, total, STAGE_EVENTS)
            progress.check()

    progress.report(0, total, STAGE_EVENTS)
    cal = Calendar()
    cal.add("prodid", f"-//ClientCare {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "ClientCare")
    stamp = datetime.now().replace(microsecond=0)

    for task, client in session.execute(tasks_q):
        day = max(task.due_on, since)
        ev = Event()
        ev.add("uid", f"task-{task.id}@clientcare")
        ev.add("dtstamp", stamp)
        name = client.name if client else ""
        ev.add("summary", f"{kind_label(task.kind)}: {name}" if name else kind_label(task.kind))
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        lines = []
        if client is not None and client.phone and task.kind not in INTERNAL_KINDS:
            lines.append(format_phone(client.phone))
        if task.note:
            lines.append(task.note)
        if lines:
            ev.add("description", "\n".join(lines))
        ev.add("categories", [str(task.kind)])
        counted(cal, ev)

    for contact, client in session.execute(meetings_q):
        ev = Event()
        ev.add("uid", f"meeting-{contact.id}@clientcare")
        ev.add("dtstamp", stamp)
        ev.add("summary", f"{meeting_label}: {client.name}")
        ev.add("dtstart", contact.meeting_at)
        ev.add("dtend", contact.meeting_at + timedelta(hours=1))
        if client.phone:
            ev.add("description", format_phone(client.phone))
        ev.add("categories", ["meeting"])
        counted(cal, ev)

    for d, client_name, relative_name in session.execute(dates_q):
        ev = Event()
        ev.add("uid", f"date-{d.id}@clientcare")
        ev.add("dtstamp", stamp)
        who = f"{relative_name} ({client_name})" if relative_name else client_name
        label = d.label if d.kind == DateKind.CUSTOM and d.label else date_label(d.kind)
        ev.add("summary", f"{label}: {who}")
        if d.month == 2 and d.day == 29:
            leap = next(y for y in range(since.year, since.year + 8)
                        if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0)
            start = date(leap, 2, 29)
            ev.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
        else:
            start = date(since.year, d.month, d.day)
            ev.add("rrule", {"freq": "yearly"})
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("categories", [str(d.kind)])
        counted(cal, ev)
    progress.report(made, total if total is not None else made, STAGE_EVENTS)
    return cal


def export_ics(session: Session, path: Path, since: date | None = None, *,
               progress: Progress = NO_PROGRESS, **labels) -> int:
    """Write the calendar file; returns the number of events. Writes to a temporary
    file first so a failed export never leaves half a file behind; ``progress`` hears
    the events made and may stop the export (nothing is written then)."""
    cal = build_calendar(session, since or date.today(), progress=progress, **labels)
    data = cal.to_ical()
    progress.check()
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(cal.walk("VEVENT"))
