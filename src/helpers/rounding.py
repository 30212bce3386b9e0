"""What a number as printed allows: the interval it stands for, carried through sums, differences, ratios and shares.

A number printed with its last digit in the unit ``u`` (``u = 1`` for "19", ``u = 0.1`` for "13,8") stands for any
true value within half a unit either side: ``[x - u/2, x + u/2)`` (the upper end prints as the next number). A
count, a year or a target such as "adds up to 100" is exact (``u = 0``). Whatever the report computes from printed
numbers is only known as far as those intervals allow, so a sum of ``k`` numbers each printed to ``u`` may be off by
up to ``k * u / 2``, a difference by the two half-units together, and a ratio or share by what the ends of the
intervals give (interval arithmetic, e.g. Moore, Kearfott and Cloud, *Introduction to Interval Analysis*, 2009, ch.
2).

One rule then decides every kind of check (:func:`verdict`): equal printed values are *consistent*; values whose
intervals overlap are *consistent within rounding*; values whose intervals do not overlap are a *discrepancy*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Slack for floating-point arithmetic on printed decimals (0.1 + 0.2 != 0.3), far below any printed unit.
EPS = 1e-9

CONSISTENT = "consistent"
WITHIN_ROUNDING = "consistent within rounding"
DISCREPANCY = "discrepancy"


@dataclass(frozen=True)
class Bounds:
    """The closed interval ``[lo, hi]`` a printed number (or a result computed from printed numbers) stands for."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi + EPS:
            raise ValueError(f"empty interval: lo {self.lo!r} above hi {self.hi!r}")

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Bounds) -> Bounds:
        return Bounds(self.lo - other.hi, self.hi - other.lo)

    def overlaps(self, other: Bounds) -> bool:
        """True when some value lies in both intervals, each read as half-open, ``[lo, hi)``: a value exactly half
        a unit above a printed number prints as the next one, so '17' and '18' (printed to the same unit) never
        stand for the same value. A single point (an exact value) lies in an interval when ``lo <= point < hi``."""
        if self.hi - self.lo < EPS or other.hi - other.lo < EPS:
            point, interval = (self, other) if self.hi - self.lo < EPS else (other, self)
            if interval.hi - interval.lo < EPS:
                return abs(point.lo - interval.lo) < EPS
            return interval.lo - EPS <= point.lo < interval.hi - EPS
        return self.lo < other.hi - EPS and other.lo < self.hi - EPS

    def __contains__(self, value: float) -> bool:
        return self.lo - EPS <= value <= self.hi + EPS


def decimals_printed(text: str) -> int:
    """Decimals a number was printed with, from its text: '13,8' and '13.8' -> 1, '1978,0' -> 1, '9' -> 0."""
    text = str(text).strip().replace(",", ".")
    if not text:
        raise ValueError("no number to read the precision of")
    return len(text.split(".", 1)[1]) if "." in text else 0


def unit_of(decimals: int) -> float:
    """The unit of the last printed digit: 0 decimals -> 1, 1 -> 0.1, 2 -> 0.01."""
    return 10.0 ** (-int(decimals))


def printed(value: float, decimals: int) -> Bounds:
    """The values that print as ``value`` with ``decimals`` decimals: half a unit of the last digit either side."""
    half = unit_of(decimals) / 2
    return Bounds(float(value) - half, float(value) + half)


def printed_text(text: str) -> Bounds:
    """The interval of a number given as printed text ('13,8' -> [13.75, 13.85])."""
    return printed(float(str(text).strip().replace(",", ".")), decimals_printed(text))


def exact(value: float) -> Bounds:
    """A value with no rounding: a count, a year, the 100 a set of shares should add up to."""
    return Bounds(float(value), float(value))


def total(parts: Iterable[Bounds]) -> Bounds:
    """The sum of printed numbers: the ends add up (k numbers printed to u: the sum is off by up to k u / 2)."""
    lo = hi = 0.0
    for part in parts:
        lo, hi = lo + part.lo, hi + part.hi
    return Bounds(lo, hi)


def ratio(numerator: Bounds, denominator: Bounds) -> Bounds:
    """``numerator / denominator`` for non-negative numerators and positive denominators."""
    if denominator.lo <= 0 or numerator.lo < -EPS:
        raise ValueError("ratio needs a non-negative numerator and a denominator above zero")
    return Bounds(numerator.lo / denominator.hi, numerator.hi / denominator.lo)


def share(part: Bounds, rest: Bounds) -> Bounds:
    """A part's share of a total (percent) when the total is the part plus the rest, both printed.

    The part appears in the numerator and the denominator, so the share is lowest with the part at its low end
    and the rest at its high end: ``[part.lo / (part.lo + rest.hi), part.hi / (part.hi + rest.lo)] x 100``.
    """
    if part.lo < -EPS or rest.lo < -EPS or part.hi + rest.lo <= 0:
        raise ValueError("a share needs non-negative parts and a total above zero")
    low = part.lo / (part.lo + rest.hi) if part.lo + rest.hi > 0 else 0.0
    return Bounds(100 * max(low, 0.0), 100 * part.hi / (part.hi + rest.lo))


def verdict(stated: float, stated_bounds: Bounds, recomputed: float, recomputed_bounds: Bounds) -> str:
    """The audit's one rule: equal printed values are consistent; overlapping intervals are consistent within
    rounding; intervals that do not overlap are a discrepancy."""
    if abs(float(stated) - float(recomputed)) < EPS:
        return CONSISTENT
    return WITHIN_ROUNDING if stated_bounds.overlaps(recomputed_bounds) else DISCREPANCY


def can_be_extreme(claimed: Bounds, others: Iterable[Bounds], direction: str) -> bool:
    """Whether a value can be strictly the highest (``direction='highest'``) or lowest of a set within rounding.

    A printed value is below its upper end only by less than half a unit, so two values can tie at most at an
    end: the claimed one can be strictly highest only when its upper end exceeds every other value's lower end.
    """
    if direction not in ("highest", "lowest"):
        raise ValueError(f"direction must be 'highest' or 'lowest', not {direction!r}")
    if direction == "highest":
        return all(claimed.hi > other.lo + EPS for other in others)
    return all(claimed.lo < other.hi - EPS for other in others)
