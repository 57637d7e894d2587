"""The colours of ClientCare, by what they mean (no Qt here).

app/ui uses them in style sheets and ``QColor``; app/charts.py in matplotlib. Change a
colour here and every place that means the same thing follows.
"""

from __future__ import annotations

# ------------------------------------------------------------------- text in the window
ERROR = "#b91c1c"         # a refusal, an overdue call, "do not contact"
WARNING = "#b45309"       # something to check: a phone number, a client at risk
SUCCESS = "#047857"       # "saved", "backed up", a meeting in the calendar
INFO = "#1d4ed8"          # a new client, a call in the calendar
MUTED = "#6b7280"         # a lapsed client, a call already logged
SECONDARY_TEXT = "#555555"  # hints and small print beside a field
ERROR_BACKGROUND = "#fee2e2"  # a cell that is refused

# the read-only banner above the pages
BANNER_BACKGROUND = "#fff4ce"
BANNER_TEXT = "#3d2e00"
BANNER_BORDER = "#e0c060"

# ------------------------------------------------------------------------------- charts
# Okabe & Ito (2008), "Color Universal Design"; GREY is added for "neutral"/"other".
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
YELLOW = "#F0E442"
BLACK = "#000000"
GREY = "#999999"

RETENTION_LIGHT = "#F2F7FB"  # the two ends of the retention heat map, around SKY and BLUE
RETENTION_DARK = "#003A5C"
GRID = "#DDDDDD"
CHART_NOTE = "#666666"       # the small note under a chart
CHART_EMPTY_TEXT = SECONDARY_TEXT  # "no data" in the middle of an empty chart
NOTE_BACKGROUND = "#F4F4F4"  # the box of an annotation in a chart
