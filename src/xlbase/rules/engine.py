"""The validation engine: one vectorised function per rule kind over stacked frames.

Each kind takes the stacked frame of its form (every file at once), computes a
boolean "fails" column with pandas, and renders messages only for failing rows.
Nothing stops at the first problem; every rule runs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from collections import Counter
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ..forms import APPLICANT_FORMS, SUMMARY_FORM, get_form, value_list, value_lists
from ..identity import locate, split_place
from ..problems import INFO, WARNING, Problem
from ..read.normalise import is_blank_text
from ..table import Table, stack
from ..text import fold
from .columns import blank_text, fold_text
from .pack import Rule, RulePack, normalise_base_type
from .sizing import classify, declared_size, industries_of

KindFn = Callable[["Context", Rule], Iterable[Problem]]
KIND_FUNCTIONS: dict[str, KindFn] = {}


def kind(name: str):
    def deco(fn: KindFn) -> KindFn:
        KIND_FUNCTIONS[name] = fn
        return fn
    return deco


class Context:
    """The tables, the pack and cached stacked frames with each row's base name and type."""

    def __init__(self, tables: list[Table], pack: RulePack):
        self.tables = tables
        self.pack = pack
        self.as_of = pack.as_of
        self._stacks: dict[tuple[str, str], pd.DataFrame] = {}
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}
        self._raw: dict[tuple[int, str], dict[Any, Any]] = {}
        self._per_row_bases: np.ndarray | None = None
        self.base_types: dict[str, str] = {}
        self.base_names: dict[str, str] = {}
        for t in tables:
            key = t.base.get("key") or ""
            if t.base.get("name"):
                self.base_names.setdefault(key, str(t.base["name"]))
            bt = normalise_base_type(t.base.get("base_type"))
            if bt:
                self.base_types.setdefault(key, bt)
        for form_id, part in (("附件10", "table"), ("附件2", "record")):
            df = self._stacked(form_id, part)
            if len(df) and "base_type" in df:
                for k, v in zip(df["_base"], df["base_type"]):
                    bt = normalise_base_type(v)
                    if bt:
                        self.base_types.setdefault(k, bt)

    def _stacked(self, form_id: str, part: str) -> pd.DataFrame:
        """stack() once per form and part: the base types are read from the same frame frame() completes."""
        if (form_id, part) not in self._stacks:
            self._stacks[(form_id, part)] = stack(self.tables, form_id, part)
        return self._stacks[(form_id, part)]

    def frame(self, form_id: str, key: str | None = None) -> pd.DataFrame:
        """Stacked rows of a form (records for record fields), with `_btype` and `_bname`."""
        part = "table"
        form = get_form(form_id)
        if form.kind == "record" or (key and form.has_field(key) and form.field(key).part == "record"):
            part = "record"
        if (form_id, part) not in self._frames:
            df = self._stacked(form_id, part)
            own_type = df["base_type"].map(normalise_base_type) if "base_type" in df else pd.Series(None, index=df.index)
            df["_btype"] = own_type.where(own_type.notna(), df["_base"].map(self.base_types))
            own_name = df["base_name"] if "base_name" in df else pd.Series(None, index=df.index, dtype=object)
            # the name a clerk knows the base by; never the internal key (name|operator) of identity.base_key
            df["_bname"] = own_name.astype(object).where(own_name.notna(), df["_base"].map(self.base_names)).fillna("")
            df["_sub"] = _submission_keys(df)
            self._frames[(form_id, part)] = df
        return self._frames[(form_id, part)]

    def names_own_base(self, df: pd.DataFrame) -> np.ndarray:
        """Per row of a stacked frame: whether its table names a base per row (see names_bases_per_row)."""
        if self._per_row_bases is None:
            self._per_row_bases = np.fromiter((names_bases_per_row(t) for t in self.tables), dtype=bool,
                                              count=len(self.tables))
        return self._per_row_bases[df["_table"].to_numpy(dtype=np.int64)]

    def cell(self, table_index: Any, key: str, row: Any) -> str:
        try:
            return self.tables[int(table_index)].cell(key, int(row))
        except (ValueError, TypeError, IndexError):
            return ""

    def raw(self, table_index: Any, key: str, row: Any) -> Any:
        """The clerk's own text for a cell, for messages; None when not kept."""
        try:
            t = self.tables[int(table_index)]
        except (ValueError, TypeError, IndexError):
            return None
        if int(row) == 0:
            return t.record_raw.get(key)
        if key in t.raw.columns and "_row" in t.data.columns:
            by_row = self._raw.get((id(t), key))
            if by_row is None:  # one dict per (table, field), not a boolean scan per cell; first row wins
                rows, texts = t.data["_row"].tolist(), t.raw[key].tolist()
                by_row = self._raw[(id(t), key)] = dict(zip(reversed(rows), reversed(texts)))
            try:
                return by_row.get(int(row))
            except TypeError:
                return None
        return None


def names_bases_per_row(t: Table) -> bool:
    """A table whose rows each name their base (a 汇总表's 附件11; our 入驻企业 sheet, read as 附件3 with
    `_base` from the record and `_base_name` from 所属基地): a list of many bases, no applicant's form."""
    return bool({"_base", "_base_name"} & set(t.data.columns))


def _submission_keys(df: pd.DataFrame) -> pd.Series:
    """One key per submission: a base in one file. Two copies of one base's workbook (a resubmission) are two
    submissions, each judged on its own rows; the merge reports the copy it did not take (duplicate-base)."""
    if not len(df):
        return pd.Series([], index=df.index, dtype=object)
    # the text is built once per (table, base) pair, not per row: a firm frame has 58 000 rows, ~1 000 pairs
    base_codes, bases = pd.factorize(df["_base"].fillna(""))
    pair_codes, _ = pd.factorize(df["_table"].to_numpy(dtype=np.int64) * (len(bases) + 1) + base_codes)
    first = np.zeros(pair_codes.max() + 1, dtype=np.int64)
    first[pair_codes] = np.arange(len(df))       # a row of each pair (any: they share file and base)
    files = df["_file"].to_numpy(dtype=object)[first]
    keys = np.array([f"{f}\n{bases[base_codes[r]]}" for f, r in zip(files, first)], dtype=object)
    return pd.Series(keys[pair_codes], index=df.index, dtype=object)


def validate(tables: list[Table], pack: RulePack) -> list[Problem]:
    """Every problem every rule finds in `tables`; never stops at the first."""
    ctx = Context(list(tables), pack)
    problems: list[Problem] = []
    for rule in pack.rules:
        problems.extend(KIND_FUNCTIONS[rule.kind](ctx, rule))
    return problems


