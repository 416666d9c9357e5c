"""Kinds that total a submission's firm rows and compare with the figure the base states: counts-match
(附件3's rows against 已入驻企业数), sum-matches (附件3's 职工人数 against 吸纳就业人员数).

The figure is read on the target forms (`target: {forms: [附件10, 附件11], field: …}`), on the
fallback form (附件2) for submissions whose target forms lack it; problems land on the stated figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Iterator

import numpy as np
import pandas as pd

from ...cell_refs import col_letters

from ...forms import get_form
from ...problems import WARNING, Problem
from ...read.estimates import exact
from ...read.normalise import estimate_in
from ..columns import blank, num, tolerance_ok, within_formula, within_tolerance
from ..context import Context, with_fallback
from ..emit import emit
from .. import ranges
from ..ranges import Total, agree, as_range, by_margin, estimates_of, read_as, total_of
from ..rule import Rule
from ..submission import Submission, SubmissionContext, Value, number, raw_text_of
from .base import Kind, Outcomes, PerSubmission, param, register
from .params import Target, number as a_number, severity, target, template, tolerance

UNREAD = "该文件另有读不出表头的工作表（`unread-sheet`，可能是附件3 的续表）时，错误改为警告"


@dataclass(frozen=True)
class Comparison:
    target: Target = param(target, "核对的表和栏目", required=True)
    tolerance: Any = param(tolerance, "容差", top=True)


class FirmTotal(Kind):
    """Shared by the two kinds: the total of the firm rows per submission against the stated figure. A kind
    says only how it totals the rows (`total`, and `sheet_function`, the same in Excel)."""

    Params = Comparison
    per_submission = True
    whole_list = True
    variables = frozenset({"counted", "difference"})
    #: Excel's function over the firm rows' range, as `total` computes them (COUNTA, SUM)
    sheet_function: ClassVar[str]
    #: the total reads the rule's field (a sum); else it counts the rows
    reads_field: ClassVar[bool] = False

    def total(self, rule: Rule, rows: pd.DataFrame) -> pd.Series:
        """The firm rows' figure per submission: a Series by `_sub`."""
        raise NotImplementedError

    @classmethod
    def sheet_aggregate(cls, rng: str) -> str:
        return f"{cls.sheet_function}({rng})"

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

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        """The firm rows' `total` per submission against the value stated on the target forms; on the
        fallback form (附件2) for submissions whose target forms lack the value.

        An applicant's 附件10 is compared with its own 附件3. A 汇总表's 附件11 rows are compared only with
        firm rows that name their base one by one (its 入驻企业 sheet, read as 附件3): a hand-typed 附件11
        has no firm rows of its bases, and an applicant's 附件3 beside it is not a 汇总表's list.
        """
        src = ctx.frame(rule.form, rule.field) if self.reads_field else ctx.frame(rule.form)
        if not len(src):
            return []
        listed = ctx.names_own_base(src)
        aggs = (self.total(rule, src[~listed]), self.total(rule, src[listed & ~blank(src["_base"])]))
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
            typed = estimates_of(ctx, stated_rows, form_id, key)
            partial = self.ranged_totals(ctx, rule, src, listed)
            subs = [(bool(b), s) for b, s in zip(by_list, stated_rows["_sub"])]
            ranged = pd.Series([i in typed or sub in partial for i, sub in zip(stated_rows.index, subs)],
                               index=stated_rows.index, dtype=bool)
            ok = tolerance_ok(diff, stated, rule.tolerance) | stated.isna() | ranged
            if not ok.all():
                out += emit(ctx, rule, stated_rows[~ok], form_id, key, threshold=have, counted=have, difference=diff)
            if ranged.any():
                out += self._ranged(ctx, rule, stated_rows[ranged], form_id, key, have, typed,
                                    {i: partial.get(sub) for i, sub in zip(stated_rows.index, subs)})
        return out

    def ranged_totals(self, ctx: Context, rule: Rule, src: pd.DataFrame, listed: np.ndarray) -> dict[Any, Total]:
        """(names its own base per row, submission) -> the part of the firm rows' total typed as ranges
        ("约50" 职工人数): only a summed field has one."""
        if not self.reads_field:
            return {}
        typed = estimates_of(ctx, src, rule.form, rule.field)
        out: dict[Any, Total] = {}
        for i, (_, e) in typed.items():
            k = (bool(listed[src.index.get_loc(i)]), src.at[i, "_sub"])
            out[k] = out.get(k, Total()).plus(e)
        return out

    def _ranged(self, ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str, key: str, have: pd.Series,
                typed: dict[Any, tuple[str, Any]], partial: dict[Any, Total | None]) -> list[Problem]:
        """Stated figures or totals typed as ranges (read.estimates), judged by what the ranges prove
        (rules.ranges): consistent for some value of each — nothing; for none — the rule's problem, a warning
        when only an estimate's margin proves it, saying how each range was read."""
        unit = get_form(form_id).field(key).unit or ""
        out = []
        for i in rows.index:
            h = 0.0 if pd.isna(have[i]) else float(have[i])
            part = partial[i]
            total = replace(part, exact=h) if part is not None else None
            counted = total.as_range() if total is not None else exact(h)
            raw, said = typed.get(i, (None, None))
            stated = said if said is not None else as_range(num(rows.loc[[i], key]).iloc[0], None)
            if stated is None or agree(stated, counted, rule.tolerance):
                continue
            notes = []
            if said is not None:
                notes.append(f"所填{read_as(raw or '', said, unit)}")
            if total is not None:
                notes.append(f"附件3 中 {total.ranges} 行是范围或估计值，合计读作{total.describe(unit)}")
            (p,) = emit(ctx, rule, rows.loc[[i]], form_id, key, value=pd.Series([stated.figure], index=[i]),
                        threshold=pd.Series([h], index=[i]),
                        counted=pd.Series([total.describe() if total is not None else h], index=[i]),
                        difference=pd.Series([None], index=[i]),
                        severity=WARNING if by_margin(stated, counted) else None)
            out.append(replace(p, message=f"{p.message}（{'；'.join(notes)}：按此范围也不一致）"))
        return out


