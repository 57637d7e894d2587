"""Value lists of the data model. Values are stored as text; labels live in the UI.

A light module (the standard library only): the window paints its client list with these
before SQLAlchemy and the models are imported. ``app.models.enums`` re-exports them."""

from __future__ import annotations

import enum


class ClientKind(enum.StrEnum):
    PERSON = "person"
    COMPANY = "company"


class Channel(enum.StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    IN_PERSON = "in_person"
    MESSENGER = "messenger"
    LETTER = "letter"


class Segment(enum.StrEnum):
    A = "A"
    B = "B"
    C = "C"


class ClientStatus(enum.StrEnum):
    NEW = "new"
    ACTIVE = "active"
    AT_RISK = "at_risk"
    LAPSED = "lapsed"


class Relation(enum.StrEnum):
    SPOUSE = "spouse"
    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    OTHER = "other"


class DateKind(enum.StrEnum):
    BIRTHDAY = "birthday"
    NAME_DAY = "name_day"
    ANNIVERSARY = "anniversary"
    CUSTOM = "custom"


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    EXPIRED = "expired"
    RENEWED = "renewed"
    CANCELLED = "cancelled"


class Direction(enum.StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Outcome(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    MEETING_BOOKED = "meeting_booked"
    COMPLAINT_FOUND = "complaint_found"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"
    CALL_BACK_LATER = "call_back_later"


class Tone(enum.StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class TaskKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    ONBOARDING = "onboarding"
    RENEWAL = "renewal"
    PERSONAL_DATE = "personal_date"
    GIFT = "gift"
    COMPLAINT_CALLBACK = "complaint_callback"
    COMPLAINT_REVIEW = "complaint_review"
    WIN_BACK = "win_back"
    KEEP_IN_TOUCH = "keep_in_touch"
    QUARTERLY_REVIEW = "quarterly_review"
    MANUAL = "manual"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"
    MISSED = "missed"


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED_KEPT = "closed_kept"
    CLOSED_LOST = "closed_lost"


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Fault(enum.StrEnum):
    US = "us"
    CLIENT = "client"
    THIRD_PARTY = "third_party"
    UNCLEAR = "unclear"


class CompensationKind(enum.StrEnum):
    NONE = "none"
    REFUND = "refund"
    DISCOUNT = "discount"
    FREE_SERVICE = "free_service"
    REPLACEMENT = "replacement"
    GIFT = "gift"


class CheckState(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class StaffRole(enum.StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    RECEPTIONIST = "receptionist"


#: Where a client came from, the choices offered on the card. The code is what the
#: database keeps (labels.source_channel shows it in the user's language); a business's
#: own entry ("the fair in May") is kept as typed. The codes are the English words the
#: first versions stored, so every file written before reads the same.
SOURCE_CHANNELS = ("walk-in", "referral", "Google", "Facebook", "Instagram", "website",
                   "flyer", "phone book")

#: Why a client declined, the choices offered when a call is logged (kept like the above).
DECLINE_REASONS = ("too expensive", "no time", "moved away", "went to a competitor",
                   "not satisfied", "health", "other")

#: The line a refund given as compensation writes in the purchases (``item``).
REFUND_ITEM = "refund"
