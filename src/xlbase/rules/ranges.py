"""Two figures compared when either is typed as a bound or an estimate ("30户以上", "约300": read.estimates): what
the ranges prove, for the kinds that compare figures with each other (counts-match, sum-matches, forms-agree) or
a share with its threshold (share-min).

A comparison is consistent when some value of each range makes it hold: nothing is said then (the reader's
value-estimate info says how the text was read). It is broken when no value does: the rule's problem — a
warning when an estimate's margin (data/estimates.yaml about_margin) is what proves it, for that margin is a
convention, not the clerk's words. A share judged against a threshold may also be undecided: some values of
the ranges meet it, some do not — a warning saying what decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..forms import get_form
from ..read.estimates import Estimate, exact, shown
from .columns import num, within_tolerance
from ..read.normalise import estimate_in
from .context import Context, raw_texts
from .submission import is_blank, raw_text_of

MET, BROKEN, UNDECIDED = "met", "broken", "undecided"


def estimates_of(ctx: Context, df: pd.DataFrame, form_id: str, key: str) -> dict[Any, tuple[str, Any]]:
    """Row index -> (the clerk's text, its read.estimates.Estimate) of the rows of `df` whose `key` holds no value
    but a figure typed as a bound or an estimate."""
    form = get_form(form_id)
    if not len(df) or key not in df or not form.has_field(key):
        return {}
    na = num(df[key]).isna()
    if not na.any():
        return {}
    raw = raw_texts(ctx, df, key, na)
    found = {i: (raw[i], ctx.estimate(t, key, raw[i])) for i, t in zip(df.index[na], df["_table"][na])}
    return {i: (r, e) for i, (r, e) in found.items() if e is not None}


def agree(a: Estimate, b: Estimate, tol: Any) -> bool:
    """Whether some value of `a` (the stated figure, the one a relative tolerance is taken of) and some value of
    `b` are one figure within `tol` (rules.columns.tolerance_ok)."""
    if a.highest < b.lowest or (a.highest == b.lowest and (a.high_open or b.low_open)):
        gap, end = b.lowest - a.highest, a.highest
    elif b.highest < a.lowest or (b.highest == a.lowest and (b.high_open or a.low_open)):
        gap, end = a.lowest - b.highest, a.lowest
    else:
        return True         # the ranges overlap
    if gap == 0:            # they touch at an end one of them excludes: any positive difference the tolerance allows
        return tol is not None and tol != 0 and within_tolerance(1e-9, end, tol)
    return within_tolerance(gap, end, tol)


def by_margin(*ranges: Estimate | None) -> bool:
    """Whether one of the ranges is an estimate's margin ("约300"), not the clerk's own bound."""
    return any(r is not None and r.about for r in ranges)


@dataclass(frozen=True)
class Total:
    """A column's total where some cells are typed as ranges: the exact part plus the ranges' ends."""

    exact: float = 0.0
    low: float = 0.0
    high: float = 0.0
    ranges: int = 0
    about: bool = False

    def plus(self, e: Estimate) -> Total:
        low = e.low if e.low is not None else 0.0          # a count or an amount is never negative
        return Total(self.exact, self.low + low, self.high + e.highest, self.ranges + 1, self.about or e.about)

    def as_range(self) -> Estimate:
        hi = self.exact + self.high
        return Estimate(self.exact + self.low, self.exact + self.low, None if math.isinf(hi) else hi,
                        about=self.about)

    def describe(self, unit: str = "") -> str:
        r = self.as_range()
        u = f" {unit}" if unit else ""
        if r.high is None:
            return f"不少于 {shown(r.lowest)}{u}"
        return f"{shown(r.lowest)} 至 {shown(r.highest)}{u}"


def total_of(values: Iterable[float | None], ranges: Iterable[Estimate]) -> Total:
    """The total of the plain `values` (None: blank) and of the cells typed as `ranges`."""
    t = Total(exact=float(sum(v for v in values if v is not None)))
    for e in ranges:
        t = t.plus(e)
    return t


def share_verdict(part: Estimate, whole: Estimate, threshold: float) -> str | None:
    """MET, BROKEN or UNDECIDED for part / whole >= threshold over every value of the two ranges; None when the
    whole may be 0 or is unbounded below zero (no share to judge, as a plain 0 whole is not judged)."""
    if whole.lowest <= 0:
        return None if whole.highest <= 0 else UNDECIDED if part.lowest / whole.highest < threshold - 1e-12 else MET
    least = part.lowest / whole.highest if not math.isinf(whole.highest) else 0.0
    most = part.highest / whole.lowest
    if least >= threshold - 1e-12:
        return MET
    if most < threshold - 1e-12:
        return BROKEN
    return UNDECIDED


def as_range(value: Any, estimate: Estimate | None) -> Estimate | None:
    """The range a cell says: its estimate, else its plain number as a one-value range, else None."""
    if estimate is not None:
        return estimate
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    return None if math.isnan(float(value)) else exact(float(value))


def typed_value(v: Any, key: str) -> Estimate | None:
    """The range a programme submission's blank value's cell (rules.submission.Value) states as a bound or an
    estimate, else None."""
    if not is_blank(v):
        return None
    return estimate_in(v.table, key, raw_text_of(v, key))


def read_as(raw: str, e: Estimate, unit: str) -> str:
    """“约30”，读作约 30 户 — how a typed range was read, for a message."""
    return f"“{raw}”，读作{e.describe(unit)}"
