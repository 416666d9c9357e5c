"""Kinds that total a submission's firm rows and compare with the figure the base states: counts-match
(附件3's rows against 已入驻企业数), sum-matches (附件3's 职工人数 against 吸纳就业人员数).

The figure is read on the target forms (`target: {forms: [附件10, 附件11], field: …}`), on the
fallback form (附件2) for submissions whose target forms lack it; problems land on the stated figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from ...problems import Problem
from ..columns import blank, num, tolerance_ok, within_formula
from ..context import Context, with_fallback
from ..emit import emit
from ..rule import Rule
from .base import Kind, Outcomes, param, register
from .params import Target, target, tolerance

UNREAD = "该文件另有读不出表头的工作表（`unread-sheet`，可能是附件3 的续表）时，错误改为警告"


@dataclass(frozen=True)
class Comparison:
    target: Target = param(target, "核对的表和栏目", required=True)
    tolerance: Any = param(tolerance, "容差", top=True)


class FirmTotal(Kind):
    """Shared by the two kinds: the aggregate of the firm rows per submission against the stated figure."""

    Params = Comparison
    per_submission = True
    whole_list = True
    variables = frozenset({"counted", "difference"})

    @classmethod
    def sheet_fails(cls, rule: Rule, stated: str, other: str) -> str:
        return f"NOT({within_formula(stated, other, rule.tolerance)})"

    @classmethod
    def stated_keys(cls, args: Comparison, fields_: tuple[str, ...]) -> list[str]:
        return [args.target.field]

    @classmethod
    def found_again(cls, rule: Rule, held: set[str]) -> set[str]:
        """Problems land on the target form: found again where the 汇总表 holds the firm rows and a target form."""
        return {f for f in rule.args.target.forms if f in held} if rule.form in held else set()

    def compare(self, ctx: Context, rule: Rule, src: pd.DataFrame,
                aggregate: Callable[[pd.DataFrame], pd.Series]) -> list[Problem]:
        """`aggregate` of the firm rows `src` per submission (a Series by `_sub`) against the value stated on
        the target forms; on the fallback form (附件2) for submissions whose target forms lack the value.

        An applicant's 附件10 is compared with its own 附件3. A 汇总表's 附件11 rows are compared only with
        firm rows that name their base one by one (its 入驻企业 sheet, read as 附件3): a hand-typed 附件11
        has no firm rows of its bases, and an applicant's 附件3 beside it is not a 汇总表's list.
        """
        listed = ctx.names_own_base(src)
        aggs = (aggregate(src[~listed]), aggregate(src[listed & ~blank(src["_base"])]))
        forms, key = rule.args.target.forms, rule.args.target.field
        frames = [(form_id, ctx.frame(form_id, key)) for form_id in forms]
        out = []
        for form_id, stated_rows in with_fallback(ctx, rule, key, [(f, df) for f, df in frames if len(df)]):
            by_list = ctx.names_own_base(stated_rows)
            found = np.where(by_list, stated_rows["_sub"].isin(aggs[1].index), stated_rows["_sub"].isin(aggs[0].index))
            stated_rows, by_list = stated_rows[found], by_list[found]
            if not len(stated_rows):
                continue
            have = pd.Series(np.where(by_list, aggs[1].reindex(stated_rows["_sub"]).to_numpy(dtype=float),
                                      aggs[0].reindex(stated_rows["_sub"]).to_numpy(dtype=float)),
                             index=stated_rows.index)
            stated = num(stated_rows[key])
            diff = stated - have
            ok = tolerance_ok(diff, stated, rule.tolerance) | stated.isna()
            out += emit(ctx, rule, stated_rows[~ok], form_id, key, threshold=have, counted=have, difference=diff)
        return out


@register
class CountsMatch(FirmTotal):
    """Rows of a table form per submission (附件3 firms) against a stated count (附件10 已入驻企业数)."""

    name = "counts-match"
    title = "户数不一致"
    outcomes = Outcomes(error="附件3 企业行数与已入驻企业数不一致", warning=UNREAD)
    sheet_check = "count"

    @classmethod
    def sheet_aggregate(cls, rng: str) -> str:
        return f"COUNTA({rng})"

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        src = ctx.frame(rule.form)
        if not len(src):
            return []
        return self.compare(ctx, rule, src, lambda df: df.groupby("_sub").size().astype(float))


@register
class SumMatches(FirmTotal):
    """A column's sum per submission (附件3 职工人数) against a stated total (附件10 吸纳就业人员数)."""

    name = "sum-matches"
    title = "合计不一致"
    outcomes = Outcomes(error="附件3 的合计与所填总数相差超过容差（在职人数会变动，规则包可设为 warning）", warning=UNREAD)
    sheet_check = "sum"

    @classmethod
    def sheet_aggregate(cls, rng: str) -> str:
        return f"SUM({rng})"

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        src = ctx.frame(rule.form, rule.field)
        if not len(src):
            return []
        return self.compare(ctx, rule, src,
                            lambda df: num(df[rule.field]).groupby(df["_sub"]).sum(min_count=1))
