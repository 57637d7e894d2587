"""The calendar file: parsed back, every item is there, dates repeat yearly."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select

from app.models import Contact, PersonalDate, Task
from app.models.enums import DateKind, Outcome
from app.services import clients as client_service
from app.services import schedule
from app.services.io.ics import export_ics
from tests.conftest import db_target

TODAY = date(2026, 11, 23)


def _data(db, make_client):
    anna = make_client("Anna Kowalska", phone="601 234 567",
                       purchases=[(TODAY - timedelta(days=2), "50.00")])
    with db.session() as s:
        data = client_service.load_client(s, anna)
        rel = client_service.RelativeData(name="Ola", relation="child")
        data.relatives.append(rel)
        data.dates += [client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=3, day=14, year=1985),
                       client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=7, day=26),
                       client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=2, day=29,
                                           relative_key=rel.key)]
        client_service.save_client(s, data, region="PL", today=TODAY)
        s.add(Contact(client_id=anna, at=datetime(2026, 11, 20, 10), outcome=Outcome.MEETING_BOOKED,
                      meeting_at=datetime(2026, 11, 27, 15, 30)))
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(quarterly_review=False))
    return anna


def _events(path: Path):
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_every_item_is_in_the_file(db, make_client, tmp_path):
    _data(db, make_client)
    out = tmp_path / "cc.ics"
    with db.sessions() as s:
        n = export_ics(s, out, TODAY, format_phone=lambda p: f"tel {p}")
        open_tasks = s.scalars(select(Task).where(Task.status == "open")).all()
        dates = s.scalars(select(PersonalDate)).all()
    events = _events(out)
    assert n == len(events) == len(open_tasks) + 1 + len(dates)
    by_uid = {str(e["UID"]): e for e in events}
    follow = next(t for t in open_tasks if t.kind == "follow_up")
    ev = by_uid[f"task-{follow.id}@clientcare"]
    assert str(ev["SUMMARY"]) == "Follow-up after purchase: Anna Kowalska"
    assert ev["DTSTART"].dt == follow.due_on
    assert "tel +48601234567" in str(ev["DESCRIPTION"])
    meeting = next(e for e in events if str(e["UID"]).startswith("meeting-"))
    assert meeting["DTSTART"].dt == datetime(2026, 11, 27, 15, 30)
    assert str(meeting["SUMMARY"]) == "Meeting: Anna Kowalska"


def test_personal_dates_repeat_every_year(db, make_client, tmp_path):
    _data(db, make_client)
    out = tmp_path / "cc.ics"
    with db.sessions() as s:
        export_ics(s, out, TODAY)
    yearly = [e for e in _events(out) if str(e["UID"]).startswith("date-")]
    assert len(yearly) == 3
    for e in yearly:
        assert e["RRULE"]["FREQ"] == ["YEARLY"]
        assert isinstance(e["DTSTART"].dt, date) and not isinstance(e["DTSTART"].dt, datetime)
    birthday = next(e for e in yearly if str(e["SUMMARY"]) == "Birthday: Anna Kowalska")
    assert (birthday["DTSTART"].dt.month, birthday["DTSTART"].dt.day) == (3, 14)
    leap = next(e for e in yearly if "Ola" in str(e["SUMMARY"]))
    assert str(leap["SUMMARY"]) == "Birthday: Ola (Anna Kowalska)"
    assert leap["DTSTART"].dt == date(2028, 2, 29)
    assert leap["RRULE"]["BYMONTHDAY"] == [-1] and leap["RRULE"]["BYMONTH"] == [2]
    assert any(str(e["SUMMARY"]) == "Name day: Anna Kowalska" for e in yearly)


def test_command_line_export(db, make_client, tmp_path):
    _data(db, make_client)
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "calendar.ics"
    run = subprocess.run([sys.executable, str(root / "main.py"), "export-ics", "--db",
                          db_target(db), str(out)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert len(_events(out)) > 3
    bad = subprocess.run([sys.executable, str(root / "main.py"), "export-ics", "--db",
                          db_target(db), str(tmp_path / "missing" / "x.ics")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "does not exist" in bad.stderr
