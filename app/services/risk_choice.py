"""Which model scored the kept risk scores, and why: light, with no numpy or scipy.

A large file's scores are computed in a child process (app/services/risk_worker.py),
which sends this choice back pickled; defined beside the models (app/services/risk.py)
it made the window import scipy only to read it back, about 75 MiB of the window's
resident set at a million clients for four plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Choice"]


@dataclass(frozen=True)
class Choice:
    model: str
    #: why: "backtest" (best AUC of the candidates), "short_history", "few_buyers"
    reason: str
    #: the candidates' AUC on the business's past (scored at as_of - N, labelled by as_of)
    aucs: dict[str, float | None]
    #: the cut of that backtest
    tested_at: date | None

    def plain(self) -> Choice:
        """The same choice with plain Python numbers (no numpy scalar in ``aucs``), so
        reading it back pickled needs no numpy either."""
        return Choice(str(self.model), str(self.reason),
                      {str(k): None if v is None else float(v) for k, v in self.aucs.items()},
                      self.tested_at)
