"""The Qt binding in use keeps Python's reference counts: PySide6 6.12.0 dropped one
reference to None at every call of a void method, so a window used for a day aborted the
program ("Fatal Python error: none_dealloc"). pyproject.toml excludes that version; this
test fails on any version with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QWidget

CALLS = 2000


def test_void_qt_calls_keep_the_reference_count_of_none(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    box, line, button = QCheckBox(host), QLineEdit(host), QPushButton(host)
    calls = [lambda: box.setChecked(True), lambda: line.setEnabled(False), button.click,
             QCoreApplication.processEvents, QCoreApplication.sendPostedEvents]
    for call in calls:
        before = sys.getrefcount(None)
        for _ in range(CALLS):
            call()
        # a few references may come and go with the objects Qt makes; a leak is one per call
        assert sys.getrefcount(None) - before > -CALLS // 10, call
