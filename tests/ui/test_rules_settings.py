from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import holidays
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.errors import DomainError
from app.models import Task
from app.models.enums import StaffRole, TaskKind
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.services import schedule
from app.services import settings as settings_service
from app.ui.settings_page import SettingsPage, SettingsTab


def test_changing_a_rule_number_moves_the_open_calls(qtbot, ops, db, make_client):
    today = date.today()
    cid = make_client("Anna", purchases=[(today - timedelta(days=1), "50.00")])
    with db.session() as s:
        # open every day, no holidays: the due day below must not depend on the weekday
        settings_service.put(s, "business.working_days", "1234567")
        settings_service.put(s, "business.region", "ZZ")
        schedule.regenerate(s, today)
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    rules = page.rules
    rules.editors["rule.follow_up.after_days"].setValue(5)
    assert rules.save()
    assert ops.wait()  # saved on the database executor
    with db.sessions() as s:
        assert settings_service.get(s, "rule.follow_up.after_days") == 5
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.FOLLOW_UP))
        assert task.due_on == today + timedelta(days=4)
    assert "Saved" in rules.status.text()


def test_invalid_rule_numbers_save_nothing(qtbot, ops, db):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(SettingsTab.RULES)
    rules = page.rules
    rules.editors["segment.a_revenue_share"].setValue(90)
    rules.editors["segment.b_revenue_share"].setValue(15)
    rules.editors["status.gap_multiplier"].setText("abc")
    assert not rules.save()
    assert rules.errors["segment.b_revenue_share"].isVisible()
    assert rules.errors["status.gap_multiplier"].isVisible()
    with db.sessions() as s:
        assert settings_service.get(s, "segment.a_revenue_share") == 80  # unchanged
    rules.load_defaults()
    assert rules.editors["segment.a_revenue_share"].value() == 80


def _rules_page(qtbot, ops):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(SettingsTab.RULES)
    return page, page.rules


def _type(qtbot, editor, text: str) -> None:
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def test_working_days_are_a_rule_one_is_required_and_calls_leave_closed_days(
        qtbot, ops, db, make_client):
    """The week lives in Rules now (saving there re-places the calls), not on the
    Business tab; an open call on a day that closes moves to the next working day."""
    today = date.today()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    cid = make_client("Anna", memberships=[client_service.MembershipData(
        plan="Gym", starts_on=today - timedelta(days=60),
        ends_on=saturday + timedelta(days=14))])
    with db.session() as s:
        settings_service.put(s, "business.region", "ZZ")  # no public holidays: only the week counts
        schedule.regenerate(s, today)
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.RENEWAL))
        assert task.due_on == saturday
    page, rules = _rules_page(qtbot, ops)
    assert not hasattr(page, "working_days")  # one place for one setting
    week = rules.editors["business.working_days"]
    assert week.days() == "123456"  # the default: shops, clinics, clubs work Saturdays
    for cb in week.boxes:
        if cb.isChecked():
            qtbot.mouseClick(cb, Qt.MouseButton.LeftButton)
    assert not rules.save()
    assert rules.errors["business.working_days"].isVisible()
    assert "Choose at least one day" in rules.errors["business.working_days"].text()
    for iso in (1, 2, 3, 4, 5):
        qtbot.mouseClick(week.boxes[iso - 1], Qt.MouseButton.LeftButton)
    assert rules.save()
    assert ops.wait()  # saved on the database executor
    assert not rules.errors["business.working_days"].isVisible()
    with db.sessions() as s:
        assert settings_service.get(s, "business.working_days") == "12345"
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.RENEWAL))
        assert task.due_on == saturday + timedelta(days=2)  # the Monday after


def test_compensation_limits_are_edited_in_rules_with_money_parsing(qtbot, ops, db):
    _page, rules = _rules_page(qtbot, ops)
    receptionist = rules.editors["complaint.limit.receptionist"]
    manager = rules.editors["complaint.limit.manager"]
    assert (receptionist.text(), manager.text()) == ("50", "300")
    _type(qtbot, receptionist, "75.50")
    _type(qtbot, manager, "1,200")
    # "1,200" could be 1.2 or 1200: read by the English rule and shown back before saving
    assert not rules.save()
    assert manager.text() == "1,200.00"
    assert rules.save()
    assert ops.wait()  # saved on the database executor
    with db.sessions() as s:
        assert settings_service.get(s, "complaint.limit.receptionist") == Decimal("75.50")
        assert settings_service.get(s, "complaint.limit.manager") == Decimal(1200)
        assert complaint_service.role_limit(s, StaffRole.RECEPTIONIST) == Decimal("75.50")
    _type(qtbot, receptionist, "-5")
    _type(qtbot, manager, "lots")
    assert not rules.save()
    assert rules.errors["complaint.limit.receptionist"].isVisible()
    assert rules.errors["complaint.limit.manager"].isVisible()
    with db.sessions() as s:  # nothing changed
        assert settings_service.get(s, "complaint.limit.receptionist") == Decimal("75.50")


