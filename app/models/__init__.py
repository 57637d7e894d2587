"""The ORM: one module per aggregate. Importing this package registers every table."""

from . import search_index  # noqa: F401  (the search index is created with clients)
from .base import Base
from .client import Client, ConsentEvent, PersonalDate, Relative, Tag, client_tags
from .complaint import Complaint, ComplaintCheck
from .contact import Contact, ContactEffect
from .edit_log import EditLog
from .erasure import Erasure
from .membership import Membership
from .message import MessageTemplate, OutgoingMessage
from .purchase import Purchase
from .risk import ClientRisk
from .segment import SegmentHistory
from .settings import Setting
from .staff import Staff
from .task import Task

__all__ = [
    "Base", "Client", "ClientRisk", "ConsentEvent", "PersonalDate", "Relative", "Tag", "client_tags",
    "Complaint", "ComplaintCheck", "Contact", "ContactEffect", "Erasure", "Membership",
    "EditLog", "MessageTemplate", "OutgoingMessage", "Purchase", "SegmentHistory", "Setting",
    "Staff", "Task",
]
