"""The Charts page's custom from/to range (typed key by key, checked beside the fields,
in English and in Polish) and the risk-check panel ("how well does at-risk predict, on
your own data")."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt

from app.ui.app import install_translations
from app.ui.charts_page import ChartsPage, RiskCheckPanel
from tests.ui.keys import type_keys
from tests.ui.test_charts_page import TODAY, _axes, _page, _settled
from tests.ui.test_charts_page import _keep as _keep  # noqa: F401 - the same fixture
from tests.ui.test_charts_page import shop as shop  # noqa: F401 - the same shop


def _type_date(qtbot, entry, text: str) -> None:
    entry.line.selectAll()
    qtbot.keyClick(entry.line, Qt.Key.Key_Delete)
    type_keys(qtbot, entry.line, text)
    qtbot.keyClick(entry.line, Qt.Key.Key_Tab)


@pytest.fixture
def polish(qapp):
    install_translations(qapp, "pl_PL")
    yield
    install_translations(qapp, "en_US")
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def _custom(qtbot, page: ChartsPage) -> None:
    view = page.view
    view.range.setCurrentIndex(view.range.findData("custom"))
    assert view.custom_box.isVisible()
    _settled(qtbot, page)


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_custom_range_typed_key_by_key(qtbot, ops, db, shop, _keep, lang, request):  # noqa: F811
    if lang == "pl":
        request.getfixturevalue("polish")
    page = _page(qtbot, ops, _keep)
    view = page.view
    _custom(qtbot, page)
    first, last = ("3/1/2026", "6/30/2026") if lang == "en" else ("1.03.2026", "30.06.2026")
    _type_date(qtbot, view.custom_from, first)
    _type_date(qtbot, view.custom_to, last)
    _settled(qtbot, page)
    assert (view.report.start, view.report.end) == (date(2026, 3, 1), date(2026, 6, 30))
    assert [r.period for r in view.report.repeat_share] == [202603, 202604, 202605, 202606]
    # every chart follows the range
    line = _axes(view.charts["repeat_share"]).get_lines()[0]
    assert len(line.get_xdata()) == 4
    assert [c.cohort for c in view.report.second_purchase] == [202603, 202604, 202605, 202606]
    assert view.custom_error.text() == ""

    # from after to: refused beside the fields, the charts keep the last good range
    _type_date(qtbot, view.custom_from, "7/1/2026" if lang == "en" else "1.07.2026")
    want = {"en": "The start must be on or before the end.",
            "pl": "Początek musi przypadać nie później niż koniec."}[lang]
    assert view.custom_error.text() == want
    assert view.report.start == date(2026, 3, 1)
    # an end after today
    _type_date(qtbot, view.custom_from, first)
    _type_date(qtbot, view.custom_to, "12/31/2026" if lang == "en" else "31.12.2026")
    want = {"en": "The end cannot be after today", "pl": "Koniec nie może być po dzisiejszym"}
    assert view.custom_error.text().startswith(want[lang])
    # a date that cannot be read: the field's own message
    _type_date(qtbot, view.custom_to, "31.02.2026" if lang == "pl" else "2/31/2026")
    assert view.custom_to.error.text()
    # fixed: the range is used again
    _type_date(qtbot, view.custom_to, "4/30/2026" if lang == "en" else "30.04.2026")
    _settled(qtbot, page)
    assert (view.report.start, view.report.end) == (date(2026, 3, 1), date(2026, 4, 30))
    assert view.custom_error.text() == "" and not view.custom_to.error.text()


def test_risk_check_panel_says_how_well_at_risk_predicts(qtbot, ops, db, shop, _keep):  # noqa: F811
    panel = RiskCheckPanel(ops, today=TODAY)
    qtbot.addWidget(panel)
    panel.show()
    _type_date(qtbot, panel.cut, "7/1/2026")
    panel.horizon.selectAll()
    type_keys(qtbot, panel.horizon.lineEdit(), "90")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run_button.isEnabled() and panel.result is not None,
                    timeout=60000)
    bt = panel.result
    # by Jul 1 Anna (monthly) and Bartek (Jun 1) had bought; Bartek bought nothing
    # until Nov 2, more than 90 days after
    assert (bt.cut, bt.horizon, bt.clients, bt.lost) == (date(2026, 7, 1), 90, 2, 1)
    text = panel.answer.text()
    assert "Of the 2 client(s) who had bought by 7/1/2026, 1 bought nothing in the 90 day(s) after" in text
    assert "The flag is a risk score of 60 % or more (Settings, Rules)." in text
    assert "(recall)" in text and "AUC" in text
    assert panel.error.text() == ""

    # too little history after the cut: said, in words, beside the fields
    _type_date(qtbot, panel.cut, "11/1/2026")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run_button.isEnabled() and bool(panel.error.text()),
                    timeout=60000)
    assert panel.error.text().startswith("The purchases known end on")
    assert panel.result is None


def test_risk_check_panel_in_polish(qtbot, ops, db, shop, polish):  # noqa: F811
    panel = RiskCheckPanel(ops, today=TODAY)
    qtbot.addWidget(panel)
    panel.show()
    _type_date(qtbot, panel.cut, "1.11.2026")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run_button.isEnabled() and bool(panel.error.text()),
                    timeout=60000)
    assert "1.11.2026" in panel.error.text() or "2026-11-01" in panel.error.text()
    assert not panel.error.text().startswith("The purchases")  # translated
    _type_date(qtbot, panel.cut, "1.07.2026")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run_button.isEnabled() and panel.result is not None,
                    timeout=60000)
    assert panel.answer.text().startswith("Spośród 2 klientów")


def test_the_page_marks_this_month_and_the_day_of_the_groups(qtbot, ops, db, shop, _keep):  # noqa: F811
    from app.services.clients import refresh_values

    with db.session() as s:
        refresh_values(s, TODAY, full=True)  # the groups of TODAY, their day recorded
    page = _page(qtbot, ops, _keep)
    view = page.view
    assert view.report.partial_period == 202611  # November runs to the 30th
    ax = _axes(view.charts["repeat_share"])
    assert [p.get_label() for p in ax.patches] == ["Incomplete: up to 11/23/2026"]
    assert "Incomplete: up to 11/23/2026" in [t.get_text().replace("\n", " ")
                                            for t in ax.get_legend().get_texts()]
    seg = _axes(view.charts["segments"])
    assert "Groups computed on 11/23/2026" in [t.get_text().replace("\n", " ")
                                             for t in seg.texts]
    # Celina, Bartek and Anna all bought within 12 months: no band
    assert [g.segment for g in view.report.segments] == ["A", "B", "C"]
