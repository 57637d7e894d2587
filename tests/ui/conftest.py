from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from app.ui.ops import Ops


@pytest.fixture(autouse=True)
def _english_locale():
    """Tests type amounts and read dates in one known locale."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield


@pytest.fixture
def ops(db, qapp):
    return Ops(db)
