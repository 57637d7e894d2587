"""Translated labels for the values of the data model."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.enums import (
    REFUND_ITEM,
    Channel,
    ClientKind,
    ClientStatus,
    DateKind,
    MembershipStatus,
    Outcome,
    Relation,
    Segment,
    TaskKind,
    Tone,
)


def client_kind(v: ClientKind) -> str:
    return {ClientKind.PERSON: QCoreApplication.translate("Labels", "Person"), ClientKind.COMPANY: QCoreApplication.translate("Labels", "Company")}[v]


def channel(v: Channel | None) -> str:
    if v is None:
        return QCoreApplication.translate("Labels", "Any")
    return {Channel.PHONE: QCoreApplication.translate("Labels", "Phone"), Channel.SMS: QCoreApplication.translate("Labels", "SMS"), Channel.EMAIL: QCoreApplication.translate("Labels", "E-mail"),
            Channel.IN_PERSON: QCoreApplication.translate("Labels", "In person"), Channel.MESSENGER: QCoreApplication.translate("Labels", "Messenger"),
            Channel.LETTER: QCoreApplication.translate("Labels", "Letter")}[v]


def segment(v: Segment | str | None) -> str:
    return "" if v is None else str(v)


def status(v: ClientStatus | str) -> str:
    return {ClientStatus.NEW: QCoreApplication.translate("Labels", "New"), ClientStatus.ACTIVE: QCoreApplication.translate("Labels", "Active"),
            ClientStatus.AT_RISK: QCoreApplication.translate("Labels", "At risk"), ClientStatus.LAPSED: QCoreApplication.translate("Labels", "Lapsed")}[
        ClientStatus(v)]


def relation(v: Relation) -> str:
    return {Relation.SPOUSE: QCoreApplication.translate("Labels", "Spouse"), Relation.PARTNER: QCoreApplication.translate("Labels", "Partner"),
            Relation.CHILD: QCoreApplication.translate("Labels", "Child"), Relation.PARENT: QCoreApplication.translate("Labels", "Parent"),
            Relation.SIBLING: QCoreApplication.translate("Labels", "Sibling"), Relation.GRANDCHILD: QCoreApplication.translate("Labels", "Grandchild"),
            Relation.OTHER: QCoreApplication.translate("Labels", "Other")}[v]


def date_kind(v: DateKind) -> str:
    return {DateKind.BIRTHDAY: QCoreApplication.translate("Labels", "Birthday"), DateKind.NAME_DAY: QCoreApplication.translate("Labels", "Name day"),
            DateKind.ANNIVERSARY: QCoreApplication.translate("Labels", "Anniversary"), DateKind.CUSTOM: QCoreApplication.translate("Labels", "Other date")}[v]


def membership_status(v: MembershipStatus) -> str:
    return {MembershipStatus.ACTIVE: QCoreApplication.translate("Labels", "Active"), MembershipStatus.FROZEN: QCoreApplication.translate("Labels", "Frozen"),
            MembershipStatus.EXPIRED: QCoreApplication.translate("Labels", "Expired"), MembershipStatus.RENEWED: QCoreApplication.translate("Labels", "Renewed"),
            MembershipStatus.CANCELLED: QCoreApplication.translate("Labels", "Cancelled")}[v]


def outcome(v: Outcome | str) -> str:
    return {Outcome.REACHED: QCoreApplication.translate("Labels", "Reached"), Outcome.NO_ANSWER: QCoreApplication.translate("Labels", "No answer"),
            Outcome.LEFT_MESSAGE: QCoreApplication.translate("Labels", "Left a message"),
            Outcome.MEETING_BOOKED: QCoreApplication.translate("Labels", "Meeting booked"),
            Outcome.COMPLAINT_FOUND: QCoreApplication.translate("Labels", "Complaint found"), Outcome.DECLINED: QCoreApplication.translate("Labels", "Declined"),
            Outcome.WRONG_NUMBER: QCoreApplication.translate("Labels", "Wrong number"),
            Outcome.CALL_BACK_LATER: QCoreApplication.translate("Labels", "Call back later")}[Outcome(v)]


def tone(v: Tone | str | None) -> str:
    if v is None:
        return ""
    return {Tone.POSITIVE: QCoreApplication.translate("Labels", "Positive"), Tone.NEUTRAL: QCoreApplication.translate("Labels", "Neutral"),
            Tone.NEGATIVE: QCoreApplication.translate("Labels", "Negative")}[Tone(v)]


def task_kind(v: TaskKind | str) -> str:
    return {TaskKind.FOLLOW_UP: QCoreApplication.translate("Labels", "Follow-up after purchase"),
            TaskKind.ONBOARDING: QCoreApplication.translate("Labels", "Onboarding check-in"), TaskKind.RENEWAL: QCoreApplication.translate("Labels", "Renewal"),
            TaskKind.PERSONAL_DATE: QCoreApplication.translate("Labels", "Personal date"), TaskKind.GIFT: QCoreApplication.translate("Labels", "Gift reminder"),
            TaskKind.COMPLAINT_CALLBACK: QCoreApplication.translate("Labels", "Complaint call-back"),
            TaskKind.COMPLAINT_REVIEW: QCoreApplication.translate("Labels", "Complaint review"),
            TaskKind.WIN_BACK: QCoreApplication.translate("Labels", "Win-back"), TaskKind.KEEP_IN_TOUCH: QCoreApplication.translate("Labels", "Keep in touch"),
            TaskKind.QUARTERLY_REVIEW: QCoreApplication.translate("Labels", "Quarterly A/B/C review"),
            TaskKind.MANUAL: QCoreApplication.translate("Labels", "Manual")}[TaskKind(v)]


def task_reason(code: str | None) -> str:
    """Why an open call is on its day, in the user's words ("" when it was not moved, or
    for a code that is not a move: a cancelled task's reason is shown where it is)."""
    return {
        "non_working_day": QCoreApplication.translate("Labels", "moved: not a working day"),
        "contacted_today": QCoreApplication.translate("Labels", "moved: contacted today"),
        "cap": QCoreApplication.translate("Labels", "moved: contact limit reached"),
        "preferred_days": QCoreApplication.translate("Labels", "moved: the client's preferred days"),
        "no_answer": QCoreApplication.translate("Labels", "moved: no answer"),
        "call_back_later": QCoreApplication.translate("Labels", "the client asked to call back"),
        "snoozed": QCoreApplication.translate("Labels", "snoozed"),
        "rescheduled": QCoreApplication.translate("Labels", "rescheduled"),
    }.get(code or "", "")