# --- shared helpers -------------------------------------------------------------------

def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce")


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (np.generic,)):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _fmt(v: Any) -> str:
    v = _clean(v)
    if v is None:
        return "（空）"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def _emit(ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str, key: str,
          value: str | pd.Series | None = None, threshold: Any = None, severity: str | None = None,
          **extra: Any) -> list[Problem]:
    """Problems for failing rows; messages are rendered here only.

    Columns are read once as lists, not row by row (iterrows builds a Series per row).
    """
    out = []
    form = get_form(form_id)
    fld = form.field(key) if key and form.has_field(key) else None
    values = rows[value] if isinstance(value, str) else (value if value is not None else rows.get(key))
    extras = [dict(zip(extra, xs)) for xs in zip(*(_per_row(x, rows) for x in extra.values()))] \
        if extra else [{}] * len(rows)
    columns = (_per_row(rows.get(c, default), rows) for c, default in
               (("_file", ""), ("_sheet", ""), ("_table", None), ("_row", None), ("_bname", None), ("_btype", None)))
    for v, th, per_row, file, sheet, table, row, bname, btype in zip(
            _per_row(values, rows), _per_row(threshold, rows), extras, *columns):
        v, th = _clean(v), _clean(th)
        btype = btype if isinstance(btype, str) else None
        ctx_vars = dict(value=_fmt(v), raw_value=v, threshold=_fmt(th), label=display_label(form, fld) if fld else key,
                        unit=(fld.unit or "") if fld else "", base=bname or "", base_type=btype or "",
                        form=form_id, as_of=ctx.as_of.isoformat(), **{k: _fmt(x) if not isinstance(x, (list, str)) else x
                                                                      for k, x in per_row.items()})
        out.append(Problem(
            rule=rule.id, severity=severity or rule.severity, message=rule.render(**ctx_vars),
            file=str(file), sheet=str(sheet), cell=ctx.cell(table, key, row), form=form_id,
            field=fld.label if fld else key, base=str(bname or ""), value=v, threshold=th,
        ))
    return out


@lru_cache(maxsize=None)
def _shared_labels(form_id: str) -> frozenset[str]:
    """Labels that name two fields of a form (附件2: 名称, 联系电话): messages add the section."""
    seen = Counter(fold(f.label) for f in get_form(form_id).fields)
    return frozenset(k for k, n in seen.items() if n > 1)


def display_label(form, fld) -> str:
    """The field's label as a message names it: "小微企业双创基地创业服务机构名称", not a bare "名称"."""
    if fld.section and fold(fld.label) in _shared_labels(form.id):
        return f"{fld.section}{fld.label}"
    return fld.label


def _per_row(x: Any, rows: pd.DataFrame) -> list:
    """`x` for each of `rows`: a Series looked up by the rows' index labels, or one value for all."""
    return x.loc[rows.index].tolist() if isinstance(x, pd.Series) else [x] * len(rows)


def _unknown_type(ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str, key: str) -> list[Problem]:
    """An explicit notice for bases whose 基地类型 is unknown: the per-type check was not made."""
    out = []
    form = get_form(form_id)
    label = form.field(key).label if form.has_field(key) else key
    for _, r in rows.iterrows():
        has_column = _has_field(ctx, pd.DataFrame({"_table": [r.get("_table")]}), "base_type")[0]
        out.append(Problem(
            rule=rule.id, severity=INFO,
            message=f"基地类型未填写或无法识别（“{_fmt(r.get('base_type'))}”），未能按类型核对“{label}”的门槛"
                    f"（{rule.title or rule.id}）；{_where_base_type(form_id, has_column)}",
            file=str(r.get("_file", "")), sheet=str(r.get("_sheet", "")),
            cell=ctx.cell(r.get("_table"), "base_type", r.get("_row")) or ctx.cell(r.get("_table"), key, r.get("_row")),
            form=form_id, field=label, base=str(r.get("_bname") or ""), value=_clean(r.get("base_type")),
        ))
    return out


def _where_base_type(form_id: str, has_column: bool) -> str:
    """Where the clerk gives the 基地类型: the template's dropdown, or a column a hand-made table lacks."""
    forms = [f for f in APPLICANT_FORMS if get_form(f).has_field("base_type")] if form_id in APPLICANT_FORMS \
        else [form_id]
    label = get_form(forms[0]).field("base_type").label     # the form model's word, not a second copy
    if has_column:
        return f"请在“{label}”栏从下拉列表选择或按附件1封面填写。"
    types = "、".join(value_list("base_type")[:2])
    return (f"本表没有“{label}”栏：请在{'或'.join(forms)}中增加“{label}”一栏，"
            f"按附件1封面填写（如{types}）。")


def _thresholds(ctx: Context, rule: Rule, df: pd.DataFrame) -> pd.Series:
    if not rule.per_type:
        return pd.Series(rule.threshold, index=df.index, dtype=object)
    return df["_btype"].map(lambda bt: rule.threshold_for(bt) if isinstance(bt, str) else rule.threshold.get("default"))


def _blank(s: pd.Series) -> pd.Series:
    """Missing, or text that is only whitespace."""
    return s.isna() | pd.Series(blank_text(s), index=s.index)


def _forms_of(rule: Rule) -> tuple[str, ...]:
    return rule.forms or ((rule.form,) if rule.form else ())


def _field_frames(ctx: Context, rule: Rule) -> list[tuple[str, pd.DataFrame]]:
    """(form id, stacked rows) for each form of a one-field rule that has rows, with the rule's fallback
    form standing in where those lack the value (see _with_fallback)."""
    frames = [(form_id, ctx.frame(form_id, rule.field)) for form_id in _forms_of(rule)]
    return _with_fallback(ctx, rule, rule.field, [(f, df) for f, df in frames if len(df)])


def _with_fallback(ctx: Context, rule: Rule, key: str, frames: list[tuple[str, pd.DataFrame]]
                   ) -> list[tuple[str, pd.DataFrame]]:
    """`frames` plus the fallback form's rows (附件2) of the submissions whose rows in `frames` (附件10)
    give no value of `key`: the form is missing, or its cell is blank or unreadable.

    One fact stated on 附件10 and on 附件2 is judged once per submission, on 附件10 when it has it; a
    附件10 row without the value gives way to a 附件2 row that has it. When the two forms state different
    values, forms-agree says so.
    """
    if not rule.fallback:
        return frames
    fb = ctx.frame(rule.fallback, key)
    if not len(fb):
        return frames
    subs = [df["_sub"] for _, df in frames]
    stated = [df.loc[~_blank(df[key]), "_sub"] for _, df in frames]
    fb = fb[~fb["_sub"].isin(_concat(stated))]
    fb = fb[~_blank(fb[key]) | ~fb["_sub"].isin(_concat(subs))]   # a row of its own where neither has it
    if not len(fb):
        return frames
    replaced = fb.loc[~_blank(fb[key]), "_sub"]
    frames = [(f, df[~(_blank(df[key]) & df["_sub"].isin(replaced))]) for f, df in frames]
    return [(f, df) for f, df in frames if len(df)] + [(rule.fallback, fb)]


