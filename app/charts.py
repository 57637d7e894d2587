"""Drawing the Charts page's series (``app.services.metrics``) on a matplotlib Axes.

No Qt and no pyplot: every ``draw_<name>(ax, series, labels)`` takes an Axes the caller
owns (a ``Figure().add_subplot()``; the Qt page hosts the Figure in a
``FigureCanvasQTAgg``), clears it and draws. All human text comes from ``labels``
(a :class:`Labels`), so the page passes translated strings and locale formatters; this
module holds no user-visible text except the plain English of :func:`default_labels`,
used by tests and the command line.

Conventions, the same in every chart:

* colours from the Okabe-Ito colour-blind-safe palette (:data:`PALETTE`), the same
  colour for the same thing everywhere (segment A is always blue, "positive" always
  green); where two series are compared they also differ in hatch or marker, so they
  stay apart in greyscale print;
* percent axes run 0..100 (data drawn in percent; tick text from ``labels.fmt_percent``
  which takes a fraction, 0.25 -> "25 %");
* a missing ratio (None: nothing to divide by) is a gap (NaN) in a line, a masked cell
  in the heat map, never a zero;
* an empty or all-zero series shows ``labels.no_data`` in the middle of the axes;
* legends sit outside the plot, on the right: create the Figure with
  ``layout="constrained"`` so they (and the colour bar) get room.
"""

from __future__ import annotations

import math
import textwrap
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import ScaledTranslation

from app import palette
from app.services.metrics import (
    NO_PURCHASES,
    ChannelRow,
    CohortConversion,
    CohortRetention,
    ComplaintSummary,
    Counted,
    Reason,
    RecoveryGroup,
    RepeatShare,
    ReturningClients,
    SegmentShare,
    TimeValue,
)

# --------------------------------------------------------------------------- palette

BLUE = palette.BLUE
ORANGE = palette.ORANGE
GREEN = palette.GREEN
PURPLE = palette.PURPLE
SKY = palette.SKY
VERMILLION = palette.VERMILLION
YELLOW = palette.YELLOW
BLACK = palette.BLACK
GREY = palette.GREY

PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK)
"""Okabe & Ito (2008), "Color Universal Design"; GREY is added for "neutral"/"other"."""

HATCHES = ("", "///", "..", "\\\\\\", "xx", "--", "oo", "++")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

SEGMENT_COLORS = {"A": BLUE, "B": ORANGE, "C": GREEN, NO_PURCHASES: BLACK, "-": GREY}
TONE_COLORS = {"positive": GREEN, "neutral": GREY, "negative": VERMILLION}
OUTCOME_COLORS = {
    "reached": GREEN, "meeting_booked": BLUE, "left_message": SKY,
    "call_back_later": YELLOW, "no_answer": GREY, "declined": VERMILLION,
    "complaint_found": PURPLE, "wrong_number": BLACK,
}
OUTCOME_ORDER = tuple(OUTCOME_COLORS)
TONE_ORDER = tuple(TONE_COLORS)
SEGMENT_ORDER = tuple(SEGMENT_COLORS)
RECOVERY_COLORS = {"recovered": GREEN, "never_complained": BLUE}

# a light-to-dark blue for the retention heat map (sequential, colour-blind safe)
RETENTION_CMAP = LinearSegmentedColormap.from_list(
    "clientcare_retention", [palette.RETENTION_LIGHT, SKY, BLUE, palette.RETENTION_DARK])

TITLE_SIZE = 10
FONT_SIZE = 9
TICK_SIZE = 8
SMALL_SIZE = 7
GRID_COLOR = palette.GRID
ROTATE_AFTER = 8      # more period ticks than this: rotate them
MAX_TICKS = 24        # more than this: label every n-th only
ANNOTATE_CELLS = 12   # heat map cells get their percent while the grid is <= 12 x 12
TOP_REASONS = 10
LEGEND_WRAP = 22     # legend names longer than this many characters wrap


# --------------------------------------------------------------------------- labels

