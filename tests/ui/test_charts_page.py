"""The manager's Charts page and the quarterly A/B/C review, as a manager uses them."""

from __future__ import annotations

import csv
import subprocess
import sys
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import select

from app import charts
from app.errors import DomainError
from app.models import Client, Complaint, SegmentHistory
from app.models.enums import ComplaintStatus, Segment
from app.services import clients as client_service
from app.services import metrics
from app.services.clients import ClientData, PurchaseData
from app.ui import charts_page
from app.ui.charts_page import CHART_SIZE, ChartsPage, ChartsTab
from app.ui.segment_review import ReviewColumn

TODAY = date(2026, 11, 23)


@pytest.fixture
def shop(db, make_client):
    """Anna buys every month; Bartek twice; Celina once, this month."""
    anna = make_client("Anna", purchases=[(date(2026, m, 5), "100.00") for m in range(1, 12)])
    bartek = make_client("Bartek", purchases=[(date(2026, 6, 1), "40.00"),
                                              (date(2026, 11, 2), "60.00")])
    celina = make_client("Celina", purchases=[(TODAY, "25.00")])
    with db.session() as s:
        s.add(Complaint(client_id=bartek, opened_at=datetime(2026, 11, 20, 9), category="billing",
                        status=ComplaintStatus.OPEN))
        client_service.refresh_client_stats(s, None, today=TODAY)
    return anna, bartek, celina


@pytest.fixture
def _keep():
    """Pages stay referenced until qtbot has closed them: a page whose Python wrapper
    dies while shown is deleted under matplotlib's canvas (a crash in the test only)."""
    pages: list = []
    yield pages
    pages.clear()


def _page(qtbot, ops, keep) -> ChartsPage:
    page = ChartsPage(ops, today=TODAY)
    keep.append(page)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.view is not None and not page.view.busy, timeout=20000)
    return page


def _axes(chart):
    """The Axes of a chart as drawn for its picture: the same function, series and
    labels (the page keeps the pixels, not the figure)."""
    return charts.chart_figure(chart.name, chart.series, chart.labels, CHART_SIZE).axes[0]


