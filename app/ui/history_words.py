"""The card's history in words (app/services/history.py HistoryEntry): who, and what was
changed, in the card's own names for its parts; never a column's name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.text import subst
from app.ui import labels
from app.ui.messages import card_part_label


def _t(text: str) -> str:
    return QCoreApplication.translate("History", text)


def who(by: str | None) -> str:
    """The person who made the change, or that nobody was signed in."""
    return by if by else _t("not signed in")


def part_label(subject: str, part: str) -> str:
    """One part of a client, a complaint or a contact, as the card and its dialogs
    name it."""
    if subject == "client":
        extra = {"segment": _t("A/B/C group"), "trashed": _t("moved to the Trash"),
                 "restored": _t("restored from the Trash"), "other": _t("other details")}
        return extra[part] if part in extra else card_part_label(part)
    if subject == "complaint":
        return {
            "details": _t("what happened"),
            "checks": _t("the checklist"),
            "apology": _t("the apology"),
            "client_request": _t("what the client asked for"),
            "compensation": _t("compensation"),
            "corrective_action": _t("corrective action"),
            "status": _t("status"),
            "review": _t("review and lesson"),
        }.get(part, _t("other details"))
    return {
        "outcome": _t("outcome"),
        "tone": _t("tone"),
        "note": _t("note"),
        "call_back": _t("the day to call back"),
        "meeting": _t("meeting"),
        "when": _t("time"),
        "channel": _t("channel"),
        "purpose": _t("purpose"),
        "duration": _t("duration"),
    }.get(part, _t("other details"))


def _parts(subject: str, parts: tuple[str, ...]) -> str:
    return ", ".join(part_label(subject, p) for p in parts)


def what(entry) -> str:
    """What the change was: "Client details: phone, purchases", "Call logged",
    "Complaint: the apology, status"..."""
    s, action, parts = entry.subject, entry.action, tuple(entry.parts)
    if s == "client":
        if action == "created":
            return _t("Client added")
        if parts == ("trashed",):
            return _t("Moved to the Trash")
        if parts == ("restored",):
            return _t("Restored from the Trash")
        return subst(_t("Client details: %1"), _parts(s, parts))
    if s == "complaint":
        if action == "created":
            return _t("Complaint opened")
        if action == "deleted":
            return _t("Complaint removed")
        return subst(_t("Complaint: %1"), _parts(s, parts))
    call = entry.channel in (None, "phone")
    if action == "created":
        return _t("Call logged") if call else subst(_t("Contact logged: %1"),
                                                    labels.channel(entry.channel))
    if action == "deleted":
        return _t("Logged call or message undone")
    return subst(_t("Call corrected: %1") if call else _t("Contact corrected: %1"),
                 _parts(s, parts))
