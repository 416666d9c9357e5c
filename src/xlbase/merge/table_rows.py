"""A read table's rows as the merge takes them: which tables count (`row_tables`, the one definition of
a data row), their columns cleaned of pandas' blanks, names tidied, sample and formula-lost names told apart."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
from ..cell_refs import col_letters

from ..forms.roles import (BASE_FORM, FIRM_FORM, RECORD_FORM)
from ..forms import SUMMARY_FORM, get_form
from ..read.normalise import estimate_of, year_of
from ..table import Table, WorkbookRead
from ..text import fold


def clean(v: Any) -> Any:
    """pandas hands back NaN/NaT for blanks; the merge wants None."""
    t = type(v)
    if t is str:                    # the common cases first: no pandas, no hasattr
        return v if v.strip() else None
    if t is int or t is bool:
        return v
    if t is float:
        return None if v != v else v
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd
        if v is pd.NaT or (not isinstance(v, (str, bytes, list, dict, tuple)) and pd.isna(v)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(v, str) and not v.strip():
        return None
    return v


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy_name(v: Any) -> Any:
    """Names as clerks retype them ('忻州市 原平市xx 双创基地'): drop spaces next to Chinese characters."""
    if not isinstance(v, str):
        return v
    return _CJK_SPACE.sub("", v.strip()) or None


def is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(fold(v)) and fold(v) not in ("0", "#ref!", "#name?", "#value!")


def is_sample_name(name: str) -> bool:
    from ..read.labels import is_sample_text   # the reader's predicate: ×/✕/X/＊ placeholders alike
    return is_sample_text(name, get_form(SUMMARY_FORM).sample_row)


def clean_column(values: list) -> list:
    """`clean` over one column, with its common cases inline (it runs once per cell read)."""
    return [v if ((t := type(v)) is str and v and not v.isspace()) or t is int or (t is float and v == v)
            or v is None or t is dt.date else clean(v) for v in values]


def _raw_columns(df) -> list[list]:
    """Each column of `df` as a list, as Series.tolist() gives it.

    Frames of plain numpy dtypes (what the reader builds) go through one to_numpy:
    a `df[c]` Series per column cost more than the merge's own work.
    """
    if all(isinstance(d, np.dtype) and d.kind in "Oifb" for d in df.dtypes.to_numpy()):   # not a Series walk
        return df.to_numpy(dtype=object).T.tolist()
    if df.columns.is_unique:
        return [df[c].tolist() for c in df.columns]
    return [df.iloc[:, j].tolist() for j in range(len(df.columns))]


def cleaned_columns(df) -> dict[Any, list]:
    """Every column as a list of cleaned values; a repeated label keeps its last column."""
    return {c: clean_column(vals) for c, vals in zip(df.columns, _raw_columns(df))}


def table_records(table: Table) -> list[dict[str, Any]]:
    """Every data row as a cleaned dict, converted once per table (not one iloc per row)."""
    cols = cleaned_columns(table.data)
    return [dict(zip(cols, row)) for row in zip(*cols.values())] if cols else [{} for _ in range(len(table.data))]


def _ranged(text: Any, f: Any) -> bool:
    """A cell's text typed as a bound or an estimate of a figure ("30户以上", "约300": read.estimates), or as a
    year alone in a date field ("2018年")."""
    return isinstance(text, str) and bool(text) and (estimate_of(text, f) is not None or year_of(text, f) is not None)


def typed_estimates(table: Table, keys: set[str]) -> list[dict[str, str]]:
    """Per data row of `table`: field -> the clerk's text of each field of `keys` typed as a bound or an
    estimate, or a year alone, which the reader left without a value (the 汇总表 shows it as typed)."""
    out: list[dict[str, str]] = [{} for _ in range(len(table.data))]
    form = table.form
    figures = [(j, key, f) for j, key in enumerate(table.raw.columns)
               if key in keys and form.has_field(key) and ((f := form.field(key)).is_numeric or f.type == "date")]
    if not figures:
        return out
    columns = _raw_columns(table.raw)     # one conversion, not a Series per column (~35 µs each, 448 tables)
    for j, key, f in figures:
        for i, text in enumerate(columns[j]):
            if _ranged(text, f):
                out[i][key] = text
    return out


def record_estimates(table: Table, keys: set[str]) -> dict[str, str]:
    """typed_estimates of a record (附件2 standing in for 附件10)."""
    form = table.form
    return {k: text for k, text in table.record_raw.items()
            if k in keys and table.record.get(k) is None and form.has_field(k) and _ranged(text, form.field(k))}


def row_values(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not str(k).startswith("_")}


def row_numbers(table: Table, marks: list | None, n: int) -> list[int]:
    """Sheet row of each data row: its `_row` mark, else counted from the header."""
    first = table.header_row + 1 if table.header_row else 1
    if marks is None:
        return list(range(first, first + n))
    return [int(v) if isinstance(v, (int, float)) else first + i for i, v in enumerate(marks)]


def column_cells(table: Table, key: str, rows: list[int]) -> list[str]:
    """`table.cell(key, r)` for every row, the column letter computed once."""
    col = table.columns.get(key)
    if not col or table.transposed:
        return [table.cell(key, r) for r in rows]
    letter = col_letters(col)
    return [f"{letter}{r}" if r else table.cell(key, r) for r in rows]


BASE_ROWS, BASE_RECORD, FIRM_ROWS = "base", "base-record", "firms"


def row_tables(wr: WorkbookRead) -> list[tuple[Table, str]]:
    """The tables whose rows a merge takes, base rows first: (table, BASE_ROWS | BASE_RECORD | FIRM_ROWS).

    The one definition of which rows are data rows (see the module docstring).
    """
    if not wr.ok:
        return []
    forms_here = {t.form_id for t in wr.tables}
    out = []
    for t in wr.tables:
        if t.form_id in (BASE_FORM, SUMMARY_FORM):
            out.append((t, BASE_ROWS))
        elif t.form_id == RECORD_FORM and BASE_FORM not in forms_here and t.record:
            out.append((t, BASE_RECORD))
    return out + [(t, FIRM_ROWS) for t in wr.tables if t.form_id == FIRM_FORM]


def data_rows(wr: WorkbookRead) -> int:
    """rows_read of one file: base rows (an applicant's 附件2 standing in for 附件10 is one) plus firm rows; the rows
    of one table's parts on several sheets (read.table_parts) once, as merge.core.join_part_rows joins them."""
    n, parted = 0, set[str]()
    for t, role in row_tables(wr):
        if t.parts and parted & {t.sheet, *t.parts}:
            continue
        parted.update((t.sheet,) if t.parts else ())
        n += 1 if role == BASE_RECORD else t.n_rows
    return n