@dataclass(frozen=True)
class Labels:
    """Every piece of human text a chart shows. The Qt page fills it with ``tr()``
    strings and ``QLocale`` formatters; :func:`default_labels` gives plain English."""

    titles: Mapping[str, str]          # chart name (a key of CHARTS) -> title
    no_data: str
    # axis titles
    period: str                        # x axis of the per-period charts
    cohort: str                        # first-purchase month (second purchase, cohorts)
    months_since: str                  # heat map columns
    share: str                         # a percent axis
    conversion: str                    # second purchase y axis
    retention: str                     # heat map colour bar
    repeat_rate: str                   # recovery y axis
    clients: str
    calls: str
    contacts: str
    complaints: str
    minutes: str
    value_12m: str
    # legend entries
    by_revenue: str
    by_count: str
    new: str
    returning: str
    returning_rate: str
    complete: str                      # a cohort whose 90 days have passed
    incomplete: str                    # ... have not: its rate can still rise
    new_clients: str
    referred: str
    not_recorded: str                  # the "" channel
    share_of_clients: str
    share_of_revenue: str
    kept: str
    lost: str
    other: str                         # complaints neither kept nor lost (yet)
    total: str                         # the totals row of the complaints table
    # formatters
    fmt_period: Callable[[int], str]   # yyyymm (6 digits) or yyyyq (5 digits)
    fmt_number: Callable[[float], str]
    fmt_percent: Callable[[float], str]  # takes a fraction: 0.25 -> "25 %"
    fmt_money: Callable[[Decimal], str]
    median_resolution: Callable[[float | None], str]  # complaints text box
    n_clients: Callable[[int], str]    # recovery bar annotation
    # codes -> text
    outcome: Callable[[str], str]
    tone: Callable[[str], str]
    segment: Callable[[str], str]      # "A", "B", "C", "-" (no group yet)
    reason: Callable[[str], str]       # decline reason as typed; "" = none given
    category: Callable[[str], str]     # complaint category code
    recovery_group: Callable[[str], str]  # "recovered", "never_complained"
    column: Callable[[str], str] = field(default=lambda code: code)  # CSV header
    channel: Callable[[str], str] = field(default=lambda code: code)  # where clients came from
    # the report's own marks (the page sets them per report)
    partial_period: int | None = None  # the last period, when the range ends before it
    partial: str = "Incomplete period"  # its legend entry ("month so far")
    segments_note: str = ""            # under the A/B/C legend: the day of the groups


def _iso_period(key: int) -> str:
    key = int(key)
    if key >= 100000:
        return f"{key // 100:04d}-{key % 100:02d}"
    return f"{key // 10:04d} Q{key % 10}"


def _en_number(x: float) -> str:
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.1f}"


def _en_percent(x: float) -> str:
    return f"{x * 100:.0f}%"


def _en_money(d: Decimal) -> str:
    d = Decimal(d)
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"


def _humanize(code: str) -> str:
    return code.replace("_", " ").capitalize()


def default_labels() -> Labels:
    """Plain English and ISO-like formatters, for tests and the command line."""
    titles = {
        "repeat_share": "Repeat-purchase share",
        "returning_clients": "New and returning clients",
        "second_purchase": "Second purchase within 90 days",
        "cohorts": "Cohort retention",
        "channels": "New clients by channel",
        "segments": "Clients and revenue by group",
        "call_outcomes": "Call outcomes",
        "decline_reasons": "Why clients declined",
        "contact_tone": "Tone of contacts",
        "complaints": "Complaints by category",
        "recovery": "Repeat purchases after a complaint",
        "time_value": "Call time vs. client value",
    }
    return Labels(
        titles=titles, no_data="No data for this period",
        period="Period", cohort="First-purchase month",
        months_since="Months since first purchase", share="Share",
        conversion="Bought again within 90 days", retention="Clients buying",
        repeat_rate="Clients who bought again", clients="Clients", calls="Calls",
        contacts="Contacts", complaints="Complaints", minutes="Call minutes",
        value_12m="12-month revenue",
        by_revenue="By revenue", by_count="By count", new="New", returning="Returning",
        returning_rate="Returning rate", complete="Complete cohort",
        incomplete="Under 90 days old (can still rise)", new_clients="New clients",
        referred="Referred by a client", not_recorded="Not recorded",
        share_of_clients="Share of clients", share_of_revenue="Share of 12-month revenue",
        kept="Kept", lost="Lost", other="Open or resolved", total="Total",
        fmt_period=_iso_period, fmt_number=_en_number, fmt_percent=_en_percent,
        fmt_money=_en_money,
        median_resolution=lambda h: ("Median resolution: -" if h is None
                                     else f"Median resolution: {h:.1f} h"),
        n_clients=lambda n: f"n = {n:,}",
        outcome=_humanize, tone=_humanize,
        segment=lambda s: {"-": "No group", NO_PURCHASES: "No purchases in 12 months"
                           }.get(s, s),
        reason=lambda r: r or "No reason given",
        category=_humanize, recovery_group=_humanize,
    )


# --------------------------------------------------------------------------- helpers

# extra axes a drawing added next to ``ax`` (a twin, a colour bar): removed on redraw
_EXTRAS: weakref.WeakKeyDictionary[Axes, list[Any]] = weakref.WeakKeyDictionary()


def _reset(ax: Axes, labels: Labels, name: str) -> None:
    for extra in _EXTRAS.pop(ax, []):
        try:
            extra.remove()
        except (ValueError, KeyError, AttributeError):  # already gone with its figure
            pass
    ax.clear()
    ax.set_title(labels.titles.get(name, ""), fontsize=TITLE_SIZE, loc="left")
    ax.tick_params(labelsize=TICK_SIZE)
    ax.set_axisbelow(True)


def _remember(ax: Axes, extra: Any) -> None:
    _EXTRAS.setdefault(ax, []).append(extra)


def _no_data(ax: Axes, labels: Labels) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.text(0.5, 0.5, labels.no_data, transform=ax.transAxes, ha="center", va="center",
            fontsize=FONT_SIZE, color=palette.CHART_NOTE)


