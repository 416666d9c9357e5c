"""Kinds that compare values within one record or row: sums-equal (parts add up to their total),
comparison (`a<=b`: 其中 not above 总数)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...forms import get_form
from ...problems import Problem
from ..columns import num, tolerance_ok, within_tolerance
from ..context import Context
from ..emit import emit
from ..rule import Rule
from ..submission import Submission, SubmissionContext, Value, number
from .base import Kind, Outcomes, Site, param, register
from .params import row_choice, tolerance


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
        if ok.all():    # no slice of no rows (a take over every column of the form)
            return []
        labels = "、".join(get_form(rule.form).field(p).label for p in parts)
        return emit(ctx, rule, df[~ok], rule.form, total, threshold=s, parts_sum=s, parts=labels)

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's record (or each row): the parts' sum against the total, at the total's cell."""
        *parts, total = rule.fields
        labels = "、".join(get_form(rule.form).field(p).label for p in parts)
        cols = [sub.values(rule.form, k) for k in parts]
        out = []
        for i, tv in enumerate(sub.values(rule.form, total)):
            t = number(tv.value)
            got = [number(c[i].value) for c in cols if i < len(c)]
            if t is None or all(x is None for x in got):
                continue
            s = sum(x for x in got if x is not None)
            if not within_tolerance(s - t, t, rule.tolerance):
                out.append(ctx.problem(rule, sub, tv, total, threshold=s, parts_sum=s, parts=labels))
        return out


OPERATORS = ("<=", ">=")


def pair(spec: str) -> tuple[list[str], str, str]:
    """'a + b <= c' -> ([a, b], '<=', c)."""
    op = "<=" if "<=" in spec else ">="
    left, right = spec.split(op)
    return [k.strip() for k in left.split("+")], op, right.strip()


@dataclass(frozen=True)
class Within:
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单）", top=True)


@register
class Comparison(Kind):
    """`a<=b` (or `a + b <= c`) within one record/row: completed ≤ planned, 其中 ≤ 总数."""

    name = "comparison"
    title = "其中项超过总数"
    Params = Within
    variables = frozenset({"other", "op"})
    outcomes = Outcomes(error="其中项（之和）超过总数")

    @classmethod
    def field_keys(cls, fields_: tuple[str, ...]) -> list[str]:
        out = []
        for spec in fields_:
            if any(op in spec for op in OPERATORS):
                left, _, right = pair(spec)
                out += [*left, right]
            else:
                out.append(spec)
        return out

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        for spec in fields_:
            if not any(op in str(spec) for op in OPERATORS):
                raise site.error(f"规则 {site.rule_id}（comparison）的 fields 每项应写成“栏目 <= 栏目”、"
                                 f"“栏目 + 栏目 <= 栏目”或“栏目 >= 栏目”，现为“{spec}”")

    @staticmethod
    def _words(rule: Rule, left: list[str], op: str, right: str) -> dict[str, Any]:
        form = get_form(rule.form)
        return {"label": "+".join(form.field(k).label for k in left), "other": form.field(right).label,
                "op": "不超过" if op == "<=" else "不少于"}

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for spec in rule.fields:
            left, op, b = pair(spec)
            df = ctx.frame(rule.form, left[0])
            if not len(df):
                continue
            va = pd.concat([num(df[a]) for a in left], axis=1).sum(axis=1, min_count=1)
            vb = num(df[b])
            fails = (va > vb) if op == "<=" else (va < vb)
            if not fails.any():
                continue
            words = self._words(rule, left, op, b)
            if len(left) == 1:
                del words["label"]      # emit's label: the field's, with its section where two share it
            out += emit(ctx, rule, df[fails.fillna(False)], rule.form, left[0],
                        value=va if len(left) > 1 else None, threshold=vb, **words)
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        out = []
        for spec in rule.fields:
            left, op, right = pair(spec)
            cols = [sub.values(rule.form, k, rule.args.row) for k in left]
            for i, rv in enumerate(sub.values(rule.form, right, rule.args.row)):
                b = number(rv.value)
                parts = [number(c[i].value) if i < len(c) else None for c in cols]
                if b is None or all(p is None for p in parts):
                    continue
                a = sum(p for p in parts if p is not None)
                if (a > b + 1e-9) if op == "<=" else (a < b - 1e-9):
                    first = next(c[i] for c, p in zip(cols, parts) if p is not None)
                    at = Value(a, first.cell, first.table, first.row, first.row_label)
                    out.append(ctx.problem(rule, sub, at, left[0], threshold=b, **self._words(rule, left, op, right)))
        return out
