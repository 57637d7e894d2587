"""A risk score's explanation as a code and its values (the UI words them, in the
user's language): light, with no numpy or scipy, so the card and the queue read kept
scores without importing the models' libraries (app/services/risk.py computes them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Explanation", "explanation_code", "explanation_values", "money_text"]


@dataclass(frozen=True)
class Explanation:
    """A sentence as a code and its values (the UI translates it; ``text`` is English)."""

    code: str
    values: dict

    def text(self) -> str:
        v = self.values
        value = f"12-month value {v['value_12m']} ({v['value_level']})"
        if self.code == "risk.own_gap":
            head = (f"usual gap {v['gap']} days, {v['since']} days since the last "
                    f"purchase ({v['ratio']}x)")
        elif self.code == "risk.business_gap":
            head = (f"{v['purchase_days']} purchase day(s), {v['since']} days since the "
                    f"last one; the business's usual gap is {v['gap']} days ({v['ratio']}x)")
        else:
            head = f"{v['since']} days since the last purchase"
        return f"{head}, {value}: {v['level']} risk"



def money_text(cents: int) -> str:
    """Cents as the explanation's value text: "1240.00", "-5.50"."""
    return (f"{cents // 100}.{cents % 100:02d}" if cents >= 0
            else f"-{-cents // 100}.{-cents % 100:02d}")


def explanation_values(since: int, gap: int, ratio: float, purchase_days: int,
                       cents: int, value_level: str, level: str, score: float,
                       expected_gap: int | None) -> dict:
    """The values of a client's explanation (one place: the report and the kept rows)."""
    values = {"since": since, "gap": gap, "ratio": ratio, "purchase_days": purchase_days,
              "value_12m": money_text(cents), "value_level": value_level, "level": level,
              "score": round(score, 2)}
    if expected_gap is not None:  # the fallback's own reading of the client's rhythm
        values["expected_gap"] = expected_gap
    return values


def explanation_code(own_gap: bool) -> str:
    return "risk.own_gap" if own_gap else "risk.business_gap"
