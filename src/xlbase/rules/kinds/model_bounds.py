"""Kinds whose fields and bounds the form model holds (forms/specs): required, type, range, choice.

A pack rule of these kinds names the forms (and may narrow the fields); which fields are required,
their types, bounds and value lists are read from the spec, never restated in the pack.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

from ...forms import SUMMARY_FORM, get_form, list_aliases, value_list
from ...forms.programmes import choices_of
from ...forms.roles import BASE_TYPE
from ...identity import locate
from ...problems import WARNING, Problem
from ...read.normalise import is_blank_text
from ...text import fold
from ..columns import blank_values, fold_values, outside
from ..context import Context, raw_texts
from ..emit import display_label, emit, fmt
from ..rule import Rule
from ..industry_text import read_industry
from ..sizing import declared_size
from ..submission import Submission, SubmissionContext, is_blank, number, raw_typed
from .base import Kind, Outcomes, register


def model_fields(rule: Rule, form_id: str):
    """The form's fields the rule covers: all a clerk fills in, or those its `fields` name."""
    form = get_form(form_id)
    wanted = set(rule.fields)
    return [f for f in form.fields if not f.merge_only and (not wanted or f.key in wanted)]


@register
class Required(Kind):
    """Empty required cells (the form model's `required`).

    error: a blank cell of a required official field. warning: a blank cell of one of our own columns
    (基地类型, 所在市县 on 附件10: the notice does not ask for them there; nothing where the form has no
    cell for it, or the base's 基地类型 is known from another form such as the 附件1 cover), or in a field whose blank may
    be a 0 left out (Field.blank_may_be_zero); all the parts of a breakdown blank while its total is
    stated (Field.part_of — one part blank is none of it, nothing to report). In a 汇总表 (附件11) only
    the official columns: our own columns there are copied from the applications, whose own checks
    already spoke, so a 汇总表 re-checked a level up adds nothing."""

    name = "required"
    title = "必填项未填写"
    model_bounds = True
    outcomes = Outcomes(
        error="官方栏目的必填单元格为空",
        warning="我们增加的栏目（附件10 的所在市县、基地类型）有单元格而为空（表中没有这一栏或这一行时不报；基地类型已由"
                "附件1封面等给出时不报）；可能是“0”未填的数（`blank_may_be_zero`：孵化成果、"
                "获得政府支持资金、附件3 的利润总额和上缴税金）为空；一组分项（`part_of`：资金来源、其中…）全部为空而总数已填；"
                "申报项目的申请表没有某一必填栏，而该栏位置上有一个认不出的、同类（金额、面积、人数、户数、日期、文字等）的栏目名")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if not f.required or (form_id == SUMMARY_FORM and not f.official) or f.part_of:
                    continue
                df = ctx.frame(form_id, f.key)
                if not len(df):
                    continue
                # a column the sheet lacks is the reader's finding (missing_fields); here: empty values. Our own
                # column only where the form gives it a cell (a hand-made 附件2 without a 基地类型 line was asked
                # nothing), and not when the base has the value from another form (基地类型 on the 附件1 cover)
                has = ctx.column(form_id, f.key, "has_field" if f.official else "has_cell")
                fails = has & ctx.column(form_id, f.key, "blank")
                if not f.official and f.identity == BASE_TYPE:
                    fails &= pd.isna(df["_btype"].to_numpy(dtype=object))
                if fails.any():  # text the reader could not parse was filled in: it reported that (unparseable)
                    raw = raw_texts(ctx, df, f.key, fails)
                    # in a number cell “无”, “/”, “—” answer the question (none); elsewhere they leave it open
                    typed = (lambda s: isinstance(s, str) and bool(s.strip())) if f.is_numeric else \
                        (lambda s: isinstance(s, str) and not is_blank_text(s))
                    fails &= ~raw.map(typed).astype(bool).to_numpy()
                if not fails.any():   # most columns: no frame of no rows to slice and render
                    continue
                doubt = not f.official or f.blank_may_be_zero   # our own column, or a blank that may be a 0
                said = replace(rule, message=rule.message + ZERO_HINT) if f.blank_may_be_zero else rule
                out += emit(ctx, said, df[fails], form_id, f.key, severity=WARNING if doubt else None)
            out += _blank_breakdowns(ctx, rule, form_id)
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's form: a required cell left blank (a warning for one of our own columns, or a blank
        that may be a 0, as on Shanxi's forms); a required line of a record form the sheet lacks altogether.
        A breakdown's part (其中：自有) blank is none of it, as on Shanxi's forms: only all the parts of a
        group blank while its total is stated is in doubt (one warning, _blank_parts)."""
        out = []
        for form_id in rule.forms:
            for t in sub.of(form_id):
                form = t.form
                fields = form.record_fields if form.kind == "record" else form.table_fields
                for f in fields:
                    if not f.required or f.merge_only:
                        continue
                    if f.part_of and f.key not in t.missing_fields:
                        continue
                    if f.key in t.missing_fields:
                        # a line of the notice's form the sheet lacks, pointed at the corner of the lines it has; our own line
                        # (所在县: the merge takes it from where the file came) is asked nothing, as on Shanxi's forms
                        if form.kind == "record" and f.official:
                            out.append(_line_missing(ctx, rule, sub, t, f))
                        continue
                    for v in sub.values(form_id, f.key):
                        if v.table is t and is_blank(v) and not raw_typed(v, f.key):
                            doubt = not f.official or f.blank_may_be_zero   # our own column, or a 0 left out
                            out.append(ctx.problem(rule, sub, v, f.key, severity=WARNING if doubt else None))
                out += _blank_parts(ctx, rule, sub, t, fields)
        return out


def _line_missing(ctx: SubmissionContext, rule: Rule, sub: Submission, t, f) -> Problem:
    """A required line of a programme's record form the sheet lacks, pointed at the corner of the lines it has:
    an error, or a warning naming the words of the record that might be it under the clerk's own wording (of its
    kind, where it would stand: Table.line_words)."""
    said = f"{t.form.title}中没有找到“{{{{ label }}}}”一栏"
    words = t.line_words.get(f.key, ())
    if not words:
        return ctx.problem(rule, sub, None, f.key, table=t, cell=t.record_corner(), message=said + "，请按表样补上并填写")
    typed = "、".join(f"“{w}”" for w in words)
    return ctx.problem(rule, sub, None, f.key, table=t, cell=t.record_corner(), severity=WARNING,
                       message=said + f"；如果{typed}就是这一栏，请改用表样中的名称“{{{{ label }}}}”，否则请按表样补上并填写")


def _breakdown_groups(fields) -> dict[str, list]:
    """The required parts of each breakdown (Field.part_of), by their total's key."""
    groups: dict[str, list] = {}
    for f in fields:
        if f.required and f.part_of:
            groups.setdefault(f.part_of, []).append(f)
    return groups


