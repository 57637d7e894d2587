"""A risk score in the user's language: its level, its percent, and its explanation
(a code and its values, app/services/risk_explain.py) as a sentence, money through
QLocale ("usual gap 35 days, 80 days since the last purchase (2.3×), 12-month value
1 240,00 zł: high risk")."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale, QObject

from app.text import subst
from app.ui.formatting import fmt_money


class RiskWords(QObject):
    """The translation context of these words (``RiskWords.tr``: plurals included)."""


def level(value: str) -> str:
    """"high risk", "medium risk", "low risk"."""
    return {"high": RiskWords.tr("high risk"),
            "medium": RiskWords.tr("medium risk"),
            "low": RiskWords.tr("low risk")}.get(value, value)


def level_title(value: str) -> str:
    """The list's filter: "High risk", "Medium risk", "Low risk"."""
    return {"high": RiskWords.tr("High risk"),
            "medium": RiskWords.tr("Medium risk"),
            "low": RiskWords.tr("Low risk")}.get(value, value)


def percent(score: float, locale: QLocale | None = None) -> str:
    """The score as a whole percent: "82 %" (the locale's digits and sign)."""
    loc = locale or QLocale()
    return subst(RiskWords.tr("%1 %", "a risk score in percent"),
                 loc.toString(int(round(score * 100))))


def days(n: int) -> str:
    return RiskWords.tr("%n day(s)", "", int(n))


def explanation(code: str, values: dict, currency: str,
                locale: QLocale | None = None) -> str:
    """The explanation's sentence."""
    loc = locale or QLocale()
    ratio = loc.toString(float(values["ratio"]), "f", 1)
    money = fmt_money(Decimal(str(values["value_12m"])), currency, loc)
    lvl = level(str(values["level"]))
    if code == "risk.own_gap":
        return subst(RiskWords.tr("usual gap %1, %2 since the last purchase (%3×), 12-month value %4: %5"),
            days(values["gap"]), days(values["since"]), ratio, money, lvl)
    n = int(values["purchase_days"])
    head = RiskWords.tr("%n purchase day(s)", "", n)
    return subst(RiskWords.tr("%1, %2 since the last one; the business's usual gap is %3 (%4×), "
            "12-month value %5: %6"),
        head, days(values["since"]), days(values["gap"]), ratio, money, lvl)


def overdue(n: int) -> str:
    """How far past the client's usual gap: "12 days past the usual gap"."""
    if n <= 0:
        return RiskWords.tr("not past the usual gap yet")
    return RiskWords.tr("%n day(s) past the usual gap", "", int(n))


def no_score() -> str:
    """What a client without a kept score is told (the status follows the gap rule)."""
    return RiskWords.tr("No risk score yet (it is computed after the start of the day and after an "
            "import): the at-risk status follows the days since the last purchase over "
            "the usual gap.")


def stale_score() -> str:
    return RiskWords.tr("A purchase came after the last risk score: until it is computed again, the "
            "at-risk status follows the days since the last purchase over the usual gap.")


def model_line(model: str, as_of_text: str, horizon: int) -> str:
    """Where the score comes from: "the chance of no purchase in the next 90 days,
    computed on 30.06.2026 (BG/NBD model)"."""
    name = {"bgnbd": RiskWords.tr("BG/NBD model"),
            "logistic": RiskWords.tr("logistic model"),
            "fallback": RiskWords.tr("simple score: too little history for a fitted model")}.get(model, model)
    return subst(RiskWords.tr("the chance of no purchase in the next %1, computed on %2 (%3)"),
        days(horizon), as_of_text, name)
