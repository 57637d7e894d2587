"""Translated labels for the values of the data model."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models.enums import (
    Channel, ClientKind, ClientStatus, DateKind, MembershipStatus, Outcome, Relation, Segment,
    TaskKind, Tone,
)


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def client_kind(v: ClientKind) -> str:
    return {ClientKind.PERSON: _t("Person"), ClientKind.COMPANY: _t("Company")}[v]


def channel(v: Channel | None) -> str:
    if v is None:
        return _t("Any")
    return {Channel.PHONE: _t("Phone"), Channel.SMS: _t("SMS"), Channel.EMAIL: _t("E-mail"),
            Channel.IN_PERSON: _t("In person"), Channel.MESSENGER: _t("Messenger"),
            Channel.LETTER: _t("Letter")}[v]


def segment(v: Segment | str | None) -> str:
    return "" if v is None else str(v)


def status(v: ClientStatus | str) -> str:
    return {ClientStatus.NEW: _t("New"), ClientStatus.ACTIVE: _t("Active"),
            ClientStatus.AT_RISK: _t("At risk"), ClientStatus.LAPSED: _t("Lapsed")}[
        ClientStatus(v)]


def relation(v: Relation) -> str:
    return {Relation.SPOUSE: _t("Spouse"), Relation.PARTNER: _t("Partner"),
            Relation.CHILD: _t("Child"), Relation.PARENT: _t("Parent"),
            Relation.SIBLING: _t("Sibling"), Relation.GRANDCHILD: _t("Grandchild"),
            Relation.OTHER: _t("Other")}[v]


def date_kind(v: DateKind) -> str:
    return {DateKind.BIRTHDAY: _t("Birthday"), DateKind.NAME_DAY: _t("Name day"),
            DateKind.ANNIVERSARY: _t("Anniversary"), DateKind.CUSTOM: _t("Other date")}[v]


def membership_status(v: MembershipStatus) -> str:
    return {MembershipStatus.ACTIVE: _t("Active"), MembershipStatus.FROZEN: _t("Frozen"),
            MembershipStatus.EXPIRED: _t("Expired"), MembershipStatus.RENEWED: _t("Renewed"),
            MembershipStatus.CANCELLED: _t("Cancelled")}[v]


def outcome(v: Outcome | str) -> str:
    return {Outcome.REACHED: _t("Reached"), Outcome.NO_ANSWER: _t("No answer"),
            Outcome.LEFT_MESSAGE: _t("Left a message"),
            Outcome.MEETING_BOOKED: _t("Meeting booked"),
            Outcome.COMPLAINT_FOUND: _t("Complaint found"), Outcome.DECLINED: _t("Declined"),
            Outcome.WRONG_NUMBER: _t("Wrong number"),
            Outcome.CALL_BACK_LATER: _t("Call back later")}[Outcome(v)]


def tone(v: Tone | str | None) -> str:
    if v is None:
        return ""
    return {Tone.POSITIVE: _t("Positive"), Tone.NEUTRAL: _t("Neutral"),
            Tone.NEGATIVE: _t("Negative")}[Tone(v)]


def task_kind(v: TaskKind | str) -> str:
    return {TaskKind.FOLLOW_UP: _t("Follow-up after purchase"),
            TaskKind.ONBOARDING: _t("Onboarding check-in"), TaskKind.RENEWAL: _t("Renewal"),
            TaskKind.PERSONAL_DATE: _t("Personal date"), TaskKind.GIFT: _t("Gift reminder"),
            TaskKind.COMPLAINT_CALLBACK: _t("Complaint call-back"),
            TaskKind.COMPLAINT_REVIEW: _t("Complaint review"),
            TaskKind.WIN_BACK: _t("Win-back"), TaskKind.KEEP_IN_TOUCH: _t("Keep in touch"),
            TaskKind.QUARTERLY_REVIEW: _t("Quarterly A/B/C review"),
            TaskKind.MANUAL: _t("Manual")}[TaskKind(v)]
