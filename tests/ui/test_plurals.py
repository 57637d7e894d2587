"""Counts in sentences take their language's plural form ([11]): one count per %n."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from app.services import settings as settings_service
from app.ui.app import install_translations
from app.ui.complaint_dialog import open_complaint_dialog


@pytest.mark.parametrize("language, days, expected", [
    ("ru", (1, 5), ("через 1 день", "через 5 дней")),
    ("ru", (2, 22), ("через 2 дня", "через 22 дня")),
    ("pl", (1, 5), ("po 1 dniu", "po 5 dniach")),
    ("pl", (2, 22), ("po 2 dniach", "po 22 dniach")),
    ("bg", (1, 3), ("след 1 ден", "след 3 дни")),
    ("en_US", (1, 7), ("after 1 day", "after 7 days"))])
def test_the_complaint_follow_up_days_are_in_the_right_plural(qtbot, ops, db, make_client,
                                                              language, days, expected):
    with db.session() as s:
        settings_service.put(s, "rule.complaint_callback.after_days", days[0])
        settings_service.put(s, "rule.complaint_review.after_days", days[1])
    install_translations(QApplication.instance(), language)
    dlg = open_complaint_dialog(None, ops, client_id=make_client("Anna"))
    qtbot.addWidget(dlg)
    note = next(w.text() for w in dlg.findChildren(QLabel) if expected[0] in w.text())
    assert expected[1] in note  # the review's days in the same note, in their own form
