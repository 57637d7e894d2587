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


# the counts every plural form is tried with: one, few, many, and 21 (one in ru, many in
# pl, plural in bg)
COUNTS = (1, 2, 5, 21)

#: (context, source, {language: the words each count of COUNTS must give})
PLURAL_SENTENCES = [
    ("ChartsView", "%1 of the %Ln client(s) who bought this month had bought before", {
        "ru": ("из 1 клиента, купившего", "из 2 клиентов, купивших", "из 5 клиентов",
               "из 21 клиента, купившего"),
        "pl": ("z 1 klienta, który kupił", "z 2 klientów, którzy", "z 5 klientów",
               "z 21 klientów"),
        "bg": ("от 1 клиент, купил", "от 2 клиенти, купили", "от 5 клиенти", "от 21 клиенти"),
        "en_US": ("of the 1 client who", "of the 2 clients", "of the 5 clients",
                  "of the 21 clients")}),
    ("SegmentReviewPage", "No review is recorded yet. Record the groups of all %Ln client(s) "
     "as the starting point; at the next review this list shows who moved between A, B and "
     "C, and asks why.", {
        "ru": ("всех 1 клиента", "всех 2 клиентов", "всех 5 клиентов", "всех 21 клиента"),
        "pl": ("grupę 1 klienta", "wszystkich 2 klientów", "wszystkich 5 klientów",
               "wszystkich 21 klientów"),
        "bg": ("групата на 1 клиент", "всички 2 клиенти", "всички 5 клиенти",
               "всички 21 клиенти"),
        "en_US": ("your 1 client", "all 2 clients", "all 5 clients", "all 21 clients")}),
    ("SegmentReviewPage", "Recorded the groups of %Ln client(s) for %1.", {
        "ru": ("группы 1 клиента", "группы 2 клиентов", "группы 5 клиентов",
               "группы 21 клиента"),
        "pl": ("grupę 1 klienta", "grupy 2 klientów", "grupy 5 klientów", "grupy 21 klientów"),
        "bg": ("групата на 1 клиент", "групите на 2 клиенти", "групите на 5 клиенти",
               "групите на 21 клиенти"),
        "en_US": ("group of 1 client", "groups of 2 clients", "groups of 5 clients",
                  "groups of 21 clients")}),
]


@pytest.mark.parametrize("language", ["ru", "pl", "bg", "en_US"])
@pytest.mark.parametrize("context, source, expected", PLURAL_SENTENCES,
                         ids=[c for c, _s, _e in PLURAL_SENTENCES])
def test_counted_clients_take_the_plural_form_of_their_count(qapp, language, context,
                                                              source, expected):
    from PySide6.QtCore import QCoreApplication
    install_translations(qapp, language)
    for n, words in zip(COUNTS, expected[language], strict=True):
        text = QCoreApplication.translate(context, source, "", n)
        assert words in text, (n, text)
        assert "%" not in text.replace("%1", "")  # the count was put in


def _months_ago(today, months: int):
    from datetime import date
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(y, m + 1, min(today.day, 28))


@pytest.mark.parametrize("language, months, years", [
    ("ru", ("(1 месяц)", "(2 месяца)", "(5 месяцев)", "(21 месяц)"),
     ("(2 года)", "(5 лет)", "(21 год)")),
    ("pl", ("(1 miesiąc)", "(2 miesiące)", "(5 miesięcy)", "(21 miesięcy)"),
     ("(2 lata)", "(5 lat)", "(21 lat)")),
    ("bg", ("(1 месец)", "(2 месеца)", "(5 месеца)", "(21 месеца)"),
     ("(2 години)", "(5 години)", "(21 години)")),
    ("en_US", ("(1 month)", "(2 months)", "(5 months)", "(21 months)"),
     ("(2 years)", "(5 years)", "(21 years)"))])
