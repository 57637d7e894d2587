from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps, str_enum
from .enums import StaffRole


class Staff(Timestamps, Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole), default=StaffRole.RECEPTIONIST)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