def test_changing_days_before_the_end_moves_the_renewal_to_its_new_day(qtbot, ops, db,
                                                                      make_client):
    today = date.today()
    end = today + timedelta(days=20)
    cid = make_client("Club", memberships=[client_service.MembershipData(
        plan="Gym", starts_on=today - timedelta(days=60), ends_on=end)])
    with db.session() as s:
        settings_service.put(s, "business.working_days", "1234567")  # this test is about the offset
        settings_service.put(s, "business.region", "ZZ")             # no holidays
        schedule.regenerate(s, today)
    _page, rules = _rules_page(qtbot, ops)
    spin = rules.editors["rule.renewal.before_days"]
    spin.selectAll()
    qtbot.keyClicks(spin, "35")
    assert spin.value() == 35
    assert rules.save()
    assert ops.wait()  # saved on the database executor
    with db.sessions() as s:
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.RENEWAL))
        # 35 days before the end was 15 days ago: due today, not "15 days late"
        assert (task.due_on, task.rule_due_on) == (today, end - timedelta(days=35))


def test_a_refused_save_clears_the_earlier_saved_message(qtbot, ops, db, monkeypatch):
    _page, rules = _rules_page(qtbot, ops)
    assert rules.save()
    assert ops.wait()  # saved on the database executor
    assert rules.status.text().startswith("Saved.")
    rules.editors["status.gap_multiplier"].setText("abc")
    assert not rules.save()
    assert "Saved." not in rules.status.text()
    assert rules.status.text().startswith("Nothing was saved")
    # refused by the database itself (another program holds it): no "Saved." either
    rules.editors["status.gap_multiplier"].setText("2")
    assert rules.save()
    assert ops.wait()  # saved on the database executor

    def refuse(*_a, **_k):
        raise DomainError("db.locked_write", "busy")

    monkeypatch.setattr(schedule, "regenerate", refuse)
    shown = []
    monkeypatch.setattr("app.ui.rules_settings.show_error", lambda _p, exc: shown.append(exc))
    assert rules.save()  # the values are right: the save starts, then the database refuses
    assert ops.wait()
    assert rules.status.text() == "Nothing was saved."
    assert [e.code for e in shown] == ["db.locked_write"]
    assert rules.save_button.isEnabled()


def test_changing_the_country_moves_calls_off_its_public_holidays(qtbot, ops, db,
                                                                   make_client):
    """The business's country (Business tab) names its public holidays: saving another
    country brings the open calls in line at once."""
    today = date.today()
    pl = holidays.country_holidays("PL", years=[today.year, today.year + 1])
    gb = holidays.country_holidays("GB", years=[today.year, today.year + 1])
    holiday = min(d for d in pl if d >= today + timedelta(days=2) and d.weekday() < 6
                  and d not in gb and d - timedelta(days=1) not in pl)
    cid = make_client("Club", memberships=[client_service.MembershipData(
        plan="Gym", starts_on=today - timedelta(days=60),
        ends_on=holiday + timedelta(days=14))])
    with db.session() as s:
        settings_service.put(s, "business.region", "GB")
        settings_service.put(s, "business.working_days", "1234567")
        schedule.regenerate(s, today)
    page, _rules = _rules_page(qtbot, ops)
    page.tabs.setCurrentIndex(SettingsTab.BUSINESS)

    def renewal_due():
        with db.sessions() as s:
            return s.scalar(select(Task.due_on).where(Task.client_id == cid,
                                                      Task.kind == TaskKind.RENEWAL))

    assert renewal_due() == holiday
    page.region.setCurrentIndex(page.region.findData("PL"))
    page.save_button.click()
    assert ops.wait()
    with db.sessions() as s:
        assert settings_service.get(s, "business.region") == "PL"
    moved = renewal_due()
    assert moved > holiday and moved not in pl
