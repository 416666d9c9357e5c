"""Kinds that compare values within one record or row: sums-equal (parts add up to their total),
comparison (`a<=b`: 其中 not above 总数)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...forms import get_form
from ...problems import Problem
from ..columns import num, tolerance_ok
from ..context import Context
from ..emit import emit
from ..rule import Rule
from .base import Kind, Outcomes, Site, param, register
from .params import tolerance


@dataclass(frozen=True)
class Parts:
    tolerance: Any = param(tolerance, "容差", top=True)


@register
class SumsEqual(Kind):
    """Parts add up to their total within one record (附件2 资金来源 = 建设项目总投资); fields: the parts,
    then the total."""

    name = "sums-equal"
    title = "分项合计不等于总数"
    Params = Parts
    variables = frozenset({"parts_sum", "parts"})
    outcomes = Outcomes(error="分项之和与总数不一致（空白分项按 0）")

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        if len(fields_) < 2:
            raise site.error(f"规则 {site.rule_id}（sums-equal）应在 fields 中先列出各分项，最后写总数")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        *parts, total = rule.fields
        df = ctx.frame(rule.form, total)
        if not len(df):
            return []
        vals = pd.concat([num(df[p]) for p in parts], axis=1)
        s = vals.sum(axis=1, min_count=1)
        t = num(df[total])
        ok = tolerance_ok(s - t, t, rule.tolerance) | s.isna() | t.isna()
        labels = "、".join(get_form(rule.form).field(p).label for p in parts)
        return emit(ctx, rule, df[~ok], rule.form, total, threshold=s, parts_sum=s, parts=labels)


OPERATORS = ("<=", ">=")


def pair(spec: str) -> tuple[str, str, str]:
    """'a <= b' -> (a, '<=', b)."""
    op = "<=" if "<=" in spec else ">="
    a, b = (x.strip() for x in spec.split(op))
    return a, op, b


@register
class Comparison(Kind):
    """`a<=b` pairs within one record/row: completed ≤ planned, 其中 ≤ 总数."""

    name = "comparison"
    title = "其中项超过总数"
    variables = frozenset({"other", "op"})
    outcomes = Outcomes(error="其中项超过总数")

    @classmethod
    def field_keys(cls, fields_: tuple[str, ...]) -> list[str]:
        return [k for spec in fields_ for k in (pair(spec)[::2] if any(op in spec for op in OPERATORS) else (spec,))]

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        for spec in fields_:
            if not any(op in str(spec) for op in OPERATORS):
                raise site.error(f"规则 {site.rule_id}（comparison）的 fields 每项应写成“栏目 <= 栏目”或“栏目 >= 栏目”，现为“{spec}”")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        form = get_form(rule.form)
        for spec in rule.fields:
            a, op, b = pair(spec)
            df = ctx.frame(rule.form, a)
            if not len(df):
                continue
            va, vb = num(df[a]), num(df[b])
            fails = (va > vb) if op == "<=" else (va < vb)
            out += emit(ctx, rule, df[fails.fillna(False)], rule.form, a, threshold=vb,
                        other=form.field(b).label, op="不超过" if op == "<=" else "不少于")
        return out