def _stated(sub: Submission, tg: Target) -> Iterator[Value]:
    """The figures a submission states where `tg` says (each of its forms that has the field, its `row`)."""
    return (v for form_id in tg.forms for v in sub.values(form_id, tg.field, tg.row))


@register
class CountsMatch(FirmTotal):
    """Rows of a table form per submission (附件3 firms) against a stated count (附件10 已入驻企业数)."""

    name = "counts-match"
    title = "户数不一致"
    outcomes = Outcomes(error="附件3 企业行数与已入驻企业数不一致", warning=UNREAD)
    sheet_check, sheet_function = "count", "COUNTA"

    def total(self, rule: Rule, rows: pd.DataFrame) -> pd.Series:
        return rows.groupby("_sub").size().astype(float)

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """An applicant's list: its rows against the figure it states (`target`, its `row`)."""
        tables = sub.of(rule.form)
        if not sub.applicant or not tables:
            return []
        tg = rule.args.target
        n = sum(t.n_rows for t in tables)
        out = []
        for v in _stated(sub, tg):
            x = number(v.value)
            if x is not None and not within_tolerance(x - n, x, rule.tolerance):
                out.append(ctx.problem(rule, sub, v, tg.field, threshold=n, counted=n, difference=x - n))
            elif x is None:
                out += _stated_range(ctx, rule, sub, v, tg.field, Total(exact=float(n)), n)
        return out


@register
class SumMatches(FirmTotal):
    """A column's sum per submission (附件3 职工人数) against a stated total (附件10 吸纳就业人员数)."""

    name = "sum-matches"
    title = "合计不一致"
    outcomes = Outcomes(error="附件3 的合计与所填总数相差超过容差（在职人数会变动，规则包可设为 warning）", warning=UNREAD)
    sheet_check, sheet_function = "sum", "SUM"
    reads_field = True

    def total(self, rule: Rule, rows: pd.DataFrame) -> pd.Series:
        return num(rows[rule.field]).groupby(rows["_sub"]).sum(min_count=1)

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """An applicant's list: its column's sum against the figure it states (`target`, its `row`)."""
        tables = sub.of(rule.form)
        if not sub.applicant or not tables:
            return []
        tg = rule.args.target
        got = [x for t in tables if rule.field in t.data.columns for x in (number(v) for v in t.data[rule.field])
               if x is not None]
        typed = [e for t in tables if rule.field in t.raw.columns for raw in t.raw[rule.field]
                 if isinstance(raw, str) and (e := estimate_in(t, rule.field, raw)) is not None]
        if not got and not typed:
            return []
        s = sum(got)
        total = total_of(got, typed)
        out = []
        for v in _stated(sub, tg):
            x = number(v.value)
            if typed or x is None:      # a range on either side (rules.ranges)
                out += _stated_range(ctx, rule, sub, v, tg.field, total, round(s, 6))
            elif not within_tolerance(x - s, x, rule.tolerance):
                out.append(ctx.problem(rule, sub, v, tg.field, threshold=round(s, 6), counted=round(s, 6),
                                       difference=x - s))
        return out