def _concat(parts: list[pd.Series]) -> pd.Series:
    return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype=object)


# --- bounds from the form model ----------------------------------------------------------

def _model_fields(rule: Rule, form_id: str):
    form = get_form(form_id)
    wanted = set(rule.fields)
    return [f for f in form.fields if not f.merge_only and (not wanted or f.key in wanted)]


@kind("required")
def check_required(ctx: Context, rule: Rule) -> list[Problem]:
    """Empty required cells (the form model's `required`).

    error: a blank cell of a required official field. warning: a blank in one of our own columns
    (基地类型, 所在市县 on 附件10: the notice does not ask for them there), or in a field whose blank may
    be a 0 left out (Field.blank_may_be_zero); all the parts of a breakdown blank while its total is
    stated (Field.part_of — one part blank is none of it, nothing to report). In a 汇总表 (附件11) only
    the official columns: our own columns there are copied from the applications, whose own checks
    already spoke, so a 汇总表 re-checked a level up adds nothing."""
    out = []
    for form_id in _forms_of(rule):
        for f in _model_fields(rule, form_id):
            if not f.required or (form_id == SUMMARY_FORM and not f.official) or f.part_of:
                continue
            df = ctx.frame(form_id, f.key)
            if not len(df):
                continue
            # a column the sheet lacks is the reader's finding (missing_fields); here: empty values
            fails = _has_field(ctx, df, f.key) & _blank(df[f.key])
            if fails.any():  # text the reader could not parse was filled in: it reported that (unparseable)
                raw = _raw_texts(ctx, df, f.key, fails)
                # in a number cell “无”, “/”, “—” answer the question (none); elsewhere they leave it open
                typed = (lambda s: isinstance(s, str) and bool(s.strip())) if f.is_numeric else \
                    (lambda s: isinstance(s, str) and not is_blank_text(s))
                fails &= ~raw.map(typed).astype(bool)
            doubt = not f.official or f.blank_may_be_zero   # our own column, or a blank that may be a 0
            said = replace(rule, message=rule.message + ZERO_HINT) if f.blank_may_be_zero else rule
            out += _emit(ctx, said, df[fails], form_id, f.key, severity=WARNING if doubt else None)
        out += _blank_breakdowns(ctx, rule, form_id)
    return out


ZERO_HINT = "（如果没有，请填 0）"


def _blank_breakdowns(ctx: Context, rule: Rule, form_id: str) -> list[Problem]:
    """Breakdown cells (Field.part_of: 资金来源 of 建设项目总投资) are not required one by one: a blank part
    is none of it. A group whose parts are all blank while its total is stated above zero is in doubt:
    one warning at its first part (the notice's form asks for the breakdown; none of it was given)."""
    groups: dict[str, list] = {}
    for f in _model_fields(rule, form_id):
        if f.required and f.part_of:
            groups.setdefault(f.part_of, []).append(f)
    out = []
    form = get_form(form_id)
    for total, parts in groups.items():
        df = ctx.frame(form_id, parts[0].key)
        if not len(df) or total not in df:
            continue
        blank = np.logical_and.reduce([_blank(df[p.key]).to_numpy() & _has_field(ctx, df, p.key) for p in parts])
        given = (_num(df[total]) > 0).to_numpy()
        if not (blank & given).any():
            continue
        labels = "、".join(display_label(form, p) for p in parts)
        total_label = display_label(form, form.field(total))
        rows = df[blank & given]
        for _, r in rows.iterrows():
            out.append(Problem(
                rule=rule.id, severity=WARNING,
                message=f"“{labels}”都未填写，而“{total_label}”填了 {_fmt(r[total])}"
                        f"{form.field(total).unit or ''}：请按实际填写（没有的填 0）",
                file=str(r["_file"]), sheet=str(r["_sheet"]), cell=ctx.cell(r["_table"], parts[0].key, r["_row"]),
                form=form_id, field=parts[0].label, base=str(r.get("_bname") or "")))
    return out


def _raw_texts(ctx: Context, df: pd.DataFrame, key: str, rows: pd.Series) -> pd.Series:
    """The clerk's text of `key` for the `rows` (a mask) of `df`, None elsewhere; looked up per row only there."""
    raw = pd.Series(None, index=df.index, dtype=object)
    if rows.any():
        sub = df[rows]
        raw[rows] = pd.Series([ctx.raw(t, key, r) for t, r in zip(sub["_table"], sub["_row"])],
                              index=sub.index, dtype=object)
    return raw


def _has_field(ctx: Context, df: pd.DataFrame, key: str) -> np.ndarray:
    """Per row: whether its table has the field at all, decided once per table, not per row."""
    has = np.zeros(len(ctx.tables), dtype=bool)
    for i in pd.unique(df["_table"]):
        t = ctx.tables[i]
        has[i] = key in t.columns or key in t.record_cells or key in t.record
    return has[df["_table"].to_numpy()]


@kind("type")
def check_type(ctx: Context, rule: Rule) -> list[Problem]:
    """Text the reader could not turn into the field's type (a number, date, 是/否)."""
    out = []
    for form_id in _forms_of(rule):
        for f in _model_fields(rule, form_id):
            if f.type in ("text", "phone", "credit_code", "choice"):
                continue
            df = ctx.frame(form_id, f.key)
            if not len(df):
                continue
            na = df[f.key].isna()
            raw = _raw_texts(ctx, df, f.key, na)   # the clerk's text matters only where the reader found no value
            fails = na & ~_blank(raw)
            out += _emit(ctx, rule, df[fails], form_id, f.key, value=raw, type_name=_TYPE_NAMES.get(f.type, f.type))
    return out


_TYPE_NAMES = {"integer": "整数", "decimal": "数字", "money": "金额（万元）", "area": "面积（平方米）",
               "date": "日期", "yesno": "“是”或“否”"}


