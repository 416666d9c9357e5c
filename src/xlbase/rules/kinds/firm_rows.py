"""Kinds that judge the firm rows of 附件3 (and codes elsewhere) one by one or within one submission:
checksum (统一社会信用代码), unique (the same firm twice), date-range (入驻时间)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ...forms import get_form
from ...problems import INFO, WARNING, Problem
from ...read.normalise import year_of
from ..columns import as_date, dates_after, fold_key
from ..context import Context, field_frames, raw_texts
from ..emit import emit
from ..rule import Rule
from ..submission import Submission, SubmissionContext
from ...text import fold
from ..uscc import uscc_valid, uscc_valid_many
from .base import Kind, Outcomes, param, register
from .params import date, severity, template

LEGACY_SUFFIX = "-legacy"     # the code of a checksum rule's notice for a 15-digit 注册号: its id + this


@dataclass(frozen=True)
class CodeCheck:
    legacy_severity: str = param(severity, "15位旧注册号提示的严重程度", default=INFO)
    legacy_message: str | None = param(template, "15位旧注册号的提示（不写则不提示）")


@register
class Checksum(Kind):
    """统一社会信用代码 check character (GB 32100-2015); 15-digit 注册号 get a notice of their own
    (code: the rule's id + LEGACY_SUFFIX)."""

    name = "checksum"
    title = "代码校验位错误"
    Params = CodeCheck
    variables = frozenset({"length"})
    outcomes = Outcomes(error="统一社会信用代码校验位错误", info="15 位旧注册号（已接受；`legacy_severity` 可改）")
    #: the codes this kind reports under beside the rule's own: suffix -> title
    notes = {LEGACY_SUFFIX: "15位旧注册号（已接受）"}

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id, df in field_frames(ctx, rule):
            code = pd.Series([_code_text(v) for v in df[rule.field].to_numpy(dtype=object)], index=df.index,
                             dtype=object)
            length = code.str.len()
            legacy = pd.Series(False, index=df.index)
            fifteen = length == 15    # \d{15} can only match 15 characters
            legacy[fifteen] = code[fifteen].str.fullmatch(r"\d{15}").astype(bool)
            valid = uscc_valid_many(code.tolist())
            fails = (code != "") & ~valid & ~legacy
            out += emit(ctx, rule, df[fails], form_id, rule.field, value=code, length=length)
            if legacy.any() and rule.args.legacy_message:
                out += emit(ctx, _legacy_rule(rule), df[legacy], form_id, rule.field, value=code)
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's code fields, value by value (the record's, or each row's)."""
        out = []
        legacy_rule = _legacy_rule(rule)
        for form_id in rule.forms:
            for v in sub.values(form_id, rule.field):
                code = _code_text(v.value)
                if not code:
                    continue
                if len(code) == 15 and code.isdigit():
                    if rule.args.legacy_message:
                        out.append(ctx.problem(legacy_rule, sub, v, rule.field))
                elif not uscc_valid(code):
                    out.append(ctx.problem(rule, sub, v, rule.field, length=len(code)))
        return out


def _legacy_rule(rule: Rule) -> Rule:
    """The checksum rule's notice for a 15-digit 注册号 (its `legacy_message`, under the rule's id + LEGACY_SUFFIX),
    on Shanxi's stacked forms and a programme's submission alike."""
    return Rule(id=f"{rule.id}{LEGACY_SUFFIX}", kind=rule.kind, message=rule.args.legacy_message or "",
                severity=rule.args.legacy_severity, forms=rule.forms)


def _code_text(v: Any) -> str:
    """A credit code as typed, without whitespace, upper case; "" when missing."""
    return "" if v is None or (isinstance(v, float) and v != v) else "".join(str(v).split()).upper()


@register
class Unique(Kind):
    """The same firm twice within one submission (folded name, or the same code); the later rows are flagged,
    once per row (a row repeating both name and code is one mistake, reported at the first field that repeats).
    The same firm in two files is the merge's finding (duplicate-enterprise)."""

    name = "unique"
    title = "重复填报"
    per_submission = True
    variables = frozenset({"first_cell"})
    outcomes = Outcomes(error="同一基地内同一企业重复填报（每个重复行一条）")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out: list[Problem] = []
        df = ctx.frame(rule.form)
        if not len(df):
            return out
        base_codes = pd.factorize(df["_sub"])[0] + 1      # every row has a submission: codes from 1
        flagged = np.zeros(len(df), dtype=bool)
        for key in rule.fields:
            k = fold_key(df[key])
            k_codes, k_uniques = pd.factorize(k)
            pair = base_codes.astype(np.int64) * (len(k_uniques) + 1) + k_codes
            seen = pd.Series(pair).duplicated(keep="first").to_numpy()
            dup = (k != "").to_numpy() & seen & ~flagged
            flagged |= dup
            # the first row of each (base, key); none where the base is unknown (a groupby drops NA keys)
            first = pd.Series(df["_row"].to_numpy()[~seen], index=pair[~seen]).reindex(pair[dup]).to_numpy(dtype=object)
            first_row = np.where(base_codes[dup] > 0, first, None)
            first_cell = pd.Series([ctx.cell(t, key, r) for t, r in zip(df.loc[dup, "_table"], first_row)],
                                   index=df.index[dup], dtype=object)
            out += emit(ctx, rule, df[dup], rule.form, key, first_cell=first_cell)
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        out = []
        flagged: set[tuple[int, int]] = set()        # (table, row) already reported at an earlier field
        for key in rule.fields:
            seen: dict[tuple[str, str], str] = {}
            for v in sub.values(rule.form, key):
                if not isinstance(v.value, str) or not v.value.strip():
                    continue
                k = (v.base, fold(v.value))         # within one base: a 汇总表's 入驻企业 lists several
                if k not in seen:
                    seen[k] = v.cell
                elif (id(v.table), v.row) not in flagged:
                    flagged.add((id(v.table), v.row))
                    out.append(ctx.problem(rule, sub, v, key, first_cell=seen[k]))
        return out


@dataclass(frozen=True)
class Dates:
    earliest: dt.date | None = param(date, "最早的合理日期")


#: what a date-range problem says of its date (its `bound` variable): after the pack's as-of, before the earliest
AFTER_AS_OF, BEFORE_EARLIEST = "晚于基准日期", "早于合理日期"


@register
class DateRange(Kind):
    """Dates not after the reference date and not before a plausible earliest date."""

    name = "date-range"
    title = "日期不合理"
    Params = Dates
    variables = frozenset({"bound"})
    outcomes = Outcomes(error="日期晚于基准日期或早于合理下限")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out: list[Problem] = []
        df = ctx.frame(rule.form, rule.field)
        if not len(df):
            return out
        d = as_date(df[rule.field])
        earliest = rule.args.earliest
        future = dates_after(d, ctx.as_of)
        out += emit(ctx, rule, df[future], rule.form, rule.field, value=d, threshold=ctx.as_of, bound=AFTER_AS_OF)
        if earliest:
            early = dates_after(d, earliest, after=False)
            out += emit(ctx, rule, df[early], rule.form, rule.field, value=d, threshold=earliest, bound=BEFORE_EARLIEST)
        return out + self._years_alone(ctx, rule, df, d)

    def _years_alone(self, ctx: Context, rule: Rule, df: pd.DataFrame, d: pd.Series) -> list[Problem]:
        """A date typed as a year alone ("2019年"): the rule's problem when every day of the year breaks it, a
        warning when only some days do (the year holds the reference date or the earliest date), else nothing."""
        form = get_form(rule.form)
        if rule.field not in df or not form.has_field(rule.field):
            return []
        na = d.isna()
        if not na.any():
            return []
        fld = form.field(rule.field)
        raw = raw_texts(ctx, df, rule.field, na)
        out: list[Problem] = []
        for i in df.index[na]:
            year = year_of(raw[i], fld) if raw[i] else None      # a blank cell (most of them) is no year
            if year is None:
                continue
            first, last = year
            earliest = rule.args.earliest or first
            for bad, some, threshold, bound in ((first > ctx.as_of, last > ctx.as_of, ctx.as_of, AFTER_AS_OF),
                                                (last < earliest, first < earliest, earliest, BEFORE_EARLIEST)):
                if not some:
                    continue
                found = emit(ctx, rule, df.loc[[i]], rule.form, rule.field, value=raw.loc[[i]], threshold=threshold,
                             bound=bound, severity=None if bad else WARNING)
                tail = (f"（只填了年份：{first.year} 年内每一天都{bound}）" if bad else
                        f"（只填了年份：{first.year} 年内有的日期{bound}，不能判定；请填写完整的日期）")
                out += [replace(p, message=p.message + tail) for p in found]
                break
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's date fields, value by value: after the pack's reference date, or before `earliest`."""
        out = []
        earliest = rule.args.earliest
        for form_id in rule.forms:
            for v in sub.values(form_id, rule.field):
                d = v.value.date() if isinstance(v.value, dt.datetime) else v.value
                if not isinstance(d, dt.date):
                    continue
                if d > ctx.as_of:
                    out.append(ctx.problem(rule, sub, v, rule.field, threshold=ctx.as_of, bound=AFTER_AS_OF))
                elif earliest and d < earliest:
                    out.append(ctx.problem(rule, sub, v, rule.field, threshold=earliest, bound=BEFORE_EARLIEST))
        return out