def _grid(ax: Axes, axis: str = "y") -> None:
    ax.grid(True, axis=axis, color=GRID_COLOR, linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _percent_axis(ax: Axes, labels: Labels, axis: str = "y", title: str | None = None
                  ) -> None:
    fmt = FuncFormatter(lambda v, _pos: labels.fmt_percent(v / 100))
    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_ylim if axis == "y" else ax.set_xlim)(0, 100)
    target.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(fmt)
    if title is not None:
        target.set_label_text(title, fontsize=FONT_SIZE)


def _count_axis(ax: Axes, labels: Labels, title: str, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=6, integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: labels.fmt_number(v)))
    target.set_label_text(title, fontsize=FONT_SIZE)
    if axis == "y":
        ax.set_ylim(bottom=0)
    else:
        ax.set_xlim(left=0)


def _period_ticks(ax: Axes, keys: Sequence[int], labels: Labels, title: str) -> None:
    n = len(keys)
    step = max(1, math.ceil(n / MAX_TICKS))
    ax.set_xticks(range(0, n, step))
    ax.set_xticklabels([labels.fmt_period(k) for k in keys[::step]])
    if n > ROTATE_AFTER:
        for t in ax.get_xticklabels():
            t.set_rotation(45)
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_xlabel(title, fontsize=FONT_SIZE)


