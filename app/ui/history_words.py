"""The card's history in words (app/services/history.py HistoryEntry): who, and what was
changed, in the card's own names for its parts; never a column's name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.text import subst
from app.ui import labels
from app.ui.messages import card_part_label

C = QCoreApplication


def who(by: str | None) -> str:
    """The person who made the change, or that nobody was signed in."""
    return by if by else C.translate("History", "not signed in")


def part_label(subject: str, part: str) -> str:
    """One part of a client, a complaint or a contact, as the card and its dialogs
    name it."""
    if subject == "client":
        extra = {"segment": C.translate("History", "A/B/C group"),
                 "trashed": C.translate("History", "moved to the Trash"),
                 "restored": C.translate("History", "restored from the Trash"),
                 "other": C.translate("History", "other details")}
        return extra[part] if part in extra else card_part_label(part)
    if subject == "complaint":
        return {
            "details": C.translate("History", "what happened"),
            "checks": C.translate("History", "the checklist"),
            "apology": C.translate("History", "the apology"),
            "client_request": C.translate("History", "what the client asked for"),
            "compensation": C.translate("History", "compensation"),
            "corrective_action": C.translate("History", "corrective action"),
            "status": C.translate("History", "status"),
            "review": C.translate("History", "review and lesson"),
        }.get(part, C.translate("History", "other details"))
    return {
        "outcome": C.translate("History", "outcome"),
        "tone": C.translate("History", "tone"),
        "note": C.translate("History", "note"),
        "call_back": C.translate("History", "the day to call back"),
        "meeting": C.translate("History", "meeting"),
        "when": C.translate("History", "time"),
        "channel": C.translate("History", "channel"),
        "purpose": C.translate("History", "purpose"),
        "duration": C.translate("History", "duration"),
    }.get(part, C.translate("History", "other details"))


def _parts(subject: str, parts: tuple[str, ...]) -> str:
    return ", ".join(part_label(subject, p) for p in parts)


def what(entry) -> str:
    """What the change was: "Client details: phone, purchases", "Call logged",
    "Complaint: the apology, status"..."""
    s, action, parts = entry.subject, entry.action, tuple(entry.parts)
    if s == "client":
        if action == "created":
            return C.translate("History", "Client added")
        if parts == ("trashed",):
            return C.translate("History", "Moved to the Trash")
        if parts == ("restored",):
            return C.translate("History", "Restored from the Trash")
        return subst(C.translate("History", "Client details: %1"), _parts(s, parts))
    if s == "complaint":
        if action == "created":
            return C.translate("History", "Complaint opened")
        if action == "deleted":
            return C.translate("History", "Complaint removed")
        return subst(C.translate("History", "Complaint: %1"), _parts(s, parts))
    call = entry.channel in (None, "phone")
    if action == "created":
        if call:
            return C.translate("History", "Call logged")
        return subst(C.translate("History", "Contact logged: %1"),
                     labels.channel(entry.channel))
    if action == "deleted":
        return C.translate("History", "Logged call or message undone")
    if call:
        return subst(C.translate("History", "Call corrected: %1"), _parts(s, parts))
    return subst(C.translate("History", "Contact corrected: %1"), _parts(s, parts))