@kind("range")
def check_range(ctx: Context, rule: Rule) -> list[Problem]:
    """Values below the form model's min (e.g. negative counts) or above its max."""
    out = []
    for form_id in _forms_of(rule):
        for f in _model_fields(rule, form_id):
            if not f.is_numeric or (f.min is None and f.max is None):
                continue
            df = ctx.frame(form_id, f.key)
            if not len(df):
                continue
            v = _num(df[f.key])
            if f.min is not None:
                out += _emit(ctx, rule, df[v < f.min], form_id, f.key, threshold=f.min, bound="下限")
            if f.max is not None:
                out += _emit(ctx, rule, df[v > f.max], form_id, f.key, threshold=f.max, bound="上限")
    return out


@kind("choice")
def check_choice(ctx: Context, rule: Rule) -> list[Problem]:
    """A value outside its field's list. error on an official field; warning on one of our own columns
    (所属行业, 企业规模, 基地类型…: the notice does not ask for them, a value we cannot use is no mistake of
    the submission's). A place is accepted as any spelling `identity.locate` recognises (忻州 for 忻州市);
    an industry as any name the small/micro standard places (制造业, 批发和零售业: sizing.industries_of)."""
    out = []
    for form_id in _forms_of(rule):
        for f in _model_fields(rule, form_id):
            if f.type != "choice" or not f.choices:
                continue
            df = ctx.frame(form_id, f.key)
            if not len(df):
                continue
            allowed = {fold(v) for v in value_list(f.choices)}
            for spellings in ((value_lists().get(f.choices) or {}).get("aliases") or {}).values() \
                    if f.choices in value_lists() else ():
                allowed |= {fold(s) for s in spellings}
            folded = fold_text(df[f.key])
            fails = folded.notna() & (folded != "") & ~folded.isin(allowed)
            if fails.any() and f.choices in _CHOICE_SPELLINGS:
                fails &= ~df[f.key].map(_CHOICE_SPELLINGS[f.choices]).astype(bool)
            out += _emit(ctx, rule, df[fails], form_id, f.key, severity=None if f.official else WARNING,
                         choices="、".join(value_list(f.choices)[:12]))
    return out


def _place_spelling(part: int) -> Callable[[Any], bool]:
    def known(v: Any) -> bool:
        return isinstance(v, str) and (locate(v)[part] is not None or (part == 1 and _county_stem(v)))
    return known


@lru_cache(maxsize=None)
def _county_stems() -> frozenset[str]:
    """Each county-level division's name without its 县/区/市 ending (离石区 -> 离石): retyped forms drop it,
    and a county renamed a 区 (太谷县 -> 太谷区) is still written the old way."""
    return frozenset(fold(c)[:-1] for c in value_list("county") if len(fold(c)) > 2)


def _county_stem(text: str) -> bool:
    key = fold(text)
    if key.endswith(("县", "区", "市")) and len(key) > 2:
        key = key[:-1]
    return key in _county_stems()


#: value lists whose values have spellings no list can hold: what else is accepted as one of them
_CHOICE_SPELLINGS: dict[str, Callable[[Any], bool]] = {
    "city": _place_spelling(0), "county": _place_spelling(1),
    "industry": lambda v: bool(industries_of(v)),
    "size_class": lambda v: isinstance(v, str) and declared_size(fold(v)) is not None,   # 小微, 中型企业
}


# --- one field against a pack threshold -----------------------------------------------------

def _compare(ctx: Context, rule: Rule, op: str) -> list[Problem]:
    out = []
    key = rule.field
    for form_id, df in _field_frames(ctx, rule):
        th = _thresholds(ctx, rule, df)
        if rule.per_type:
            unknown = df["_btype"].isna() & th.isna()
            out += _unknown_type(ctx, rule, df[unknown], form_id, key)
        v = _num(df[key])
        t = _num(th)
        fails = (v < t) if op == "min" else (v > t)
        out += _emit(ctx, rule, df[fails.fillna(False)], form_id, key, threshold=t)
    return out


@kind("min")
def check_min(ctx: Context, rule: Rule) -> list[Problem]:
    return _compare(ctx, rule, "min")


@kind("max")
def check_max(ctx: Context, rule: Rule) -> list[Problem]:
    return _compare(ctx, rule, "max")


@kind("equals")
def check_equals(ctx: Context, rule: Rule) -> list[Problem]:
    out = []
    for form_id, df in _field_frames(ctx, rule):
        v = df[rule.field]
        fails = v.notna() & (v != rule.threshold)
        out += _emit(ctx, rule, df[fails], form_id, rule.field, threshold=rule.threshold)
    return out


def _years_between(start: pd.Series, end: dt.date) -> pd.Series:
    """Whole years from each date to `end` (birthday arithmetic, not days/365)."""
    def years(d: Any) -> float:
        if not isinstance(d, dt.date):
            return np.nan
        n = end.year - d.year - ((end.month, end.day) < (d.month, d.day))
        return float(n)
    return start.map(years)


def _as_date(s: pd.Series) -> pd.Series:
    """Each value as a datetime.date (a datetime without its time), None when it is not a date."""
    return pd.Series([d.date() if isinstance(d, dt.datetime) else (d if isinstance(d, dt.date) else None)
                      for d in s.to_numpy(dtype=object)], index=s.index, dtype=object)


def _dates_after(d: pd.Series, limit: dt.date, after: bool = True) -> pd.Series:
    """Which dates (from _as_date) are after `limit` (before it when after=False); False where there is none."""
    known = d.notna().to_numpy()
    dates = d.to_numpy(dtype=object)[known]
    out = np.zeros(len(d), dtype=bool)
    out[known] = (dates > limit) if after else (dates < limit)
    return pd.Series(out, index=d.index)


@kind("age-in-years")
def check_age(ctx: Context, rule: Rule) -> list[Problem]:
    out = []
    for form_id, df in _field_frames(ctx, rule):
        dates = _as_date(df[rule.field])
        years = _years_between(dates, ctx.as_of)
        th = _num(_thresholds(ctx, rule, df))
        fails = (years < th).fillna(False)
        out += _emit(ctx, rule, df[fails], form_id, rule.field, threshold=th, years=years)
    return out


# --- per base, across forms -----------------------------------------------------------------

def _target(ctx: Context | None, rule: Rule) -> tuple[tuple[str, ...], str]:
    """(forms, field) a per-submission rule compares with: `target: {forms: [附件10, 附件11], field: …}`
    (a pack written with one `form:` still works)."""
    t = rule.params.get("target") or {}
    forms = t.get("forms") or [t.get("form", "附件10")]
    return tuple(forms), t.get("field", "")