def _pixels(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return bytes(image.constBits())[:image.sizeInBytes()]


def _settled(qtbot, page) -> None:
    """The change reached the page (its gate ran) and the charts are drawn again."""
    qtbot.waitUntil(lambda: not page.gate.stale and not page.view.busy, timeout=20000)


def test_dashboard_and_charts_show_the_numbers(qtbot, ops, db, shop, _keep):
    page = _page(qtbot, ops, _keep)
    view = page.view
    assert view is not None and view.report is not None
    # November: Anna 100 (returning), Bartek 60 (returning), Celina 25 (new) -> 160 / 185
    assert view.tiles["repeat"].text() == "86 %"
    assert view.tiles["returning"].text() == "67 %"  # 2 of 3 buyers had bought before
    assert view.tiles["returning"].toolTip() == (
        "2 of the 3 client(s) who bought this month had bought before")
    assert view.tiles["new"].text() == "1"
    assert view.tiles["complaints"].text() == "1"
    line = _axes(view.charts["repeat_share"]).get_lines()[0]
    assert len(line.get_xdata()) == 12  # the last 12 months by default
    assert line.get_ydata()[-1] == pytest.approx(160 / 185 * 100)


def test_changing_the_period_redraws(qtbot, ops, db, shop, _keep):
    page = _page(qtbot, ops, _keep)
    view = page.view
    view.by.setCurrentIndex(view.by.findData(metrics.By.QUARTER))
    _settled(qtbot, page)
    line = _axes(view.charts["repeat_share"]).get_lines()[0]
    assert len(line.get_xdata()) == 5  # Q4 2025 .. Q4 2026
    assert [r.period for r in view.report.repeat_share] == [20254, 20261, 20262, 20263, 20264]
    view.range.setCurrentIndex(view.range.findData("this_year"))
    _settled(qtbot, page)
    assert [r.period for r in view.report.repeat_share] == [20261, 20262, 20263, 20264]
    assert view.range_label.text().startswith("1/1/2026")  # the year in full


def test_exports_write_a_picture_a_document_and_the_numbers(qtbot, ops, db, shop, tmp_path, _keep):
    page = _page(qtbot, ops, _keep)
    chart = page.view.charts["repeat_share"]
    chart.export("png", tmp_path / "share.png")
    chart.export("pdf", tmp_path / "share.pdf")
    chart.export("csv", tmp_path / "share.csv")
    assert (tmp_path / "share.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "share.pdf").read_bytes()[:4] == b"%PDF"
    with open(tmp_path / "share.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))  # the separator of every export
    series = page.view.report.repeat_share
    body = {int(r[0]): r for r in rows[1:]}
    assert len(body) == len(series)
    for s in series:
        r = dict(zip(rows[0], body[s.period], strict=True))
        assert int(r["purchases"]) == s.purchases
        assert Decimal(r["revenue"]) == s.revenue
        assert Decimal(r["returning_revenue"]) == s.returning_revenue


def test_an_export_to_a_missing_folder_says_so(qtbot, ops, db, shop, tmp_path, _keep):
    page = _page(qtbot, ops, _keep)
    with pytest.raises(DomainError) as info:
        page.view.charts["segments"].export("csv", tmp_path / "no" / "such" / "x.csv")
    assert info.value.code == "file.write"


def test_a_change_elsewhere_redraws_when_visible(qtbot, ops, db, shop, _keep):
    page = _page(qtbot, ops, _keep)
    before = page.view.report.dashboard.new_clients
    data = ClientData(name="Dawid", purchases=[PurchaseData(purchased_on=TODAY,
                                                            amount=Decimal("10.00"))])
    ops.run(None, lambda s: client_service.save_client(s, data, region="PL"))
    _settled(qtbot, page)
    assert page.view.report.dashboard.new_clients == before + 1
    assert page.view.tiles["new"].text() == str(before + 1)


def test_matplotlib_waits_for_the_charts_page_and_comes_in_off_the_gui_thread():
    """Start-up stays fast: building the main window does not import matplotlib; the
    first visit to Charts imports it on the database executor, not the GUI thread."""
    code = ("import sys, os, threading\n"
            "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "seen = []\n"
            "class Spy:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'matplotlib.figure':\n"
            "            seen.append(threading.current_thread().name)\n"
            "        return None\n"
            "sys.meta_path.insert(0, Spy())\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from app.db import open_database\n"
            "import tempfile, pathlib\n"
            "db = open_database(pathlib.Path(tempfile.mkdtemp()) / 'x.sqlite')\n"
            "from app.ui.ops import Ops\n"
            "from app.ui.main_window import MainWindow, Page\n"
            "ops = Ops(db)\n"
            "w = MainWindow(ops)\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start-up'\n"
            "w.nav.setCurrentRow(Page.CHARTS); w.show(); app.processEvents()\n"
            "assert ops.wait()\n"
            "view = w.charts_page.view\n"
            "deadline = __import__('time').monotonic() + 60\n"
            "while view.busy and __import__('time').monotonic() < deadline:\n"
            "    app.processEvents()\n"
            "assert not view.busy and view.charts['repeat_share'].image is not None\n"
            "assert seen and seen[0].startswith('clientcare-db'), seen\n"
            "ops.executor.shutdown()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_quarterly_review_asks_why_clients_moved(qtbot, ops, db, shop, _keep):
    anna, bartek, celina = shop
    page = _page(qtbot, ops, _keep)
    page.tabs.setCurrentIndex(ChartsTab.REVIEW)
    review = page.review
    assert "No review is recorded yet" in review.intro.text()
    review._today = date(2026, 9, 30)  # the Q3 review sets the starting point
    review.reload()
    review.record()
    with db.sessions() as s:
        assert s.scalar(select(SegmentHistory.quarter).distinct()) == "2026Q3"
    with db.session() as s:  # the owner moves Celina up and Anna down
        s.get(Client, celina).segment_override = Segment.A
        s.get(Client, celina).segment_override_reason = "Opens a second shop with us"
        s.get(Client, anna).segment_override = Segment.C
        s.get(Client, anna).segment_override_reason = "Pays late"
    review._today = TODAY
    review.reload()
    names = {review.table.item(r, ReviewColumn.CLIENT).text(): r
             for r in range(review.table.rowCount())}
    assert set(names) == {"Anna", "Celina"}
    row = names["Anna"]
    assert (review.table.item(row, ReviewColumn.WAS).text(),
            review.table.item(row, ReviewColumn.NOW).text()) == ("A", "C")
    review.record()  # no reasons yet: refused, nothing recorded for Q4
    assert review.error.isVisible() and "Choose why the client moved" in review.error.text()
    with db.sessions() as s:
        assert s.scalar(select(SegmentHistory).where(SegmentHistory.quarter == "2026Q4")) is None
    combo, details = review.reasons[anna]
    combo.setCurrentIndex(combo.findData("competitor_prices"))
    combo, details = review.reasons[celina]
    combo.setCurrentIndex(combo.findData("other"))
    details.setText("New branch opening")
    review.record()
    assert not review.error.isVisible()
    assert "Recorded the groups of 3 client(s) for Q4 2026" in review.status.text()
    assert review.title.text() == "<h3>Quarterly A/B/C review: Q4 2026</h3>"
    with db.sessions() as s:
        rows = {h.client_id: h for h in s.scalars(
            select(SegmentHistory).where(SegmentHistory.quarter == "2026Q4"))}
    assert rows[anna].previous == Segment.A and rows[anna].segment == Segment.C
    assert rows[anna].reason_kind == "competitor_prices"
    assert rows[celina].reason == "New branch opening"
    assert rows[bartek].reason_kind is None


def test_the_last_period_asked_for_wins(qtbot, ops, db, shop, _keep):
    page = _page(qtbot, ops, _keep)
    view = page.view
    view.by.setCurrentIndex(view.by.findData(metrics.By.QUARTER))
    view.by.setCurrentIndex(view.by.findData(metrics.By.MONTH))  # before the first is done
    _settled(qtbot, page)
    qtbot.wait(200)  # a late, older report must not replace the newer one
    assert len(view.report.repeat_share) == 12
    assert view.status.text() == ""


def test_the_chart_save_dialog_starts_in_documents_and_writes_the_export_csv(
        qtbot, ops, db, shop, tmp_path, _keep, monkeypatch):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QSettings().clear()
    page = _page(qtbot, ops, _keep)
    asked = []
    target = tmp_path / "share"  # no suffix typed: .csv is added

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page.view.charts["repeat_share"]._ask_export("csv")
    assert ops.wait()  # written on the executor
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(asked[0]).parent == Path(docs)
    raw = (tmp_path / "share.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    page.view.charts["repeat_share"]._ask_export("png")
    assert Path(asked[1]).parent == tmp_path  # the folder used last time
    assert ops.wait()
    assert (tmp_path / "share.png").read_bytes()[:4] == b"\x89PNG"
    QSettings().clear()


def test_a_chart_export_that_fails_says_so_over_the_chart(qtbot, ops, db, shop, tmp_path,
                                                          _keep, monkeypatch):
    page = _page(qtbot, ops, _keep)
    chart = page.view.charts["segments"]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (
        str(tmp_path / "no" / "such" / "x.pdf"), ""))
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(
        (parent, text)))
    chart._ask_export("pdf")
    assert ops.wait()
    assert len(said) == 1 and said[0][0] is chart and "x.pdf" in said[0][1]


def test_the_report_and_every_chart_are_made_off_the_gui_thread_and_shown_as_drawn(
        qtbot, ops, db, shop, _keep, monkeypatch):
    """Nothing of matplotlib runs on the GUI thread: the report, then each chart drawn and
    rendered by Agg on the executor, one job each; the page shows exactly Agg's pixels
    (the Qt canvas showed the same), each chart once."""
    threads = []
    real = charts_page.metrics.report

    def spy(*a, **k):
        threads.append(threading.current_thread().name)
        return real(*a, **k)

    monkeypatch.setattr(charts_page.metrics, "report", spy)
    renders: list[tuple[str, str]] = []  # (chart, thread) of every render, whoever asks
    real_render = charts.render_chart
    monkeypatch.setattr(charts, "render_chart", lambda name, *a, **k: (
        renders.append((name, threading.current_thread().name)),
        real_render(name, *a, **k))[1])
    jobs = []
    ops.executor.job_started.connect(lambda job: jobs.append(job.label))
    page = ChartsPage(ops, today=TODAY)
    _keep.append(page)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.view is not None and page.view.busy, timeout=20000)
    qtbot.waitUntil(lambda: not page.view.busy, timeout=20000)
    assert threads and threads[0].startswith("clientcare-db")
    names = list(page.view.charts)
    assert [name for name, _ in renders] == names  # in the page's order, each once
    assert all(thread.startswith("clientcare-db") for _, thread in renders)
    assert jobs.count("Drawing the charts…") == 12  # one job each: other work can go between
    qtbot.wait(100)  # the paints after the last one
    assert len(renders) == 12
    for name, chart in page.view.charts.items():
        assert chart.image is not None and chart.export_button.isEnabled()
        scale = chart.image.devicePixelRatio()
        alone = real_render(name, chart.series, chart.labels, CHART_SIZE, scale)
        assert (chart.image.width(), chart.image.height()) == (alone.width, alone.height)
        assert _pixels(chart.image) == alone.rgba, name
    grabbed = page.view.charts["cohorts"].picture.grab().toImage()
    assert _pixels(grabbed) == _pixels(page.view.charts["cohorts"].image)  # as painted


def test_a_newer_report_skips_the_pictures_of_the_older_one(qtbot, ops, db, shop, _keep,
                                                            monkeypatch):
    page = _page(qtbot, ops, _keep)
    view = page.view
    renders: list[str] = []
    started, release = threading.Event(), threading.Event()
    real_render = charts.render_chart

    def render(name, *a, **k):
        renders.append(name)
        if len(renders) == 1:  # the first picture of the older report waits
            started.set()
            release.wait(10)
        return real_render(name, *a, **k)

    monkeypatch.setattr(charts, "render_chart", render)
    view.redraw()
    qtbot.waitUntil(started.is_set, timeout=20000)
    # a newer period: its report is queued behind the older report's other pictures
    view.by.setCurrentIndex(view.by.findData(metrics.By.QUARTER))
    release.set()
    _settled(qtbot, page)
    assert ops.wait()
    names = list(view.charts)
    assert renders == [names[0], *names]  # the older eleven were skipped, not rendered
    assert len(view.report.repeat_share) == 5  # quarters
    line = _axes(view.charts["repeat_share"]).get_lines()[0]
    assert len(line.get_xdata()) == 5


def test_a_hidden_charts_page_does_not_compute_on_a_change(qtbot, ops, db, shop, _keep,
                                                           monkeypatch):
    page = _page(qtbot, ops, _keep)
    calls = []
    real = charts_page.metrics.report
    monkeypatch.setattr(charts_page.metrics, "report",
                        lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    page.hide()
    data = ClientData(name="Dawid", purchases=[PurchaseData(purchased_on=TODAY,
                                                            amount=Decimal("10.00"))])
    ops.run(None, lambda s: client_service.save_client(s, data, region="PL"))
    ops.run(None, lambda s: client_service.save_client(s, ClientData(name="Ewa"), region="PL"))
    qtbot.wait(50)
    assert ops.wait()
    assert calls == [] and page.gate.stale  # marked stale, nothing computed
    page.show()
    _settled(qtbot, page)
    assert calls == [1]  # one report for both changes, when shown
    assert page.view.tiles["new"].text() == "2"


def test_the_review_tab_reads_nothing_until_it_is_first_shown(qtbot, ops, db, shop, _keep,
                                                              monkeypatch):
    """The review reads the database when built: not on the page's first visit (it was
    part of the Charts page's first stall), only when its tab is first shown."""
    from app.services import segments as segment_service
    from app.ui.segment_review import SegmentReviewPage
    reviews: list[bool] = []
    real = segment_service.review
    monkeypatch.setattr(segment_service, "review",
                        lambda s, today: reviews.append(True) or real(s, today))
    page = _page(qtbot, ops, _keep)
    assert reviews == [] and page._review is None
    assert page.tabs.count() == 2 and page.tabs.currentIndex() == ChartsTab.CHARTS
    title = page.tabs.tabText(ChartsTab.REVIEW)
    page.tabs.tabBar().setCurrentIndex(ChartsTab.REVIEW)  # as a click on the tab
    assert reviews == [True]  # read once, when first shown
    review = page.tabs.currentWidget()
    assert isinstance(review, SegmentReviewPage) and review is page.review
    assert page.tabs.currentIndex() == ChartsTab.REVIEW and review.isVisible()
    assert page.tabs.tabText(ChartsTab.REVIEW) == title and page.tabs.count() == 2
    assert "No review is recorded yet" in review.intro.text()
    page.tabs.setCurrentIndex(ChartsTab.CHARTS)
    page.tabs.setCurrentIndex(ChartsTab.REVIEW)
    assert reviews == [True] and page.review is review  # built once


def test_the_review_without_a_table_keeps_its_words_under_the_title(qtbot, ops, db, shop,
                                                                   _keep):
    page = _page(qtbot, ops, _keep)
    page.resize(1100, 650)
    page.tabs.setCurrentIndex(ChartsTab.REVIEW)
    review = page.review
    qtbot.waitUntil(lambda: "No review is recorded yet" in review.intro.text())
    QApplication.processEvents()
    assert not review.table.isVisible()
    for label in (review.title, review.intro):  # as tall as their words, no taller
        assert label.height() <= label.sizeHint().height() + 10
    assert review.intro.geometry().top() - review.title.geometry().bottom() < 20
    button = review.record_button.geometry()
    assert review.height() - button.bottom() < 30  # the button at the foot of the page
