"""The risk score in the window: the list's Risk column (sorted by a click, filtered by
level), the card's sentence in English and Polish, Today's win-back calls ordered by risk
x value with how far past their usual gap, the Settings fields, and the background
refresh (kept, or stopped with nothing kept)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from sqlalchemy import select

from app.client_list import ClientColumn
from app.models import Client, ClientRisk, Task
from app.models.enums import Segment, TaskKind, TaskStatus
from app.services import calls, risk_store
from app.services import settings as settings_service
from app.ui.app import RESOURCES, install_translations
from app.ui.client_card import open_client_card
from app.ui.clients_page import ClientsPage
from app.ui.formatting import fmt_money
from app.ui.risk_refresh import RiskRefresher
from app.ui.settings_page import SettingsPage, SettingsTab
from app.ui.today_page import QueueColumn, TodayPage

TODAY = date.today()


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("qm")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    exe = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    for lang in ("en", "pl"):
        subprocess.run([exe, "-silent", str(RESOURCES / "translations" / f"clientcare_{lang}.ts"),
                        "-qm", str(out / f"clientcare_{lang}.qm")], check=True)
    return out


@pytest.fixture
def shop(db, make_client):
    c = dict(segment_override=Segment.C, segment_override_reason="test")
    ids = {
        # a 35-day rhythm, 80 days since the last purchase, 500.00 in 12 months
        "anna": make_client("Anna Nowak", purchases=[
            (TODAY - timedelta(days=80 + 35 * k), "100") for k in range(5)], **c),
        "bob": make_client("Bob Smith", purchases=[
            (TODAY - timedelta(days=5 + 30 * k), "2500") for k in range(4)], **c),
        "cara": make_client("Cara Lis", purchases=[
            (TODAY - timedelta(days=200 + 20 * k), "900") for k in range(3)], **c),
        "dan": make_client("Dan Brak"),
    }
    with db.session() as s:
        risk_store.refresh_risk(s, TODAY)
    return ids


def _scores(db) -> dict[int, float]:
    with db.sessions() as s:
        return {r.client_id: r.score for r in s.scalars(select(ClientRisk))}


def _page(qtbot, ops) -> ClientsPage:
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    _settled(qtbot, page)
    return page


def _settled(qtbot, page: ClientsPage) -> None:
    qtbot.waitUntil(lambda: not page.gate.stale and not page.model.loading)


def _names(page: ClientsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, ClientColumn.NAME)) for r in range(m.rowCount())]


def test_the_risk_column_sorts_by_a_click_and_filters_by_level(qtbot, ops, db, shop):
    page = _page(qtbot, ops)
    scores = _scores(db)
    names = {v: k for k, v in shop.items()}
    header = page.table.horizontalHeader()
    # beside the status, shown as a percent; a dash for no score
    assert header.visualIndex(ClientColumn.RISK) == header.visualIndex(ClientColumn.STATUS) + 1
    assert page.model.headerData(ClientColumn.RISK, Qt.Orientation.Horizontal) == "Risk"
    x = header.sectionViewportPosition(ClientColumn.RISK) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    _settled(qtbot, page)
    assert page.model.query.sort == ClientColumn.RISK
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert descending and page.model.query.descending  # the highest risk first
    order = sorted(scores, key=lambda c: (scores[c], c), reverse=descending)
    want = [names[c] for c in order] + ["dan"]  # no score: last either way
    shown = [n.split()[0].lower() for n in _names(page)]
    assert shown == want
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    _settled(qtbot, page)
    order = sorted(scores, key=lambda c: (scores[c], c), reverse=not descending)
    assert [n.split()[0].lower() for n in _names(page)] == [names[c] for c in order] + ["dan"]
    m = page.model
    row = {m.client_id(r): r for r in range(m.rowCount())}
    anna = m.data(m.index(row[shop["anna"]], ClientColumn.RISK))
    assert anna == f"{round(scores[shop['anna']] * 100)} %"
    assert m.data(m.index(row[shop["dan"]], ClientColumn.RISK)) == ""  # never bought
    # the filter: each level shows exactly its clients
    for level, lo, hi in (("high", 0.75, 2.0), ("medium", 0.5, 0.75), ("low", -1, 0.5)):
        page.risk_filter.setCurrentIndex(page.risk_filter.findData(level))
        _settled(qtbot, page)
        want = {c for c, v in scores.items() if lo <= v < hi}
        assert {m.client_id(r) for r in range(m.rowCount())} == want, level
    page.risk_filter.setCurrentIndex(0)
    _settled(qtbot, page)
    assert m.rowCount() == 4


def _card_risk_text(qtbot, ops, cid: int) -> str:
    card = open_client_card(None, ops, cid)  # deletes itself on close
    text = card.risk_label.text()
    card.close()
    return text


def test_the_card_says_the_risk_in_english_and_polish(qtbot, qapp, ops, db, shop, qm_dir):
    score = _scores(db)[shop["anna"]]
    level = "high" if score >= 0.75 else "medium" if score >= 0.5 else "low"
    try:
        install_translations(qapp, "en_US", qm_dir)  # the English plurals
        money = fmt_money(Decimal("500"), "PLN", QLocale())
        text = _card_risk_text(qtbot, ops, shop["anna"])
        assert text == (f"Risk {round(score * 100)} %: usual gap 35 days, 80 days since the "
                        f"last purchase (2.3×), 12-month value {money}: {level} risk")
        dan = open_client_card(None, ops, shop["dan"])
        assert not dan.risk_label.isVisibleTo(dan)  # never bought: nothing to say
        dan.close()
        install_translations(qapp, "pl", qm_dir)
        text = _card_risk_text(qtbot, ops, shop["anna"])
        word = {"high": "wysokie", "medium": "średnie", "low": "niskie"}[level]
        money = fmt_money(Decimal("500"), "PLN", QLocale())
        assert money == "500,00\xa0zł"
        assert text == (f"Ryzyko {round(score * 100)}%: zwykła przerwa 35 dni, od ostatniego "
                        f"zakupu 80 dni (2,3×), wartość z 12 miesięcy {money}: {word} ryzyko")
    finally:
        install_translations(qapp, "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))


def test_a_card_without_a_score_says_the_gap_rule_decides(qtbot, ops, db, make_client):
    cid = make_client("Ewa", purchases=[(TODAY - timedelta(days=3), "10")])
    card = open_client_card(None, ops, cid)
    assert card.risk_label.isVisibleTo(card)
    assert card.risk_label.text().startswith("No risk score yet")
    card.close()


def _win_back(db, cids) -> None:
    with db.session() as s:
        for cid in cids:
            s.add(Task(client_id=cid, kind=TaskKind.WIN_BACK, due_on=TODAY, priority=45,
                       status=TaskStatus.OPEN, rule="rule.win_back",
                       source_kind="client", source_id=cid,
                       source_key=f"win_back:client:{cid}:test"))


def test_today_orders_win_back_calls_by_risk_times_value(qtbot, ops, db, shop):
    _win_back(db, [shop["anna"], shop["bob"], shop["cara"]])
    scores = _scores(db)
    with db.sessions() as s:
        value = {c.id: float(c.value_12m) for c in s.scalars(select(Client))
                 if c.id in scores}
    assert value == {shop["anna"]: 500, shop["bob"]: 10000, shop["cara"]: 2700}
    want = sorted(value, key=lambda c: -scores[c] * value[c])
    assert want != sorted(value, key=lambda c: -scores[c])  # the value counts too
    with db.sessions() as s:
        rows = [r for r in calls.today_queue(s, TODAY) if TaskKind.WIN_BACK in r.kinds]
    assert [r.client_id for r in rows] == [c for c in want]
    assert [r.client_id for r in rows] != sorted(value)  # not by name any more
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 3)
    m = page.model
    assert [r.client_id for r in m.rows] == want
    anna = next(i for i, r in enumerate(m.rows) if r.client_id == shop["anna"])
    purpose = m.data(m.index(anna, QueueColumn.PURPOSE))
    # 80 days since, a 35-day gap (the source texts: no translator in these tests)
    assert "45 day(s) past the usual gap" in purpose
    before = m.data(m.index(anna, QueueColumn.BEFORE))
    assert "usual gap 35 day(s), 80 day(s) since the last purchase (2.3×)" in before
    bob = next(i for i, r in enumerate(m.rows) if r.client_id == shop["bob"])
    assert "not past the usual gap yet" in m.data(m.index(bob, QueueColumn.PURPOSE))


def test_the_risk_settings_are_typed_and_saved(qtbot, ops, db):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(SettingsTab.RULES)
    rules = page.rules
    threshold = rules.editors["risk.threshold_percent"]
    horizon = rules.editors["risk.horizon_days"]
    assert threshold.value() == 60 and horizon.value() == 90 and threshold.suffix() == " %"
    for spin, typed in ((threshold, "55"), (horizon, "120")):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, typed)
    assert rules.save()
    assert ops.wait()
    with db.sessions() as s:
        assert settings_service.get(s, "risk.threshold_percent") == 55
        assert settings_service.get(s, "risk.horizon_days") == 120
    # a value the setting refuses is said beside its field and nothing is saved
    threshold.setRange(0, 200)
    threshold.setValue(100)
    assert not rules.save()
    assert rules.errors["risk.threshold_percent"].isVisible()
    with db.sessions() as s:
        assert settings_service.get(s, "risk.threshold_percent") == 55


def test_the_background_refresh_keeps_the_scores(qtbot, ops, db, make_client):
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=40 + 30 * k), "10")
                                         for k in range(3)])
    refresher = RiskRefresher(ops)
    lines: list[str] = []
    refresher.progressed.connect(lines.append)
    with qtbot.waitSignal(refresher.finished, timeout=60_000) as got:
        assert refresher.refresh(TODAY)
    run = got.args[0]
    assert run is not None and run.as_of == TODAY and run.clients == 1
    assert cid in _scores(db)
    assert lines[0].startswith("Risk scores") and lines[-1] == ""
    # the same day again: nothing due, nothing recomputed
    with qtbot.waitSignal(refresher.finished, timeout=60_000) as again:
        assert refresher.refresh(TODAY, only_if_due=True)
    assert again.args[0] is None


def test_a_stopped_refresh_keeps_nothing(qtbot, ops, db, make_client):
    make_client("Anna", purchases=[(TODAY - timedelta(days=40), "10")])
    refresher = RiskRefresher(ops)
    with qtbot.waitSignal(refresher.finished, timeout=60_000) as got:
        assert refresher.refresh(TODAY)
        refresher.cancel()
    assert got.args[0] is None
    assert refresher.wait()
    assert _scores(db) == {}
    assert not refresher.refresh(TODAY)  # stopped for good (the window is closing)


def test_the_history_is_read_beside_the_executor_not_on_it(qtbot, ops, db, make_client,
                                                            monkeypatch):
    """At a million clients the read is half a minute: it runs on the refresher's own
    thread and Session, so the window's writes go on meanwhile; only the write of the
    scores takes the executor."""
    import threading
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=40 + 30 * k), "10")
                                         for k in range(3)])
    reading, go_on = threading.Event(), threading.Event()
    real = risk_store.read_history
    threads: list[str] = []

    def slow_read(s, day, progress):
        threads.append(threading.current_thread().name)
        reading.set()
        assert go_on.wait(10)
        return real(s, day, progress)

    monkeypatch.setattr(risk_store, "read_history", slow_read)
    refresher = RiskRefresher(ops)
    with qtbot.waitSignal(refresher.finished, timeout=60_000) as got:
        assert refresher.refresh(TODAY)
        assert reading.wait(10)
        assert not ops.executor.busy  # the executor is free while the history is read
        # and a write on it meanwhile is done before the read ends
        with qtbot.waitSignal(ops.executor.idle, timeout=10_000):
            ops.submit(None, lambda s, job: settings_service.put(s, "risk.horizon_days", 90),
                       label="a write meanwhile")
        go_on.set()
    assert threads == ["clientcare-risk"]
    assert got.args[0] is not None and cid in _scores(db)


def test_a_large_file_is_scored_in_a_child_process(qtbot, ops, db, make_client,
                                                   monkeypatch):
    """The window's refresh of a file over the size: the child computes, the window
    keeps the scores and says how far it got."""
    from app.services import risk_worker
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=40 + 30 * k), "10")
                                         for k in range(3)])
    monkeypatch.setattr(risk_worker, "CHILD_FROM_BYTES", 0)
    called: list[bool] = []
    real = risk_worker.score_in_child

    def spy(*args):
        called.append(True)
        return real(*args)

    monkeypatch.setattr(risk_worker, "score_in_child", spy)
    refresher = RiskRefresher(ops)
    lines: list[str] = []
    refresher.progressed.connect(lines.append)
    with qtbot.waitSignal(refresher.finished, timeout=60_000) as got:
        assert refresher.refresh(TODAY)
    assert called and got.args[0] is not None and got.args[0].clients == 1
    assert cid in _scores(db)
    assert any(line.startswith("Risk scores: computing (step") for line in lines)
    assert lines[-1] == ""
