"""Kinds that hold one field against a pack's threshold: min, max, equals, age-in-years.

The threshold may be one number or one per 基地类型 (`{楼宇型: 25, 工业园区型: 10, default: 25}`); a
base whose type is unknown gets an info that its per-type check was not made. A fact stated on 附件10
and 附件2 is judged once per submission (the rule's `fallback`, rules.context.with_fallback).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...problems import Problem
from ..columns import as_date, num
from ..context import Context, field_frames, thresholds
from ..emit import emit, unknown_type
from ..rule import Rule
from .base import Kind, Outcomes, PerType, param, register
from .params import number, per_type, scalar

UNKNOWN_TYPE = "基地类型未知，按类型的门槛未能核对"


@dataclass(frozen=True)
class Threshold:
    threshold: Any = param(per_type(number()), "门槛", top=True, required=True)


def _compare(ctx: Context, rule: Rule, op: str) -> list[Problem]:
    out = []
    key = rule.field
    for form_id, df in field_frames(ctx, rule):
        th = thresholds(rule, df)
        if rule.per_type:
            unknown = df["_btype"].isna() & th.isna()
            out += unknown_type(ctx, rule, df[unknown], form_id, key)
        v = num(df[key])
        t = num(th)
        fails = (v < t) if op == "min" else (v > t)
        out += emit(ctx, rule, df[fails.fillna(False)], form_id, key, threshold=t)
    return out


@register
class AtLeast(PerType):
    """A count or amount not below the threshold (专职服务人员 ≥ 10, 入驻企业 ≥ 25 for 楼宇型)."""

    name = "min"
    title = "低于门槛"
    Params = Threshold
    outcomes = Outcomes(error="填写的值证明低于门槛", info=UNKNOWN_TYPE)
    sheet_check = "minimum"

    @classmethod
    def sheet_fails(cls, rule: Rule, stated: str, other: str) -> str:
        return f"{stated}<{other}"

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        return _compare(ctx, rule, "min")


@register
class AtMost(PerType):
    """A count or amount not above the threshold."""

    name = "max"
    title = "高于上限"
    Params = Threshold
    outcomes = Outcomes(error="填写的值证明高于上限", info=UNKNOWN_TYPE)

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        return _compare(ctx, rule, "max")


@dataclass(frozen=True)
class Expected:
    threshold: Any = param(scalar, "要求的值", top=True, required=True)


@register
class Equals(Kind):
    """A stated answer equal to the one required (是否独立法人: 是)."""

    name = "equals"
    title = "不符合要求"
    Params = Expected
    outcomes = Outcomes(error="填写的值与要求不同")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id, df in field_frames(ctx, rule):
            v = df[rule.field]
            fails = v.notna() & (v != rule.threshold)
            out += emit(ctx, rule, df[fails], form_id, rule.field, threshold=rule.threshold)
        return out


def _years_between(start: pd.Series, end: dt.date) -> pd.Series:
    """Whole years from each date to `end` (birthday arithmetic, not days/365)."""
    def years(d: Any) -> float:
        if not isinstance(d, dt.date):
            return np.nan
        n = end.year - d.year - ((end.month, end.day) < (d.month, d.day))
        return float(n)
    return start.map(years)


@register
class AgeInYears(Kind):
    """Whole years from a date (注册时间) to the pack's reference date, not below the threshold."""

    name = "age-in-years"
    title = "成立年限不足"
    Params = Threshold
    variables = frozenset({"years"})
    outcomes = Outcomes(error="至基准日期不满规定年数")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id, df in field_frames(ctx, rule):
            dates = as_date(df[rule.field])
            years = _years_between(dates, ctx.as_of)
            th = num(thresholds(rule, df))
            fails = (years < th).fillna(False)
            out += emit(ctx, rule, df[fails], form_id, rule.field, threshold=th, years=years)
        return out
