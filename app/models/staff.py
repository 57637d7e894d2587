from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps, str_enum
from .enums import StaffRole


class Staff(Timestamps, Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole), default=StaffRole.RECEPTIONIST)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    #: argon2id hash of the person's password (None: cannot sign in); never the password
    password_hash: Mapped[str | None] = mapped_column(String(200))
    #: wrong passwords in a row; from the fifth on, each one locks signing in for longer
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