def _breakdown_message(form, parts: list, total: str, value: Any) -> str:
    """What a group of blank parts under a stated total tells the clerk (Shanxi's forms and a programme's)."""
    labels = "、".join(display_label(form, p) for p in parts)
    return (f"“{labels}”都未填写，而“{display_label(form, form.field(total))}”填了 {fmt(value)}"
            f"{form.field(total).unit or ''}：请按实际填写（没有的填 0）")


def _blank_parts(ctx: SubmissionContext, rule: Rule, sub: Submission, t, fields) -> list[Problem]:
    """A programme's record: every part of a breakdown blank while its total is stated above zero — one warning
    at the first part (the form asks for the breakdown; none of it was given)."""
    out = []
    for total, parts in _breakdown_groups(fields).items():
        if total not in t.record or any(p.key in t.missing_fields for p in parts):
            continue
        pairs = [(p, v) for p in parts for v in sub.values(t.form_id, p.key) if v.table is t]
        stated = number(t.record.get(total))
        if pairs and stated is not None and stated > 0 and \
                all(is_blank(v) and not raw_typed(v, p.key) for p, v in pairs):
            out.append(ctx.problem(rule, sub, pairs[0][1], pairs[0][0].key, severity=WARNING,
                                   message=_breakdown_message(t.form, parts, total, stated)))
    return out


ZERO_HINT = "（如果没有，请填 0）"


