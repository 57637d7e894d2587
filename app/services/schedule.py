"""The scheduling engine: turns purchases, memberships, personal dates, complaints and
client histories into due contacts (DOMAIN.md, "Contacts the product schedules").

``regenerate(session, today)`` is idempotent. Every task a rule makes has a unique
``source_key`` naming its source and occurrence; running the engine again finds the
existing task instead of adding one. An open task follows its source (a purchase moved
to another day moves its follow-up; a deleted purchase cancels it), while done, missed
and cancelled tasks are history and never touched.

Contact rules applied when a task is placed:

* at most ``contact.cap_count`` outbound contacts per client in any ``contact.cap_days``
  days, counting logged outbound calls and open tasks; a task over the cap moves to the
  first allowed day and says why. Complaint call-backs are neither capped nor counted;
* a task falls on a working day of the business: its working weekdays, public holidays
  of its country excluded (app/services/workdays.py); a gift reminder moves to the working
  day before, everything else to the working day after;
* a client contacted today (any outcome, any direction) gets no new outbound call today:
  it goes to the next working day. Complaint call-backs are a promise made after the fix
  (due days after it) and internal tasks are no calls, so neither moves for it;
* a client's preferred weekdays, if set, move the task to the next such day;
* "do not contact" suppresses every task but the complaint call-back;
* marketing contacts (win-back, keep-in-touch) need recorded marketing consent.

Every number is a setting (app/config.py) and every rule can be switched off.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, literal_column, or_, select, text, update
from sqlalchemy.orm import Session, object_session

from app import changes, dialect
from app.models import (
    Client,
    ClientRisk,
    Complaint,
    Contact,
    Membership,
    PersonalDate,
    Purchase,
    Task,
)
from app.models.enums import (
    Direction,
    MembershipStatus,
    Segment,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import settings as settings_service
from app.services.clients import refresh_next_due
from app.services.workdays import ALL_DAYS, WorkingCalendar

#: kinds that are calls or messages to the client (the cap counts them)
OUTBOUND_KINDS = frozenset({TaskKind.FOLLOW_UP, TaskKind.ONBOARDING, TaskKind.RENEWAL,
                            TaskKind.PERSONAL_DATE, TaskKind.WIN_BACK,
                            TaskKind.KEEP_IN_TOUCH, TaskKind.MANUAL})
#: kinds the cap may move (a manual task is placed where the staff put it)
CAPPED_KINDS = OUTBOUND_KINDS - {TaskKind.MANUAL}
#: kinds that are marketing and need recorded consent
MARKETING_KINDS = frozenset({TaskKind.WIN_BACK, TaskKind.KEEP_IN_TOUCH})
#: internal to-dos: no client contact, never capped, never suppressed by do-not-contact
INTERNAL_KINDS = frozenset({TaskKind.GIFT, TaskKind.COMPLAINT_REVIEW,
                            TaskKind.QUARTERLY_REVIEW})

#: kinds whose rule day may lie long in the past (at risk since spring): a new task of
#: these starts today instead of arriving months overdue; the rule day stays as it is,
#: so the task does not drift when the engine runs again tomorrow
START_TODAY_KINDS = frozenset({TaskKind.WIN_BACK, TaskKind.KEEP_IN_TOUCH})

#: base priority by kind (lower comes first); the queue refines it by client group
BASE_PRIORITY = {
    TaskKind.COMPLAINT_CALLBACK: 10, TaskKind.COMPLAINT_REVIEW: 15, TaskKind.RENEWAL: 30,
    TaskKind.FOLLOW_UP: 40, TaskKind.ONBOARDING: 40, TaskKind.WIN_BACK: 45,
    TaskKind.KEEP_IN_TOUCH: 50, TaskKind.PERSONAL_DATE: 35, TaskKind.GIFT: 36,
    TaskKind.MANUAL: 50, TaskKind.QUARTERLY_REVIEW: 60,
}

# Reasons are stable codes with values; the UI translates them (app/ui/messages.py).
REASON_CAP = "cap"
REASON_DAYS = "preferred_days"
REASON_SOURCE_GONE = "source_gone"
REASON_DO_NOT_CONTACT = "do_not_contact"
REASON_NO_CONSENT = "no_consent"
REASON_RULE_OFF = "rule_off"
REASON_BOUGHT_AGAIN = "bought_again"
REASON_NOT_NEEDED = "not_needed"
REASON_NON_WORKING = "non_working_day"
REASON_CONTACTED_TODAY = "contacted_today"
#: reasons the engine itself moved a task for: when its rule's day changes, the task is
#: placed afresh from the new day (a move by hand, no answer or snooze shifts instead)
ENGINE_MOVES = frozenset({"", REASON_CAP, REASON_DAYS, REASON_NON_WORKING,
                          REASON_CONTACTED_TODAY})
#: reasons the engine itself cancelled for; when they no longer hold, the task reopens
AUTO_REASONS = frozenset({REASON_DO_NOT_CONTACT, REASON_NO_CONSENT})


@dataclass(frozen=True)
class ScheduleRules:
    """The settings the engine reads, in one object (tests build it directly)."""

    follow_up: bool = True
    follow_up_after: int = 3
    follow_up_window: int = 7
    follow_up_min_amount: Decimal = Decimal("0")
    new_until_purchases: int = 3
    onboarding: bool = True
    onboarding_after: int = 7
    renewal: bool = True
    renewal_before: int = 14
    personal_dates: bool = True
    personal_horizon: int = 30
    gift_before: int = 3
    callback_after: int = 2
    review_after: int = 1
    win_back: bool = True
    default_gap_days: int = 90
    gap_multiplier: Decimal = Decimal("2")
    lapsed_after_days: int = 365
    #: the kept risk score from which a client is at risk (0..1; the setting
    #: risk.threshold_percent / 100); None: the gap rule alone decides
    risk_threshold: float | None = 0.6
    keep_in_touch: bool = True
    keep_in_touch_days: int = 60
    quarterly_review: bool = True
    cap_count: int = 3
    cap_days: int = 30
    freeze_extends_end: bool = True
    #: the business calendar; a ScheduleRules built by hand (tests) works every day and
    #: knows no holidays unless told, from_settings reads the business's own
    working_days: str = ALL_DAYS
    country: str = ""

    @property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.working_days, self.country)

    @classmethod
    def from_settings(cls, session: Session) -> ScheduleRules:
        g = settings_service.get_all(session)
        return cls(
            follow_up=g["rule.follow_up.enabled"], follow_up_after=g["rule.follow_up.after_days"],
            follow_up_window=g["rule.follow_up.window_days"],
            follow_up_min_amount=g["rule.follow_up.min_amount"],
            new_until_purchases=g["status.new_until_purchases"],
            onboarding=g["rule.onboarding.enabled"],
            onboarding_after=g["rule.onboarding.after_days"],
            renewal=g["rule.renewal.enabled"], renewal_before=g["rule.renewal.before_days"],
            personal_dates=g["rule.personal_date.enabled"],
            personal_horizon=g["rule.personal_date.horizon_days"],
            gift_before=g["rule.gift.before_days"],
            callback_after=g["rule.complaint_callback.after_days"],
            review_after=g["rule.complaint_review.after_days"],
            win_back=g["rule.win_back.enabled"], default_gap_days=g["status.default_gap_days"],
            gap_multiplier=g["status.gap_multiplier"],
            lapsed_after_days=g["status.lapsed_after_days"],
            risk_threshold=g["risk.threshold_percent"] / 100,
            keep_in_touch=g["rule.keep_in_touch.enabled"],
            keep_in_touch_days=g["rule.keep_in_touch.days"],
            quarterly_review=g["rule.quarterly_review.enabled"],
            cap_count=g["contact.cap_count"], cap_days=g["contact.cap_days"],
            freeze_extends_end=g["membership.freeze_extends_end"],
            working_days=g["business.working_days"], country=g["business.region"])


@dataclass(frozen=True)
class Want:
    """A task a rule asks for."""

    key: str
    kind: TaskKind
    client_id: int | None
    due: date
    window_end: date | None
    source_kind: str
    source_id: int | None
    rule: str


@dataclass
class RegenStats:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    unchanged: int = 0
    suppressed: int = 0
    details: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- dates


def yearly_occurrence(month: int, day: int, year: int) -> date:
    """The date in ``year``; 29 February falls on 28 February in a non-leap year."""
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


def next_occurrence(month: int, day: int, on_or_after: date) -> date:
    this = yearly_occurrence(month, day, on_or_after.year)
    return this if this >= on_or_after else yearly_occurrence(month, day, on_or_after.year + 1)


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_start(d: date) -> date:
    return date(d.year, 3 * (quarter_of(d)[1] - 1) + 1, 1)


def membership_end(m: Membership, rules: ScheduleRules) -> date:
    """The end of a membership, extended by its frozen days when the setting says so."""
    return extended_end(m.ends_on, m.frozen_from, m.frozen_until, rules.freeze_extends_end)


def extended_end(ends_on: date, frozen_from: date | None, frozen_until: date | None,
                 freeze_extends_end: bool = True) -> date:
    """The day a membership really ends: its end plus the frozen days (both counted)."""
    if freeze_extends_end and frozen_from and frozen_until:
        return ends_on + timedelta(days=(frozen_until - frozen_from).days + 1)
    return ends_on


# --------------------------------------------------------------------------- the rules


def _follow_up_wants(session: Session, rules: ScheduleRules, today: date,
                     client_ids: Sequence[int] | None) -> list[Want]:
    """Follow-up after a purchase: every purchase of a new client (up to their
    ``new_until_purchases``-th), and for others those above the owner's amount. Read
    for the purchases of the last ``follow_up_window`` days only (an indexed range)."""
    wants: list[Want] = []
    if not rules.follow_up:
        return wants
    live = Client.deleted_at.is_(None)
    since = today - timedelta(days=rules.follow_up_window)
    # the n-th purchase *day*: several lines bought together are one visit
    ordinal = func.dense_rank().over(partition_by=Purchase.client_id,
                                     order_by=Purchase.purchased_on)
    ranked = (select(Purchase.id, Purchase.client_id, Purchase.purchased_on,
                     Purchase.amount, ordinal.label("n"),
                     Purchase.membership_id.label("membership_id"))
              .where(Purchase.is_credit.is_(False)))
    if client_ids is None:  # rank only who bought lately
        ranked = ranked.where(Purchase.client_id.in_(
            select(Purchase.client_id).where(Purchase.purchased_on >= since)))
    chunks: list[Sequence[int] | None] = [None]
    if client_ids is not None:  # SQLite takes ~32,000 parameters: by chunks of clients
        ids = sorted(client_ids)
        chunks = [ids[at:at + 10_000] for at in range(0, len(ids), 10_000)] or [[]]
        # only those who bought lately are ranked (a few of the thousands a morning
        # looks at again): found first by the (client, day) index, by their id
        chunks = [list(session.scalars(
            select(Purchase.client_id).distinct()
            .where(Purchase.client_id.in_(chunk), Purchase.purchased_on >= since)))
            for chunk in chunks]
        chunks = [chunk for chunk in chunks if chunk]

    def rows():
        for chunk in chunks:
            part = ranked if chunk is None else ranked.where(
                Purchase.client_id.in_(list(chunk)))
            sub = part.subquery()
            yield from session.execute(
                select(sub).join(Client, Client.id == sub.c.client_id)
                .where(live, sub.c.purchased_on >= since)
                .order_by(sub.c.client_id, sub.c.purchased_on, sub.c.id))

    visits: set[tuple[int, date]] = set()
    for pid, cid, day, amount, n, membership_id in rows():
        if membership_id is not None:
            continue  # a membership sold: its onboarding check-in is the follow-up
        is_new = n <= rules.new_until_purchases
        big = rules.follow_up_min_amount > 0 and amount >= rules.follow_up_min_amount
        if (is_new or big) and (cid, day) not in visits:
            visits.add((cid, day))  # one follow-up per visit, not per line
            wants.append(Want(f"follow_up:purchase:{pid}", TaskKind.FOLLOW_UP, cid,
                              day + timedelta(days=rules.follow_up_after),
                              day + timedelta(days=rules.follow_up_window),
                              "purchase", pid, "rule.follow_up"))
    return wants


def winback_day(last_purchase: date, gap_limit: float, risk_gap: int | None) -> date:
    """The rule day of a win-back call (stable for the episode): by the gap rule, the
    first day the gap since ``last_purchase`` is over the client's limit; for a client
    at risk by their kept score, the first day past the usual gap the score's
    explanation names (``risk_gap``: theirs, or the business's), so a client the model
    flags early is called once they are overdue by their own rhythm, and "overdue by"
    counts from the same gap the card shows."""
    if risk_gap is not None:
        return last_purchase + timedelta(days=int(risk_gap) + 1)
    return last_purchase + timedelta(days=int(gap_limit) + 1)


def _wants(session: Session, rules: ScheduleRules, today: date,
           client_ids: Sequence[int] | None) -> list[Want]:
    wants: list[Want] = []

    def scoped(stmt, col):
        return stmt.where(col.in_(list(client_ids))) if client_ids is not None else stmt

    live = Client.deleted_at.is_(None)
    wants.extend(_follow_up_wants(session, rules, today, client_ids))
    # Memberships: onboarding check-in and renewal.
    active = (MembershipStatus.ACTIVE, MembershipStatus.FROZEN)
    stmt = scoped(select(Membership).join(Client, Client.id == Membership.client_id)
                  .where(live, Membership.status.in_(active)), Membership.client_id)
    for m in session.scalars(stmt):
        if rules.onboarding:
            due = m.starts_on + timedelta(days=rules.onboarding_after)
            if due >= today - timedelta(days=rules.onboarding_after):
                wants.append(Want(f"onboarding:membership:{m.id}", TaskKind.ONBOARDING,
                                  m.client_id, due, due + timedelta(days=7), "membership",
                                  m.id, "rule.onboarding"))
        if rules.renewal:
            end = membership_end(m, rules)
            if end >= today:
                wants.append(Want(f"renewal:membership:{m.id}", TaskKind.RENEWAL, m.client_id,
                                  end - timedelta(days=rules.renewal_before), end,
                                  "membership", m.id, "rule.renewal"))
    # Personal dates of clients and relatives, and the gift reminders before them.
    if rules.personal_dates:
        horizon = today + timedelta(days=rules.personal_horizon)
        stmt = scoped(select(PersonalDate).join(Client, Client.id == PersonalDate.client_id)
                      .where(live), PersonalDate.client_id)
        for d in session.scalars(stmt):
            on = next_occurrence(d.month, d.day, today)
            if on <= horizon:
                wants.append(Want(f"personal_date:{d.id}:{on.year}", TaskKind.PERSONAL_DATE,
                                  d.client_id, on, on, "personal_date", d.id,
                                  "rule.personal_date"))
            gift_days = rules.gift_before if d.gift_reminder_days is None \
                else d.gift_reminder_days
            if gift_days > 0:
                # the next date itself: when we are already inside the reminder days,
                # the reminder is due (late) rather than skipped until next year
                gift_on = on
                gift_due = gift_on - timedelta(days=gift_days)
                if gift_due <= horizon:
                    wants.append(Want(f"gift:{d.id}:{gift_on.year}", TaskKind.GIFT, d.client_id,
                                      gift_due, gift_on, "personal_date", d.id, "rule.gift"))
    # Complaint call-back and review, once each, after the resolution.
    stmt = scoped(select(Complaint.id, Complaint.client_id, Complaint.resolved_at)
                  .join(Client, Client.id == Complaint.client_id)
                  .where(live, Complaint.resolved_at.is_not(None),
                         Complaint.closed_at.is_(None)), Complaint.client_id)
    for cid_, client_id, resolved in session.execute(stmt):
        day = resolved.date() if isinstance(resolved, datetime) else resolved
        wants.extend(complaint_wants(cid_, client_id, day, rules))
    # Win-back: at risk (not yet lapsed) clients. One task per episode: the episode is
    # keyed by the last purchase day, so a new purchase ends it. At risk as the status
    # says (app/services/clients.py status_expr): the client's kept risk score while it is
    # theirs, else the gap rule.
    if rules.win_back:
        limit = func.coalesce(Client.usual_gap_days * float(rules.gap_multiplier),
                              rules.default_gap_days)
        days_since = dialect.days_between(today.isoformat(), Client.last_purchase_on)
        flagged = days_since > limit
        if rules.risk_threshold is not None:
            flagged = func.coalesce(ClientRisk.score >= float(rules.risk_threshold), flagged)
        stmt = scoped(select(Client.id, Client.last_purchase_on, limit, ClientRisk.score,
                             ClientRisk.gap_days)
                      .outerjoin(ClientRisk, and_(ClientRisk.client_id == Client.id,
                                                  ClientRisk.last_on == Client.last_purchase_on))
                      .where(live, Client.last_purchase_on.is_not(None),
                             days_since <= rules.lapsed_after_days, flagged),
                      Client.id)
        for cid, last, lim, score, risk_gap in session.execute(stmt):
            due = winback_day(last, lim, risk_gap if score is not None
                              and rules.risk_threshold is not None else None)
            wants.append(Want(f"win_back:client:{cid}:{last.isoformat()}", TaskKind.WIN_BACK,
                              cid, due, None, "client", cid, "rule.win_back"))
    # Keep in touch: A clients with no positive contact for the set number of days.
    if rules.keep_in_touch:
        last_pos = (select(func.max(Contact.at)).where(Contact.client_id == Client.id,
                                                       Contact.tone == Tone.POSITIVE)
                    .scalar_subquery())
        seg = func.coalesce(Client.segment_override, Client.segment)
        stmt = scoped(select(Client.id, last_pos, Client.created_at)
                      .where(live, seg == Segment.A.value), Client.id)
        for cid, last, created in session.execute(stmt):
            start = (last or created)
            start_day = start.date() if isinstance(start, datetime) else start
            if start_day is None:
                continue
            due = start_day + timedelta(days=rules.keep_in_touch_days)
            if due <= today + timedelta(days=7):
                tag = last.date().isoformat() if last else "never"
                wants.append(Want(f"keep_in_touch:client:{cid}:{tag}", TaskKind.KEEP_IN_TOUCH,
                                  cid, due, None, "client", cid, "rule.keep_in_touch"))
    # The quarterly A/B/C review (internal, no client).
    if rules.quarterly_review and client_ids is None:
        year, q = quarter_of(today)
        wants.append(Want(f"quarterly_review:{year}Q{q}", TaskKind.QUARTERLY_REVIEW, None,
                          quarter_start(today), None, "quarter", year * 10 + q,
                          "rule.quarterly_review"))
    return wants


def complaint_wants(complaint_id: int, client_id: int, resolved_on: date,
                    rules: ScheduleRules) -> list[Want]:
    return [
        Want(f"complaint_callback:complaint:{complaint_id}", TaskKind.COMPLAINT_CALLBACK,
             client_id, resolved_on + timedelta(days=rules.callback_after), None, "complaint",
             complaint_id, "rule.complaint_callback"),
        Want(f"complaint_review:complaint:{complaint_id}", TaskKind.COMPLAINT_REVIEW,
             client_id, resolved_on + timedelta(days=rules.review_after), None, "complaint",
             complaint_id, "rule.complaint_review"),
    ]


# --------------------------------------------------------------------------- placing


@dataclass
class _ClientRules:
    do_not_contact: bool
    consent: bool
    days: str  # preferred ISO weekdays, "" = any


class CapBook:
    """The outbound contacts of each client (logged and planned), to place new tasks
    within the cap."""

    def __init__(self, rules: ScheduleRules) -> None:
        self.rules = rules
        self.days: dict[int, list[date]] = defaultdict(list)

    def add(self, client_id: int, day: date) -> None:
        self.days[client_id].append(day)

    def remove(self, client_id: int, day: date) -> None:
        if day in self.days[client_id]:
            self.days[client_id].remove(day)

    def fits(self, client_id: int, day: date) -> bool:
        """No window of ``cap_days`` days holding ``day`` holds ``cap_count`` contacts
        already: true unless some ``cap_count`` of them, consecutive by day, span
        together with ``day`` less than ``cap_days`` days."""
        span, count = self.rules.cap_days, self.rules.cap_count
        if count <= 0:
            return False
        days = self.days.get(client_id)
        if not days or len(days) < count:
            return True
        around = sorted(d for d in days if abs((d - day).days) < span)
        if len(around) < count:
            return True
        for first, last in zip(around, around[count - 1:], strict=False):
            if (max(last, day) - min(first, day)).days < span:
                return False
        return True


def place(want_due: date, kind: TaskKind, client_id: int | None, book: CapBook,
          crules: _ClientRules | None, today: date,
          calendar: WorkingCalendar | None = None,
          contacted_today: frozenset[int] | set[int] = frozenset()) -> tuple[date, str]:
    """The first allowed day on or after the rule's day, and why it moved ("" if not)."""
    cal = calendar or WorkingCalendar()
    day = want_due
    reason = ""
    if kind == TaskKind.GIFT:
        # a reminder to buy a gift must come before the date: the working day before it
        # (but not in the past when the rule's day is still ahead)
        moved = cal.on_or_before(day, not_before=today if day >= today else None)
        return moved, (REASON_NON_WORKING if moved != day else "")
    if client_id is None or kind not in CAPPED_KINDS:
        moved = cal.on_or_after(day)
        return moved, (REASON_NON_WORKING if moved != day else "")
    for _ in range(400):
        if day <= today and client_id in contacted_today:
            day = cal.next_working_day(today)
            reason = REASON_CONTACTED_TODAY
            continue
        if not cal.is_working_day(day):
            day = cal.on_or_after(day)
            reason = reason or REASON_NON_WORKING
            continue
        if crules and crules.days and str(day.isoweekday()) not in crules.days:
            day += timedelta(days=1)
            reason = reason or REASON_DAYS
            continue
        if not book.fits(client_id, day):
            day += timedelta(days=1)
            reason = REASON_CAP
            continue
        break
    return day, reason


# --------------------------------------------------------------------------- regenerate


def _suppression(want: Want, crules: _ClientRules | None) -> str:
    if want.client_id is None or crules is None:
        return ""
    if crules.do_not_contact and want.kind not in (TaskKind.COMPLAINT_CALLBACK,
                                                   *INTERNAL_KINDS):
        return REASON_DO_NOT_CONTACT
    if want.kind in MARKETING_KINDS and not crules.consent:
        return REASON_NO_CONSENT
    return ""


#: up to this many named clients, :func:`regenerate` reads their rows directly
DIRECT_SCOPE = 200


def regenerate(session: Session, today: date | None = None,
               client_ids: Sequence[int] | None = None,
               rules: ScheduleRules | None = None, *, full: bool = False,
               since: date | None = None, again: Iterable[int] = (),
               gift_days_bound: int | None = None) -> RegenStats:
    """Bring the tasks in line with the data. ``client_ids`` limits the work to those
    clients (after an edit); ``None`` does everyone (start-up, imports).

    The rules are evaluated in SQL over the horizon (:func:`_regenerate_sql`): only the
    wants whose task is missing or may need a change, and the open tasks that may need
    cancelling, reach Python, where the same steps decide as for everything.
    ``full=True`` is the reference computation that loads every want and every
    rule-made task (tests compare the two on random databases); it also serves a
    regeneration of up to :data:`DIRECT_SCOPE` named clients, where it is the cheaper.

    ``since``: the day of the last run, when the caller knows that nothing the rules
    read was written since (the start of day keeps that fact): then only the wants that
    time brought are evaluated (see :func:`_fill_wants_sql`); no open task can need
    cancelling, for what it depends on is as it was when it was last looked at. The
    clients in ``again`` (written since, regrouped) are evaluated in full in the same
    pass, so the tasks are made in the order a full run makes them. The counts
    ``unchanged`` and ``suppressed`` then cover only the wants looked at;
    ``gift_days_bound`` bounds the personal dates' own gift reminder days then."""
    with changes.scoped(session, client_ids):  # its bulk writes concern only these
        if full or (client_ids is not None and since is None
                    and len(client_ids) <= DIRECT_SCOPE) or not dialect.is_sqlite(session):
            # a few clients (a saved card, a logged call): reading their rows directly is
            # cheaper than the SQL pass's temporary tables (25 against 85 ms for one
            # client of 100,000); both give the same tasks (tests/test_schedule*.py).
            # On a server always: the SQL pass is SQLite's (its temporary tables, printf,
            # json_each, INDEXED BY), kept byte for byte for its benchmark
            return _regenerate(session, today, client_ids, rules)
        if since is not None and client_ids is not None:
            raise ValueError("a quiet-day run is for everyone")
        return _regenerate_sql(session, today, client_ids, rules, since, set(again),
                               gift_days_bound)


def _regenerate(session: Session, today: date | None, client_ids: Sequence[int] | None,
                rules: ScheduleRules | None) -> RegenStats:
    today = today or date.today()
    rules = rules or ScheduleRules.from_settings(session)
    stats = RegenStats()
    wants = {w.key: w for w in _wants(session, rules, today, client_ids)}

    cstmt = select(Client.id, Client.do_not_contact, Client.marketing_consent,
                   Client.contact_days, Client.deleted_at)
    if client_ids is not None:
        cstmt = cstmt.where(Client.id.in_(list(client_ids)))
    crules: dict[int, _ClientRules] = {}
    in_trash: set[int] = set()
    for cid, dnc, consent, days, deleted in session.execute(cstmt):
        crules[cid] = _ClientRules(bool(dnc), bool(consent), days or "")
        if deleted is not None:
            in_trash.add(cid)

    # Existing rule-made tasks in scope.
    tstmt = select(Task).where(Task.source_key.is_not(None))
    if client_ids is not None:
        tstmt = tstmt.where(or_(Task.client_id.in_(list(client_ids)),
                                Task.source_key.in_(list(wants))))
    existing = {t.source_key: t for t in session.scalars(tstmt)}

    cal = rules.calendar
    contacted = _contacted_on(session, today, client_ids)
    book = CapBook(rules)
    # a task may be placed on a day in the past (a follow-up still in its window): the
    # book must hold every contact a 30-day window around such a day can see
    earliest = min([w.due for w in wants.values()] + [today])
    _fill_book(session, book, earliest, rules, client_ids)

    _cancel_step(existing.values(), wants, crules, in_trash, book, stats)
    _place_step(session, sorted(wants.values(), key=_want_order), existing, crules, book, today, cal,
                contacted, stats)
    session.flush()
    _refresh_next_due(session, client_ids)
    return stats


def _want_order(w: Want) -> tuple:
    """In due order, so the cap keeps the earlier ones."""
    return (w.due, BASE_PRIORITY[w.kind], w.key)


def _cancel_step(tasks: Iterable[Task], wants: dict[str, Want],
                 crules: dict[int, _ClientRules], in_trash: set[int], book: CapBook,
                 stats: RegenStats) -> set[int]:
    """1. Open tasks whose source is gone, or that a rule no longer allows: cancelled.
    Returns the clients whose tasks changed."""
    touched: set[int] = set()
    for task in tasks:
        if task.status not in (TaskStatus.OPEN, TaskStatus.SNOOZED):
            continue
        if task.client_id in in_trash:
            continue  # the queue hides them; Undo or a restore brings them back as they were
        key = task.source_key or ""
        want = wants.get(key)
        if want is None:
            # the rule no longer asks (time passed, source gone): the client's rules
            # still apply to what stays open
            why = _why_cancel(task) or _suppression(
                Want(key, task.kind, task.client_id, task.due_on, None, "", None, ""),
                crules.get(task.client_id or -1))
        else:
            why = _suppression(want, crules.get(want.client_id or -1))
        if why:
            task.status = TaskStatus.CANCELLED
            task.reason = why
            task.closed_at = datetime.now()
            stats.cancelled += 1
            if task.client_id is not None:
                touched.add(task.client_id)
                if task.kind in OUTBOUND_KINDS:
                    book.remove(task.client_id, task.due_on)  # no longer counts for the cap
    return touched


#: the new tasks written per statement (the driver copies a statement's values at once)
INSERT_BATCH = 5_000


def _place_step(session: Session, wants: Iterable[Want], existing: dict[str, Task],
                crules: dict[int, _ClientRules], book: CapBook, today: date,
                cal: WorkingCalendar, contacted: frozenset[int],
                stats: RegenStats) -> set[int]:
    """2. New and moved tasks, in the order given (due order). Returns the clients whose
    tasks changed."""
    touched: set[int] = set()
    new_rows: list[dict] = []  # the new tasks, written at once (a morning makes thousands)
    for want in wants:
        task = existing.get(want.key)
        cr = crules.get(want.client_id) if want.client_id is not None else None
        if task is None:
            if _suppression(want, cr):
                stats.suppressed += 1
                continue
            start = max(want.due, today) if want.kind in START_TODAY_KINDS else want.due
            due, reason = place(start, want.kind, want.client_id, book, cr, today, cal,
                                contacted)
            new_rows.append(dict(
                client_id=want.client_id, kind=want.kind, due_on=due, rule_due_on=want.due,
                window_end=want.window_end, priority=BASE_PRIORITY[want.kind],
                status=TaskStatus.OPEN, source_kind=want.source_kind,
                source_id=want.source_id, source_key=want.key, rule=want.rule,
                reason=reason))
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.add(want.client_id, due)
            stats.created += 1
        elif (task.status == TaskStatus.CANCELLED and task.reason in AUTO_REASONS
              and not _suppression(want, cr)):
            # do-not-contact lifted or consent given: the call is wanted again
            start = max(want.due, today)
            due, reason = place(start, want.kind, want.client_id, book, cr, today, cal,
                                contacted)
            task.status, task.closed_at, task.reason = TaskStatus.OPEN, None, reason
            task.due_on, task.rule_due_on, task.window_end = due, want.due, want.window_end
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.add(want.client_id, due)
            stats.created += 1
        elif task.status in (TaskStatus.OPEN, TaskStatus.SNOOZED) and (
                task.rule_due_on != want.due or task.window_end != want.window_end):
            # the source or the rule's number moved. A task the engine placed is placed
            # afresh from the new day; one moved by a person or an outcome (no answer,
            # snooze) keeps its distance from the rule's day.
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.remove(want.client_id, task.due_on)
            if task.rule_due_on is None or task.reason in ENGINE_MOVES:
                moved_to = want.due
            else:
                moved_to = task.due_on + (want.due - task.rule_due_on)
            # a new day never makes a call later than it already was: a renewal asked
            # 35 instead of 14 days before the end is due today, not "21 days late"
            moved_to = max(moved_to, min(task.due_on, today))
            if want.kind in START_TODAY_KINDS:
                moved_to = max(moved_to, today)
            due, reason = place(moved_to, want.kind, want.client_id, book, cr, today, cal,
                                contacted)
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.add(want.client_id, due)
            task.due_on, task.rule_due_on, task.window_end = due, want.due, want.window_end
            task.reason = reason
            stats.moved += 1
        elif (task.status in (TaskStatus.OPEN, TaskStatus.SNOOZED) and task.due_on >= today
              and not cal.is_working_day(task.due_on)):
            # the working days or the country changed: off the closed day
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.remove(want.client_id, task.due_on)
            due, reason = place(task.due_on, want.kind, want.client_id, book, cr, today, cal,
                                contacted)
            if want.client_id is not None and want.kind in OUTBOUND_KINDS:
                book.add(want.client_id, due)
            task.due_on, task.reason = due, reason or task.reason
            stats.moved += 1
        else:
            stats.unchanged += 1
            continue
        if want.client_id is not None:
            touched.add(want.client_id)
    if new_rows:  # in the order placed (ids in that order), a batch per statement
        with changes.scoped(session, {r["client_id"] for r in new_rows}
                            if all(r["client_id"] is not None for r in new_rows) else None):
            # the driver's copy of every row's values at once was the window's peak at
            # a million clients (+90 MiB while a file's first start made its tasks)
            for at in range(0, len(new_rows), INSERT_BATCH):
                session.execute(insert(Task.__table__), new_rows[at:at + INSERT_BATCH])
    return touched


# --------------------------------------------------------------------------- the rules in SQL

#: kinds that "do not contact" does not suppress; kinds that need consent (SQL lists)
_DNC_EXEMPT_SQL = ", ".join(f"'{k.value}'" for k in sorted(
    {TaskKind.COMPLAINT_CALLBACK, *INTERNAL_KINDS}))
_MARKETING_SQL = ", ".join(f"'{k.value}'" for k in sorted(MARKETING_KINDS))
_OPEN_SQL = f"'{TaskStatus.OPEN.value}', '{TaskStatus.SNOOZED.value}'"
_AUTO_SQL = ", ".join(f"'{r}'" for r in sorted(AUTO_REASONS))
_ALIVE_SQL = f"'{MembershipStatus.ACTIVE.value}', '{MembershipStatus.FROZEN.value}'"


def _sup_sql(kind: TaskKind) -> str:
    """:func:`_suppression` of a want of ``kind`` for the client ``c``, as SQL."""
    cases = []
    if kind not in (TaskKind.COMPLAINT_CALLBACK, *INTERNAL_KINDS):
        cases.append(f"WHEN c.do_not_contact THEN '{REASON_DO_NOT_CONTACT}'")
    if kind in MARKETING_KINDS:
        cases.append(f"WHEN NOT c.marketing_consent THEN '{REASON_NO_CONSENT}'")
    return f"CASE {' '.join(cases)} ELSE '' END" if cases else "''"


def _days(n: int) -> str:
    """A SQLite date modifier: ``date(x, _days(3))``."""
    return f"{n:+d} days"


_WANT_COLUMNS = "key, kind, client_id, due, window_end, source_kind, source_id, rule, sup"
_W_COLUMNS = ", ".join("w." + c.strip() for c in _WANT_COLUMNS.split(","))


def _temp_tables(session: Session) -> None:
    for ddl in (
            "CREATE TEMP TABLE IF NOT EXISTS sched_want (key TEXT PRIMARY KEY, kind TEXT NOT "
            "NULL, client_id INTEGER, due TEXT NOT NULL, window_end TEXT, source_kind TEXT, "
            "source_id INTEGER, rule TEXT NOT NULL, sup TEXT NOT NULL DEFAULT '')",
            "CREATE TEMP TABLE IF NOT EXISTS sched_scope (id INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE IF NOT EXISTS sched_occ (month INTEGER, day INTEGER, "
            "on_day TEXT, was_day TEXT, PRIMARY KEY (month, day))",
            "CREATE TEMP TABLE IF NOT EXISTS sched_client (id INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE IF NOT EXISTS sched_task (id INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE IF NOT EXISTS sched_gap (g INTEGER, lo TEXT, hi TEXT)"):
        session.execute(text(ddl))
    _clear_temp_tables(session)


def _clear_temp_tables(session: Session) -> None:
    for table in ("sched_want", "sched_scope", "sched_occ", "sched_client", "sched_task",
                  "sched_gap"):
        session.execute(text(f"DELETE FROM {table}"))


def _fill_wants_sql(session: Session, rules: ScheduleRules, today: date,
                    client_ids: Sequence[int] | None, since: date | None = None,
                    gift_days_bound: int | None = None) -> None:
    """Every want of :func:`_wants`, written by SQL into the temporary table
    ``sched_want`` with its suppression (``sup``, as :func:`_suppression` says). Each
    rule reads only its range: purchases of the follow-up window, memberships starting
    or not yet ended, personal dates by (month, day) inside the horizon (through the
    year's end; 29 February on the 28th in other years), resolved complaints, clients
    by last purchase (win-back) and A clients (keep in touch).

    ``since``: the data are as they were on that day (nothing the rules read was written
    since); only the wants time brings between then and ``today`` are written: personal
    dates and gift reminders entering the horizon (or on to next year), clients falling
    at risk, keep-in-touch calls coming due, the quarter's review. Every other want is
    the one the engine had on ``since``, with the same days, and it was handled then.
    ``gift_days_bound``: no personal date's own gift reminder is longer (known to the
    caller), so the longest is not read."""
    scope = ""
    if client_ids is not None:
        session.execute(text("INSERT OR IGNORE INTO sched_scope (id) VALUES (:id)"),
                        [{"id": int(c)} for c in client_ids] or [{"id": -1}])
        scope = " AND c.id IN (SELECT id FROM sched_scope)"
    # the asked clients lead (the + keeps the planner off the Trash's index, which would
    # walk every live client)
    live = ("+" if client_ids is not None else "") + "c.deleted_at IS NULL" + scope

    def own(col: str) -> str:
        """The scope on the rule's own table too, so an edit reads that client's rows."""
        return f" AND {col} IN (SELECT id FROM sched_scope)" if client_ids is not None else ""

    # the order of the tables (CROSS JOIN keeps it): the asked clients first when there
    # are some, else the dates by (month, day)
    first = "sched_scope sc CROSS JOIN " if client_ids is not None else ""
    # and every later table after them: without statistics on the temporary scope table
    # SQLite otherwise reads every live client by the deleted_at index and probes the
    # scope (a second a statement at a million clients, for a chunk of 2,000)
    join = "CROSS JOIN" if client_ids is not None else "JOIN"

    def of_client(table: str, alias: str) -> str:
        on = f" ON {alias}.client_id = sc.id" if client_ids is not None else ""
        return f"{first}{table} {alias}{on} {join} clients c ON c.id = {alias}.client_id"

    dates = (f"{first}personal_dates d ON d.client_id = sc.id CROSS JOIN sched_occ o "
             "ON d.month = o.month AND d.day = o.day" if client_ids is not None else
             "sched_occ o CROSS JOIN personal_dates d ON d.month = o.month AND d.day = o.day")
    clients = f"{first}clients c ON c.id = sc.id" if client_ids is not None else "clients c"
    insert = f"INSERT OR REPLACE INTO sched_want ({_WANT_COLUMNS}) "

    def run(sql: str, **params) -> None:
        session.execute(text(insert + sql), params)

    delta = since is not None
    # the same day again: time brought nothing (every range below is empty) but the review
    timeless = delta and since >= today
    # Follow-up: the purchases of the window (few), decided in Python as ever.
    rows = [] if delta else [{"key": w.key, "kind": w.kind.value, "client_id": w.client_id,
             "due": w.due.isoformat(), "window_end": w.window_end.isoformat(),
             "source_kind": w.source_kind, "source_id": w.source_id, "rule": w.rule}
            for w in _follow_up_wants(session, rules, today, client_ids)]
    if rows:
        session.execute(text(
            f"INSERT OR REPLACE INTO sched_want ({_WANT_COLUMNS}) SELECT :key, :kind, "
            f":client_id, :due, :window_end, :source_kind, :source_id, :rule, "
            f"{_sup_sql(TaskKind.FOLLOW_UP)} FROM clients c WHERE c.id = :client_id"), rows)
    # Memberships: the onboarding check-in and the renewal.
    if rules.onboarding and not delta:
        after = rules.onboarding_after
        run(f"""SELECT 'onboarding:membership:' || m.id, 'onboarding', m.client_id,
                       date(m.starts_on, :after), date(m.starts_on, :after7), 'membership',
                       m.id, 'rule.onboarding', {_sup_sql(TaskKind.ONBOARDING)}
                FROM {of_client('memberships', 'm')}
                WHERE {live}{own('m.client_id')} AND m.status IN ({_ALIVE_SQL})
                  AND m.starts_on >= :since""",
            after=_days(after), after7=_days(after + 7),
            since=(today - timedelta(days=2 * after)).isoformat())
    if rules.renewal and not delta:
        extend = ("m.frozen_from IS NOT NULL AND m.frozen_until IS NOT NULL"
                  if rules.freeze_extends_end else "0")
        run(f"""SELECT 'renewal:membership:' || e.id, 'renewal', e.client_id,
                       date(e.end_on, :before), e.end_on, 'membership', e.id, 'rule.renewal',
                       e.sup
                FROM (SELECT m.id, m.client_id, {_sup_sql(TaskKind.RENEWAL)} AS sup,
                             CASE WHEN {extend} THEN date(m.ends_on, printf('%+d days',
                                  CAST(julianday(m.frozen_until) - julianday(m.frozen_from)
                                       AS INTEGER) + 1))
                                  ELSE m.ends_on END AS end_on
                      FROM {of_client('memberships', 'm')}
                      WHERE {live}{own('m.client_id')} AND m.status IN ({_ALIVE_SQL})) e
                WHERE e.end_on >= :today""",
            before=_days(-rules.renewal_before), today=today.isoformat())
    # Personal dates and the gift reminders before them: the next occurrence of every
    # (month, day) is known in Python; SQL reads only the dates whose occurrence is near.
    if rules.personal_dates and not timeless:
        horizon = today + timedelta(days=rules.personal_horizon)
        before = since or today
        occ = [{"m": m, "d": d, "on": next_occurrence(m, d, today).isoformat(),
                "was": next_occurrence(m, d, before).isoformat()}
               for m in range(1, 13) for d in range(1, 32) if _valid_day(m, d)]
        session.execute(text("INSERT OR REPLACE INTO sched_occ (month, day, on_day, was_day) "
                             "VALUES (:m, :d, :on, :was)"), occ)
        # on a quiet day after ``since``: only what was not wanted then (beyond that
        # day's horizon, or another year's occurrence)
        was_horizon = (before + timedelta(days=rules.personal_horizon)).isoformat()
        new_only = (" AND (o.was_day != o.on_day OR o.was_day > :was_horizon)"
                    if delta else "")
        new_gift = " AND (g.was_day != g.on_day OR g.due > :was_horizon)" if delta else ""
        # a gift reminder n days ahead (n >= 1) enters only for a date after that horizon
        near_gift = (" AND (o.was_day != o.on_day OR o.on_day > :was_horizon)"
                     if delta else "")
        run(f"""SELECT 'personal_date:' || d.id || ':' || substr(o.on_day, 1, 4),
                       'personal_date', d.client_id, o.on_day, o.on_day, 'personal_date', d.id,
                       'rule.personal_date', {_sup_sql(TaskKind.PERSONAL_DATE)}
                FROM {dates}
                {join} clients c ON c.id = d.client_id
                WHERE o.on_day <= :horizon AND {live}{own('d.client_id')}{new_only}""",
            horizon=horizon.isoformat(), was_horizon=was_horizon)
        most = gift_days_bound
        if most is None:  # the longest own reminder: the dates to read reach that far
            most = session.scalar(text(
                "SELECT max(d.gift_reminder_days) FROM "
                + (f"{first}personal_dates d ON d.client_id = sc.id"
                   if client_ids is not None else "personal_dates d")
                + " WHERE d.gift_reminder_days IS NOT NULL")) or 0
        reach = horizon + timedelta(days=max(rules.gift_before, int(most), 0))
        run(f"""SELECT 'gift:' || g.id || ':' || substr(g.on_day, 1, 4), 'gift', g.client_id,
                       g.due, g.on_day, 'personal_date', g.id, 'rule.gift', g.sup
                FROM (SELECT d.id, d.client_id, o.on_day, o.was_day,
                             {_sup_sql(TaskKind.GIFT)} AS sup,
                             COALESCE(d.gift_reminder_days, :gift) AS n,
                             date(o.on_day, printf('%+d days',
                                  -COALESCE(d.gift_reminder_days, :gift))) AS due
                      FROM {dates}
                      {join} clients c ON c.id = d.client_id
                      WHERE o.on_day <= :reach AND {live}{own('d.client_id')}{near_gift}) g
                WHERE g.n > 0 AND g.due <= :horizon{new_gift}""",
            gift=rules.gift_before, reach=reach.isoformat(), horizon=horizon.isoformat(),
            was_horizon=was_horizon)
    # Complaint call-back and review, once each, after the resolution.
    for kind, after in () if delta else (
            (TaskKind.COMPLAINT_CALLBACK, rules.callback_after),
            (TaskKind.COMPLAINT_REVIEW, rules.review_after)):
        run(f"""SELECT '{kind.value}:complaint:' || k.id, '{kind.value}', k.client_id,
                       date(substr(k.resolved_at, 1, 10), :after), NULL, 'complaint', k.id,
                       'rule.{kind.value}', {_sup_sql(kind)}
                FROM {of_client('complaints', 'k')}
                WHERE {live}{own('k.client_id')} AND k.resolved_at IS NOT NULL
                  AND k.closed_at IS NULL""",
            after=_days(after))
    # Win-back: at risk, not yet lapsed, as the status says: by the client's kept risk
    # score while it is theirs (r), else by the gap rule (:func:`winback_day`).
    if rules.win_back and not timeless:
        lim = "COALESCE(c.usual_gap_days * :mult, :gap)"
        gap_now = "julianday(:today) - julianday(c.last_purchase_on)"
        fresh = "r.client_id = c.id AND r.last_on = c.last_purchase_on"
        scored = rules.risk_threshold is not None
        if delta:
            # a quiet day: only the clients the gap rule put at risk since ``since``
            # (ranges of an index), those with a kept score left out: their flag moves
            # only when the scores are kept again, and the keeping evaluates the clients
            # it flagged (app/services/risk_store.py store)
            fell = f" AND julianday(:was) - julianday(c.last_purchase_on) <= {lim}"
            source = clients
            if client_ids is None:
                _fill_gap_ranges(session, rules, since, today)
                source = ("sched_gap x CROSS JOIN clients c INDEXED BY ix_clients_gap_last "
                          "ON c.usual_gap_days IS x.g "
                          "AND c.last_purchase_on > x.lo AND c.last_purchase_on <= x.hi")
            unscored = (f" AND NOT EXISTS (SELECT 1 FROM client_risk r WHERE {fresh})"
                        if scored else "")
            run(f"""SELECT 'win_back:client:' || c.id || ':' || c.last_purchase_on, 'win_back',
                           c.id, date(c.last_purchase_on, printf('%+d days',
                                      CAST({lim} AS INTEGER) + 1)),
                           NULL, 'client', c.id, 'rule.win_back', {_sup_sql(TaskKind.WIN_BACK)}
                    FROM {source}
                    WHERE {live} AND c.last_purchase_on IS NOT NULL
                      AND c.last_purchase_on >= :lapsed_since
                      AND {gap_now} > {lim} AND {gap_now} <= :lapsed{fell}{unscored}""",
                mult=float(rules.gap_multiplier), gap=rules.default_gap_days,
                today=today.isoformat(), lapsed=rules.lapsed_after_days,
                was=since.isoformat(),
                lapsed_since=(today - timedelta(days=rules.lapsed_after_days)).isoformat())
        else:
            flag = (f"COALESCE(r.score >= :threshold, {gap_now} > {lim})" if scored
                    else f"{gap_now} > {lim}")
            days = (f"CASE WHEN r.score IS NOT NULL THEN r.gap_days + 1 "
                    f"ELSE CAST({lim} AS INTEGER) + 1 END" if scored
                    else f"CAST({lim} AS INTEGER) + 1")
            risk_join = f" LEFT JOIN client_risk r ON {fresh}" if scored else ""
            run(f"""SELECT 'win_back:client:' || c.id || ':' || c.last_purchase_on, 'win_back',
                           c.id, date(c.last_purchase_on, printf('%+d days', {days})),
                           NULL, 'client', c.id, 'rule.win_back', {_sup_sql(TaskKind.WIN_BACK)}
                    FROM {clients}{risk_join}
                    WHERE {live} AND c.last_purchase_on IS NOT NULL
                      AND c.last_purchase_on >= :lapsed_since
                      AND {gap_now} <= :lapsed AND {flag}""",
                mult=float(rules.gap_multiplier), gap=rules.default_gap_days,
                today=today.isoformat(), lapsed=rules.lapsed_after_days,
                threshold=float(rules.risk_threshold or 0),
                lapsed_since=(today - timedelta(days=rules.lapsed_after_days)).isoformat())
    # Keep in touch: A clients with no positive contact for the set number of days.
    if rules.keep_in_touch and not timeless:
        # on a quiet day the call comes due only for a client whose last positive contact
        # (or, with none, the day they were added) is that many days before the new days
        kit_range, first, last, kit_live = "", "", "", live
        if delta:
            # the clients by id from the ranges below, not by the index of the Trash
            kit_live = live if live.startswith("+") else "+" + live
            back = timedelta(days=rules.keep_in_touch_days - 7 - 1)
            first, last = (since - back).isoformat(), (today - back).isoformat()
            # two indexed ranges: the positive contacts of those days, the A clients
            # added on them (with no positive contact: the day they were added counts)
            kit_range = (f" AND c.id IN (SELECT t.client_id FROM contacts t WHERE "
                         f"t.at >= :first AND t.at < :last AND t.tone = "
                         f"'{Tone.POSITIVE.value}' UNION SELECT a.id FROM clients a "
                         f"INDEXED BY ix_clients_a_created "
                         f"WHERE COALESCE(a.segment_override, a.segment) = "
                         f"'{Segment.A.value}' AND a.deleted_at IS NULL "
                         f"AND a.created_at >= :first AND a.created_at < :last)")
        run(f"""SELECT 'keep_in_touch:client:' || k.id || ':'
                           || COALESCE(substr(k.last_pos, 1, 10), 'never'),
                       'keep_in_touch', k.id, k.due, NULL, 'client', k.id,
                       'rule.keep_in_touch', k.sup
                FROM (SELECT p.id, p.sup, p.last_pos,
                             date(substr(COALESCE(p.last_pos, p.created_at), 1, 10), :days)
                                 AS due
                      FROM (SELECT c.id, c.created_at, {_sup_sql(TaskKind.KEEP_IN_TOUCH)} AS sup,
                                   (SELECT max(t.at) FROM contacts t WHERE t.client_id = c.id
                                      AND t.tone = '{Tone.POSITIVE.value}') AS last_pos
                            FROM {clients}
                            WHERE {kit_live} AND COALESCE(c.segment_override, c.segment)
                                             = '{Segment.A.value}'{kit_range}) p) k
                WHERE k.due IS NOT NULL AND k.due <= :until AND k.due > :was_until""",
            days=_days(rules.keep_in_touch_days),
            until=(today + timedelta(days=7)).isoformat(),
            was_until=(since + timedelta(days=7)).isoformat() if delta else "",
            first=first, last=last)
    # The quarterly A/B/C review (internal, no client).
    if rules.quarterly_review and client_ids is None:
        year, q = quarter_of(today)
        run("SELECT :key, 'quarterly_review', NULL, :due, NULL, 'quarter', :sid, "
            "'rule.quarterly_review', ''", key=f"quarterly_review:{year}Q{q}",
            due=quarter_start(today).isoformat(), sid=year * 10 + q)


def _fill_gap_ranges(session: Session, rules: ScheduleRules, since: date,
                     today: date) -> None:
    """For each usual gap of the live clients who bought (NULL: none of their own), the
    last purchase days of those who fell at risk after ``since`` and by ``today``: at
    risk when the days since exceed the gap's limit, so the last purchase lies in
    [since - limit, today - limit - 1] (widened by a day each side: the rule's own
    test in SQL decides). The gaps are read by a walk of ix_clients_gap_last."""
    gaps = list(session.scalars(text("""
        WITH RECURSIVE g(v) AS (
            SELECT (SELECT usual_gap_days FROM clients INDEXED BY ix_clients_gap_last
                    WHERE deleted_at IS NULL AND last_purchase_on IS NOT NULL
                      AND usual_gap_days IS NOT NULL ORDER BY usual_gap_days LIMIT 1)
            UNION ALL
            SELECT (SELECT usual_gap_days FROM clients INDEXED BY ix_clients_gap_last
                    WHERE deleted_at IS NULL AND last_purchase_on IS NOT NULL
                      AND usual_gap_days > g.v ORDER BY usual_gap_days LIMIT 1)
            FROM g WHERE g.v IS NOT NULL)
        SELECT v FROM g WHERE v IS NOT NULL""")))
    rows = []
    for g in [None, *gaps]:
        limit = math.floor(rules.default_gap_days if g is None
                           else g * float(rules.gap_multiplier))
        rows.append({"g": g, "lo": (since - timedelta(days=limit + 2)).isoformat(),
                     "hi": (today - timedelta(days=limit)).isoformat()})
    session.execute(text("INSERT INTO sched_gap (g, lo, hi) VALUES (:g, :lo, :hi)"), rows)


def _valid_day(month: int, day: int) -> bool:
    try:
        date(2000, month, day)  # a leap year: 29 February is a valid personal date
    except ValueError:
        return False
    return True


def _want_of(row) -> Want:
    key, kind, client_id, due, window_end, source_kind, source_id, rule = row[:8]
    return Want(key, TaskKind(kind), client_id, date.fromisoformat(due),
                date.fromisoformat(window_end) if window_end else None, source_kind,
                source_id, rule)


def _regenerate_sql(session: Session, today: date | None, client_ids: Sequence[int] | None,
                    rules: ScheduleRules | None, since: date | None = None,
                    again: set[int] | None = None,
                    gift_days_bound: int | None = None) -> RegenStats:
    """The engine with the rules evaluated in SQL: the same two steps as
    :func:`_regenerate`, given only what may change.

    Why this is the same result: step 2 does nothing for a want whose task exists, is
    not cancelled for a reason that may lift, and has the want's rule day and window and
    a working due day; SQL leaves out exactly those (and counts them as unchanged), and
    the wants with no task that are suppressed (counted as suppressed). Step 1 cancels
    an open task only when it is suppressed, or, with no want, when its source is gone,
    the client bought again (win-back), it is a keep-in-touch nobody asks for, or the
    client's rules forbid it; SQL selects every open task where one of these may hold and
    Python decides as before. The cap book and the client rules are loaded for the
    clients of those tasks only: the cap is per client."""
    today = today or date.today()
    rules = rules or ScheduleRules.from_settings(session)
    stats = RegenStats()
    session.flush()
    _temp_tables(session)
    if since is not None and again:
        _fill_wants_sql(session, rules, today, sorted(again))  # those in full
    _fill_wants_sql(session, rules, today, client_ids, since,
                    gift_days_bound if since is not None else None)
    cal = rules.calendar

    # the wants that may need step 2, and the counts of those that do not
    closed = _closed_days_ahead(session, today, cal)
    counts = session.execute(text(
        "SELECT COUNT(t.id), COALESCE(SUM(t.id IS NULL AND w.sup != ''), 0), MIN(w.due) "
        "FROM sched_want w LEFT JOIN tasks t ON t.source_key = w.key")).one()
    with_task, suppressed, earliest_due = counts
    action_rows = session.execute(text(
        f"""SELECT {_W_COLUMNS}, t.id FROM sched_want w
            LEFT JOIN tasks t ON t.source_key = w.key
            WHERE (t.id IS NULL AND w.sup = '')
               OR (t.status = '{TaskStatus.CANCELLED.value}' AND t.reason IN ({_AUTO_SQL})
                   AND w.sup = '')
               OR (t.status IN ({_OPEN_SQL})
                   AND (t.rule_due_on IS NOT w.due OR t.window_end IS NOT w.window_end
                        OR (t.due_on >= :today
                            AND t.due_on IN (SELECT value FROM json_each(:closed)))))"""),
        {"today": today.isoformat(), "closed": json.dumps(closed)}).all()
    wants = {r[0]: _want_of(r) for r in action_rows}

    # the open tasks step 1 may cancel
    trash = "" if client_ids is not None else " AND (t.client_id IS NULL OR c.deleted_at IS NULL)"
    # the tasks of the asked clients and those of their wants, each read by its index
    # (an OR of the two read every open task of the file)
    scope = (" AND t.id IN (SELECT t2.id FROM sched_scope sc CROSS JOIN tasks t2 "
             "ON t2.client_id = sc.id UNION SELECT t3.id FROM sched_want w0 CROSS JOIN "
             "tasks t3 ON t3.source_key = w0.key)") if client_ids is not None else ""
    if since is not None:  # a quiet day: only the tasks of the clients evaluated in full
        scope = " AND t.client_id IN (SELECT id FROM sched_scope)"
    # scoped: the tasks by those ids, not every open task by the status index ("+" keeps
    # SQLite from choosing it)
    status = "+t.status" if client_ids is not None else "t.status"
    exists = " OR ".join(
        f"(t.source_kind = '{kind}' AND EXISTS (SELECT 1 FROM {table} x "
        f"WHERE x.id = t.source_id))"
        for kind, table in (("purchase", "purchases"), ("membership", "memberships"),
                            ("complaint", "complaints"), ("personal_date", "personal_dates")))
    last_part = ("substr(t.source_key, length(rtrim(t.source_key, "
                 "replace(t.source_key, ':', ''))) + 1)")
    cancel_rows = [] if since is not None and not again else session.execute(text(
        f"""SELECT t.id, {_W_COLUMNS}
            FROM tasks t LEFT JOIN clients c ON c.id = t.client_id
            LEFT JOIN sched_want w ON w.key = t.source_key
            WHERE {status} IN ({_OPEN_SQL}) AND t.source_key IS NOT NULL{trash}{scope}
              AND ((w.key IS NOT NULL AND w.sup != '')
                OR (w.key IS NULL AND (
                     t.kind = 'keep_in_touch'
                  OR (t.kind = 'win_back' AND (c.id IS NULL OR c.deleted_at IS NOT NULL
                      OR {last_part} IS NOT COALESCE(c.last_purchase_on, '')))
                  OR (t.kind IN ('onboarding', 'renewal') AND NOT EXISTS (
                      SELECT 1 FROM memberships m WHERE m.id = t.source_id
                        AND m.status IN ({_ALIVE_SQL})))
                  OR (t.kind NOT IN ('quarterly_review', 'win_back', 'keep_in_touch')
                      AND NOT ({exists}))
                  OR (t.kind NOT IN ('quarterly_review', 'win_back', 'keep_in_touch')
                      AND c.deleted_at IS NOT NULL)
                  OR (c.do_not_contact AND t.kind NOT IN ({_DNC_EXEMPT_SQL}))
                  OR (t.kind IN ({_MARKETING_SQL}) AND NOT c.marketing_consent))))""")).all()
    for r in cancel_rows:
        if r[1] is not None:
            wants.setdefault(r[1], _want_of(r[1:]))

    task_ids = {r[-1] for r in action_rows if r[-1] is not None} | {r[0] for r in cancel_rows}
    existing: dict[str, Task] = {}
    if task_ids:
        session.execute(text("INSERT INTO sched_task (id) VALUES (:id)"),
                        [{"id": i} for i in task_ids])
        loaded = session.scalars(select(Task).where(
            Task.id.in_(select(literal_column("id")).select_from(text("sched_task")))))
        existing = {t.source_key: t for t in loaded if t.source_key}
    cancel_tasks = [t for t in existing.values() if t.id in {r[0] for r in cancel_rows}]

    # the rules and the cap book of the clients concerned
    concerned = {w.client_id for w in wants.values() if w.client_id is not None}
    concerned |= {t.client_id for t in cancel_tasks if t.client_id is not None}
    if client_ids is not None:
        concerned &= set(client_ids)
    crules: dict[int, _ClientRules] = {}
    in_trash: set[int] = set()
    book = CapBook(rules)
    if concerned:
        session.execute(text("INSERT INTO sched_client (id) VALUES (:id)"),
                        [{"id": i} for i in concerned])
        for cid, dnc, consent, days, deleted in session.execute(text(
                "SELECT id, do_not_contact, marketing_consent, contact_days, deleted_at "
                "FROM clients WHERE id IN (SELECT id FROM sched_client)")):
            crules[cid] = _ClientRules(bool(dnc), bool(consent), days or "")
            if deleted is not None:
                in_trash.add(cid)
        earliest = min(date.fromisoformat(earliest_due), today) if earliest_due else today
        _fill_book_sql(session, book, earliest, rules)
    contacted = _contacted_on(session, today, client_ids)

    touched = _cancel_step(cancel_tasks, wants, crules, in_trash, book, stats)
    placed = RegenStats()
    touched |= _place_step(session, sorted((wants[r[0]] for r in action_rows),
                                           key=_want_order),
                           existing, crules, book, today, cal, contacted, placed)
    stats.created, stats.moved = placed.created, placed.moved
    # every want with a task that step 2 left alone is unchanged; new suppressed wants
    # were counted by SQL
    acted_with_task = sum(1 for r in action_rows if r[-1] is not None)
    stats.unchanged = with_task - acted_with_task + placed.unchanged
    stats.suppressed = suppressed + placed.suppressed
    session.flush()
    _refresh_next_due(session, client_ids if client_ids is not None else sorted(touched))
    _clear_temp_tables(session)  # the run that filled them pays for emptying them
    return stats


def _closed_days_ahead(session: Session, today: date, cal: WorkingCalendar) -> list[str]:
    """The closed days from today to the last open task's day (ISO texts)."""
    last_open = session.scalar(text(
        f"SELECT max(due_on) FROM tasks WHERE status IN ({_OPEN_SQL})"))
    closed: list[str] = []
    if last_open:
        day, end = today, date.fromisoformat(last_open)
        while day <= end:
            if not cal.is_working_day(day):
                closed.append(day.isoformat())
            day += timedelta(days=1)
    return closed


def on_closed_days(session: Session, today: date,
                   rules: ScheduleRules | None = None) -> set[int] | None:
    """The clients with an open rule-made task due today or later on a day the business
    is closed; None when such a task belongs to no client. The engine moves such a task on
    every run (placing it may fail: a cap and preferred weekdays no working day meets), so
    a quiet day does not skip them."""
    rules = rules or ScheduleRules.from_settings(session)
    closed = _closed_days_ahead(session, today, rules.calendar)
    if not closed:
        return set()
    found: set[int | None] = set()
    for day in closed:  # each closed day looked up in (status, due_on)
        found.update(session.scalars(text(
            f"SELECT client_id FROM tasks WHERE status IN ({_OPEN_SQL}) AND due_on = :day "
            "AND source_key IS NOT NULL"), {"day": day}))
    return None if None in found else found


def _fill_book_sql(session: Session, book: CapBook, earliest: date,
                   rules: ScheduleRules) -> None:
    """:func:`_fill_book` for the clients in ``sched_client``."""
    since = datetime.combine(earliest - timedelta(days=rules.cap_days), datetime.min.time())
    for cid, at in session.execute(
            select(Contact.client_id, Contact.at).where(
                Contact.direction == Direction.OUTBOUND, Contact.at >= since,
                Contact.purpose != TaskKind.COMPLAINT_CALLBACK,
                Contact.client_id.in_(select(literal_column("id"))
                                      .select_from(text("sched_client"))))):
        book.add(cid, at.date())
    for cid, due in session.execute(
            select(Task.client_id, Task.due_on).where(
                Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)),
                Task.kind.in_([k.value for k in OUTBOUND_KINDS]),
                Task.client_id.in_(select(literal_column("id"))
                                   .select_from(text("sched_client"))))):
        book.add(cid, due)


