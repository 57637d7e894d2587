from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Erasure(Base):
    """A client erased at their request: only the client's number and the date, nothing
    personal. Applied again after every restore, so a backup never brings them back."""

    __tablename__ = "erasures"

    #: the erased client's id (no foreign key: the log outlives any row)
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    erased_on: Mapped[date] = mapped_column(Date)