def _wrap(text: str, width: int = LEGEND_WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _legend(ax: Axes, handles=None, names=None, x: float = 1.01, beyond: Axes | None = None
            ) -> None:
    """A legend outside the axes on the right, long names wrapped to keep it narrow;
    ``beyond``: a twin whose right-hand axis (ticks and label) it must clear, placed
    after that axis's drawn extent, whatever the width of the locale's tick texts."""
    if handles is None:
        handles, names = ax.get_legend_handles_labels()
    anchor, transform = (x, 1.0), ax.transAxes
    if beyond is not None:
        fig = ax.get_figure()
        right = beyond.yaxis.get_tightbbox(fig.canvas.get_renderer())
        width = ax.get_window_extent().width
        if right is not None and width > 0:
            # in pixels from the axes' right edge: the layout moves the edge, not that
            gap = right.x1 - ax.get_window_extent().x1 + 6
            anchor = (1.0, 1.0)
            transform = ax.transAxes + ScaledTranslation(gap / fig.dpi, 0,
                                                         fig.dpi_scale_trans)
    ax.legend(handles, [_wrap(n) for n in names], fontsize=SMALL_SIZE + 0.5,
              frameon=False, loc="upper left", bbox_to_anchor=anchor, borderaxespad=0.0,
              bbox_transform=transform)


def _mark_partial(ax: Axes, keys: Sequence[int], labels: Labels) -> None:
    """The last period, when the range ends before it does (the month so far): a
    hatched grey band behind it, named in the legend."""
    if labels.partial_period is None or labels.partial_period not in keys:
        return
    i = list(keys).index(labels.partial_period)
    ax.axvspan(i - 0.5, i + 0.5, facecolor=to_rgba(GREY, 0.12), edgecolor=GREY,
               hatch="//", linewidth=0, zorder=0, label=labels.partial)


def _pct(x: float | None) -> float:
    return math.nan if x is None else float(x) * 100


def _ordered(codes: set[str], order: Sequence[str]) -> list[str]:
    return [c for c in order if c in codes] + sorted(codes - set(order))


def _color_for(code: str, known: Mapping[str, str], i: int) -> str:
    return known.get(code, PALETTE[i % len(PALETTE)])


def _stacked_counts(ax: Axes, series: Sequence[Counted], labels: Labels,
                    order: Sequence[str], colors: Mapping[str, str],
                    name_of: Callable[[str], str], y_title: str) -> None:
    keys = sorted({c.period for c in series})
    codes = _ordered({c.label for c in series}, order)
    got = {(c.period, c.label): c.count for c in series}
    bottom = np.zeros(len(keys))
    x = np.arange(len(keys))
    for i, code in enumerate(codes):
        h = np.array([got.get((k, code), 0) for k in keys], dtype=float)
        ax.bar(x, h, bottom=bottom, width=0.75, color=_color_for(code, colors, i),
               hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.5,
               label=name_of(code))
        bottom += h
    _mark_partial(ax, keys, labels)
    _period_ticks(ax, keys, labels, labels.period)
    _count_axis(ax, labels, y_title)
    _grid(ax)
    _legend(ax)


# --------------------------------------------------------------------------- charts

def draw_repeat_share(ax: Axes, series: Sequence[RepeatShare], labels: Labels) -> None:
    """Two lines per period: returning / all purchases, by revenue and by count."""
    _reset(ax, labels, "repeat_share")
    if not series or all(s.purchases == 0 and s.revenue == 0 for s in series):
        return _no_data(ax, labels)
    keys = [s.period for s in series]
    x = np.arange(len(series))
    ax.plot(x, [_pct(s.share_revenue) for s in series], color=BLUE, marker=MARKERS[0],
            markersize=4, linewidth=1.8, linestyle="-", label=labels.by_revenue)
    ax.plot(x, [_pct(s.share_count) for s in series], color=ORANGE, marker=MARKERS[1],
            markersize=4, linewidth=1.8, linestyle="--", label=labels.by_count)
    _mark_partial(ax, keys, labels)
    _period_ticks(ax, keys, labels, labels.period)
    _percent_axis(ax, labels, title=labels.share)
    _grid(ax)
    _legend(ax)


def draw_returning_clients(ax: Axes, series: Sequence[ReturningClients], labels: Labels
                           ) -> None:
    """Stacked bars new + returning clients per period; the returning rate as a line on
    a percent axis on the right."""
    _reset(ax, labels, "returning_clients")
    if not series or all(s.clients == 0 for s in series):
        return _no_data(ax, labels)
    keys = [s.period for s in series]
    x = np.arange(len(series))
    new = [s.new for s in series]
    ret = [s.returning for s in series]
    ax.bar(x, new, width=0.75, color=SKY, edgecolor="white", linewidth=0.5,
           label=labels.new)
    ax.bar(x, ret, bottom=new, width=0.75, color=BLUE, hatch=HATCHES[1],
           edgecolor="white", linewidth=0.5, label=labels.returning)
    _mark_partial(ax, keys, labels)
    _period_ticks(ax, keys, labels, labels.period)
    _count_axis(ax, labels, labels.clients)
    _grid(ax)
    twin = ax.twinx()
    _remember(ax, twin)
    twin.plot(x, [_pct(s.rate) for s in series], color=VERMILLION, marker=MARKERS[2],
              markersize=4, linewidth=1.6, label=labels.returning_rate)
    _percent_axis(twin, labels, title=labels.returning_rate)
    twin.tick_params(labelsize=TICK_SIZE)
    twin.spines["top"].set_visible(False)
    handles, names = ax.get_legend_handles_labels()
    h2, n2 = twin.get_legend_handles_labels()
    # beyond the right-hand percent axis, so the legend covers neither its ticks nor its
    # label
    _legend(ax, handles + h2, names + n2, x=1.14, beyond=twin)


def draw_second_purchase(ax: Axes, series: Sequence[CohortConversion], labels: Labels
                         ) -> None:
    """Bars of the 90-day conversion rate per cohort month; cohorts whose 90 days have
    not passed are lighter and hatched (their rate can still rise)."""
    _reset(ax, labels, "second_purchase")
    if not series or all(s.clients == 0 for s in series):
        return _no_data(ax, labels)
    keys = [s.cohort for s in series]
    for done, name, color, hatch in ((True, labels.complete, BLUE, HATCHES[0]),
                                     (False, labels.incomplete, SKY, HATCHES[1])):
        # a cohort with no clients has no rate: a gap, never a 0 % bar
        idx = [i for i, s in enumerate(series) if s.complete is done and s.rate is not None]
        if not idx:
            continue
        ax.bar(idx, [_pct(series[i].rate) for i in idx],
               width=0.75, color=to_rgba(color, 1.0 if done else 0.55), hatch=hatch,
               edgecolor=BLUE if not done else "white", linewidth=0.6, label=name)
    _period_ticks(ax, keys, labels, labels.cohort)
    _percent_axis(ax, labels, title=labels.conversion)
    _grid(ax)
    _legend(ax)


def draw_cohorts(ax: Axes, series: Sequence[CohortRetention], labels: Labels) -> None:
    """Heat map: rows are cohort months, columns months since the first purchase, cells
    the percent of the cohort buying in that month (blank: in the future or no cohort)."""
    _reset(ax, labels, "cohorts")
    if not series or all(s.size == 0 for s in series):
        return _no_data(ax, labels)
    width = max(len(s.active) for s in series)
    grid = np.full((len(series), width), np.nan)
    for r, s in enumerate(series):
        for c, rate in enumerate(s.rates()):
            if rate is not None:
                grid[r, c] = rate * 100
    data = np.ma.masked_invalid(grid)
    cmap = RETENTION_CMAP.with_extremes(bad=(0, 0, 0, 0))
    im = ax.imshow(data, cmap=cmap, vmin=0, vmax=100, aspect="auto",
                   interpolation="nearest")
    cbar = ax.get_figure().colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    _remember(ax, cbar)
    cbar.ax.tick_params(labelsize=TICK_SIZE)
    cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: labels.fmt_percent(v / 100)))
    cbar.set_label(labels.retention, fontsize=FONT_SIZE)
    rows = len(series)
    ystep = max(1, math.ceil(rows / MAX_TICKS))
    ax.set_yticks(range(0, rows, ystep))
    ax.set_yticklabels([labels.fmt_period(s.cohort) for s in series[::ystep]])
    xstep = max(1, math.ceil(width / MAX_TICKS))
    ax.set_xticks(range(0, width, xstep))
    ax.set_xticklabels([labels.fmt_number(n) for n in range(0, width, xstep)])
    ax.set_xlabel(labels.months_since, fontsize=FONT_SIZE)
    ax.set_ylabel(labels.cohort, fontsize=FONT_SIZE)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if rows <= ANNOTATE_CELLS and width <= ANNOTATE_CELLS:
        size = SMALL_SIZE if max(rows, width) <= 8 else SMALL_SIZE - 1
        for r in range(rows):
            for c in range(width):
                if not np.isnan(grid[r, c]):
                    ax.text(c, r, labels.fmt_percent(grid[r, c] / 100), ha="center",
                            va="center", fontsize=size,
                            color="white" if grid[r, c] > 50 else BLACK)


