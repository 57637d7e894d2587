"""Saving the rules and the business: one use case each, checked across fields, stored
all or nothing, and the due contacts brought in line at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.changes import Entity, recording
from app.errors import ValidationError
from app.models import Task
from app.models.enums import TaskKind
from app.services import rules, schedule
from app.services import settings as settings_service


def _codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def test_the_shares_of_group_a_and_b_are_at_most_100_together():
    with pytest.raises(ValidationError) as info:
        rules.check_rules({"segment.a_revenue_share": 90, "segment.b_revenue_share": 15})
    assert _codes(info.value) == {"segment.b_revenue_share": "setting.max"}
    assert info.value.errors[0].values == {"maximum": 10}
    assert rules.check_rules({"segment.a_revenue_share": 80,
                              "segment.b_revenue_share": 20})["segment.b_revenue_share"] == 20


def test_every_refused_field_is_named_at_once():
    with pytest.raises(ValidationError) as info:
        rules.check_rules({"rule.follow_up.after_days": 2.5, "business.working_days": "",
                           "status.gap_multiplier": "abc"})
    assert _codes(info.value) == {"rule.follow_up.after_days": "setting.type",
                                  "business.working_days": "working_days.required",
                                  "status.gap_multiplier": "setting.type"}


def test_saving_the_rules_stores_them_and_moves_the_open_calls(db, make_client):
    today = date.today()
    cid = make_client("Anna", purchases=[(today - timedelta(days=1), "50.00")])
    with db.session() as s:
        settings_service.put(s, "business.working_days", "1234567")
        settings_service.put(s, "business.region", "ZZ")
        schedule.regenerate(s, today)
    with db.session() as s, recording(s) as recorder:
        stats = rules.save_rules(s, {"rule.follow_up.after_days": 5}, today)
        changes = recorder.changes()
    assert stats.moved + stats.created >= 1
    assert {Entity.SETTINGS, Entity.TASK} <= changes.entities
    with db.sessions() as s:
        assert settings_service.get(s, "rule.follow_up.after_days") == 5
        task = s.scalar(select(Task).where(Task.client_id == cid,
                                           Task.kind == TaskKind.FOLLOW_UP))
        assert task.due_on == today + timedelta(days=4)


def test_a_refused_rule_writes_nothing(db):
    with pytest.raises(ValidationError), db.session() as s:
        rules.save_rules(s, {"rule.follow_up.after_days": 4,
                             "segment.a_revenue_share": 90, "segment.b_revenue_share": 15})
    with db.sessions() as s:
        assert settings_service.get(s, "rule.follow_up.after_days") == 3  # the default


def test_the_business_currency_is_three_letters_stored_upper_case(db):
    with pytest.raises(ValidationError) as info:
        rules.check_business("Shop", "PL", "euro")
    assert _codes(info.value) == {"business.currency": "currency.invalid"}
    with db.session() as s:
        rules.save_business(s, "  Shop  ", "BG", " eur ")
    with db.sessions() as s:
        assert (settings_service.get(s, "business.name"),
                settings_service.get(s, "business.region"),
                settings_service.get(s, "business.currency")) == ("Shop", "BG", "EUR")