def _why_cancel(task: Task) -> str:
    """Why an open task whose rule no longer asks for it is cancelled; "" keeps it.

    A rule stops asking for some tasks just because time passed (a follow-up whose
    window closed, yesterday's birthday): those stay open until done, so nothing due is
    silently lost. A vanished source, a new purchase (win-back) or a positive contact
    (keep-in-touch) cancels the task, with that reason."""
    if task.kind in (TaskKind.PERSONAL_DATE, TaskKind.GIFT):
        return "" if _exists(task) else REASON_SOURCE_GONE
    if task.kind == TaskKind.QUARTERLY_REVIEW:
        return ""
    if task.kind == TaskKind.WIN_BACK:
        s = object_session(task)
        client = s.get(Client, task.client_id) if s and task.client_id else None
        if client is None or client.deleted_at is not None:
            return REASON_SOURCE_GONE
        key_day = (task.source_key or "").rsplit(":", 1)[-1]
        last = client.last_purchase_on.isoformat() if client.last_purchase_on else ""
        return REASON_BOUGHT_AGAIN if last != key_day else ""
    if task.kind == TaskKind.KEEP_IN_TOUCH:
        return REASON_NOT_NEEDED
    if task.kind in (TaskKind.ONBOARDING, TaskKind.RENEWAL):
        return "" if _exists(task) and _membership_alive(task) else REASON_SOURCE_GONE
    return "" if _exists(task) else REASON_SOURCE_GONE


