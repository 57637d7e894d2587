from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.models import Task
from app.models.enums import TaskKind
from app.services import schedule
from app.services import settings as st
from app.ui.settings_page import SettingsPage


def test_changing_a_rule_number_moves_the_open_calls(qtbot, ops, db, make_client):
    today = date.today()
    cid = make_client("Anna", purchases=[(today - timedelta(days=1), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, today)
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    rules = page.rules
    rules.editors["rule.follow_up.after_days"].setValue(5)
    assert rules.save()
    with db.sessions() as s:
        assert st.get(s, "rule.follow_up.after_days") == 5
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.FOLLOW_UP))
        assert task.due_on == today + timedelta(days=4)
    assert "Saved" in rules.status.text()


def test_invalid_rule_numbers_save_nothing(qtbot, ops, db):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    rules = page.rules
    rules.editors["segment.a_revenue_share"].setValue(90)
    rules.editors["segment.b_revenue_share"].setValue(15)
    rules.editors["status.gap_multiplier"].setText("abc")
    assert not rules.save()
    assert rules.errors["segment.b_revenue_share"].isVisible()
    assert rules.errors["status.gap_multiplier"].isVisible()
    with db.sessions() as s:
        assert st.get(s, "segment.a_revenue_share") == 80  # unchanged
    rules.load_defaults()
    assert rules.editors["segment.a_revenue_share"].value() == 80


def test_working_days_are_saved_and_one_is_required(qtbot, ops, db):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    for cb in page.working_days:
        cb.setChecked(False)
    page.save_button.click()
    assert page.error.isVisible()
    for i in (0, 1, 2, 3, 4):
        page.working_days[i].setChecked(True)
    page.save_button.click()
    with db.sessions() as s:
        assert st.get(s, "business.working_days") == "12345"
