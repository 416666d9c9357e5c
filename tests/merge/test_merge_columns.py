"""The merge's column-wise conversion gives what the per-value path gives (clean, Series.tolist, Table.cell)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from merge_helpers import applicant_read, base_row, firm
from xlbase.merge.core import merge_reads
from xlbase.merge.cross_checks import code_key
from xlbase.merge.rows import firm_keys
from xlbase.merge.table_rows import clean, clean_column, cleaned_columns
from xlbase.table import Table
from xlbase.text import fold

ODD = [None, "", " ", "\u3000", "\xa0", "x", " x ", 0, 1, -2, 1.5, float("nan"), True, False, dt.date(2020, 1, 2),
       dt.datetime(2020, 1, 2, 3, 4), pd.NaT, pd.NA, np.float64("nan"), np.float64(2.5), np.int64(7), np.bool_(True),
       pd.Timestamp("2021-03-04"), math.inf, b"bytes", ("t",)]

values = st.one_of(st.none(), st.text(max_size=4), st.integers(), st.floats(), st.booleans(), st.dates(),
                   st.sampled_from(ODD))


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


@given(st.lists(values, max_size=30))
def test_clean_column_is_clean_per_value(vals):
    assert all(_same(a, b) for a, b in zip(clean_column(vals), [clean(v) for v in vals]))


def test_columns_match_series_tolist_for_every_dtype():
    frames = [
        pd.DataFrame({"_row": [5, 6], "a": pd.Series(["x", None], dtype=object), "b": [1.5, np.nan], "c": [True, False]}),
        pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "d": pd.to_datetime(["2020-01-02", None])}),
        pd.DataFrame({"s": pd.Series(["x", None], dtype="string"), "c": pd.Categorical(["u", "v"])}),
        pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"]),   # a repeated label keeps its last column
        pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype="int64")}),
    ]
    for df in frames:
        want = {c: [clean(v) for v in df.iloc[:, j].tolist()] for j, c in enumerate(df.columns)}
        got = cleaned_columns(df)
        assert list(got) == list(want)
        assert all(all(_same(x, y) for x, y in zip(got[c], want[c])) and len(got[c]) == len(want[c]) for c in want)


@given(st.one_of(st.none(), st.text(max_size=20), st.integers(), st.sampled_from(["91140900ma0k00000x", "ａ1"])))
def test_code_key_fast_path_is_fold(v):
    assert code_key(v) == (fold(v).upper() if v is not None else "")


def test_firm_rows_keep_field_order_cells_and_rows():
    a = "忻州市忻府区云中双创基地"
    firms = [firm("甲", "91140900MA0K000001"), firm("乙", "91140900MA0K000002", employees=3)]
    res = merge_reads([applicant_read("in/a.xlsx", base_row(a, "云中公司", firms=2), firms)])
    assert [f.values for f in res.firms] == [tuple(fm.get(k) for k in firm_keys()) for fm in firms]
    assert [(f.row, f.cell, f.base_name) for f in res.firms] == [(5, "C5", a), (6, "C6", a)]
    assert res.firms[1].get("employees") == 3


def test_firm_rows_without_row_marks_count_from_the_header():
    a = "忻州市忻府区云中双创基地"
    wr = applicant_read("in/a.xlsx", base_row(a, "云中公司", firms=2), [firm("甲", "91140900MA0K000001")])
    t3 = wr.tables[1]
    wr.tables[1] = Table("附件3", t3.file, t3.sheet, header_row=4, data=t3.data.drop(columns="_row"),
                         columns={"credit_code": 3}, base=t3.base)
    res = merge_reads([wr])
    assert [(f.row, f.cell) for f in res.firms] == [(5, "C5")]
