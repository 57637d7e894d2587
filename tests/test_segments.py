"""A/B/C groups and the quarterly review (app/services/segments.py): the Pareto cut worked
out by hand, the frequency rule, the settings, the Trash, credit lines, the owner's
override; quarters; review(), record_review() and history()."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import Client, Contact, SegmentHistory, Task
from app.models.enums import Outcome, Segment, TaskKind, TaskStatus
from app.services import clients as client_service
from app.services import segments as segment_service
from app.services import settings as settings_service
from app.services.segments import MoveAnswer, MoveReason

TODAY = date(2026, 6, 1)  # the window (365 days) is 2025-06-01 (excluded) .. 2026-06-01


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def save(db, data: client_service.ClientData, today: date = TODAY) -> int:
    with db.session() as s:
        return client_service.save_client(s, data, region="PL", today=today)


def new_client(db, name: str, purchases: list[tuple[int, str]] = (),
               credits: list[tuple[int, str]] = (), **fields) -> int:
    """A client with purchases (and credit lines) given as (days before TODAY, amount)."""
    data = client_service.ClientData(name=name, **fields)
    data.purchases = [client_service.PurchaseData(purchased_on=days_ago(n), amount=Decimal(a))
                      for n, a in purchases]
    data.purchases += [client_service.PurchaseData(purchased_on=days_ago(n), amount=Decimal(a),
                                       is_credit=True) for n, a in credits]
    return save(db, data)


def buyer(db, name: str, purchases: list[tuple[date, str]] = (), today: date = TODAY,
          **fields) -> int:
    """A client with purchases on the given dates."""
    data = client_service.ClientData(name=name, **fields)
    data.purchases = [client_service.PurchaseData(purchased_on=d, amount=Decimal(a)) for d, a in purchases]
    return save(db, data, today)


def client_row(db, cid: int) -> Client:
    with db.session() as s:
        return s.get(Client, cid)


def refresh(db, today: date = TODAY) -> None:
    with db.session() as s:
        client_service.refresh_client_stats(s, None, today=today)


def groups(db, ids: dict[str, int]) -> dict[str, str]:
    """name -> the computed group (the segment column, not the override)."""
    with db.session() as s:
        return {name: str(s.get(Client, cid).segment) for name, cid in ids.items()}


def put(db, **values) -> None:
    with db.session() as s:
        for key, value in values.items():
            settings_service.put(s, key.replace("__", "."), value)


# --------------------------------------------------------------------------- assign_segments
# The exact Pareto set: 12-month values 500, 300, 100, 60, 40 (total 1000), each bought on
# three different days, so the frequency rule (3 days, the default) lets all of them be A.
# Ranked by value, the share of the revenue of the clients ranked before each one:
#   P500 before   0/1000 = 0.00 -> 0.00 < 0.80 -> A
#   P300 before 500/1000 = 0.50 -> 0.50 < 0.80 -> A (it crosses the 80 % line: included)
#   P100 before 800/1000 = 0.80 -> 0.80 < 0.80 is false, so not A; 0.80 < 0.95 -> B
#   P60  before 900/1000 = 0.90 -> 0.90 < 0.95 -> B (it crosses the 95 % line: included)
#   P40  before 960/1000 = 0.96 -> C

PARETO = {
    "P500": [(10, "200"), (40, "200"), (70, "100")],
    "P300": [(11, "100"), (41, "100"), (71, "100")],
    "P100": [(12, "40"), (42, "30"), (72, "30")],
    "P60": [(13, "20"), (43, "20"), (73, "20")],
    "P40": [(14, "20"), (44, "10"), (74, "10")],
}


@pytest.fixture
def pareto(db):
    ids = {name: new_client(db, name, purchases) for name, purchases in PARETO.items()}
    refresh(db)
    return ids


def test_values_are_the_hand_built_ones(db, pareto):
    assert {n: client_row(db, cid).value_12m for n, cid in pareto.items()} == {
        "P500": Decimal("500"), "P300": Decimal("300"), "P100": Decimal("100"),
        "P60": Decimal("60"), "P40": Decimal("40")}


def test_pareto_cut_is_exact(db, pareto):
    assert groups(db, pareto) == {"P500": "A", "P300": "A", "P100": "B", "P60": "B",
                                  "P40": "C"}


def test_pareto_b_line_is_exact_too(db):
    # 500, 300, 150, 50: before 0, 0.50, 0.80, 0.95.
    #   Q150 before 0.80 -> B; Q50 before 950/1000 = 0.95 -> 0.95 < 0.95 is false -> C,
    # the same rule as the A line (the client exactly on the line is not in the group).
    ids = {"Q500": new_client(db, "Q500", [(10, "200"), (40, "200"), (70, "100")]),
           "Q300": new_client(db, "Q300", [(11, "100"), (41, "100"), (71, "100")]),
           "Q150": new_client(db, "Q150", [(12, "50"), (42, "50"), (72, "50")]),
           "Q50": new_client(db, "Q50", [(13, "20"), (43, "20"), (73, "10")])}
    refresh(db)
    assert groups(db, ids) == {"Q500": "A", "Q300": "A", "Q150": "B", "Q50": "C"}


def test_equal_values_rank_by_id(db):
    # 400, 400, 200 (total 1000): the first created 400 is before 0, the second 0.40 -> both
    # A; the 200 is before 0.80 -> B. Ties never depend on the order rows come back in.
    first = new_client(db, "First", [(10, "200"), (40, "100"), (70, "100")])
    second = new_client(db, "Second", [(11, "200"), (41, "100"), (71, "100")])
    last = new_client(db, "Last", [(12, "100"), (42, "50"), (72, "50")])
    refresh(db)
    assert groups(db, {"f": first, "s": second, "l": last}) == {"f": "A", "s": "A", "l": "B"}


def test_frequency_rule(db):
    # segment.a_min_purchases = 3 different days in the window. Total 450+300+200+40 = 990.
    #   Steady 450 on 3 days:                     before 0           -> A
    #   Twice  300 in 3 lines on only 2 days:     before 450/990 = .45 -> A by revenue,
    #                                             2 days -> B
    #   Credit 200 = 110 + 110 on 2 days and a credit line of -20 on a third day:
    #                                             before 750/990 = .76 -> A by revenue; a
    #                                             credit day is no purchase day: 2 days -> B
    #   Small   40 on 3 days:                     before 950/990 = .96 -> C
    ids = {"Steady": new_client(db, "Steady", [(10, "150"), (40, "150"), (70, "150")]),
           "Twice": new_client(db, "Twice", [(10, "100"), (10, "100"), (40, "100")]),
           "Credit": new_client(db, "Credit", [(11, "110"), (41, "110")], credits=[(71, "-20")]),
           "Small": new_client(db, "Small", [(12, "20"), (42, "10"), (72, "10")])}
    refresh(db)
    assert client_row(db, ids["Credit"]).value_12m == Decimal("200")
    assert groups(db, ids) == {"Steady": "A", "Twice": "B", "Credit": "B", "Small": "C"}

    # two days are enough when the owner says so: Twice and Credit are A by revenue again
    put(db, segment__a_min_purchases=2)
    refresh(db)
    assert groups(db, ids) == {"Steady": "A", "Twice": "A", "Credit": "A", "Small": "C"}


def test_purchase_days_are_counted_in_the_window_only(db):
    # Old: 600 in the window on 2 days, and a third purchase day 400 days ago (outside the
    # window: its 100 is not in the value either). Value 600 of 900 -> before 0 -> A by
    # revenue, 2 days in the window -> B. Young: 300 on 3 days -> before 600/900 -> A.
    old = new_client(db, "Old", [(10, "300"), (40, "300"), (400, "100")])
    young = new_client(db, "Young", [(11, "100"), (41, "100"), (71, "100")])
    refresh(db)
    assert client_row(db, old).value_12m == Decimal("600")
    assert groups(db, {"old": old, "young": young}) == {"old": "B", "young": "A"}


def test_settings_move_the_cut(db, pareto):
    # A 90 %, B 5 %: P100 (before 0.80 < 0.90) joins A; P60 (0.90) is not A, 0.90 < 0.95 -> B;
    # P40 (0.96) C.
    put(db, segment__a_revenue_share=90, segment__b_revenue_share=5)
    refresh(db)
    assert groups(db, pareto) == {"P500": "A", "P300": "A", "P100": "A", "P60": "B",
                                  "P40": "C"}
    # A 50 %, B 10 %: only P500 (before 0) is A; P300 (0.50) is not A, 0.50 < 0.60 -> B;
    # P100 (0.80), P60, P40 -> C.
    put(db, segment__a_revenue_share=50, segment__b_revenue_share=10)
    refresh(db)
    assert groups(db, pareto) == {"P500": "A", "P300": "B", "P100": "C", "P60": "C",
                                  "P40": "C"}
    # back to 80/15 but 4 purchase days for A: P500 and P300 bought on 3 days -> B
    put(db, segment__a_revenue_share=80, segment__b_revenue_share=15,
        segment__a_min_purchases=4)
    refresh(db)
    assert groups(db, pareto) == {"P500": "B", "P300": "B", "P100": "B", "P60": "B",
                                  "P40": "C"}


def test_trash_and_zero_value_clients_are_c_and_not_in_the_total(db, pareto):
    # Rich (5000 on 3 days) in the Trash: counted, it would be A and the others' shares
    # would be 0.83.. and up (all C but P500 as B). Nobody (no purchases) and Lapsed (a
    # purchase 400 days ago only) have value 0; Refunded has only a credit line (-30).
    # None of them changes the total, so the hand-worked cut stays as it was.
    rich = new_client(db, "Rich", [(10, "2000"), (40, "2000"), (70, "1000")])
    nobody = new_client(db, "Nobody")
    lapsed = new_client(db, "Lapsed", [(400, "900"), (401, "900"), (402, "900")])
    refunded = new_client(db, "Refunded", credits=[(5, "-30")])
    with db.session() as s:
        client_service.soft_delete(s, [rich])
    refresh(db)
    assert client_row(db, lapsed).value_12m == Decimal("0")
    assert client_row(db, refunded).value_12m == Decimal("-30")
    assert groups(db, pareto) == {"P500": "A", "P300": "A", "P100": "B", "P60": "B",
                                  "P40": "C"}
    assert groups(db, {"rich": rich, "nobody": nobody, "lapsed": lapsed,
                       "refunded": refunded}) == {"rich": "C", "nobody": "C", "lapsed": "C",
                                                  "refunded": "C"}

    # out of the Trash, Rich counts again: total 6000; Rich before 0 -> A; P500 before
    # 5000/6000 = 0.833 -> B; P300 before 5500/6000 = 0.9167 -> B; P100 0.9667 -> C
    with db.session() as s:
        client_service.restore(s, [rich])
    refresh(db)
    assert groups(db, {"rich": rich, **pareto}) == {
        "rich": "A", "P500": "B", "P300": "B", "P100": "C", "P60": "C", "P40": "C"}


def test_the_override_is_kept_and_wins_in_the_review(db, pareto):
    # The owner puts P40 (computed C) into A and P500 (computed A) into C.
    with db.session() as s:
        for name, seg in (("P40", Segment.A), ("P500", Segment.C)):
            c = s.get(Client, pareto[name])
            c.segment_override, c.segment_override_reason = seg, "owner knows best"
    refresh(db)
    # assign_segments computes the column and never touches the override
    assert groups(db, pareto)["P40"] == "C"
    assert groups(db, pareto)["P500"] == "A"
    assert client_row(db, pareto["P40"]).segment_override == Segment.A
    q3 = date(2026, 9, 30)
    with db.session() as s:
        segment_service.record_review(s, q3, [])
        recorded = {h.client_id: h.segment for h in s.scalars(select(SegmentHistory))}
    # the recorded group is coalesce(override, segment)
    assert recorded[pareto["P40"]] == Segment.A
    assert recorded[pareto["P500"]] == Segment.C
    assert recorded[pareto["P300"]] == Segment.A
    # the owner drops the override on P500: it moved C -> A in the owner's eyes
    with db.session() as s:
        c = s.get(Client, pareto["P500"])
        c.segment_override, c.segment_override_reason = None, ""
    with db.session() as s:
        got = segment_service.review(s, date(2026, 11, 23))
    assert [(r.client_id, r.previous, r.segment) for r in got.rows] == [
        (pareto["P500"], Segment.C, Segment.A)]


# --------------------------------------------------------------------------- quarters

@pytest.mark.parametrize("day, quarter", [
    (date(2026, 1, 1), "2026Q1"), (date(2026, 3, 31), "2026Q1"), (date(2026, 4, 1), "2026Q2"),
    (date(2026, 6, 30), "2026Q2"), (date(2026, 7, 1), "2026Q3"), (date(2026, 9, 30), "2026Q3"),
    (date(2026, 10, 1), "2026Q4"), (date(2026, 12, 31), "2026Q4"),
    (date(1999, 11, 5), "1999Q4")])
def test_quarter_of(day, quarter):
    assert segment_service.quarter_of(day) == quarter


@pytest.mark.parametrize("quarter, previous", [
    ("2026Q4", "2026Q3"), ("2026Q3", "2026Q2"), ("2026Q2", "2026Q1"), ("2026Q1", "2025Q4"),
    ("2000Q1", "1999Q4")])
def test_previous_quarter(quarter, previous):
    assert segment_service.previous_quarter(quarter) == previous


def test_quarters_sort_as_text_in_time_order():
    # review() and history() compare and order quarters as text
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 10, 1), date(2027, 2, 1)]
    quarters = [segment_service.quarter_of(d) for d in days]
    assert quarters == sorted(quarters)


# --------------------------------------------------------------------------- the review
# Seen from R3 = 2026-09-30 (the window is 2025-09-30 excluded .. 2026-09-30), every
# purchase on three different days:
#   Ala 500, Bea 300, Cez 120, Dor 80 (total 1000): before 0, .50, .80, .92 -> A, A, B, B
#   Eva, Fil, Gus: no purchases -> C
# The Q3 review is recorded. Then, before R4 = 2026-11-23 (window from 2025-11-23, all the
# purchases above still in it):
#   Eva buys 2000 on three days in October -> total 3000:
#     Eva before 0 -> A; Ala 2000/3000 = .667 -> A; Bea 2500/3000 = .833 -> B;
#     Cez 2800/3000 = .933 -> B; Dor 2920/3000 = .973 -> C
#   the owner puts Ala into C (override), Fil goes to the Trash.
# Moves since Q3 (coalesce(override, segment)): Eva C->A, Bea A->B, Ala A->C, Dor B->C;
# Cez B->B and Gus C->C did not move; Fil is in the Trash.
# Ordered by group, then 12-month value (highest first), then name:
#   Eva (A, 2000), Bea (B, 300), Ala (C, 500), Dor (C, 80)
# Call minutes in the window (Contact.at on or after R4 - 365 days = 2025-11-23):
#   Ala 3600 s -> 60; Bea 600 s + 300 s = 15 (a 1200 s call on 2025-10-01 is before the
#   window); Dor 120 s + a call without a duration -> 2; Eva none -> 0.

R3, R4 = date(2026, 9, 30), date(2026, 11, 23)


def three_days(total: int) -> list[tuple[date, str]]:
    """``total`` bought on three different days (March, May, July 2026)."""
    third = total // 3
    return [(date(2026, 3, 10), str(total - 2 * third)), (date(2026, 5, 10), str(third)),
            (date(2026, 7, 10), str(third))]


def contact(s, cid: int, at: datetime, seconds: int | None) -> None:
    s.add(Contact(client_id=cid, at=at, outcome=Outcome.REACHED, duration_seconds=seconds))


@pytest.fixture
def quarter3(db):
    ids = {"Ala": buyer(db, "Ala", three_days(500), today=R3),
           "Bea": buyer(db, "Bea", three_days(300), today=R3),
           "Cez": buyer(db, "Cez", three_days(120), today=R3),
           "Dor": buyer(db, "Dor", three_days(80), today=R3),
           "Eva": buyer(db, "Eva", today=R3),
           "Fil": buyer(db, "Fil", today=R3),
           "Gus": buyer(db, "Gus", today=R3)}
    refresh(db, R3)
    assert groups(db, ids) == {"Ala": "A", "Bea": "A", "Cez": "B", "Dor": "B", "Eva": "C",
                               "Fil": "C", "Gus": "C"}
    return ids


@pytest.fixture
def moved(db, quarter3):
    ids = quarter3
    with db.session() as s:
        assert segment_service.record_review(s, R3, []) == 7
    with db.session() as s:
        for d, amount in ((date(2026, 10, 5), "500"), (date(2026, 10, 15), "500"),
                          (date(2026, 10, 25), "1000")):
            client_service.add_purchase(s, ids["Eva"], client_service.PurchaseData(purchased_on=d,
                                                           amount=Decimal(amount)), today=R4)
        ala = s.get(Client, ids["Ala"])
        ala.segment_override, ala.segment_override_reason = Segment.C, "rude to the staff"
        client_service.soft_delete(s, [ids["Fil"]])
        contact(s, ids["Ala"], datetime(2026, 10, 2, 9), 3600)
        contact(s, ids["Bea"], datetime(2026, 10, 1, 10), 600)
        contact(s, ids["Bea"], datetime(2026, 3, 1, 10), 300)
        contact(s, ids["Bea"], datetime(2025, 10, 1, 10), 1200)  # before the window
        contact(s, ids["Dor"], datetime(2026, 8, 1, 10), 120)
        contact(s, ids["Dor"], datetime(2026, 8, 2, 10), None)
        contact(s, ids["Fil"], datetime(2026, 8, 2, 10), 6000)  # in the Trash
    refresh(db, R4)
    assert client_row(db, ids["Eva"]).value_12m == Decimal("2000")
    assert groups(db, ids) == {"Ala": "A", "Bea": "B", "Cez": "B", "Dor": "C", "Eva": "A",
                               "Fil": "C", "Gus": "C"}
    return ids


def test_first_review_has_no_history(db, quarter3):
    with db.session() as s:
        got = segment_service.review(s, R3)
    assert (got.quarter, got.last_quarter, got.rows, got.done, got.clients) == (
        "2026Q3", None, [], False, 7)


def test_first_record_has_no_previous_and_no_reasons(db, quarter3):
    ids = quarter3
    with db.session() as s:
        # an answer for a client who cannot have moved (no earlier review) is not kept
        n = segment_service.record_review(s, R3, [MoveAnswer(ids["Ala"], MoveReason.DELIVERY, "late")])
    assert n == 7
    with db.session() as s:
        rows = {h.client_id: h for h in s.scalars(select(SegmentHistory))}
        got = segment_service.review(s, R3)
    assert set(rows) == set(ids.values())
    assert {h.quarter for h in rows.values()} == {"2026Q3"}
    assert all(h.previous is None and h.reason_kind is None and h.reason == ""
               for h in rows.values())
    assert {n: rows[cid].segment for n, cid in ids.items()} == {
        "Ala": Segment.A, "Bea": Segment.A, "Cez": Segment.B, "Dor": Segment.B,
        "Eva": Segment.C, "Fil": Segment.C, "Gus": Segment.C}
    assert rows[ids["Ala"]].value_12m == Decimal("500")
    assert rows[ids["Eva"]].value_12m == Decimal("0")
    # recorded: done, and still no earlier quarter to compare with
    assert (got.quarter, got.last_quarter, got.rows, got.done) == ("2026Q3", None, [], True)


def test_review_lists_exactly_the_moves(db, moved):
    ids = moved
    with db.session() as s:
        got = segment_service.review(s, R4)
    assert (got.quarter, got.last_quarter, got.done, got.clients) == ("2026Q4", "2026Q3",
                                                                      False, 6)
    by_name = {v: k for k, v in ids.items()}
    assert [(by_name[r.client_id], r.name, r.previous, r.segment, r.value_12m,
             r.purchase_count, r.call_minutes, r.override_reason, r.reason_kind, r.reason)
            for r in got.rows] == [
        ("Eva", "Eva", Segment.C, Segment.A, Decimal("2000"), 3, 0, "", None, ""),
        ("Bea", "Bea", Segment.A, Segment.B, Decimal("300"), 3, 15, "", None, ""),
        ("Ala", "Ala", Segment.A, Segment.C, Decimal("500"), 3, 60, "rude to the staff",
         None, ""),
        ("Dor", "Dor", Segment.B, Segment.C, Decimal("80"), 3, 2, "", None, ""),
    ]


def test_review_orders_equal_values_by_name(db, quarter3):
    # Zed and Abe both move B -> A with the same 12-month value (set by hand, no refresh
    # after it): the name decides, not the id.
    ids = quarter3
    with db.session() as s:
        for name, new in (("Cez", "Zed"), ("Dor", "Abe")):  # Zed has the smaller id
            c = s.get(Client, ids[name])
            c.name, c.sort_name, c.value_12m = new, new.lower(), Decimal("100")
    with db.session() as s:
        segment_service.record_review(s, R3, [])
    with db.session() as s:
        for name in ("Cez", "Dor"):
            c = s.get(Client, ids[name])
            c.segment_override, c.segment_override_reason = Segment.A, "big order coming"
    with db.session() as s:
        got = segment_service.review(s, R4)
    assert [r.name for r in got.rows] == ["Abe", "Zed"]


def test_record_review_needs_the_reasons(db, moved):
    ids = moved
    with db.session() as s, pytest.raises(ValidationError) as info:
        segment_service.record_review(s, R4, [
            MoveAnswer(ids["Eva"], MoveReason.COMPETITOR_PRICES),
            MoveAnswer(ids["Bea"], None, "no idea"),
            MoveAnswer(ids["Dor"], MoveReason.OTHER, "   "),
            MoveAnswer(ids["Ala"], MoveReason.PERSONALITY)])
    assert [(e.field, e.code) for e in info.value.errors] == [
        (f"reason:{ids['Bea']}", "segment.reason_required"),
        (f"reason:{ids['Dor']}", "segment.reason_text_required")]
    assert info.value.for_field(f"reason:{ids['Bea']}").code == "segment.reason_required"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SegmentHistory)
                        .where(SegmentHistory.quarter == "2026Q4")) == 0
        assert segment_service.review(s, R4).done is False


def test_record_review_needs_an_answer_for_every_move(db, moved):
    # The docstring: "A move needs its reason kind". Leaving a moved client out of the
    # answers (e.g. a client who moved after the dialog was filled in) must not record the
    # move without a reason.
    ids = moved
    with db.session() as s, pytest.raises(ValidationError) as info:
        segment_service.record_review(s, R4, [MoveAnswer(ids["Eva"], MoveReason.COMPETITOR_PRICES),
                                 MoveAnswer(ids["Ala"], MoveReason.PERSONALITY),
                                 MoveAnswer(ids["Dor"], MoveReason.DELIVERY)])  # no Bea
    assert [(e.field, e.code) for e in info.value.errors] == [
        (f"reason:{ids['Bea']}", "segment.reason_required")]


ANSWERS = {"Eva": (MoveReason.OTHER, "  moved her whole office to us  "),
           "Bea": (MoveReason.DELIVERY, "late twice"),
           "Ala": (MoveReason.PERSONALITY, ""),
           "Dor": (MoveReason.COMPETITOR_PRICES, "cheaper next door"),
           "Cez": (MoveReason.DELIVERY, "did not move: not kept")}


def answers(ids, table=ANSWERS) -> list[MoveAnswer]:
    return [MoveAnswer(ids[n], kind, text) for n, (kind, text) in table.items()]


def q4_rows(db) -> dict[int, SegmentHistory]:
    with db.session() as s:
        rows = list(s.scalars(select(SegmentHistory).where(SegmentHistory.quarter == "2026Q4")))
        s.expunge_all()
    return {h.client_id: h for h in rows}


def test_record_review_writes_every_client_of_the_quarter(db, moved):
    ids = moved
    with db.session() as s:
        assert segment_service.record_review(s, R4, answers(ids)) == 6  # Fil is in the Trash
    rows = q4_rows(db)
    by_name = {n: rows.get(cid) for n, cid in ids.items()}
    assert by_name["Fil"] is None
    got = {n: (h.segment, h.previous, h.reason_kind, h.reason, h.value_12m, h.call_minutes)
           for n, h in by_name.items() if h is not None}
    assert got == {
        "Eva": (Segment.A, Segment.C, "other", "moved her whole office to us",
                Decimal("2000"), 0),
        "Bea": (Segment.B, Segment.A, "delivery", "late twice", Decimal("300"), 15),
        "Ala": (Segment.C, Segment.A, "personality", "", Decimal("500"), 60),
        "Dor": (Segment.C, Segment.B, "competitor_prices", "cheaper next door",
                Decimal("80"), 2),
        # did not move: the answer is not kept
        "Cez": (Segment.B, Segment.B, None, "", Decimal("120"), 0),
        "Gus": (Segment.C, Segment.C, None, "", Decimal("0"), 0),
    }
    with db.session() as s:
        got = segment_service.review(s, R4)
    assert got.done is True
    assert [(r.client_id, r.reason_kind, r.reason) for r in got.rows] == [
        (ids["Eva"], MoveReason.OTHER, "moved her whole office to us"),
        (ids["Bea"], MoveReason.DELIVERY, "late twice"),
        (ids["Ala"], MoveReason.PERSONALITY, ""),
        (ids["Dor"], MoveReason.COMPETITOR_PRICES, "cheaper next door")]
    # the Q3 rows are untouched
    with db.session() as s:
        q3 = {h.client_id: h.segment for h in s.scalars(
            select(SegmentHistory).where(SegmentHistory.quarter == "2026Q3"))}
    assert q3[ids["Ala"]] == Segment.A and q3[ids["Eva"]] == Segment.C and len(q3) == 7


def test_recording_the_quarter_again_updates_the_rows(db, moved):
    ids = moved
    with db.session() as s:
        segment_service.record_review(s, R4, answers(ids))
    first = q4_rows(db)
    # the owner takes Ala's override back (A again: no move) and changes Bea's reason
    with db.session() as s:
        ala = s.get(Client, ids["Ala"])
        ala.segment_override, ala.segment_override_reason = None, ""
    table = dict(ANSWERS)
    del table["Ala"]
    table["Bea"] = (MoveReason.COMPETITOR_PRICES, "found it cheaper")
    with db.session() as s:
        assert segment_service.record_review(s, R4, answers(ids, table)) == 6
    again = q4_rows(db)
    assert set(again) == set(first)
    assert {cid: h.id for cid, h in again.items()} == {cid: h.id for cid, h in first.items()}
    assert (again[ids["Ala"]].segment, again[ids["Ala"]].previous,
            again[ids["Ala"]].reason_kind, again[ids["Ala"]].reason) == (
        Segment.A, Segment.A, None, "")
    assert (again[ids["Bea"]].reason_kind, again[ids["Bea"]].reason) == (
        "competitor_prices", "found it cheaper")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SegmentHistory)) == 7 + 6
        assert [r.client_id for r in segment_service.review(s, R4).rows] == [
            ids["Eva"], ids["Bea"], ids["Dor"]]


def test_record_review_closes_the_due_review_tasks(db, moved):
    def task(kind, due, status=TaskStatus.OPEN):
        t = Task(client_id=None, kind=kind, due_on=due, status=status)
        s.add(t)
        s.flush()
        return t.id

    with db.session() as s:
        due_before = task(TaskKind.QUARTERLY_REVIEW, date(2026, 10, 1))
        due_today = task(TaskKind.QUARTERLY_REVIEW, R4)
        snoozed = task(TaskKind.QUARTERLY_REVIEW, date(2026, 11, 20), TaskStatus.SNOOZED)
        later = task(TaskKind.QUARTERLY_REVIEW, date(2027, 1, 1))
        cancelled = task(TaskKind.QUARTERLY_REVIEW, date(2026, 10, 1), TaskStatus.CANCELLED)
        other = task(TaskKind.MANUAL, date(2026, 10, 1))
    with db.session() as s:
        segment_service.record_review(s, R4, answers(moved))
    with db.session() as s:
        got = {tid: (s.get(Task, tid).status, s.get(Task, tid).closed_at is not None)
               for tid in (due_before, due_today, snoozed, later, cancelled, other)}
    assert got == {due_before: (TaskStatus.DONE, True), due_today: (TaskStatus.DONE, True),
                   snoozed: (TaskStatus.DONE, True), later: (TaskStatus.OPEN, False),
                   cancelled: (TaskStatus.CANCELLED, False), other: (TaskStatus.OPEN, False)}


# --------------------------------------------------------------------------- history

def test_history_is_in_quarter_order(db, quarter3):
    ids = quarter3
    ala, bea = ids["Ala"], ids["Bea"]
    with db.session() as s:
        for cid, quarter, seg in ((ala, "2026Q1", Segment.B), (bea, "2025Q4", Segment.C),
                                  (ala, "2025Q3", Segment.C), (ala, "2025Q4", Segment.C),
                                  (ala, "2024Q4", Segment.C)):
            s.add(SegmentHistory(client_id=cid, quarter=quarter, segment=seg))
    with db.session() as s:
        assert [(h.quarter, h.segment) for h in segment_service.history(s, ala)] == [
            ("2024Q4", Segment.C), ("2025Q3", Segment.C), ("2025Q4", Segment.C),
            ("2026Q1", Segment.B)]
        assert [h.quarter for h in segment_service.history(s, bea)] == ["2025Q4"]
        assert segment_service.history(s, ids["Gus"]) == []
        # review() compares with the newest quarter before this one: 2026Q1, not 2025Q4
        got = segment_service.review(s, R3)
    assert got.last_quarter == "2026Q1"
    # Ala was B in 2026Q1 and is A now; Bea has no 2026Q1 row, so she is not compared
    assert [(r.client_id, r.previous, r.segment) for r in got.rows] == [
        (ala, Segment.B, Segment.A)]


def test_history_across_the_year_end(db, quarter3):
    ids = quarter3
    with db.session() as s:
        segment_service.record_review(s, date(2025, 12, 15), [])  # 2025Q4: groups as they are now
    with db.session() as s:
        bea = s.get(Client, ids["Bea"])
        bea.segment_override, bea.segment_override_reason = Segment.C, "moved away"
    jan = date(2026, 1, 10)
    with db.session() as s:
        got = segment_service.review(s, jan)
        assert (got.quarter, got.last_quarter, got.done) == ("2026Q1", "2025Q4", False)
        assert [(r.client_id, r.previous, r.segment) for r in got.rows] == [
            (ids["Bea"], Segment.A, Segment.C)]
        segment_service.record_review(s, jan, [MoveAnswer(ids["Bea"], MoveReason.OTHER, "moved away")])
    with db.session() as s:
        assert [(h.quarter, h.segment, h.previous, h.reason_kind) for h in
                segment_service.history(s, ids["Bea"])] == [
            ("2025Q4", Segment.A, None, None), ("2026Q1", Segment.C, Segment.A, "other")]
