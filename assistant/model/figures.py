"""Figures as people write and compare them: one formatter, one rounding, one year-over-year change.

The checker, the drafter, the exporter and the chat all show and compare
figures; they do it through these functions so that "12.3%" in a draft is
the same number the checker computes for the same two years.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .report import Number


def plain(value: Number) -> Number:
    """An int when the value is integral, so 35.0 shows and serialises as 35."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fmt(value: Number) -> str:
    """A figure as a person writes it: 35, 19.7, -3 (at most six decimals, no float noise)."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def round1(x: float) -> float:
    """Round half up to one decimal, as people do (12.25 -> 12.3), not banker's rounding."""
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def change(current: Number, previous: Number) -> Number:
    """This year's figure minus last year's, exact in decimal (0.3 - 0.1 is 0.2, not 0.19999999999999998)."""
    d = Decimal(repr(current)) - Decimal(repr(previous))
    return int(d) if d == d.to_integral_value() else float(d)


def percent_change(current: Number, previous: Number) -> Optional[float]:
    """The change as a percentage of last year's figure, unrounded; None when last year's is 0."""
    if not previous:
        return None
    return float((Decimal(repr(current)) - Decimal(repr(previous))) / Decimal(repr(previous)) * 100)