def _blank_breakdowns(ctx: Context, rule: Rule, form_id: str) -> list[Problem]:
    """Breakdown cells (Field.part_of: 资金来源 of 建设项目总投资) are not required one by one: a blank part
    is none of it. A group whose parts are all blank while its total is stated above zero is in doubt:
    one warning at its first part (the notice's form asks for the breakdown; none of it was given)."""
    out = []
    form = get_form(form_id)
    for total, parts in _breakdown_groups(model_fields(rule, form_id)).items():
        df = ctx.frame(form_id, parts[0].key)
        if not len(df) or total not in df:
            continue
        empty = np.logical_and.reduce([ctx.column(form_id, p.key, "blank") & ctx.column(form_id, p.key, "has_field")
                                       for p in parts])
        given = ctx.column(form_id, total, "num") > 0
        if not (empty & given).any():
            continue
        rows = df[empty & given]
        for _, r in rows.iterrows():
            out.append(Problem(
                rule=rule.id, severity=WARNING, message=_breakdown_message(form, parts, total, r[total]),
                file=str(r["_file"]), sheet=str(r["_sheet"]), cell=ctx.cell(r["_table"], parts[0].key, r["_row"]),
                form=form_id, field=parts[0].label, base=str(r.get("_bname") or "")))
    return out



@register
class Typed(Kind):
    """Text the reader could not turn into the field's type (a number, date, 是/否)."""

    name = "type"
    title = "值的类型不对"
    model_bounds = True
    variables = frozenset({"type_name"})
    outcomes = Outcomes(error="填了无法识别为该栏类型的内容（按 `period` 可写时间段的栏目除外）",
                        warning="读取时：合并的“所在市县”只认出了市（`unparseable`）",
                        info="读取时：值经换算或补全（`value-converted`）")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if f.type in ("text", "phone", "credit_code", "choice"):
                    continue
                df = ctx.frame(form_id, f.key)
                if not len(df):
                    continue
                na = pd.isna(ctx.column(form_id, f.key))
                if not na.any():
                    continue
                raw = raw_texts(ctx, df, f.key, na)   # the clerk's text matters only where the reader found no value
                fails = na & ~blank_values(raw.to_numpy(dtype=object))
                if not fails.any():
                    continue
                out += emit(ctx, rule, df[fails], form_id, f.key, value=raw, type_name=_TYPE_NAMES.get(f.type, f.type))
        return out


_TYPE_NAMES = {"integer": "整数", "decimal": "数字", "money": "金额（万元）", "area": "面积（平方米）",
               "date": "日期", "yesno": "“是”或“否”"}



@register
class InRange(Kind):
    """Values below the form model's min (e.g. negative counts) or above its max."""

    name = "range"
    title = "超出取值范围"
    model_bounds = True
    variables = frozenset({"bound"})
    outcomes = Outcomes(error="超出表单模型的上下限（如负数）")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if not f.is_numeric or (f.min is None and f.max is None):
                    continue
                df = ctx.frame(form_id, f.key)
                if not len(df):
                    continue
                v = ctx.column(form_id, f.key, "num")
                if f.min is not None and (v < f.min).any():
                    out += emit(ctx, rule, df[v < f.min], form_id, f.key, threshold=f.min, bound="下限")
                if f.max is not None and (v > f.max).any():
                    out += emit(ctx, rule, df[v > f.max], form_id, f.key, threshold=f.max, bound="上限")
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if not f.is_numeric or (f.min is None and f.max is None):
                    continue
                for v in sub.values(form_id, f.key):
                    x = number(v.value)
                    if x is None:
                        continue
                    if f.min is not None and x < f.min:
                        out.append(ctx.problem(rule, sub, v, f.key, threshold=f.min, bound="下限"))
                    elif f.max is not None and x > f.max:
                        out.append(ctx.problem(rule, sub, v, f.key, threshold=f.max, bound="上限"))
        return out


