"""Each client's kept churn-risk score (app/services/risk_store.py writes them).

One row per client who had a purchase day on the day the scores were computed: the
score (the probability of no purchase in the next ``horizon`` days), its level, the
explanation as a code and its values (the UI words them), the model used and the day
(``as_of``) the history was cut at. A score is the client's until a newer purchase
day (``last_on`` is no longer the client's last purchase day) makes it stale (the status then follows the gap rule again, see
app/services/clients.py ``status_expr``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ClientRisk(Base):
    __tablename__ = "client_risk"
    __table_args__ = (
        # the list sorted by risk walks this index (the ties by client, both directions)
        Index("ix_client_risk_score", "score", "client_id"),
    )

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    score: Mapped[float] = mapped_column(Float)
    #: "high", "medium" or "low" (app/services/risk.py level_of)
    level: Mapped[str] = mapped_column(String(6))
    #: the explanation's code: "risk.own_gap" or "risk.business_gap"
    code: Mapped[str] = mapped_column(String(40))
    #: the explanation's values
    since_days: Mapped[int] = mapped_column(Integer)
    gap_days: Mapped[int] = mapped_column(Integer)
    ratio: Mapped[float] = mapped_column(Float)
    purchase_days: Mapped[int] = mapped_column(Integer)
    value_cents: Mapped[int] = mapped_column(Integer)
    #: the 12-month value's third among the clients who bought: high, medium, low, none
    value_level: Mapped[str] = mapped_column(String(6))
    #: the fallback's expected gap in days (None for the fitted models)
    expected_gap: Mapped[int | None] = mapped_column(Integer)
    #: "bgnbd", "logistic" or "fallback"
    model: Mapped[str] = mapped_column(String(10))
    #: the day the history was cut at (only purchases on or before it were known)
    as_of: Mapped[date] = mapped_column(Date)
    #: the client's last purchase day then: while it is still ``clients.last_purchase_on``
    #: the score is the client's; a later purchase makes it stale
    last_on: Mapped[date] = mapped_column(Date)
    horizon: Mapped[int] = mapped_column(Integer)
