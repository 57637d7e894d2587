"""The Charts page: a dashboard strip, one chart per topic of app/services/metrics.py with
its one-line definition, a period selector, and export of each chart to PNG, PDF and its
series to CSV. A second tab holds the quarterly A/B/C review.

Nothing heavy runs on the GUI thread:

- matplotlib is imported only when the charts are first shown (start-up stays fast), and
  then by a job on the database executor (:func:`warm_up_matplotlib`: the import and a
  first small render, about 0.7 s), never by the GUI thread;
- the numbers (:func:`app.services.metrics.report`, seconds at 100,000 clients) are
  computed on the executor with a read-only Session; a newer request wins;
- each of the twelve charts is drawn and rendered by matplotlib's Agg on the executor
  too, one job each (the heaviest takes ~130 ms, which on the GUI thread was a frozen
  window); the GUI thread only shows the pixels. The figures are not kept: an export
  (PNG, PDF) draws its own, on the executor as well; the page's pixels are exactly
  those of Agg, as the Qt canvas showed them;
- a hidden page does not compute: a change marks it stale (:class:`RefreshGate` with
  ``Concern.CHARTS``), and it computes when it is shown.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.errors import DomainError
from app.services import metrics
from app.services import settings as settings_service
from app.services.io.export import write_csv
from app.text import subst
from app.ui import labels as value_labels
from app.ui import risk_words
from app.ui.data_dialogs import ask_save_path
from app.ui.executor import Garbage, Job, keep_for_good
from app.ui.formatting import fmt_date, fmt_money
from app.ui.messages import error_text
from app.ui.ops import Changes, Concern, Ops
from app.ui.refresh import RefreshGate
from app.ui.segment_review import SegmentReviewPage
from app.ui.widgets import DateEntry, ErrorLabel, hint_label

C = QCoreApplication
log = logging.getLogger(__name__)
CHART_SIZE = (470, 300)  # two columns fit beside the navigation at 1280 x 720


def chart_titles() -> dict[str, str]:
    return {
        "repeat_share": C.translate("Charts", "Repeat-purchase share"),
        "returning_clients": C.translate("Charts", "New and returning clients"),
        "second_purchase": C.translate("Charts", "Second purchase within 90 days"),
        "cohorts": C.translate("Charts", "Cohort retention"),
        "channels": C.translate("Charts", "New clients by channel"),
        "segments": C.translate("Charts", "Clients and revenue by A/B/C group"),
        "call_outcomes": C.translate("Charts", "Call outcomes"),
        "decline_reasons": C.translate("Charts", "Why clients declined"),
        "contact_tone": C.translate("Charts", "Tone of contacts"),
        "complaints": C.translate("Charts", "Complaints by category"),
        "recovery": C.translate("Charts", "Repeat purchases after a complaint"),
        "time_value": C.translate("Charts", "Call time against client value"),
    }


def chart_definitions() -> dict[str, str]:
    """One line per chart saying exactly how its number is computed."""
    return {
        "repeat_share": C.translate(
            "Charts", "Purchases dated after the client's first purchase day, as a share "
            "of all purchases in the period, by revenue and by count."),
        "returning_clients": C.translate(
            "Charts", "Clients who bought in the period: returning if they made a purchase "
            "after their first purchase day, new otherwise."),
        "second_purchase": C.translate(
            "Charts", "Clients whose first purchase fell in the month and who bought again "
            "within 90 days. Hatched: 90 days not over yet."),
        "cohorts": C.translate(
            "Charts", "Of the clients who first bought in a month (rows), the share buying "
            "in each month after (columns)."),
        "channels": C.translate(
            "Charts", "Clients whose first purchase is in the period, by the channel they "
            "came from; referred = recommended by a client."),
        "segments": C.translate(
            "Charts", "Clients and their 12-month revenue per group (the owner's override "
            "counted); clients with no purchases in 12 months are a band of their own."),
        "call_outcomes": C.translate("Charts", "Outbound calls logged, by outcome."),
        "decline_reasons": C.translate("Charts", "Calls with the outcome \"declined\", by "
                                                 "the reason recorded."),
        "contact_tone": C.translate("Charts", "Contacts by the tone staff recorded."),
        "complaints": C.translate(
            "Charts", "Complaints opened in the period, kept or lost when closed; median "
            "hours from opening to resolution."),
        "recovery": C.translate(
            "Charts", "Share of clients buying again in the period: clients kept after a "
            "complaint against clients who never complained."),
        "time_value": C.translate(
            "Charts", "Minutes of logged calls in the period against each client's "
            "12-month revenue: who takes much time and brings little."),
    }


def report_labels(labels, report: metrics.Report, locale: QLocale):
    """The labels with this report's own marks: the incomplete last period (named with
    the day it runs to) and the day the A/B/C groups were computed."""
    partial = subst(C.translate("Charts", "Incomplete: up to %1"), fmt_date(report.end, locale))
    day = report.segments_on
    note = (subst(C.translate("Charts", "Groups computed on %1"), fmt_date(day, locale))
            if day else C.translate("Charts", "The day the groups were computed is not recorded"))
    return dataclasses.replace(labels, partial_period=report.partial_period, partial=partial,
                               segments_note=note)


def chart_labels(locale: QLocale, currency: str):
    """The charts' text in the user's language, numbers in the locale's format."""
    # lazy: start-up, matplotlib and numpy are slow to import
    from app.charts import Labels

    def number(x: float) -> str:
        x = float(x)
        return locale.toString(x, "f", 0 if x.is_integer() else 1)

    def percent(x: float) -> str:
        return subst(C.translate("Charts", "%1 %"), locale.toString(x * 100, "f", 0))

    def period(key: int) -> str:
        key = int(key)
        if key >= 100000:
            # a month standing alone, in the nominative ("янв. 2026", not "янв. 26")
            return f"{locale.standaloneMonthName(key % 100, QLocale.FormatType.ShortFormat)} " \
                   f"{key // 100}"
        return subst(C.translate("Charts", "Q%1 %2"), key % 10, key // 10)

    def median(hours: float | None) -> str:
        if hours is None:
            return C.translate("Charts", "Median resolution: —")
        return subst(C.translate("Charts", "Median resolution: %1 h"),
                     locale.toString(hours, "f", 1))

    groups = {"recovered": C.translate("Charts", "Kept after a complaint"),
              "never_complained": C.translate("Charts", "Never complained")}
    return Labels(
        titles=chart_titles(), no_data=C.translate("Charts", "No data for this period"),
        period=C.translate("Charts", "Period"),
        cohort=C.translate("Charts", "First-purchase month"),
        months_since=C.translate("Charts", "Months since the first purchase"),
        share=C.translate("Charts", "Share"),
        conversion=C.translate("Charts", "Bought again within 90 days"),
        retention=C.translate("Charts", "Clients buying"),
        repeat_rate=C.translate("Charts", "Clients who bought again"),
        clients=C.translate("Charts", "Clients"), calls=C.translate("Charts", "Calls"),
        contacts=C.translate("Charts", "Contacts"),
        complaints=C.translate("Charts", "Complaints"),
        minutes=C.translate("Charts", "Call minutes"),
        value_12m=C.translate("Charts", "12-month revenue"),
        by_revenue=C.translate("Charts", "By revenue"), by_count=C.translate("Charts", "By count"),
        new=C.translate("Charts", "New"), returning=C.translate("Charts", "Returning"),
        returning_rate=C.translate("Charts", "Returning rate"),
        complete=C.translate("Charts", "90 days over"),
        incomplete=C.translate("Charts", "Under 90 days (can still rise)"),
        new_clients=C.translate("Charts", "New clients"),
        referred=C.translate("Charts", "Referred by a client"),
        not_recorded=C.translate("Charts", "Not recorded"),
        share_of_clients=C.translate("Charts", "Share of clients"),
        share_of_revenue=C.translate("Charts", "Share of 12-month revenue"),
        kept=C.translate("Charts", "Kept"), lost=C.translate("Charts", "Lost"),
        other=C.translate("Charts", "Not closed yet"), total=C.translate("Charts", "Total"),
        fmt_period=period, fmt_number=number, fmt_percent=percent,
        fmt_money=lambda d: fmt_money(Decimal(d), currency, locale),
        median_resolution=median,
        n_clients=lambda n: Charts.tr("%n client(s)", "", n),
        outcome=lambda code: value_labels.outcome(code),
        tone=lambda code: value_labels.tone(code),
        segment=lambda s: {"-": C.translate("Charts", "No group"),
                           metrics.NO_PURCHASES: C.translate(
                               "Charts", "No purchases in 12 months")}.get(s, s),
        reason=lambda r: value_labels.decline_reason(r) if r else C.translate(
            "Charts", "No reason given"),
        channel=value_labels.source_channel,
        category=lambda c: c or C.translate("Charts", "No category"),
        recovery_group=lambda g: groups.get(g, g),
    )


class Charts(QObject):
    """The translation context of the charts' plural messages: lupdate reads a plural
    from ``Charts.tr(text, "", n)``, not from ``translate(context, text, "", n)``."""


_warmed = threading.Event()


def warm_up_matplotlib(_job: Job | None = None) -> None:
    """On the database executor: import matplotlib and the chart functions and render
    one small figure (fonts, caches), so the GUI thread never pays for it. matplotlib is
    used on that thread only (the page's figures are rendered there, one job each)."""
    if _warmed.is_set():
        return
    # lazy imports: matplotlib stays out of start-up (a job, on the first visit)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import app.charts  # noqa: F401
    # matplotlib and numpy are some 100,000 objects that live as long as the program:
    # out of the collector's reach, no later full collection walks them (each would
    # stall every thread some 60 ms longer at 100,000 clients)
    keep_for_good()
    figure = Figure(figsize=(2, 1.5), dpi=100, layout="constrained")
    ax = figure.add_subplot()
    ax.plot([0, 1, 2], [1, 3, 2], label="x")
    ax.set_title("warm-up")
    ax.legend()
    FigureCanvasAgg(figure).draw()
    _warmed.set()


def chart_job(name: str, series, labels, scale: float,
              superseded: threading.Event | None = None):
    """The work of rendering one chart on the executor (plain data in, pixels out);
    nothing (None) once ``superseded`` is set: newer numbers are on their way."""
    def work(_job: Job):
        if superseded is not None and superseded.is_set():
            return None
        # lazy: imported by the warm-up job, on this thread
        from app.charts import render_chart
        return render_chart(name, series, labels, CHART_SIZE, scale)
    return work


def write_chart(name: str, series, labels, kind: str, path: Path) -> None:
    """Write a chart (png, pdf) or its series (csv) to ``path``; DomainError
    ("file.write") when it cannot be written."""
    # lazy: start-up, matplotlib and numpy are slow to import
    from app.charts import save_chart, series_table
    try:
        if kind == "csv":
            header, rows = series_table(name, series, labels)
            # the same CSV as every export: UTF-8 with a BOM, ";", formulas defused
            write_csv(path, header, rows)
        else:
            save_chart(name, series, labels, CHART_SIZE, path, kind)
    except OSError as exc:
        raise DomainError("file.write", str(exc), path=str(path),
                          detail=exc.strerror or str(exc)) from exc


class ChartImage(QLabel):
    """The picture of one chart, rendered off the GUI thread (until then, a line saying
    it is coming). A plain QLabel with a pixmap: painting it calls no Python, so it never
    waits for the interpreter while the executor's worker holds it."""

    def __init__(self, parent=None) -> None:
        super().__init__(C.translate("ChartsView", "Calculating…"), parent)
        self.setFixedSize(*CHART_SIZE)  # one size: a window resized renders nothing again
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {palette.CHART_EMPTY_TEXT};")

    @property
    def image(self) -> QImage | None:
        pixmap = self.pixmap()
        return None if pixmap.isNull() else pixmap.toImage()

    def set_image(self, image: QImage | None, text: str = "") -> None:
        if image is None:
            self.clear()
            self.setText(text)
        else:
            self.setPixmap(QPixmap.fromImage(image))


def to_image(rendered, scale: float) -> QImage:
    """Agg's pixels as a QImage of its own (the bytes need not outlive it)."""
    image = QImage(rendered.rgba, rendered.width, rendered.height, 4 * rendered.width,
                   QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(scale)
    return image


class ChartWidget(QFrame):
    """One chart: its title, its picture, its definition and the export menu."""

    def __init__(self, name: str, definition: str, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart_{name}")
        self.ops = ops
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = name
        self.series = None
        self.labels = None
        self.picture = ChartImage()
        caption = hint_label(definition)
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("Picture (PNG)…"), lambda: self._ask_export("png"))
        menu.addAction(self.tr("Document (PDF)…"), lambda: self._ask_export("pdf"))
        menu.addAction(self.tr("Numbers (CSV)…"), lambda: self._ask_export("csv"))
        self.export_button.setMenu(menu)
        bottom = QHBoxLayout()
        bottom.addWidget(caption, 1)
        bottom.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        self.export_button.setEnabled(False)  # nothing to export before the numbers
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self._layout.addLayout(bottom)

    @property
    def image(self) -> QImage | None:
        """The picture shown (None until it is rendered)."""
        return self.picture.image

    def set_series(self, series, labels) -> None:
        """The numbers this chart shows from now on (its picture follows)."""
        self.series, self.labels = series, labels

    def show_rendered(self, rendered, scale: float) -> None:
        self.picture.set_image(to_image(rendered, scale))
        self.export_button.setEnabled(True)

    def show_failure(self, text: str) -> None:
        self.picture.set_image(None, text)

    def export(self, kind: str, path: Path) -> None:
        """Write the chart (png, pdf) or its series (csv) to ``path``, now."""
        write_chart(self.name, self.series, self.labels, kind, path)

    def _ask_export(self, kind: str) -> None:
        filters = {"png": self.tr("PNG picture (*.png)"), "pdf": self.tr("PDF document (*.pdf)"),
                   "csv": self.tr("CSV table (*.csv)")}
        default = f"{self.name}-{date.today().isoformat()}.{kind}"
        path, _ = ask_save_path(self, self.tr("Export the chart"), default, filters[kind])
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        name, series, labels, target = self.name, self.series, self.labels, Path(path)
        # on the executor: matplotlib works on its thread only, and a figure written at
        # 150 dpi takes a while; a failure comes back as a message over this chart
        self.ops.submit_task(self, lambda _job: write_chart(name, series, labels, kind,
                                                            target),
                             label=self.tr("Exporting the chart…"),
                             garbage=Garbage.SHORT_LIVED)


class RiskCheck(QObject):
    """The translation context of the check's words (``RiskCheck.tr``: plurals)."""


def risk_check_text(bt, locale: QLocale) -> str:
    """The backtest in words a manager reads: who was lost, how much of it the at-risk
    flag caught and how often it was right, and how well each ranks (AUC)."""
    def pct(x: float | None) -> str:
        return "—" if x is None else subst(C.translate("Charts", "%1 %"),
                                           locale.toString(x * 100, "f", 0))

    def auc(x: float | None) -> str:
        return "—" if x is None else locale.toString(x, "f", 2)

    clients = bt.clients  # a plain name: what lupdate reads as the count
    lines = [
        subst(RiskCheck.tr("Of the %Ln client(s) who had bought by %1, %2 bought "
                           "nothing in the %3 after.", "", clients),
              fmt_date(bt.cut, locale), locale.toString(bt.lost), risk_words.days(bt.horizon)),
        subst(C.translate("RiskCheck", "The at-risk flag caught %1 of them (recall), and %2 "
                                       "of the clients it flagged were really lost "
                                       "(precision)."),
              pct(bt.flag_recall), pct(bt.flag_precision)),
        subst(C.translate("RiskCheck", "How well each sorts the lost above the others (AUC: "
                                       "0.5 is a coin toss, 1 is perfect): the risk score "
                                       "%1, days since the last purchase alone %2, the "
                                       "at-risk flag %3."),
              auc(bt.auc_score), auc(bt.auc_days_since), auc(bt.auc_flag)),
    ]
    if bt.threshold is not None:
        lines.append(subst(C.translate(
            "RiskCheck", "The flag is a risk score of %1 or more (Settings, Rules). The old "
                         "rule, days since the last purchase against the usual gap, caught "
                         "%2 and was right for %3 (AUC %4)."),
            pct(bt.threshold), pct(bt.old_rule_recall), pct(bt.old_rule_precision),
            auc(bt.auc_old_rule)))
    if bt.choice.reason in ("short_history", "few_buyers"):
        lines.append(C.translate(
            "RiskCheck", "There is too little history for a fitted model yet: the score "
                         "compares the days since the last purchase with the client's usual "
                         "gap."))
    return "\n".join(lines)


class RiskCheckPanel(QFrame):
    """"How well does at-risk predict, on your own data": the history cut at a date,
    scored as the app would have then, against who bought nothing in the days after
    (:func:`app.services.risk.check`, on the database executor)."""

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskCheck")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ops = ops
        self.result = None
        today = today or date.today()
        title = QLabel(self.tr("How well does at-risk predict, on your own data"))
        title.setStyleSheet("font-weight: bold;")
        self.cut = DateEntry(today - timedelta(days=90), field="as_of")
        self.cut.setObjectName("riskCut")
        self.horizon = QSpinBox()
        self.horizon.setObjectName("riskHorizon")
        self.horizon.setRange(1, 3650)
        self.horizon.setValue(90)
        self.horizon.setSuffix(self.tr(" days"))
        self.run_button = QPushButton(self.tr("Check"))
        self.run_button.setObjectName("riskRun")
        self.run_button.clicked.connect(self.run)
        self.answer = QLabel(self.tr("Cut the history at a date, score every client as the "
                                     "app would have then, and compare with who bought "
                                     "nothing in the days after."))
        self.answer.setObjectName("riskAnswer")
        self.answer.setWordWrap(True)
        self.error = ErrorLabel()
        self.error.setObjectName("riskError")
        cut_label = QLabel(self.tr("History up to"))
        cut_label.setBuddy(self.cut)
        horizon_label = QLabel(self.tr("lost if no purchase within"))
        horizon_label.setBuddy(self.horizon)
        row = QHBoxLayout()
        row.addWidget(cut_label)
        row.addWidget(self.cut, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(horizon_label)
        row.addWidget(self.horizon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(self.answer)

    def run(self) -> None:
        """The backtest on the database executor (seconds at 100,000 clients), read-only,
        with its progress; the answer or the reason (too little history) here."""
        self.error.set_error(None)
        if not self.cut.check():
            return
        cut, horizon = self.cut.value(), self.horizon.value()
        self.run_button.setEnabled(False)
        self.answer.setText(self.tr("Checking…"))
        progress = self.tr("Checking the risk score on your history…")

        def work(s, job: Job):
            # lazy: numpy and scipy are slow to import, and only this panel needs them here
            from app.services import risk, risk_store
            job.report(0, None, progress)
            return risk.check(s, cut, horizon, risk_store.threshold(s))

        def done(bt) -> None:
            self.run_button.setEnabled(True)
            self.result = bt
            self.answer.setText(risk_check_text(bt, self.locale()))

        def failed(exc: DomainError) -> None:
            self.run_button.setEnabled(True)
            self.result = None
            self.answer.setText("")
            self.error.set_error(error_text(exc))

        self.ops.submit(self, work, label=self.tr("Checking the risk score…"), on_done=done,
                        on_error=failed, write=False)


class ChartsView(QWidget):
    """The dashboard strip and the grid of charts."""

    RANGES = ("last12", "this_year", "last_year", "last24", "custom")

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self.range = QComboBox()
        self.range.setObjectName("rangeCombo")
        for key, text in zip(self.RANGES, (self.tr("Last 12 months"), self.tr("This year"),
                                           self.tr("Last year"), self.tr("Last 24 months"),
                                           self.tr("Custom range")),
                             strict=True):
            self.range.addItem(text, key)
        # the custom range: two of the app's date fields, checked beside them
        start, end = metrics.default_range(self.today())
        self.custom_from = DateEntry(start, field="from")
        self.custom_from.setObjectName("customFrom")
        self.custom_to = DateEntry(end, field="to")
        self.custom_to.setObjectName("customTo")
        self.custom_error = ErrorLabel()
        self.custom_error.setObjectName("customRangeError")
        self.custom_box = QWidget()
        custom = QHBoxLayout(self.custom_box)
        custom.setContentsMargins(0, 0, 0, 0)
        self.custom_from_label = QLabel(self.tr("From"))
        self.custom_from_label.setBuddy(self.custom_from)
        self.custom_to_label = QLabel(self.tr("to"))
        self.custom_to_label.setBuddy(self.custom_to)
        custom.addWidget(self.custom_from_label)
        custom.addWidget(self.custom_from, 0, Qt.AlignmentFlag.AlignTop)
        custom.addWidget(self.custom_to_label)
        custom.addWidget(self.custom_to, 0, Qt.AlignmentFlag.AlignTop)
        custom.addWidget(self.custom_error, 0, Qt.AlignmentFlag.AlignTop)
        self.custom_box.setVisible(False)
        for entry in (self.custom_from, self.custom_to):
            entry.line.editingFinished.connect(self._on_custom_edited)
            entry.edited.connect(self._on_custom_picked)
        self.by = QComboBox()
        self.by.setObjectName("byCombo")
        self.by.addItem(self.tr("By month"), metrics.By.MONTH)
        self.by.addItem(self.tr("By quarter"), metrics.By.QUARTER)
        self.range_label = QLabel()
        self.range_label.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        self.status = QLabel()
        self.status.setObjectName("chartsStatus")
        self._generation = 0
        self._labels = None
        self._rendering: set[str] = set()  # charts whose picture is on its way
        self._superseded = threading.Event()  # set when newer numbers are asked for
        self.busy = False
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.range)
        bar.addWidget(self.custom_box)
        bar.addWidget(self.by)
        bar.addWidget(self.range_label)
        bar.addStretch(1)
        bar.addWidget(self.status)

        self.tiles: dict[str, QLabel] = {}
        strip = QHBoxLayout()
        for key, title in (("repeat", self.tr("Repeat-purchase share this month")),
                           ("returning", self.tr("Returning clients this month")),
                           ("new", self.tr("New clients this month")),
                           ("complaints", self.tr("Open complaints")),
                           ("overdue", self.tr("Overdue calls"))):
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            bl = QVBoxLayout(box)
            bl.setContentsMargins(8, 4, 8, 4)
            value = QLabel("—")
            value.setObjectName(f"tile_{key}")
            value.setStyleSheet("font-size: 18pt; font-weight: bold;")
            caption = hint_label(title)
            bl.addWidget(value)
            bl.addWidget(caption)
            strip.addWidget(box, 1)
            self.tiles[key] = value

        titles, definitions = chart_titles(), chart_definitions()
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        self.charts: dict[str, ChartWidget] = {}
        for i, name in enumerate(titles):  # the order of app.charts.CHARTS
            w = ChartWidget(name, definitions[name], ops)
            w.setToolTip(titles[name])
            grid.addWidget(w, i // 2, i % 2)
            self.charts[name] = w
        self.risk_check = RiskCheckPanel(ops, today=self.today())
        grid.addWidget(self.risk_check, (len(titles) + 1) // 2, 0, 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(grid_host)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addLayout(strip)
        lay.addWidget(scroll, 1)
        self.range.currentIndexChanged.connect(self._on_range_current_index_changed)
        self.by.currentIndexChanged.connect(self.redraw)
        self.report: metrics.Report | None = None
        # matplotlib comes in on the executor, before the first report is computed
        if not _warmed.is_set():
            ops.submit_task(self, warm_up_matplotlib, label=self.tr("Preparing the charts…"),
                            on_error=lambda exc: log.warning("charts warm-up: %s", exc))

    def today(self) -> date:
        return self._today or date.today()

    def _on_range_current_index_changed(self, _index: int) -> None:
        self.custom_box.setVisible(self.range.currentData() == "custom")
        self.redraw()

    def _on_custom_edited(self) -> None:
        if self.range.currentData() == "custom":
            self.redraw()

    def _on_custom_picked(self) -> None:
        # a day picked from the calendar (typing waits for the field to be left)
        if not self.sender().line.hasFocus():
            self._on_custom_edited()

    def custom_range(self) -> tuple[date, date] | None:
        """The custom from/to, or None with the reason beside the fields: a date that
        cannot be read, from after to, a day after today."""
        self.custom_error.set_error(None)
        if not (self.custom_from.check() and self.custom_to.check()):
            return None
        start, end = self.custom_from.value(), self.custom_to.value()
        loc = self.locale()
        if end > self.today():
            self.custom_error.set_error(subst(self.tr("The end cannot be after today (%1)."),
                                              fmt_date(self.today(), loc)))
        elif start > end:
            self.custom_error.set_error(self.tr("The start must be on or before the end."))
        else:
            return start, end
        return None

    def date_range(self) -> tuple[date, date] | None:
        t = self.today()
        key = self.range.currentData()
        if key == "custom":
            return self.custom_range()
        if key == "this_year":
            return date(t.year, 1, 1), t
        if key == "last_year":
            return date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)
        if key == "last24":
            start, _ = metrics.default_range(t)
            return start.replace(year=start.year - 1), t
        return metrics.default_range(t)

    def redraw(self) -> None:
        """Compute the report on the database executor (about 4 s at 100,000 clients;
        SQLite releases the interpreter while it reads), then render the charts there, one
        job each. A newer request wins."""
        span = self.date_range()
        if span is None:  # a custom range that cannot be used: said beside the fields
            self.status.setText("")
            return
        start, end = span
        by = metrics.By(self.by.currentData())
        today = self.today()
        self._generation += 1
        generation = self._generation
        self.busy = True
        self._rendering = set()
        self._superseded.set()  # the pictures still queued for older numbers are skipped
        self._superseded = threading.Event()
        self.status.setText(self.tr("Calculating…"))

        def work(s, job: Job):
            return (metrics.report(s, start, end, by, today, heavy_limit=2000, today=today),
                    settings_service.get(s, "business.currency"))

        def done(result) -> None:
            if generation == self._generation:
                self._show(start, end, result)

        def failed(exc: DomainError) -> None:
            if generation != self._generation:
                return  # a newer report is on its way
            self.busy = False
            self.status.setText(subst(self.tr("The numbers could not be calculated: %1"),
                                      exc))

        self.ops.submit(self, work, label=self.tr("Calculating the charts…"), on_done=done,
                        on_error=failed, write=False)

    def _show(self, start: date, end: date, result) -> None:
        """The numbers are there: the strip and the period now, then each chart rendered
        on the executor (:meth:`_render`)."""
        self.status.setText("")
        self.report, currency = result
        loc = self.locale()
        labels = self._labels = report_labels(chart_labels(loc, currency), self.report, loc)
        self.range_label.setText(subst(self.tr("%1 – %2"),
                                       fmt_date(start, loc), fmt_date(end, loc)))
        d = self.report.dashboard
        share = d.repeat_share_revenue
        self.tiles["repeat"].setText("—" if share is None else labels.fmt_percent(share))
        rate = d.returning_rate
        self.tiles["returning"].setText("—" if rate is None else labels.fmt_percent(rate))
        buying = d.clients_buying  # a plain name: what lupdate reads as the count
        self.tiles["returning"].setToolTip("" if rate is None else subst(self.tr(
            "%1 of the %Ln client(s) who bought this month had bought before", "",
            buying), self.locale().toString(round(rate * buying))))
        self.tiles["new"].setText(str(d.new_clients))
        self.tiles["complaints"].setText(str(d.open_complaints))
        self.tiles["overdue"].setText(str(d.overdue_calls))
        self._render()

    def _render(self) -> None:
        """Each chart drawn and rendered by matplotlib on the database executor, one job
        per chart in the page's order (other work can go between two); the GUI thread
        only shows the pixels. The figures are not kept: an export draws its own."""
        from app.charts import CHARTS  # imported by the warm-up job
        generation, superseded = self._generation, self._superseded
        scale = self.devicePixelRatioF()
        self._rendering = set(self.charts)
        for name, chart in self.charts.items():
            series = getattr(self.report, CHARTS[name].attr)
            chart.set_series(series, self._labels)

            def done(rendered, chart=chart) -> None:
                if rendered is not None and generation == self._generation:
                    chart.show_rendered(rendered, scale)
                    self._rendered(chart.name)

            def failed(exc: DomainError, chart=chart) -> None:
                if generation == self._generation:
                    log.warning("chart %s: %s", chart.name, exc)
                    chart.show_failure(subst(self.tr("This chart could not be drawn: %1"),
                                             error_text(exc)))
                    self._rendered(chart.name)

            self.ops.submit_task(self, chart_job(name, series, self._labels, scale,
                                                 superseded),
                                 label=self.tr("Drawing the charts…"), on_done=done,
                                 on_error=failed, garbage=Garbage.SHORT_LIVED)

    def _rendered(self, name: str) -> None:
        self._rendering.discard(name)
        if not self._rendering:
            self.busy = False


class ChartsTab(IntEnum):
    CHARTS = 0
    REVIEW = 1  # the quarterly A/B/C review

class ChartsPage(QWidget):
    """Charts and the quarterly A/B/C review; the charts are built when first shown."""

    client_open_requested = Signal(int)

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self.view: ChartsView | None = None
        self.tabs = QTabWidget()
        self.charts_host = QWidget()
        self._host_layout = QVBoxLayout(self.charts_host)
        self._host_layout.setContentsMargins(0, 0, 0, 0)
        # the review reads the database when built (its statements compiled the first
        # time, the clients counted): built when its tab is first shown, not on the
        # page's first visit (19-137 ms of the Charts page's first stall at 100,000)
        self._review: SegmentReviewPage | None = None
        self.tabs.insertTab(ChartsTab.CHARTS, self.charts_host, self.tr("Charts"))
        self.tabs.insertTab(ChartsTab.REVIEW, QWidget(), self._review_title())
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        # shown and concerned: one new report per burst of changes; hidden: stale, and
        # computed when shown (the first showing included)
        self.gate = RefreshGate(self, ops.bus, (Concern.CHARTS,), self._refresh)
        self.gate.mark_stale()

    def _review_title(self) -> str:
        return self.tr("Quarterly A/B/C review")

    @property
    def review(self) -> SegmentReviewPage:
        """The quarterly review's tab, built now if it was not yet."""
        if self._review is None:
            review = SegmentReviewPage(self.ops, today=self._today)
            review.client_open_requested.connect(self.client_open_requested)
            current = self.tabs.currentIndex()
            holder = self.tabs.widget(ChartsTab.REVIEW)
            blocked = self.tabs.blockSignals(True)  # the same tab stays current
            try:
                self.tabs.removeTab(ChartsTab.REVIEW)
                self.tabs.insertTab(ChartsTab.REVIEW, review, self._review_title())
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(blocked)
            holder.deleteLater()
            self._review = review
        return self._review

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == ChartsTab.REVIEW:
            self.review  # noqa: B018 - built when first shown

    def ensure_view(self) -> ChartsView:
        if self.view is None:
            self.view = ChartsView(self.ops, today=self._today)
            self._host_layout.addWidget(self.view)
        return self.view

    def _refresh(self, _changes: Changes) -> None:
        self.ensure_view().redraw()
