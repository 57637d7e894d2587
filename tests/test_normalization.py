"""Texts are stored and compared in Unicode NFC at the service boundary: a name typed or
pasted decomposed (a Mac, some keyboards and PDF copies send "o" + U+0301 for "ó") is
the same name, finds the same client, and two card numbers that differ only in
normalisation are the same number."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import Client, Complaint, Purchase, Relative
from app.services import clients as client_service
from app.services import complaints

RULES = client_service.StatusRules(today=date(2026, 6, 1), new_until_purchases=3, default_gap_days=90,
                       gap_multiplier=Decimal(2), lapsed_after_days=365)
COMPOSED = "Łukasz Wójcik"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def _is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def _find(db, text: str) -> list[int]:
    with db.session() as s:
        return client_service.client_ids(s, client_service.ClientQuery(text=text), RULES, "PL")


def test_the_decomposed_form_is_really_different():
    assert DECOMPOSED != COMPOSED and len(DECOMPOSED) == len(COMPOSED) + 1


@pytest.mark.parametrize("stored,typed", [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED),
                                          (DECOMPOSED, "wójcik"),
                                          (COMPOSED, unicodedata.normalize("NFD", "WÓJ"))])
def test_a_name_is_found_whichever_form_was_typed(db, stored, typed):
    with db.session() as s:
        cid = client_service.save_client(s, client_service.ClientData(name=stored), region="PL")
    assert _find(db, typed) == [cid]
    with db.session() as s:
        c = s.get(Client, cid)
        assert c.name == COMPOSED and _is_nfc(c.search_text)
        assert client_service.client_choices(s, typed) == [(cid, COMPOSED)]


def test_card_numbers_differing_only_in_normalisation_are_one_number(db):
    ref = "ŚK-0012"
    with db.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Anna", external_ref=ref), region="PL")
    with pytest.raises(ValidationError) as info, db.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Ola", external_ref=unicodedata.normalize(
            "NFD", ref)), region="PL")
    assert info.value.errors[0].code == "external_ref.taken"


def test_every_text_of_the_card_is_stored_in_nfc(db):
    d = unicodedata.normalize("NFD", "Zoë Ćwik, żółć")
    data = client_service.ClientData(name=d, notes=d, preferences=d, tags=[d], source_channel=d,
                         relatives=[client_service.RelativeData(name=d, note=d)],
                         purchases=[client_service.PurchaseData(purchased_on=date(2026, 1, 5),
                                                    amount=Decimal(10), item=d, note=d)],
                         memberships=[client_service.MembershipData(plan=d, starts_on=date(2026, 1, 1),
                                                        ends_on=date(2026, 12, 31), note=d,
                                                        special_conditions=d)])
    with db.session() as s:
        cid = client_service.save_client(s, data, region="PL")
    with db.session() as s:
        back = client_service.load_client(s, cid)
        texts = [back.name, back.notes, back.preferences, back.source_channel, *back.tags,
                 back.relatives[0].name, back.relatives[0].note, back.purchases[0].item,
                 back.purchases[0].note, back.memberships[0].plan, back.memberships[0].note,
                 back.memberships[0].special_conditions]
        assert all(_is_nfc(t) and t for t in texts), texts
        assert s.scalar(select(Relative.name)) == unicodedata.normalize("NFC", d)
        assert s.scalar(select(Purchase.item)) == unicodedata.normalize("NFC", d)


def test_complaint_texts_are_stored_and_searched_in_nfc(db, make_client, staff):
    cid = make_client("Anna")
    words = unicodedata.normalize("NFD", "Kolor wyszedł źle, żółty")
    edits = complaints.ComplaintEdits(client_words=words, category=words,
                                      corrective_action=words, lesson=words,
                                      review={"review_main_complaint": words})
    with db.session() as s:
        complaints.save_complaint(s, cid, None, edits, staff_id=None,
                                  now=datetime(2026, 5, 1, 10))
    with db.session() as s:
        c = s.scalar(select(Complaint))
        assert all(_is_nfc(t) for t in (c.client_words, c.category, c.corrective_action,
                                        c.lesson, c.review_main_complaint))
        assert [r.lesson for r in complaints.lessons(s, "żółty")] == [c.lesson]
        assert len(complaints.lessons(s, unicodedata.normalize("NFD", "ŻÓŁTY"))) == 1


# --------------------------------------------------------------------------- dates that happened


@pytest.mark.parametrize("kind", [client_service.DateKind.BIRTHDAY, client_service.DateKind.NAME_DAY])
def test_a_birthday_or_name_day_year_in_the_future_is_refused(db, kind):
    future = date.today().year + 1
    data = client_service.ClientData(name="Anna", dates=[client_service.PersonalDateData(kind=kind, month=3, day=4,
                                                                  year=future)])
    with pytest.raises(ValidationError) as info, db.session() as s:
        client_service.save_client(s, data, region="PL")
    assert [(e.field, e.code) for e in info.value.errors] == [("dates[0]", "date.year_future")]
    data.dates[0].year = future - 30
    with db.session() as s:
        assert client_service.save_client(s, data, region="PL")


def test_an_anniversary_ahead_is_fine(db):
    data = client_service.ClientData(name="Anna", dates=[client_service.PersonalDateData(
        kind=client_service.DateKind.ANNIVERSARY, month=3, day=4, year=date.today().year + 1)])
    with db.session() as s:
        assert client_service.save_client(s, data, region="PL")
