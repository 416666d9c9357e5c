"""Problems from failing rows: each message rendered from the rule's template, each problem at its cell.

Messages are rendered here only, and only for the rows that fail: a rule over 58 000 firm rows renders
a handful of templates, not 58 000.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..forms.roles import BASE_TYPE
from ..forms import APPLICANT_FORMS, get_form, value_list
from ..problems import INFO, Problem
from ..text import fold
from .context import Context, has_field
from .rule import Rule


def clean(v: Any) -> Any:
    """A value as a message and a report hold it: None for NaN, a Python scalar, 3.0 as 3."""
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (np.generic,)):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def fmt(v: Any) -> str:
    """A value as a message shows it: （空）, 1,234.5, 是/否."""
    v = clean(v)
    if v is None:
        return "（空）"
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def emit(ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str, key: str,
         value: str | pd.Series | None = None, threshold: Any = None, severity: str | None = None,
         **extra: Any) -> list[Problem]:
    """Problems for failing rows; messages are rendered here only.

    Columns are read once as lists, not row by row (iterrows builds a Series per row). Most calls pass
    no failing row (66 of 91 in a small applicant's validate): they return before any column lookup.
    """
    if not len(rows):
        return []
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
        v, th = clean(v), clean(th)
        btype = btype if isinstance(btype, str) else None
        ctx_vars = dict(value=fmt(v), raw_value=v, threshold=fmt(th), label=display_label(form, fld) if fld else key,
                        unit=(fld.unit or "") if fld else "", base=bname or "", base_type=btype or "",
                        form=form_id, as_of=ctx.as_of.isoformat(), **{k: fmt(x) if not isinstance(x, (list, str)) else x
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
    """`x` for each of `rows`: a Series looked up by the rows' index labels, or one value for all. A column of
    `rows` itself (same index object, labels unique) is already in their order: no lookup (~0.1 ms each)."""
    if not isinstance(x, pd.Series):
        return [x] * len(rows)
    if x.index is rows.index and rows.index.is_unique:
        return x.tolist()
    if x.index.is_unique:   # positions, not .loc's label lookup (~0.2 ms a call): what .loc gives, or its KeyError
        at = x.index.get_indexer(rows.index)
        if (at >= 0).all():
            return x.to_numpy(dtype=object)[at].tolist()
    return x.loc[rows.index].tolist()


def unknown_type(ctx: Context, rule: Rule, rows: pd.DataFrame, form_id: str, key: str) -> list[Problem]:
    """An explicit notice for bases whose 基地类型 is unknown: the per-type check was not made."""
    out = []
    form = get_form(form_id)
    label = form.field(key).label if form.has_field(key) else key
    for _, r in rows.iterrows():
        has_column = has_field(ctx, pd.DataFrame({"_table": [r.get("_table")]}), BASE_TYPE)[0]
        out.append(Problem(
            rule=rule.id, severity=INFO,
            message=f"基地类型未填写或无法识别（“{fmt(r.get('base_type'))}”），未能按类型核对“{label}”的门槛"
                    f"（{rule.title or rule.id}）；{where_base_type(form_id, has_column)}",
            file=str(r.get("_file", "")), sheet=str(r.get("_sheet", "")),
            cell=ctx.cell(r.get("_table"), BASE_TYPE, r.get("_row")) or ctx.cell(r.get("_table"), key, r.get("_row")),
            form=form_id, field=label, base=str(r.get("_bname") or ""), value=clean(r.get(BASE_TYPE)),
        ))
    return out


def where_base_type(form_id: str, has_column: bool) -> str:
    """Where the clerk gives the 基地类型: the template's dropdown, or a column a hand-made table lacks."""
    forms = [f for f in APPLICANT_FORMS if get_form(f).has_field(BASE_TYPE)] if form_id in APPLICANT_FORMS \
        else [form_id]
    label = get_form(forms[0]).field(BASE_TYPE).label     # the form model's word, not a second copy
    if has_column:
        return f"请在“{label}”栏从下拉列表选择或按附件1封面填写。"
    types = "、".join(value_list("base_type")[:2])
    return (f"本表没有“{label}”栏：请在{'或'.join(forms)}中增加“{label}”一栏，"
            f"按附件1封面填写（如{types}）。")


def sheet_cells(ctx: Context, rows: pd.DataFrame, key: str) -> pd.Series:
    """'附件2!B27' of `key` in each of `rows`, as a message names a cell on another sheet."""
    return pd.Series([f"{sh}!{ctx.cell(t, key, r)}" for sh, t, r in zip(rows["_sheet"], rows["_table"], rows["_row"])],
                     index=rows.index, dtype=object)