def _tolerance_ok(diff: pd.Series, total: pd.Series, tol: Any) -> pd.Series:
    """Within tolerance: `tol` is absolute, or {abs: n, rel: 0.05} (either suffices)."""
    if tol is None:
        return diff.abs() < 1e-6
    if isinstance(tol, dict):
        ok = pd.Series(False, index=diff.index)
        if "abs" in tol:
            ok |= diff.abs() <= float(tol["abs"]) + 1e-9
        if "rel" in tol:
            ok |= diff.abs() <= float(tol["rel"]) * total.abs() + 1e-9
        return ok
    return diff.abs() <= float(tol) + 1e-9


def _per_submission(ctx: Context, rule: Rule, src: pd.DataFrame, aggregate: Callable[[pd.DataFrame], pd.Series]
                    ) -> list[Problem]:
    """`aggregate` of the firm rows `src` per submission (a Series by `_sub`) against the value stated on
    the target forms; on the fallback form (附件2) for submissions whose target forms lack the value.

    An applicant's 附件10 is compared with its own 附件3. A 汇总表's 附件11 rows are compared only with
    firm rows that name their base one by one (its 入驻企业 sheet, read as 附件3): a hand-typed 附件11
    has no firm rows of its bases, and an applicant's 附件3 beside it is not a 汇总表's list.
    """
    listed = ctx.names_own_base(src)
    aggs = (aggregate(src[~listed]), aggregate(src[listed & ~_blank(src["_base"])]))
    forms, key = _target(ctx, rule)
    frames = [(form_id, ctx.frame(form_id, key)) for form_id in forms]
    out = []
    for form_id, target in _with_fallback(ctx, rule, key, [(f, df) for f, df in frames if len(df)]):
        by_list = ctx.names_own_base(target)
        found = np.where(by_list, target["_sub"].isin(aggs[1].index), target["_sub"].isin(aggs[0].index))
        target, by_list = target[found], by_list[found]
        if not len(target):
            continue
        have = pd.Series(np.where(by_list, aggs[1].reindex(target["_sub"]).to_numpy(dtype=float),
                                  aggs[0].reindex(target["_sub"]).to_numpy(dtype=float)), index=target.index)
        stated = _num(target[key])
        diff = stated - have
        ok = _tolerance_ok(diff, stated, rule.tolerance) | stated.isna()
        out += _emit(ctx, rule, target[~ok], form_id, key, threshold=have, counted=have, difference=diff)
    return out


@kind("counts-match")
def check_counts_match(ctx: Context, rule: Rule) -> list[Problem]:
    """Rows of a table form per submission (附件3 firms) against a stated count (附件10 已入驻企业数)."""
    src = ctx.frame(rule.form)
    if not len(src):
        return []
    return _per_submission(ctx, rule, src, lambda df: df.groupby("_sub").size().astype(float))


@kind("sum-matches")
def check_sum_matches(ctx: Context, rule: Rule) -> list[Problem]:
    """A column's sum per submission (附件3 职工人数) against a stated total (附件10 吸纳就业人员数)."""
    src = ctx.frame(rule.form, rule.field)
    if not len(src):
        return []
    return _per_submission(ctx, rule, src, lambda df: _num(df[rule.field]).groupby(df["_sub"]).sum(min_count=1))


@kind("ratio")
def check_ratio(ctx: Context, rule: Rule) -> list[Problem]:
    """Share of small/micro firms per base (附件3), by 300号 as far as the data decides it (sizing.py).

    error: below the threshold even when every undecided firm counts as small/micro — the firms proven
    not small/micro (medium under every industry they may be in, or declared 大型/中型) alone sink it;
    the message names them with their cells, and the problem points at them.
    warning: below the threshold only when the undecided firms count as not small/micro; it names them
    and asks for their 所属行业 (or 企业规模) — what would decide it.
    """
    src = ctx.frame(rule.form)
    if not len(src):
        return []
    basis_param = rule.params.get("unknown_industry") or ctx.pack.params.get("unknown_industry") or "declared-then-strictest"
    cls = classify(src, basis_param)
    small = cls["small"]
    g = pd.DataFrame({"_sub": src["_sub"], "small": small.fillna(False).astype(bool),
                      "not_small": (~small).fillna(False).astype(bool), "open": small.isna(),
                      "unknown": _numbers_missing(src), "strict": cls["basis"] == "strictest",
                      "declared": cls["basis"] == "declared"})
    agg = g.groupby("_sub").agg(n=("small", "size"), small=("small", "sum"), not_small=("not_small", "sum"),
                                open=("open", "sum"), unknown=("unknown", "sum"), strict=("strict", "sum"),
                                declared=("declared", "sum"))
    if agg.empty:   # no firm row tied to a submission: nothing to judge
        return []
    first = src.groupby("_sub").head(1).set_index("_sub")
    rows = first.loc[agg.index].copy()
    rows["_sub"] = rows.index
    rows.index = range(len(rows))
    th = _num(_thresholds(ctx, rule, rows))

    def col(c: str) -> pd.Series:
        return pd.Series(agg[c].to_numpy(), index=rows.index)

    worst = col("small") / col("n")                       # the undecided counted as not small/micro
    best = (col("n") - col("not_small")) / col("n")       # the undecided counted as small/micro
    proven = (best < th).fillna(False)
    doubtful = (worst < th).fillna(False) & ~proven
    not_small, undecided = g[g["not_small"]], g[g["open"]]
    common = dict(threshold=th, percent=(th * 100).round(1), firms=col("n"), small=col("small"),
                  not_small=col("not_small"), undecided=col("open"), unknown=col("unknown"),
                  strictest=col("strict"), declared=col("declared"), share_max=(best * 100).round(1))
    out = []
    if proven.any():
        listed = _firm_lists(ctx, src, not_small, rows["_sub"])
        out += _emit(ctx, rule, rows[proven], rule.form, "firm_name", value=best.round(4),
                     share=(best * 100).round(1), firm_list=listed["text"], cell=listed["cells"],
                     **{k: v for k, v in common.items() if k != "share_max"})
        _point_at(out, rows[proven], listed["cells"])
    if doubtful.any():
        listed = _firm_lists(ctx, src, undecided, rows["_sub"])
        warn = replace(rule, message=rule.params.get("undecided_message") or UNDECIDED_MESSAGE)
        found = _emit(ctx, warn, rows[doubtful], rule.form, "firm_name", value=worst.round(4), severity=WARNING,
                      share=(worst * 100).round(1), firm_list=listed["text"], cell=listed["cells"],
                      **{k: v for k, v in common.items()})
        _point_at(found, rows[doubtful], listed["cells"])
        out += found
    return out


