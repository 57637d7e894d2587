"""The value lists, where the models and the code import them from (they live in
the light module :mod:`app.enums`, importable without SQLAlchemy)."""

from app.enums import (
    Channel,
    CheckState,
    ClientKind,
    ClientStatus,
    CompensationKind,
    ComplaintStatus,
    DateKind,
    Direction,
    Fault,
    MembershipStatus,
    Outcome,
    Relation,
    Segment,
    Severity,
    StaffRole,
    TaskKind,
    TaskStatus,
    Tone,
)

__all__ = [
    "ClientKind",
    "Channel",
    "Segment",
    "ClientStatus",
    "Relation",
    "DateKind",
    "MembershipStatus",
    "Direction",
    "Outcome",
    "Tone",
    "TaskKind",
    "TaskStatus",
    "ComplaintStatus",
    "Severity",
    "Fault",
    "CompensationKind",
    "CheckState",
    "StaffRole",
]