def draw_channels(ax: Axes, series: Sequence[ChannelRow], labels: Labels) -> None:
    """Horizontal bars of new clients per channel (largest on top), the part referred by
    another client drawn over them in a darker, hatched bar."""
    _reset(ax, labels, "channels")
    if not series or all(s.new_clients == 0 for s in series):
        return _no_data(ax, labels)
    rows = sorted(series, key=lambda s: -s.new_clients)  # stable: metrics' tie order
    y = np.arange(len(rows))
    ax.barh(y, [s.new_clients for s in rows], height=0.7, color=SKY,
            label=labels.new_clients)
    ax.barh(y, [s.referred for s in rows], height=0.7, color=BLUE, hatch=HATCHES[1],
            edgecolor="white", linewidth=0.5, label=labels.referred)
    ax.set_yticks(y)
    ax.set_yticklabels([labels.channel(s.channel) if s.channel else labels.not_recorded
                        for s in rows])
    ax.invert_yaxis()
    _count_axis(ax, labels, labels.new_clients, axis="x")
    _grid(ax, "x")
    _legend(ax)


def _segment_rows(series: Sequence[SegmentShare]) -> list[SegmentShare]:
    order = {c: i for i, c in enumerate(SEGMENT_ORDER)}
    return sorted(series, key=lambda s: (order.get(s.segment, len(order)), s.segment))


def _segment_shares(series: Sequence[SegmentShare]) -> list[tuple[float | None,
                                                                  float | None]]:
    clients = sum(s.clients for s in series)
    revenue = sum((s.revenue_12m for s in series), Decimal(0))
    return [(s.clients / clients if clients else None,
             float(s.revenue_12m / revenue) if revenue > 0 else None) for s in series]


def draw_segments(ax: Axes, series: Sequence[SegmentShare], labels: Labels) -> None:
    """Per group A/B/C (and the band of clients with no purchases in 12 months): share
    of clients and share of 12-month revenue, side by side; the day the groups were
    computed under the legend (``labels.segments_note``)."""
    _reset(ax, labels, "segments")
    if not series or all(s.clients == 0 and s.revenue_12m == 0 for s in series):
        return _no_data(ax, labels)
    rows = _segment_rows(series)
    shares = _segment_shares(rows)
    x = np.arange(len(rows))
    w = 0.38
    ax.bar(x - w / 2, [_pct(a) if a is not None else 0 for a, _b in shares], width=w,
           color=BLUE, edgecolor="white", linewidth=0.5, label=labels.share_of_clients)
    ax.bar(x + w / 2, [_pct(b) if b is not None else 0 for _a, b in shares], width=w,
           color=ORANGE, hatch=HATCHES[1], edgecolor="white", linewidth=0.5,
           label=labels.share_of_revenue)
    for container in ax.containers:
        ax.bar_label(container, labels=[labels.fmt_percent(p.get_height() / 100)
                                        for p in container.patches],
                     fontsize=SMALL_SIZE, padding=1)
    ax.set_xticks(x)
    ax.set_xticklabels([_wrap(labels.segment(s.segment), 12) for s in rows])
    ax.set_xlim(-0.6, len(rows) - 0.4)
    _percent_axis(ax, labels, title=labels.share)
    _grid(ax)
    _legend(ax)
    if labels.segments_note:
        ax.text(1.01, 0.0, _wrap(labels.segments_note), transform=ax.transAxes, ha="left",
                va="bottom", fontsize=SMALL_SIZE + 0.5, color=palette.CHART_NOTE)


def draw_call_outcomes(ax: Axes, series: Sequence[Counted], labels: Labels) -> None:
    """Logged calls per period, stacked by outcome."""
    _reset(ax, labels, "call_outcomes")
    if not series or sum(c.count for c in series) == 0:
        return _no_data(ax, labels)
    _stacked_counts(ax, series, labels, OUTCOME_ORDER, OUTCOME_COLORS, labels.outcome,
                    labels.calls)


def draw_contact_tone(ax: Axes, series: Sequence[Counted], labels: Labels) -> None:
    """Contacts per period, stacked by tone (positive green, neutral grey, negative
    vermillion)."""
    _reset(ax, labels, "contact_tone")
    if not series or sum(c.count for c in series) == 0:
        return _no_data(ax, labels)
    _stacked_counts(ax, series, labels, TONE_ORDER, TONE_COLORS, labels.tone,
                    labels.contacts)