def _stated_range(ctx: SubmissionContext, rule: Rule, sub: Submission, v: Value, key: str, total: Total,
                  plain: float) -> list[Problem]:
    """A programme's stated figure against its list's total where either is a range (a bound or an estimate,
    rules.ranges): nothing when some value of each agrees; else the rule's problem (a warning when an
    estimate's margin proves it), saying how each range was read."""
    said = ranges.typed_value(v, key)
    stated = said if said is not None else as_range(v.value, None)
    counted = total.as_range()
    if stated is None or agree(stated, counted, rule.tolerance):
        return []
    unit = (v.table.form.field(key).unit or "") if v.table.form.has_field(key) else ""
    notes = ([f"所填{read_as(raw_text_of(v, key) or '', said, unit)}"] if said is not None else []) + \
        ([f"名单中 {total.ranges} 行是范围或估计值"] if total.ranges else [])
    shown = total.describe() if total.ranges else plain
    p = ctx.problem(rule, sub, replace(v, value=stated.figure), key, threshold=shown, counted=shown, difference="",
                    severity=WARNING if by_margin(stated, counted) else None)
    return [replace(p, message=f"{p.message}（{'；'.join(notes)}：按此范围也不一致）")]


@dataclass(frozen=True)
class Listed:
    threshold: float = param(a_number(), "门槛（行数）", top=True, required=True)
    blank: str | None = param(severity, "文件中根本没有这张表时的严重程度（名单可能另行报送）；不写则按 0 行", top=True)
    blank_message: str | None = param(template, "文件中没有这张表时的说明", top=True)


@register
class RowsAtLeast(PerSubmission):
    """An applicant's list (a table form) has at least the threshold's rows in its file: 人员名单 ≥ 12,
    测评抽样企业 ≥ 10. A file without the list at all is undecided when the rule says so (`blank`: the
    list may be sent apart), else 0 rows."""

    name = "rows-min"
    title = "名单行数不足"
    Params = Listed
    per_submission = True
    variables = frozenset({"counted"})
    outcomes = Outcomes(error="一份申报材料中该表格的数据行少于门槛",
                        warning="文件中没有这张表（`blank: warning`，名单可能另行报送）")

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        if not sub.applicant:
            return []
        tables = sub.of(rule.form)
        if not tables and rule.args.blank:
            return [ctx.problem(rule, sub, None, "", severity=rule.args.blank, message=rule.args.blank_message,
                                value=0, counted=0)]
        n = sum(t.n_rows for t in tables)
        if n >= float(rule.threshold):
            return []
        t = tables[0] if tables else None
        cell = ""
        if t is not None and t.columns:
            cell = f"{col_letters(min(t.columns.values()))}{t.header_row}"
        return [ctx.problem(rule, sub, None, "", table=t, cell=cell, value=n, counted=n)]


@dataclass(frozen=True)
class Bound:
    target: Target = param(target, "名单行数不得超过的、申报材料所填的数（表和栏目）", required=True)


@register
class RowsWithin(PerSubmission):
    """An applicant's list of people does not name more than the figure its application states for all of them
    (太原's 管理人员和服务人员名单 within its 从业人数, 衡阳's 人员名单 within its 申报单位从业人员数量): at the
    stated figure, naming the list's count."""

    name = "rows-within"
    title = "名单行数超过所填总数"
    Params = Bound
    per_submission = True
    variables = frozenset({"counted"})
    outcomes = Outcomes(error="一份申报材料中该表格的数据行多于它所填的总数（规则包可设为 warning）")

    @classmethod
    def stated_keys(cls, args: Bound, fields_: tuple[str, ...]) -> list[str]:
        return [args.target.field]

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        tables = sub.of(rule.form)
        if not sub.applicant or not tables:
            return []
        n = sum(t.n_rows for t in tables)
        tg = rule.args.target
        return [ctx.problem(rule, sub, v, tg.field, threshold=x, counted=n)
                for v in _stated(sub, tg)
                if (x := number(v.value)) is not None and n > x]


@dataclass(frozen=True)
class TotalRow:
    tolerance: Any = param(tolerance, "容差", top=True)


@register
class TotalMatches(PerSubmission):
    """A table's 合计 row equals the sum of its data rows, column by column (`fields`)."""

    name = "total-matches"
    title = "合计行与各行之和不一致"
    Params = TotalRow
    variables = frozenset({"counted", "difference"})
    outcomes = Outcomes(error="合计行的值与数据行之和相差超过容差")

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        out = []
        for t in sub.of(rule.form):
            for total in t.totals:
                for key in rule.fields:
                    stated = number(total.get(key))
                    if stated is None or key not in t.data.columns:
                        continue
                    s = sum(x for x in (number(v) for v in t.data[key]) if x is not None)
                    if not within_tolerance(stated - s, stated, rule.tolerance):
                        v = Value(stated, t.cell(key, int(total["_row"])), t, int(total["_row"]), "合计")
                        out.append(ctx.problem(rule, sub, v, key, counted=round(s, 6), difference=stated - s))
        return out