#: the share rule's warning when a pack gives no `params.undecided_message` of its own
UNDECIDED_MESSAGE = (
    "小微企业占比能否达到 {{ percent }}% 无法从材料判定：已确认小微企业 {{ small }}/{{ firms }} 户（{{ share }}%），"
    "另有 {{ undecided }} 户无法判定（{{ firm_list }}），全部计为小微时为 {{ share_max }}%。"
    "附件3 没有所属行业，按300号标准这些企业在有的行业属小微、有的不属；请补充这些企业的“所属行业”（或“企业规模”）后再核对")
FIRM_LIST_MAX = 8      # firms named in a message; the problem's cells list them all (up to FIRM_CELLS_MAX)
FIRM_CELLS_MAX = 200


def _numbers_missing(src: pd.DataFrame) -> pd.Series:
    """Firm rows with neither 职工人数 nor 营业收入: nothing to classify by."""
    return _num(src["employees"]).isna() & _num(src["revenue"]).isna()


def _firm_lists(ctx: Context, src: pd.DataFrame, picked: pd.DataFrame, subs: pd.Series) -> dict[str, pd.Series]:
    """Per submission in `subs`: 'name（B7）、…' of the firm rows `picked` (rows of `g`, indexed as `src`)
    and their name cells joined by commas (a problem's cell list, marked one by one)."""
    texts, cells = {}, {}
    rows = src.loc[picked.index]
    for sub, part in rows.groupby("_sub", sort=False):
        where = [ctx.cell(t, "firm_name", r) for t, r in zip(part["_table"], part["_row"])]
        names = [_fmt(v) for v in part["firm_name"]]
        shown = [f"{n}（{c}）" if c else n for n, c in zip(names, where)]
        texts[sub] = "、".join(shown[:FIRM_LIST_MAX]) + (f" 等 {len(shown)} 户" if len(shown) > FIRM_LIST_MAX else "")
        cells[sub] = ",".join(c for c in where[:FIRM_CELLS_MAX] if c)
    return {"text": subs.map(texts).fillna(""), "cells": subs.map(cells).fillna("")}


def _point_at(problems: list[Problem], rows: pd.DataFrame, cells: pd.Series) -> None:
    """The share problems point at the firms they name (their name cells), not at a header."""
    for i, (p, c) in enumerate(zip(problems, cells.loc[rows.index])):
        if c:
            problems[i] = replace(p, cell=c)


@kind("forms-present")
def check_forms_present(ctx: Context, rule: Rule) -> list[Problem]:
    """An applicant's workbook that lacks one of the rule's forms: the rules on that form were not made
    for it, which should not pass in silence. A 汇总表 is no applicant's workbook (see _applicant_files)."""
    out = []
    for file, held in _applicant_files(ctx, set(rule.params.get("applicant") or APPLICANT_FORMS)).items():
        base = next((str(t.base["name"]) for t in held.values() if t.base.get("name")), "")
        for form_id in _forms_of(rule):
            if form_id in held:
                continue
            title = get_form(form_id).title_for(ctx.pack.year)
            out.append(Problem(
                rule=rule.id, severity=rule.severity, file=file, form=form_id, base=base,
                message=rule.render(form=form_id, title=title, base=base, value="", threshold="", label="",
                                    unit="", base_type="", as_of=ctx.as_of.isoformat())))
    return out


def _applicant_files(ctx: Context, applicant: set[str]) -> dict[str, dict[str, Table]]:
    """file -> {form id: its first table} for each file that is one base's application: it holds one of
    the `applicant` forms for one base, and no 附件11.

    A 汇总表 lists many bases: it holds 附件11, and its 入驻企业 sheet reads as an 附件3 whose rows each
    name their own base (`_base` from our record, `_base_name` from its 所属基地 column); such a firm
    list is no applicant's 附件3 either, with or without 附件11 beside it.
    """
    by_file: dict[str, dict[str, Table]] = {}
    for t in ctx.tables:
        by_file.setdefault(t.file, {}).setdefault(t.form_id, t)
    own = {t.file for t in ctx.tables if t.form_id in applicant and not names_bases_per_row(t)}
    return {file: held for file, held in by_file.items() if file in own and SUMMARY_FORM not in held}


@kind("forms-agree")
def check_forms_agree(ctx: Context, rule: Rule) -> list[Problem]:
    """The same fact stated on two forms of one submission (附件2 and 附件10: 已入驻企业数, 注册时间, …)
    agrees: numbers equal (within the rule's tolerance), dates equal, yes/no equal, choices and names
    equal after `fold`. One problem per differing fact, at the first form's cell; the message names
    both forms, values and cells. A fact only one form states is not compared."""
    (a_form, b_form), out = rule.forms[:2], []
    for key in rule.fields:
        a, b = ctx.frame(a_form, key), ctx.frame(b_form, key)
        if not len(a) or not len(b):
            continue
        a = a[~_blank(a[key])].drop_duplicates("_sub")      # one row per submission: its first
        b = b[~_blank(b[key])].drop_duplicates("_sub").set_index("_sub")
        a = a[a["_sub"].isin(b.index)]
        if not len(a):
            continue
        b = b.loc[a["_sub"]].set_axis(a.index)
        fa, fb = get_form(a_form).field(key), get_form(b_form).field(key)
        differ = ~_agree(fa, a[key], b[key], rule.tolerance)
        if not differ.any():
            continue
        a, b = a[differ], b[differ]
        out += _emit(ctx, rule, a, a_form, key, threshold=b[key], cell=_sheet_cells(ctx, a, key),
                     other_form=b_form, other_label=display_label(get_form(b_form), fb),
                     other_value=b[key].map(_fmt), other_cell=_sheet_cells(ctx, b, key))
    return out


def _sheet_cells(ctx: Context, rows: pd.DataFrame, key: str) -> pd.Series:
    """'附件2!B27' of `key` in each of `rows`, as a message names a cell on another sheet."""
    return pd.Series([f"{sh}!{ctx.cell(t, key, r)}" for sh, t, r in zip(rows["_sheet"], rows["_table"], rows["_row"])],
                     index=rows.index, dtype=object)