def draw_decline_reasons(ax: Axes, series: Sequence[Reason], labels: Labels) -> None:
    """Horizontal bars of the ten most frequent decline reasons, most frequent on top."""
    _reset(ax, labels, "decline_reasons")
    rows = sorted((r for r in series if r.count > 0), key=lambda r: -r.count)[:TOP_REASONS]
    if not rows:
        return _no_data(ax, labels)
    y = np.arange(len(rows))
    bars = ax.barh(y, [r.count for r in rows], height=0.7, color=VERMILLION)
    ax.bar_label(bars, labels=[labels.fmt_number(r.count) for r in rows],
                 fontsize=SMALL_SIZE, padding=2)
    ax.set_yticks(y)
    ax.set_yticklabels([_shorten(labels.reason(r.reason)) for r in rows])
    ax.invert_yaxis()
    _count_axis(ax, labels, labels.calls, axis="x")
    ax.set_xlim(0, max(r.count for r in rows) * 1.12)
    _grid(ax, "x")


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def draw_complaints(ax: Axes, series: ComplaintSummary, labels: Labels) -> None:
    """Complaints per category, split into kept / lost / other (not closed yet); the
    median hours to resolution in a box."""
    _reset(ax, labels, "complaints")
    cats = [c for c in series.categories if c.complaints > 0]
    if not cats:
        return _no_data(ax, labels)
    x = np.arange(len(cats))
    kept = np.array([c.kept for c in cats], dtype=float)
    lost = np.array([c.lost for c in cats], dtype=float)
    other = np.array([c.complaints - c.kept - c.lost for c in cats], dtype=float)
    ax.bar(x, kept, width=0.7, color=GREEN, edgecolor="white", linewidth=0.5,
           label=labels.kept)
    ax.bar(x, lost, bottom=kept, width=0.7, color=VERMILLION, hatch=HATCHES[1],
           edgecolor="white", linewidth=0.5, label=labels.lost)
    ax.bar(x, other, bottom=kept + lost, width=0.7, color=GREY, hatch=HATCHES[2],
           edgecolor="white", linewidth=0.5, label=labels.other)
    ax.set_xticks(x)
    ax.set_xticklabels([_shorten(labels.category(c.category), 28) for c in cats])
    if len(cats) > 5:
        for t in ax.get_xticklabels():
            t.set_rotation(30)
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")
    ax.set_xlim(-0.6, len(cats) - 0.4)
    _count_axis(ax, labels, labels.complaints)
    _grid(ax)
    _legend(ax)
    ax.text(1.01, 0.0, _wrap(labels.median_resolution(series.median_resolution_hours)),
            transform=ax.transAxes, ha="left", va="bottom", fontsize=SMALL_SIZE + 0.5,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": palette.NOTE_BACKGROUND, "edgecolor": GREY})


def draw_recovery(ax: Axes, series: Sequence[RecoveryGroup], labels: Labels) -> None:
    """Two bars: the repeat-purchase rate of clients kept after a complaint and of
    clients who never complained, each annotated with its number of clients."""
    _reset(ax, labels, "recovery")
    if not series or all(g.clients == 0 for g in series):
        return _no_data(ax, labels)
    x = np.arange(len(series))
    for i, g in enumerate(series):
        h = 0.0 if g.rate is None else _pct(g.rate)
        ax.bar([i], [h], width=0.55, color=_color_for(g.group, RECOVERY_COLORS, i + 4),
               hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.5,
               label=labels.recovery_group(g.group))
        inside = h > 85
        ax.text(i, h - 2 if inside else h + 2, labels.n_clients(g.clients), ha="center",
                va="top" if inside else "bottom", fontsize=SMALL_SIZE + 0.5,
                color="white" if inside else BLACK)
    ax.set_xticks(x)
    ax.set_xticklabels([labels.recovery_group(g.group) for g in series])
    ax.set_xlim(-0.6, len(series) - 0.4)
    _percent_axis(ax, labels, title=labels.repeat_rate)
    _grid(ax)


def draw_time_value(ax: Axes, series: Sequence[TimeValue], labels: Labels) -> None:
    """One point per client: logged call minutes (x) against 12-month revenue (y),
    coloured (and shaped) by group A/B/C."""
    _reset(ax, labels, "time_value")
    if not series:
        return _no_data(ax, labels)
    codes = _ordered({t.segment for t in series}, SEGMENT_ORDER)
    for i, code in enumerate(codes):
        pts = [t for t in series if t.segment == code]
        j = SEGMENT_ORDER.index(code) if code in SEGMENT_ORDER else i
        ax.scatter([float(t.minutes) for t in pts], [float(t.value_12m) for t in pts],
                   s=22, color=_color_for(code, SEGMENT_COLORS, i), alpha=0.8,
                   marker=MARKERS[j % len(MARKERS)], edgecolors="none",
                   label=labels.segment(code))
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: labels.fmt_number(v)))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: labels.fmt_money(Decimal(str(round(v, 2))))))
    ax.set_xlabel(labels.minutes, fontsize=FONT_SIZE)
    ax.set_ylabel(labels.value_12m, fontsize=FONT_SIZE)
    _grid(ax, "both")
    _legend(ax)


