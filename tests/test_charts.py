"""app/charts.py: each chart is drawn on a plain Figure (no Qt, no pyplot) and read back
from the Axes: the lines, bars, image and points hold exactly the series' numbers."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Text

from app import charts
from app.charts import CHARTS, PALETTE, Labels, default_labels, series_table
from app.services import metrics as metrics_service

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {to_hex(c) for c in (*PALETTE, charts.GREY)}
MONTHS = [202601, 202602, 202603, 202604]


@pytest.fixture
def labels():
    return default_labels()


def new_ax():
    fig = Figure(figsize=(6, 3.3), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def containers(ax) -> dict[str, list]:
    return {c.get_label(): list(c.patches) for c in ax.containers}


def hexes(patches) -> set[str]:
    return {to_hex(p.get_facecolor(), keep_alpha=False) for p in patches}


def nan_equal(a, b) -> bool:
    return np.allclose(np.asarray(a, float), np.asarray(b, float), equal_nan=True)


# --------------------------------------------------------------------------- sample series

def repeat_series():
    return [metrics_service.RepeatShare(202601, 10, 4, D("1000.00"), D("250.00")),
            metrics_service.RepeatShare(202602, 0, 0, D("0.00"), D("0.00")),
            metrics_service.RepeatShare(202603, 8, 2, D("400.00"), D("300.00")),
            metrics_service.RepeatShare(202604, 5, 5, D("200.00"), D("200.00"))]


def returning_series():
    return [metrics_service.ReturningClients(202601, 10, 3), metrics_service.ReturningClients(202602, 0, 0),
            metrics_service.ReturningClients(202603, 7, 7), metrics_service.ReturningClients(202604, 4, 1)]


def conversion_series():
    return [metrics_service.CohortConversion(202601, 10, 3, True), metrics_service.CohortConversion(202602, 0, 0, True),
            metrics_service.CohortConversion(202603, 8, 2, False), metrics_service.CohortConversion(202604, 4, 3, False)]


def cohort_series(n: int = 3):
    out = []
    for i in range(n):
        size = 10 + i
        active = [size] + [size // (k + 1) if i + k < n else None for k in range(1, n)]
        out.append(metrics_service.CohortRetention(202601 + i, size, active))
    return out


def channel_series():
    return [metrics_service.ChannelRow("Instagram", 12, 2, D("900.00"), D("100.00")),
            metrics_service.ChannelRow("", 5, 0, D("100.00"), D("0.00")),
            metrics_service.ChannelRow("Referral", 7, 7, D("300.00"), D("200.00"))]


def segment_series():
    return [metrics_service.SegmentShare("A", 10, D("6000.00")), metrics_service.SegmentShare("B", 30, D("3000.00")),
            metrics_service.SegmentShare("C", 60, D("1000.00"))]


def outcome_series():
    return [metrics_service.Counted(k, o, n) for k, counts in zip(MONTHS[:2], ((3, 5, 1), (0, 2, 4)),
                                                     strict=True)
            for o, n in zip(("declined", "no_answer", "reached"), counts, strict=True)]


def tone_series():
    return [metrics_service.Counted(k, t, n) for k, counts in zip(MONTHS[:2], ((1, 4, 6), (2, 0, 3)),
                                                     strict=True)
            for t, n in zip(("negative", "neutral", "positive"), counts, strict=True)]


def reason_series(n: int = 12):
    return [metrics_service.Reason("" if i == 3 else f"reason {i}", 30 - i) for i in range(n)]


def complaint_series():
    cats = [metrics_service.ComplaintCategory("service", 6, 3, 1), metrics_service.ComplaintCategory("billing", 4, 1, 2)]
    return metrics_service.ComplaintSummary(cats, 10, 4, 3, 27.5)


def recovery_series():
    return [metrics_service.RecoveryGroup("recovered", 8, 6), metrics_service.RecoveryGroup("never_complained", 200, 50)]


def time_series():
    return [metrics_service.TimeValue(1, "Ann", "A", D("30.5"), D("5000.00")),
            metrics_service.TimeValue(2, "Bob", "C", D("90.0"), D("120.00")),
            metrics_service.TimeValue(3, "Cid", "A", D("12.0"), D("2500.50")),
            metrics_service.TimeValue(4, "Dot", "-", D("5.0"), D("0.00"))]


SAMPLES = {
    "repeat_share": repeat_series, "returning_clients": returning_series,
    "second_purchase": conversion_series, "cohorts": cohort_series,
    "channels": channel_series, "segments": segment_series,
    "call_outcomes": outcome_series, "decline_reasons": reason_series,
    "contact_tone": tone_series, "complaints": complaint_series,
    "recovery": recovery_series, "time_value": time_series,
}

EMPTY = {
    "repeat_share": [], "returning_clients": [], "second_purchase": [], "cohorts": [],
    "channels": [], "segments": [], "call_outcomes": [], "decline_reasons": [],
    "contact_tone": [], "complaints": metrics_service.ComplaintSummary([], 0, 0, 0, None),
    "recovery": [], "time_value": [],
}

ALL_ZERO = {
    "repeat_share": [metrics_service.RepeatShare(k, 0, 0, D("0.00"), D("0.00")) for k in MONTHS],
    "returning_clients": [metrics_service.ReturningClients(k, 0, 0) for k in MONTHS],
    "second_purchase": [metrics_service.CohortConversion(k, 0, 0, True) for k in MONTHS],
    "cohorts": [metrics_service.CohortRetention(k, 0, [0, 0, None]) for k in MONTHS],
    "channels": [metrics_service.ChannelRow("", 0, 0, D("5.00"), D("0.00"))],
    "segments": [metrics_service.SegmentShare(s, 0, D("0.00")) for s in "ABC"],
    "call_outcomes": [metrics_service.Counted(k, "reached", 0) for k in MONTHS],
    "decline_reasons": [metrics_service.Reason("x", 0)],
    "contact_tone": [metrics_service.Counted(k, "positive", 0) for k in MONTHS],
    "complaints": metrics_service.ComplaintSummary([], 0, 0, 0, None),
    "recovery": [metrics_service.RecoveryGroup("recovered", 0, 0), metrics_service.RecoveryGroup("never_complained", 0, 0)],
    "time_value": [],
}


# --------------------------------------------------------------------------- registry

def test_charts_registry_names_draw_functions_and_report_fields():
    fields = {f.name for f in dataclasses.fields(metrics_service.Report)}
    assert list(CHARTS) == list(SAMPLES)
    for name, (draw, attr) in CHARTS.items():
        assert draw is getattr(charts, f"draw_{name}")
        assert attr in fields
    assert CHARTS["time_value"].attr == "time_clients"


def test_default_labels_have_a_title_for_every_chart(labels):
    assert set(labels.titles) == set(CHARTS)
    assert labels.fmt_period(202611) == "2026-11"
    assert labels.fmt_period(20264) == "2026 Q4"
    assert labels.fmt_percent(0.25) == "25%"
    assert labels.fmt_money(D("1234.50")) == "1,234.50"


# --------------------------------------------------------------------------- each chart

def test_repeat_share_lines_are_the_percents_with_gaps(labels):
    ax = new_ax()
    series = repeat_series()
    charts.draw_repeat_share(ax, series, labels)
    by_revenue, by_count = ax.get_lines()
    assert by_revenue.get_label() == labels.by_revenue
    assert by_count.get_label() == labels.by_count
    assert nan_equal(by_revenue.get_ydata(), [25.0, math.nan, 75.0, 100.0])
    assert nan_equal(by_count.get_ydata(), [40.0, math.nan, 25.0, 100.0])
    assert list(by_revenue.get_xdata()) == [0, 1, 2, 3]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2026-01", "2026-02", "2026-03", "2026-04"]
    assert ax.get_ylim() == (0, 100)
    colours = {to_hex(by_revenue.get_color()), to_hex(by_count.get_color())}
    assert len(colours) == 2 and colours <= ALLOWED
    # distinct in greyscale too
    assert by_revenue.get_marker() != by_count.get_marker()
    assert by_revenue.get_linestyle() != by_count.get_linestyle()
    assert ax.get_title(loc="left") == labels.titles["repeat_share"]
    assert ax.get_legend() is not None


def test_many_periods_rotate_and_thin_the_tick_labels(labels):
    ax = new_ax()
    keys, k = [], 202001
    for _ in range(40):
        keys.append(k)
        k = metrics_service.next_key(k, metrics_service.By.MONTH)
    charts.draw_repeat_share(ax, [metrics_service.RepeatShare(k, 1, 0, D(1), D(0)) for k in keys], labels)
    ticks = ax.get_xticklabels()
    assert len(ticks) <= charts.MAX_TICKS
    assert all(t.get_rotation() == 45 for t in ticks)
    few = new_ax()
    charts.draw_repeat_share(few, repeat_series(), labels)
    assert all(t.get_rotation() == 0 for t in few.get_xticklabels())


def test_quarter_keys_use_the_period_formatter(labels):
    ax = new_ax()
    charts.draw_returning_clients(ax, [metrics_service.ReturningClients(20261, 3, 1),
                                       metrics_service.ReturningClients(20262, 2, 2)], labels)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026 Q1", "2026 Q2"]


def test_returning_clients_stacked_bars_and_rate_line(labels):
    ax = new_ax()
    series = returning_series()
    charts.draw_returning_clients(ax, series, labels)
    bars = containers(ax)
    new, ret = bars[labels.new], bars[labels.returning]
    assert [p.get_height() for p in new] == [7, 0, 0, 3]
    assert [p.get_y() for p in new] == [0, 0, 0, 0]
    assert [p.get_height() for p in ret] == [3, 0, 7, 1]
    assert [p.get_y() for p in ret] == [7, 0, 0, 3]  # stacked on the new clients
    assert hexes(new) | hexes(ret) <= ALLOWED and hexes(new) != hexes(ret)
    assert ret[0].get_hatch() and not new[0].get_hatch()
    twins = [a for a in ax.figure.axes if a is not ax]
    assert len(twins) == 1
    (rate,) = twins[0].get_lines()
    assert nan_equal(rate.get_ydata(), [30.0, math.nan, 100.0, 25.0])
    assert twins[0].get_ylim() == (0, 100)
    assert rate.get_label() == labels.returning_rate
    # redrawing leaves one twin, not two
    charts.draw_returning_clients(ax, series, labels)
    charts.draw_returning_clients(ax, series, labels)
    assert len(ax.figure.axes) == 2


def test_second_purchase_bars_and_incomplete_cohorts_hatched(labels):
    ax = new_ax()
    charts.draw_second_purchase(ax, conversion_series(), labels)
    bars = containers(ax)
    done, open_ = bars[labels.complete], bars[labels.incomplete]
    # February has no clients: a gap at 1, not a 0 % bar
    assert [(p.get_x() + p.get_width() / 2, p.get_height()) for p in done] == [(0, 30.0)]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2026-01", "2026-02", "2026-03", "2026-04"]
    assert [(p.get_x() + p.get_width() / 2, p.get_height()) for p in open_] == [
        (2, 25.0), (3, 75.0)]
    assert all(p.get_hatch() for p in open_) and not any(p.get_hatch() for p in done)
    assert all(p.get_facecolor()[3] < 1 for p in open_)
    assert all(p.get_facecolor()[3] == 1 for p in done)
    assert ax.get_ylim() == (0, 100)


def test_second_purchase_all_complete_has_one_legend_entry(labels):
    ax = new_ax()
    charts.draw_second_purchase(ax, [metrics_service.CohortConversion(202601, 4, 1, True)], labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [labels.complete]


def test_cohorts_heat_map_is_the_rates_masked_where_none(labels):
    ax = new_ax()
    series = cohort_series(3)
    charts.draw_cohorts(ax, series, labels)
    (im,) = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    arr = im.get_array()
    expected = [[100.0 if r == 1 else 100.0 * r for r in
                 [x if x is not None else math.nan for x in s.rates()]] for s in series]
    assert arr.shape == (3, 3)
    assert nan_equal(arr.filled(math.nan), expected)
    assert arr.mask.tolist() == [[r is None for r in s.rates()] for s in series]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2026-01", "2026-02", "2026-03"]
    # small grid: every known cell annotated with its percent
    assert sorted(texts(ax)) == sorted(labels.fmt_percent(r) for s in series
                                       for r in s.rates() if r is not None)
    assert im.get_clim() == (0, 100)
    # one colour bar, also after redrawing
    charts.draw_cohorts(ax, series, labels)
    assert len(ax.figure.axes) == 2
    cbar_ax = next(a for a in ax.figure.axes if a is not ax)
    assert cbar_ax.get_ylabel() == labels.retention


def test_cohorts_large_grid_is_not_annotated(labels):
    ax = new_ax()
    charts.draw_cohorts(ax, cohort_series(13), labels)
    assert texts(ax) == []


def test_channels_bars_referred_part_and_not_recorded(labels):
    ax = new_ax()
    charts.draw_channels(ax, channel_series(), labels)
    bars = containers(ax)
    total, referred = bars[labels.new_clients], bars[labels.referred]
    assert [p.get_width() for p in total] == [12, 7, 5]  # largest first
    assert [p.get_width() for p in referred] == [2, 7, 0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Instagram", "Referral", labels.not_recorded]
    assert ax.yaxis_inverted()  # the largest on top
    assert hexes(total) != hexes(referred) and referred[0].get_hatch()


def test_segments_side_by_side_shares(labels):
    ax = new_ax()
    charts.draw_segments(ax, [*segment_series(), metrics_service.SegmentShare("-", 0, D("0.00"))][::-1],
                         labels)
    bars = containers(ax)
    clients, revenue = bars[labels.share_of_clients], bars[labels.share_of_revenue]
    assert [p.get_height() for p in clients] == pytest.approx([10, 30, 60, 0])
    assert [p.get_height() for p in revenue] == pytest.approx([60, 30, 10, 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "C", "No group"]
    assert hexes(clients) | hexes(revenue) <= ALLOWED and hexes(clients) != hexes(revenue)
    assert ax.get_ylim() == (0, 100)


def test_call_outcomes_stacked_by_outcome_with_text_from_labels(labels):
    lab = dataclasses.replace(labels, outcome=lambda code: f"<{code}>")
    ax = new_ax()
    charts.draw_call_outcomes(ax, outcome_series(), lab)
    bars = containers(ax)
    # the order of OUTCOME_ORDER: reached, no_answer, declined
    assert list(bars) == ["<reached>", "<no_answer>", "<declined>"]
    assert [p.get_height() for p in bars["<reached>"]] == [1, 4]
    assert [p.get_height() for p in bars["<no_answer>"]] == [5, 2]
    assert [p.get_y() for p in bars["<no_answer>"]] == [1, 4]
    assert [p.get_height() for p in bars["<declined>"]] == [3, 0]
    assert [p.get_y() for p in bars["<declined>"]] == [6, 6]
    assert hexes(bars["<reached>"]) == {to_hex(charts.GREEN)}
    assert hexes(bars["<declined>"]) == {to_hex(charts.VERMILLION)}
    assert len({next(iter(hexes(v))) for v in bars.values()}) == 3


def test_contact_tone_colours(labels):
    ax = new_ax()
    charts.draw_contact_tone(ax, tone_series(), labels)
    bars = containers(ax)
    assert list(bars) == ["Positive", "Neutral", "Negative"]
    assert hexes(bars["Positive"]) == {to_hex(charts.GREEN)}
    assert hexes(bars["Neutral"]) == {to_hex(charts.GREY)}
    assert hexes(bars["Negative"]) == {to_hex(charts.VERMILLION)}
    assert [p.get_height() for p in bars["Positive"]] == [6, 3]
    assert [p.get_y() for p in bars["Negative"]] == [10, 3]


def test_decline_reasons_top_ten(labels):
    ax = new_ax()
    series = reason_series(12)
    charts.draw_decline_reasons(ax, series, labels)
    (bars,) = ax.containers
    assert [p.get_width() for p in bars] == [r.count for r in series[:10]]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[0] == "reason 0" and names[3] == "No reason given" and len(names) == 10
    assert ax.yaxis_inverted()


def test_complaints_split_and_median(labels):
    ax = new_ax()
    charts.draw_complaints(ax, complaint_series(), labels)
    bars = containers(ax)
    kept, lost, other = bars[labels.kept], bars[labels.lost], bars[labels.other]
    assert [p.get_height() for p in kept] == [3, 1]
    assert [p.get_height() for p in lost] == [1, 2]
    assert [p.get_y() for p in lost] == [3, 1]
    assert [p.get_height() for p in other] == [2, 1]
    assert [p.get_y() for p in other] == [4, 3]
    assert labels.median_resolution(27.5) in [" ".join(t.split()) for t in texts(ax)]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Service", "Billing"]
    assert len(hexes(kept) | hexes(lost) | hexes(other)) == 3


def test_recovery_bars_and_client_counts(labels):
    ax = new_ax()
    charts.draw_recovery(ax, recovery_series(), labels)
    heights = [p.get_height() for c in ax.containers for p in c.patches]
    assert heights == [75.0, 25.0]
    assert texts(ax) == [labels.n_clients(8), labels.n_clients(200)]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Recovered", "Never complained"]
    assert len({next(iter(hexes(c.patches))) for c in ax.containers}) == 2
    assert ax.get_ylim() == (0, 100)


def test_recovery_full_bar_keeps_its_annotation_inside(labels):
    ax = new_ax()
    charts.draw_recovery(ax, [metrics_service.RecoveryGroup("recovered", 3, 3)], labels)
    (t,) = ax.texts
    assert t.get_position()[1] < 100


def test_time_value_scatter_by_group(labels):
    ax = new_ax()
    charts.draw_time_value(ax, time_series(), labels)
    groups = {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}
    assert list(groups) == ["A", "C", "No group"]
    assert groups["A"].get_offsets().tolist() == [[30.5, 5000.0], [12.0, 2500.5]]
    assert groups["C"].get_offsets().tolist() == [[90.0, 120.0]]
    assert groups["No group"].get_offsets().tolist() == [[5.0, 0.0]]
    colours = [to_hex(c.get_facecolor()[0], keep_alpha=False) for c in groups.values()]
    assert colours == [charts.BLUE.lower(), charts.GREEN.lower(), charts.GREY.lower()]
    assert ax.get_xlabel() == labels.minutes and ax.get_ylabel() == labels.value_12m


# --------------------------------------------------------------------------- no data

@pytest.mark.parametrize("name", list(CHARTS))
@pytest.mark.parametrize("kind", ["empty", "all_zero"])
def test_no_data_text(name, kind, labels):
    series = (EMPTY if kind == "empty" else ALL_ZERO)[name]
    ax = new_ax()
    CHARTS[name].draw(ax, series, labels)
    assert texts(ax) == [labels.no_data]
    assert len(ax.containers) == len(ax.get_lines()) == len(ax.images) == 0
    assert ax.get_title(loc="left") == labels.titles[name]


@pytest.mark.parametrize("name", list(CHARTS))
def test_redraw_from_data_to_no_data_clears_everything(name, labels):
    ax = new_ax()
    CHARTS[name].draw(ax, SAMPLES[name](), labels)
    CHARTS[name].draw(ax, EMPTY[name], labels)
    assert texts(ax) == [labels.no_data]
    assert ax.figure.axes == [ax]  # twin axes and colour bars are gone too


# --------------------------------------------------------------------------- text

def _marked(fn):
    return lambda *args: "§" + fn(*args)


def _marked_labels() -> Labels:
    """Labels whose every piece of text starts with "§", to prove the charts write
    no text of their own."""
    base = default_labels()
    values = {}
    for f in dataclasses.fields(base):
        v = getattr(base, f.name)
        if isinstance(v, str):
            values[f.name] = "§" + f.name
        elif f.name == "titles":
            values[f.name] = {k: "§" + k for k in v}
        else:
            values[f.name] = _marked(v)
    return dataclasses.replace(base, **values)


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_visible_text_comes_from_labels(name):
    ax = new_ax()
    series = SAMPLES[name]()
    CHARTS[name].draw(ax, series, _marked_labels())
    ax.figure.canvas.draw()  # tick labels are formatted when drawn
    seen = [t.get_text() for t in ax.figure.findobj(Text)
            if t.get_visible() and t.get_text().strip()]
    typed = {s.channel for s in series} if name == "channels" else set()  # user data
    assert seen
    assert [s for s in seen if not s.startswith("§") and s not in typed] == []


def test_titles_come_from_labels(labels):
    lab = dataclasses.replace(labels, titles={k: f"T:{k}" for k in CHARTS})
    for name, chart in CHARTS.items():
        ax = new_ax()
        chart.draw(ax, SAMPLES[name](), lab)
        assert ax.get_title(loc="left") == f"T:{name}"


# --------------------------------------------------------------------------- CSV

def test_series_table_rows_are_the_series(labels):
    header, rows = series_table("repeat_share", repeat_series(), labels)
    assert header == ["period", "purchases", "returning_purchases", "revenue",
                      "returning_revenue", "share_count", "share_revenue"]
    assert rows[0] == [202601, 10, 4, "1000.00", "250.00", 0.4, 0.25]
    assert rows[1] == [202602, 0, 0, "0.00", "0.00", "", ""]

    assert series_table("returning_clients", returning_series(), labels)[1][0] == [
        202601, 10, 7, 3, 0.3]
    assert series_table("second_purchase", conversion_series(), labels)[1] == [
        [202601, 10, 3, 0.3, 1], [202602, 0, 0, "", 1], [202603, 8, 2, 0.25, 0],
        [202604, 4, 3, 0.75, 0]]
    cohort_rows = series_table("cohorts", cohort_series(2), labels)[1]
    assert cohort_rows == [[202601, 10, 0, 10, 1.0], [202601, 10, 1, 5, 0.5],
                           [202602, 11, 0, 11, 1.0], [202602, 11, 1, "", ""]]
    assert series_table("channels", channel_series(), labels)[1][1] == [
        "", 5, 0, "100.00", "0.00", 0.0]
    assert series_table("segments", segment_series(), labels)[1] == [
        ["A", 10, "6000.00", 0.1, 0.6], ["B", 30, "3000.00", 0.3, 0.3],
        ["C", 60, "1000.00", 0.6, 0.1]]
    header, rows = series_table("call_outcomes", outcome_series(), labels)
    assert header == ["period", "outcome", "count"]
    assert rows == [[c.period, c.label, c.count] for c in outcome_series()]
    assert series_table("contact_tone", tone_series(), labels)[0][1] == "tone"
    assert series_table("decline_reasons", reason_series(12), labels)[1] == [
        [r.reason, r.count] for r in reason_series(12)]  # all, not only the ten drawn
    assert series_table("complaints", complaint_series(), labels)[1] == [
        ["service", 6, 3, 1, 2, ""], ["billing", 4, 1, 2, 1, ""],
        [labels.total, 10, 4, 3, 3, 27.5]]
    assert series_table("recovery", recovery_series(), labels)[1] == [
        ["recovered", 8, 6, 0.75], ["never_complained", 200, 50, 0.25]]
    assert series_table("time_value", time_series(), labels)[1][0] == [
        1, "Ann", "A", "30.5", "5000.00"]


def test_series_table_keeps_full_precision(labels):
    rows = series_table("returning_clients", [metrics_service.ReturningClients(202601, 3, 1)], labels)[1]
    assert rows == [[202601, 3, 2, 1, 1 / 3]]


def test_csv_export_reads_back_exactly(tmp_path, labels):
    """Every number of an exported CSV reads back as the value computed, not rounded."""
    import csv

    from app.services.io.export import write_csv

    def write_chart(name, series, labels, _kind, path):  # as the page's export writes it
        write_csv(path, *series_table(name, series, labels))

    series = [metrics_service.RepeatShare(202601, 7, 3, D("1234.57"), D("100.01")),
              metrics_service.RepeatShare(202602, 0, 0, D("0.00"), D("0.00"))]
    path = tmp_path / "r.csv"
    write_chart("repeat_share", series, labels, "csv", path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[1:]
    assert float(rows[0][5]) == 3 / 7 and float(rows[0][6]) == float(D("100.01") / D("1234.57"))
    assert D(rows[0][3]) == D("1234.57") and rows[1][5] == ""
    minutes = metrics_service.TimeValue(1, "Ann", "A", D(100) / 60, D("5.00"))
    write_chart("time_value", [minutes], labels, "csv", path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        assert D(list(csv.reader(fh, delimiter=";"))[1][3]) == D(100) / 60


def test_series_table_headers_from_labels(labels):
    lab = dataclasses.replace(labels, column=str.upper)
    assert series_table("recovery", [], lab) == (["GROUP", "CLIENTS", "REPEATERS", "RATE"],
                                                 [])


@pytest.mark.parametrize("name", list(CHARTS))
def test_series_table_for_every_chart_is_csv_ready(name, labels):
    header, rows = series_table(name, SAMPLES[name](), labels)
    assert header and rows
    assert all(len(r) == len(header) for r in rows)
    assert all(isinstance(v, str | int | float) for r in rows for v in r)


def test_series_table_unknown_name(labels):
    with pytest.raises(KeyError):
        series_table("nope", [], labels)


# --------------------------------------------------------------------------- files

def test_figure_saves_png_and_pdf(tmp_path, labels):
    fig = Figure(figsize=(12, 8), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    for i, (name, chart) in enumerate(CHARTS.items()):
        chart.draw(fig.add_subplot(4, 3, i + 1), SAMPLES[name](), labels)
    png, pdf = tmp_path / "charts.png", tmp_path / "charts.pdf"
    fig.savefig(png)
    fig.savefig(pdf)
    assert png.read_bytes().startswith(b"\x89PNG")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_charts_module_imports_neither_qt_nor_pyplot():
    probe = ("import json, sys, app.charts; print(json.dumps(sorted(m for m in sys.modules "
             "if m.startswith(('PySide6', 'matplotlib.pyplot')))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_incomplete_last_period_is_hatched_and_named(labels):
    for draw, series in ((charts.draw_repeat_share, repeat_series()),
                         (charts.draw_returning_clients, returning_series()),
                         (charts.draw_call_outcomes, outcome_series()),
                         (charts.draw_contact_tone, tone_series())):
        keys = sorted({s.period for s in series})
        lab = dataclasses.replace(labels, partial_period=keys[-1], partial="Month so far")
        ax = new_ax()
        draw(ax, series, lab)
        (band,) = [p for p in ax.patches if p.get_label() == "Month so far"]
        assert band.get_hatch() == "//"
        n = len(keys)
        assert (band.get_x(), band.get_x() + band.get_width()) == (n - 1.5, n - 0.5)
        assert "Month so far" in [t.get_text() for t in ax.get_legend().get_texts()]
        ax = new_ax()
        draw(ax, series, labels)  # no incomplete period: no band, no legend entry
        assert not [p for p in ax.patches if p.get_label() == labels.partial]


def test_segments_band_of_no_purchases_and_the_day_of_the_groups(labels):
    lab = dataclasses.replace(labels, segments_note="Groups computed on 2026-11-23")
    ax = new_ax()
    charts.draw_segments(ax, [*segment_series(),
                              metrics_service.SegmentShare(metrics_service.NO_PURCHASES, 100,
                                                           D("0.00"))], lab)
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == [
        "A", "B", "C", "No purchases in 12 months"]
    clients = containers(ax)[labels.share_of_clients]
    assert [p.get_height() for p in clients] == pytest.approx([5, 15, 30, 50])
    assert "Groups computed on 2026-11-23" in [t.get_text().replace("\n", " ")
                                               for t in ax.texts]


# --------------------------------------------------------------------------- words that fit

#: as long as Polish and Bulgarian make them (the page's titles and axis titles)
LONG_WORDS = dict(
    titles={name: "Време за обаждания спрямо стойността на клиента за дванадесет месеца"
            for name in CHARTS},
    conversion="Купили отново в рамките на деветдесет дни след първата покупка",
    repeat_rate="Klienci, którzy kupili ponownie w wybranym okresie po reklamacji",
    value_12m="Приходи за дванадесет месеца от всеки един клиент поотделно",
    category=lambda c: {"service": "Zachowanie personelu",
                        "billing": "Ceny i rozliczenia za usługi",
                        "wait": "Czas oczekiwania na wizytę",
                        "booking": "Błąd rezerwacji terminu"}[c],
)
PAGE_CHART = (470, 300)  # app.ui.charts_page.CHART_SIZE


def _every_word(figure):
    """Each title, axis title and tick name of the figure, with its drawn extent."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        words = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        if ax.xaxis.get_visible():  # the ticks in view (the others are not drawn)
            lo, hi = sorted(ax.get_xlim())
            words += [t for t, at in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
                      if lo - 1e-9 <= at <= hi + 1e-9]
        for text in words:
            if text.get_visible() and text.get_text():
                yield ax, text, text.get_window_extent(renderer)