def _exists(task: Task) -> bool:
    s = object_session(task)
    model = {"purchase": Purchase, "membership": Membership, "complaint": Complaint,
             "personal_date": PersonalDate}.get(task.source_kind or "")
    if s is None or model is None or task.source_id is None:
        return False
    row = s.get(model, task.source_id)
    if row is None:
        return False
    client = s.get(Client, task.client_id) if task.client_id else None
    return client is None or client.deleted_at is None


def _membership_alive(task: Task) -> bool:
    s = object_session(task)
    m = s.get(Membership, task.source_id) if s else None
    return m is not None and m.status in (MembershipStatus.ACTIVE, MembershipStatus.FROZEN)


def _contacted_on(session: Session, day: date,
                  client_ids: Sequence[int] | None) -> frozenset[int]:
    """Clients with a contact logged on ``day`` (any outcome, either direction)."""
    start = datetime.combine(day, datetime.min.time())
    stmt = select(Contact.client_id).where(Contact.at >= start,
                                           Contact.at < start + timedelta(days=1))
    if client_ids is not None:
        stmt = stmt.where(Contact.client_id.in_(list(client_ids)))
    return frozenset(session.scalars(stmt.distinct()))


def _fill_book(session: Session, book: CapBook, earliest: date, rules: ScheduleRules,
               client_ids: Sequence[int] | None) -> None:
    since = datetime.combine(earliest - timedelta(days=rules.cap_days), datetime.min.time())
    stmt = select(Contact.client_id, Contact.at).where(
        Contact.direction == Direction.OUTBOUND, Contact.at >= since,
        Contact.purpose != TaskKind.COMPLAINT_CALLBACK)
    if client_ids is not None:
        stmt = stmt.where(Contact.client_id.in_(list(client_ids)))
    for cid, at in session.execute(stmt):
        book.add(cid, at.date())
    stmt = select(Task.client_id, Task.due_on).where(
        Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)), Task.client_id.is_not(None),
        Task.kind.in_([k.value for k in OUTBOUND_KINDS]))
    if client_ids is not None:
        stmt = stmt.where(Task.client_id.in_(list(client_ids)))
    for cid, due in session.execute(stmt):
        book.add(cid, due)