def _agree(fld, a: pd.Series, b: pd.Series, tolerance: Any) -> pd.Series:
    """Whether two stated values of a field (same index) are the same fact, compared as the field's type."""
    if fld.is_numeric:
        va, vb = _num(a), _num(b)
        return _tolerance_ok(va - vb, va, tolerance) | va.isna() | vb.isna()
    if fld.type == "date":
        da, db = _as_date(a), _as_date(b)
        return pd.Series([x is None or y is None or x == y for x, y in zip(da, db)], index=a.index)
    if fld.type == "yesno":
        return pd.Series([x == y for x, y in zip(a, b)], index=a.index)
    ka, kb = _fold_key(a), _fold_key(b)
    if fld.type == "choice" and fld.choices:
        canon = _choice_canon(fld.choices)
        ka, kb = ka.map(lambda k: canon.get(k, k)), kb.map(lambda k: canon.get(k, k))
    same = ka == kb
    if fld.identity == "base_name" and not same.all():     # "忻州市忻府区晨光…" on 附件10, "晨光…" on 附件2
        same |= pd.Series([_same_base_name(x, y) for x, y in zip(ka, kb)], index=a.index)
    elif fld.identity in ("city", "county") and not same.all():     # "忻州" and "忻州市" are one city
        part = 0 if fld.identity == "city" else 1
        same |= pd.Series([locate(x)[part] is not None and locate(x)[part] == locate(y)[part]
                           for x, y in zip(ka, kb)], index=a.index)
    return same


@lru_cache(maxsize=None)
def _choice_canon(list_name: str) -> dict[str, str]:
    """Folded spelling -> folded canonical value of a value list (aliases such as 楼宇 -> 楼宇型)."""
    spec = value_lists().get(list_name) or {}
    canon = {fold(v): fold(v) for v in value_list(list_name)}
    for value, spellings in (spec.get("aliases") or {}).items():
        canon.update({fold(s): fold(value) for s in spellings})
    return canon


def _same_base_name(a: str, b: str) -> bool:
    """One base named with and without its place: the same name after the place prefix, in places that
    do not contradict each other (附件10 writes "x市x县（区）xx双创基地"; 附件2 has 所在市县 apart)."""
    (pa, ra), (pb, rb) = split_place(a), split_place(b)
    return ra == rb and all(x is None or y is None or x == y for x, y in zip(locate(pa), locate(pb)))


# --- within one record/row ---------------------------------------------------------------------

@kind("sums-equal")
def check_sums_equal(ctx: Context, rule: Rule) -> list[Problem]:
    """Parts add up to their total within one record (附件2 资金来源 = 建设项目总投资)."""
    *parts, total = rule.fields
    df = ctx.frame(rule.form, total)
    if not len(df):
        return []
    vals = pd.concat([_num(df[p]) for p in parts], axis=1)
    s = vals.sum(axis=1, min_count=1)
    t = _num(df[total])
    ok = _tolerance_ok(s - t, t, rule.tolerance) | s.isna() | t.isna()
    labels = "、".join(get_form(rule.form).field(p).label for p in parts)
    return _emit(ctx, rule, df[~ok], rule.form, total, threshold=s, parts_sum=s, parts=labels)


@kind("comparison")
def check_comparison(ctx: Context, rule: Rule) -> list[Problem]:
    """`a<=b` pairs within one record/row: completed ≤ planned, 其中 ≤ 总数."""
    out = []
    form = get_form(rule.form)
    for spec in rule.fields:
        op = "<=" if "<=" in spec else ">="
        a, b = (x.strip() for x in spec.split(op))
        df = ctx.frame(rule.form, a)
        if not len(df):
            continue
        va, vb = _num(df[a]), _num(df[b])
        fails = (va > vb) if op == "<=" else (va < vb)
        out += _emit(ctx, rule, df[fails.fillna(False)], rule.form, a, threshold=vb,
                     other=form.field(b).label, op="不超过" if op == "<=" else "不少于")
    return out


# --- 附件3 firm rows ----------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_INDEX = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}")


def uscc_valid(number: str) -> bool:
    """stdnum.cn.uscc.is_valid without its per-call cleaning overhead (58 000 codes at province scale)."""
    n = number.replace(" ", "").replace("-", "").upper().strip()
    if len(n) != 18 or not _USCC_SHAPE.fullmatch(n):
        return False
    total = sum(_USCC_INDEX[ch] * w for ch, w in zip(n, _USCC_WEIGHTS))
    return n[-1] == _USCC_ALPHABET[(31 - total) % 31]


def uscc_valid_many(codes: list[str]) -> np.ndarray:
    """uscc_valid of each code: 18-character ASCII codes (nearly all) checked at once with numpy, others one by one."""
    valid = np.zeros(len(codes), dtype=bool)
    plain = np.fromiter((len(c) == 18 and c.isascii() for c in codes), dtype=bool, count=len(codes))
    if plain.any():
        chars = np.frombuffer("".join(c for c, p in zip(codes, plain) if p).encode("ascii"), dtype=np.uint8)
        # any space or "-" (removed by uscc_valid) leaves fewer than 18 characters: not valid, as -1 says
        idx = _USCC_CHAR_INDEX[chars.reshape(-1, 18)]
        shaped = (idx >= 0).all(axis=1) & (idx[:, :8] < 10).all(axis=1)
        total = idx[:, :17].astype(np.int64) @ np.array(_USCC_WEIGHTS, dtype=np.int64)
        valid[plain] = shaped & (idx[:, 17] == (31 - total) % 31)
    for i in np.flatnonzero(~plain):
        valid[i] = uscc_valid(codes[i])
    return valid


def _uscc_char_index() -> np.ndarray:
    """Byte -> index in the USCC alphabet, -1 when not in it; lower case as upper case (uscc_valid upper-cases)."""
    index = np.full(256, -1, dtype=np.int16)
    for alphabet in (_USCC_ALPHABET, _USCC_ALPHABET.lower()):
        index[np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)] = np.arange(len(alphabet))
    return index


_USCC_CHAR_INDEX = _uscc_char_index()


@kind("checksum")
def check_checksum(ctx: Context, rule: Rule) -> list[Problem]:
    """统一社会信用代码 check character (GB 32100-2015); 15-digit 注册号 get a notice."""
    out = []
    for form_id, df in _field_frames(ctx, rule):
        code = pd.Series([_code_text(v) for v in df[rule.field].to_numpy(dtype=object)], index=df.index, dtype=object)
        length = code.str.len()
        legacy = pd.Series(False, index=df.index)
        fifteen = length == 15    # \d{15} can only match 15 characters
        legacy[fifteen] = code[fifteen].str.fullmatch(r"\d{15}").astype(bool)
        valid = uscc_valid_many(code.tolist())
        fails = (code != "") & ~valid & ~legacy
        out += _emit(ctx, rule, df[fails], form_id, rule.field, value=code, length=length)
        notice = rule.params.get("legacy_severity", INFO)
        legacy_msg = rule.params.get("legacy_message")
        if legacy.any() and legacy_msg:
            legacy_rule = Rule(id=f"{rule.id}-legacy", kind=rule.kind, message=legacy_msg, severity=notice)
            out += _emit(ctx, legacy_rule, df[legacy], form_id, rule.field, value=code)
    return out