@pytest.mark.parametrize("name", list(CHARTS))
def test_long_titles_and_axis_titles_are_wrapped_inside_the_chart(name):
    """A title or an axis title longer than its room (Bulgarian, Polish) is wrapped,
    never cut by the picture's edge."""
    labels = dataclasses.replace(default_labels(), **LONG_WORDS)
    figure = charts.chart_figure(name, SAMPLES[name](), labels, PAGE_CHART)
    room = figure.bbox
    seen = 0
    for _ax, text, box in _every_word(figure):
        assert box.x0 >= room.x0 - 1 and box.x1 <= room.x1 + 1, text.get_text()
        assert box.y0 >= room.y0 - 1 and box.y1 <= room.y1 + 1, text.get_text()
        seen += 1
    assert seen >= 3
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:  # a legend covers no plot, no axis and no axis title
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        assert box.x1 <= room.x1 + 1 and box.y0 >= room.y0 - 1
        for other in figure.axes:
            assert not box.overlaps(other.get_window_extent(renderer)), other
            for axis in (other.yaxis, other.xaxis):
                tight = axis.get_tightbbox(renderer)
                assert tight is None or not box.overlaps(tight), (name, axis)
    title = figure.axes[0].get_title(loc="left")
    assert "\n" in title and title.replace("\n", " ") == LONG_WORDS["titles"][name]


def test_category_names_that_run_into_each_other_are_wrapped_or_slanted():
    labels = dataclasses.replace(default_labels(), **LONG_WORDS)
    cats = [metrics_service.ComplaintCategory(c, 3, 1, 1)
            for c in ("service", "billing", "wait", "booking")]
    figure = charts.chart_figure("complaints", metrics_service.ComplaintSummary(
        cats, 12, 4, 4, 30.0), labels, PAGE_CHART)
    boxes = sorted((box for ax, text, box in _every_word(figure)
                    if text in ax.get_xticklabels()), key=lambda b: b.x0)
    assert len(boxes) == 4
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 <= right.x0 + 0.5 or left.y0 >= right.y1 - 0.5  # apart
    names = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert [n.replace("\n", " ") for n in names] == [labels.category(c.category)
                                                     for c in cats]  # whole words, kept
    short = charts.chart_figure("complaints", complaint_series(), default_labels(),
                                PAGE_CHART)  # short English names stay as they are
    assert [t.get_text() for t in short.axes[0].get_xticklabels()] == ["Service", "Billing"]
    assert all(t.get_rotation() == 0 for t in short.axes[0].get_xticklabels())