def _refresh_next_due(session: Session, client_ids: Sequence[int] | None) -> None:
    refresh_next_due(session, client_ids)


# --------------------------------------------------------------------------- API for others


def schedule_complaint_follow_ups(session: Session, complaint_id: int,
                                  today: date | None = None) -> list[Task]:
    """After a complaint is resolved: its call-back and internal review, each once.
    Never suppressed by the contact cap or do-not-contact (the review is internal)."""
    c = session.get(Complaint, complaint_id)
    if c is None or c.resolved_at is None:
        return []
    rules = ScheduleRules.from_settings(session)
    cal = rules.calendar
    out = []
    for want in complaint_wants(c.id, c.client_id, c.resolved_at.date(), rules):
        task = session.scalar(select(Task).where(Task.source_key == want.key))
        if task is None:
            due = cal.on_or_after(want.due)  # never on a day the business is closed
            task = Task(client_id=want.client_id, kind=want.kind, due_on=due,
                        rule_due_on=want.due, priority=BASE_PRIORITY[want.kind],
                        status=TaskStatus.OPEN, source_kind=want.source_kind,
                        source_id=want.source_id, source_key=want.key, rule=want.rule,
                        reason=REASON_NON_WORKING if due != want.due else "")
            session.add(task)
        out.append(task)
    session.flush()
    _refresh_next_due(session, [c.client_id])
    return out


def open_tasks(session: Session, client_id: int) -> list[Task]:
    return list(session.scalars(select(Task).where(
        Task.client_id == client_id, Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)))
        .order_by(Task.due_on)))


def tasks_between(session: Session, start: date, end: date,
                  statuses: Iterable[TaskStatus] | None = None) -> list[Task]:
    stmt = select(Task).where(and_(Task.due_on >= start, Task.due_on <= end))
    if statuses is not None:
        stmt = stmt.where(Task.status.in_([s.value for s in statuses]))
    return list(session.scalars(stmt.order_by(Task.due_on, Task.priority)))


def cancel_open_for_clients(session: Session, client_ids: Sequence[int], reason: str) -> int:
    """Cancel open tasks of clients (moved to the Trash); history stays."""
    res = session.execute(update(Task).where(
        Task.client_id.in_(list(client_ids)),
        Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)))
        .values(status=TaskStatus.CANCELLED, reason=reason, closed_at=datetime.now())
        .execution_options(synchronize_session=False))
    return res.rowcount or 0


def describe(stats: RegenStats) -> dict[str, Any]:
    return {"created": stats.created, "moved": stats.moved, "cancelled": stats.cancelled,
            "unchanged": stats.unchanged, "suppressed": stats.suppressed}