@register
class InList(Kind):
    """A value outside its field's list. error on an official field; warning on one of our own columns
    (所属行业, 企业规模, 基地类型…: the notice does not ask for them, a value we cannot use is no mistake of
    the submission's). A place is accepted as any spelling `identity.locate` recognises (忻州 for 忻州市);
    an industry as any text the small/micro standard's names or the industry words place (制造业, 批发零售, 餐饮服务:
    rules/industry_text.py)."""

    name = "choice"
    title = "不在下拉列表中"
    model_bounds = True
    variables = frozenset({"choices"})
    outcomes = Outcomes(error="官方栏目的值不在列表中（地名认可常见写法：忻州、离石、太谷县）",
                        warning="我们增加的栏目（所属行业、企业规模、基地类型…）的值用不上")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if f.type != "choice" or not choices_of(f):     # a place the programme lists none for
                    continue
                df = ctx.frame(form_id, f.key)
                if not len(df):
                    continue
                allowed = accepted_keys(f.choices)
                folded = fold_values(ctx.column(form_id, f.key))
                fails = outside(folded, allowed)
                if fails.any() and f.choices in _CHOICE_SPELLINGS:
                    spelled = _CHOICE_SPELLINGS[f.choices]
                    values = ctx.column(form_id, f.key)
                    fails[fails] = [not spelled(v) for v in values[fails]]
                if not fails.any():
                    continue
                out += emit(ctx, rule, df[fails], form_id, f.key, severity=None if f.official else WARNING,
                            choices="、".join(value_list(f.choices)[:12]))
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        out = []
        for form_id in rule.forms:
            for f in model_fields(rule, form_id):
                if f.type != "choice" or not choices_of(f):     # a place the programme lists none for
                    continue
                allowed = value_list(f.choices)
                keys = accepted_keys(f.choices)
                spelled = _CHOICE_SPELLINGS.get(f.choices)
                for v in sub.values(form_id, f.key):
                    if isinstance(v.value, str) and v.value.strip() and fold(v.value) not in keys \
                            and not (spelled and spelled(v.value)):
                        out.append(ctx.problem(rule, sub, v, f.key, severity=None if f.official else WARNING,
                                               choices="、".join(allowed)))
        return out


def accepted_keys(choices: str) -> set[str]:
    """A value list's values and their aliases (lists.yaml `aliases`), folded: what a choice field accepts as
    typed, on Shanxi's forms and a programme's alike (the templates' in-sheet check accepts the same)."""
    allowed = {fold(v) for v in value_list(choices)}
    for spellings in list_aliases(choices).values():
        allowed |= {fold(s) for s in spellings}
    return allowed


def _place_spelling(part: int) -> Callable[[Any], bool]:
    def known(v: Any) -> bool:
        return isinstance(v, str) and (locate(v)[part] is not None or (part == 1 and _county_stem(v)))
    return known


def county_stems() -> frozenset[str]:
    """The county names a typed county may stop short of (the templates judge it in the sheet from them)."""
    return _county_stems()


@lru_cache(maxsize=None)
def _county_stems() -> frozenset[str]:
    """Each county-level division's name without its 县/区/市 ending (离石区 -> 离石): retyped forms drop it,
    and a county renamed a 区 (太谷县 -> 太谷区) is still written the old way."""
    return frozenset(fold(c)[:-1] for c in value_list("county") if len(fold(c)) > 2)


#: the endings a county-level name is typed without (离石区 -> 离石, 太谷县 -> 太谷)
COUNTY_ENDINGS = ("县", "区", "市")


def _county_stem(text: str) -> bool:
    key = fold(text)
    if key.endswith(COUNTY_ENDINGS) and len(key) > 2:
        key = key[:-1]
    return key in _county_stems()


#: value lists whose values have spellings no list can hold: what else is accepted as one of them
_CHOICE_SPELLINGS: dict[str, Callable[[Any], bool]] = {
    "city": _place_spelling(0), "county": _place_spelling(1),
    "industry": lambda v: bool(read_industry(v).positions),     # the standard's names, or words (餐饮服务)
    "size_class": lambda v: isinstance(v, str) and declared_size(fold(v)) is not None,   # 小微, 中型企业
}
#: the lists accepted beyond their values (Shanxi's places, the standard's industries and sizes); a programme's
#: own list of its counties is accepted as listed (templates.choices follows the same)
SPELLED_LISTS = frozenset(_CHOICE_SPELLINGS)

