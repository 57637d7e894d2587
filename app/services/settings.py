"""Reading and writing settings; the defaults are in app/config.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import SETTINGS
from app.models import Setting
from app.setting_values import _decode, _encode, _stored, _weekdays, coerce, stored_values

__all__ = ["_decode", "_encode", "_stored", "_weekdays", "coerce", "get", "get_all", "put"]


def get(session: Session, key: str) -> Any:
    d = SETTINGS[key]
    row = session.get(Setting, key)
    return d.default if row is None else _stored(d, row.value)


def get_all(session: Session) -> dict[str, Any]:
    return stored_values((s.key, s.value) for s in session.scalars(select(Setting)))


def put(session: Session, key: str, value: Any) -> Any:
    v = coerce(key, value)
    row = session.get(Setting, key)
    raw = _encode(SETTINGS[key], v)
    if row is None:
        session.add(Setting(key=key, value=raw))
    else:
        row.value = raw
    session.flush()
    return v
