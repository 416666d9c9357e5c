"""Kinds that hold one field against a pack's threshold: min, max, equals, age-in-years.

The threshold may be one number or one per 基地类型 (`{楼宇型: 25, 工业园区型: 10, default: 25}`). A base
whose type is unknown (a hand-made 汇总表 often has no 基地类型 column) is held to the loosest of the types'
thresholds: below it, it fails whatever its type, and that is proven (the rule's severity); between the
loosest and the strictest only its type decides, so an info says the per-type check was not made; above
every type's threshold nothing is said. A fact stated on 附件10
and 附件2 is judged once per submission (the rule's `fallback`, rules.context.with_fallback).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, replace
from typing import Any, Callable, ClassVar

import numpy as np
import pandas as pd

from ...forms import get_form
from ...problems import WARNING, Problem
from ...read.normalise import estimate_in, year_of
from ..columns import as_date, num, within_tolerance
from ..context import Context, field_frames, raw_texts, thresholds
from .. import ranges
from ..ranges import estimates_of
from ..emit import emit, unknown_type
from ..rule import Rule
from ..submission import (Submission, SubmissionContext, is_blank, number as number_of, raw_text_of, raw_typed,
                          shown)
from .base import Kind, Outcomes, PerType, Site, param, register
from .params import number, per_type, row_choice, scalar, severity, template, tolerance

UNKNOWN_TYPE = "基地类型未知，按类型的门槛未能核对"
#: the verdicts on a typed range, in the order their problems are listed: proven broken, proven by an
#: estimate's margin only, undecided (Bound.estimate_verdict)
_VERDICTS: tuple[tuple[str | None, bool], ...] = ((None, True), (WARNING, True), (WARNING, False))
BLANK = "`blank`：值为空时按其严重程度提示 `blank_message`（申报项目的表单）"


@dataclass(frozen=True)
class Threshold:
    threshold: Any = param(per_type(number()), "门槛", top=True, required=True)
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单）", top=True)
    blank: str | None = param(severity, "值为空时的严重程度（不写则空值交给 required）", top=True)
    blank_message: str | None = param(template, "值为空时的说明", top=True)


def _submission_compare(ctx: SubmissionContext, rule: Rule, sub: Submission, fails, **extra) -> list[Problem]:
    """A programme's rule of one field: each value (the record's, or the rule's `row` of a table) that
    `fails(value)`; a blank one at the rule's `blank` severity when it sets one."""
    out = []
    for v in sub.values(rule.form, rule.field, rule.args.row):
        if is_blank(v):
            if rule.args.blank and not raw_typed(v, rule.field):
                out.append(ctx.problem(rule, sub, v, rule.field, severity=rule.args.blank,
                                       message=rule.args.blank_message))
            continue
        said = fails(v.value)
        if said is not None:
            out.append(ctx.problem(rule, sub, v, rule.field, **said, **extra))
    return out