# --------------------------------------------------------------------------- CSV

def _cells(*values: Any) -> list[str | int | float]:
    out: list[str | int | float] = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append(int(v))
        elif isinstance(v, Decimal):
            out.append(str(v))
        else:  # a float whole: str() writes the shortest text that reads back the same
            out.append(v)
    return out


def series_table(name: str, series: Any, labels: Labels
                 ) -> tuple[list[str], list[list[str | int | float]]]:
    """CSV-ready header and rows of one chart's series: the numbers drawn in full
    precision (shares as fractions, not rounded; money as decimal strings; None as ""), codes and
    period keys (yyyymm / yyyyq) as stored; headers are ``labels.column(code)``. Decline
    reasons are all listed, not only the ten drawn; complaints end with a totals row."""
    if name == "repeat_share":
        cols = ["period", "purchases", "returning_purchases", "revenue",
                "returning_revenue", "share_count", "share_revenue"]
        rows = [_cells(s.period, s.purchases, s.returning_purchases, s.revenue,
                       s.returning_revenue, s.share_count, s.share_revenue) for s in series]
    elif name == "returning_clients":
        cols = ["period", "clients", "new", "returning", "rate"]
        rows = [_cells(s.period, s.clients, s.new, s.returning, s.rate) for s in series]
    elif name == "second_purchase":
        cols = ["cohort", "clients", "converted", "rate", "complete"]
        rows = [_cells(s.cohort, s.clients, s.converted, s.rate, s.complete)
                for s in series]
    elif name == "cohorts":
        cols = ["cohort", "size", "months_since", "active", "rate"]
        rows = [_cells(s.cohort, s.size, n, a, r) for s in series
                for n, (a, r) in enumerate(zip(s.active, s.rates(), strict=True))]
    elif name == "channels":
        cols = ["channel", "new_clients", "referred", "revenue", "returning_revenue",
                "share_revenue"]
        rows = [_cells(s.channel, s.new_clients, s.referred, s.revenue,
                       s.returning_revenue, s.share_revenue) for s in series]
    elif name == "segments":
        cols = ["segment", "clients", "revenue_12m", "share_clients", "share_revenue"]
        segs = _segment_rows(series)
        rows = [_cells(s.segment, s.clients, s.revenue_12m, a, b)
                for s, (a, b) in zip(segs, _segment_shares(segs), strict=True)]
    elif name in ("call_outcomes", "contact_tone"):
        cols = ["period", "outcome" if name == "call_outcomes" else "tone", "count"]
        rows = [_cells(c.period, c.label, c.count) for c in series]
    elif name == "decline_reasons":
        cols = ["reason", "count"]
        rows = [_cells(r.reason, r.count) for r in series]
    elif name == "complaints":
        cols = ["category", "complaints", "kept", "lost", "other",
                "median_resolution_hours"]
        rows = [_cells(c.category, c.complaints, c.kept, c.lost,
                       c.complaints - c.kept - c.lost, None) for c in series.categories]
        rows.append(_cells(labels.total, series.opened, series.kept, series.lost,
                           series.opened - series.kept - series.lost,
                           series.median_resolution_hours))
    elif name == "recovery":
        cols = ["group", "clients", "repeaters", "rate"]
        rows = [_cells(g.group, g.clients, g.repeaters, g.rate) for g in series]
    elif name == "time_value":
        cols = ["client_id", "name", "segment", "minutes", "value_12m"]
        rows = [_cells(t.client_id, t.name, t.segment, t.minutes, t.value_12m)
                for t in series]
    else:
        raise KeyError(name)
    return [labels.column(c) for c in cols], rows


# --------------------------------------------------------------------------- registry

class Chart(NamedTuple):
    draw: Callable[[Axes, Any, Labels], None]
    attr: str  # the field of metrics.Report holding the series


CHARTS: dict[str, Chart] = {
    "repeat_share": Chart(draw_repeat_share, "repeat_share"),
    "returning_clients": Chart(draw_returning_clients, "returning_clients"),
    "second_purchase": Chart(draw_second_purchase, "second_purchase"),
    "cohorts": Chart(draw_cohorts, "cohorts"),
    "channels": Chart(draw_channels, "channels"),
    "segments": Chart(draw_segments, "segments"),
    "call_outcomes": Chart(draw_call_outcomes, "call_outcomes"),
    "decline_reasons": Chart(draw_decline_reasons, "decline_reasons"),
    "contact_tone": Chart(draw_contact_tone, "contact_tone"),
    "complaints": Chart(draw_complaints, "complaints"),
    "recovery": Chart(draw_recovery, "recovery"),
    "time_value": Chart(draw_time_value, "time_clients"),
}
"""Chart name -> (draw function, Report attribute), in the order the page shows them."""


# --------------------------------------------------------------------------- figures

#: the dots per inch of a chart at a device pixel ratio of 1 (the page's size in pixels
#: is its size in inches times this)
DPI = 100