def _code_text(v: Any) -> str:
    """A credit code as typed, without whitespace, upper case; "" when missing."""
    return "" if v is None or (isinstance(v, float) and v != v) else "".join(str(v).split()).upper()


@kind("unique")
def check_unique(ctx: Context, rule: Rule) -> list[Problem]:
    """The same firm twice within one submission (folded name, or the same code); the later rows are flagged,
    once per row (a row repeating both name and code is one mistake, reported at the first field that repeats).
    The same firm in two files is the merge's finding (duplicate-enterprise)."""
    out = []
    df = ctx.frame(rule.form)
    if not len(df):
        return out
    base_codes = pd.factorize(df["_sub"])[0] + 1      # every row has a submission: codes from 1
    flagged = np.zeros(len(df), dtype=bool)
    for key in rule.fields:
        k = _fold_key(df[key])
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
        out += _emit(ctx, rule, df[dup], rule.form, key, first_cell=first_cell)
    return out


def _fold_key(s: pd.Series) -> pd.Series:
    """`fold` of each value as a comparison key: "" when missing, a non-text value folded as its text."""
    folded = fold_text(s, distinct=False)
    other = folded.isna()
    if other.any():
        folded[other] = s[other].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else fold(v))
    return folded


@kind("date-range")
def check_date_range(ctx: Context, rule: Rule) -> list[Problem]:
    """Dates not after the reference date and not before a plausible earliest date."""
    out = []
    df = ctx.frame(rule.form, rule.field)
    if not len(df):
        return out
    d = _as_date(df[rule.field])
    earliest = rule.params.get("earliest")
    if isinstance(earliest, str):
        earliest = dt.date.fromisoformat(earliest)
    future = _dates_after(d, ctx.as_of)
    out += _emit(ctx, rule, df[future], rule.form, rule.field, value=d, threshold=ctx.as_of, bound="晚于基准日期")
    if earliest:
        early = _dates_after(d, earliest, after=False)
        out += _emit(ctx, rule, df[early], rule.form, rule.field, value=d, threshold=earliest, bound="早于合理日期")
    return out


# --- 附件4 comparables ---------------------------------------------------------------------------

@kind("comparables")
def check_comparables(ctx: Context, rule: Rule) -> list[Problem]:
    """Enough comparable sites per base, within the type's distance (楼宇型 ≥3 within 3 km).

    error: too few priced sites even counting those whose distance is not stated or not readable;
    warning: enough only if those are within the distance (the message asks for their distance);
    info: 基地类型 unknown, the per-type threshold could not be chosen."""
    head = ctx.frame(rule.form, "base_rent")
    rows = ctx.frame(rule.form, "site_name")
    if not len(head):
        return []
    max_km = rule.params.get("max_km") or {}
    dist = _num(rows["distance_km"]) if len(rows) else pd.Series(dtype=float)
    limit = rows["_btype"].map(lambda bt: _lookup(max_km, bt)) if len(rows) else pd.Series(dtype=float)
    named = ~_blank(rows["site_name"]) if len(rows) else pd.Series(dtype=bool)
    within = named & (_num(limit).isna() | (dist <= _num(limit)))
    unsure = named & _num(limit).notna() & dist.isna()     # a distance not stated: maybe within, maybe not
    priced = _num(rows["rent"]).notna() if len(rows) else pd.Series(dtype=bool)   # a quote without a rent is none
    counts = (within & priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
    maybe = (unsure & priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
    unread = (within & ~priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
    th = _thresholds(ctx, rule, head)
    out = []
    if rule.per_type:
        out += _unknown_type(ctx, rule, head[head["_btype"].isna() & th.isna()], rule.form, "base_rent")
    have = head["_sub"].map(counts).fillna(0)
    could = have + head["_sub"].map(maybe).fillna(0)
    fails = (could < _num(th)).fillna(False)
    doubt = ((have < _num(th)) & ~fails).fillna(False)
    km = head["_btype"].map(lambda bt: _lookup(max_km, bt))
    shown_km = km.map(lambda k: "" if k is None or k != k else k)
    # point at the first comparable row of the base's table, else at the base's rent cell
    out += _emit(ctx, rule, head[fails], rule.form, "base_rent", value=have, threshold=_num(th), max_km=shown_km,
                 unread=head["_sub"].map(unread).fillna(0).map(lambda n: str(int(n)) if n else ""))
    if doubt.any():
        said = replace(rule, message=COMPARABLES_UNSURE)
        out += _emit(ctx, said, head[doubt], rule.form, "base_rent", value=have, threshold=_num(th),
                     max_km=shown_km, severity=WARNING,
                     unread=head["_sub"].map(maybe).fillna(0).map(lambda n: str(int(n)) if n else ""))
    return out


#: comparables-min when only sites without a readable distance would make up the number
COMPARABLES_UNSURE = ("{{ base_type or '本' }}基地确认在 {{ max_km }} 千米以内的询价场地 {{ value }} 家，少于 {{ threshold }} 家；"
                      "另有 {{ unread }} 家未填写或无法识别距离，无法判定是否在范围内：请补填这些场地与基地的距离")


def _lookup(per_type: Any, bt: Any) -> Any:
    if not isinstance(per_type, dict):
        return per_type
    if isinstance(bt, str) and bt in per_type:
        return per_type[bt]
    return per_type.get("default")


@kind("rent-discount")
def check_rent_discount(ctx: Context, rule: Rule) -> list[Problem]:
    """The base's rent is at most `threshold` × the comparables' mean rent."""
    head = ctx.frame(rule.form, "base_rent")
    rows = ctx.frame(rule.form, "site_name")
    if not len(head) or not len(rows):
        return []
    mean = _num(rows["rent"]).groupby(rows["_sub"]).mean()
    m = head["_sub"].map(mean)
    ratio = _num(_thresholds(ctx, rule, head))
    limit = m * ratio
    rent = _num(head["base_rent"])
    fails = (rent > limit + 1e-9).fillna(False)
    return _emit(ctx, rule, head[fails], rule.form, "base_rent", threshold=limit.round(2),
                 mean=m.round(2), percent=(ratio * 100).round(0), share=(rent / m * 100).round(1))