class Bound(PerType):
    """min and max: one field against the pack's threshold (one per 基地类型 where the pack gives them), on
    Shanxi's stacked forms and on a programme's submission alike; a kind gives only `breaks`."""

    Params = Threshold
    outcomes = Outcomes(info=UNKNOWN_TYPE)
    #: (value, threshold) -> true where the value breaks the bound: operator.lt for min, operator.gt for max
    breaks: ClassVar[Callable[[Any, Any], Any]]
    #: of several thresholds, the one fewest values break (min for a minimum, max for a maximum), and the one most do
    loosest: ClassVar[Callable[..., Any]]
    strictest: ClassVar[Callable[..., Any]]
    #: the read.estimates.Estimate tests that prove a typed range meets / breaks the bound, and their words
    proves_met: ClassVar[str]
    proves_broken: ClassVar[str]
    met_word: ClassVar[str]
    broke_word: ClassVar[str]

    @classmethod
    def untyped_threshold(cls, rule: Rule) -> Any:
        """The pack's `default`, else the loosest of the types' thresholds: a value that breaks it breaks
        the bound of every type."""
        given = rule.threshold_for(None)
        if given is not None or not rule.per_type:
            return given
        values = [x for x in rule.threshold.values() if number_of(x) is not None]
        return cls.loosest(values, key=number_of) if values else None

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        key = rule.field
        breaks = type(self).breaks
        for form_id, df in field_frames(ctx, rule):
            th = thresholds(rule, df)
            if rule.per_type:
                unknown = df["_btype"].isna() & th.isna()
                if unknown.any():
                    out += self._untyped(ctx, rule, df[unknown], form_id)
            t = num(th)
            fails = breaks(num(df[key]), t)
            out += emit(ctx, rule, df[fails.fillna(False)], form_id, key, threshold=t)
            out += self._estimates(ctx, rule, df[t.notna()], form_id, t[t.notna()])
        return out

    @classmethod
    def estimate_verdict(cls, e: Any, threshold: Any) -> tuple[str | None, bool] | None:
        """What a figure typed as a bound or an estimate proves against `threshold`: None when it proves the
        bound met; else (severity, proven): proven broken by the clerk's own bound is the rule's severity (None),
        by an estimate's margin only a warning; undecided a warning."""
        if getattr(e, cls.proves_met)(threshold):
            return None
        if getattr(e, cls.proves_broken)(threshold):
            return (WARNING if e.about else None), True
        return WARNING, False

    @classmethod
    def estimate_message(cls, p: Problem, rule: Rule, raw: str, e: Any, unit: str, threshold: Any, proven: bool,
                         note: str = "") -> str:
        """The one wording of a threshold's problem on a figure typed as a bound or an estimate, on Shanxi's forms
        and a programme's alike: how the text was read and what decides it — proven by the bound typed, proven
        only by an estimate's margin (the exact figure decides), or undecided (the exact figure decides)."""
        read = f"“{raw}”，读作{e.describe(unit)}"
        if not proven:
            return (f"“{p.field}”填的是{read}，不能判定是否{cls.met_word}门槛 {shown(threshold)}{' ' + unit if unit else ''}"
                    f"（{rule.title or rule.id}）{note}：请填写确切数字。")
        if e.about:
            return f"{p.message}（填的是{read}（估计值），按其误差范围也{cls.broke_word}门槛，请填写确切数字核实）{note}"
        return f"{p.message}（填的是{read}，按此也{cls.broke_word}门槛）{note}"

    def _estimates(self, ctx: Context, rule: Rule, df: pd.DataFrame, form_id: str, t: pd.Series) -> list[Problem]:
        """Rows whose value is typed as a bound or an estimate ("30户以上", "约300", read.estimates) against their
        threshold `t`: one that proves the bound met says nothing more (the reader's info says how it was read);
        one that proves it broken is the rule's problem (a warning when only an estimate's margin proves it); one
        that cannot decide it is a warning saying what would."""
        found = estimates_of(ctx, df, form_id, rule.field)
        return self._judge(ctx, rule, df, form_id, t, found) if found else []

    def _judge(self, ctx: Context, rule: Rule, df: pd.DataFrame, form_id: str, t: pd.Series,
               found: dict[Any, tuple[str, Any]], note: str = "") -> list[Problem]:
        cls = type(self)
        verdicts: dict[tuple[str | None, bool], list[tuple[Any, str, Any]]] = {v: [] for v in _VERDICTS}
        for i, (raw, e) in found.items():
            verdict = cls.estimate_verdict(e, t[i])
            if verdict is not None:
                verdicts[verdict].append((i, raw, e))
        unit = get_form(form_id).field(rule.field).unit or ""
        out = []
        for (level, proven), rows in verdicts.items():
            if not rows:
                continue
            idx = [i for i, _, _ in rows]
            figures = pd.Series([e.figure for _, _, e in rows], index=idx, dtype=object)
            made = emit(ctx, rule, df.loc[idx], form_id, rule.field, value=figures, threshold=t.loc[idx],
                        severity=level)
            out += [replace(p, message=cls.estimate_message(p, rule, raw, e, unit, t[i], proven, note))
                    for p, (i, raw, e) in zip(made, rows)]
        return out

    def _untyped(self, ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str) -> list[Problem]:
        """Bases of unknown type: proven short under every type (the rule's severity, saying so), undecided
        (the info asking for the type), or fine under every type (nothing)."""
        cls = type(self)
        loose = number_of(cls.untyped_threshold(rule))
        if loose is None:
            return unknown_type(ctx, rule, rows, form_id, rule.field)
        strict = cls.strictest(v for v in map(number_of, rule.threshold.values()) if v is not None)
        x = num(rows[rule.field])
        proven = cls.breaks(x, loose).fillna(False)
        undecided = ~proven & (cls.breaks(x, strict).fillna(False) | x.isna())
        form = get_form(form_id)
        unit = (form.field(rule.field).unit or "") if form.has_field(rule.field) else ""
        note = (f"（基地类型未填写或无法识别：按各类型中{'最低' if cls.loosest is min else '最高'}的门槛"
                f" {shown(loose)}{' ' + unit if unit else ''}核对，无论哪种类型都不满足；请同时补填基地类型）")
        found = emit(ctx, rule, rows[proven], form_id, rule.field, threshold=loose)
        out = [replace(p, message=p.message + note) for p in found]
        # typed as a bound or an estimate: judged against the loosest threshold; met there, only the type decides
        typed = estimates_of(ctx, rows, form_id, rule.field)
        if typed:
            out += self._judge(ctx, rule, rows, form_id, pd.Series(loose, index=rows.index), typed,
                               note="（基地类型未填写或无法识别：按各类型中最宽的门槛核对）")
            undecided &= ~rows.index.isin([i for i, (_, e) in typed.items()
                                           if not getattr(e, cls.proves_met)(loose) or getattr(e, cls.proves_met)(strict)])
        return out + unknown_type(ctx, rule, rows[undecided], form_id, rule.field)

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        breaks = type(self).breaks

        def fails(value: Any) -> dict | None:
            x, t = number_of(value), number_of(rule.threshold_for(None))
            if x is None or t is None:
                return None
            return {} if breaks(x, t) else None
        return _submission_compare(ctx, rule, sub, fails) + self._submission_estimates(ctx, rule, sub)

    def _submission_estimates(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's value typed as a bound or an estimate, judged as on Shanxi's forms (_judge)."""
        cls = type(self)
        t = number_of(rule.threshold_for(None))
        out: list[Problem] = []
        if t is None:
            return out
        for v in sub.values(rule.form, rule.field, rule.args.row):
            raw = raw_text_of(v, rule.field) if is_blank(v) else None
            if not raw or not v.table.form.has_field(rule.field):
                continue
            fld = v.table.form.field(rule.field)
            e = estimate_in(v.table, rule.field, raw)
            verdict = None if e is None else cls.estimate_verdict(e, t)
            if verdict is None:
                continue
            level, proven = verdict
            p = ctx.problem(rule, sub, v, rule.field, severity=level)
            out.append(replace(p, message=cls.estimate_message(p, rule, raw, e, fld.unit or "", t, proven)))
        return out


@register
class AtLeast(Bound):
    """A count or amount not below the threshold (专职服务人员 ≥ 10, 入驻企业 ≥ 25 for 楼宇型)."""

    name = "min"
    title = "低于门槛"
    outcomes = replace(Bound.outcomes, error="填写的值证明低于门槛")
    breaks = operator.lt
    loosest, strictest = min, max
    proves_met, proves_broken, met_word, broke_word = "at_least", "below", "达到", "低于"
    sheet_check = "minimum"

    @classmethod
    def sheet_fails(cls, rule: Rule, stated: str, other: str) -> str:
        return f"{stated}<{other}"


@register
class AtMost(Bound):
    """A count or amount not above the threshold."""

    name = "max"
    title = "高于上限"
    outcomes = replace(Bound.outcomes, error="填写的值证明高于上限")
    breaks = operator.gt
    loosest, strictest = max, min
    proves_met, proves_broken, met_word, broke_word = "at_most", "above", "不超过", "超过"


@dataclass(frozen=True)
class Expected:
    threshold: Any = param(scalar, "要求的值", top=True, required=True)
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单）", top=True)
    blank: str | None = param(severity, "值为空时的严重程度（不写则空值交给 required）", top=True)
    blank_message: str | None = param(template, "值为空时的说明", top=True)


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

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        def fails(value: Any) -> dict | None:
            return {} if value != rule.threshold else None
        return _submission_compare(ctx, rule, sub, fails)


def _years_between(start: pd.Series, end: dt.date) -> pd.Series:
    """Whole years from each date to `end` (birthday arithmetic, not days/365)."""
    def years(d: Any) -> float:
        if not isinstance(d, dt.date):
            return np.nan
        n = end.year - d.year - ((end.month, end.day) < (d.month, d.day))
        return float(n)
    return start.map(years)


def _years_before(day: dt.date, years: float) -> str:
    """`day` `years` whole years earlier (29 Feb -> 28 Feb), as ISO."""
    y = day.year - int(years)
    try:
        return day.replace(year=y).isoformat()
    except ValueError:
        return day.replace(year=y, day=28).isoformat()


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
            out += self._years_alone(ctx, rule, df, form_id, th)
        return out

    def _years_alone(self, ctx: Context, rule: Rule, df: pd.DataFrame, form_id: str, th: pd.Series) -> list[Problem]:
        """A date typed as a year alone ("2018年"): judged by the year where every day of it gives the same
        verdict (2018 is over a year before 2024-08-25 whatever the day: nothing said; 2024 is under it: the
        rule's problem), else a warning asking for the full date."""
        form = get_form(form_id)
        key = rule.field
        if not len(df) or key not in df or not form.has_field(key):
            return []
        na = df[key].isna() & th.notna()
        if not na.any():
            return []
        fld = form.field(key)
        raw = raw_texts(ctx, df, key, na)
        broken: list[tuple[Any, int]] = []
        undecided: list[tuple[Any, int]] = []
        for i in df.index[na]:
            year = year_of(raw[i], fld) if raw[i] else None      # a blank cell (most of them) is no year
            if year is None:
                continue
            most, least = (_years_between(pd.Series(list(year)), ctx.as_of).tolist())
            if least >= th[i]:
                continue
            (broken if most < th[i] else undecided).append((i, year[0].year))
        out = []
        for rows, level in ((broken, None), (undecided, WARNING)):
            if not rows:
                continue
            idx = [i for i, _ in rows]
            made = emit(ctx, rule, df.loc[idx], form_id, key, value=raw.loc[idx], threshold=th.loc[idx],
                        severity=level)
            for p, (i, y) in zip(made, rows):
                if level is None:
                    msg = f"{p.message}（只填了年份“{raw[i]}”：{y} 年内任何一天注册都不满 {shown(th[i])} 年）"
                else:
                    msg = (f"“{p.field}”只填了年份“{raw[i]}”：{_years_before(ctx.as_of, th[i])} 及以前的日期满"
                           f" {shown(th[i])} 年，之后的不满（基准日期 {ctx.as_of.isoformat()}，{rule.title or rule.id}），"
                           "不能判定：请填写完整的日期。")
                out.append(replace(p, message=msg))
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        def fails(d: Any) -> dict | None:
            if not isinstance(d, dt.date):
                return None
            years = _years_between(pd.Series([d]), ctx.as_of).iloc[0]
            return {"years": years} if years < float(rule.threshold_for(None)) else None
        return _submission_compare(ctx, rule, sub, fails)


@dataclass(frozen=True)
class Share:
    threshold: float = param(number(share=True), "比例门槛", top=True, required=True)
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单）", top=True)


@register
class ShareAtLeast(Kind):
    """A part's share of its whole not below the threshold (`fields: [部分, 总数]`): 自持面积 ≥ 20 % of the
    floor area, 小微企业 ≥ 70 % of the firms, in one record or row."""

    name = "share-min"
    title = "占比不足"
    Params = Share
    variables = frozenset({"whole", "percent", "threshold_percent", "share"})
    outcomes = Outcomes(error="部分占总数的比例低于门槛（总数为空或为 0 时不判断）")

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        if len(fields_) != 2:
            raise site.error(f"规则 {site.rule_id}（share-min）的 fields 应写两个栏目：[部分, 总数]")

    def _said(self, rule: Rule, part: Any, whole: Any) -> dict | None:
        x, total = number_of(part), number_of(whole)
        if x is None or not total:
            return None
        share = x / total
        if share >= float(rule.threshold) - 1e-12:
            return None
        return {"whole": total, "percent": round(100 * share, 1), "share": share,
                "threshold_percent": shown(round(100 * float(rule.threshold), 1))}

    def _ranged(self, rule: Rule, part: Any, whole: Any, typed: tuple[tuple[str, Any] | None, tuple[str, Any] | None],
                unit: str) -> dict | None:
        """A part or whole typed as a bound or an estimate (read.estimates): the share over every value of the
        ranges (rules.ranges.share_verdict) — met: None; broken: the rule's problem (a warning when an
        estimate's margin proves it); undecided: a warning saying what decides."""
        rp = ranges.as_range(part, typed[0][1] if typed[0] else None)
        rw = ranges.as_range(whole, typed[1][1] if typed[1] else None)
        if rp is None or rw is None:
            return None
        verdict = ranges.share_verdict(rp, rw, float(rule.threshold))
        if verdict in (None, ranges.MET):
            return None
        read = "；".join(f"“{t[0]}”读作{t[1].describe(unit)}" for t in typed if t)
        percent = shown(round(100 * float(rule.threshold), 1))
        said = {"whole": rw.figure, "percent": round(100 * rp.figure / rw.figure, 1) if rw.figure else "",
                "share": rp.figure / rw.figure if rw.figure else "", "threshold_percent": percent}
        if verdict == ranges.BROKEN:
            return {**said, "severity": WARNING if ranges.by_margin(rp, rw) else None,
                    "note": f"（填的是{read}：按此范围也低于 {percent}%）"}
        return {**said, "severity": WARNING,
                "message": f"{rule.title or rule.id}：填的是{read}，不能判定占比是否达到 {percent}%：请填写确切数字。"}

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        part, whole = rule.fields
        out = []
        for form_id, df in field_frames(ctx, rule):
            said = [self._said(rule, p, w) for p, w in zip(df[part], df[whole])]
            fails = pd.Series([s is not None for s in said], index=df.index)
            rows = [s for s in said if s is not None]
            extra = {k: pd.Series([s[k] for s in rows], index=df.index[fails]) for k in
                     ("whole", "percent", "share", "threshold_percent")}
            out += emit(ctx, rule, df[fails], form_id, part, threshold=rule.threshold, **extra)
            typed = (ranges.estimates_of(ctx, df, form_id, part), ranges.estimates_of(ctx, df, form_id, whole))
            unit = get_form(form_id).field(part).unit or ""
            for i in set(typed[0]) | set(typed[1]):
                got = self._ranged(rule, df.at[i, part], df.at[i, whole], (typed[0].get(i), typed[1].get(i)), unit)
                if got is None:
                    continue
                level, note, message = got.pop("severity"), got.pop("note", ""), got.pop("message", None)
                (p,) = emit(ctx, rule, df.loc[[i]], form_id, part, threshold=rule.threshold, severity=level,
                            **{k: pd.Series([v], index=[i]) for k, v in got.items()})
                out.append(replace(p, message=message or p.message + note))
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        part_key, whole_key = rule.fields
        out = []
        for p, w in zip(sub.values(rule.form, part_key, rule.args.row), sub.values(rule.form, whole_key, rule.args.row)):
            typed = tuple((raw, e) if (raw := raw_text_of(v, k) if is_blank(v) else None) and
                          (e := estimate_in(v.table, k, raw)) is not None else None
                          for v, k in ((p, part_key), (w, whole_key)))
            if typed[0] or typed[1]:
                unit = (p.table.form.field(part_key).unit or "") if p.table.form.has_field(part_key) else ""
                got = self._ranged(rule, p.value, w.value, (typed[0], typed[1]), unit)
                if got is not None:
                    level, note, message = got.pop("severity"), got.pop("note", ""), got.pop("message", None)
                    value = ranges.as_range(p.value, typed[0][1] if typed[0] else None)
                    made = ctx.problem(rule, sub, replace(p, value=value.figure if value else None), part_key,
                                       severity=level, **got)
                    out.append(replace(made, message=message or made.message + note))
                continue
            said = self._said(rule, p.value, w.value)
            if said is not None:
                out.append(ctx.problem(rule, sub, p, part_key, **said))
        return out


@dataclass(frozen=True)
class StatedShare:
    tolerance: Any = param(tolerance, "所填百分比与算出的百分比相差多少仍视为一致（百分点）", top=True)
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单）", top=True)


@register
class ShareStated(Kind):
    """A percentage the form asks for beside its two figures (`fields: [部分, 总数, 所填百分比]`: 太原's
    设备购买价格 占总资产 %, 专业人员 占总人数 %) is part / whole × 100, within the rule's tolerance in
    percentage points: a stated share its own figures contradict. At the percentage's cell."""

    name = "share-stated"
    title = "所填百分比与其数字不符"
    Params = StatedShare
    variables = frozenset({"part", "whole", "percent"})
    outcomes = Outcomes(error="所填的百分比与同表的部分、总数算出的不一致（任一项为空、总数为 0 或部分大于总数时不判断："
                              "部分大于总数由 comparison 报）")

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        if len(fields_) != 3:
            raise site.error(f"规则 {site.rule_id}（share-stated）的 fields 应写三个栏目：[部分, 总数, 所填百分比]")

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        part_key, whole_key, stated_key = rule.fields
        out = []
        row = rule.args.row
        for p, w, st in zip(sub.values(rule.form, part_key, row), sub.values(rule.form, whole_key, row),
                            sub.values(rule.form, stated_key, row)):
            x, total, said = number_of(p.value), number_of(w.value), number_of(st.value)
            if x is None or not total or said is None or x > total:     # a part above its whole: comparison's
                continue
            percent = 100 * x / total
            if not within_tolerance(said - percent, percent, rule.tolerance):
                out.append(ctx.problem(rule, sub, st, stated_key, threshold=round(percent, 2), part=x, whole=total,
                                       percent=round(percent, 2)))
        return out