class Rendered(NamedTuple):
    """A chart rendered by Agg: straight (not premultiplied) RGBA rows, top first."""

    width: int
    height: int
    rgba: bytes


def _overflows(box, room, *, across: bool) -> bool:
    """``box`` reaches out of ``room``: across (left, right) or along (bottom, top)."""
    if across:
        return box.x0 < room.x0 - 0.5 or box.x1 > room.x1 + 0.5
    return box.y0 < room.y0 - 0.5 or box.y1 > room.y1 + 0.5


def _wrap_to_fit(text: Text, fits: Callable[[], bool], most: int = 3) -> None:
    """Wrap ``text`` at word breaks into the fewest lines (at most ``most``) with which
    ``fits()``; a text that fits no way is left on ``most`` lines."""
    words = text.get_text()
    if "\n" in words or " " not in words.strip():
        return
    for width in range(len(words) - 1, 5, -1):
        lines = textwrap.wrap(words, width)
        if len(lines) > most:
            return
        text.set_text("\n".join(lines))
        if fits():  # as few lines as fit, then as even as they can be
            while width > 6 and len(textwrap.wrap(words, width - 1)) == len(lines):
                width -= 1
            text.set_text("\n".join(textwrap.wrap(words, width)))
            return


def _ticks_overlap(ax: Axes, renderer) -> bool:
    """Two of the x axis's tick texts in view run into each other."""
    lo, hi = sorted(ax.get_xlim())
    boxes = [t.get_window_extent(renderer)
             for t, at in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
             if t.get_visible() and t.get_text() and lo - 1e-9 <= at <= hi + 1e-9]
    boxes.sort(key=lambda b: b.x0)
    return any(a.x1 > b.x0 - 2 for a, b in zip(boxes, boxes[1:], strict=False))


def fit_texts(figure: Figure) -> None:
    """The chart's words fitted to the room the layout gives them, in whatever language
    (Polish and Bulgarian titles, axis titles and category names run longer than
    English): a title or an axis title reaching out of the figure is wrapped; upright
    category names that run into each other are wrapped, then slanted. Needs a layout
    pass (drawn without rendering); the next draw lays the wrapped texts out again."""
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    room = figure.bbox
    for ax in figure.axes:
        titles = [ax.title, ax._left_title, ax._right_title]  # center, left, right
        for text in titles:
            if text.get_text() and _overflows(text.get_window_extent(renderer), room,
                                              across=True):
                _wrap_to_fit(text, lambda t=text: not _overflows(
                    t.get_window_extent(renderer), room, across=True))
        for text in (ax.yaxis.label, ax.xaxis.label):
            upright = text is ax.xaxis.label
            if text.get_text() and text.get_visible() and _overflows(
                    text.get_window_extent(renderer), room, across=upright):
                _wrap_to_fit(text, lambda t=text, u=upright: not _overflows(
                    t.get_window_extent(renderer), room, across=u))
        # names at fixed ticks (categories, periods; not a numbers' scale), upright and
        # shown (a twin's hidden ticks share the names: left alone)
        shown = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        if (shown and ax.xaxis.get_visible()
                and isinstance(ax.xaxis.get_major_locator(), FixedLocator)
                and not any(t.get_rotation() for t in shown)
                and _ticks_overlap(ax, renderer)):
            names = [t.get_text() for t in ax.get_xticklabels()]
            longest = max(len(w) for n in names for w in (n.split() or [""]))
            ax.set_xticklabels(["\n".join(textwrap.wrap(n, max(10, longest)) or [n])
                                for n in names])
            if _ticks_overlap(ax, renderer):  # on one line each, slanted
                ax.set_xticklabels(names)
                for t in ax.get_xticklabels():
                    t.set_rotation(30)
                    t.set_horizontalalignment("right")
                    t.set_rotation_mode("anchor")


def chart_figure(name: str, series: Any, labels: Labels, size: tuple[int, int],
                 scale: float = 1.0) -> Figure:
    """A new Figure of ``size`` pixels at a device pixel ratio of 1 (times ``scale``
    otherwise), with an Agg canvas, constrained layout and the chart ``name`` drawn, its
    words fitted to their room (:func:`fit_texts`)."""
    figure = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI * scale,
                    layout="constrained")
    FigureCanvasAgg(figure)
    CHARTS[name].draw(figure.add_subplot(), series, labels)
    fit_texts(figure)
    return figure


def render_chart(name: str, series: Any, labels: Labels, size: tuple[int, int],
                 scale: float = 1.0) -> Rendered:
    """The chart drawn and rendered, as pixels: all of matplotlib's work in one call that
    touches no window, so it can run off the GUI thread; the figure is not kept."""
    figure = chart_figure(name, series, labels, size, scale)
    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    return Rendered(width, height, bytes(canvas.buffer_rgba()))


def save_chart(name: str, series: Any, labels: Labels, size: tuple[int, int], path,
               kind: str, dpi: int = 150) -> None:
    """The chart written to ``path`` as ``kind`` ("png", "pdf") at ``dpi``."""
    chart_figure(name, series, labels, size).savefig(path, format=kind, dpi=dpi)