def test_the_complaints_client_since_counts_months_then_years_in_their_plural(
        qtbot, ops, make_client, language, months, years):
    """Under two years in months, from then in whole years: never "1,1 года"."""
    from datetime import date
    install_translations(QApplication.instance(), language)
    dlg = open_complaint_dialog(None, ops, client_id=make_client("Anna"))
    qtbot.addWidget(dlg)
    today = date(2026, 11, 23)
    for n, words in zip(COUNTS, months, strict=True):
        assert dlg._client_since(_months_ago(today, n), today).endswith(words)
    for n, words in zip((2, 5, 21), years, strict=True):
        assert dlg._client_since(_months_ago(today, 12 * n), today).endswith(words)
    assert "(" not in dlg._client_since(today, today)  # this month: the date alone


@pytest.mark.parametrize("language, rows, events", [
    ("ru", ("из 1 строки", "из 2 строк", "из 5 строк", "из 21 строки"),
     ("из 1 события", "из 2 событий", "из 5 событий", "из 21 события")),
    ("pl", ("z 1 wiersza", "z 2 wierszy", "z 5 wierszy", "z 21 wierszy"),
     ("z 1 wydarzenia", "z 2 wydarzeń", "z 5 wydarzeń", "z 21 wydarzeń")),
    ("bg", ("от 1 ред", "от 2 реда", "от 5 реда", "от 21 реда"),
     ("от 1 събитие", "от 2 събития", "от 5 събития", "от 21 събития")),
    ("en_US", ("of 1 row written", "of 2 rows written", "of 5 rows written",
               "of 21 rows written"),
     ("of 1 event", "of 2 events", "of 5 events", "of 21 events"))])
def test_progress_counts_the_rows_and_events_in_the_plural_of_the_total(qapp, language,
                                                                       rows, events):
    from app.services.io import export, ics, importer
    from app.ui.worded_progress import standard_words
    install_translations(qapp, language)
    words = standard_words()
    for n, row_words, event_words in zip(COUNTS, rows, events, strict=True):
        assert f"{row_words}…" in words[importer.STAGE_ROWS](1, n)
        assert f"{row_words}…" in words[export.STAGE_ROWS](1, n)
        assert f"{event_words}…" in words[ics.STAGE_EVENTS](1, n)
    assert words[importer.STAGE_ROWS](3, None).count("3") == 2  # the total not known yet


@pytest.mark.parametrize("language, expected", [
    ("ru", ("Из 1 клиента, покупавшего", "Из 2 клиентов", "Из 5 клиентов",
            "Из 21 клиента, покупавшего")),
    ("pl", ("Spośród 1 klienta, który", "Spośród 2 klientów", "Spośród 5 klientów",
            "Spośród 21 klientów")),
    ("bg", ("От 1 клиент,", "От 2 клиенти", "От 5 клиенти", "От 21 клиенти")),
    ("en_US", ("Of the 1 client who", "Of the 2 clients", "Of the 5 clients",
               "Of the 21 clients"))])
def test_the_risk_checks_clients_take_their_plural(qapp, language, expected):
    from datetime import date
    from types import SimpleNamespace

    from PySide6.QtCore import QLocale

    from app.ui.charts_page import risk_check_text
    install_translations(qapp, language)
    days = {"ru": "90 дней", "pl": "90 dni", "bg": "90 дни", "en_US": "90 days"}[language]
    for n, words in zip(COUNTS, expected, strict=True):
        bt = SimpleNamespace(clients=n, cut=date(2026, 7, 1), lost=1, horizon=90,
                             flag_recall=0.5, flag_precision=0.5, auc_score=0.7,
                             auc_days_since=0.6, auc_flag=0.6, threshold=None,
                             choice=SimpleNamespace(reason=None))
        first = risk_check_text(bt, QLocale()).splitlines()[0]
        assert first.startswith(words) and days in first and "%" not in first, first


@pytest.mark.parametrize("language, expected", [
    ("ru", "4 кв. 2026"), ("pl", "4 kw. 2026"), ("bg", "4 трим. 2026"),
    ("en_US", "Q4 2026")])
def test_the_review_names_its_quarter_as_the_charts_do(qapp, language, expected):
    """"2026Q4" is the stored code; the user reads the quarter in the language."""
    from app.ui.segment_review import quarter_text
    install_translations(qapp, language)
    assert quarter_text("2026Q4") == expected
    assert quarter_text("soon") == "soon"