def source_channel(code: str | None) -> str:
    """Where a client came from, in the user's words; a business's own entry as typed."""
    return {
        "walk-in": QCoreApplication.translate("Labels", "Walked in"), "referral": QCoreApplication.translate("Labels", "Referral"),
        "Google": "Google", "Facebook": "Facebook", "Instagram": "Instagram",
        "website": QCoreApplication.translate("Labels", "Website"), "flyer": QCoreApplication.translate("Labels", "Flyer"),
        "phone book": QCoreApplication.translate("Labels", "Phone book"),
    }.get(code or "", code or "")


def decline_reason(code: str | None) -> str:
    """Why a client declined, in the user's words; a reason typed by staff as typed."""
    return {
        "too expensive": QCoreApplication.translate("Labels", "Too expensive"), "no time": QCoreApplication.translate("Labels", "No time"),
        "moved away": QCoreApplication.translate("Labels", "Moved away"),
        "went to a competitor": QCoreApplication.translate("Labels", "Went to a competitor"),
        "not satisfied": QCoreApplication.translate("Labels", "Not satisfied"), "health": QCoreApplication.translate("Labels", "Health"),
        "other": QCoreApplication.translate("Labels", "Other reason"),
    }.get(code or "", code or "")


def purchase_item(item: str, is_credit: bool = False) -> str:
    """A purchase line's item; the refund line a compensation writes in the user's words."""
    if is_credit and item == REFUND_ITEM:
        return QCoreApplication.translate("Labels", "Refund")
    return item



def role_label(role) -> str:
    """A staff role in the user's language (shared by every screen that names a role)."""
    from app.enums import StaffRole

    labels = {
        StaffRole.OWNER: QCoreApplication.translate("StaffSettings", "Owner"),
        StaffRole.MANAGER: QCoreApplication.translate("StaffSettings", "Manager"),
        StaffRole.RECEPTIONIST: QCoreApplication.translate("StaffSettings", "Receptionist"),
    }
    return labels.get(StaffRole(role), str(role))
